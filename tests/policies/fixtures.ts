/**
 * Compliant baseline resources for the policy tests, one change per test on top, plus the mocha
 * hook that runs one pack process per test file.
 */
import * as assert from "assert";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { AnalyzeResult, Diagnostic, PackHandle, ResourceInput, StartPackOptions, startPack, urnOf } from "../../offline/analyzer/harness";

export { UNKNOWN } from "../../offline/analyzer/harness";

/** The two module names `@pulumi/aws` publishes the ELBv2 resources under. */
export const FAMILIES = ["lb", "alb"] as const;
export type Family = (typeof FAMILIES)[number];

const KIND_TOKENS = {
    loadBalancer: "loadBalancer:LoadBalancer",
    listener: "listener:Listener",
    listenerRule: "listenerRule:ListenerRule",
    targetGroup: "targetGroup:TargetGroup",
    targetGroupAttachment: "targetGroupAttachment:TargetGroupAttachment",
} as const;

/** `aws:<family>/<kind>` type token. */
export function token(family: Family, kind: keyof typeof KIND_TOKENS): string {
    return `aws:${family}/${KIND_TOKENS[kind]}`;
}

export const ACCOUNT = "123456789012";
export const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:${ACCOUNT}:${resource}`;
export const ALB_ARN = arn("elasticloadbalancing", "loadbalancer/app/web/50dc6c495c0c9188");
export const TG_ARN = arn("elasticloadbalancing", "targetgroup/web/73e2d6bc24d8a067");
export const CERT_ARN = arn("acm", "certificate/0f4c4b3e-1111-2222-3333-444455556666");
export const TRUST_STORE_ARN = arn("elasticloadbalancing", "truststore/clients/7f3c2e1d0a9b8c7d");
export const GOOD_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";

/** A resource fixture whose props serve as both inputs and outputs. */
export function resource(type: string, name: string, props: Record<string, any>, extra: Partial<ResourceInput> = {}): ResourceInput {
    return { type, name, urn: urnOf(type, name), props, ...extra };
}

/** An HTTPS listener with a certificate, an allow-listed policy, mTLS verify, forwarding to TG_ARN. */
export function httpsListener(props: Record<string, any> = {}, family: Family = "lb", name = "web-https"): ResourceInput {
    return resource(token(family, "listener"), name, {
        loadBalancerArn: ALB_ARN,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: GOOD_POLICY,
        certificateArn: CERT_ARN,
        mutualAuthentication: { mode: "verify", trustStoreArn: TRUST_STORE_ARN, ignoreClientCertificateExpiry: false },
        defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }],
        ...props,
    });
}

/** An HTTP:80 listener whose only default action is a 301 redirect to HTTPS. */
export function httpRedirectListener(props: Record<string, any> = {}, family: Family = "lb", name = "web-http"): ResourceInput {
    return resource(token(family, "listener"), name, {
        loadBalancerArn: ALB_ARN,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        ...props,
    });
}

/** An HTTPS target group with an HTTPS health check on the traffic port. */
export function httpsTargetGroup(props: Record<string, any> = {}, family: Family = "lb", name = "web-tg"): ResourceInput {
    return resource(token(family, "targetGroup"), name, {
        port: 8443,
        protocol: "HTTPS",
        targetType: "instance",
        vpcId: "vpc-0abc",
        healthCheck: { enabled: true, protocol: "HTTPS", path: "/healthz", port: "traffic-port", matcher: "200" },
        ...props,
    });
}

/** A hardened application load balancer. */
export function applicationLoadBalancer(props: Record<string, any> = {}, family: Family = "lb", name = "web-alb"): ResourceInput {
    return resource(token(family, "loadBalancer"), name, {
        loadBalancerType: "application",
        internal: false,
        securityGroups: ["sg-0alb"],
        subnets: ["subnet-a", "subnet-b"],
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "strictest",
        enableDeletionProtection: true,
        accessLogs: { bucket: "web-alb-logs", enabled: true, prefix: "alb" },
        ...props,
    });
}

/**
 * Starts the repository's pack once for the enclosing `describe` and closes it afterwards. The
 * returned function gives the running pack inside tests.
 */
export function usePack(options: StartPackOptions = {}): () => PackHandle {
    let pack: PackHandle | undefined;
    before(async function () {
        this.timeout(120_000);
        pack = await startPack(options);
    });
    after(async () => {
        await pack?.close();
    });
    return () => {
        if (!pack) {
            throw new Error("pack not started");
        }
        return pack;
    };
}

/** {@link usePack} with the pack's config reset to none after each test. */
export function usePackPerTest(options: StartPackOptions = {}): () => PackHandle {
    const pack = usePack(options);
    afterEach(async () => pack().configure({}));
    return pack;
}

/**
 * The messages `policy` reports for one resource when called directly with no config sent, as
 * the SDK does before the engine's first Configure: proves the defaults live in code.
 */
export async function validateUnconfigured(policy: ResourceValidationPolicy, type: string, props: Record<string, any>): Promise<string[]> {
    const messages: string[] = [];
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    const args: any = { type, name: "x", urn: `urn:pulumi:test::e2e-tls::${type}::x`, props, getConfig: () => ({}) };
    for (const validate of validations) {
        await validate(args, (message) => messages.push(message));
    }
    return messages;
}

/** The diagnostics of one policy. */
export function of(result: AnalyzeResult, policyName: string): Diagnostic[] {
    return result.diagnostics.filter((d) => d.policyName === policyName);
}

/** Asserts that `policyName` reported nothing. */
export function assertPasses(result: AnalyzeResult, policyName: string): void {
    const found = of(result, policyName);
    assert.deepStrictEqual(found.map((d) => d.message), [], `expected no ${policyName} violation`);
}

/** Asserts exactly one `policyName` violation at `level` whose message matches every pattern; returns it. */
export function assertViolation(result: AnalyzeResult, policyName: string, level: Diagnostic["enforcementLevel"], ...patterns: (RegExp | string)[]): Diagnostic {
    const found = of(result, policyName);
    assert.strictEqual(found.length, 1, `expected one ${policyName} violation, got: ${JSON.stringify(result.diagnostics.map((d) => [d.policyName, d.message]), null, 1)}`);
    const d = found[0];
    assert.strictEqual(d.enforcementLevel, level, `level of ${policyName}: ${d.message}`);
    for (const p of patterns) {
        if (typeof p === "string") {
            assert.ok(d.message.includes(p), `message should contain ${JSON.stringify(p)}:\n${d.message}`);
        } else {
            assert.match(d.message, p);
        }
    }
    return d;
}

/** Asserts that no diagnostic at all is mandatory. */
export function assertNoMandatory(result: AnalyzeResult): void {
    const bad = result.diagnostics.filter((d) => d.enforcementLevel === "mandatory");
    assert.deepStrictEqual(bad.map((d) => `${d.policyName}: ${d.message}`), []);
}
