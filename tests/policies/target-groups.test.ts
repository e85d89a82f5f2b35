import * as assert from "assert";
import { assertPasses, assertViolation, FAMILIES, httpsTargetGroup, of, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { PROTOCOL, HEALTH } = RULES["target-groups"];

describe("target group policies", () => {
    const pack = usePackPerTest();

    describe(PROTOCOL, () => {
        for (const family of FAMILIES) {
            it(`accepts an HTTPS target group (aws:${family})`, async () => {
                assertPasses(await pack().analyze(httpsTargetGroup({}, family)), PROTOCOL);
            });

            it(`refuses an HTTP target group (aws:${family})`, async () => {
                assertViolation(await pack().analyze(httpsTargetGroup({ protocol: "HTTP" }, family)), PROTOCOL, "mandatory",
                    `TargetGroup "web-tg" (aws:${family}/targetGroup:TargetGroup)`, 'protocol is "HTTP"', 'set protocol to "HTTPS"');
            });
        }

        it("refuses a target group without a protocol, which AWS treats as HTTP", async () => {
            assertViolation(await pack().analyze(httpsTargetGroup({ protocol: undefined })), PROTOCOL, "mandatory", "protocol is not set", "makes AWS use HTTP");
        });

        it("accepts a TLS target group of a Network Load Balancer", async () => {
            assertPasses(await pack().analyze(httpsTargetGroup({ protocol: "TLS", healthCheck: { protocol: "TCP" } })), PROTOCOL);
        });

        it("refuses TCP unless TLS pass-through is allowed by config", async () => {
            const tcp = httpsTargetGroup({ protocol: "TCP", healthCheck: { protocol: "TCP" } });
            assertViolation(await pack().analyze(tcp), PROTOCOL, "mandatory", 'protocol is "TCP"');
            await pack().configure({ [PROTOCOL]: { allowTcpPassthrough: true } });
            assertPasses(await pack().analyze(tcp), PROTOCOL);
        });

        it("exempts Lambda target groups, which have no protocol", async () => {
            const lambda = httpsTargetGroup({ targetType: "lambda", protocol: undefined, port: undefined, healthCheck: undefined });
            const result = await pack().analyze(lambda);
            assertPasses(result, PROTOCOL);
            assertPasses(result, HEALTH);
        });

        it("reports nothing while the protocol is unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(httpsTargetGroup({ protocol: UNKNOWN })), PROTOCOL), []);
        });
    });

    describe(HEALTH, () => {
        for (const family of FAMILIES) {
            it(`refuses an HTTPS target group whose health check protocol is omitted, as AWS then uses HTTP (aws:${family})`, async () => {
                assertViolation(await pack().analyze(httpsTargetGroup({ healthCheck: { path: "/healthz", port: "traffic-port" } }, family)), HEALTH, "mandatory",
                    `TargetGroup "web-tg" (aws:${family}/targetGroup:TargetGroup)`, "healthCheck.protocol is not set", "plaintext HTTP", 'set healthCheck.protocol to "HTTPS"');
            });
        }

        it("refuses a target group with no healthCheck block at all", async () => {
            assertViolation(await pack().analyze(httpsTargetGroup({ healthCheck: undefined })), HEALTH, "mandatory", "healthCheck.protocol is not set");
        });

        it("refuses an explicit HTTP health check", async () => {
            assertViolation(await pack().analyze(httpsTargetGroup({ healthCheck: { protocol: "HTTP", path: "/" } })), HEALTH, "mandatory",
                'healthCheck.protocol is "HTTP"', "in plaintext");
        });

        it("accepts an HTTPS health check and a TCP connect check on a TLS target group, explicit or AWS's default without a healthCheck block", async () => {
            assertPasses(await pack().analyze(httpsTargetGroup()), HEALTH);
            assertPasses(await pack().analyze(httpsTargetGroup({ protocol: "TLS", healthCheck: { protocol: "TCP" } })), HEALTH);
            assertPasses(await pack().analyze(httpsTargetGroup({ protocol: "TLS", healthCheck: undefined })), HEALTH);
        });

        it("refuses a TLS target group whose healthCheck block leaves protocol out, as the provider then sends HTTP", async () => {
            assertViolation(await pack().analyze(httpsTargetGroup({ protocol: "TLS", healthCheck: {} })), HEALTH, "mandatory",
                "healthCheck.protocol is not set", "a healthCheck block without protocol defaults to HTTP, even on a TLS target group");
        });

        it("reports nothing while the health check is unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(httpsTargetGroup({ healthCheck: { protocol: UNKNOWN } })), HEALTH), []);
            assert.deepStrictEqual(of(await pack().analyze(httpsTargetGroup({ healthCheck: UNKNOWN })), HEALTH), []);
        });

        it("can be lowered to advisory by config", async () => {
            await pack().configure({ [HEALTH]: "advisory" });
            assertViolation(await pack().analyze(httpsTargetGroup({ healthCheck: { protocol: "HTTP" } })), HEALTH, "advisory");
        });

        it("remediates an omitted health check protocol on the traffic port to HTTPS", async () => {
            await pack().configure({ [HEALTH]: "remediate" });
            const { remediations } = await pack().remediate(httpsTargetGroup({ healthCheck: { path: "/healthz", matcher: "200" } }, "alb"));
            assert.strictEqual(remediations.length, 1);
            assert.deepStrictEqual(remediations[0].properties?.healthCheck, { path: "/healthz", matcher: "200", protocol: "HTTPS" });
            assert.strictEqual(remediations[0].properties?.protocol, "HTTPS");
        });

        it("leaves an explicit HTTP health check or one on another port to a human", async () => {
            await pack().configure({ [HEALTH]: "remediate" });
            assert.deepStrictEqual((await pack().remediate(httpsTargetGroup({ healthCheck: { protocol: "HTTP" } }))).remediations, []);
            assert.deepStrictEqual((await pack().remediate(httpsTargetGroup({ healthCheck: { port: "8080" } }))).remediations, []);
        });
    });
});
