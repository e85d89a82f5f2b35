import * as assert from "assert";
import { assertPasses, assertViolation, of, UNKNOWN, usePackPerTest } from "./fixtures";
import { A, ingress, INGRESS_TOKENS, preview, S, service, SERVICE_TOKEN } from "./fixtures-k8s";
import { RULES } from "./names";

const { INGRESS, INGRESS_BACKEND, SERVICE, SERVICE_BACKEND } = RULES.kubernetes;

describe("Kubernetes load balancer policies", () => {
    const pack = usePackPerTest();

    for (const token of INGRESS_TOKENS) {
        describe(`ALB Ingress (${token})`, () => {
            it("accepts HTTPS with ssl-redirect, an allow-listed policy, HTTPS back ends and mTLS verify with a trust store", async () => {
                const result = await preview(pack(), [ingress(token)]);
                assertPasses(result, INGRESS);
                assertPasses(result, INGRESS_BACKEND);
            });

            it("refuses an HTTP listen port without ssl-redirect", async () => {
                const plain = ingress(token, {}, {}, [`${A}ssl-redirect`]);
                assertViolation(await preview(pack(), [plain]), INGRESS, "mandatory", "serve HTTP:80 in plaintext", "ssl-redirect");
            });

            it("refuses the controller's default listener (HTTP:80) on an Ingress without certificate", async () => {
                const bare = ingress(token, {}, {}, [`${A}listen-ports`, `${A}ssl-redirect`, `${A}certificate-arn`]);
                assertViolation(await preview(pack(), [bare]), INGRESS, "mandatory", "HTTP:80");
            });

            it("refuses the omitted ssl-policy (ELBSecurityPolicy-2016-08) and a TLS 1.0 one", async () => {
                const omitted = ingress(token, {}, {}, [`${A}ssl-policy`]);
                assertViolation(await preview(pack(), [omitted]), INGRESS, "mandatory", "ELBSecurityPolicy-2016-08", "allows TLS 1.0");
                assertViolation(await preview(pack(), [ingress(token, { [`${A}ssl-policy`]: "ELBSecurityPolicy-TLS13-1-0-2021-06" })]), INGRESS, "mandatory", "allows TLS 1.0");
            });

            it("refuses mutual-authentication verify without a trust store", async () => {
                assertViolation(await preview(pack(), [ingress(token, { [`${A}mutual-authentication`]: '[{"port": 443, "mode": "verify"}]' })]), INGRESS, "mandatory",
                    "verifies client certificates against no trust store");
            });

            it("refuses HTTP back ends and HTTP health checks, explicit or by the controller's default", async () => {
                const found = of(await preview(pack(), [ingress(token, { [`${A}backend-protocol`]: undefined, [`${A}healthcheck-protocol`]: "HTTP" })]), INGRESS_BACKEND);
                assert.deepStrictEqual(found.map((d) => d.enforcementLevel), ["mandatory", "mandatory"], JSON.stringify(found));
                assert.match(found[0].message, /backend-protocol.*is not set.*forwards requests to the pods over plaintext HTTP \(the controller's default\)/);
                assert.match(found[1].message, /healthcheck-protocol.*is "HTTP"/);
            });
        });
    }

    it("leaves Ingresses of other controllers alone, and judges a configured class name", async () => {
        const nginx = ingress(INGRESS_TOKENS[0], { [`${A}backend-protocol`]: "HTTP" }, { ingressClassName: "nginx" });
        assertPasses(await preview(pack(), [nginx]), INGRESS_BACKEND);
        await pack().configure({ [INGRESS_BACKEND]: { ingressClasses: ["nginx"] } });
        assertViolation(await preview(pack(), [nginx]), INGRESS_BACKEND, "mandatory", '"HTTP"');
    });

    it("reads the legacy kubernetes.io/ingress.class annotation", async () => {
        const legacy = ingress(INGRESS_TOKENS[2], { "kubernetes.io/ingress.class": "alb", [`${A}backend-protocol`]: "HTTP" }, { ingressClassName: undefined });
        assertViolation(await preview(pack(), [legacy]), INGRESS_BACKEND, "mandatory", '"HTTP"');
    });

    describe(`LoadBalancer Service (${SERVICE_TOKEN})`, () => {
        it("accepts TLS on every port, an allow-listed policy and TLS to the pods", async () => {
            const result = await pack().analyze(service());
            assertPasses(result, SERVICE);
            assertPasses(result, SERVICE_BACKEND);
        });

        it("refuses a Service without a certificate, whose ports get plain TCP listeners, unless pass-through is allowed", async () => {
            const tcp = service({ [`${S}ssl-cert`]: undefined });
            assertViolation(await pack().analyze(tcp), SERVICE, "mandatory", "spec.ports[0]", "plain TCP listener");
            await pack().configure({ [SERVICE]: { allowTcpPassthrough: true } });
            assertPasses(await pack().analyze(tcp), SERVICE);
        });

        it("refuses a port left out of ssl-ports, and a UDP port", async () => {
            const mixed = service({ [`${S}ssl-ports`]: "https" }, {
                ports: [{ name: "https", port: 443, protocol: "TCP" }, { name: "http", port: 80, protocol: "TCP" }, { name: "dns", port: 53, protocol: "UDP" }],
            });
            const found = of(await pack().analyze(mixed), SERVICE).map((d) => d.message);
            assert.strictEqual(found.length, 2, found.join("\n"));
            assert.ok(found[0].includes("spec.ports[1]") && found[1].includes("UDP listener"), found.join("\n"));
        });

        it("reads ssl-ports \"*\" as no port on the controller, and as every port on the in-tree provider", async () => {
            assertViolation(await pack().analyze(service({ [`${S}ssl-ports`]: "*" })), SERVICE, "mandatory", "plain TCP listener");
            assertPasses(await pack().analyze(service({ [`${S}ssl-ports`]: "*", [`${S}type`]: undefined })), SERVICE);
        });

        it("refuses the default negotiation policy (ELBSecurityPolicy-2016-08)", async () => {
            assertViolation(await pack().analyze(service({ [`${S}ssl-negotiation-policy`]: undefined })), SERVICE, "mandatory",
                "ELBSecurityPolicy-2016-08", "allows TLS 1.0");
        });

        it("refuses the default tcp back end and an http back end behind TLS listeners, and HTTP health checks", async () => {
            assertViolation(await pack().analyze(service({ [`${S}backend-protocol`]: undefined })), SERVICE_BACKEND, "mandatory", "tcp, the default");
            assertViolation(await pack().analyze(service({ [`${S}backend-protocol`]: "http", [`${S}type`]: undefined })), SERVICE_BACKEND, "mandatory", '"http"');
            assertViolation(await pack().analyze(service({ [`${S}healthcheck-protocol`]: "HTTP" })), SERVICE_BACKEND, "mandatory", "over plaintext HTTP");
        });

        it("leaves ClusterIP Services alone and reports nothing while annotations are unknown", async () => {
            assertPasses(await pack().analyze(service({ [`${S}ssl-cert`]: undefined }, { type: "ClusterIP" })), SERVICE);
            const unknown = await pack().analyze(service({ [`${S}ssl-cert`]: UNKNOWN, [`${S}backend-protocol`]: UNKNOWN }));
            assert.deepStrictEqual([...of(unknown, SERVICE), ...of(unknown, SERVICE_BACKEND)], []);
            // The whole annotations map unknown in preview (computed from another resource's output).
            const whole = service();
            (whole.props!.metadata as Record<string, unknown>).annotations = UNKNOWN;
            const wholeUnknown = await pack().analyze(whole);
            assert.deepStrictEqual([...of(wholeUnknown, SERVICE), ...of(wholeUnknown, SERVICE_BACKEND)].filter((d) => d.enforcementLevel === "mandatory"), []);
        });
    });
});
