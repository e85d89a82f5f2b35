/** The repository's GitHub Actions workflows, parsed, for the workflow and renewal tests, and a runner for their scripts. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";

export const WORKFLOW_DIR = path.resolve(__dirname, "..", "..", ".github", "workflows");

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
