/** The repository's GitHub Actions workflows, parsed, for the workflow and renewal tests, and a runner for their scripts. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";

export const WORKFLOW_DIR = path.resolve(__dirname, "..", "..", ".github", "workflows");

/**
 * Every action the workflows use: the newest release of its current major, pinned by the commit its
 * tag points at (for an annotated tag, the commit it peels to, never the tag object), as
 * `git tag --sort=-v:refname` and `git rev-list -n1 <tag>` give them in a clone of the action's
 * repository. Checked 2026-12-07. Majors and what each changed:
 * - actions/checkout v5 runs on Node 24; v6 keeps persisted credentials in a separate file; v7
 *   refuses to check out a fork's pull request under pull_request_target or workflow_run (CHANGELOG.md).
 * - actions/setup-node v5 runs on Node 24 and caches by default, v6 only when package.json names npm
 *   as its package manager, v7 is ESM (README, "Breaking changes in V5/V6/V7").
 * - aws-actions/configure-aws-credentials v5 parses boolean inputs strictly, v6 runs on Node 24
 *   (CHANGELOG.md).
 * The workflow test fails on a `uses:` that pins anything else, so this table is the one place a
 * version moves.
 */
export const PINNED_ACTIONS: Readonly<Record<string, { readonly version: string; readonly commit: string }>> = {
    "actions/checkout": { version: "v7.0.1", commit: "3d3c42e5aac5ba805825da76410c181273ba90b1" },
    "actions/setup-node": { version: "v7.0.0", commit: "820762786026740c76f36085b0efc47a31fe5020" },
    "aws-actions/configure-aws-credentials": { version: "v6.2.3", commit: "e6de054238d6b7531b4efff3b6587d9aade6a06c" },
    "actions/upload-artifact": { version: "v7.0.0", commit: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f" },
    "actions/download-artifact": { version: "v8.0.1", commit: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c" },
    // v4.36.2 is an annotated tag: this is the commit it peels to.
    "github/codeql-action": { version: "v4.36.2", commit: "8aad20d150bbac5944a9f9d289da16a4b0d87c1e" },
    "pulumi/actions": { version: "v7.0.0", commit: "8e5e406f4007fca908480587cb9893c07090f58d" },
};

export interface Workflow {
    readonly file: string;
    readonly text: string;
    readonly doc: any;
}

export function workflows(): Workflow[] {
    return fs.readdirSync(WORKFLOW_DIR).filter(f => /\.ya?ml$/.test(f)).sort().map(file => {
        const text = fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
        return { file, text, doc: yaml.load(text) };
    });
}

export function workflow(file: string): Workflow {
    const found = workflows().find(w => w.file === file);
    if (!found) throw new Error(`.github/workflows/${file} is missing`);
    return found;
}

/** Every job of every workflow, with the workflow it belongs to. */
export function jobs(): { wf: Workflow; id: string; job: any }[] {
    return workflows().flatMap(wf => Object.entries<any>(wf.doc.jobs).map(([id, job]) => ({ wf, id, job })));
}

/** The secrets a job reads, besides the default token. */
export function secretsOf(job: unknown): string[] {
    const names = [...JSON.stringify(job).matchAll(/secrets\.(\w+)/g)].map(m => m[1]);
    return [...new Set(names.filter(n => n !== "GITHUB_TOKEN"))];
}

/** Whether a job asks GitHub for an OIDC token (to assume a cloud role). */
export function assumesRole(job: any): boolean {
    return job.permissions?.["id-token"] === "write"
        || (job.steps ?? []).some((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
}

/** The steps of a job that use an action, by its repository (owner/name). */
export function stepsUsing(job: any, action: string): any[] {
    return (job.steps ?? []).filter((s: any) => String(s.uses).startsWith(`${action}@`));
}

/** What a step's script did when run here. */
export interface StepRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    /** The `name=value` lines it wrote to $GITHUB_OUTPUT. */
    readonly outputs: Record<string, string>;
}

/**
 * Runs a `run:` step's script with bash as GitHub's runner does (`bash --noprofile --norc -eo pipefail`, the default shell of
 * ubuntu runners: docs.github.com, "Workflow syntax", jobs.<job_id>.steps[*].shell), with `env`
 * as the step's environment, a fresh $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY, and `path` first
 * on $PATH (stand-ins for the CLIs the runner has).
 */
export function runStep(step: { run: string }, env: Record<string, string>, opts: { cwd?: string; path?: string } = {}): StepRun {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "step-"));
    const output = path.join(dir, "output");
    fs.writeFileSync(output, "");
    try {
        const res = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], {
            cwd: opts.cwd,
            encoding: "utf8",
            env: {
                ...process.env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: path.join(dir, "summary"), RUNNER_TEMP: dir,
                ...(opts.path ? { PATH: `${opts.path}:${process.env.PATH}` } : {}), ...env,
            },
        });
        const outputs = Object.fromEntries(fs.readFileSync(output, "utf8").split("\n").filter((l) => l.includes("="))
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
        return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr, outputs };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Whether a command is on $PATH (git, jq): tests that need one say they were skipped without it. */
export function hasCommand(name: string): boolean {
    return spawnSync("bash", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}
