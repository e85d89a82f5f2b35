/**
 * Which runs a stack's policy covers (its variants) and where the policy applies (its scope: the
 * account, region, hosted zone, stack tag, IAM path and boundary of one stack).
 */
import { loadStackConfig, privateImageOverrides } from "../engine/run-program";
import { defaultBoundaryPolicyName, stackScope } from "../../components/security/stack-scope";
import { PARTNER_VARIANT_CSR } from "./partner-request";

/** One run of the program: a stack and config overrides. */
export interface Variant {
    readonly stack: string;
    readonly config: Record<string, string>;
}

/**
 * The variants a stack's policy covers: its own configuration with both compute modes, with and
 * without NAT, where the stack's CA is self-managed (the only one that signs revocation lists), a
 * revoked serial (the CRL object and the trust-store revocation), and a bring-your-own-key partner.
 */
export function variants(stack: string): Variant[] {
    const out: Variant[] = [];
    for (const compute of ["asg", "ecs"]) {
        for (const natGateways of ["none", "single"]) {
            const config: Record<string, string> = { "e2e-tls:compute": compute, "e2e-tls:natGateways": natGateways };
            // ECS without NAT pulls only the account's private ECR images (config validation).
            if (compute === "ecs" && natGateways === "none") Object.assign(config, privateImageOverrides(stack));
            out.push({ stack, config });
        }
    }
    if ((loadStackConfig(stack)["e2e-tls:pki"] ?? "self-managed") === "self-managed") {
        out.push({ stack, config: { "e2e-tls:revokedSerials": JSON.stringify(["01"]) } });
    }
    // A bring-your-own-key partner adds its certificate's SSM parameter and renewal rule.
    out.push({ stack, config: { "e2e-tls:mtlsClientCsrs": JSON.stringify([PARTNER_VARIANT_CSR]) } });
    return out;
}

/** Where the policy applies: one stack in one account and region. */
export interface Scope {
    /** 12-digit account id, or "*". */
    readonly account: string;
    /** Region, e.g. "eu-west-1", or "*". */
    readonly region: string;
    /** The project (Pulumi.yaml `name`). */
    readonly project: string;
    readonly stack: string;
    /** The stack's `e2etls:stack` tag value. */
    readonly tagValue: string;
    /** IAM path of the stack's roles and instance profiles. */
    readonly iamPath: string;
    /** ARN (account "*" allowed) of the permissions boundary of the stack's roles. */
    readonly boundaryArn: string;
    /** The stack's Route 53 hosted zone, when it has a domain. */
    readonly hostedZoneId?: string;
}

/**
 * The scope of a stack, from its configuration (Pulumi.yaml defaults, Pulumi.<stack>.yaml, then
 * `overrides` as `pulumi config set` keys them): the hosted zone and the boundary follow the
 * stack's own values.
 */
export function stackPolicyScope(project: string, stack: string, account = "*", region = "*", overrides: Record<string, string> = {}): Scope {
    const config = loadStackConfig(stack, overrides);
    const boundaryArn = config["e2e-tls:permissionsBoundaryArn"]
        || `arn:aws:iam::${account}:policy/${defaultBoundaryPolicyName(project, stack)}`;
    return {
        account, region, project, stack, ...stackScope(project, stack), boundaryArn,
        hostedZoneId: config["e2e-tls:hostedZoneId"] || undefined,
    };
}
