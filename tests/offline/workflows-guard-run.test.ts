/**
 * What the reusable guard workflow (.github/workflows/guard.yml) does with a preview: the real
 * `pulumi preview --policy-pack` keeps the engine's JSON events, `npm run preview:sarif` turns the
 * pack's findings into SARIF and a Markdown verdict, a mandatory violation (or a preview that did
 * not finish) fails the job; a job that runs no program and holds no secret uploads the SARIF to
 * code scanning, another comments the verdict on the pull request, one comment updated each run.
 * The steps' scripts run here: the preview against a stand-in `pulumi` that prints the recorded
 * events (tests/offline/fixtures/preview-events.jsonl), the conversion for real, the comment
 * against a stand-in `gh` and the real jq.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { hasCommand, runStep, secretsOf, stepsUsing, workflow } from "./workflows-support";

const ROOT = path.resolve(__dirname, "..", "..");
const SAMPLE = path.join(__dirname, "fixtures", "preview-events.jsonl");
const guard = () => workflow("guard.yml").doc;
const stepOf = (jobId: string, name: string) => guard().jobs[jobId].steps.find((s: any) => s.name === name);

/** A folder holding an executable `name` that runs `script`, to put first on $PATH. */
function standIn(name: string, script: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fake-${name}-`));
    fs.writeFileSync(path.join(dir, name), `#!/usr/bin/env bash\n${script}\n`, { mode: 0o755 });
    return dir;
}

describe("the reusable guard workflow: preview, verdict, code scanning, comment", function () {
    this.timeout(120_000);
    let tmp = "";
    beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "guard-run-"))));
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("runs pulumi preview with the built pack and the chosen config, streaming the engine's JSON events to a file, and records its exit code without stopping", () => {
        const preview = stepOf("preview", "pulumi preview with the pack");
        assert.equal(preview.env.PULUMI_ENABLE_STREAMING_JSON_PREVIEW, "true", "--json alone prints a digest without policy events");
        assert.equal(preview.env.STACK, "${{ matrix.stack }}");
        const pulumi = standIn("pulumi", `printf '%s\\n' "$@" > "$ARGS_FILE"; cat "${SAMPLE}"; exit 255`);
        const out = path.join(tmp, "out");
        const run = (configFile: string) => {
            const r = runStep(preview, { STACK: "acme/shop/dev", CONFIG_FILE: configFile, OUT: out, GITHUB_WORKSPACE: "/ws", ARGS_FILE: path.join(tmp, "args") }, { cwd: tmp, path: pulumi });
            return { ...r, args: fs.readFileSync(path.join(tmp, "args"), "utf8").trim().split("\n") };
        };
        const strict = run("/ws/.e2e-tls-guard/policies/config/org-strict.json");
        assert.equal(strict.code, 0, strict.stderr);
        assert.deepEqual(strict.outputs, { "exit-code": "255" });
        assert.deepEqual(strict.args, ["preview", "--stack", "acme/shop/dev", "--policy-pack", "/ws/.e2e-tls-guard/policies", "--non-interactive", "--color", "never", "--json",
            "--policy-pack-config", "/ws/.e2e-tls-guard/policies/config/org-strict.json"]);
        assert.equal(fs.readFileSync(path.join(out, "events.jsonl"), "utf8"), fs.readFileSync(SAMPLE, "utf8"));
        assert.ok(!run("").args.includes("--policy-pack-config"), "pack-defaults passes no config file");
        fs.rmSync(pulumi, { recursive: true, force: true });
    });

    it("turns the events into SARIF and Markdown with preview:sarif from the pack's checkout, adds the verdict to the job summary, and uploads both", () => {
        const verdict = stepOf("preview", "The pack's findings as SARIF and Markdown");
        assert.equal(verdict["working-directory"], ".e2e-tls-guard");
        assert.match(verdict.if, /steps\.preview\.outcome == 'success'/);
        const out = path.join(tmp, "out");
        fs.mkdirSync(out);
        fs.copyFileSync(SAMPLE, path.join(out, "events.jsonl"));
        const summary = path.join(tmp, "summary.md");
        const r = runStep(verdict, { STACK: "acme/shop/dev", PROJECT_DIR: "infra", OUT: out, GITHUB_WORKSPACE: tmp, GITHUB_STEP_SUMMARY: summary }, { cwd: ROOT });
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(r.outputs, { "exit-code": "1" });
        const sarif = JSON.parse(fs.readFileSync(path.join(out, "e2e-tls-guard.sarif"), "utf8"));
        assert.equal(sarif.runs[0].results.filter((x: any) => x.level === "error").length, 5);
        assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, "infra/Pulumi.dev.yaml", "the stack file from the repository root");
        assert.equal(fs.readFileSync(summary, "utf8"), fs.readFileSync(path.join(out, "verdict.md"), "utf8"));
        const upload = stepsUsing(guard().jobs.preview, "actions/upload-artifact")[0];
        assert.equal(upload.with.name, "e2e-tls-guard-${{ strategy.job-index }}");
        assert.deepEqual(upload.with.path.trim().split("\n"), ["${{ runner.temp }}/e2e-tls-guard/e2e-tls-guard.sarif", "${{ runner.temp }}/e2e-tls-guard/verdict.md"]);
        assert.match(upload.if, /!cancelled\(\)/, "uploaded when the verdict fails the job too");
    });

    it("fails the job on a mandatory violation, a preview that did not finish, no verdict, or a preview that exited non-zero, and passes otherwise", () => {
        const fail = stepOf("preview", "Fail on a mandatory violation or a failed preview");
        assert.equal(guard().jobs.preview.steps.at(-1).name, fail.name, "the last step, after the upload");
        const code = (VERDICT_EXIT: string, PREVIEW_EXIT: string) => runStep(fail, { VERDICT_EXIT, PREVIEW_EXIT });
        assert.equal(code("0", "0").code, 0);
        const cases: [string, string, RegExp][] = [["1", "255", /mandatory policy violation\(s\) of e2e-tls-guard/], ["3", "255", /the preview failed or did not finish/],
            ["2", "0", /no verdict: the preview's events could not be read \(exit 2\)/], ["", "", /no verdict: .*\(exit none\)/], ["0", "255", /pulumi preview exited 255/]];
        for (const [verdict, preview, why] of cases) {
            const r = code(verdict, preview);
            assert.equal(r.code, 1, `${verdict}/${preview}`);
            assert.match(r.stdout, why);
        }
    });

    it("uploads the SARIF to code scanning from a job that checks out nothing, holds no secret and may only write security events, after a failed preview too", () => {
        const job = guard().jobs["code-scanning"];
        assert.equal(job.needs, "preview");
        assert.match(job.if, /!cancelled\(\) && needs\.preview\.result != 'skipped'/);
        assert.deepEqual(job.permissions, { actions: "read", contents: "read", "security-events": "write" });
        assert.deepEqual(stepsUsing(job, "actions/checkout"), []);
        assert.deepEqual(secretsOf(job), []);
        assert.equal(job.environment, undefined);
        const download = stepsUsing(job, "actions/download-artifact")[0];
        assert.equal(download.with.pattern, "e2e-tls-guard-*");
        const upload = stepsUsing(job, "github/codeql-action/upload-sarif")[0];
        assert.equal(upload.with.sarif_file, download.with.path, "every stack's SARIF, each its own category");
        const found = stepOf("code-scanning", "Find the SARIF files");
        fs.mkdirSync(path.join(tmp, "e2e-tls-guard-0"));
        assert.deepEqual(runStep(found, { DIR: tmp }).outputs, {});
        fs.writeFileSync(path.join(tmp, "e2e-tls-guard-0", "e2e-tls-guard.sarif"), "{}");
        assert.deepEqual(runStep(found, { DIR: tmp }).outputs, { any: "true" });
    });

    describe("the comment", () => {
        const comment = () => stepOf("comment", "Comment the verdict");
        let gh = "";
        before(function () {
            if (!hasCommand("jq")) return this.skip(); // skipped: jq is not installed (GitHub's runners have it)
            // gh: lists the comments in $COMMENTS as one page, records every other call and the JSON it sends.
            gh = standIn("gh", [
                `if [ "$2" = "--paginate" ]; then cat "$COMMENTS"; exit 0; fi`,
                `printf '%s\\n' "$*" >> "$CALLS"`,
                `for ((i = 1; i <= $#; i++)); do if [ "\${!i}" = "--input" ]; then j=$((i + 1)); cp "\${!j}" "$SENT"; fi; done`,
            ].join("\n"));
        });
        after(() => gh && fs.rmSync(gh, { recursive: true, force: true }));

        /** Runs the step with two stacks' verdicts and the existing comments given. */
        const post = (existing: object[], result = "failure") => {
            const verdicts = path.join(tmp, "verdicts");
            for (const [i, text] of ["### `dev`\n\n❌ dev verdict\n", "### `prod`\n\n✅ prod verdict\n"].entries()) {
                fs.mkdirSync(path.join(verdicts, `e2e-tls-guard-${i}`), { recursive: true });
                fs.writeFileSync(path.join(verdicts, `e2e-tls-guard-${i}`, "verdict.md"), text);
            }
            fs.writeFileSync(path.join(tmp, "comments.json"), JSON.stringify(existing));
            const env = {
                GH_TOKEN: "t", REPO: "acme/shop", PR: "7", RESULT: result, VERDICTS: verdicts, RUN_URL: "https://github.com/acme/shop/actions/runs/1",
                RUNNER_TEMP: tmp, COMMENTS: path.join(tmp, "comments.json"), CALLS: path.join(tmp, "calls"), SENT: path.join(tmp, "sent.json"),
            };
            const r = runStep(comment(), env, { path: gh });
            assert.equal(r.code, 0, r.stderr);
            return { calls: fs.readFileSync(env.CALLS, "utf8").trim().split("\n"), body: JSON.parse(fs.readFileSync(env.SENT, "utf8")).body as string };
        };

        it("runs only on pull requests, from a job that checks out nothing, holds no secret and may only write to pull requests", () => {
            const job = guard().jobs.comment;
            assert.equal(job.needs, "preview");
            assert.match(job.if, /github\.event_name == 'pull_request'/);
            assert.deepEqual(job.permissions, { "pull-requests": "write" });
            assert.deepEqual(stepsUsing(job, "actions/checkout"), []);
            assert.deepEqual(secretsOf(job), []);
        });

        it("posts one comment with the marker, the overall result and every stack's verdict when there is none yet", () => {
            const { calls, body } = post([{ id: 5, user: { login: "alice" }, body: "LGTM" }]);
            assert.deepEqual(calls, ["api --method POST repos/acme/shop/issues/7/comments --input " + path.join(tmp, "e2e-tls-guard-comment.md.json")]);
            assert.ok(body.startsWith("<!-- e2e-tls-guard verdict -->\n## e2e-tls-guard\n\n❌ **The guard failed** (failure)"), body);
            assert.ok(body.indexOf("❌ dev verdict") < body.indexOf("✅ prod verdict"), "both stacks, in order");
            assert.match(body, /\[The run\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/1\)\n$/);
        });

        it("updates its own earlier comment instead, never one a person wrote with the same first line", () => {
            const mine = "<!-- e2e-tls-guard verdict -->\nold";
            const { calls, body } = post([{ id: 3, user: { login: "mallory" }, body: mine }, { id: 9, user: { login: "github-actions[bot]" }, body: mine }], "success");
            assert.deepEqual(calls.map((c) => c.split(" --input")[0]), ["api --method PATCH repos/acme/shop/issues/comments/9"]);
            assert.match(body, /✅ \*\*No mandatory policy violation\*\* on any stack\./);
        });

        it("cuts a body GitHub would refuse (over 65,536 characters) on a whole character, saying where the rest is", () => {
            const verdicts = path.join(tmp, "verdicts", "e2e-tls-guard-2");
            fs.mkdirSync(verdicts, { recursive: true });
            fs.writeFileSync(path.join(verdicts, "verdict.md"), "é".repeat(70_000));
            const { body } = post([]);
            assert.ok(body.length > 59_000 && body.length <= 60_200, `${body.length} characters`);
            assert.match(body, /… cut: each stack's whole verdict is in its job summary, https:\S+\n$/);
            assert.ok(!body.includes("\uFFFD"), "no broken character at the cut");
        });
    });
});
