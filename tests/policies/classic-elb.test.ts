import * as assert from "assert";
import { assertPasses, assertViolation, CERT_ARN, of, resource, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { LISTENER, BACKEND, NEGOTIATION, BACKEND_AUTH, DEFAULT_POLICY } = RULES["classic-elb"];

/** The three families that publish a Classic Load Balancer, with their listener shapes. */
const LB_FAMILIES = [
    { token: "aws:elb/loadBalancer:LoadBalancer", front: "lbProtocol", port: "lbPort" },
    { token: "aws:elasticloadbalancing/loadBalancer:LoadBalancer", front: "lbProtocol", port: "lbPort" },
    { token: "aws-native:elasticloadbalancing:LoadBalancer", front: "protocol", port: "loadBalancerPort" },
] as const;
type LbFamily = (typeof LB_FAMILIES)[number];

/** A classic load balancer: HTTPS:443 → HTTPS:8443, SSL health check, unless overridden. */
function classicLb(f: LbFamily, listener: Record<string, any> = {}, props: Record<string, any> = {}) {
    return resource(f.token, "web-elb", {
        listeners: [{ [f.front]: "HTTPS", [f.port]: 443, instanceProtocol: "HTTPS", instancePort: 8443, sslCertificateId: CERT_ARN, ...listener }],
        healthCheck: { target: "HTTPS:8443/healthz", interval: 30, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
        ...props,
    });
}

const POLICY_TOKENS = ["aws:elb/loadBalancerPolicy:LoadBalancerPolicy", "aws:elasticloadbalancing/loadBalancerPolicy:LoadBalancerPolicy"];
const NEGOTIATION_TOKENS = ["aws:elb/sslNegotiationPolicy:SslNegotiationPolicy", "aws:elasticloadbalancing/sslNegotiationPolicy:SslNegotiationPolicy"];

function negotiationPolicy(token: string, attributes: { name: string; value: string }[]) {
    return token.includes("sslNegotiationPolicy")
        ? resource(token, "tls", { loadBalancer: "web-elb", lbPort: 443, attributes })
        : resource(token, "tls", { loadBalancerName: "web-elb", policyName: "tls", policyTypeName: "SSLNegotiationPolicyType", policyAttributes: attributes });
}

describe("classic load balancer policies", () => {
    const pack = usePackPerTest();

    for (const f of LB_FAMILIES) {
        describe(`${f.token}`, () => {
            it("accepts HTTPS to clients, HTTPS to the instances and an HTTPS health check", async () => {
                const result = await pack().analyze(classicLb(f));
                for (const name of [LISTENER, BACKEND, NEGOTIATION, BACKEND_AUTH]) {
                    assertPasses(result, name);
                }
            });

            it("refuses an HTTP listener, which serves clients in plaintext", async () => {
                assertViolation(await pack().analyze(classicLb(f, { [f.front]: "http" })), LISTENER, "mandatory",
                    `listeners[0].${f.front} is "http"`, "accepts clients in plaintext");
            });

            it("refuses a TCP listener unless TLS pass-through is allowed by config", async () => {
                const tcp = classicLb(f, { [f.front]: "TCP", instanceProtocol: "SSL" });
                assertViolation(await pack().analyze(tcp), LISTENER, "mandatory", "without TLS the pack can verify");
                await pack().configure({ [LISTENER]: { allowTcpPassthrough: true } });
                assertPasses(await pack().analyze(tcp), LISTENER);
            });

            it("refuses an HTTP back end behind an HTTPS listener", async () => {
                assertViolation(await pack().analyze(classicLb(f, { instanceProtocol: "HTTP" })), BACKEND, "mandatory",
                    'listeners[0].instanceProtocol is "HTTP"', "without TLS");
            });

            it("refuses HTTP and TCP health checks and accepts SSL ones", async () => {
                for (const target of ["HTTP:80/", "TCP:8443"]) {
                    assertViolation(await pack().analyze(classicLb(f, {}, { healthCheck: { target } })), BACKEND, "mandatory",
                        `healthCheck.target is "${target}"`);
                }
                assertPasses(await pack().analyze(classicLb(f, {}, { healthCheck: { target: "SSL:8443" } })), BACKEND);
            });

            it("reports nothing while a listener's protocols or the health check are unknown in preview", async () => {
                const result = await pack().analyze(classicLb(f, { [f.front]: UNKNOWN, instanceProtocol: UNKNOWN }, { healthCheck: { target: UNKNOWN } }));
                assert.deepStrictEqual([...of(result, LISTENER), ...of(result, BACKEND)], []);
            });
        });
    }

    describe(NEGOTIATION, () => {
        for (const token of [...POLICY_TOKENS, ...NEGOTIATION_TOKENS]) {
            it(`accepts a reference to ELBSecurityPolicy-TLS-1-2-2017-01 and refuses ELBSecurityPolicy-2016-08 (${token})`, async () => {
                assertPasses(await pack().analyze(negotiationPolicy(token, [{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" }])), NEGOTIATION);
                assertViolation(await pack().analyze(negotiationPolicy(token, [{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-2016-08" }])), NEGOTIATION, "mandatory",
                    "allows TLS 1.0", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
            });

            it(`refuses a custom policy that enables SSLv3 or TLS 1.0 (${token})`, async () => {
                const result = await pack().analyze(negotiationPolicy(token, [
                    { name: "Protocol-TLSv1.2", value: "true" }, { name: "Protocol-SSLv3", value: "true" }, { name: "Protocol-TLSv1", value: "false" },
                ]));
                assertViolation(result, NEGOTIATION, "mandatory", "enables SSLv3", 'set Protocol-SSLv3 to "false"');
            });
        }

        it("ignores load balancer policies of other types", async () => {
            const stickiness = resource(POLICY_TOKENS[0], "sticky", { loadBalancerName: "web-elb", policyName: "s", policyTypeName: "LBCookieStickinessPolicyType", policyAttributes: [{ name: "Protocol-SSLv3", value: "true" }] });
            assertPasses(await pack().analyze(stickiness), NEGOTIATION);
        });

        it("judges CloudFormation policies and predefined policies named by listeners (aws-native)", async () => {
            const f = LB_FAMILIES[2];
            const weak = classicLb(f, { policyNames: ["ELBSecurityPolicy-2015-05"] }, {
                policies: [{ policyName: "tls", policyType: "SSLNegotiationPolicyType", attributes: [{ Name: "Protocol-TLSv1", Value: "true" }] }],
            });
            const found = of(await pack().analyze(weak), NEGOTIATION).map((d) => d.message);
            assert.strictEqual(found.length, 2, JSON.stringify(found));
            assert.ok(found.some((m) => m.includes("policies[0].attributes[0]") && m.includes("enables TLSv1")), found.join("\n"));
            assert.ok(found.some((m) => m.includes("listeners[0].policyNames[0]") && m.includes("allows TLS 1.0")), found.join("\n"));
        });

        it("judges predefined policies attached by aws:elb/listenerPolicy", async () => {
            const lp = resource("aws:elb/listenerPolicy:ListenerPolicy", "lp", { loadBalancerName: "web-elb", loadBalancerPort: 443, policyNames: ["ELBSecurityPolicy-TLS-1-1-2017-01"] });
            assertViolation(await pack().analyze(lp), NEGOTIATION, "mandatory", "policyNames[0]", "allows TLS 1.1");
        });
    });

    describe(BACKEND_AUTH, () => {
        it("refuses a back-end authentication policy without a public key policy, and accepts one with it", async () => {
            const auth = (attributes: unknown[]) => resource(POLICY_TOKENS[0], "backend-auth", { loadBalancerName: "web-elb", policyName: "auth", policyTypeName: "BackendServerAuthenticationPolicyType", policyAttributes: attributes });
            assertViolation(await pack().analyze(auth([])), BACKEND_AUTH, "mandatory", "authenticates no back-end certificate");
            assertPasses(await pack().analyze(auth([{ name: "PublicKeyPolicyName", value: "backend-ca" }])), BACKEND_AUTH);
        });
    });

    describe(DEFAULT_POLICY, () => {
        const lb = (f: LbFamily, listener: Record<string, any> = {}) => classicLb(f, listener, { name: "web-elb" });
        const strong = resource(POLICY_TOKENS[0], "tls", { loadBalancerName: "web-elb", policyName: "tls", policyTypeName: "SSLNegotiationPolicyType", policyAttributes: [{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" }] });
        const attach = (props: Record<string, any>) => resource("aws:elb/listenerPolicy:ListenerPolicy", "tls-443", { loadBalancerName: "web-elb", loadBalancerPort: 443, policyNames: ["tls"], ...props });

        for (const f of LB_FAMILIES.slice(0, 2)) {
            it(`refuses an HTTPS listener without a negotiation policy, which gets ELBSecurityPolicy-2016-08 (${f.token})`, async () => {
                assertViolation(await pack().analyzeStack([lb(f)]), DEFAULT_POLICY, "mandatory",
                    `LoadBalancer "web-elb" (${f.token}): listeners[0]`, "AWS applies ELBSecurityPolicy-2016-08, which allows TLS 1.0");
            });

            it(`accepts a listener policy or an SSL negotiation policy on the listener's port (${f.token})`, async () => {
                assertPasses(await pack().analyzeStack([lb(f), strong, attach({})]), DEFAULT_POLICY);
                const negotiation = resource(NEGOTIATION_TOKENS[0], "tls", { loadBalancer: "web-elb", lbPort: 443, attributes: [{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" }] });
                assertPasses(await pack().analyzeStack([lb(f), negotiation]), DEFAULT_POLICY);
            });
        }

        it("refuses when the only listener policy sits on another port or another load balancer", async () => {
            const f = LB_FAMILIES[0];
            assertViolation(await pack().analyzeStack([lb(f), strong, attach({ loadBalancerPort: 8443 })]), DEFAULT_POLICY, "mandatory", "listeners[0]");
            assertViolation(await pack().analyzeStack([lb(f), strong, attach({ loadBalancerName: "other-elb" })]), DEFAULT_POLICY, "mandatory", "listeners[0]");
        });

        it("refuses an aws-native HTTPS listener without policyNames and accepts one with them", async () => {
            const f = LB_FAMILIES[2];
            assertViolation(await pack().analyzeStack([classicLb(f)]), DEFAULT_POLICY, "mandatory", "listeners[0].policyNames is not set");
            assertPasses(await pack().analyzeStack([classicLb(f, { policyNames: ["tls"] })]), DEFAULT_POLICY);
        });

        it("reports nothing while an attachment's load balancer is unknown in preview, or for HTTP listeners", async () => {
            const f = LB_FAMILIES[0];
            assertPasses(await pack().analyzeStack([lb(f), attach({ loadBalancerName: UNKNOWN })]), DEFAULT_POLICY);
            assertPasses(await pack().analyzeStack([lb(f, { lbProtocol: "HTTP" })]), DEFAULT_POLICY);
        });
    });
});
