/**
 * The form of one entry of the deploying role's action table (actions.ts, alert-actions.ts): the
 * calls the AWS provider makes for one resource type, phase by phase, each list with its source.
 *
 * Sources: terraform-provider-aws, which @pulumi/aws 7.48 bridges (v6; the npm package does not
 * name the exact upstream release), file by file, `internal/service/<service>/<resource>.go`: its
 * Create, Read, Update and Delete functions, the waiters they run (waitXxx, statusXxx, findXxx),
 * and the transparent tagging its `@Tags` annotation turns on (service_package_gen.go registers
 * the resource with the service's listTags and updateTags, tags_gen.go). Action names as the
 * Service Authorization Reference spells them
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
 * which also names the dependent actions AWS checks on the caller's behalf.
 */

/** Who is passed a role, or what AWS checks beyond the call itself. */
export interface DependentCalls {
    readonly actions: readonly string[];
    /** Why AWS authorizes these on the caller's behalf. */
    readonly why: string;
    readonly source: string;
}

/** What an input the program sets adds to the type's calls. */
export interface ArgumentCalls {
    readonly calls: readonly string[];
    readonly why: string;
    readonly source?: string;
    /**
     * When the calls are made: "create" (the resource does not exist yet: a create call, with the
     * tags it will carry), "existing" (after it exists), or both. Defaults to ["existing"].
     */
    readonly when?: readonly ("create" | "existing")[];
}

/** The calls of the provider's transparent tagging (and of tagging at creation). */
export interface TagCalls {
    /**
     * What AWS authorizes when the create call carries tags ("tag on create"): the service's tag
     * action, checked for the new resource.
     */
    readonly onCreate: readonly string[];
    /** What the read calls when the describe call does not return the tags. */
    readonly list: readonly string[];
    readonly tag: readonly string[];
    readonly untag: readonly string[];
}

export interface ResourceEntry {
    /** terraform-provider-aws files (at the bridged version) and AWS pages the lists come from. */
    readonly source: readonly string[];
    readonly create: readonly string[];
    readonly read: readonly string[];
    readonly update: readonly string[];
    readonly delete: readonly string[];
    /** Calls of the waiters and finders the phases run, when they are not already listed there. */
    readonly waiters?: readonly string[];
    /** Undefined: the type takes no tags. */
    readonly tags?: TagCalls;
    readonly dependent?: readonly DependentCalls[];
    /** A service-linked role AWS creates on first use in the account (iam:CreateServiceLinkedRole, once). */
    readonly serviceLinkedRole?: { readonly service: string; readonly source: string };
    /**
     * Every input the program sets on this type, reviewed: the calls it adds (`[]`: none beyond
     * the phases above, it travels in the create or update call). A test fails for an input the
     * program sets that is not here: an argument is reviewed before it is used.
     */
    readonly arguments: Readonly<Record<string, readonly string[] | ArgumentCalls>>;
    /** What was checked for this entry, and how. */
    readonly checked: string;
}

/** What one provider look-up calls. */
export interface InvokeEntry {
    readonly actions: readonly string[];
    readonly source: string;
    readonly note?: string;
}

/** `terraform-provider-aws internal/service/<path>`. */
export const tf = (path: string) => `terraform-provider-aws internal/service/${path}`;

/** The tagging of services whose API names them TagResource, UntagResource and ListTagsForResource. */
export function serviceTagging(service: string, onCreate = true): TagCalls {
    return {
        onCreate: onCreate ? [`${service}:TagResource`] : [],
        list: [`${service}:ListTagsForResource`],
        tag: [`${service}:TagResource`],
        untag: [`${service}:UntagResource`],
    };
}

/**
 * EC2 tags: CreateTags and DeleteTags (ec2/tags_gen.go); a create call with TagSpecifications is
 * authorized for ec2:CreateTags as well
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html).
 */
export const TAGS_EC2: TagCalls = { onCreate: ["ec2:CreateTags"], list: ["ec2:DescribeTags"], tag: ["ec2:CreateTags"], untag: ["ec2:DeleteTags"] };

/** The reviewed input that only carries the stack's tags (components/security/stack-scope.ts): the type's tagging calls. */
export const TAGGED = { tags: [] as string[] };

/** The calls an argument adds: a list, or a list with its reason. */
export function argumentCalls(a: readonly string[] | ArgumentCalls): readonly string[] {
    return Array.isArray(a) ? a : (a as ArgumentCalls).calls;
}

/** When an argument's calls are made (see {@link ArgumentCalls.when}). */
export function argumentWhen(a: readonly string[] | ArgumentCalls): readonly ("create" | "existing")[] {
    return Array.isArray(a) ? ["existing"] : (a as ArgumentCalls).when ?? ["existing"];
}

/** Every call of an entry, for the inputs `used` (all reviewed arguments when undefined). */
export function entryActions(e: ResourceEntry, used?: readonly string[]): string[] {
    const args = Object.entries(e.arguments).filter(([k]) => used === undefined || used.includes(k));
    return [...new Set([
        ...e.create, ...e.read, ...e.update, ...e.delete, ...(e.waiters ?? []),
        ...(e.tags ? [...e.tags.onCreate, ...e.tags.list, ...e.tags.tag, ...e.tags.untag] : []),
        ...(e.dependent ?? []).flatMap(d => d.actions),
        ...args.flatMap(([, a]) => argumentCalls(a)),
    ])].sort();
}
