import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as tls from "tls";
import { renderNginxConf } from "../../components/compute/backend/nginx";
import { App, freePort, LOOPBACK, Nginx, nginxTest, startApp, startNginx, tempDir } from "../../offline/loopback/processes";
import { requireTools } from "./support/requires";
import { forge, SERVER_AUTH } from "./support/forge";

/** One TLS 1.2 handshake; what the server handed out for resumption. */
function handshake(port: number, session?: Buffer): Promise<{ ticket?: Buffer; session?: Buffer; reused: boolean }> {
    return new Promise((resolve, reject) => {
        const s = tls.connect({
            host: LOOPBACK, port, servername: "backend", rejectUnauthorized: false,
            minVersion: "TLSv1.2", maxVersion: "TLSv1.2", session,
        }, () => {
            const out = { ticket: s.getTLSTicket(), session: s.getSession(), reused: s.isSessionReused() };
            s.end();
            resolve(out);
        });
        s.on("error", reject);
    });
}

describe("the backend terminator's session resumption (real nginx, rendered config)", function () {
    this.timeout(30_000);
    let work: { dir: string; remove: () => void };
    let app: App;
    let nginx: Nginx;
    let port: number;
    let confPath: string;

    before(async function () {
        requireTools(this, "terminator (tests/tls/terminator.test.ts)", ["nginx"]);
        work = tempDir("e2etls-terminator");
        const ca = await forge({ commonName: "terminator test CA", isCa: true });
        const leaf = await forge({ commonName: "backend", issuer: ca, eku: [SERVER_AUTH] });
        fs.writeFileSync(path.join(work.dir, "fullchain.pem"), leaf.certPem + ca.certPem);
        fs.writeFileSync(path.join(work.dir, "privkey.pem"), leaf.keyPem, { mode: 0o600 });
        app = await startApp(await freePort());
        port = await freePort();
        confPath = path.join(work.dir, "nginx.conf");
        fs.writeFileSync(confPath, renderNginxConf({
            backendPort: port, appPort: app.port, listenAddress: LOOPBACK, runtimeDir: work.dir,
            certificatePath: path.join(work.dir, "fullchain.pem"), privateKeyPath: path.join(work.dir, "privkey.pem"),
        }));
        nginx = await startNginx(work.dir, confPath, port);
    });

    after(async () => {
        await nginx?.stop();
        await app?.close();
        work?.remove();
    });

    it("renders ssl_session_tickets off and still passes nginx -t", () => {
        assert.match(fs.readFileSync(confPath, "utf8"), /^\s+ssl_session_tickets off;$/m);
        const r = nginxTest(work.dir, confPath);
        assert.ok(r.ok, r.output);
    });

    it("issues no TLS session ticket, and resumes from its session cache instead", async () => {
        const first = await handshake(port);
        assert.strictEqual(first.ticket, undefined, "nginx issued a session ticket");
        assert.ok(first.session, "no session to resume");
        const second = await handshake(port, first.session);
        assert.strictEqual(second.reused, true, "the session cache did not resume the session");
    });
});
