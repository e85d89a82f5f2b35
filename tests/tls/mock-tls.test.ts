import * as assert from "assert";
import { createPrivateKey, createPublicKey, X509Certificate } from "crypto";
import type * as X509 from "@peculiar/x509";
import { mockPrivateCaResource, resetMockPki } from "../../offline/engine/mock-private-ca";
import { mockTlsResource } from "../../offline/engine/mock-tls";
import { x509 } from "../../offline/engine/x509-build";

const KEY = "tls:index/privateKey:PrivateKey";
const SELF_SIGNED = "tls:index/selfSignedCert:SelfSignedCert";
const CSR = "tls:index/certRequest:CertRequest";
const LOCALLY_SIGNED = "tls:index/locallySignedCert:LocallySignedCert";
const PCA = "aws:acmpca/certificateAuthority:CertificateAuthority";
const PCA_CERT = "aws:acmpca/certificate:Certificate";
const PCA_INSTALL = "aws:acmpca/certificateAuthorityCertificate:CertificateAuthorityCertificate";

const EKU = { serverAuth: "1.3.6.1.5.5.7.3.1", clientAuth: "1.3.6.1.5.5.7.3.2" };

async function ecKey(curve = "P256"): Promise<string> {
    return (await mockTlsResource(KEY, "k", { algorithm: "ECDSA", ecdsaCurve: curve })).state.privateKeyPem;
}

async function selfSignedCa(keyPem: string) {
    return mockTlsResource(SELF_SIGNED, "root", {
        privateKeyPem: keyPem, subject: { commonName: "test root", organization: "e2e-tls" },
        isCaCertificate: true, setSubjectKeyId: true, allowedUses: ["cert_signing", "crl_signing"], validityPeriodHours: 24,
    });
}

function ext<T extends X509.Extension>(pem: string, type: new (raw: any) => T): T | null {
    return new x509.X509Certificate(pem).getExtension(type);
}

describe("offline @pulumi/tls stand-in (offline/engine/mock-tls.ts)", () => {
    it("generates an ECDSA key with the provider's PEM labels, a PKCS#8 copy and OpenSSH forms", async () => {
        const { id, state } = await mockTlsResource(KEY, "k", { algorithm: "ECDSA", ecdsaCurve: "P384" });
        assert.match(state.privateKeyPem, /^-{5}BEGIN EC PRIVATE KEY-{5}\n/);
        assert.match(state.privateKeyPemPkcs8, /^-{5}BEGIN PRIVATE KEY-{5}\n/);
        assert.match(state.privateKeyOpenssh, /^-{5}BEGIN OPENSSH PRIVATE KEY-{5}\n/);
        assert.match(state.publicKeyOpenssh, /^ecdsa-sha2-nistp384 AAAA[A-Za-z0-9+/=]+\n$/);
        assert.match(state.publicKeyFingerprintSha256, /^SHA256:[A-Za-z0-9+/]{43}$/);
        assert.match(state.publicKeyFingerprintMd5, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
        assert.strictEqual(createPrivateKey(state.privateKeyPem).asymmetricKeyDetails?.namedCurve, "secp384r1");
        assert.strictEqual(createPublicKey(state.publicKeyPem).export({ format: "jwk" }).x,
            createPublicKey(state.privateKeyPem).export({ format: "jwk" }).x);
        assert.match(id, /^[0-9a-f]{40}$/);
    });

    it("defaults rsaBits to 2048 and writes an RSA PRIVATE KEY", async () => {
        const { state } = await mockTlsResource(KEY, "k", { algorithm: "RSA" });
        assert.strictEqual(state.rsaBits, 2048);
        assert.match(state.privateKeyPem, /^-{5}BEGIN RSA PRIVATE KEY-{5}\n/);
        assert.strictEqual(createPrivateKey(state.privateKeyPem).asymmetricKeyDetails?.modulusLength, 2048);
    });

    it("refuses ECDSA without a curve (the provider's P224 default) and names the fix", async () => {
        await assert.rejects(mockTlsResource(KEY, "k", { algorithm: "ECDSA" }), /ecdsaCurve is "P224".*Set ecdsaCurve to P256, P384 or P521/);
    });

    it("refuses an input it does not model instead of ignoring it", async () => {
        await assert.rejects(mockTlsResource(KEY, "k", { algorithm: "ECDSA", ecdsaCurve: "P256", opensshComment: "x" }),
            /input "opensshComment" is not modelled/);
    });

    it("refuses an allowed use the provider does not know", async () => {
        const keyPem = await ecKey();
        await assert.rejects(mockTlsResource(SELF_SIGNED, "c", { privateKeyPem: keyPem, allowedUses: ["server-auth"], validityPeriodHours: 1 }),
            /allowedUses contains "server-auth"/);
    });

    it("issues a self-signed CA with critical CA basic constraints, the requested key usage and a subject key id", async () => {
        const { id, state } = await selfSignedCa(await ecKey());
        const cert = new x509.X509Certificate(state.certPem);
        assert.strictEqual(ext(state.certPem, x509.BasicConstraintsExtension)?.ca, true);
        assert.strictEqual(ext(state.certPem, x509.BasicConstraintsExtension)?.critical, true);
        assert.strictEqual(ext(state.certPem, x509.KeyUsagesExtension)?.usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
        assert.ok(ext(state.certPem, x509.SubjectKeyIdentifierExtension)?.keyId);
        assert.strictEqual(ext(state.certPem, x509.ExtendedKeyUsageExtension), null);
        assert.strictEqual(cert.subject, "O=e2e-tls, CN=test root");
        assert.strictEqual(BigInt(`0x${cert.serialNumber}`).toString(), id);
        assert.strictEqual(state.keyAlgorithm, "ECDSA");
        assert.strictEqual(Date.parse(state.validityEndTime) - Date.parse(state.validityStartTime), 24 * 3_600_000);
        assert.strictEqual(state.readyForRenewal, false);
    });

    it("signs a CSR with subject and DNS names from the request, allowed uses as key usage and EKU, and the CA's key id", async () => {
        const caKey = await ecKey("P384");
        const ca = await selfSignedCa(caKey);
        const csr = await mockTlsResource(CSR, "leaf", {
            privateKeyPem: await ecKey(), subject: { commonName: "backend.test", organization: "e2e-tls" },
            dnsNames: ["backend.test"], ipAddresses: ["127.0.0.1"],
        });
        const { state } = await mockTlsResource(LOCALLY_SIGNED, "leaf", {
            certRequestPem: csr.state.certRequestPem, caPrivateKeyPem: caKey, caCertPem: ca.state.certPem,
            allowedUses: ["digital_signature", "key_encipherment", "server_auth"], validityPeriodHours: 2, earlyRenewalHours: 3,
        });
        const leaf = new X509Certificate(state.certPem);
        assert.ok(leaf.verify(new X509Certificate(ca.state.certPem).publicKey));
        assert.strictEqual(leaf.subjectAltName, "DNS:backend.test, IP Address:127.0.0.1");
        assert.strictEqual(ext(state.certPem, x509.BasicConstraintsExtension)?.ca, false);
        assert.deepStrictEqual([...(ext(state.certPem, x509.ExtendedKeyUsageExtension)?.usages ?? [])], [EKU.serverAuth]);
        assert.strictEqual(ext(state.certPem, x509.KeyUsagesExtension)?.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
        assert.strictEqual(ext(state.certPem, x509.AuthorityKeyIdentifierExtension)?.keyId, ext(ca.state.certPem, x509.SubjectKeyIdentifierExtension)?.keyId);
        assert.strictEqual(new x509.X509Certificate(state.certPem).signatureAlgorithm.hash.name, "SHA-384");
        assert.strictEqual(state.caKeyAlgorithm, "ECDSA");
        assert.strictEqual(state.readyForRenewal, true, "earlyRenewalHours beyond the validity means ready at once");
    });

    it("gives every certificate a new random serial", async () => {
        const keyPem = await ecKey();
        const serials = new Set<string>();
        for (let i = 0; i < 5; i++) serials.add((await selfSignedCa(keyPem)).id);
        assert.strictEqual(serials.size, 5);
    });

    it("refuses a CA key that does not match the CA certificate", async () => {
        const ca = await selfSignedCa(await ecKey());
        const csr = await mockTlsResource(CSR, "leaf", { privateKeyPem: await ecKey(), subject: { commonName: "x" } });
        await assert.rejects(mockTlsResource(LOCALLY_SIGNED, "leaf", {
            certRequestPem: csr.state.certRequestPem, caPrivateKeyPem: await ecKey(), caCertPem: ca.state.certPem,
            allowedUses: ["client_auth"], validityPeriodHours: 1,
        }), /private key does not match the certificate/);
    });
});

describe("offline AWS Private CA stand-in (offline/engine/mock-private-ca.ts)", () => {
    let caArn: string;
    let rootPem: string;
    let csrPem: string;

    beforeEach(async () => {
        resetMockPki();
        const ca = await mockPrivateCaResource(PCA, "root", {
            type: "ROOT", certificateAuthorityConfiguration: {
                keyAlgorithm: "EC_prime256v1", signingAlgorithm: "SHA256WITHECDSA", subject: { commonName: "pca root" },
            },
        });
        caArn = ca.state.arn;
        const root = await mockPrivateCaResource(PCA_CERT, "root", {
            certificateAuthorityArn: caArn, certificateSigningRequest: ca.state.certificateSigningRequest,
            signingAlgorithm: "SHA256WITHECDSA", templateArn: "arn:aws:acm-pca:::template/RootCACertificate/V1",
            validity: { type: "YEARS", value: "10" },
        });
        rootPem = root.state.certificate;
        csrPem = (await mockTlsResource(CSR, "leaf", { privateKeyPem: await ecKey(), subject: { commonName: "leaf" }, dnsNames: ["leaf.test"] })).state.certRequestPem;
    });

    const issue = (template: string, extra: Record<string, any> = {}) => mockPrivateCaResource(PCA_CERT, "leaf", {
        certificateAuthorityArn: caArn, certificateSigningRequest: csrPem, signingAlgorithm: "SHA256WITHECDSA",
        templateArn: `arn:aws:acm-pca:::template/${template}`, validity: { type: "DAYS", value: "30" }, ...extra,
    });
    const install = () => mockPrivateCaResource(PCA_INSTALL, "root", { certificateAuthorityArn: caArn, certificate: rootPem, certificateChain: "" });

    it("issues the root from the CA's own CSR with the RootCACertificate/V1 extensions", () => {
        assert.strictEqual(ext(rootPem, x509.BasicConstraintsExtension)?.ca, true);
        assert.strictEqual(ext(rootPem, x509.KeyUsagesExtension)?.usages,
            x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
        assert.strictEqual(ext(rootPem, x509.ExtendedKeyUsageExtension), null);
        assert.strictEqual(new X509Certificate(rootPem).subject, "CN=pca root");
        assert.ok(new X509Certificate(rootPem).checkIssued(new X509Certificate(rootPem)));
    });

    it("refuses end-entity issuance before the CA certificate is installed, as AWS does", async () => {
        await assert.rejects(issue("EndEntityClientAuthCertificate/V1"), /no certificate installed yet/);
    });

    it("issues client certificates with clientAuth only and server certificates with serverAuth only, chained to the root", async () => {
        await install();
        for (const [template, eku] of [["EndEntityClientAuthCertificate/V1", EKU.clientAuth], ["EndEntityServerAuthCertificate/V1", EKU.serverAuth]]) {
            const { state } = await issue(template);
            assert.deepStrictEqual([...(ext(state.certificate, x509.ExtendedKeyUsageExtension)?.usages ?? [])], [eku], template);
            assert.strictEqual(ext(state.certificate, x509.BasicConstraintsExtension)?.ca, false);
            assert.strictEqual(ext(state.certificate, x509.AuthorityKeyIdentifierExtension)?.keyId, ext(rootPem, x509.SubjectKeyIdentifierExtension)?.keyId);
            assert.strictEqual(state.certificateChain, rootPem);
            assert.ok(new X509Certificate(state.certificate).verify(new X509Certificate(rootPem).publicKey));
            assert.strictEqual(new X509Certificate(state.certificate).subjectAltName, "DNS:leaf.test");
        }
    });

    it("refuses a signing algorithm of the wrong key family and a validity type AWS does not have", async () => {
        await install();
        await assert.rejects(issue("EndEntityCertificate/V1", { signingAlgorithm: "SHA256WITHRSA" }), /the CA's ECDSA key signs with SHA256WITHECDSA/);
        await assert.rejects(issue("EndEntityCertificate/V1", { validity: { type: "HOURS", value: "12" } }), /AWS has no HOURS/);
    });

    it("refuses a certificate that would outlive the CA certificate", async () => {
        await install();
        await assert.rejects(issue("EndEntityCertificate/V1", { validity: { type: "YEARS", value: "11" } }), /after the CA certificate/);
    });
});
