/**
 * The GitHub Actions workflows parse and have the shape GitHub requires, third-party actions are
 * pinned to commits, and the cloud preview only runs where credentials can exist.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

const DIR = path.resolve(__dirname, "..", "..", ".github", "workflows");

function workflows(): { file: string; doc: any }[] {
    return fs.readdirSync(DIR).filter(f => /\.ya?ml$/.test(f))
        .map(file => ({ file, doc: yaml.load(fs.readFileSync(path.join(DIR, file), "utf8")) }));
}

describe("GitHub workflows", () => {
    it("parse as YAML and give every job a runner and steps that each use an action or run a command", () => {
        const all = workflows();
        assert.ok(all.length > 0, "at least one workflow");
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
        for (const { file } of workflows()) {
            const text = fs.readFileSync(path.join(DIR, file), "utf8");
            const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)];
            assert.ok(uses.length > 0);
            for (const [, ref, rest] of uses) {
                if (ref.startsWith("./")) continue;
                assert.match(ref, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/, `${file}: ${ref} is pinned to a commit`);
                assert.match(rest, /#\s*v\d+(\.\d+)*/, `${file}: ${ref} names its version`);
            }
        }
    });

    it("run the tests and the offline preview of dev and prod on pull requests, into the job summary", () => {
        const { doc } = workflows().find(w => w.file === "pr.yml")!;
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

    it("run the real pulumi preview with the policy pack only when an AWS role is configured and the PR is not from a fork", () => {
        const { doc } = workflows().find(w => w.file === "pr.yml")!;
        const cloud = doc.jobs["cloud-preview"];
        assert.match(cloud.if, /vars\.AWS_ROLE_ARN != ''/);
        assert.match(cloud.if, /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
        assert.equal(cloud.permissions["id-token"], "write");
        const aws = cloud.steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
        assert.equal(aws.with["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
        const pulumi = cloud.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(pulumi.with.command, "preview");
        assert.equal(pulumi.with.policyPacks, "policies");
        assert.equal(doc.permissions.contents, "read", "the default token is read-only");
    });
});
