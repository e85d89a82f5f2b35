/**
 * `npm run preview:offline -- --stack <name>`: what a stack would create, whether the policy pack
 * allows it, how TLS flows and roughly what it costs, without a cloud account or the Pulumi CLI.
 *
 * It runs the real index.ts under mock providers (offline/engine/run-program.ts), starts the policy pack the
 * way the Pulumi CLI does and speaks the analyzer protocol to it (offline/analyzer/harness.ts), then
 * prints the report (offline/report/). Exit codes: 0 no mandatory violation, 1 at least one, 2 the
 * program, its config or the command line failed.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs, PreviewOptions, USAGE, UsageError } from "../report/args";
import { renderFailureMarkdown, renderMarkdown } from "../report/markdown";
import { evaluatePolicies, mandatoryCount, readPolicyConfig, startConfiguredPack } from "../report/policy";
import { buildReport } from "../report/report";
import { colourWanted, paint, renderText } from "../report/text";
import type { PackHandle } from "../analyzer/harness";

const ROOT = path.resolve(__dirname, "..", "..");

function projectName(): string {
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    return /^name:\s*(\S+)/m.exec(text)?.[1] ?? "project";
}

const started = Date.now();
const err = paint(colourWanted(process.stderr));
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function progress(message: string): void {
    process.stderr.write(err.dim(`› ${message}`) + "\n");
}

/** What kind of failure an error is, for the JSON error document. */
function failureKind(e: unknown): string {
    const name = e instanceof Error ? e.name : "";
    if (name === "UsageError") return "usage";
    if (name === "ConfigError") return "config";
    if (name === "PolicyConfigError") return "policy-config";
    return "program";
}

let options: PreviewOptions | undefined;
let packStarting: Promise<PackHandle> | undefined;
let failing: Promise<never> | undefined;

/**
 * Ends the run with exit code 2 after printing the message. Idempotent: an error raised later,
 * inside an Output's apply, reaches the process handlers below as well as the main promise.
 */
function fail(e: unknown): Promise<never> {
    failing ??= (async () => {
        const message = e instanceof Error ? e.message : String(e);
        process.stderr.write(`${err.red("error:")} ${message}\n`);
        if (e instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
        const project = projectName();
        if (options?.markdown) fs.writeFileSync(options.markdown, renderFailureMarkdown(project, options.stack, message));
        if (options?.json) {
            process.stdout.write(JSON.stringify({ schemaVersion: 1, project, stack: options.stack, error: { kind: failureKind(e), message } }, null, 2) + "\n");
        }
        // The pack runs in its own process: stop it before leaving.
        await packStarting?.then(p => p.close(), () => undefined);
        process.exit(2);
    })();
    return failing;
}

async function main(argv: string[]): Promise<{ code: number; stdout: string }> {
    const project = projectName();
    options = parseArgs(argv, project, process.env.INIT_CWD ?? process.cwd());
    if (options.help) return { code: 0, stdout: USAGE + "\n" };
    const opts = options;

    const policyConfig = opts.policyConfig ? readPolicyConfig(opts.policyConfig) : {};
    progress("starting the policy pack as the Pulumi CLI does");
    packStarting = startConfiguredPack(policyConfig, opts.policyConfig);
    packStarting.catch(() => undefined); // awaited below; keeps Node from calling it unhandled meanwhile

    progress(`running index.ts for stack ${opts.stack} under mock providers`);
    // Loaded here: it pulls in the Pulumi SDK, which --help does not need.
    const { runProgram } = require("../engine/run-program") as typeof import("../engine/run-program");
    const run = await runProgram({ stack: opts.stack, config: opts.config, preview: true });
    progress(`${run.resources.length} resources registered (${seconds()})`);

    const pack = await packStarting;
    const policy = await evaluatePolicies(pack, run.resources, policyConfig, opts.policyConfig);
    await pack.close();
    progress(`${policy.pack}: ${policy.policiesEvaluated} policies, ${mandatoryCount(policy)} mandatory and ${policy.violations.length - mandatoryCount(policy)} other violation(s) (${seconds()})`);

    const report = buildReport(run, policy, { compareSample: opts.compareSample });
    if (opts.markdown) {
        fs.writeFileSync(opts.markdown, renderMarkdown(report));
        progress(`wrote ${opts.markdown}`);
    }
    if (opts.emitPki) {
        const { emitPki } = require("./emit-pki") as typeof import("./emit-pki");
        const pki = emitPki(run, opts.emitPki);
        progress(`wrote ${pki.caPath}, ${pki.backend.certPath} and ${Object.keys(pki.clients).length} client pair(s): throwaway keys from this run, never reuse or commit them`);
    }
    progress(`done in ${seconds()}`);
    const stdout = opts.json ? JSON.stringify(report, null, 2) + "\n" : renderText(report, paint(colourWanted(process.stdout)));
    return { code: report.exitCode, stdout };
}

process.on("unhandledRejection", e => void fail(e));
process.on("uncaughtException", e => void fail(e));

main(process.argv.slice(2)).then(
    ({ code, stdout }) => process.stdout.write(stdout, () => process.exit(code)),
    e => fail(e),
);
