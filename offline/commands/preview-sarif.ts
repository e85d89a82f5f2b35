/**
 * `npm run preview:sarif -- --events <file> --stack <name> [--sarif <file>] [--markdown <file>]`:
 * the verdict of a real `pulumi preview --policy-pack` from the JSON events the CLI printed
 * (`PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json`, or `pulumi policy analyze
 * --json`; offline/report/preview-events.ts), written as SARIF with the offline preview's writer
 * (offline/report/sarif.ts) for code scanning and as Markdown for the pull request. The reusable
 * workflow (.github/workflows/guard.yml) runs it after each stack's preview.
 */
import * as fs from "fs";
import { CommandSpec, Flag, invalid, Outcome, Parsed, runCommand, writeOutput } from "./cli";
import { packIdentity } from "../analyzer/build";
import { renderVerdictMarkdown } from "../report/markdown";
import { EventsError, readPreviewEvents, verdictOf } from "../report/preview-events";
import { terminalSafe } from "../report/escape";
import { toSarif } from "../report/sarif";
import { mandatoryCount } from "../report/policy";

/** A stack as `pulumi --stack` takes it: `name`, `org/name` or `org/project/name` (pulumi.com/docs/iac/concepts/stacks). */
const stackName: Flag["parse"] = (raw, flag) => {
    if (!/^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/.test(raw)) {
        throw invalid(flag, raw, "use a stack name as pulumi --stack takes it: name, org/name or org/project/name (letters, digits, _ . -)");
    }
    return raw;
};

export const PREVIEW_SARIF: CommandSpec = {
    usage: "npm run preview:sarif -- --events <file> --stack <name> [options]",
    summary: "Reads the JSON events of a real pulumi preview (or pulumi policy analyze) with the pack, and writes its verdict as SARIF for code scanning and as Markdown.",
    flags: {
        events: { type: "string", arg: "<file>", path: "input", doc: "the CLI's JSON event stream: PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json (or pulumi policy analyze --json)" },
        stack: { type: "string", arg: "<name>", parse: stackName, doc: "the stack the preview ran on, as given to pulumi --stack" },
        "stack-file": { type: "string", arg: "<path>", doc: "the stack's file from the repository root, where code scanning shows the findings (default: Pulumi.<stack>.yaml)" },
        sarif: { type: "string", arg: "<file>", path: "file", doc: "write the pack's findings as SARIF 2.1.0 for GitHub code scanning" },
        markdown: { type: "string", arg: "<file>", path: "file", doc: "write the verdict as Markdown (pull-request comment, job summary)" },
        json: { type: "boolean", doc: "print the verdict as one JSON document instead of text (errors too)" },
    },
    required: ["events", "stack"],
    exitCodes: "0 the preview completed with no mandatory violation of the pack, 1 at least one, 3 none but the preview failed or ended early, 2 a bad command line, unreadable events or an unwritable output",
    jsonFlag: "json",
};

async function main(opts: Parsed): Promise<Outcome> {
    let text: string;
    try {
        text = fs.readFileSync(opts.events, "utf8");
    } catch (e) {
        throw new EventsError(`--events ${opts.events} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const run = readPreviewEvents(text, `--events ${opts.events}`, packIdentity());
    const verdict = verdictOf(run);
    const shortName = String(opts.stack).split("/").pop()!;
    if (opts.sarif) {
        writeOutput("--sarif", opts.sarif, JSON.stringify(toSarif(run.policy, { stack: opts.stack, stackFile: opts["stack-file"] ?? `Pulumi.${shortName}.yaml` }), null, 2) + "\n");
    }
    if (opts.markdown) writeOutput("--markdown", opts.markdown, renderVerdictMarkdown(opts.stack, run, verdict));
    if (opts.json) return { code: verdict, stdout: JSON.stringify({ stack: opts.stack, verdict, ...run }, null, 2) + "\n" };
    const mandatory = mandatoryCount(run.policy);
    const lines = [
        `${run.policy.pack} ${run.policy.version} on ${opts.stack}: ${mandatory} mandatory, ${run.policy.violations.length - mandatory} advisory, ` +
        `${(run.policy.exemptions ?? []).length} exempted; preview ${run.result ?? "ended before its summary"}`,
        ...run.policy.violations.map((v) => `  ${v.level} ${v.policy} ${v.urn}: ${v.message.split("\n").slice(1).join(" ") || v.message}`),
        ...run.errors.map((e) => `  error: ${e}`),
        ...Object.entries(run.otherPacks).map(([name, o]) => `  policy pack ${name}: ${o.findings} finding(s), ${o.mandatory} mandatory (not in this report)`),
    ];
    return { code: verdict, stdout: lines.map(terminalSafe).join("\n") + "\n" };
}

if (require.main === module) {
    runCommand(PREVIEW_SARIF, main, { errorKind: (e) => (e instanceof EventsError ? "events" : undefined) });
}
