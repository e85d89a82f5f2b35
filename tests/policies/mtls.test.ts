import * as assert from "assert";
import { assertPasses, assertViolation, FAMILIES, httpRedirectListener, httpsListener, of, TRUST_STORE_ARN, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { VERIFY, REQUIRED } = RULES.mtls;

describe("mutual TLS policies", () => {
    const pack = usePackPerTest();

    describe(VERIFY, () => {
        for (const family of FAMILIES) {
            it(`refuses verify mode without a trust store (aws:${family})`, async () => {
                const result = await pack().analyze(httpsListener({ mutualAuthentication: { mode: "verify" } }, family));
                assertViolation(result, VERIFY, "mandatory", `Listener "web-https" (aws:${family}/listener:Listener)`,
                    "mutualAuthentication.trustStoreArn is not set", "aws.lb.TrustStore");
            });
        }

        it("accepts verify mode with a trust store, known or unknown until apply", async () => {
            assertPasses(await pack().analyze(httpsListener()), VERIFY);
            assertPasses(await pack().analyze(httpsListener({ mutualAuthentication: { mode: "verify", trustStoreArn: UNKNOWN } })), VERIFY);
        });

        it("refuses ignoreClientCertificateExpiry: true unless config allows it", async () => {
            const listener = httpsListener({ mutualAuthentication: { mode: "verify", trustStoreArn: TRUST_STORE_ARN, ignoreClientCertificateExpiry: true } });
            assertViolation(await pack().analyze(listener), VERIFY, "mandatory", "mutualAuthentication.ignoreClientCertificateExpiry is true", "expired certificates");
            await pack().configure({ [VERIFY]: { allowIgnoreClientCertificateExpiry: true } });
            assertPasses(await pack().analyze(listener), VERIFY);
        });

        it("refuses mode off carrying a trust store, which the provider rejects", async () => {
            const result = await pack().analyze(httpsListener({ mutualAuthentication: { mode: "off", trustStoreArn: TRUST_STORE_ARN } }));
            assertViolation(result, VERIFY, "mandatory", "mutualAuthentication.trustStoreArn is", 'mode "off" must stand alone');
        });

        it("refuses a mode AWS does not know", async () => {
            assertViolation(await pack().analyze(httpsListener({ mutualAuthentication: { mode: "optional" } })), VERIFY, "mandatory", 'mutualAuthentication.mode is "optional"');
        });

        it("reports nothing while the mode is unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(httpsListener({ mutualAuthentication: { mode: UNKNOWN } })), VERIFY), []);
            assert.deepStrictEqual(of(await pack().analyze(httpsListener({ mutualAuthentication: UNKNOWN })), VERIFY), []);
        });
    });

    describe(REQUIRED, () => {
        for (const family of FAMILIES) {
            it(`advises mutual TLS on an HTTPS listener without it (aws:${family})`, async () => {
                assertViolation(await pack().analyze(httpsListener({ mutualAuthentication: undefined }, family)), REQUIRED, "advisory",
                    "mutualAuthentication is not set", "without a certificate", 'mode: "verify"');
            });
        }

        it("advises on mode off too", async () => {
            assertViolation(await pack().analyze(httpsListener({ mutualAuthentication: { mode: "off" } })), REQUIRED, "advisory", 'mutualAuthentication.mode is "off"');
        });

        it("becomes mandatory by config", async () => {
            await pack().configure({ [REQUIRED]: "mandatory" });
            assertViolation(await pack().analyze(httpsListener({ mutualAuthentication: undefined })), REQUIRED, "mandatory");
        });

        it("accepts passthrough unless requireVerify is set", async () => {
            const passthrough = httpsListener({ mutualAuthentication: { mode: "passthrough" } });
            assertPasses(await pack().analyze(passthrough), REQUIRED);
            await pack().configure({ [REQUIRED]: { requireVerify: true } });
            assertViolation(await pack().analyze(passthrough), REQUIRED, "advisory", "forwards client certificates unverified");
        });

        it("skips listeners the config exempts by URN, and HTTP redirect listeners", async () => {
            const publicListener = httpsListener({ mutualAuthentication: undefined });
            await pack().configure({ [REQUIRED]: { enforcementLevel: "mandatory", exemptions: [{ urn: publicListener.urn, reason: "Public endpoint, reviewed by platform-sec", expires: "2099-12-31" }] } });
            assertPasses(await pack().analyze(publicListener), REQUIRED);
            assertPasses(await pack().analyze(httpRedirectListener()), REQUIRED);
        });
    });
});
