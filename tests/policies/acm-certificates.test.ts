/**
 * ACM certificates, requested (keyAlgorithm, both providers) or imported (the key and lifetime of
 * certificateBody, parsed as X.509): weak RSA keys, curves ACM and ALB refuse, and imported
 * lifetimes beyond what the pack allows generated certificates. Certificates are made per run.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { webcrypto } from "crypto";
import { assertPasses, assertViolation, resource, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { VALIDITY, ACM_KEY } = RULES.certificates;
const AWS = "aws:acm/certificate:Certificate";
const NATIVE = "aws-native:certificatemanager:Certificate";
const DAY = 86_400_000;

x509.cryptoProvider.set(webcrypto as any);

const KEYS = {
    rsa1024: { name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    rsa2048: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    p256: { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" },
    ed25519: { name: "Ed25519" },
} as const;

/** A self-signed certificate of a fresh key, valid `days` days (a CA when `ca`). */
async function certificate(key: keyof typeof KEYS, days: number, ca = false): Promise<string> {
    const keys = (await webcrypto.subtle.generateKey(KEYS[key] as any, true, ["sign", "verify"])) as any;
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: "01", name: "CN=web.example.com", notBefore, notAfter: new Date(notBefore.getTime() + days * DAY), keys,
        signingAlgorithm: KEYS[key], extensions: [new x509.BasicConstraintsExtension(ca, undefined, true)],
    });
    return cert.toString("pem");
}

const imported = (certificateBody: unknown) => resource(AWS, "front", { certificateBody, privateKey: "(a secret)" });

describe("ACM certificates", () => {
    const pack = usePackPerTest();
    const pems: Record<string, string> = {};
    before(async function () {
        this.timeout(60_000);
        pems.p256 = await certificate("p256", 90);
        pems.rsa2048 = await certificate("rsa2048", 90);
        pems.rsa1024 = await certificate("rsa1024", 90);
        pems.ed25519 = await certificate("ed25519", 90);
        pems.long = await certificate("p256", 397);
        pems.ca = await certificate("p256", 3 * 365, true);
    });

    for (const token of [AWS, NATIVE]) {
        it(`accepts a requested certificate on RSA_2048 (also ACM's default) or EC_prime256v1, and refuses RSA_1024 (${token})`, async () => {
            const requested = (keyAlgorithm?: unknown) => resource(token, "front", { domainName: "web.example.com", validationMethod: "DNS", ...(keyAlgorithm === undefined ? {} : { keyAlgorithm }) });
            for (const ok of [undefined, "RSA_2048", "EC_prime256v1"]) assertPasses(await pack().analyze(requested(ok)), ACM_KEY);
            assertViolation(await pack().analyze(requested("RSA_1024")), ACM_KEY, "mandatory", `(${token}): keyAlgorithm is "RSA_1024", which is a 1024-bit RSA key`);
            assertPasses(await pack().analyze(requested(UNKNOWN)), ACM_KEY);
            // Omitted is ACM's RSA_2048: judged as such when the allow-list leaves it out.
            await pack().configure({ [ACM_KEY]: { allowedKeyAlgorithms: ["EC_prime256v1"] } });
            assertViolation(await pack().analyze(requested()), ACM_KEY, "mandatory", "keyAlgorithm is not set, which lets ACM use RSA_2048", 'set keyAlgorithm to "EC_prime256v1"');
        });
    }

    it("judges an imported certificate by the key in its body: P-256 and RSA 2048 pass, RSA 1024 and Ed25519 fail", async () => {
        assertPasses(await pack().analyze(imported(pems.p256)), ACM_KEY);
        assertPasses(await pack().analyze(imported(pems.rsa2048)), ACM_KEY);
        assertViolation(await pack().analyze(imported(pems.rsa1024)), ACM_KEY, "mandatory", 'certificateBody is "a certificate with an RSA_1024 key", which has a 1024-bit RSA key');
        assertViolation(await pack().analyze(imported(pems.ed25519)), ACM_KEY, "mandatory", "ED25519 key", "ACM imports only RSA");
        assertPasses(await pack().analyze(imported(UNKNOWN)), ACM_KEY);
    });

    it("refuses an imported leaf certificate valid longer than the pack allows generated ones, and accepts a 90-day one and a CA within ten years", async () => {
        assertPasses(await pack().analyze(imported(pems.p256)), VALIDITY);
        assertViolation(await pack().analyze(imported(pems.long)), VALIDITY, "mandatory", "certificateBody is \"a certificate valid from", "lasts 9528 hours (397 days), more than the 2160 hours (90 days)");
        assertPasses(await pack().analyze(imported(pems.ca)), VALIDITY);
        await pack().configure({ [VALIDITY]: { maxCaValidityHours: 24 * 365 } });
        assertViolation(await pack().analyze(imported(pems.ca)), VALIDITY, "mandatory", "generated CA certificate");
    });

    it("leaves requested certificates' lifetime to ACM, which renews them", async () => {
        assertPasses(await pack().analyze(resource(AWS, "front", { domainName: "web.example.com" })), VALIDITY);
        assertPasses(await pack().analyze(resource(NATIVE, "front", { domainName: "web.example.com" })), VALIDITY);
    });
});
