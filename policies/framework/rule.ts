/**
 * A rule of the pack: a spec plus its check, on one resource ({@link resourceRule}) or on the
 * whole stack ({@link stackRule}).
 *
 * What every rule of the pack declares, resource and stack rules alike: name, description (what,
 * why, source), default enforcement level, severity, the published control it mirrors, config
 * keys, and the one place exemptions are handled (./exemptions.ts: by URN or project-qualified stack,
 * with a reason and an expiry, from the pack's config only).
 *
 * Severity scale of the pack (the SDK's `Severity`):
 * - `critical`: a private key or credential is disclosed outside the secret store (user data,
 *   task definitions, plain config stores, stack outputs).
 * - `high`: a hop of the client-to-target path is plaintext or unauthenticated, a way to the
 *   credentials that read the keys is open (IMDSv1, public address, ports open to the world),
 *   keys are breakable, or the first `pulumi up` fails or leaves the tier without a working task.
 * - `medium`: a protection is weakened without being opened (certificate lifetime, renewal
 *   window, encryption at rest, header hygiene), or one resource is refused by the provider or API.
 * - `low`: traceability, guard rails and compatibility (access logs, deletion protection, names,
 *   key algorithms ALB mutual TLS cannot use).
 */
import { EnforcementLevel, Policy, PolicyComplianceFramework, PolicyResource, ReportViolation, ResourceValidationPolicy, Severity, StackValidationPolicy } from "@pulumi/policy";
import { familiesOf, NO_RESOURCE_TYPE, shapeOf, tokensOfShapes } from "../shared/tokens";
import { ConfigOf, configOf, defaultsOf, Params, schemaOf } from "./config";
import { EXEMPTIONS_KEY, exemptionsParam, ExemptionDecision, findingSender, matchExemption } from "./exemptions";
import { Named, violation, ViolationParts } from "./messages";
import { adaptProps, familyOf, ownPath } from "./shapes";
import { StackIndex } from "./stack-index";
import { raw } from "./values";

// ------------------------------------------------------------------------------------------------
// The spec
// ------------------------------------------------------------------------------------------------

/** A published control a rule mirrors: the SDK's `framework`, `url` and `tags` fields. */
export interface Control {
    readonly framework: PolicyComplianceFramework;
    readonly url: string;
    readonly tags: readonly string[];
}

/** The fields every rule spec has. */
export interface RuleSpec<P extends Params> {
    /** Kebab-case, self-describing policy name. */
    readonly name: string;
    /** What the policy requires, why, and the source of each AWS or provider behaviour it relies on. */
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    /** How bad a violation is, on the scale above. */
    readonly severity: Severity;
    /** The published control the rule mirrors, when there is one (see {@link securityHub}). */
    readonly control?: Control;
    /** Remediation steps shown by the Pulumi Cloud console. */
    readonly remediationSteps?: string;
    /** Config keys with their defaults and schemas (the framework adds `exemptions` to every rule). */
    readonly config?: P;
}

/**
 * An AWS Security Hub control of the AWS Foundational Security Best Practices standard, by id
 * (`ELB.1`) and title, with its page in the Security Hub user guide
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-1 and the like;
 * ids, titles and anchors as the user guide's elb-, ec2- and ecs-controls pages give them).
 */
export function securityHub(id: `${"ACM" | "CloudFront" | "EC2" | "ECS" | "ELB"}.${number}`, title: string): Control {
    const [service, number] = id.split(".");
    return {
        framework: { name: "AWS Foundational Security Best Practices", version: "1.0.0", reference: id, specification: title },
        url: `https://docs.aws.amazon.com/securityhub/latest/userguide/${service.toLowerCase()}-controls.html#${service.toLowerCase()}-${number}`,
        tags: ["aws-foundational-security-best-practices", `security-hub:${id}`],
    };
}

/** The config keys of a spec, the `exemptions` key included. */
export function paramsOf<P extends Params>(spec: RuleSpec<P>): Params {
    return { ...(spec.config ?? {}), [EXEMPTIONS_KEY]: exemptionsParam };
}

/** The spec's config defaults (exemption key included). */
export function defaultConfig<P extends Params>(spec: RuleSpec<P>): ConfigOf<P> {
    return defaultsOf(paramsOf(spec)) as ConfigOf<P>;
}

/** What the `exemptions` entries of `config` decide for the resource of `urn` today. */
export function exemptionOf<P extends Params>(config: ConfigOf<P>, urn: string): ExemptionDecision {
    return matchExemption((config as Record<string, unknown>)[EXEMPTIONS_KEY], urn);
}

/** The SDK fields a spec fills in, shared by resource and stack policies. */
export function policyFields<P extends Params>(spec: RuleSpec<P>): Policy {
    const fields: Policy = {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        severity: spec.severity,
        configSchema: schemaOf(paramsOf(spec)),
    };
    if (spec.remediationSteps !== undefined) {
        fields.remediationSteps = spec.remediationSteps;
    }
    if (spec.control) {
        fields.framework = { ...spec.control.framework };
        fields.url = spec.control.url;
        fields.tags = [...spec.control.tags];
    }
    return fields;
}

/** The type tokens each policy built by {@link claim}'s callers judges or reads, keyed by the policy object. */
const CLAIMED = new WeakMap<object, readonly string[]>();

/** Records the type tokens `policy` judges (a resource rule) or reads (a stack rule); returns the policy. */
export function claim<T extends object>(policy: T, tokens: readonly string[]): T {
    CLAIMED.set(policy, [...tokens]);
    return policy;
}

/** The type tokens a policy of `resourceRule` or `stackRule` judges or reads; throws for any other policy. */
export function claimedTokens(policy: Policy): readonly string[] {
    const tokens = CLAIMED.get(policy);
    if (!tokens) {
        throw new Error(`${policy.name} was not built by resourceRule or stackRule, so its token families are not known`);
    }
    return tokens;
}

/**
 * The token families a policy claims (../shared/tokens/ `tokenFamily`): what the rule reference's (docs/rules.md)
 * `families` column and the SARIF rule metadata list. Empty for a policy that reads no resource.
 */
export function claimedFamilies(policy: Policy): string[] {
    return familiesOf(claimedTokens(policy));
}

// ------------------------------------------------------------------------------------------------
// Findings already made in this process
// ------------------------------------------------------------------------------------------------

/*
 * What the resource rules reported in this analyzer process, so that a stack rule does not report
 * the same problem a second time. The engine sends every resource's `Analyze` before the one
 * `AnalyzeStack`, in the same process. A resource rule's finding is recorded whether it was
 * reported or suppressed by an exemption (and listed as such, ./exemptions.ts): either way the
 * problem has been dealt with once, under the rule that owns it.
 *
 * A stack rule asks only about the policies it knows own a problem (the path rule: the listener,
 * target group and health-check rules for plaintext hops, the world-ingress rule for a source
 * open to the internet, property by property). Nothing recorded means "report it":
 * the owner is disabled, or the resource was not analysed in this process, so a problem is never
 * lost, at worst reported twice.
 */

const found = new Map<string, Map<string, Set<string>>>();

/**
 * Records that `policy` reported (or an exemption suppressed) a finding on `urn`, about the
 * properties named (the property of the message, and any others the check says it is about).
 */
export function recordFinding(policy: string, urn: string, properties: readonly string[] = []): void {
    let byUrn = found.get(policy);
    if (!byUrn) {
        found.set(policy, (byUrn = new Map()));
    }
    let props = byUrn.get(urn);
    if (!props) {
        byUrn.set(urn, (props = new Set()));
    }
    properties.forEach((p) => props!.add(p));
}

/**
 * Whether `policy` reported a finding on `urn` in this process since the last
 * {@link forgetFindings}; with `property`, a finding about that property.
 */
export function wasFound(policy: string, urn: string, property?: string): boolean {
    const props = found.get(policy)?.get(urn);
    return props !== undefined && (property === undefined || props.has(property));
}

/** Forgets every recorded finding: called once the stack rules that read the record have run. */
export function forgetFindings(): void {
    found.clear();
}

// ------------------------------------------------------------------------------------------------
// Resource rules
// ------------------------------------------------------------------------------------------------

/*
 * Resource rules: a spec plus its check, turned into a `ResourceValidationPolicy` that filters by
 * type token, unwraps the unknown-checking proxy, applies config defaults and exemptions, and
 * formats every report the same way.
 */

/**
 * `appliesTo` of a rule that judges every resource of every provider, tokens it has never heard
 * of included, read in the resource's own names (no shape adapter).
 */
export const EVERY_RESOURCE = "*";

/** A resource as a check or a report names it. */
export type Located = Named & { readonly urn: string };

/** What a rule's check sees for one resource. */
export interface CheckContext<C> {
    /**
     * The resource under check (logical name, URN), its `type` the token of the shape it is read in
     * (a resource of another family, e.g. aws-native, reads as its `@pulumi/aws` counterpart).
     */
    readonly resource: Located;
    /** The family of the resource's own token (`aws`, `aws-native`, …), for checks of one provider's behaviour. */
    readonly family: string;
    /**
     * Its properties as plain data in the shape's names (../framework/shapes.ts): unknowns appear as
     * sentinels (see `isUnknown`). For an {@link EVERY_RESOURCE} rule, the object the SDK
     * deserialized itself, which `wireOf` (./wire-props.ts) reads the request of.
     */
    readonly props: Record<string, any>;
    /** The policy's config with defaults applied. */
    readonly config: C;
    /**
     * Reports one violation in the pack's message format. `about` names the properties the finding
     * is about when they are more than `property` (e.g. each source of an ingress block), for the
     * stack rules that leave a problem a resource rule reported to it (the findings section above).
     */
    report(parts: Omit<ViolationParts, "resource"> & { readonly about?: readonly string[] }): void;
    /**
     * Reports a message of the rule's own wording (it must still name the resource and the fix, and
     * write property paths through {@link ownPath}).
     */
    reportMessage(message: string): void;
    /**
     * A property path of the shape (`userDataBase64`) in the resource's own names (`userData` on
     * aws-native), as {@link report} writes `property`: for messages of the rule's own wording.
     */
    ownPath(property: string): string;
}

/** The declarative shape of a resource rule. */
export interface ResourceRuleSpec<P extends Params> extends RuleSpec<P> {
    /**
     * The shapes the rule judges, as `@pulumi/aws` type tokens (e.g. `LB_TOKENS.listener`). The
     * framework adds every token of another family read in one of them (../shared/tokens/
     * SHAPE_OF); other tokens are skipped without reading their properties. `[EVERY_RESOURCE]`
     * judges every resource, each in its own names.
     */
    readonly appliesTo: readonly string[];
    /**
     * `false` for a rule about one provider's own validation (a terraform-provider-aws quirk): it
     * then judges only the tokens it names. Default `true`.
     */
    readonly otherFamilies?: boolean;
    readonly check: (ctx: CheckContext<ConfigOf<P>>) => void | Promise<void>;
    /**
     * A safe automatic fix: returns the complete new property set, or `undefined` to leave the
     * resource alone. Runs when the policy's level is `remediate`. `props` is the SDK's own
     * object, so properties written into it keep their secret marking.
     */
    readonly remediate?: (ctx: Omit<CheckContext<ConfigOf<P>>, "report" | "reportMessage" | "ownPath">) => Record<string, any> | undefined;
}

/** Builds the policy of a {@link ResourceRuleSpec}. */
export function resourceRule<P extends Params = {}>(spec: ResourceRuleSpec<P>): ResourceValidationPolicy {
    const every = spec.appliesTo.includes(EVERY_RESOURCE);
    const tokens = new Set(spec.otherFamilies === false ? spec.appliesTo : tokensOfShapes(spec.appliesTo));
    // Asked by every policy of every request: the answer for the last type is kept (the server
    // reads a request's type once, so its policies are handed the very same string).
    let lastType: string | undefined;
    let lastApplies = false;
    const applies = (type: string) => {
        if (type !== lastType) {
            lastApplies = every || tokens.has(type);
            lastType = type;
        }
        return lastApplies;
    };
    const defaults = defaultConfig(spec);
    const schema = { name: spec.name, schema: schemaOf(paramsOf(spec)) };
    const context = (args: { type: string; name: string; urn: string; props: Record<string, any> } & Parameters<typeof configOf>[0]) => {
        const config = configOf(args, defaults, schema);
        return every
            ? { resource: { type: args.type, name: args.name, urn: args.urn }, family: familyOf(args.type), props: raw(args.props), config }
            : { resource: { type: shapeOf(args.type), name: args.name, urn: args.urn }, family: familyOf(args.type), props: adaptProps(args.type, raw(args.props)), config };
    };
    // An `exemptions` entry in force lets the check run and reports what it suppressed as an
    // advisory line; an expired one lets the finding through, naming the entry (./exemptions.ts).
    // Decided on the first finding only: a resource without findings costs nothing more.
    const sender = (ctx: ReturnType<typeof context>, resource: Located, reportViolation: ReportViolation) => {
        const decide = () => findingSender(spec.name, exemptionOf(ctx.config, resource.urn), resource, reportViolation);
        let send: ((message: string) => void) | undefined;
        return (message: string, about: readonly string[] = []) => {
            recordFinding(spec.name, ctx.resource.urn, about);
            (send ??= decide())(message);
        };
    };
    const policy: ResourceValidationPolicy = {
        ...policyFields(spec),
        validateResource: (args, reportViolation) => {
            if (!applies(args.type)) {
                return;
            }
            const ctx = context(args);
            const own = { type: args.type, name: args.name, urn: args.urn };
            const send = sender(ctx, own, reportViolation);
            // An every-resource rule reads the resource in its own names already.
            const path = (property: string) => (every ? property : ownPath(args.type, property, raw(args.props)));
            // Spelled out, not `{ ...ctx, report, … }`: a spread with more properties after it
            // takes V8's slow path, and this runs for every resource and every rule that applies.
            return spec.check({
                resource: ctx.resource,
                family: ctx.family,
                props: ctx.props,
                config: ctx.config,
                report: ({ about = [], ...parts }) => send(violation({ ...parts, resource: own, property: path(parts.property) }), [parts.property, ...about]),
                reportMessage: (message) => send(ownToken(message, ctx.resource.type, args.type)),
                ownPath: path,
            });
        },
    };
    if (spec.remediate) {
        const remediate = spec.remediate;
        // A remediation returns the shape's properties: only resources read in their own shape get one.
        policy.remediateResource = (args) => {
            const ctx = applies(args.type) && shapeOf(args.type) === args.type ? context(args) : undefined;
            return ctx && !exemptionOf(ctx.config, ctx.resource.urn)?.applies ? remediate(ctx) : undefined;
        };
    }
    return claim(policy, every ? [EVERY_RESOURCE] : [...tokens]);
}


/** A rule's own message about a resource read in `shape`, naming the resource's own token instead. */
export function ownToken(message: string, shape: string, token: string): string {
    return shape === token ? message : message.split(`(${shape})`).join(`(${token})`);
}

// ------------------------------------------------------------------------------------------------
// Stack rules
// ------------------------------------------------------------------------------------------------

/*
 * Stack rules: a spec plus its check over every resource of the stack, turned into a
 * `StackValidationPolicy` with config defaults, exemptions and the pack's message format.
 */

/** What a stack rule's check sees. */
export interface StackCheckContext<C> {
    /** Every resource of the stack, as `AnalyzeStack` carries them. */
    readonly resources: PolicyResource[];
    /** The same resources indexed, with references resolved (built on first use). */
    readonly index: StackIndex;
    /** The policy's config with defaults applied. */
    readonly config: C;
    /** Reports one violation on `resource` in the pack's message format. */
    report(resource: Located, parts: Omit<ViolationParts, "resource">): void;
    /** Reports a message of the rule's own wording on `resource`. */
    reportMessage(resource: Located, message: string): void;
}

/** The declarative shape of a stack rule. */
export interface StackRuleSpec<P extends Params> extends RuleSpec<P> {
    /**
     * The shapes the check reads, as `appliesTo` names them (`@pulumi/aws` tokens, e.g.
     * `LB_TOKENS.listener`): every `ofKind` / `ofType` it asks the index for and every type its
     * references accept. The index reads each token of another family in its shape, so the
     * families the rule claims derive as a resource rule's do (../shared/tokens/ tokensOfShapes).
     * `TOKENS.stack` for the root Stack resource, `[]` for a rule that reads no resource.
     */
    readonly reads: readonly string[];
    /**
     * The shape without which the rule cannot find anything, as {@link reads} names it. The check
     * is skipped on a stack holding no resource of any of its tokens (../shared/tokens/
     * tokensOfShapes). When the shape is one token in every family, the policy server skips the
     * rule itself, and its per-policy unmarshalling of every resource, as
     * `validateStackResourcesOfType` does (`__pulumiType`, read by `getPulumiType` in
     * @pulumi/policy's server.js, which compares one type): a shape with tokens in several
     * families (aws-native too) is unmarshalled on every stack, or stacks of the other families
     * would go unchecked.
     */
    readonly onlyWith?: string;
    /**
     * The policy reads nothing and reports nothing itself: it declares the lines other policies
     * send under its name (policy-exemptions-applied). The policy server skips it on every stack,
     * through the same one-type check as {@link onlyWith}, with a type no resource has.
     */
    readonly declaresOnly?: true;
    readonly check: (ctx: StackCheckContext<ConfigOf<P>>) => void;
}

/** Builds the policy of a {@link StackRuleSpec}. */
export function stackRule<P extends Params = {}>(spec: StackRuleSpec<P>): StackValidationPolicy {
    const defaults = defaultConfig(spec);
    const schema = { name: spec.name, schema: schemaOf(paramsOf(spec)) };
    const needed = spec.onlyWith === undefined ? undefined : new Set(tokensOfShapes([spec.onlyWith]));
    const validateStack: StackValidationPolicy["validateStack"] = (args, reportViolation) => {
        if (needed && !args.resources.some((r) => needed.has(r.type))) {
            return;
        }
        const config = configOf(args, defaults, schema);
        // An entry in force reports the suppressed finding as an advisory line; an expired one lets it through, naming the entry (./exemptions.ts).
        const send = (resource: Located, message: string) => {
            findingSender(spec.name, exemptionOf(config, resource.urn), resource, reportViolation)(ownToken(message, resource.type, tokenOf(resource)));
        };
        let index: StackIndex | undefined;
        spec.check({
            resources: args.resources,
            get index() {
                return (index ??= StackIndex.of(args.resources));
            },
            config,
            report: (resource, parts) => send(resource, violation({ resource, ...parts, property: ownPath(tokenOf(resource), parts.property) })),
            reportMessage: send,
        });
    };
    const onlyType = spec.declaresOnly ? NO_RESOURCE_TYPE : needed?.size === 1 ? [...needed][0] : undefined;
    if (onlyType !== undefined) {
        (validateStack as unknown as { __pulumiType: string }).__pulumiType = onlyType;
    }
    return claim({ ...policyFields(spec), validateStack }, tokensOfShapes(spec.reads));
}

/** The resource's own token: a stack index node's `token`, else its `type`. */
function tokenOf(resource: Located): string {
    return (resource as Located & { token?: string }).token ?? resource.type;
}
