/** The repository's GitHub Actions workflows, parsed, for the workflow and renewal tests. */
import * as fs from "fs";
import * as yaml from "js-yaml";
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
