import * as assert from "assert";
import { acmpcaValidityHours, certificateValidityBounded } from "../../policies/rules/certificates";
import { assertPasses, assertViolation, of, resource, UNKNOWN, usePackPerTest, validateUnconfigured } from "./fixtures";
import { RULES } from "./names";

const { STRENGTH, ALB_ALGORITHM } = RULES["key-material"];
const { VALIDITY, RENEWAL } = RULES.certificates;
const { PCA } = RULES.acmpca;

const PRIVATE_KEY = "tls:index/privateKey:PrivateKey";
const SELF_SIGNED = "tls:index/selfSignedCert:SelfSignedCert";
const LOCALLY_SIGNED = "tls:index/locallySignedCert:LocallySignedCert";
const PCA_CA = "aws:acmpca/certificateAuthority:CertificateAuthority";
const PCA_CERT = "aws:acmpca/certificate:Certificate";
const CA_ARN = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";

const key = (props: Record<string, any>) => resource(PRIVATE_KEY, "backend", props);

/** The backend leaf certificate as the program should write it: 90 days, renewed in the last 30. */
function leaf(props: Record<string, any> = {}, type: string = LOCALLY_SIGNED) {
    return resource(type, "backend", {
        certRequestPem: "(csr)", caCertPem: "(ca)", caPrivateKeyPem: "(key)",
        allowedUses: ["digital_signature", "server_auth"],
        validityPeriodHours: 2160,
        earlyRenewalHours: 720,
        ...props,
    });
}

/** The self-managed CA certificate: 10 years, renewed in the last year. */
function caCert(props: Record<string, any> = {}) {
    return resource(SELF_SIGNED, "ca", {
        privateKeyPem: "(key)", isCaCertificate: true, allowedUses: ["cert_signing", "crl_signing"],
        subject: { commonName: "e2e-tls CA" }, validityPeriodHours: 87600, earlyRenewalHours: 8760,
        ...props,
    });
}

function privateCa(configuration: Record<string, any> = {}) {
    return resource(PCA_CA, "ca", {
        type: "ROOT",
        certificateAuthorityConfiguration: { keyAlgorithm: "EC_prime256v1", signingAlgorithm: "SHA256WITHECDSA", subject: { commonName: "e2e-tls" }, ...configuration },
    });
}

function pcaCert(props: Record<string, any> = {}) {
    return resource(PCA_CERT, "backend", {
        certificateAuthorityArn: CA_ARN, certificateSigningRequest: "(csr)", signingAlgorithm: "SHA256WITHECDSA",
        validity: { type: "DAYS", value: "90" }, ...props,
    });
}

describe("key material policies", () => {
    const pack = usePackPerTest();

    describe(STRENGTH, () => {
        for (const props of [{ algorithm: "RSA" }, { algorithm: "RSA", rsaBits: 4096 }, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { algorithm: "ECDSA", ecdsaCurve: "P521" }]) {
            it(`accepts ${JSON.stringify(props)}`, async () => {
                assertPasses(await pack().analyze(key(props)), STRENGTH);
            });
        }

        it("refuses a 1024-bit RSA key and follows the configured minimum", async () => {
            assertViolation(await pack().analyze(key({ algorithm: "RSA", rsaBits: 1024 })), STRENGTH, "mandatory",
                'PrivateKey "backend" (tls:index/privateKey:PrivateKey): rsaBits is 1024, which is below the 2048-bit minimum', "Fix: set rsaBits to 2048 or more");
            await pack().configure({ [STRENGTH]: { minRsaBits: 3072 } });
            assertViolation(await pack().analyze(key({ algorithm: "RSA" })), STRENGTH, "mandatory", "rsaBits is 2048, which is below the 3072-bit minimum");
        });

        it("refuses an ECDSA key that falls back to the provider's P224 default", async () => {
            assertViolation(await pack().analyze(key({ algorithm: "ECDSA" })), STRENGTH, "mandatory",
                "ecdsaCurve is not set, which makes the provider use its default P224", 'Fix: set ecdsaCurve to "P256", "P384" or "P521"');
        });

        it("refuses an explicit P224 curve", async () => {
            assertViolation(await pack().analyze(key({ algorithm: "ECDSA", ecdsaCurve: "P224" })), STRENGTH, "mandatory", 'ecdsaCurve is "P224", which is not one of the accepted curves');
        });

        it("reports nothing while the algorithm or size is unknown in preview", async () => {
            for (const props of [{ algorithm: UNKNOWN, rsaBits: 1024 }, { algorithm: "RSA", rsaBits: UNKNOWN }, { algorithm: "ECDSA", ecdsaCurve: UNKNOWN }]) {
                assert.deepStrictEqual(of(await pack().analyze(key(props)), STRENGTH), [], JSON.stringify(props));
            }
        });
    });

    describe(ALB_ALGORITHM, () => {
        it("advises against ED25519, which ALB mTLS and ACM do not accept", async () => {
            const result = await pack().analyze(key({ algorithm: "ED25519" }));
            assertViolation(result, ALB_ALGORITHM, "advisory", 'algorithm is "ED25519", which is not accepted by ALB mutual TLS', 'Fix: set algorithm to "RSA" or "ECDSA"');
            assertPasses(result, STRENGTH);
        });

        it("accepts RSA and ECDSA, and ED25519 when config allows it", async () => {
            assertPasses(await pack().analyze(key({ algorithm: "ECDSA", ecdsaCurve: "P256" })), ALB_ALGORITHM);
            await pack().configure({ [ALB_ALGORITHM]: { allowedAlgorithms: ["RSA", "ECDSA", "ED25519"] } });
            assertPasses(await pack().analyze(key({ algorithm: "ED25519" })), ALB_ALGORITHM);
        });

        it("can be raised to mandatory", async () => {
            await pack().configure({ [ALB_ALGORITHM]: "mandatory" });
            assertViolation(await pack().analyze(key({ algorithm: "ED25519" })), ALB_ALGORITHM, "mandatory");
        });
    });

    describe(VALIDITY, () => {
        it("accepts a 90-day leaf and a 10-year CA", async () => {
            assertPasses(await pack().analyze(leaf()), VALIDITY);
            assertPasses(await pack().analyze(caCert()), VALIDITY);
            assertPasses(await pack().analyze(pcaCert()), VALIDITY);
        });

        it("refuses a one-year leaf certificate", async () => {
            assertViolation(await pack().analyze(leaf({ validityPeriodHours: 8760, earlyRenewalHours: 720 })), VALIDITY, "mandatory",
                'LocallySignedCert "backend" (tls:index/locallySignedCert:LocallySignedCert): validityPeriodHours is 8760, which exceeds the 2160 hours (90 days) allowed for a leaf certificate');
        });

        it("refuses a self-signed leaf that is not marked as a CA with the leaf limit", async () => {
            assertViolation(await pack().analyze(caCert({ isCaCertificate: false })), VALIDITY, "mandatory", "allowed for a leaf certificate");
        });

        it("refuses a CA certificate beyond ten years", async () => {
            assertViolation(await pack().analyze(caCert({ validityPeriodHours: 175200 })), VALIDITY, "mandatory", "exceeds the 87672 hours (3653 days) allowed for a CA certificate");
        });

        it("follows the configured limits", async () => {
            await pack().configure({ [VALIDITY]: { maxLeafValidityHours: 720 } });
            assertViolation(await pack().analyze(leaf()), VALIDITY, "mandatory", "exceeds the 720 hours (30 days) allowed");
        });

        it("refuses a Private CA certificate issued for a year, counting months and years at their longest", async () => {
            assertViolation(await pack().analyze(pcaCert({ validity: { type: "YEARS", value: "1" } })), VALIDITY, "mandatory",
                'Certificate "backend" (aws:acmpca/certificate:Certificate): validity is {"type":"YEARS","value":"1"}, which lasts up to 8784 hours (366 days)',
                'Fix: set validity to { type: "DAYS", value: "90" } or less');
            assertViolation(await pack().analyze(pcaCert({ validity: { type: "MONTHS", value: "3" } })), VALIDITY, "mandatory", "lasts up to 2208 hours (92 days)");
        });

        it("judges a Private CA certificate issued from a CA template by the CA limit", async () => {
            const root = pcaCert({ templateArn: "arn:aws:acm-pca:::template/RootCACertificate/V1", validity: { type: "YEARS", value: "10" } });
            assertPasses(await pack().analyze(root), VALIDITY);
            const tooLong = pcaCert({ templateArn: "arn:aws:acm-pca:::template/RootCACertificate/V1", validity: { type: "END_DATE", value: "2099-01-01T00:00:00Z" } });
            assertViolation(await pack().analyze(tooLong), VALIDITY, "mandatory", "allowed for a CA certificate");
        });

        it("reports nothing while the lifetime is unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(leaf({ validityPeriodHours: UNKNOWN })), VALIDITY), []);
            assert.deepStrictEqual(of(await pack().analyze(pcaCert({ validity: { type: "DAYS", value: UNKNOWN } })), VALIDITY), []);
            assert.deepStrictEqual(of(await pack().analyze(caCert({ isCaCertificate: UNKNOWN, validityPeriodHours: 175200 })), VALIDITY), []);
        });

        it("measures absolute and end-date validities from now", () => {
            const now = new Date("2026-01-01T00:00:00Z");
            assert.strictEqual(acmpcaValidityHours({ type: "ABSOLUTE", value: String(now.getTime() / 1000 + 48 * 3600) }, now), 48);
            assert.strictEqual(acmpcaValidityHours({ type: "END_DATE", value: "20260102000000" }, now), 24);
            assert.strictEqual(acmpcaValidityHours({ type: "END_DATE", value: "2026-01-03T00:00:00Z" }, now), 48);
            assert.strictEqual(acmpcaValidityHours({ type: "DAYS", value: UNKNOWN }, now), undefined);
            assert.strictEqual(acmpcaValidityHours({ type: "MONTHS", value: "1" }, now), 31 * 24);
            assert.strictEqual(acmpcaValidityHours({ type: "YEARS", value: "1" }, now), 366 * 24);
            assert.strictEqual(acmpcaValidityHours({ type: "YEARS", value: "10" }, now), 3653 * 24);
        });

        it("applies the 90-day leaf limit when the engine sends no config", async () => {
            const messages = await validateUnconfigured(certificateValidityBounded, LOCALLY_SIGNED, { validityPeriodHours: 2161, earlyRenewalHours: 720 });
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /2160 hours \(90 days\)/);
        });
    });

    describe(RENEWAL, () => {
        it("accepts a renewal window inside the lifetime", async () => {
            assertPasses(await pack().analyze(leaf()), RENEWAL);
            assertPasses(await pack().analyze(caCert()), RENEWAL);
        });

        it("refuses a certificate without an early renewal window and suggests one", async () => {
            assertViolation(await pack().analyze(leaf({ earlyRenewalHours: undefined }, SELF_SIGNED)), RENEWAL, "mandatory",
                'SelfSignedCert "backend" (tls:index/selfSignedCert:SelfSignedCert): earlyRenewalHours is not set, which gives no renewal window',
                "Fix: set earlyRenewalHours between 24 and 2159, e.g. 720");
        });

        it("refuses a window as long as the lifetime", async () => {
            assertViolation(await pack().analyze(leaf({ earlyRenewalHours: 2160 })), RENEWAL, "mandatory",
                "earlyRenewalHours is 2160, which is not below validityPeriodHours (2160)", "replaced on every update");
        });

        it("refuses a window shorter than the configured minimum", async () => {
            assertViolation(await pack().analyze(leaf({ earlyRenewalHours: 2 })), RENEWAL, "mandatory", "earlyRenewalHours is 2, which gives too short a renewal window");
            await pack().configure({ [RENEWAL]: { minEarlyRenewalHours: 1 } });
            assertPasses(await pack().analyze(leaf({ earlyRenewalHours: 2 })), RENEWAL);
        });

        it("reports nothing while the window is unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(leaf({ earlyRenewalHours: UNKNOWN })), RENEWAL), []);
        });
    });

    describe(PCA, () => {
        it("accepts EC P-256 with SHA-256 and RSA 4096 with SHA-512", async () => {
            assertPasses(await pack().analyze(privateCa()), PCA);
            assertPasses(await pack().analyze(privateCa({ keyAlgorithm: "RSA_4096", signingAlgorithm: "SHA512WITHRSA" })), PCA);
            assertPasses(await pack().analyze(pcaCert()), PCA);
        });

        for (const keyAlgorithm of ["ML_DSA_65", "SM2"]) {
            it(`refuses a ${keyAlgorithm} CA key`, async () => {
                assertViolation(await pack().analyze(privateCa({ keyAlgorithm, signingAlgorithm: "SHA256WITHECDSA" })), PCA, "mandatory",
                    `CertificateAuthority "ca" (aws:acmpca/certificateAuthority:CertificateAuthority): certificateAuthorityConfiguration.keyAlgorithm is "${keyAlgorithm}"`,
                    "cannot change after creation");
            });
        }

        it("refuses a signing algorithm of the wrong key family", async () => {
            assertViolation(await pack().analyze(privateCa({ keyAlgorithm: "RSA_2048", signingAlgorithm: "SHA256WITHECDSA" })), PCA, "mandatory",
                'certificateAuthorityConfiguration.signingAlgorithm is "SHA256WITHECDSA", which does not match the RSA_2048 key', '"SHA256WITHRSA"');
        });

        it("refuses a certificate signed with an algorithm outside the list, and follows the configured list", async () => {
            assertViolation(await pack().analyze(pcaCert({ signingAlgorithm: "SM3WITHSM2" })), PCA, "mandatory", 'signingAlgorithm is "SM3WITHSM2"');
            await pack().configure({ [PCA]: { allowedSigningAlgorithms: ["SHA384WITHECDSA"] } });
            assertViolation(await pack().analyze(pcaCert()), PCA, "mandatory", 'signingAlgorithm is "SHA256WITHECDSA"', 'Fix: set signingAlgorithm to "SHA384WITHECDSA"');
        });

        it("reports nothing while the algorithms are unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(privateCa({ keyAlgorithm: UNKNOWN, signingAlgorithm: UNKNOWN })), PCA), []);
            assert.deepStrictEqual(of(await pack().analyze(resource(PCA_CA, "ca", { certificateAuthorityConfiguration: UNKNOWN })), PCA), []);
        });
    });

    describe("the policies of helper B's modules", () => {
        const mine = [
            STRENGTH, ALB_ALGORITHM, VALIDITY, RENEWAL, PCA,
            RULES.secrets.PLAIN, RULES["secrets-inspection"].INSPECTED,
            RULES.secrets.OUTPUTS, "secretsmanager-secret-customer-managed-key", "kms-key-rotation-enabled",
            "ec2-imdsv2-required", "ec2-no-public-ip", "ebs-volumes-encrypted", "security-group-world-ingress-web-ports-only",
        ];

        it("are all served, kebab-case, described, with a level and a config schema whose every property has a default", async () => {
            const info = await pack().getAnalyzerInfo();
            for (const name of mine) {
                const policy = info.policies.find((p) => p.name === name);
                assert.ok(policy, `${name} is not in the pack`);
                assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
                assert.ok(policy.description.length > 40, `${name} needs a description that says why`);
                assert.ok(["advisory", "mandatory"].includes(policy.enforcementLevel), `${name} level ${policy.enforcementLevel}`);
                const properties = Object.entries(policy.configSchema?.properties ?? {});
                assert.ok(properties.length > 0, `${name} has no config schema`);
                for (const [key, schema] of properties) {
                    assert.ok("default" in (schema as object), `${name}.${key} has no default`);
                }
            }
            assert.strictEqual(new Set(info.policies.map((p) => p.name)).size, info.policies.length, "policy names are unique");
        });
    });
});
