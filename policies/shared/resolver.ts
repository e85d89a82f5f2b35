/**
 * "Which resource does this property point at?": the one answer the pack's stack rules, the
 * offline preview and the PKI emission share. Pure: it reads plain `{ type, name, urn, props,
 * propertyDependencies }` records (the analyzer's `PolicyResource`s or the offline engine's
 * recorded resources), nothing of the policy SDK.
 *
 * Precedence, for a value found under top-level property `property` of `from`:
 * 1. A known string value is matched against the identities other resources carry in their state:
 *    `arn`, `id`, the resource id at the end of an EC2 ARN, `name` for the types other resources
 *    quote by name (Auto Scaling groups, launch templates and configurations, security groups),
 *    and the few further attributes other resources quote ({@link ALSO_QUOTED_BY}). A match is
 *    exact: it names one resource even inside a list property.
 * 2. Otherwise (an unknown value during preview, a value no resource of the stack carries, or no
 *    value at all) the property's dependencies as the engine records them (`propertyDependencies`,
 *    by URN). They name every resource the whole top-level property came from, so they can only
 *    narrow a reference down to the accepted types.
 * The caller filters candidates by type (`accept`) at both steps. `known` says whether the value
 * was known, so an empty answer for a known value means "outside this stack".
 */
import { NATIVE, TOKENS } from "./tokens";
import { UNKNOWN_SENTINELS } from "./wire";

/** The fields of a resource the resolver reads. */
export interface ResourceRecord {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** The resource's state (outputs): where its `arn`, `id` and `name` are read. */
    readonly props: Record<string, any>;
    /** Top-level input property name to the URNs its value came from. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[] | undefined>>;
}

/** A resolved reference: the records it names (several when only dependencies tell). */
export interface Resolved<R extends ResourceRecord> {
    readonly nodes: R[];
    readonly value: unknown;
    /** The value was known (so an empty `nodes` means "outside this stack"). */
    readonly known: boolean;
}

/**
 * Types other resources refer to by name rather than by ARN or id. Security groups: an instance's
 * `securityGroups` and a launch template's `securityGroupNames` list names (terraform-provider-aws
 * website/docs/r/instance.html.markdown `security_groups`, launch_template.html.markdown
 * `security_group_names`).
 */
const QUOTED_BY_NAME = new Set<string>([TOKENS.autoscalingGroup, TOKENS.launchTemplate, TOKENS.launchConfiguration, TOKENS.securityGroup]);

/**
 * Attributes besides `arn`, `id` and `name` that other resources quote, per type (a string or a
 * list of strings): an instance by its primary network interface (what
 * `aws_network_interface_sg_attachment` attaches a group to, its docs' own example) and by its
 * private IP, a network interface by its private IPs (an `ip` target of a target group names the
 * address; ELBv2 RegisterTargets `Id`), an aws-native subnet by its `subnetId`.
 */
const ALSO_QUOTED_BY: { readonly [type: string]: readonly string[] } = {
    [TOKENS.instance]: ["primaryNetworkInterfaceId", "privateIp"],
    [TOKENS.networkInterface]: ["privateIp", "privateIps"],
    // An aws-native subnet, read in its own shape, carries its id as SubnetId.
    [NATIVE.subnet]: ["subnetId"],
};

const unknowns = new Set<unknown>(UNKNOWN_SENTINELS);
const isUnknownValue = (v: unknown) => typeof v === "string" && unknowns.has(v);

/** The service field of an ARN (`arn:<partition>:<service>:…`), as `split(":")[2]` reads it. */
function arnService(arn: string): string | undefined {
    const from = arn.indexOf(":", arn.indexOf(":") + 1);
    if (from < 0) return undefined;
    const to = arn.indexOf(":", from + 1);
    return to < 0 ? arn.slice(from + 1) : arn.slice(from + 1, to);
}

/** The values `r` can be quoted by, in precedence order: ARN, id, EC2 resource id, name (named types). */
export function identities(r: ResourceRecord): string[] {
    const out: string[] = [];
    const usable = (v: unknown): v is string => typeof v === "string" && v !== "" && !isUnknownValue(v);
    for (const key of ["arn", "id", "name"]) {
        const v = r.props?.[key];
        if (usable(v) && (key !== "name" || QUOTED_BY_NAME.has(r.type))) {
            out.push(v);
        }
    }
    const arn = r.props?.arn;
    // arn:<partition>:ec2:…/<id>, read without splitting: this runs for every resource of every AnalyzeStack.
    if (usable(arn) && arn.startsWith("arn:") && arnService(arn) === "ec2") {
        const last = arn.slice(arn.lastIndexOf("/") + 1);
        if (last) {
            out.push(last);
        }
    }
    for (const key of ALSO_QUOTED_BY[r.type] ?? []) {
        const v = r.props?.[key];
        out.push(...(Array.isArray(v) ? v : [v]).filter(usable));
    }
    return out.length < 2 ? out : [...new Set(out)];
}

/** The records of a stack, indexed by URN and by identity, answering references by the precedence above. */
export class ReferenceIndex<R extends ResourceRecord> {
    private readonly byUrn = new Map<string, R>();
    private readonly byIdentity = new Map<string, R[]>();

    constructor(readonly records: readonly R[]) {
        for (const r of records) {
            this.byUrn.set(r.urn, r);
            for (const key of identities(r)) {
                const list = this.byIdentity.get(key) ?? [];
                list.push(r);
                this.byIdentity.set(key, list);
            }
        }
    }

    /** The record of a URN. */
    get(urn: string | undefined): R | undefined {
        return urn === undefined ? undefined : this.byUrn.get(urn);
    }

    /** Records that carry `value` as an identity (step 1 alone). */
    carrying(value: unknown): R[] {
        return typeof value === "string" && !isUnknownValue(value) ? this.byIdentity.get(value) ?? [] : [];
    }

    /** What `value`, found under top-level `property` of `from`, refers to among the records `accept` takes. */
    resolve(from: R, property: string, value: unknown, accept: (r: R) => boolean): Resolved<R> {
        const hits = this.carrying(value).filter(accept);
        if (hits.length > 0) {
            return { nodes: hits, value, known: true };
        }
        const deps = (from.propertyDependencies?.[property] ?? [])
            .map((urn) => this.byUrn.get(urn))
            .filter((r): r is R => r !== undefined && accept(r));
        return { nodes: deps, value, known: value !== undefined && value !== null && !isUnknownValue(value) };
    }

    /** Every reference in a list property; a whole-list unknown (or absent list) resolves through dependencies. */
    resolveAll(from: R, property: string, values: unknown, accept: (r: R) => boolean): Resolved<R>[] {
        if (isUnknownValue(values)) {
            return [this.resolve(from, property, values, accept)];
        }
        const list = values === undefined || values === null ? [] : Array.isArray(values) ? values : [values];
        return list.map((v) => this.resolve(from, property, v, accept));
    }
}
