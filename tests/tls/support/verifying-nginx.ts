import * as fs from "fs";
import * as path from "path";
import { renderNginxConf } from "../../../components/compute/backend/nginx";
import { EmittedPki } from "../../../offline/commands/emit-pki";
import { freePort, LOOPBACK, Nginx, startNginx } from "../../../offline/loopback/processes";

/**
 * A second nginx from the same rendered config plus `ssl_verify_client on` against ca.pem (and the
 * stack's CRL, when it has one): an independent verifier (OpenSSL via nginx) to cross-check the
 * listener stand-in's verdicts. nginx answers a refused client certificate with HTTP 400 rather
 * than a handshake failure.
 */
export async function startVerifyingNginx(pki: EmittedPki, parentDir: string, appPort: number): Promise<{ nginx: Nginx; port: number }> {
    const dir = path.join(parentDir, "verify");
    fs.mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const verify = [
        `ssl_client_certificate ${pki.caPath};`,
        ...(pki.crlPath ? [`ssl_crl ${pki.crlPath};`] : []),
        "ssl_verify_client on;",
        "ssl_verify_depth 3;",
    ].map(d => `        ${d}`).join("\n");
    const conf = renderNginxConf({
        backendPort: port, appPort, listenAddress: LOOPBACK, runtimeDir: dir,
        certificatePath: pki.backend.certPath, privateKeyPath: pki.backend.keyPath,
    }).replace(/^(\s*)ssl_certificate_key .*$/m, m => `${m}\n${verify}`);
    const confPath = path.join(dir, "nginx.conf");
    fs.writeFileSync(confPath, conf);
    return { nginx: await startNginx(dir, confPath, port), port };
}
