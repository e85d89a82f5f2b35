import * as assert from "assert";
import { spawn } from "child_process";
import { randomUUID, X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as tls from "tls";
import { REFRESH_AGENT_PATH } from "../../components/compute/backend/user-data";
import { STUB_AWS_DIR } from "../../offline/commands/rehearse-rotation";
import { LOOPBACK, tempDir } from "../../offline/loopback/processes";
import { requireTools } from "./support/requires";
import { forge, Forged, SERVER_AUTH } from "./support/forge";
import { loopbackTerminator, LoopbackTerminator } from "./support/terminator";

const SECRET_ID = "arn:aws:secretsmanager:us-east-1:111122223333:secret:agent-test-AbCdEf";
const EX_REFUSED = 65;
const EX_TRANSIENT = 75;

interface AgentRun { status: number; stderr: string; syslog: string[] }

/**
 * The refresh agent (components/compute/backend/refresh-agent.sh) against real nginx on loopback and the
 * stub Secrets Manager (offline/stub-aws/aws). Its configuration check is wrapped so a test can make
 * it fail for a reason unrelated to the certificate, as an unrelated `nginx -t` failure would.
 */
describe("refresh agent: bad versions are refused, transient failures are retried (real nginx, stub Secrets Manager)", function () {
    this.timeout(60_000);
    let work: { dir: string; remove: () => void };
    let terminator: LoopbackTerminator;
    let secretsDir: string;
    let tlsDir: string;
    let brokenFlag: string;
    let checkCmd: string;
    let loggerPath: string;
    let syslogPath: string;
    let ca: Forged;
    let first: Forged;

    before(async function () {
        requireTools(this, "refresh agent (tests/tls/refresh-agent.test.ts)", ["nginx", "bash", "python3", "openssl"]);
        work = tempDir("e2etls-agent");
        secretsDir = path.join(work.dir, "secrets-manager");
        tlsDir = path.join(work.dir, "tls");
        terminator = await loopbackTerminator(path.join(work.dir, "nginx"), tlsDir);
        const { runtimeDir, confPath } = terminator;
        // A configuration check that fails while the flag exists (and clears the flag when it
        // says "once"), otherwise runs the real nginx -t.
        brokenFlag = path.join(work.dir, "check-broken");
        const wrapper = path.join(work.dir, "check.sh");
        fs.writeFileSync(wrapper, [
            "#!/bin/bash",
            `if [ -f ${brokenFlag} ]; then`,
            `  grep -q once ${brokenFlag} && rm -f ${brokenFlag}`,
            "  echo 'nginx: [emerg] unrelated: /etc/nginx/conf.d/other.conf is broken' >&2; exit 1",
            "fi",
            `exec nginx -t -q -p ${runtimeDir} -c ${confPath} -e ${runtimeDir}/error.log`,
            "",
        ].join("\n"), { mode: 0o755 });
        checkCmd = wrapper;
        // A logger(1) stand-in that records tag, priority and message, one line each.
        syslogPath = path.join(work.dir, "syslog");
        loggerPath = path.join(work.dir, "logger");
        fs.writeFileSync(loggerPath, `#!/bin/bash\n# -t TAG -p PRIO -- MSG\necho "$2 $4 $6" >> ${syslogPath}\n`, { mode: 0o755 });

        ca = await forge({ commonName: "agent test CA", isCa: true });
        first = await forge({ commonName: "backend v1", issuer: ca, eku: [SERVER_AUTH] });
        publish(first);
        const boot = await runAgent({ RELOAD_CMD: "true", RETRY_DELAYS: "" });
        assert.strictEqual(boot.status, 0, boot.stderr);
        await terminator.start();
    });

    after(async () => {
        await terminator?.stop();
        work?.remove();
    });

    function publish(cert: Forged, keyPem = cert.keyPem): string {
        const dir = path.join(secretsDir, encodeURIComponent(SECRET_ID));
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const versionId = randomUUID();
        fs.writeFileSync(path.join(dir, `${versionId}.json`), JSON.stringify({ certificate: cert.certPem, chain: ca.certPem, privateKey: keyPem }), { mode: 0o600 });
        fs.writeFileSync(path.join(dir, "AWSCURRENT"), `${versionId}\n`);
        return versionId;
    }

    function runAgent(env: Record<string, string>): Promise<AgentRun> {
        fs.rmSync(syslogPath, { force: true });
        return new Promise(resolve => {
            const child = spawn("bash", [REFRESH_AGENT_PATH], {
                env: {
                    ...process.env,
                    PATH: `${STUB_AWS_DIR}${path.delimiter}${process.env.PATH ?? ""}`,
                    STUB_AWS_SECRETS_DIR: secretsDir, SECRET_ID, TLS_DIR: tlsDir,
                    CHECK_CMD: checkCmd, RELOAD_CMD: terminator?.nginx?.reloadCommand ?? "true", LOGGER: loggerPath,
                    ...env,
                },
                stdio: ["ignore", "ignore", "pipe"],
            });
            let stderr = "";
            child.stderr!.on("data", d => { stderr += d; });
            const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
            child.on("close", status => {
                clearTimeout(kill);
                const syslog = fs.existsSync(syslogPath) ? fs.readFileSync(syslogPath, "utf8").trimEnd().split("\n") : [];
                resolve({ status: status ?? -1, stderr, syslog });
            });
        });
    }

    /** The certificate nginx presents to a fresh handshake. */
    function servedFingerprint(): Promise<string> {
        return new Promise((resolve, reject) => {
            const s = tls.connect({ host: LOOPBACK, port: terminator.port, rejectUnauthorized: false, servername: "backend" }, () => {
                const fp = s.getPeerCertificate().fingerprint256;
                s.destroy();
                resolve(fp);
            });
            s.on("error", reject);
        });
    }

    /** Fresh handshakes until nginx presents `cert` (a reload takes effect asynchronously), at most 50. */
    async function waitUntilServed(cert: Forged): Promise<boolean> {
        const want = new X509Certificate(cert.certPem).fingerprint256;
        for (let i = 0; i < 50; i++) {
            if (await servedFingerprint() === want) return true;
            await new Promise(r => setTimeout(r, 100));
        }
        return false;
    }

    const fingerprint = (c: Forged) => new X509Certificate(c.certPem).fingerprint256;

    it("installs a renewal once an unrelated nginx -t failure clears, and keeps serving the old certificate meanwhile", async () => {
        const before = await forge({ commonName: "backend before", issuer: ca, eku: [SERVER_AUTH] });
        publish(before);
        assert.strictEqual((await runAgent({ RETRY_DELAYS: "" })).status, 0);
        assert.ok(await waitUntilServed(before), "the starting certificate was not served");

        // A renewal brings a new key with its certificate in one version (components/pki/leaf-key.ts).
        const renewed = await forge({ commonName: "backend renewed", issuer: ca, eku: [SERVER_AUTH] });
        assert.notStrictEqual(renewed.keyPem, before.keyPem, "the renewal carries its own key");
        const version = publish(renewed);
        fs.writeFileSync(brokenFlag, "until removed\n");
        const failed = await runAgent({ RETRY_DELAYS: "" });
        assert.strictEqual(failed.status, EX_TRANSIENT, failed.stderr);
        assert.strictEqual(await servedFingerprint(), fingerprint(before), "nginx stopped serving the old certificate");
        assert.strictEqual(fs.readFileSync(terminator.certificatePath, "utf8").includes(before.certPem.trim()), true,
            "the previous files were not put back after the failed check");
        assert.ok(!fs.existsSync(path.join(tlsDir, "refused-version")), "a transient failure marked the version refused");
        assert.ok(failed.syslog.some(l => l.startsWith("e2etls-refresh daemon.err transient failure: the configuration check failed")
            && l.includes(version) && l.includes("unrelated")), failed.syslog.join("\n"));
        assert.match(fs.readFileSync(path.join(tlsDir, "status"), "utf8"), new RegExp(`^\\S+ transient ${version} the configuration check failed`));

        fs.rmSync(brokenFlag);
        const next = await runAgent({ RETRY_DELAYS: "" });
        assert.strictEqual(next.status, 0, next.stderr);
        assert.ok(await waitUntilServed(renewed), "the renewal was not served after the check recovered");
        assert.ok(next.syslog.some(l => l === `e2etls-refresh daemon.info now serving secret version ${version}`), next.syslog.join("\n"));
    });

    it("retries a failed configuration check within one run after the configured delay, and reports the retry", async () => {
        const renewed = await forge({ commonName: "backend retried", issuer: ca, eku: [SERVER_AUTH] });
        publish(renewed);
        fs.writeFileSync(brokenFlag, "once\n");
        const r = await runAgent({ RETRY_DELAYS: "0.1 0.1" });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.ok(r.syslog.some(l => l.startsWith("e2etls-refresh daemon.warning transient failure:") && l.includes("retrying in 0.1 s")), r.syslog.join("\n"));
        assert.ok(await waitUntilServed(renewed));
    });

    it("treats a failed fetch as transient: exits 75, reports it and leaves the served files alone", async () => {
        const served = fs.readFileSync(terminator.certificatePath, "utf8");
        const r = await runAgent({ RETRY_DELAYS: "", SECRET_ID: `${SECRET_ID}-missing` });
        assert.strictEqual(r.status, EX_TRANSIENT, r.stderr);
        assert.ok(r.syslog.some(l => l.startsWith("e2etls-refresh daemon.err transient failure: fetching the secret failed") && l.includes("ResourceNotFoundException")), r.syslog.join("\n"));
        assert.strictEqual(fs.readFileSync(terminator.certificatePath, "utf8"), served);
    });

    it("refuses a version whose key does not match its certificate, keeps serving, and reports it on every run while it is current", async () => {
        const current = await forge({ commonName: "backend current", issuer: ca, eku: [SERVER_AUTH] });
        publish(current);
        assert.strictEqual((await runAgent({ RETRY_DELAYS: "" })).status, 0);
        assert.ok(await waitUntilServed(current));

        const renewed = await forge({ commonName: "backend mismatched", issuer: ca, eku: [SERVER_AUTH] });
        const stranger = await forge({ commonName: "someone else", issuer: ca, eku: [SERVER_AUTH] });
        const version = publish(renewed, stranger.keyPem);
        for (let run = 1; run <= 2; run++) {
            const r = await runAgent({ RETRY_DELAYS: "0.1" });
            assert.strictEqual(r.status, EX_REFUSED, `run ${run}: ${r.stderr}`);
            assert.ok(r.syslog.some(l => l.startsWith("e2etls-refresh daemon.err refused:") && l.includes(version)), `run ${run}: ${r.syslog.join("\n")}`);
            assert.ok(!r.syslog.some(l => l.includes("retrying")), `run ${run}: a bad version was retried`);
            assert.strictEqual(fs.readFileSync(path.join(tlsDir, "refused-version"), "utf8").trim(), version);
            assert.strictEqual(await servedFingerprint(), fingerprint(current));
        }
        assert.match(fs.readFileSync(path.join(tlsDir, "status"), "utf8"), new RegExp(`^\\S+ refused ${version} `));

        const fixed = await forge({ commonName: "backend fixed", issuer: ca, eku: [SERVER_AUTH] });
        publish(fixed);
        assert.strictEqual((await runAgent({ RETRY_DELAYS: "" })).status, 0);
        assert.ok(await waitUntilServed(fixed), "a good version published after a refused one was not served");
        assert.ok(!fs.existsSync(path.join(tlsDir, "refused-version")));
    });

    it("refuses a version with a field that is not PEM without echoing the secret", async () => {
        const dir = path.join(secretsDir, encodeURIComponent(SECRET_ID));
        const versionId = randomUUID();
        fs.writeFileSync(path.join(dir, `${versionId}.json`), JSON.stringify({ certificate: "not a certificate", chain: ca.certPem, privateKey: first.keyPem }));
        fs.writeFileSync(path.join(dir, "AWSCURRENT"), `${versionId}\n`);
        const r = await runAgent({ RETRY_DELAYS: "" });
        assert.strictEqual(r.status, EX_REFUSED, r.stderr);
        assert.ok(r.syslog.some(l => l.includes(`version ${versionId}: secret field certificate is not PEM`)), r.syslog.join("\n"));
        assert.ok(!r.syslog.join("\n").includes("PRIVATE KEY") && !r.stderr.includes("PRIVATE KEY"));
    });
});
