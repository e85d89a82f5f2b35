/**
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
import { EnforcementLevel, Policy, PolicyComplianceFramework, Severity } from "@pulumi/policy";
import { ConfigOf, defaultsOf, Params, schemaOf } from "./config";
import { EXEMPTIONS_KEY, exemptionsParam, ExemptionDecision, matchExemption } from "./exemptions";
import { familiesOf } from "../shared/tokens";

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
 * The token families a policy claims (../shared/tokens/ `tokenFamily`): what the README's
 * `families` column and the SARIF rule metadata list. Empty for a policy that reads no resource.
 */
export function claimedFamilies(policy: Policy): string[] {
    return familiesOf(claimedTokens(policy));
}
