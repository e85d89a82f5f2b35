import * as assert from "assert";
import { spawnSync } from "child_process";
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { REFRESH_AGENT_PATH } from "../../components/compute/backend/user-data";
import { STUB_AWS_DIR } from "../../offline/commands/rehearse-rotation";
import { tempDir } from "../../offline/loopback/processes";
import { requireTools } from "./support/requires";
import { forge, Forged, SERVER_AUTH } from "./support/forge";

const SECRET_ID = "arn:aws:secretsmanager:us-east-1:111122223333:secret:alerts-test-AbCdEf";
const TOPIC = "arn:aws:sns:us-east-1:111122223333:e2etls-alerts";

/**
 * The refresh agent's report hook: with ALERT_TOPIC_ARN set it publishes to the topic when its
 * outcome changes, once, and never the secret. `aws sns publish` is answered by a wrapper in front
 * of the stub Secrets Manager (offline/stub-aws/aws) that records each publish; the configuration
 * check and reload are `true`, so no nginx is needed.
 */
describe("refresh agent alerts: a refused or failing renewal is told to the alert topic once, and its recovery", function () {
    this.timeout(60_000);
    let work: { dir: string; remove: () => void };
    let secretsDir: string;
    let binDir: string;
    let published: string;
    let ca: Forged;

    before(async function () {
        requireTools(this, "refresh agent alerts (tests/tls/refresh-alerts.test.ts)", ["bash", "python3", "openssl"]);
        work = tempDir("e2etls-alerts");
        secretsDir = path.join(work.dir, "secrets-manager");
        binDir = path.join(work.dir, "bin");
        published = path.join(work.dir, "published");
        fs.mkdirSync(binDir);
        // `aws sns publish …` is recorded (and fails while sns-down exists); anything else goes to the stub.
        fs.writeFileSync(path.join(binDir, "aws"), [
            "#!/bin/bash",
            'if [ "$1" = sns ]; then',
            `  [ -f ${work.dir}/sns-down ] && { echo "Could not connect to the endpoint URL" >&2; exit 255; }`,
            `  printf '%s\\n' "$*" >> ${published}; exit 0`,
            "fi",
            `exec ${path.join(STUB_AWS_DIR, "aws")} "$@"`,
            "",
        ].join("\n"), { mode: 0o755 });
        ca = await forge({ commonName: "alerts test CA", isCa: true });
    });

    after(() => work?.remove());

    function publish(cert: Forged, keyPem = cert.keyPem): void {
        const dir = path.join(secretsDir, encodeURIComponent(SECRET_ID));
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const versionId = randomUUID();
        fs.writeFileSync(path.join(dir, `${versionId}.json`), JSON.stringify({ certificate: cert.certPem, chain: ca.certPem, privateKey: keyPem }), { mode: 0o600 });
        fs.writeFileSync(path.join(dir, "AWSCURRENT"), `${versionId}\n`);
    }

    /** Runs the agent once; returns its exit status and the publishes it made. */
    function runAgent(tlsDir: string, env: Record<string, string> = {}): { status: number; publishes: string[]; stderr: string } {
        fs.rmSync(published, { force: true });
        const r = spawnSync("bash", [REFRESH_AGENT_PATH], {
            env: {
                ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
                STUB_AWS_SECRETS_DIR: secretsDir, SECRET_ID, TLS_DIR: tlsDir, CHECK_CMD: "true", RELOAD_CMD: "true",
                RETRY_DELAYS: "", ALERT_TOPIC_ARN: TOPIC, ...env,
            },
            encoding: "utf8", timeout: 30_000,
        });
        const publishes = fs.existsSync(published) ? fs.readFileSync(published, "utf8").trimEnd().split("\n") : [];
        return { status: r.status ?? -1, publishes, stderr: r.stderr };
    }

    it("tells the topic once of a refused version, again only for another one, and once when a good version is served", async () => {
        const tlsDir = path.join(work.dir, "tls-refused");
        const good = await forge({ commonName: "backend v1", issuer: ca, eku: [SERVER_AUTH] });
        publish(good);
        assert.deepStrictEqual(runAgent(tlsDir).publishes, [], "a first good run tells no one");

        const stranger = await forge({ commonName: "stranger", isCa: true });
        const bad = await forge({ commonName: "backend v2", issuer: ca, eku: [SERVER_AUTH] });
        publish(bad, stranger.keyPem);
        const first = runAgent(tlsDir);
        assert.strictEqual(first.status, 65, first.stderr);
        assert.strictEqual(first.publishes.length, 1, first.publishes.join("\n"));
        assert.match(first.publishes[0], new RegExp(`^sns publish --topic-arn ${TOPIC} --subject e2e-tls refresh agent on .+: refused --message .*private key that does not match its certificate`));
        assert.ok(!first.publishes[0].includes("BEGIN"), "no PEM in the alert");
        assert.deepStrictEqual(runAgent(tlsDir).publishes, [], "the same refusal is not told on every timer run");

        const worse = await forge({ commonName: "backend v3", issuer: ca, eku: [SERVER_AUTH] });
        publish(worse, stranger.keyPem);
        assert.strictEqual(runAgent(tlsDir).publishes.length, 1, "another refused version is told");

        publish(await forge({ commonName: "backend v4", issuer: ca, eku: [SERVER_AUTH] }));
        const recovered = runAgent(tlsDir);
        assert.strictEqual(recovered.status, 0, recovered.stderr);
        assert.strictEqual(recovered.publishes.length, 1);
        assert.match(recovered.publishes[0], /: ok --message .*serving the current version again/);
        publish(await forge({ commonName: "backend v5", issuer: ca, eku: [SERVER_AUTH] }));
        assert.deepStrictEqual(runAgent(tlsDir).publishes, [], "an ordinary renewal tells no one");
    });

    it("tells the topic of a transient failure that outlasted the retries, and keeps the run's outcome when the publish itself fails", async () => {
        const tlsDir = path.join(work.dir, "tls-transient");
        publish(await forge({ commonName: "backend t1", issuer: ca, eku: [SERVER_AUTH] }));
        assert.strictEqual(runAgent(tlsDir).status, 0);
        publish(await forge({ commonName: "backend t2", issuer: ca, eku: [SERVER_AUTH] }));
        const failing = runAgent(tlsDir, { RELOAD_CMD: "false" });
        assert.strictEqual(failing.status, 75, failing.stderr);
        assert.strictEqual(failing.publishes.length, 1);
        assert.match(failing.publishes[0], /: transient --message .*transient failure outlasted the retries: reloading the terminator failed/);

        fs.rmSync(path.join(tlsDir, "status"));
        fs.writeFileSync(path.join(work.dir, "sns-down"), "");
        try {
            const unheard = runAgent(tlsDir, { RELOAD_CMD: "false" });
            assert.strictEqual(unheard.status, 75, "the outcome is the run's, not the publish's");
            assert.match(unheard.stderr, /could not publish the transient alert: Could not connect/);
        } finally {
            fs.rmSync(path.join(work.dir, "sns-down"));
        }
    });

    it("publishes nothing and calls no SNS without ALERT_TOPIC_ARN", async () => {
        const tlsDir = path.join(work.dir, "tls-none");
        const stranger = await forge({ commonName: "stranger 2", isCa: true });
        publish(await forge({ commonName: "backend n1", issuer: ca, eku: [SERVER_AUTH] }), stranger.keyPem);
        const r = runAgent(tlsDir, { ALERT_TOPIC_ARN: "" });
        assert.strictEqual(r.status, 65);
        assert.deepStrictEqual(r.publishes, []);
    });
});
