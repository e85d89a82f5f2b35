/**
 * The reusable workflow another repository calls to run the pack on its own stacks
 * (.github/workflows/guard.yml): enforcing by default with a config of the pack's own repository
 * chosen by name, audit only when asked; the pack pinned to a commit, a tag resolved to its commit
 * and refused when it is not a tag or shares its name with a branch; the caller's environment
 * holding the secrets, never a fork's pull request, a read-only token, no credentials left in a
 * checkout, and no input interpolated into a shell script. The steps' scripts run here on real
 * inputs (a git repository with tags and branches, the pack's config folder). What the preview
 * does with its findings: workflows-guard-run.test.ts.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { hasCommand, runStep, stepsUsing, workflow } from "./workflows-support";

const guard = () => workflow("guard.yml");
const job = (id = "preview") => guard().doc.jobs[id];
const step = (name: string) => job().steps.find((s: any) => s.name === name);
const ROOT = path.resolve(__dirname, "..", "..");
const CONFIG_DIR = path.join(ROOT, "policies", "config");

describe("the reusable guard workflow: inputs, pinning and config", () => {
    it("is called with workflow_call only, taking the pack's repository and ref, the stacks and the environment, and enforces org-strict unless audit is asked for", () => {
        const on = guard().doc.on;
        assert.deepEqual(Object.keys(on), ["workflow_call"]);
        const inputs = on.workflow_call.inputs;
        for (const name of ["pack-repository", "pack-ref", "stacks", "environment"]) {
            assert.equal(inputs[name].required, true, `${name} is required`);
        }
        assert.equal(inputs["policy-config"].default, "org-strict", "the enforcing config by default");
        assert.deepEqual({ type: inputs.audit.type, default: inputs.audit.default }, { type: "boolean", default: false }, "audit is opt-in");
        assert.ok(fs.existsSync(path.join(CONFIG_DIR, "org-strict.json")), "the default names a committed config");
        assert.deepEqual(Object.keys(on.workflow_call.secrets).sort(), ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"]);
        assert.equal(job().strategy.matrix.stack, "${{ fromJSON(inputs.stacks) }}");
    });

    it("runs the preview in the caller's environment, skips a fork's pull request, and gives its token contents: read plus an OIDC token only", () => {
        assert.equal(job().environment, "${{ inputs.environment }}");
        assert.match(job().if, /github\.event_name != 'pull_request' \|\| github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
        assert.deepEqual(guard().doc.permissions, { contents: "read" });
        assert.deepEqual(job().permissions, { contents: "read", "id-token": "write" });
        for (const checkout of stepsUsing(job(), "actions/checkout")) {
            assert.equal(checkout.with["persist-credentials"], false);
        }
    });

    it("pins the pack before anything is fetched, refusing a ref that is not a full commit SHA or a vX.Y.Z tag", () => {
        const pin = step("Pin the pack to a commit");
        assert.equal(job().steps[0].name, pin.name, "the ref is checked before anything is fetched");
        const run = (ref: string, repository = "acme/e2e-tls") => runStep(pin, { PACK_REF: ref, PACK_REPOSITORY: repository, PACK_REMOTE: "/nonexistent", GH_TOKEN: "" });
        const sha = "0123456789abcdef0123456789abcdef01234567";
        assert.deepEqual(run(sha).outputs, { sha });
        for (const bad of ["main", "v1", "0123456", "v1.2.0; curl evil", "v1.2.0\nmain", "0123456789ABCDEF0123456789ABCDEF01234567", "refs/tags/v1.2.0"]) {
            const r = run(bad);
            assert.equal(r.code, 1, `${JSON.stringify(bad)} is refused`);
            assert.match(r.stdout, /^::error::pack-ref '[A-Za-z0-9._\/?-]*' is not a full commit SHA or a vX\.Y\.Z tag/);
            assert.equal(r.stdout.split("\n").filter((l) => l.startsWith("::")).length, 1, "the value cannot start a second workflow command");
        }
        for (const bad of ["acme", "acme/e2e-tls/extra", "acme/e2e tls", "acme/x\n::warning::y"]) {
            const r = run(sha, bad);
            assert.equal(r.code, 1, `${JSON.stringify(bad)} is refused`);
            assert.match(r.stdout, /^::error::pack-repository '[A-Za-z0-9._\/?-]*' is not owner\/name\n$/);
        }
    });

    describe("a tag, against a repository with tags and branches", function () {
        let remote = "";
        let tmp = "";
        const commits: Record<string, string> = {};
        before(function () {
            if (!hasCommand("git")) return this.skip(); // skipped: git is not installed
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), "guard-pin-"));
            const src = path.join(tmp, "src");
            const git = (...args: string[]) => execFileSync("git", ["-C", src, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { encoding: "utf8" }).trim();
            execFileSync("git", ["init", "-q", "-b", "main", src]);
            git("commit", "-q", "--allow-empty", "-m", "one");
            commits.one = git("rev-parse", "HEAD");
            git("tag", "-a", "v1.2.0", "-m", "annotated release");
            git("tag", "v1.3.0");
            git("commit", "-q", "--allow-empty", "-m", "two");
            commits.two = git("rev-parse", "HEAD");
            git("branch", "v1.4.0");
            git("tag", "v1.4.0", commits.one);
            git("branch", "v1.5.0");
            remote = path.join(tmp, "pack.git");
            execFileSync("git", ["clone", "-q", "--bare", src, remote]);
        });
        after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));
        const run = (ref: string) => runStep(step("Pin the pack to a commit"), { PACK_REF: ref, PACK_REPOSITORY: "acme/e2e-tls", PACK_REMOTE: remote, GH_TOKEN: "" });

        it("resolves an annotated tag to the commit it tags, and a lightweight tag to its commit", () => {
            assert.deepEqual(run("v1.2.0").outputs, { sha: commits.one });
            assert.deepEqual(run("v1.3.0").outputs, { sha: commits.one });
        });

        it("refuses a tag that shares its name with a branch, a branch that is no tag, and a tag the repository does not have", () => {
            const both = run("v1.4.0");
            assert.equal(both.code, 1);
            assert.match(both.stdout, /has a branch named v1\.4\.0: a tag of the same name is ambiguous, pin the pack by its commit SHA/);
            for (const [ref, why] of [["v1.5.0", /has a branch named v1\.5\.0/], ["v9.9.9", /v9\.9\.9 is not a tag of /]] as const) {
                const r = run(ref);
                assert.equal(r.code, 1, ref);
                assert.match(r.stdout, why);
                assert.deepEqual(r.outputs, {});
            }
        });

        it("checks the pack out at the resolved commit, and refuses a checkout that is not that commit", () => {
            const pack = stepsUsing(job(), "actions/checkout").find((s: any) => s.with.repository);
            assert.equal(pack.with.repository, "${{ inputs.pack-repository }}");
            assert.equal(pack.with.ref, "${{ steps.pin.outputs.sha }}", "a commit, never a name a branch could take");
            const check = step("Check the pack is the pinned commit");
            assert.equal(check.env.PACK_SHA, "${{ steps.pin.outputs.sha }}");
            const clone = path.join(tmp, "clone");
            execFileSync("git", ["clone", "-q", remote, clone]);
            execFileSync("git", ["-C", clone, "checkout", "-q", commits.one]);
            assert.equal(runStep(check, { PACK_SHA: commits.one }, { cwd: clone }).code, 0);
            const moved = runStep(check, { PACK_SHA: commits.two }, { cwd: clone });
            assert.equal(moved.code, 1);
            assert.match(moved.stdout, /::error::the pack checked out at [0-9a-f]{40}, not the pinned commit/);
        });
    });

    describe("the config, by name, from the pack's repository only", () => {
        const choose = (policyConfig: string, audit = false) =>
            runStep(step("Choose the pack's policy config"), { POLICY_CONFIG: policyConfig, AUDIT: String(audit), CONFIG_DIR });

        it("reads the config from the pack's checkout, never the calling repository's", () => {
            assert.equal(step("Choose the pack's policy config").env.CONFIG_DIR, "${{ github.workspace }}/.e2e-tls-guard/policies/config");
            assert.equal(step("pulumi preview with the pack").env.CONFIG_FILE, "${{ steps.config.outputs.file }}");
        });

        it("gives org-strict by default, another committed config or the pack's own levels by name, and audit only with audit: true", () => {
            assert.deepEqual(choose("org-strict").outputs, { file: path.join(CONFIG_DIR, "org-strict.json") });
            assert.deepEqual(choose("dev-relaxed").outputs, { file: path.join(CONFIG_DIR, "dev-relaxed.json") });
            assert.deepEqual(choose("pack-defaults").outputs, { file: "" });
            assert.deepEqual(choose("org-strict", true).outputs, { file: path.join(CONFIG_DIR, "audit.json") });
            const all = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, "audit.json"), "utf8")).all;
            assert.equal(all, "advisory", "audit.json is the one that enforces nothing");
        });

        it("refuses the audit config without audit: true, audit with another config, a path, a caller's file and a name the pack has not committed", () => {
            const refused = (r: ReturnType<typeof choose>, why: RegExp) => {
                assert.equal(r.code, 1, r.stderr);
                assert.match(r.stdout, why);
                assert.deepEqual(r.outputs, {});
            };
            refused(choose("audit"), /policy-config 'audit' enforces nothing: auditing is opt-in, with audit: true/);
            refused(choose("dev-relaxed", true), /audit: true runs the pack's audit config .* leave policy-config unset/);
            for (const bad of ["policies/config/org-strict.json", "../../infra/policy.json", "caller:policy.json", "org-strict.json", "Org-Strict", "prod-lenient"]) {
                refused(choose(bad), /is not a config of the pack: use one of dev-relaxed org-strict pack-defaults \(a name, never a path\)/);
            }
        });
    });

    it("passes inputs to shell steps through env only", () => {
        for (const { id, job: j } of Object.entries<any>(guard().doc.jobs).map(([id, j]) => ({ id, job: j }))) {
            for (const s of j.steps.filter((x: any) => x.run)) {
                assert.doesNotMatch(s.run, /\$\{\{/, `${id}: step "${s.name}" interpolates an expression into its script`);
            }
        }
    });
});
