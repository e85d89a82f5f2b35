import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { rehearseRotation } from "../../offline/loopback/rotation";
import { requireTools } from "./support/requires";

const ROOT = path.resolve(__dirname, "../..");
const LINE = /^rotation: (\d+) requests, (\d+) failed, new certificate served: (yes|no)$/;

describe("certificate rotation rehearsal (refresh agent, stub Secrets Manager, nginx on loopback)", function () {
    this.timeout(90_000);

    before(function () {
        requireTools(this, "rotation rehearsal (tests/tls/rotation.test.ts)", ["nginx", "bash", "python3"]);
    });

    it("serves the renewed certificate under load with no failed request, and says so on its last line", () => {
        const r = spawnSync(process.execPath, [
            "-r", "ts-node/register/transpile-only", "offline/commands/rehearse-rotation.ts",
            "--stack", "dev", "--requests", "300", "--seconds", "20", "--rate", "25",
        ], { cwd: ROOT, encoding: "utf8", timeout: 80_000 });
        const lines = r.stdout.trimEnd().split("\n");
        const last = lines[lines.length - 1];
        const m = LINE.exec(last);
        assert.ok(m, `last line: ${JSON.stringify(last)}\n${r.stdout}${r.stderr}`);
        assert.ok(Number(m[1]) > 0 && Number(m[1]) <= 300, last);
        assert.strictEqual(m[2], "0", r.stdout);
        assert.strictEqual(m[3], "yes", r.stdout);
        assert.strictEqual(r.status, 0);
    });

    it("hands a renewal with a new key over under load: the new certificate and its new key are served, with no failed request", async () => {
        const r = await rehearseRotation({ stack: "dev", maxRequests: 150, maxSeconds: 6, ratePerSecond: 25, publishAfterMs: 1000, agentIntervalMs: 500 });
        assert.strictEqual(r.keyRotated, true, "the renewal brings a new key, as pulumi up in a new renewal period does");
        assert.strictEqual(r.failed, 0, r.errors.join("\n"));
        assert.strictEqual(r.newCertificateServed, true, r.line);
    });

    it("keeps serving the old certificate when a renewal's key does not match, and reports it as not served", async () => {
        const r = await rehearseRotation({
            stack: "dev", maxRequests: 150, maxSeconds: 6, ratePerSecond: 25, publishAfterMs: 1000, agentIntervalMs: 500,
            renewal: "mismatched-key",
        });
        assert.match(r.line, LINE);
        assert.strictEqual(r.failed, 0, r.errors.join("\n"));
        assert.strictEqual(r.newCertificateServed, false);
        assert.strictEqual(r.servedNew, 0);
        assert.ok(r.agentFailures > 0, "the agent's configuration check never refused the mismatched key");
        assert.ok(r.line.endsWith("new certificate served: no"));
    });
});
