/**
 * Every token family of the ELBv2 resources the pack judges is judged the same: the legacy
 * `aws:elasticloadbalancingv2/*` and `aws:applicationloadbalancing/*` tokens of @pulumi/aws v5 and
 * older (same property names as aws:lb), and `aws-native:elasticloadbalancingv2:*` (CloudFormation
 * shapes, read through policies/framework/shapes.ts). Secure and insecure resources of each.
 */
import * as assert from "assert";
import { assertPasses, assertViolation, CERT_ARN, GOOD_POLICY, of, resource, TG_ARN, TRUST_STORE_ARN, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { HTTPS_ONLY, RULE_REDIRECT, ALLOWLIST, CERT } = RULES.listeners;
const { PROTOCOL, HEALTH } = RULES["target-groups"];
const { VERIFY } = RULES.mtls;
const { HEADERS, DESYNC, LOGS, DELETION } = RULES["load-balancers"];
const { MTLS } = RULES["deploy-limits"];

const LEGACY = ["elasticloadbalancingv2", "applicationloadbalancing"] as const;
const legacy = (family: string, kind: string) => `aws:${family}/${kind}:${kind[0].toUpperCase()}${kind.slice(1)}`;
const NATIVE = (kind: string) => `aws-native:elasticloadbalancingv2:${kind}`;
const LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";

describe("token families of the ELBv2 resources", () => {
    const pack = usePackPerTest();

    for (const family of LEGACY) {
        describe(`@pulumi/aws v5 tokens aws:${family}/*`, () => {
            const listener = (props: Record<string, any> = {}) => resource(legacy(family, "listener"), "web-https", {
                loadBalancerArn: LB_ARN, port: 443, protocol: "HTTPS", sslPolicy: GOOD_POLICY, certificateArn: CERT_ARN,
                defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }], ...props,
            });

            it("accepts an HTTPS listener on an allow-listed policy with a certificate", async () => {
                const result = await pack().analyze(listener());
                for (const p of [HTTPS_ONLY, ALLOWLIST, CERT]) assertPasses(result, p);
            });

            it("refuses an HTTP listener that forwards, a weak policy and a missing certificate", async () => {
                assertViolation(await pack().analyze(listener({ protocol: "HTTP", port: 80 })), HTTPS_ONLY, "mandatory",
                    `Listener "web-https" (${legacy(family, "listener")}): defaultActions[0].type is "forward"`);
                assertViolation(await pack().analyze(listener({ sslPolicy: "ELBSecurityPolicy-2016-08" })), ALLOWLIST, "mandatory", "allows TLS 1.0");
                assertViolation(await pack().analyze(listener({ certificateArn: undefined })), CERT, "mandatory", "certificateArn is not set");
            });

            it("refuses a listener rule that redirects to HTTP", async () => {
                const rule = resource(legacy(family, "listenerRule"), "to-http", { listenerArn: "arn:l", actions: [{ type: "redirect", redirect: { protocol: "HTTP" } }] });
                assertViolation(await pack().analyze(rule), RULE_REDIRECT, "mandatory", `(${legacy(family, "listenerRule")})`);
            });

            it("refuses an HTTP target group and accepts an HTTPS one", async () => {
                const tg = (props: Record<string, any>) => resource(legacy(family, "targetGroup"), "web-tg", { port: 8443, targetType: "instance", ...props });
                assertViolation(await pack().analyze(tg({ protocol: "HTTP", healthCheck: { protocol: "HTTPS" } })), PROTOCOL, "mandatory", `(${legacy(family, "targetGroup")}): protocol is "HTTP"`);
                const good = await pack().analyze(tg({ protocol: "HTTPS", healthCheck: { protocol: "HTTPS" } }));
                assertPasses(good, PROTOCOL);
                assertPasses(good, HEALTH);
            });

            it("refuses a load balancer that forwards invalid header fields", async () => {
                const lb = resource(legacy(family, "loadBalancer"), "web-alb", { loadBalancerType: "application", dropInvalidHeaderFields: false });
                assertViolation(await pack().analyze(lb), HEADERS, "mandatory", `(${legacy(family, "loadBalancer")}): dropInvalidHeaderFields is false`);
            });
        });
    }

    describe("aws-native:elasticloadbalancingv2 (CloudFormation shapes)", () => {
        const listener = (props: Record<string, any> = {}) => resource(NATIVE("Listener"), "web-https", {
            loadBalancerArn: LB_ARN, port: 443, protocol: "HTTPS", sslPolicy: GOOD_POLICY,
            certificates: [{ certificateArn: CERT_ARN }],
            mutualAuthentication: { mode: "verify", trustStoreArn: TRUST_STORE_ARN },
            defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }],
            ...props,
        });

        it("accepts an HTTPS listener with certificates[], an allow-listed policy and mTLS verify", async () => {
            const result = await pack().analyze(listener());
            for (const p of [HTTPS_ONLY, ALLOWLIST, CERT, VERIFY, MTLS]) assertPasses(result, p);
        });

        it("refuses an HTTP listener that forwards, naming the resource by its own token", async () => {
            assertViolation(await pack().analyze(listener({ protocol: "HTTP", port: 80 })), HTTPS_ONLY, "mandatory",
                `Listener "web-https" (${NATIVE("Listener")}): defaultActions[0].type is "forward", which forwards plaintext HTTP`);
        });

        it("refuses an HTTP listener whose redirectConfig keeps HTTP, naming redirectConfig", async () => {
            const l = listener({ protocol: "HTTP", port: 80, defaultActions: [{ type: "redirect", redirectConfig: { protocol: "HTTP", statusCode: "HTTP_301" } }] });
            assertViolation(await pack().analyze(l), HTTPS_ONLY, "mandatory", 'defaultActions[0].redirectConfig.protocol is "HTTP"');
            const ok = listener({ protocol: "HTTP", port: 80, mutualAuthentication: undefined, defaultActions: [{ type: "redirect", redirectConfig: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] });
            assertPasses(await pack().analyze(ok), HTTPS_ONLY);
        });

        it("refuses an omitted or weak sslPolicy and a listener without certificates", async () => {
            assertViolation(await pack().analyze(listener({ sslPolicy: undefined })), ALLOWLIST, "mandatory", "sslPolicy is not set", "ELBSecurityPolicy-2016-08");
            assertViolation(await pack().analyze(listener({ sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" })), ALLOWLIST, "mandatory", "allows TLS 1.0");
            assertViolation(await pack().analyze(listener({ certificates: [] })), CERT, "mandatory", "certificates[0].certificateArn is not set");
        });

        it("reports nothing about the certificate while certificates[] is unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(listener({ certificates: UNKNOWN })), CERT), []);
        });

        it("refuses a verify-mode listener without a trust store or ignoring expiry", async () => {
            assertViolation(await pack().analyze(listener({ mutualAuthentication: { mode: "verify" } })), VERIFY, "mandatory", "mutualAuthentication.trustStoreArn is not set");
            assertViolation(await pack().analyze(listener({ mutualAuthentication: { mode: "verify", trustStoreArn: TRUST_STORE_ARN, ignoreClientCertificateExpiry: true } })),
                VERIFY, "mandatory", "ignoreClientCertificateExpiry is true");
        });

        it("does not apply terraform-provider-aws's own mutualAuthentication checks to CloudFormation shapes", async () => {
            assertPasses(await pack().analyze(listener({ mutualAuthentication: { mode: "off", trustStoreArn: TRUST_STORE_ARN } })), MTLS);
        });

        it("refuses a listener rule whose redirectConfig sends clients to HTTP", async () => {
            const rule = resource(NATIVE("ListenerRule"), "to-http", { listenerArn: "arn:l", priority: 1, conditions: [], actions: [{ type: "redirect", redirectConfig: { protocol: "HTTP" } }] });
            assertViolation(await pack().analyze(rule), RULE_REDIRECT, "mandatory", `ListenerRule "to-http" (${NATIVE("ListenerRule")}): actions[0].redirectConfig.protocol is "HTTP"`);
        });

        describe("target groups", () => {
            const tg = (props: Record<string, any>) => resource(NATIVE("TargetGroup"), "web-tg", { port: 8443, targetType: "instance", vpcId: "vpc-0abc", ...props });

            it("accepts an HTTPS target group with healthCheckProtocol HTTPS", async () => {
                const result = await pack().analyze(tg({ protocol: "HTTPS", healthCheckProtocol: "HTTPS", healthCheckPath: "/healthz" }));
                assertPasses(result, PROTOCOL);
                assertPasses(result, HEALTH);
            });

            it("refuses an HTTP target group", async () => {
                assertViolation(await pack().analyze(tg({ protocol: "HTTP", healthCheckProtocol: "HTTPS" })), PROTOCOL, "mandatory", `(${NATIVE("TargetGroup")}): protocol is "HTTP"`);
            });

            it("refuses an HTTPS target group without healthCheckProtocol, which AWS then checks over HTTP", async () => {
                assertViolation(await pack().analyze(tg({ protocol: "HTTPS", healthCheckEnabled: true, healthCheckPath: "/healthz" })), HEALTH, "mandatory",
                    "healthCheckProtocol is not set", "the default for Application Load Balancers");
            });

            it("accepts a TLS target group without healthCheckProtocol, which AWS checks over TCP", async () => {
                const result = await pack().analyze(tg({ protocol: "TLS", healthCheckEnabled: true }));
                assertPasses(result, PROTOCOL);
                assertPasses(result, HEALTH);
            });

            it("accepts a disabled health check written as the string \"false\"", async () => {
                assertPasses(await pack().analyze(tg({ protocol: "HTTPS", healthCheckEnabled: "false" })), HEALTH);
            });
        });

        describe("load balancers, whose settings are loadBalancerAttributes strings", () => {
            const attrs = (over: Record<string, string> = {}) => Object.entries({
                "routing.http.drop_invalid_header_fields.enabled": "true",
                "routing.http.desync_mitigation_mode": "strictest",
                "access_logs.s3.enabled": "true",
                "access_logs.s3.bucket": "web-alb-logs",
                "deletion_protection.enabled": "true",
                ...over,
            }).map(([key, value]) => ({ key, value }));
            const lb = (props: Record<string, any>) => resource(NATIVE("LoadBalancer"), "web-alb", { type: "application", scheme: "internet-facing", subnets: ["subnet-a", "subnet-b"], ...props });

            it("accepts a hardened application load balancer", async () => {
                const result = await pack().analyze(lb({ loadBalancerAttributes: attrs() }));
                for (const p of [HEADERS, DESYNC, LOGS, DELETION]) assertPasses(result, p);
            });

            it("refuses each weakened attribute, naming the attribute key", async () => {
                assertViolation(await pack().analyze(lb({ loadBalancerAttributes: attrs({ "routing.http.drop_invalid_header_fields.enabled": "false" }) })), HEADERS, "mandatory",
                    `LoadBalancer "web-alb" (${NATIVE("LoadBalancer")}): loadBalancerAttributes[routing.http.drop_invalid_header_fields.enabled] is "false"`);
                assertViolation(await pack().analyze(lb({ loadBalancerAttributes: attrs({ "routing.http.desync_mitigation_mode": "monitor" }) })), DESYNC, "advisory", '"monitor"');
                assertViolation(await pack().analyze(lb({ loadBalancerAttributes: attrs({ "access_logs.s3.enabled": "false" }) })), LOGS, "advisory", "loadBalancerAttributes[access_logs.s3.enabled]");
                assertViolation(await pack().analyze(lb({ loadBalancerAttributes: attrs({ "deletion_protection.enabled": "false" }) })), DELETION, "advisory", "loadBalancerAttributes[deletion_protection.enabled]");
            });

            it("refuses a load balancer without attributes, as AWS then forwards invalid headers", async () => {
                assertViolation(await pack().analyze(lb({})), HEADERS, "mandatory", "is not set");
            });

            it("reports nothing while the attributes are unknown, and does not judge a network load balancer's HTTP settings", async () => {
                assertPasses(await pack().analyze(lb({ loadBalancerAttributes: UNKNOWN })), HEADERS);
                assertPasses(await pack().analyze(lb({ type: "network" })), HEADERS);
            });
        });
    });
});
