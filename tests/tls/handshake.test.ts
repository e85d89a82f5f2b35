import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { renderNginxConf } from "../../components/compute/backend/nginx";
import { attempt, Attempt } from "../../offline/loopback/client";
import { forge, Forged, SERVER_AUTH } from "./support/forge";
import { startMtlsEndpoint, MtlsEndpoint } from "./support/mtls-endpoint";
import { programPki, ProgramPki } from "./support/pki";
import { startVerifyingNginx } from "./support/verifying-nginx";
import { App, freePort, LOOPBACK, Nginx, nginxTest, startApp, startNginx, tempDir } from "../../offline/loopback/processes";
import { requireTools } from "./support/requires";

const STACKS: { stack: "dev" | "prod"; pki: string }[] = [
    { stack: "dev", pki: "self-managed CA" },
    { stack: "prod", pki: "AWS Private CA stand-in" },
];


function admitted(a: Attempt): boolean {
    return a.status === 200;
}

for (const { stack, pki: pkiKind } of STACKS) {
    describe(`TLS on loopback with the ${stack} stack's PKI (${pkiKind})`, function () {
        this.timeout(60_000);
        let pki: ProgramPki;
        let runtime: { dir: string; remove: () => void };
        let app: App;
        let nginx: Nginx | undefined;
        let confPath: string;
        let backendPort: number;

        before(async function () {
            requireTools(this, `handshakes with the ${stack} stack (tests/tls/handshake.test.ts)`, ["nginx", "openssl"]);
            pki = await programPki(stack);
            runtime = tempDir(`e2etls-nginx-${stack}`);
            app = await startApp(await freePort());
            backendPort = await freePort();
            confPath = path.join(runtime.dir, "nginx.conf");
            fs.writeFileSync(confPath, renderNginxConf({
                backendPort, appPort: app.port, listenAddress: LOOPBACK, runtimeDir: runtime.dir,
                certificatePath: pki.backend.certPath, privateKeyPath: pki.backend.keyPath,
            }));
        });

        after(async () => {
            await nginx?.stop();
            await app?.close();
            runtime?.remove();
        });

        it("renders a backend nginx config that passes nginx -t", () => {
            const r = nginxTest(runtime.dir, confPath);
            assert.ok(r.ok, r.output);
        });

        describe("the backend terminator (nginx with the rendered config)", () => {
            before(async () => {
                nginx = await startNginx(runtime.dir, confPath, backendPort);
            });

            for (const version of ["TLSv1.2", "TLSv1.3"] as const) {
                it(`serves the backend certificate over ${version} to a client that trusts only ca.pem and checks the internal name`, async () => {
                    const a = await attempt({ port: backendPort, ca: pki.caBundle, servername: pki.internalName, minVersion: version, maxVersion: version });
                    assert.strictEqual(a.error, undefined);
                    assert.strictEqual(a.protocol, version);
                    assert.strictEqual(a.status, 200);
                    assert.match(a.body ?? "", /^ok \d+/);
                });
            }

            it("is refused by a client that expects another name", async () => {
                const a = await attempt({ port: backendPort, ca: pki.caBundle, servername: "not-the-backend.example" });
                assert.strictEqual(a.error, "ERR_TLS_CERT_ALTNAME_INVALID");
            });

            it("is refused by a client that trusts another CA", async () => {
                const other = await forge({ commonName: "unrelated root", isCa: true });
                const a = await attempt({ port: backendPort, ca: other.certPem, servername: pki.internalName });
                // backend.crt carries the root too: the client finds an untrusted self-signed root in the chain.
                assert.strictEqual(a.error, "SELF_SIGNED_CERT_IN_CHAIN");
            });
        });

        describe("client certificates against an endpoint configured like the HTTPS listener (mTLS verify)", () => {
            let endpoint: MtlsEndpoint;
            let strictNginx: { nginx: Nginx; port: number } | undefined;
            let expired: Forged;
            let foreign: Forged;

            before(async () => {
                assert.strictEqual(pki.mutualAuthentication.mode, "verify");
                endpoint = await startMtlsEndpoint({
                    caBundle: pki.caBundle, certPem: fs.readFileSync(pki.backend.certPath, "utf8"),
                    keyPem: fs.readFileSync(pki.backend.keyPath, "utf8"),
                    ignoreClientCertificateExpiry: pki.mutualAuthentication.ignoreClientCertificateExpiry,
                });
                const day = 86_400_000;
                expired = await forge({ commonName: "expired-client", issuer: pki.ca, notBefore: new Date(Date.now() - 3 * day), notAfter: new Date(Date.now() - day) });
                const otherRoot = await forge({ commonName: "another root CA", isCa: true });
                foreign = await forge({ commonName: "foreign-client", issuer: otherRoot });
                strictNginx = await startVerifyingNginx(pki, runtime.dir, app.port);
            });

            after(async () => {
                await endpoint?.close();
                await strictNginx?.nginx.stop();
            });

            /** Presents a client certificate to the listener stand-in and to nginx (ssl_verify_client on). */
            async function present(cert?: { certPem: string; keyPem: string }) {
                const args = { ca: pki.caBundle, servername: pki.internalName, cert: cert?.certPem, key: cert?.keyPem };
                const viaEndpoint = await attempt({ ...args, port: endpoint.port });
                const verdict = endpoint.verdicts[endpoint.verdicts.length - 1];
                const viaNginx = await attempt({ ...args, port: strictNginx!.port });
                return { viaEndpoint, verdict, viaNginx };
            }

            it("admits every client certificate the program issued", async () => {
                assert.ok(Object.keys(pki.clients).length > 0, "the stack configures no mTLS clients");
                for (const [name, c] of Object.entries(pki.clients)) {
                    const r = await present({ certPem: fs.readFileSync(c.certPath, "utf8"), keyPem: fs.readFileSync(c.keyPath, "utf8") });
                    assert.ok(admitted(r.viaEndpoint), `${name}: ${r.verdict.reason} ${r.viaEndpoint.error ?? ""}`);
                    assert.strictEqual(r.verdict.reason, "verified");
                    assert.strictEqual(r.viaNginx.status, 200, `${name} via nginx`);
                }
            });

            it("refuses a connection without a client certificate", async () => {
                const r = await present();
                assert.ok(!admitted(r.viaEndpoint));
                assert.strictEqual(r.verdict.reason, "no client certificate");
                assert.strictEqual(r.viaNginx.status, 400);
            });

            it("refuses a client certificate from another CA", async () => {
                const r = await present(foreign);
                assert.ok(!admitted(r.viaEndpoint));
                assert.strictEqual(r.verdict.reason, "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
                assert.strictEqual(r.viaNginx.status, 400);
            });

            it("refuses an expired client certificate from the program's own CA", async () => {
                assert.strictEqual(pki.mutualAuthentication.ignoreClientCertificateExpiry, false);
                const r = await present(expired);
                assert.ok(!admitted(r.viaEndpoint));
                assert.strictEqual(r.verdict.reason, "CERT_HAS_EXPIRED");
                assert.strictEqual(r.viaNginx.status, 400);
            });

            it("admits that expired certificate only when ignoreClientCertificateExpiry is on", async () => {
                const lenient = await startMtlsEndpoint({
                    caBundle: pki.caBundle, certPem: fs.readFileSync(pki.backend.certPath, "utf8"),
                    keyPem: fs.readFileSync(pki.backend.keyPath, "utf8"), ignoreClientCertificateExpiry: true,
                });
                try {
                    const a = await attempt({ port: lenient.port, ca: pki.caBundle, servername: pki.internalName, cert: expired.certPem, key: expired.keyPem });
                    assert.ok(admitted(a), lenient.verdicts[0]?.reason);
                    assert.strictEqual(lenient.verdicts[0].reason, "admitted despite CERT_HAS_EXPIRED");
                } finally {
                    await lenient.close();
                }
            });

            it("refuses the backend's server-only certificate presented as a client certificate", async () => {
                const backend = { certPem: fs.readFileSync(pki.backend.certPath, "utf8"), keyPem: fs.readFileSync(pki.backend.keyPath, "utf8") };
                const r = await present(backend);
                assert.ok(!admitted(r.viaEndpoint));
                assert.strictEqual(r.verdict.reason, "INVALID_PURPOSE");
                assert.strictEqual(r.viaNginx.status, 400);
            });

            it("refuses a certificate from the program's CA that has serverAuth only", async () => {
                const serverOnly = await forge({ commonName: "server-only", issuer: pki.ca, eku: [SERVER_AUTH] });
                const r = await present(serverOnly);
                assert.ok(!admitted(r.viaEndpoint));
                assert.strictEqual(r.verdict.reason, "INVALID_PURPOSE");
                assert.strictEqual(r.viaNginx.status, 400);
            });
        });
    });
}
