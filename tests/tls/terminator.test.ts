import * as assert from "assert";
import * as fs from "fs";
import * as tls from "tls";
import { LOOPBACK, nginxTest, tempDir } from "../../offline/loopback/processes";
import { requireTools } from "./support/requires";
import { forge, SERVER_AUTH } from "./support/forge";
import { loopbackTerminator, LoopbackTerminator } from "./support/terminator";

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
    let t: LoopbackTerminator;

    before(async function () {
        requireTools(this, "terminator (tests/tls/terminator.test.ts)", ["nginx"]);
        work = tempDir("e2etls-terminator");
        const ca = await forge({ commonName: "terminator test CA", isCa: true });
        const leaf = await forge({ commonName: "backend", issuer: ca, eku: [SERVER_AUTH] });
        t = await loopbackTerminator(work.dir, work.dir);
        fs.writeFileSync(t.certificatePath, leaf.certPem + ca.certPem);
        fs.writeFileSync(t.privateKeyPath, leaf.keyPem, { mode: 0o600 });
        await t.start();
    });

    after(async () => {
        await t?.stop();
        work?.remove();
    });

    it("renders ssl_session_tickets off and still passes nginx -t", () => {
        assert.match(fs.readFileSync(t.confPath, "utf8"), /^\s+ssl_session_tickets off;$/m);
        const r = nginxTest(work.dir, t.confPath);
        assert.ok(r.ok, r.output);
    });

    it("issues no TLS session ticket, and resumes from its session cache instead", async () => {
        const first = await handshake(t.port);
        assert.strictEqual(first.ticket, undefined, "nginx issued a session ticket");
        assert.ok(first.session, "no session to resume");
        const second = await handshake(t.port, first.session);
        assert.strictEqual(second.reused, true, "the session cache did not resume the session");
    });
});
