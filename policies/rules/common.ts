/**
 * Shared vocabulary of the `e2e-tls-guard` rule modules: type tokens, preview unknowns, policy
 * config with defaults, and the one message format every violation uses.
 *
 * The pack does not import `@pulumi/aws`: rules match on type tokens and plain property names,
 * which keeps start-up light and lets one rule cover both the `aws:lb/*` and `aws:alb/*` families
 * (`validateResourceOfType(aws.lb.Listener, …)` would silently skip `aws:alb/listener:Listener`).
 */
import { EnforcementLevel, PolicyConfigSchema, ResourceValidationPolicy, Severity } from "@pulumi/policy";

/** Kinds of Elastic Load Balancing v2 resource, each published under two tokens (see {@link LB_TOKENS}). */
export type LbKind =
    | "loadBalancer"
    | "listener"
    | "listenerRule"
    | "listenerCertificate"
    | "targetGroup"
    | "targetGroupAttachment"
    | "trustStore"
    | "trustStoreRevocation";

/**
 * Every type token of each ELBv2 kind. `aws:alb/*` is the older module name of the same AWS
 * resources; `@pulumi/aws` still publishes both, and a rule that knows only one is bypassed by
 * the other. Trust stores exist only under `aws:lb`.
 */
export const LB_TOKENS: { readonly [K in LbKind]: readonly string[] } = {
    loadBalancer: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    listener: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    listenerRule: ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"],
    listenerCertificate: ["aws:lb/listenerCertificate:ListenerCertificate", "aws:alb/listenerCertificate:ListenerCertificate"],
    targetGroup: ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"],
    targetGroupAttachment: ["aws:lb/targetGroupAttachment:TargetGroupAttachment", "aws:alb/targetGroupAttachment:TargetGroupAttachment"],
    trustStore: ["aws:lb/trustStore:TrustStore"],
    trustStoreRevocation: ["aws:lb/trustStoreRevocation:TrustStoreRevocation"],
};

const tokenToKind = new Map<string, LbKind>();
for (const kind of Object.keys(LB_TOKENS) as LbKind[]) {
    for (const token of LB_TOKENS[kind]) {
        tokenToKind.set(token, kind);
    }
}

/**
 * True when `resourceType` is one of the exact tokens of `kind`, in either the `aws:lb` or the
 * `aws:alb` family. Exact comparison only: no prefix matching.
 */
export function isType(resourceType: string, kind: LbKind): boolean {
    return tokenToKind.get(resourceType) === kind;
}

/** The ELBv2 kind of a type token, or `undefined` for any other token. */
export function lbKindOf(resourceType: string): LbKind | undefined {
    return tokenToKind.get(resourceType);
}

/** Type tokens of the non-ELB resources the rules look at. */
export const TOKENS = {
    autoscalingGroup: "aws:autoscaling/group:Group",
    autoscalingAttachment: "aws:autoscaling/attachment:Attachment",
    ecsService: "aws:ecs/service:Service",
    ecsTaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
    instance: "aws:ec2/instance:Instance",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    acmCertificate: "aws:acm/certificate:Certificate",
    acmCertificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    secretsManagerSecret: "aws:secretsmanager/secret:Secret",
    secretsManagerSecretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    kmsKey: "aws:kms/key:Key",
    // What compute needs before it boots, and what trust stores read (deployability rules).
    iamRole: "aws:iam/role:Role",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    iamInstanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    securityGroupEgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    ecrPullThroughCacheRule: "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
    s3Bucket: "aws:s3/bucket:Bucket",
    s3BucketV2: "aws:s3/bucketV2:BucketV2",
    s3BucketObject: "aws:s3/bucketObject:BucketObject",
    s3BucketObjectV2: "aws:s3/bucketObjectv2:BucketObjectv2",
    // @pulumi/aws 7 renamed BucketVersioningV2 to BucketVersioning and still publishes both.
    s3BucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    s3BucketVersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    acmpcaCertificateAuthority: "aws:acmpca/certificateAuthority:CertificateAuthority",
    acmpcaCertificate: "aws:acmpca/certificate:Certificate",
} as const;

/**
 * The sentinels the engine sends for values that are unknown during preview (an id or ARN that
 * only exists after create). The Pulumi CLI marshals every unknown as the string sentinel; the
 * others are accepted for completeness.
 */
export const UNKNOWN_SENTINELS: readonly string[] = [
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (what the CLI sends for any unknown)
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];

/** The string sentinel for an unknown value, as the CLI sends it. */
export const UNKNOWN = UNKNOWN_SENTINELS[0];

const unknownSet = new Set<unknown>(UNKNOWN_SENTINELS);

/**
 * True when `value` is a preview unknown. Pass values read through {@link raw}: reading an
 * unknown through the framework's proxy throws instead, and the framework turns that into an
 * advisory "can't run during preview", which would hide known bad siblings.
 */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && unknownSet.has(value);
}

/** True when `value` is neither `undefined`/`null` nor a preview unknown. */
export function isKnown<T>(value: T | undefined | null): value is T {
    return value !== undefined && value !== null && !isUnknown(value);
}

const proxyTargetKey = "__getSpecialProxyTarget";

/**
 * The plain object behind the framework's unknown-checking proxy, so rules can test values with
 * {@link isUnknown} instead of catching exceptions. Plain objects are returned as they are. In a
 * remediation, secret values stay wrapped in the framework's `Secret`, so that a returned copy
 * keeps them secret.
 */
export function raw<T>(props: T): T {
    let current: any = props;
    // Remediation props are wrapped twice: unknown-checking outside, secret-preserving inside.
    while (current !== null && typeof current === "object") {
        const target = current[proxyTargetKey];
        if (target === undefined || target === current) {
            break;
        }
        current = target;
    }
    return current as T;
}

/** The minimal surface of validation args needed to read a policy's config. */
export interface ConfigSource {
    getConfig<T extends object>(): T;
}

/**
 * The policy's config with `defaults` applied in code. The framework's `getConfig()` returns `{}`
 * unless the engine sent config, so the schema's `default`s alone are not enough; values the
 * engine sent win, `undefined`/`null` fall back to the default.
 */
export function configOf<T extends object>(args: ConfigSource, defaults: T): T {
    const sent = (args.getConfig<Partial<T>>() ?? {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
    for (const [key, value] of Object.entries(sent)) {
        if (value !== undefined && value !== null) {
            merged[key] = value;
        }
    }
    return merged as T;
}

/** A JSON-schema property of a policy config, without its `default` (taken from the defaults object). */
export type ConfigProperty = Omit<PolicyConfigSchema["properties"][string], "default">;

/**
 * A `configSchema` whose `default`s are the same object the code applies through
 * {@link configOf}, so schema and behaviour cannot drift apart.
 */
export function schemaWithDefaults<T extends object>(
    defaults: T,
    properties: { readonly [K in keyof T]: ConfigProperty },
): PolicyConfigSchema {
    const out: PolicyConfigSchema["properties"] = {};
    for (const key of Object.keys(properties) as (keyof T & string)[]) {
        out[key] = { ...properties[key], default: defaults[key] as any };
    }
    return { properties: out };
}

/** Something a message can name: a type token and a logical name. */
export interface Named {
    readonly type: string;
    readonly name: string;
}

/** `Listener "web-https"`: the last segment of the type token and the logical name. */
export function describeResource(resource: Named): string {
    const short = resource.type.split(":").pop() || resource.type;
    return `${short} "${resource.name}"`;
}

/** How a value reads in a message: JSON for known values, words for absent and unknown ones. */
export function describeValue(value: unknown): string {
    if (value === undefined || value === null) {
        return "not set";
    }
    if (isUnknown(value)) {
        return "unknown until apply";
    }
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The parts of a violation message. */
export interface ViolationParts {
    /** The offending resource. */
    readonly resource: Named;
    /** Property path as written in the program, e.g. `defaultActions[0].redirect.protocol`. */
    readonly property: string;
    /** The bad value as found (`undefined` reads as "not set"). */
    readonly value: unknown;
    /** Why the value is bad, phrased to follow "which", e.g. `allows TLS 1.0`. */
    readonly problem: string;
    /** The fix, as an imperative sentence. */
    readonly fix: string;
}

/**
 * The one violation format of the pack:
 * `Listener "web" (aws:lb/listener:Listener): sslPolicy is "ELBSecurityPolicy-2016-08", which allows TLS 1.0. Fix: set sslPolicy to ….`
 */
export function violation(parts: ViolationParts): string {
    const fix = parts.fix.endsWith(".") ? parts.fix : `${parts.fix}.`;
    return `${describeResource(parts.resource)} (${parts.resource.type}): ${parts.property} is ` +
        `${describeValue(parts.value)}, which ${parts.problem}. Fix: ${fix}`;
}

/** `"a", "b" or "c"`: a quoted list for messages. */
export function oneOf(values: readonly string[]): string {
    const quoted = values.map((v) => `"${v}"`);
    return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** `value` as an array: `[]` for absent or unknown, `[value]` for a single object. */
export function asArray<T = any>(value: unknown): T[] {
    if (value === undefined || value === null || isUnknown(value)) {
        return [];
    }
    return Array.isArray(value) ? (value as T[]) : [value as T];
}

/** Upper-cased string value, or `undefined` when absent or unknown (protocols are case-insensitive in AWS). */
export function upper(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value.toUpperCase() : undefined;
}

/**
 * `validate` marked as applying only to stacks holding a resource of `token`: the policy server
 * then skips the policy (and its per-policy unmarshalling of every resource) for other stacks, as
 * `validateStackResourcesOfType` does (`getPulumiType` in @pulumi/policy's server.js). Use only
 * when the rule cannot find anything without such a resource.
 */
export function onlyWithType<F extends Function>(token: string, validate: F): F {
    (validate as unknown as { __pulumiType: string }).__pulumiType = token;
    return validate;
}

/** What a rule's check sees for one resource. */
export interface CheckContext<C extends object> {
    /** The resource under check (type token, logical name, URN). */
    readonly resource: Named & { readonly urn: string };
    /** Its properties as plain data: unknowns appear as sentinels (see {@link isUnknown}). */
    readonly props: Record<string, any>;
    /** The policy's config with defaults applied. */
    readonly config: C;
    /** Reports one violation in the pack's message format. */
    report(parts: Omit<ViolationParts, "resource">): void;
}

/** The declarative shape of a resource rule, turned into a policy by {@link resourceRule}. */
export interface ResourceRuleSpec<C extends object> {
    /** Kebab-case, self-describing policy name. */
    readonly name: string;
    /** What the policy requires and why. */
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly severity?: Severity;
    /** Which type tokens the rule checks; others are skipped without reading their properties. */
    readonly appliesTo: (resourceType: string) => boolean;
    /** Config defaults, applied in code and published as the schema's defaults. */
    readonly defaults: C;
    /** Schema of each config property (its `default` comes from `defaults`). */
    readonly schema: { readonly [K in keyof C]: ConfigProperty };
    /** Remediation steps shown by the Pulumi Cloud console. */
    readonly remediationSteps?: string;
    readonly check: (ctx: CheckContext<C>) => void;
    /**
     * A safe automatic fix: returns the complete new property set, or `undefined` to leave the
     * resource alone. Runs when the policy's level is `remediate`.
     */
    readonly remediate?: (ctx: Omit<CheckContext<C>, "report">) => Record<string, any> | undefined;
}

/**
 * Builds a `ResourceValidationPolicy` from a {@link ResourceRuleSpec}: filters by token, unwraps
 * the unknown-checking proxy, applies config defaults, and formats every report the same way.
 */
export function resourceRule<C extends object>(spec: ResourceRuleSpec<C>): ResourceValidationPolicy {
    const policy: ResourceValidationPolicy = {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        severity: spec.severity,
        remediationSteps: spec.remediationSteps,
        configSchema: schemaWithDefaults(spec.defaults, spec.schema),
        validateResource: (args, reportViolation) => {
            if (!spec.appliesTo(args.type)) {
                return;
            }
            const resource = { type: args.type, name: args.name, urn: args.urn };
            spec.check({
                resource,
                props: raw(args.props),
                config: configOf(args, spec.defaults),
                report: (parts) => reportViolation(violation({ resource, ...parts }), args.urn),
            });
        },
    };
    if (spec.remediate) {
        const remediate = spec.remediate;
        policy.remediateResource = (args) => {
            if (!spec.appliesTo(args.type)) {
                return undefined;
            }
            return remediate({
                resource: { type: args.type, name: args.name, urn: args.urn },
                props: raw(args.props),
                config: configOf(args, spec.defaults),
            });
        };
    }
    return policy;
}
