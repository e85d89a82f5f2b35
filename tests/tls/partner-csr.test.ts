import * as assert from "assert";
import * as crypto from "crypto";
import { App, freePort, startApp, tempDir } from "../../offline/loopback/processes";
import { runProgram } from "../../offline/engine/run-program";
import { ProgramRun } from "../../offline/engine/recorded";
import { TOKENS } from "../../policies/shared/tokens";
import { TAG } from "../../components/facts";
import { partnerCsr, PartnerKey } from "./support/partner-key";
import { requireTools } from "./support/requires";
import { present, startVerifiers, stopVerifiers, Verifiers } from "./support/verifiers";

const PARTNER = "partner-byok";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

for (const { stack, pki } of [{ stack: "dev", pki: "self-managed" }, { stack: "prod", pki: "aws-private-ca" }] as const) {
    describe(`a bring-your-own-key mTLS client on the ${stack} stack (${pki})`, function () {
        this.timeout(60_000);
        let partner: PartnerKey;
        let run: ProgramRun;
        let verifiers: Verifiers;
        let certPem: string;
        let runtime: { dir: string; remove: () => void };
        let app: App;

        before(async function () {
            requireTools(this, `bring-your-own-key on ${stack} (tests/tls/partner-csr.test.ts)`, ["nginx", "openssl"]);
            runtime = tempDir(`e2etls-byok-${stack}`);
            const partnerDir = tempDir(`e2etls-partner-${stack}`);
            partner = partnerCsr(partnerDir.dir, PARTNER);
            partnerDir.remove();
            run = await runProgram({ stack, config: { "e2e-tls:mtlsClientCsrs": JSON.stringify([partner.csrPem]) } });
            certPem = run.outputs.partnerCertificatesPem?.[PARTNER];
            app = await startApp(await freePort());
            verifiers = await startVerifiers(run, runtime.dir, app.port);
        });

        after(async () => {
            await stopVerifiers(verifiers);
            await app?.close();
            runtime?.remove();
        });

        it("publishes a client_auth certificate for the request's own key, named by its common name, in a plain output", () => {
            assert.ok(certPem, `no partnerCertificatesPem.${PARTNER} output: ${JSON.stringify(Object.keys(run.outputs))}`);
            assert.ok(!run.secretOutputs.includes("partnerCertificatesPem"), "the certificate output is marked secret");
            const cert = new crypto.X509Certificate(certPem);
            assert.match(cert.subject, new RegExp(`CN=${PARTNER}`));
            const partnerPublic = crypto.createPublicKey(partner.keyPem).export({ type: "spki", format: "der" });
            assert.ok(cert.publicKey.export({ type: "spki", format: "der" }).equals(partnerPublic), "the certificate is not for the partner's key");
            assert.ok(cert.checkIssued(new crypto.X509Certificate(verifiers.pki.caBundle)), "not issued by the stack's CA");
            assert.ok((cert.keyUsage ?? []).includes(CLIENT_AUTH), `extended key usage ${cert.keyUsage}`);
            assert.strictEqual(run.outputs.clientCertificateSerials[PARTNER], cert.serialNumber);
        });

        it("is admitted with the partner's key by the listener stand-in and by a verifying nginx", async () => {
            const r = await present(verifiers, { certPem, keyPem: partner.keyPem });
            assert.strictEqual(r.verdict, "verified");
            assert.strictEqual(r.viaEndpoint.status, 200);
            assert.strictEqual(r.viaNginx.status, 200);
        });

        it("holds no private key for that client anywhere in the recorded state, secret or not", () => {
            // The private scalar in every form it could be written: base64url (JWK), base64, hex, and
            // the stretch of the PEM body that carries it (the first 48 characters are a header every
            // P-256 key shares).
            const d = Buffer.from(crypto.createPrivateKey(partner.keyPem).export({ format: "jwk" }).d!, "base64url");
            const body = partner.keyPem.split("\n").filter(l => l && !l.startsWith("-----")).join("");
            const state = JSON.stringify([run.resources.map(r => [r.inputs, r.outputs]), run.outputs]).replace(/\\n/g, "");
            for (const form of [d.toString("base64url"), d.toString("base64"), d.toString("hex"), body.slice(48, 88)]) {
                assert.ok(!state.includes(form), `the partner's private key is in the state (${form.slice(0, 6)}...)`);
            }
            const mine = run.resources.filter(r => r.urn.includes(`web-partner-${PARTNER}`));
            assert.ok(mine.length > 0, "no resources for the partner");
            assert.deepStrictEqual(mine.filter(r => r.type === TOKENS.tlsPrivateKey || r.type === TOKENS.tlsCertRequest).map(r => r.name), []);
            // Every private key the state does hold (the CA's, the backend's, central clients') is another key.
            const partnerPublic = crypto.createPublicKey(partner.keyPem).export({ type: "spki", format: "der" });
            const text = JSON.stringify([run.resources.map(r => [r.inputs, r.outputs]), run.outputs]).replace(/\\+n/g, "\n");
            // PEM (PKCS#1, SEC 1, PKCS#8) keys; the OpenSSH copies @pulumi/tls also outputs are the same keys.
            const keys = [...text.matchAll(/-----BEGIN ((?:RSA |EC )?)PRIVATE KEY-----[^-]+-----END \1PRIVATE KEY-----/g)].map(m => m[0].replace(/\\/g, ""));
            assert.ok(keys.length > 0, "found no private key at all: the search is broken");
            for (const pem of keys) {
                assert.ok(!crypto.createPublicKey(pem).export({ type: "spki", format: "der" }).equals(partnerPublic), "the partner's key is in the state");
            }
            const secrets = run.resources.filter(r => r.type === TOKENS.secretsManagerSecret && r.inputs.tags?.[TAG.client] === PARTNER);
            assert.deepStrictEqual(secrets.map(r => r.name), [], "a secret was made for a client whose key the stack does not have");
        });
    });
}
