/**
 * Deployability, per resource: values the provider or the AWS API refuse at apply time although a
 * preview accepts them (name limits, user data size, mTLS field combinations, ECS secret references).
 */
import { Policies } from "@pulumi/policy";
import { LB_TOKENS, lbKindOf, TOKENS } from "../shared/tokens";
import { asArray, CheckContext, integer, isKnown, isUnknown, resourceRule } from "../framework";
import { containerDefinitions } from "./deploy-graph";
import { listenerProtocol, verifyOnlyFields } from "./elb";
import { isMtlsMode, MTLS_MODES } from "../shared/mtls-modes";

// ------------------------------------------------------------------------------------------------
// ec2-user-data-within-limit
// ------------------------------------------------------------------------------------------------

/** EC2 user data limit, in bytes of the raw (decoded) data (EC2 user guide, "Run commands when you launch an EC2 instance with user data input"). */
export const USER_DATA_MAX_BYTES = 16 * 1024;

/** Raw user data size of a launch template (base64 `userData`), an instance or a launch configuration (raw `userData` or `userDataBase64`). */
function userDataSizes(type: string, props: Record<string, any>): { property: string; bytes: number }[] {
    const out: { property: string; bytes: number }[] = [];
    const decoded = (v: unknown) => Buffer.from(String(v), "base64").length;
    const plain = (v: unknown) => Buffer.byteLength(String(v), "utf8");
    if (isKnown(props.userData) && typeof props.userData === "string") {
        out.push({ property: "userData", bytes: type === TOKENS.launchTemplate ? decoded(props.userData) : plain(props.userData) });
    }
    if (type !== TOKENS.launchTemplate && isKnown(props.userDataBase64) && typeof props.userDataBase64 === "string") {
        out.push({ property: "userDataBase64", bytes: decoded(props.userDataBase64) });
    }
    return out;
}

function checkUserData({ resource, props, config, report }: CheckContext<{ maxBytes: number }>): void {
    for (const { property, bytes } of userDataSizes(resource.type, props)) {
        if (bytes > config.maxBytes) {
            report({
                property,
                value: `${bytes} bytes decoded`,
                problem: `is over the EC2 user data limit of ${config.maxBytes} bytes (raw, before base64), so RunInstances refuses it`,
                fix: "move the bulk out of user data (fetch it from S3 or SSM at boot) or compress it with gzip, which cloud-init unpacks",
            });
        }
    }
}

// ------------------------------------------------------------------------------------------------
// elb-names-within-limits
// ------------------------------------------------------------------------------------------------

/** ELBv2 name limits as the provider validates them (hashicorp/terraform-provider-aws internal/service/elbv2/validate.go). */
export const ELB_NAME_MAX = 32;
export const ELB_NAME_PREFIX_MAX = 6;

function checkNames({ resource, family, props, report }: CheckContext<object>): void {
    const kind = lbKindOf(resource.type);
    // The ELBv2 API reserves "internal-" in load balancer names (CreateLoadBalancer Name); the
    // provider also in trust store names, which CreateTrustStore's Name pattern allows.
    const byProvider = family === "aws";
    const noInternal = kind === "loadBalancer" || (kind === "trustStore" && byProvider);
    const problems = (value: string, prefix: boolean): string[] => {
        const out: string[] = [];
        const max = prefix ? ELB_NAME_PREFIX_MAX : ELB_NAME_MAX;
        if (value.length > max) out.push(`is ${value.length} characters, over the limit of ${max}`);
        if (!/^[0-9A-Za-z-]+$/.test(value)) out.push("has characters other than letters, digits and hyphens");
        if (value.startsWith("-")) out.push("starts with a hyphen");
        if (!prefix && value.endsWith("-")) out.push("ends with a hyphen");
        if (noInternal && value.startsWith("internal-")) out.push('starts with "internal-", which AWS reserves');
        return out;
    };
    for (const [property, prefix] of [["name", false], ["namePrefix", true]] as const) {
        const value = props[property];
        if (typeof value !== "string" || isUnknown(value) || value === "") {
            continue;
        }
        const found = problems(value, prefix);
        if (found.length > 0) {
            report({
                property, value,
                problem: `${found.join(" and ")} (${byProvider ? "the provider refuses it before calling AWS" : "the ELBv2 API refuses it when the resource is created"})`,
                fix: `use at most ${prefix ? ELB_NAME_PREFIX_MAX : ELB_NAME_MAX} letters, digits and hyphens, not starting${prefix ? "" : " or ending"} with a hyphen` +
                    (noInternal ? ', and not starting with "internal-"' : "") + "; Pulumi's auto-name adds 8 characters to the logical name",
            });
        }
    }
}

// ------------------------------------------------------------------------------------------------
// alb-listener-mtls-fields-valid
// ------------------------------------------------------------------------------------------------

function checkMtlsFields({ props, report }: CheckContext<object>): void {
    const ma = props.mutualAuthentication;
    if (!isKnown(ma) || typeof ma !== "object" || isUnknown(ma.mode)) {
        return;
    }
    const mode = typeof ma.mode === "string" ? ma.mode.toLowerCase() : undefined;
    if (mode === undefined || !isMtlsMode(mode)) {
        report({ property: "mutualAuthentication.mode", value: ma.mode, problem: `is not one of ${MTLS_MODES.join(", ")}, which the provider requires`, fix: 'set mode to "verify", "passthrough" or "off"' });
        return;
    }
    const protocol = listenerProtocol(props);
    if (mode !== "off" && protocol !== undefined && protocol !== "HTTPS") {
        report({ property: "protocol", value: props.protocol, problem: `carries mutual TLS mode "${mode}", which ALB supports only on HTTPS listeners`, fix: 'use protocol "HTTPS" or remove mutualAuthentication' });
    }
    if (mode !== "verify") {
        for (const field of verifyOnlyFields(ma)) {
            report({
                property: `mutualAuthentication.${field}`, value: ma[field],
                problem: `is set while mode is "${mode}"; the provider accepts it only with mode "verify" (terraform-provider-aws 6.0, #42326)`,
                fix: `remove ${field}, or set mode to "verify"`,
            });
        }
    } else if (!isUnknown(ma.trustStoreArn) && !(typeof ma.trustStoreArn === "string" && ma.trustStoreArn !== "")) {
        report({ property: "mutualAuthentication.trustStoreArn", value: ma.trustStoreArn, problem: 'is required with mode "verify" (terraform-provider-aws 6.0, #42326)', fix: "set trustStoreArn to an aws.lb.TrustStore's arn" });
    }
    const advertise = ma.advertiseTrustStoreCaNames;
    if (isKnown(advertise) && advertise !== "on" && advertise !== "off") {
        report({ property: "mutualAuthentication.advertiseTrustStoreCaNames", value: advertise, problem: 'is not "on" or "off"', fix: 'set it to "on" or "off"' });
    }
}

// ------------------------------------------------------------------------------------------------
// ecs-secret-references-full-arn
// ------------------------------------------------------------------------------------------------

/** Colon-separated fields of a Secrets Manager ARN, bare and with `:json-key:version-stage:version-id`. */
const SECRET_ARN_FIELDS = [7, 10];

/** Why a `valueFrom` would fail, or `undefined` when ECS accepts it. */
export function valueFromProblem(valueFrom: string): string | undefined {
    if (!valueFrom.startsWith("arn:")) {
        return valueFrom.includes(":")
            ? "names a secret with a JSON key or version but not by its full ARN; ECS resolves such references only from the full ARN"
            : undefined; // A bare name is a Systems Manager parameter of the same Region, which ECS accepts.
    }
    const parts = valueFrom.split(":");
    if (parts[2] !== "secretsmanager") {
        return undefined;
    }
    if (parts[5] !== "secret" || !SECRET_ARN_FIELDS.includes(parts.length)) {
        return "is not a Secrets Manager ARN ECS can resolve: arn:<partition>:secretsmanager:<region>:<account>:secret:<name-suffix>[:<json-key>:<version-stage>:<version-id>]";
    }
    return undefined;
}

function checkSecretRefs({ props, report }: CheckContext<object>): void {
    (containerDefinitions(props) ?? []).forEach((c, i) => {
        const refs = [
            ...asArray(c?.secrets).map((s, j) => ({ path: `containerDefinitions[${i}].secrets[${j}].valueFrom`, v: s?.valueFrom })),
            ...asArray(c?.logConfiguration?.secretOptions).map((s, j) => ({ path: `containerDefinitions[${i}].logConfiguration.secretOptions[${j}].valueFrom`, v: s?.valueFrom })),
        ];
        for (const { path, v } of refs) {
            const problem = typeof v === "string" && !isUnknown(v) ? valueFromProblem(v) : undefined;
            if (problem) {
                report({ property: path, value: v, problem, fix: "pass the secret's full arn (aws.secretsmanager.Secret.arn), followed by :<json-key>:<version-stage>:<version-id> to pick a key or version" });
            }
        }
    });
}

export const policies: Policies = [
    resourceRule({
        name: "ec2-user-data-within-limit",
        description: "Launch template, instance and launch configuration user data is at most 16 KB raw (launch templates carry it base64-encoded and are decoded first). " +
            "EC2 refuses larger user data at launch (EC2 user guide, user data: 16 KB in raw form, before base64 encoding).",
        enforcementLevel: "advisory",
        severity: "medium",
        appliesTo: [TOKENS.launchTemplate, TOKENS.instance, TOKENS.launchConfiguration],
        config: { maxBytes: integer(USER_DATA_MAX_BYTES, "Largest raw user data accepted, in bytes (EC2's limit is 16384).", { minimum: 1 }) },
        check: checkUserData,
    }),
    resourceRule({
        name: "elb-names-within-limits",
        description: "Load balancer, target group and trust store names of every ELBv2 family (aws:lb, aws:alb, the v5 aws:elasticloadbalancingv2 and aws:applicationloadbalancing, aws-native:elasticloadbalancingv2) " +
            "are at most 32 letters, digits and hyphens, neither starting nor ending with a hyphen, and load balancer names do not start with \"internal-\" (nor trust store names of the aws families); " +
            "namePrefix (aws families) is at most 6 characters. terraform-provider-aws refuses anything else before calling AWS (hashicorp/terraform-provider-aws internal/service/elbv2/validate.go); " +
            "for aws-native resources the ELBv2 API refuses the same names (CreateLoadBalancer, CreateTargetGroup and CreateTrustStore, Name).",
        enforcementLevel: "advisory",
        severity: "low",
        appliesTo: [...LB_TOKENS.loadBalancer, ...LB_TOKENS.targetGroup, ...LB_TOKENS.trustStore],
        check: checkNames,
    }),
    resourceRule({
        name: "alb-listener-mtls-fields-valid",
        description: "A listener's mutualAuthentication is a combination the provider and the ELBv2 API accept: mode off, passthrough or verify; trustStoreArn, ignoreClientCertificateExpiry and advertiseTrustStoreCaNames only with verify, and trustStoreArn required with it " +
            "(terraform-provider-aws 6.0 CHANGELOG, hashicorp/terraform-provider-aws#42326); mutual TLS only on HTTPS listeners (ALB user guide, \"Mutual authentication with TLS\").",
        enforcementLevel: "advisory",
        severity: "medium",
        appliesTo: LB_TOKENS.listener,
        otherFamilies: false,
        check: checkMtlsFields,
    }),
    resourceRule({
        name: "ecs-secret-references-full-arn",
        description: "ECS task definition secrets (containerDefinitions[].secrets and logConfiguration.secretOptions) name Secrets Manager secrets by their full ARN, with a JSON key or version only as the ARN's :<json-key>:<version-stage>:<version-id> suffix: " +
            "the ECS API accepts \"the full ARN of the Secrets Manager secret or the full ARN of the parameter\" (a bare name only for a same-Region SSM parameter); other forms fail when the task starts (ECS API reference, Secret.valueFrom).",
        enforcementLevel: "advisory",
        severity: "medium",
        appliesTo: [TOKENS.ecsTaskDefinition],
        check: checkSecretRefs,
    }),
];
