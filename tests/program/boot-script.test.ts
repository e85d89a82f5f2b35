import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { AGENT_RETRY_DELAYS, BOOT_RETRY_PATH, DNF_TRIES, renderUserData } from "../../components/compute/backend/user-data";
import { applicationOf } from "../../components/compute/application";
import { validateConfig } from "../../config/index";
import { tempDir } from "../../offline/loopback/processes";
import { one, run } from "./support";

const ARGS = {
    secretArn: "arn:aws:secretsmanager:us-east-1:1:secret:x", region: "us-east-1", backendPort: 9443,
    application: applicationOf(validateConfig({ mtlsClients: ["a"], appPort: 9080 })),
};

/** Runs `retry <tries> <stub>` from the boot script, with a stub that fails `failures` times first. */
function retryWithStub(tries: number, failures: number): { status: number | null; calls: number; stderr: string } {
    const dir = tempDir("e2etls-retry");
    try {
        const counter = path.join(dir.dir, "calls");
        const stub = path.join(dir.dir, "flaky");
        fs.writeFileSync(stub, `#!/bin/bash\nn=$(( $(cat ${counter} 2>/dev/null || echo 0) + 1 ))\necho $n > ${counter}\n[ $n -gt ${failures} ]\n`, { mode: 0o755 });
        const r = spawnSync("bash", ["-c", `set -euo pipefail; source ${BOOT_RETRY_PATH}; retry ${tries} ${stub} --flag; echo after`], {
            encoding: "utf8", env: { ...process.env, RETRY_FIRST_DELAY: "0" }, timeout: 20_000,
        });
        const calls = Number(fs.existsSync(counter) ? fs.readFileSync(counter, "utf8") : 0);
        return { status: r.status, calls, stderr: r.stderr + (r.stdout.includes("after") ? "[continued]" : "") };
    } finally {
        dir.remove();
    }
}

describe("EC2 boot script: bounded retries instead of one try", () => {
    it("is valid bash, with the demo, an image or a start command", () => {
        const image = { mtlsClients: ["a"], appImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1", appEnvironment: { A: "it's \"quoted\"\nAPPCONFIG" } };
        const start = { mtlsClients: ["a"], amiId: "ami-0123456789abcdef0", appStartCommand: "exec /opt/shop/run\nUNIT" };
        for (const application of [ARGS.application, applicationOf(validateConfig(image)), applicationOf(validateConfig(start))]) {
            const script = renderUserData({ ...ARGS, application });
            const r = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
            assert.strictEqual(r.status, 0, r.stderr);
            // Settings are one line of JSON: no value can end their heredoc early.
            const settings = /<<'APPCONFIG'\n(.*)\nAPPCONFIG\n/.exec(script)?.[1];
            if (application.source === "image") assert.strictEqual(JSON.parse(settings!).environment.A, image.appEnvironment.A);
        }
    });

    it("installs packages through retry, with the retry function defined before it is used", () => {
        const ud = renderUserData(ARGS);
        const defined = ud.indexOf("retry() {");
        const used = ud.indexOf(`\nretry ${DNF_TRIES} dnf install -y nginx python3 openssl\n`);
        assert.ok(defined > 0, "the boot script defines no retry function");
        assert.ok(used > defined, "dnf install does not run through retry");
        assert.ok(!/^dnf install/m.test(ud), "dnf install still runs once, unguarded");
    });

    it("retries a failing command with back-off until it succeeds, and says so on stderr", () => {
        const r = retryWithStub(5, 2);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(r.calls, 3);
        assert.match(r.stderr, /e2etls-boot: '.*flaky --flag' failed \(try 1 of 5\); retrying in 0s/);
        assert.match(r.stderr, /\[continued\]$/);
    });

    it("gives up after the given number of tries and fails the boot under set -e", () => {
        const r = retryWithStub(3, 99);
        assert.strictEqual(r.status, 1);
        assert.strictEqual(r.calls, 3);
        assert.match(r.stderr, /failed 3 times; giving up/);
        assert.doesNotMatch(r.stderr, /\[continued\]/);
    });

    it("configures the refresh agent to retry a failed first fetch with back-off and to report to syslog", () => {
        const ud = renderUserData(ARGS);
        assert.match(ud, new RegExp(`\nRETRY_DELAYS=${AGENT_RETRY_DELAYS.join(" ")}\n`));
        assert.match(ud, /\nLOGGER=logger\n/);
        assert.match(ud, /\nSyslogIdentifier=e2etls-refresh\n/);
        assert.deepStrictEqual(AGENT_RETRY_DELAYS, [...AGENT_RETRY_DELAYS].sort((a, b) => a - b), "delays grow");
    });

    it("lets the agent's retries finish inside the ASG health-check grace period", async () => {
        const asg = one(await run("dev"), "aws:autoscaling/group:Group");
        const total = AGENT_RETRY_DELAYS.reduce((a, b) => a + b, 0);
        assert.ok(total < asg.inputs.healthCheckGracePeriod,
            `the agent waits ${total} s in all, not less than the ${asg.inputs.healthCheckGracePeriod} s grace`);
    });
});
