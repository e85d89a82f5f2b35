/**
 * Every ELBv2 resource rule, on a secure and an insecure resource of each token family it claims
 * (`claimedFamilies`, the README's `families` column): the aws families share aws:lb's property
 * names, `aws-native:elasticloadbalancingv2` has CloudFormation's (`certificates[]`,
 * `redirectConfig`, `healthCheckProtocol`, `loadBalancerAttributes`). The families come from the
 * code, so a family a rule starts to claim fails here until it has its two resources.
 */
import * as assert from "assert";
import { Policy } from "@pulumi/policy";
import { allPolicies } from "../../policies/rules";
import { claimedFamilies, claimedTokens } from "../../policies/framework";
import { LbKind, lbKindOf, tokenFamily } from "../../policies/shared/tokens";
import { assertPasses, assertViolation, CERT_ARN, GOOD_POLICY, resource, TG_ARN, TRUST_STORE_ARN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

type Props = Record<string, any>;
type Shape = "aws" | "native";

const LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
const LISTENER_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/0011223344556677";

/** CloudFormation load balancer attributes (ELBv2 API LoadBalancerAttribute keys), the secure set with `changes` applied (`undefined` drops a key). */
function attributes(changes: Record<string, string | undefined> = {}): { key: string; value: string }[] {
    const all: Record<string, string | undefined> = {
        "routing.http.drop_invalid_header_fields.enabled": "true",
        "access_logs.s3.enabled": "true",
        "access_logs.s3.bucket": "alb-logs",
        "deletion_protection.enabled": "true",
        ...changes,
    };
    return Object.entries(all).filter(([, v]) => v !== undefined).map(([key, value]) => ({ key, value: value! }));
}

/** A resource of each kind that every rule on the kind accepts, in each shape. */
const SECURE: { readonly [K in "loadBalancer" | "listener" | "listenerRule" | "targetGroup"]: Record<Shape, Props> } = {
    loadBalancer: {
        aws: { name: "web-alb", loadBalancerType: "application", dropInvalidHeaderFields: true, accessLogs: { enabled: true, bucket: "alb-logs" }, enableDeletionProtection: true },
        native: { name: "web-alb", type: "application", loadBalancerAttributes: attributes() },
    },
    listener: {
        aws: {
            loadBalancerArn: LB_ARN, port: 443, protocol: "HTTPS", sslPolicy: GOOD_POLICY, certificateArn: CERT_ARN,
            mutualAuthentication: { mode: "verify", trustStoreArn: TRUST_STORE_ARN }, defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }],
        },
        native: {
            loadBalancerArn: LB_ARN, port: 443, protocol: "HTTPS", sslPolicy: GOOD_POLICY, certificates: [{ certificateArn: CERT_ARN }],
            mutualAuthentication: { mode: "verify", trustStoreArn: TRUST_STORE_ARN }, defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }],
        },
    },
    listenerRule: {
        aws: { listenerArn: LISTENER_ARN, priority: 10, actions: [{ type: "redirect", redirect: { protocol: "HTTPS", statusCode: "HTTP_301" } }] },
        native: { listenerArn: LISTENER_ARN, priority: 10, actions: [{ type: "redirect", redirectConfig: { protocol: "HTTPS", statusCode: "HTTP_301" } }] },
    },
    targetGroup: {
        aws: { name: "web-tg", port: 8443, protocol: "HTTPS", targetType: "instance", healthCheck: { protocol: "HTTPS" } },
        native: { name: "web-tg", port: 8443, protocol: "HTTPS", targetType: "instance", healthCheckProtocol: "HTTPS" },
    },
};

/** One rule's insecure change to the secure resource of its kind: aws shape, and aws-native's where the names differ; what its message says. */
interface Case {
    readonly policy: string;
    readonly kind: keyof typeof SECURE;
    readonly aws: Props;
    readonly native?: Props;
    readonly says: string;
}

const { HTTPS_ONLY, RULE_REDIRECT, ALLOWLIST, CERT } = RULES.listeners;
const { PROTOCOL, HEALTH } = RULES["target-groups"];
const { VERIFY, REQUIRED } = RULES.mtls;
const { HEADERS, DESYNC, LOGS, DELETION } = RULES["load-balancers"];
const { NAMES, MTLS } = RULES["deploy-limits"];

const CASES: readonly Case[] = [
    { policy: HTTPS_ONLY, kind: "listener", aws: { protocol: "HTTP", port: 80, mutualAuthentication: undefined }, says: "forwards plaintext HTTP" },
    { policy: RULE_REDIRECT, kind: "listenerRule", aws: { actions: [{ type: "redirect", redirect: { protocol: "HTTP" } }] }, native: { actions: [{ type: "redirect", redirectConfig: { protocol: "HTTP" } }] }, says: "HTTP" },
    { policy: ALLOWLIST, kind: "listener", aws: { sslPolicy: "ELBSecurityPolicy-2016-08" }, says: "allows TLS 1.0" },
    { policy: CERT, kind: "listener", aws: { certificateArn: undefined }, native: { certificates: undefined }, says: "is not set" },
    { policy: PROTOCOL, kind: "targetGroup", aws: { protocol: "HTTP" }, says: 'protocol is "HTTP"' },
    { policy: HEALTH, kind: "targetGroup", aws: { healthCheck: { protocol: "HTTP" } }, native: { healthCheckProtocol: "HTTP" }, says: "HTTP" },
    { policy: VERIFY, kind: "listener", aws: { mutualAuthentication: { mode: "verify" } }, says: "trustStoreArn" },
    { policy: REQUIRED, kind: "listener", aws: { mutualAuthentication: undefined }, says: "mutualAuthentication" },
    { policy: HEADERS, kind: "loadBalancer", aws: { dropInvalidHeaderFields: false }, native: { loadBalancerAttributes: attributes({ "routing.http.drop_invalid_header_fields.enabled": "false" }) }, says: "false" },
    { policy: DESYNC, kind: "loadBalancer", aws: { desyncMitigationMode: "monitor" }, native: { loadBalancerAttributes: attributes({ "routing.http.desync_mitigation_mode": "monitor" }) }, says: "monitor" },
    { policy: LOGS, kind: "loadBalancer", aws: { accessLogs: undefined }, native: { loadBalancerAttributes: attributes({ "access_logs.s3.enabled": undefined, "access_logs.s3.bucket": undefined }) }, says: "access" },
    { policy: DELETION, kind: "loadBalancer", aws: { enableDeletionProtection: false }, native: { loadBalancerAttributes: attributes({ "deletion_protection.enabled": "false" }) }, says: "false" },
    { policy: NAMES, kind: "loadBalancer", aws: { name: "web-application-load-balancer-of-the-tier" }, says: "over the limit of 32" },
    { policy: MTLS, kind: "listener", aws: { mutualAuthentication: { mode: "off", trustStoreArn: TRUST_STORE_ARN } }, says: "trustStoreArn" },
];

const policyOf = (name: string): Policy => {
    const p = allPolicies.find((x) => x.name === name);
    assert.ok(p, `no policy ${name}`);
    return p;
};

/** The token of `kind` in `family` among those `policy` claims. */
const tokenOf = (policy: Policy, kind: LbKind, family: string) => claimedTokens(policy).find((t) => tokenFamily(t) === family && lbKindOf(t) === kind);

describe("every ELBv2 resource rule on each token family it claims", () => {
    const pack = usePackPerTest();

    it("has a case for every resource rule that judges only ELBv2 kinds", () => {
        const elbv2Rules = allPolicies.filter((p) => "validateResource" in p && claimedTokens(p).every((t) => lbKindOf(t) !== undefined)).map((p) => p.name);
        assert.deepStrictEqual(CASES.map((c) => c.policy).sort(), elbv2Rules.sort());
    });

    for (const c of CASES) {
        const policy = policyOf(c.policy);
        for (const family of claimedFamilies(policy)) {
            const shape: Shape = family.startsWith("aws-native:") ? "native" : "aws";
            it(`${c.policy} on ${family}: accepts the secure ${c.kind}, refuses the insecure one naming its own token`, async () => {
                const token = tokenOf(policy, c.kind, family);
                assert.ok(token, `${c.policy} claims ${family} but no ${c.kind} token of it`);
                const secure = SECURE[c.kind][shape];
                assertPasses(await pack().analyze(resource(token, "web", secure)), c.policy);
                const insecure = { ...secure, ...(shape === "native" ? c.native ?? c.aws : c.aws) };
                assertViolation(await pack().analyze(resource(token, "web", insecure)), c.policy, policy.enforcementLevel as "mandatory" | "advisory", `(${token})`, c.says);
            });
        }
    }
});
