import * as assert from "assert";
import { mockTlsResource } from "../../offline/engine/mock-tls";
import { bundleProblems, certificateProblems, chainProblems, pemCertificates } from "./support/alb-rules";
import { forge, SERVER_AUTH } from "./support/forge";
import { judge } from "./support/mtls-endpoint";
import { programPki } from "./support/pki";

for (const stack of ["dev", "prod"] as const) {
    describe(`the ${stack} stack's PKI meets ALB's mutual-TLS rules`, function () {
        this.timeout(60_000);

        it("issues X.509v3 certificates with RSA 2048-8192 or ECDSA P-256/384/521 keys and SHA-2 signatures", async () => {
            const pki = await programPki(stack);
            const certs: [string, string][] = [
                ["backend", pki.backend.certificate],
                ...pemCertificates(pki.backend.chain).map((p, i): [string, string] => [`backend chain ${i + 1}`, p]),
                ...Object.entries(pki.clients).map(([name, c]): [string, string] => [`client ${name}`, c.certificate]),
            ];
            for (const [label, pem] of certs) assert.deepStrictEqual(certificateProblems(pem, label), [], label);
        });

        it("chains every client certificate to the trust-store bundle in at most 4 certificates", async () => {
            const pki = await programPki(stack);
            for (const [name, c] of Object.entries(pki.clients)) {
                assert.deepStrictEqual(await chainProblems(c.certificate, pemCertificates(pki.caBundle)), [], name);
            }
        });

        it("uploads a trust-store bundle of CA certificates with no blank lines or bad comments", async () => {
            const pki = await programPki(stack);
            assert.deepStrictEqual(bundleProblems(pki.caBundle), []);
        });
    });
}

describe("the ALB rule checks themselves", () => {
    it("flag a blank line, a comment with '-', text outside PEM and a non-CA certificate in a bundle", async () => {
        const root = await forge({ commonName: "root", isCa: true });
        const leaf = await forge({ commonName: "leaf", issuer: root });
        const bundle = `# ok comment\n# not-ok comment\n${root.certPem}\n${leaf.certPem}stray text\n`;
        const problems = bundleProblems(bundle);
        assert.ok(problems.some(p => /comment on line 2 contains "-"/.test(p)), problems.join("\n"));
        assert.ok(problems.some(p => /line \d+ is blank/.test(p)), problems.join("\n"));
        assert.ok(problems.some(p => /text outside PEM blocks/.test(p)), problems.join("\n"));
        assert.ok(problems.some(p => /bundle certificate 2 .* is not a CA certificate/.test(p)), problems.join("\n"));
    });

    it("flag an Ed25519 key and a 1024-bit RSA key", async () => {
        for (const [alg, expected] of [[{ algorithm: "ED25519" }, /Ed25519 key; ALB takes RSA or ECDSA/], [{ algorithm: "RSA", rsaBits: 1024 }, /1024-bit RSA key/]] as const) {
            const key = await mockTlsResource("tls:index/privateKey:PrivateKey", "k", alg);
            const cert = await mockTlsResource("tls:index/selfSignedCert:SelfSignedCert", "c", {
                privateKeyPem: key.state.privateKeyPem, subject: { commonName: "x" }, allowedUses: ["client_auth"], validityPeriodHours: 1,
            });
            assert.match(certificateProblems(cert.state.certPem).join("\n"), expected);
        }
    });

    it("refuse a client certificate without clientAuth even when the TLS library verified it", async () => {
        const cert = await forge({ commonName: "server-only", eku: [SERVER_AUTH] });
        const raw = Buffer.from(pemCertificates(cert.certPem)[0].replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
        const socket = { authorizationError: null, getPeerCertificate: () => ({ raw, ext_key_usage: [SERVER_AUTH] }) };
        assert.deepStrictEqual(judge(socket as any, false), { admitted: false, reason: "extended key usage lacks clientAuth" });
    });

    it("flag a chain deeper than 4 certificates", async () => {
        let issuer = await forge({ commonName: "root", isCa: true });
        const cas = [issuer.certPem];
        for (let i = 1; i <= 3; i++) {
            issuer = await forge({ commonName: `intermediate ${i}`, isCa: true, issuer });
            cas.push(issuer.certPem);
        }
        const leaf = await forge({ commonName: "leaf", issuer });
        assert.match((await chainProblems(leaf.certPem, cas)).join("\n"), /is 5 certificates deep; ALB allows 4/);
    });
});
