import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import { buildRevocationList } from "../../components/pki/crl";
import { emitPki, EmittedPki } from "../../offline/commands/emit-pki";
import { attempt } from "../../offline/loopback/client";
import { App, freePort, Nginx, startApp, tempDir } from "../../offline/loopback/processes";
import { requireTools } from "./support/requires";
import { runProgram } from "../../offline/engine/run-program";
import { forge, Forged } from "./support/forge";
import { startMtlsEndpoint, MtlsEndpoint } from "./support/mtls-endpoint";
import { caMaterial } from "./support/pki";
import { startVerifyingNginx } from "./support/verifying-nginx";

/** The serial the stack is told to revoke; the test then issues a client certificate with it. */
const REVOKED_SERIAL = "5EC0DE0000000000000000000000D00D";

describe("client certificate revocation (dev stack with revokedSerials)", function () {
    this.timeout(60_000);
    let pki: EmittedPki;
    let ca: { certPem: string; keyPem: string };
    let runtime: { dir: string; remove: () => void };
    let revoked: Forged;
    let stillValid: Forged;
    let endpoint: MtlsEndpoint;
    let app: App;
    let nginx: { nginx: Nginx; port: number };

    before(async function () {
        requireTools(this, "revocation (tests/tls/revocation.test.ts)", ["nginx", "openssl"]);
        const run = await runProgram({ stack: "dev", config: { "e2e-tls:revokedSerials": JSON.stringify([REVOKED_SERIAL.toLowerCase()]) } });
        runtime = tempDir("e2etls-crl");
        pki = emitPki(run, runtime.dir);
        ca = caMaterial(run);
        revoked = await forge({ commonName: "revoked-client", issuer: ca, serialNumber: REVOKED_SERIAL });
        stillValid = await forge({ commonName: "other-client", issuer: ca });
        const backend = { certPem: fs.readFileSync(pki.backend.certPath, "utf8"), keyPem: fs.readFileSync(pki.backend.keyPath, "utf8") };
        endpoint = await startMtlsEndpoint({ caBundle: pki.caBundle, crl: pki.crl, ...backend, ignoreClientCertificateExpiry: false });
        app = await startApp(await freePort());
        nginx = await startVerifyingNginx(pki, runtime.dir, app.port);
    });

    after(async () => {
        await endpoint?.close();
        await nginx?.nginx.stop();
        await app?.close();
        runtime?.remove();
    });

    async function present(cert: { certPem: string; keyPem: string }) {
        const args = { ca: pki.caBundle, servername: "backend.e2e-tls.internal", cert: cert.certPem, key: cert.keyPem };
        const viaEndpoint = await attempt({ ...args, port: endpoint.port });
        const verdict = endpoint.verdicts[endpoint.verdicts.length - 1];
        const viaNginx = await attempt({ ...args, port: nginx.port });
        return { viaEndpoint, verdict, viaNginx };
    }

    it("publishes a PEM CRL, signed by the stack CA, that lists the revoked serial", () => {
        assert.ok(pki.crlPath, "the trust store carries no revocation list");
        const text = execFileSync("openssl", ["crl", "-in", pki.crlPath!, "-noout", "-text", "-CAfile", pki.caPath], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        assert.match(text, new RegExp(`Serial Number: ${REVOKED_SERIAL}`));
        assert.match(text, /X509v3 CRL Number/);
        const verified = spawnSync("openssl", ["crl", "-in", pki.crlPath!, "-noout", "-CAfile", pki.caPath], { encoding: "utf8" });
        assert.strictEqual(verified.status, 0, verified.stderr);
        assert.match(verified.stderr, /verify OK/);
    });

    it("refuses the revoked client certificate at the listener stand-in and at nginx", async () => {
        const r = await present(revoked);
        assert.strictEqual(r.verdict.reason, "CERT_REVOKED");
        assert.notStrictEqual(r.viaEndpoint.status, 200);
        assert.strictEqual(r.viaNginx.status, 400);
    });

    it("still admits the program's own client and any other certificate of the CA", async () => {
        const own = Object.values(pki.clients)[0];
        for (const cert of [{ certPem: fs.readFileSync(own.certPath, "utf8"), keyPem: fs.readFileSync(own.keyPath, "utf8") }, stillValid]) {
            const r = await present(cert);
            assert.strictEqual(r.verdict.reason, "verified");
            assert.strictEqual(r.viaEndpoint.status, 200);
            assert.strictEqual(r.viaNginx.status, 200);
        }
    });

    it("signs the same revocation list byte for byte from the same inputs, so pulumi up shows no diff", async () => {
        const args = { caCertificatePem: ca.certPem, caPrivateKeyPem: ca.keyPem, revokedSerials: ["0a:bc", REVOKED_SERIAL] };
        const a = await buildRevocationList(args);
        assert.strictEqual(await buildRevocationList({ ...args, revokedSerials: [REVOKED_SERIAL, "ABC"] }), a);
        assert.notStrictEqual(await buildRevocationList({ ...args, revokedSerials: ["ABC"] }), a);
    });
});
