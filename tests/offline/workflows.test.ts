/**
 * The GitHub Actions workflows parse and have the shape GitHub requires, third-party actions are
 * pinned to commits, and no secret or cloud role reaches code nobody reviewed: every job that holds
 * one runs in a GitHub environment, a pull request's code only behind a preview environment's
 * required reviewers, everything else only from main.
 */
import { strict as assert } from "assert";
import { assumesRole, jobs, PINNED_ACTIONS, secretsOf, stepsUsing, workflow, workflows } from "./workflows-support";

/** Events whose runs execute a branch's own code, not main's. */
const BRANCH_CODE_EVENTS = ["pull_request", "push", "merge_group"];
/** Events that run with the base repository's secrets for code from a pull request. */
const PRIVILEGED_PR_EVENTS = ["pull_request_target", "workflow_run"];

/**
 * aws-actions/configure-aws-credentials: role-duration-seconds "Defaults to 1 hour (3600 seconds)"
 * (v6 README, inputs table), and the keys it exports are not refreshed. A role's MaxSessionDuration is
 * at most 12 hours (IAM API reference, CreateRole/UpdateRole MaxSessionDuration).
 */
const CONFIGURE_AWS_CREDENTIALS_DEFAULT_SECONDS = 3600;
const IAM_MAX_SESSION_SECONDS = 43_200;

const triggers = (doc: any): string[] => (typeof doc.on === "string" ? [doc.on] : Object.keys(doc.on));
const isReusable = (doc: any): boolean => JSON.stringify(triggers(doc)) === JSON.stringify(["workflow_call"]);
/** A push trigger limited to main runs main's (reviewed) code. */
const runsBranchCode = (doc: any): boolean => triggers(doc).some(e =>
    BRANCH_CODE_EVENTS.includes(e) && !(e === "push" && JSON.stringify(doc.on.push?.branches) === JSON.stringify(["main"])));

describe("GitHub workflows", () => {
    it("parse as YAML and give every job a runner and steps that each use an action or run a command", () => {
        const all = workflows();
        assert.ok(all.length >= 2, "the pull-request checks and the renewal");
        for (const { file, doc } of all) {
            assert.ok(doc && typeof doc === "object", `${file} is a mapping`);
            assert.ok(doc.on, `${file} has "on"`);
            assert.ok(doc.jobs && Object.keys(doc.jobs).length > 0, `${file} has jobs`);
            for (const [id, job] of Object.entries<any>(doc.jobs)) {
                assert.equal(typeof job["runs-on"], "string", `${file} job ${id} has runs-on`);
                assert.ok(Array.isArray(job.steps) && job.steps.length > 0, `${file} job ${id} has steps`);
                for (const [i, step] of job.steps.entries()) {
                    assert.ok(("uses" in step) !== ("run" in step), `${file} job ${id} step ${i + 1} has exactly one of uses and run`);
                }
            }
        }
    });

    it("pin every action to a full commit SHA with the version in a comment", () => {
        for (const { file, text } of workflows()) {
            const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)];
            assert.ok(uses.length > 0);
            for (const [, ref, rest] of uses) {
                if (ref.startsWith("./")) continue;
                assert.match(ref, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/, `${file}: ${ref} is pinned to a commit`);
                assert.match(rest, /#\s*v\d+(\.\d+)*/, `${file}: ${ref} names its version`);
            }
        }
    });

    it("pin every action to the release the table of pinned actions names, and every action in the table is used", () => {
        const used = new Set<string>();
        for (const { file, text } of workflows()) {
            for (const [, ref, rest] of text.matchAll(/uses:\s*(\S+)(.*)$/gm)) {
                if (ref.startsWith("./")) continue;
                const [action, commit] = ref.split("@");
                const repo = action.split("/").slice(0, 2).join("/");
                const pinned = PINNED_ACTIONS[repo];
                assert.ok(pinned, `${file}: ${repo} is not in the table of pinned actions (tests/offline/workflows-support.ts)`);
                used.add(repo);
                assert.equal(commit, pinned.commit, `${file}: ${ref} is not the commit of ${repo} ${pinned.version}`);
                assert.equal(/#\s*(v[\d.]+)/.exec(rest)?.[1], pinned.version, `${file}: ${ref} names another version than ${pinned.version}`);
            }
        }
        assert.deepEqual(Object.keys(PINNED_ACTIONS).filter(a => !used.has(a)), [], "actions in the table that no workflow uses");
    });

    it("run the tests and the offline preview of dev and prod on pull requests, into the job summary", () => {
        const { doc } = workflow("pr.yml");
        assert.ok("pull_request" in doc.on);
        const steps: any[] = doc.jobs.offline.steps;
        const runs = steps.map(s => s.run ?? "").join("\n");
        assert.match(runs, /npm ci/);
        assert.match(runs, /apt-get install .*nginx openssl/);
        assert.match(runs, /npm test/);
        for (const stack of ["dev", "prod"]) {
            assert.match(runs, new RegExp(`preview:offline -- --stack ${stack} .*--markdown "\\$RUNNER_TEMP/preview-${stack}\\.md"`));
            assert.match(runs, new RegExp(`cat "\\$RUNNER_TEMP/preview-${stack}\\.md" >> "\\$GITHUB_STEP_SUMMARY"`));
        }
        assert.equal(doc.jobs.offline.if, undefined, "the offline job runs for every pull request, forks included");
    });

    it("run the real pulumi preview with the policy pack only when switched on, never for a fork, and from the stack's preview environment", () => {
        const { doc } = workflow("pr.yml");
        const cloud = doc.jobs["cloud-preview"];
        assert.match(cloud.if, /vars\.CLOUD_PREVIEW == 'true'/);
        assert.match(cloud.if, /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
        assert.equal(cloud.environment, "preview-${{ matrix.stack }}", "the preview waits for a reviewer of its environment");
        assert.equal(cloud.permissions["id-token"], "write");
        const aws = cloud.steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
        assert.equal(aws.with["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
        const pulumi = cloud.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(pulumi.with.command, "preview");
        assert.equal(pulumi.with.policyPacks, "policies");
        assert.equal(doc.permissions.contents, "read", "the default token is read-only");
    });

    it("give every job that reads a secret or asks for an OIDC token a GitHub environment, and keep secrets off workflow- and job-wide env", () => {
        const holders = jobs().filter(({ job }) => secretsOf(job).length > 0 || assumesRole(job));
        assert.ok(holders.length >= 2, "the cloud preview and the renewal hold secrets");
        for (const { wf, id, job } of holders) {
            assert.ok(typeof job.environment === "string" && job.environment !== "", `${wf.file} job ${id} reads ${secretsOf(job).join(", ") || "an OIDC token"} without an environment`);
            assert.deepEqual(secretsOf(job.env ?? {}), [], `${wf.file} job ${id}: secrets only in the env of the steps that need them`);
        }
        for (const { file, doc } of workflows()) assert.deepEqual(secretsOf(doc.env ?? {}), [], `${file}: no secrets in the workflow-wide env`);
    });

    it("hold a pull request's code behind a preview environment (required reviewers) and run every other secret-holding job from main only, in its stack's environment", () => {
        // A reusable workflow runs under its caller's event: workflows-guard.test.ts holds it to the caller's environment instead.
        for (const { wf, id, job } of jobs().filter(({ wf, job }) => !isReusable(wf.doc) && (secretsOf(job).length > 0 || assumesRole(job)))) {
            if (runsBranchCode(wf.doc)) {
                assert.match(job.environment, /^preview-/, `${wf.file} job ${id} runs branch code: only a preview environment, which has required reviewers, may hold its secrets`);
            } else {
                assert.equal(job.environment, "${{ matrix.stack }}", `${wf.file} job ${id}: the stack's own environment, which admits main only`);
                assert.match(String(job.if), /github\.ref == 'refs\/heads\/main'/, `${wf.file} job ${id} runs only from main`);
                for (const e of triggers(wf.doc)) {
                    assert.ok(["schedule", "workflow_dispatch", "push"].includes(e), `${wf.file}: ${e} would run ${id} for code not on main`);
                }
            }
        }
    });

    it("never run pull-request code with the base repository's privileges (pull_request_target, workflow_run)", () => {
        for (const { file, doc } of workflows()) {
            for (const e of PRIVILEGED_PR_EVENTS) assert.ok(!triggers(doc).includes(e), `${file} is triggered by ${e}`);
        }
    });

    it("give the default token nothing but contents: read by default, id-token only to jobs in an environment, and issues, security-events or pull-requests: write only to a job that runs no repository code and holds no secret: a failure reporter, a SARIF upload, a pull-request comment", () => {
        for (const { file, doc } of workflows()) {
            const top = doc.permissions ?? "unset";
            assert.ok(JSON.stringify(top) === "{}" || JSON.stringify(top) === JSON.stringify({ contents: "read" }), `${file}: top-level permissions ${JSON.stringify(top)}`);
        }
        for (const { wf, id, job } of jobs()) {
            for (const [scope, level] of Object.entries<string>(job.permissions ?? {})) {
                if (level !== "write") continue;
                if (scope === "id-token") {
                    assert.ok(job.environment, `${wf.file} job ${id}: OIDC tokens only in an environment`);
                    continue;
                }
                if (scope === "issues") {
                    assert.match(String(job.if), /failure\(\)/, `${wf.file} job ${id} writes issues only to report a failure`);
                } else if (scope === "security-events") {
                    assert.ok(stepsUsing(job, "github/codeql-action/upload-sarif").length > 0, `${wf.file} job ${id} writes security events only to upload SARIF`);
                } else {
                    assert.equal(scope, "pull-requests", `${wf.file} job ${id} may write ${scope}`);
                    assert.match(String(job.if), /github\.event_name == 'pull_request'/, `${wf.file} job ${id} writes pull requests only on one`);
                }
                assert.deepEqual(stepsUsing(job, "actions/checkout"), [], `${wf.file} job ${id} writes ${scope}, so it checks out no code`);
                assert.deepEqual(secretsOf(job), [], `${wf.file} job ${id} writes ${scope}, so it holds no secrets`);
                assert.ok(!assumesRole(job) && !job.environment, `${wf.file} job ${id} writes ${scope}, so it assumes no role`);
            }
        }
    });

    it("assume the environment's own role, and leave no token in .git/config, in every job that holds secrets", () => {
        for (const { wf, id, job } of jobs().filter(({ job }) => assumesRole(job))) {
            const aws = stepsUsing(job, "aws-actions/configure-aws-credentials");
            assert.equal(aws.length, 1, `${wf.file} job ${id} assumes one role`);
            assert.equal(aws[0].with["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}", `${wf.file} job ${id}: the role ARN of its environment`);
            for (const checkout of stepsUsing(job, "actions/checkout")) {
                assert.equal(checkout.with?.["persist-credentials"], false, `${wf.file} job ${id}: checkout with persist-credentials: false`);
            }
        }
    });

    it("restore no dependency cache in a job that holds a role or secrets, where a less trusted run's cache could reach them", () => {
        const holders = jobs().filter(({ job }) => assumesRole(job) || secretsOf(job).length > 0);
        for (const { wf, id, job } of holders) {
            for (const node of stepsUsing(job, "actions/setup-node")) {
                assert.equal(node.with?.cache, undefined, `${wf.file} job ${id}: setup-node with no cache input`);
                assert.equal(node.with?.["package-manager-cache"], false, `${wf.file} job ${id}: setup-node with package-manager-cache: false`);
            }
        }
    });

    it("give every job that assumes a role credentials that last its whole timeout, within IAM's 12-hour session limit", () => {
        const holders = jobs().filter(({ job }) => stepsUsing(job, "aws-actions/configure-aws-credentials").length > 0);
        assert.ok(holders.length >= 2, "the cloud preview and the renewal assume roles");
        for (const { wf, id, job } of holders) {
            const minutes = job["timeout-minutes"];
            assert.ok(Number.isInteger(minutes) && minutes > 0, `${wf.file} job ${id} sets timeout-minutes (GitHub's default is 360)`);
            const [aws] = stepsUsing(job, "aws-actions/configure-aws-credentials");
            const seconds = Number(aws.with["role-duration-seconds"] ?? CONFIGURE_AWS_CREDENTIALS_DEFAULT_SECONDS);
            assert.ok(seconds >= minutes * 60, `${wf.file} job ${id} may run ${minutes} min, but its credentials expire after ${seconds} s and are not refreshed: set role-duration-seconds to at least ${minutes * 60}`);
            assert.ok(seconds <= IAM_MAX_SESSION_SECONDS, `${wf.file} job ${id}: role-duration-seconds ${seconds} is over IAM's maximum session duration`);
        }
    });
});
