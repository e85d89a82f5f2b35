import * as assert from "assert";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../offline/analyzer/harness";
import { assertNoMandatory, assertPasses, assertViolation, of, resource, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { SECRET_CMK, ROTATION } = RULES.kms;

const SECRET = "aws:secretsmanager/secret:Secret";
const KMS_KEY = "aws:kms/key:Key";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("the stores that hold the keys", () => {
    const pack = usePackPerTest();

    describe(SECRET_CMK, () => {
        it("accepts a secret under a customer-managed key", async () => {
            assertPasses(await pack().analyze(resource(SECRET, "backend-tls", { kmsKeyId: KEY_ARN })), SECRET_CMK);
            assertPasses(await pack().analyze(resource(SECRET, "backend-tls", { kmsKeyId: "alias/e2e-tls" })), SECRET_CMK);
        });

        it("refuses a secret without kmsKeyId", async () => {
            assertViolation(await pack().analyze(resource(SECRET, "backend-tls", { name: "backend-tls" })), SECRET_CMK, "mandatory",
                'Secret "backend-tls" (aws:secretsmanager/secret:Secret): kmsKeyId is not set, which encrypts the secret under the AWS managed key aws/secretsmanager',
                "Fix: set kmsKeyId");
        });

        for (const keyId of ["alias/aws/secretsmanager", "arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager"]) {
            it(`refuses the AWS managed key named as ${keyId}`, async () => {
                assertViolation(await pack().analyze(resource(SECRET, "backend-tls", { kmsKeyId: keyId })), SECRET_CMK, "mandatory",
                    `kmsKeyId is "${keyId}", which names an AWS managed key`);
            });
        }

        it("reports nothing while the key ARN is unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(resource(SECRET, "backend-tls", { kmsKeyId: UNKNOWN })), SECRET_CMK), []);
        });

        it("skips secrets the config exempts by URN", async () => {
            const legacy = resource(SECRET, "legacy", {});
            await pack().configure({ [SECRET_CMK]: { exemptions: [{ urn: legacy.urn, reason: "Legacy secret, migration ticket SEC-42", expires: "2099-12-31" }] } });
            assertPasses(await pack().analyze(legacy), SECRET_CMK);
        });
    });

    describe(ROTATION, () => {
        it("accepts a symmetric key with rotation on", async () => {
            assertPasses(await pack().analyze(resource(KMS_KEY, "secrets", { enableKeyRotation: true, rotationPeriodInDays: 365 })), ROTATION);
        });

        it("refuses a symmetric key whose rotation is left at the default", async () => {
            assertViolation(await pack().analyze(resource(KMS_KEY, "secrets", { description: "TLS keys" })), ROTATION, "mandatory",
                'Key "secrets" (aws:kms/key:Key): enableKeyRotation is not set', "Fix: set enableKeyRotation to true");
        });

        it("refuses a rotation period above the configured maximum, and follows the config", async () => {
            const key = resource(KMS_KEY, "secrets", { enableKeyRotation: true, rotationPeriodInDays: 730 });
            assertViolation(await pack().analyze(key), ROTATION, "mandatory", "rotationPeriodInDays is 730, which exceeds the 365-day maximum");
            await pack().configure({ [ROTATION]: { maxRotationPeriodDays: 730 } });
            assertPasses(await pack().analyze(key), ROTATION);
        });

        it("does not check keys KMS cannot rotate (asymmetric, HMAC, custom key store)", async () => {
            for (const props of [
                { customerMasterKeySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" },
                { customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" },
                { customKeyStoreId: "cks-1234567890abcdef0" },
            ]) {
                assertPasses(await pack().analyze(resource(KMS_KEY, "k", props)), ROTATION);
            }
        });

        it("reports nothing mandatory while rotation is unknown in preview", async () => {
            assertNoMandatory(await pack().analyze(resource(KMS_KEY, "k", { enableKeyRotation: UNKNOWN })));
        });

        it("can be lowered to advisory by config", async () => {
            await pack().configure({ [ROTATION]: "advisory" });
            assertViolation(await pack().analyze(resource(KMS_KEY, "k", {})), ROTATION, "advisory");
        });

        it("remediates by turning rotation on and keeps secret properties secret", async () => {
            await pack().configure({ [ROTATION]: { enforcementLevel: "remediate" } });
            const policy = JSON.stringify({ Version: "2012-10-17", Statement: [] });
            const { remediations } = await pack().remediate(resource(KMS_KEY, "k", { description: "TLS keys", policy, rotationPeriodInDays: 900 }, { secretInputs: ["policy"] }));
            const mine = remediations.filter((r) => r.policyName === ROTATION);
            assert.strictEqual(mine.length, 1);
            assert.strictEqual(mine[0].properties?.enableKeyRotation, true);
            assert.strictEqual(mine[0].properties?.rotationPeriodInDays, 365);
            assert.strictEqual(mine[0].properties?.description, "TLS keys");
            assert.deepStrictEqual(mine[0].properties?.policy, { [SECRET_SIG_KEY]: SECRET_SIG, value: policy });
        });

        it("remediates nothing for a compliant key", async () => {
            await pack().configure({ [ROTATION]: "remediate" });
            const { remediations } = await pack().remediate(resource(KMS_KEY, "k", { enableKeyRotation: true }));
            assert.deepStrictEqual(remediations.filter((r) => r.policyName === ROTATION), []);
        });
    });
});
