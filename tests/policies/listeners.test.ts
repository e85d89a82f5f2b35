import * as assert from "assert";
import { SSL_POLICIES } from "../../policies/shared/ssl-policies";
import {
    assertPasses, assertViolation, FAMILIES, GOOD_POLICY, httpRedirectListener, httpsListener, of, resource, token, UNKNOWN, usePackPerTest,
} from "./fixtures";
import { RULES } from "./names";

const { HTTPS_ONLY, RULE_REDIRECT, ALLOWLIST, CERT } = RULES.listeners;

describe("listener policies", () => {
    const pack = usePackPerTest();

    describe(HTTPS_ONLY, () => {
        for (const family of FAMILIES) {
            it(`accepts an HTTPS listener and an HTTP listener that only redirects to HTTPS (aws:${family})`, async () => {
                assertPasses(await pack().analyze(httpsListener({}, family)), HTTPS_ONLY);
                assertPasses(await pack().analyze(httpRedirectListener({}, family)), HTTPS_ONLY);
            });

            it(`refuses an HTTP listener that forwards to a target group (aws:${family})`, async () => {
                const result = await pack().analyze(httpRedirectListener({ defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }, family));
                assertViolation(result, HTTPS_ONLY, "mandatory",
                    `Listener "web-http" (aws:${family}/listener:Listener)`, 'defaultActions[0].type is "forward"', "plaintext", 'protocol: "HTTPS"');
            });
        }

        it("accepts a TLS listener", async () => {
            assertPasses(await pack().analyze(httpsListener({ protocol: "TLS" })), HTTPS_ONLY);
        });

        it("refuses plaintext forwarding on a port other than 80", async () => {
            const result = await pack().analyze(httpRedirectListener({ port: 8080, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }));
            assertViolation(result, HTTPS_ONLY, "mandatory", 'defaultActions[0].type is "forward"');
        });

        it("treats an omitted protocol as HTTP", async () => {
            const result = await pack().analyze(httpRedirectListener({ protocol: undefined, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }));
            assertViolation(result, HTTPS_ONLY, "mandatory", 'defaultActions[0].type is "forward"');
        });

        for (const protocol of ["HTTP", "#{protocol}"]) {
            it(`refuses a redirect whose protocol is "${protocol}"`, async () => {
                const result = await pack().analyze(httpRedirectListener({ defaultActions: [{ type: "redirect", redirect: { protocol, port: "80", statusCode: "HTTP_301" } }] }));
                assertViolation(result, HTTPS_ONLY, "mandatory", `defaultActions[0].redirect.protocol is "${protocol}"`, 'set redirect.protocol to "HTTPS"');
            });
        }

        it("refuses a fixed response served over HTTP", async () => {
            const result = await pack().analyze(httpRedirectListener({ defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }] }));
            assertViolation(result, HTTPS_ONLY, "mandatory", 'defaultActions[0].type is "fixed-response"', "answers clients in plaintext");
        });

        it("refuses an HTTP listener with a redirect plus another default action", async () => {
            const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };
            const result = await pack().analyze(httpRedirectListener({ defaultActions: [{ type: "authenticate-oidc" }, redirect] }));
            assertViolation(result, HTTPS_ONLY, "mandatory", 'defaultActions is ["authenticate-oidc","redirect"]');
        });

        it("refuses a TCP listener unless TLS pass-through is allowed by config", async () => {
            const tcp = httpsListener({ protocol: "TCP", sslPolicy: undefined, certificateArn: undefined });
            assertViolation(await pack().analyze(tcp), HTTPS_ONLY, "mandatory", 'protocol is "TCP"', "allowTcpPassthrough");
            await pack().configure({ [HTTPS_ONLY]: { allowTcpPassthrough: true } });
            assertPasses(await pack().analyze(tcp), HTTPS_ONLY);
        });

        it("reports nothing mandatory while the protocol or the actions are unknown in preview", async () => {
            const unknownProtocol = await pack().analyze(httpRedirectListener({ protocol: UNKNOWN, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] }));
            assert.deepStrictEqual(of(unknownProtocol, HTTPS_ONLY), []);
            const unknownActions = await pack().analyze(httpRedirectListener({ defaultActions: UNKNOWN }));
            assert.deepStrictEqual(of(unknownActions, HTTPS_ONLY), []);
        });

        it("still reports a known plaintext forward when the target group ARN is unknown", async () => {
            const result = await pack().analyze(httpRedirectListener({ defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] }));
            assertViolation(result, HTTPS_ONLY, "mandatory", 'defaultActions[0].type is "forward"');
        });

        it("can be lowered to advisory by config", async () => {
            await pack().configure({ [HTTPS_ONLY]: "advisory" });
            const result = await pack().analyze(httpRedirectListener({ defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }));
            assertViolation(result, HTTPS_ONLY, "advisory", 'defaultActions[0].type is "forward"');
        });
    });

    describe(RULE_REDIRECT, () => {
        for (const family of FAMILIES) {
            it(`refuses a listener rule that redirects to HTTP (aws:${family})`, async () => {
                const rule = resource(token(family, "listenerRule"), "legacy", {
                    listenerArn: "arn:listener", priority: 10,
                    actions: [{ type: "redirect", redirect: { protocol: "HTTP", host: "old.example.com", statusCode: "HTTP_302" } }],
                    conditions: [{ pathPattern: { values: ["/old/*"] } }],
                });
                assertViolation(await pack().analyze(rule), RULE_REDIRECT, "mandatory",
                    `ListenerRule "legacy" (aws:${family}/listenerRule:ListenerRule)`, 'actions[0].redirect.protocol is "HTTP"');
            });
        }

        it("accepts a listener rule that redirects to HTTPS or forwards", async () => {
            const rule = resource(token("lb", "listenerRule"), "moved", {
                listenerArn: "arn:listener", priority: 10,
                actions: [{ type: "redirect", redirect: { protocol: "HTTPS", statusCode: "HTTP_301" } }, { type: "forward", targetGroupArn: "arn:tg" }],
            });
            assertPasses(await pack().analyze(rule), RULE_REDIRECT);
        });
    });

    describe(ALLOWLIST, () => {
        for (const family of FAMILIES) {
            it(`refuses an HTTPS listener without sslPolicy, naming the TLS 1.0 default (aws:${family})`, async () => {
                const result = await pack().analyze(httpsListener({ sslPolicy: undefined }, family));
                assertViolation(result, ALLOWLIST, "mandatory", `Listener "web-https" (aws:${family}/listener:Listener)`,
                    "sslPolicy is not set", "ELBSecurityPolicy-2016-08 (TLS 1.0)", `${GOOD_POLICY} is the recommended default`);
            });
        }

        // Every policy of the table the pack and the program share, not a hand-picked sample.
        const below12 = SSL_POLICIES.filter((p) => p.minTls === "1.0" || p.minTls === "1.1");
        const atLeast12 = SSL_POLICIES.filter((p) => !below12.includes(p));
        it("covers the whole policy table: some policies below TLS 1.2 and some at or above it", () => {
            assert.strictEqual(below12.length + atLeast12.length, SSL_POLICIES.length);
            assert.ok(below12.length >= 9 && atLeast12.length >= 27, `${below12.length} below, ${atLeast12.length} at or above TLS 1.2`);
        });
        for (const { name: sslPolicy, minTls } of below12) {
            it(`refuses ${sslPolicy}, which allows TLS ${minTls}`, async () => {
                const result = await pack().analyze(httpsListener({ sslPolicy }));
                assertViolation(result, ALLOWLIST, "mandatory", `sslPolicy is "${sslPolicy}"`, `allows TLS ${minTls}; the minimum is TLS 1.2`, "Fix: set sslPolicy to");
            });
        }

        for (const { name: sslPolicy } of atLeast12) {
            it(`accepts ${sslPolicy} by default`, async () => {
                assertPasses(await pack().analyze(httpsListener({ sslPolicy })), ALLOWLIST);
            });
        }

        for (const sslPolicy of ["ELBSecurityPolicy-TLS13-1-2-2099-01", "TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06-custom"]) {
            it(`refuses "${sslPolicy}", which is not a published policy`, async () => {
                assertViolation(await pack().analyze(httpsListener({ sslPolicy })), ALLOWLIST, "mandatory", `sslPolicy is "${sslPolicy}"`, "not a published ELB security policy", "additionalAllowedPolicies");
            });
        }

        it("checks TLS listeners too and ignores HTTP redirect listeners", async () => {
            assertViolation(await pack().analyze(httpsListener({ protocol: "TLS", sslPolicy: "ELBSecurityPolicy-2016-08" })), ALLOWLIST, "mandatory");
            assertPasses(await pack().analyze(httpRedirectListener()), ALLOWLIST);
        });

        it("reports nothing while sslPolicy or the protocol is unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(httpsListener({ sslPolicy: UNKNOWN })), ALLOWLIST), []);
            assert.deepStrictEqual(of(await pack().analyze(httpsListener({ protocol: UNKNOWN, sslPolicy: "ELBSecurityPolicy-2016-08" })), ALLOWLIST), []);
        });

        it("raises the minimum to TLS 1.3 by config", async () => {
            await pack().configure({ [ALLOWLIST]: { minimumTlsVersion: "1.3" } });
            assertViolation(await pack().analyze(httpsListener()), ALLOWLIST, "mandatory", "allows TLS 1.2; the minimum is TLS 1.3", "ELBSecurityPolicy-TLS13-1-3-2021-06");
            assertPasses(await pack().analyze(httpsListener({ sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" })), ALLOWLIST);
        });

        it("accepts only FIPS policies when fipsOnly is set", async () => {
            await pack().configure({ [ALLOWLIST]: { fipsOnly: true } });
            assertViolation(await pack().analyze(httpsListener()), ALLOWLIST, "mandatory", "is not a FIPS policy");
            assertPasses(await pack().analyze(httpsListener({ sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04" })), ALLOWLIST);
        });

        it("accepts only post-quantum policies when postQuantumOnly is set", async () => {
            await pack().configure({ [ALLOWLIST]: { postQuantumOnly: true } });
            assertViolation(await pack().analyze(httpsListener()), ALLOWLIST, "mandatory", "no post-quantum key exchange");
            assertPasses(await pack().analyze(httpsListener({ sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" })), ALLOWLIST);
        });

        it("matches Security Hub ELB.17 when restrictedCiphersOnly is set", async () => {
            await pack().configure({ [ALLOWLIST]: { restrictedCiphersOnly: true } });
            assertViolation(await pack().analyze(httpsListener({ sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" })), ALLOWLIST, "mandatory", "ELB.17");
            assertViolation(await pack().analyze(httpsListener({ sslPolicy: "ELBSecurityPolicy-FS-1-2-Res-2020-10" })), ALLOWLIST, "mandatory", "ELB.17");
            assertPasses(await pack().analyze(httpsListener()), ALLOWLIST);
        });

        it("accepts extra exact names from additionalAllowedPolicies", async () => {
            await pack().configure({ [ALLOWLIST]: { additionalAllowedPolicies: ["ELBSecurityPolicy-2016-08"] } });
            assertPasses(await pack().analyze(httpsListener({ sslPolicy: "ELBSecurityPolicy-2016-08" })), ALLOWLIST);
            assertViolation(await pack().analyze(httpsListener({ sslPolicy: "ELBSecurityPolicy-2015-05" })), ALLOWLIST, "mandatory");
        });

        it("remediates a missing sslPolicy with the recommended default", async () => {
            await pack().configure({ [ALLOWLIST]: "remediate" });
            const { remediations } = await pack().remediate(httpsListener({ sslPolicy: undefined }, "alb"));
            assert.strictEqual(remediations.length, 1);
            assert.strictEqual(remediations[0].policyName, ALLOWLIST);
            assert.strictEqual(remediations[0].properties?.sslPolicy, GOOD_POLICY);
            assert.strictEqual(remediations[0].properties?.certificateArn, httpsListener().props!.certificateArn, "other properties are kept");
        });

        it("remediates with a TLS 1.3 policy when the config asks for TLS 1.3", async () => {
            await pack().configure({ [ALLOWLIST]: { enforcementLevel: "remediate", minimumTlsVersion: "1.3" } });
            const { remediations } = await pack().remediate(httpsListener({ sslPolicy: undefined }));
            assert.strictEqual(remediations[0]?.properties?.sslPolicy, "ELBSecurityPolicy-TLS13-1-3-2021-06");
        });

        it("does not overwrite an explicit policy or touch HTTP listeners when remediating", async () => {
            await pack().configure({ [ALLOWLIST]: "remediate" });
            assert.deepStrictEqual((await pack().remediate(httpsListener({ sslPolicy: "ELBSecurityPolicy-2016-08" }))).remediations, []);
            assert.deepStrictEqual((await pack().remediate(httpRedirectListener())).remediations, []);
        });
    });

    describe(CERT, () => {
        for (const family of FAMILIES) {
            it(`refuses an HTTPS listener without certificateArn (aws:${family})`, async () => {
                assertViolation(await pack().analyze(httpsListener({ certificateArn: undefined }, family)), CERT, "mandatory",
                    "certificateArn is not set", "without a server certificate", "Fix: set certificateArn");
            });
        }

        it("accepts a certificate ARN that is unknown until apply", async () => {
            assertPasses(await pack().analyze(httpsListener({ certificateArn: UNKNOWN })), CERT);
        });

        it("does not ask HTTP redirect listeners for a certificate", async () => {
            assertPasses(await pack().analyze(httpRedirectListener()), CERT);
        });
    });
});
