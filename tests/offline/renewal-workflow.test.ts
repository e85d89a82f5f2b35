/**
 * The scheduled renewal: refresh then up for each stack, from main, one operation per stack at a
 * time, and a failure that someone sees (a failed job and one issue, commented on while it is
 * open). The failure report's script runs here against a stand-in `gh`.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR as ROOT } from "../../offline/engine/stack-file";
import { stepsUsing, workflow } from "./workflows-support";

const renewal = () => workflow("renewal.yml").doc;

/**
 * Runs the failure report's script with a `gh` that logs its arguments and answers `issue list`
 * with `openIssue` (what the real gh prints after --jq: the number, or nothing).
 */
function reportFailure(openIssue: string): string[][] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "renewal-gh-"));
    const log = path.join(dir, "calls");
    fs.writeFileSync(path.join(dir, "gh"), [
        "#!/bin/bash",
        `for a in "$@"; do printf '%s\\x1f' "$a"; done >> "${log}"; printf '\\x1e' >> "${log}"`,
        'case "$1 $2" in',
        '  "run view") echo "refresh and up (prod)" ;;',
        `  "issue list") printf '%s' "${openIssue}" ;;`,
        "esac",
    ].join("\n"), { mode: 0o755 });
    const step = renewal().jobs["report-failure"].steps[0];
    const env = {
        PATH: `${dir}:${process.env.PATH}`, GH_TOKEN: "t", GH_REPO: "org/repo", RUN_ID: "42",
        RUN_URL: "https://github.com/org/repo/actions/runs/42", NOTIFY: "@org/platform",
    };
    // GitHub runs `run:` with `bash -e`.
    const res = spawnSync("bash", ["-e", "-c", step.run], { env, encoding: "utf8" });
    assert.equal(res.status, 0, `the report script failed: ${res.stderr}`);
    return fs.readFileSync(log, "utf8").split("\x1e").filter(c => c !== "").map(line => line.split("\x1f").filter(a => a !== ""));
}

describe("renewal workflow", () => {
    it("runs on its schedule and by hand only, never for a push or a pull request", () => {
        assert.deepEqual(Object.keys(renewal().on).sort(), ["schedule", "workflow_dispatch"]);
        assert.deepEqual(renewal().permissions, {}, "no default permissions: each job asks for its own");
    });

    it("refreshes, then runs up with the policy pack, for each stack, from main and the stack's environment", () => {
        const job = renewal().jobs.renew;
        assert.equal(job.environment, "${{ matrix.stack }}");
        assert.equal(job.if, "${{ github.ref == 'refs/heads/main' }}");
        assert.deepEqual(job.permissions, { contents: "read", "id-token": "write" });
        assert.equal(job.strategy["fail-fast"], false, "one stack's failure does not stop the other's renewal");
        const names = job.steps.map((s: any) => s.name ?? s.uses ?? s.run);
        const aws = names.findIndex((n: string) => n.startsWith("aws-actions/configure-aws-credentials@"));
        const pulumi = stepsUsing(job, "pulumi/actions");
        assert.deepEqual(pulumi.map(s => s.with.command), ["refresh", "up"], "refresh first, so up plans against what AWS holds");
        assert.ok(aws >= 0 && aws < names.indexOf(pulumi[0].name), "credentials before the first pulumi command");
        for (const s of pulumi) {
            assert.equal(s.with["stack-name"], "${{ vars.PULUMI_STACK_PREFIX }}${{ matrix.stack }}");
            assert.equal(s.with["pulumi-version"], "3.248.0");
            assert.equal(s.env.PULUMI_CONFIG_PASSPHRASE, "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
        }
        assert.equal(pulumi[1].with.policyPacks, "policies", "the pack judges every scheduled up");
        assert.ok(names.indexOf("Build the policy pack (its entry point is compiled JavaScript)") < names.indexOf(pulumi[1].name));
    });

    it("holds credentials for the job's whole timeout, and the operations guide sets the deploy roles' maximum session duration to match", () => {
        const job = renewal().jobs.renew;
        const [aws] = stepsUsing(job, "aws-actions/configure-aws-credentials");
        const seconds = Number(aws.with["role-duration-seconds"]);
        assert.equal(seconds, job["timeout-minutes"] * 60, "one hour by default, not refreshed: a 120-minute refresh and up would lose its credentials halfway");
        const page = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
        const start = page.indexOf("## Certificate renewal");
        const section = page.slice(start, page.indexOf("\n## ", start + 1));
        assert.ok(section.includes(`--max-session-duration ${seconds}`), "the setup names the MaxSessionDuration the role needs");
        assert.match(section, /MaxSessionDuration/);
    });

    it("runs one operation per stack at a time and never cancels one halfway", () => {
        const { concurrency } = renewal().jobs.renew;
        assert.deepEqual(concurrency, { group: "pulumi-${{ matrix.stack }}", "cancel-in-progress": false });
    });

    it("reports a failure from a job that runs only when a renewal failed, writes issues and runs no repository code", () => {
        const job = renewal().jobs["report-failure"];
        assert.equal(job.needs, "renew");
        assert.equal(job.if, "${{ failure() }}");
        assert.deepEqual(job.permissions, { actions: "read", issues: "write" });
        assert.equal(job.steps.length, 1);
        assert.equal(job.steps[0].env.GH_TOKEN, "${{ github.token }}");
        assert.equal(job.environment, undefined, "no environment: it needs none of the stack's secrets");
    });

    it("opens the renewal issue when none is open, naming the failed stack, the run and whom to tell", () => {
        const calls = reportFailure("");
        const create = calls.find(c => c[0] === "issue" && c[1] === "create");
        assert.ok(create, `gh issue create was not called: ${JSON.stringify(calls)}`);
        assert.equal(create[create.indexOf("--title") + 1], "Certificate renewal failed");
        const body = create[create.indexOf("--body") + 1];
        assert.match(body, /failed: refresh and up \(prod\)\. Run: https:\/\/github\.com\/org\/repo\/actions\/runs\/42/);
        assert.match(body, /cc @org\/platform/);
        assert.ok(!calls.some(c => c[1] === "comment"));
    });

    it("comments on the open renewal issue instead of opening another", () => {
        const calls = reportFailure("17");
        const comment = calls.find(c => c[0] === "issue" && c[1] === "comment");
        assert.ok(comment, `gh issue comment was not called: ${JSON.stringify(calls)}`);
        assert.equal(comment[2], "17");
        assert.ok(!calls.some(c => c[1] === "create"), "no second issue");
        const list = calls.find(c => c[1] === "list")!;
        assert.match(list[list.indexOf("--jq") + 1], /select\(\.title == "Certificate renewal failed"\)/, "only an issue of exactly that title counts");
    });

    it("documents what runs when, the environments, the roles' OIDC subjects and Pulumi Deployments in the operations guide", () => {
        const page = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
        const start = page.indexOf("## Certificate renewal");
        assert.ok(start >= 0, "docs/operations.md has the section");
        const section = page.slice(start, page.indexOf("\n## ", start + 1));
        for (const cron of renewal().on.schedule.map((s: any) => s.cron)) assert.ok(section.includes(`\`${cron}\``), `the section names the cron ${cron}`);
        for (const env of ["dev", "prod", "preview-dev", "preview-prod"]) assert.ok(section.includes(`\`${env}\``), `the section sets up the environment ${env}`);
        assert.match(section, /repo:<org>\/<repo>:environment:prod/);
        assert.match(section, /required reviewers/i);
        assert.match(section, /Pulumi Deployments/);
    });
});
