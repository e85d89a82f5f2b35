/**
 * `npm run preview:offline -- --stack <name>`: what a stack would create, whether the policy pack
 * allows it, how TLS flows and roughly what it costs, without a cloud account or the Pulumi CLI.
 *
 * It runs the real index.ts under mock providers (offline/engine/run-program.ts), starts the policy pack the
 * way the Pulumi CLI does and speaks the analyzer protocol to it (offline/analyzer/harness.ts), then
 * prints the report (offline/report/). Exit codes: 0 no mandatory violation, 1 at least one, 2 the
 * program, its config, the command line or an output failed.
 */
import * as fs from "fs";
import * as path from "path";
import { CommandSpec, Flag, invalid, Outcome, Parsed, runCommand, stackFlag, UsageError, writeOutput } from "./cli";
import { renderFailureMarkdown, renderMarkdown } from "../report/markdown";
import { evaluatePolicies, mandatoryCount, readPolicyConfig, startConfiguredPack } from "../report/policy";
import { buildReport } from "../report/report";
import { toSarif } from "../report/sarif";
import { colourWanted, paint, renderText } from "../report/text";
import type { PackHandle } from "../analyzer/harness";

const ROOT = path.resolve(__dirname, "..", "..");

function projectName(): string {
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    return /^name:\s*(\S+)/m.exec(text)?.[1] ?? "project";
}

const configPair: Flag["parse"] = (raw, flag) => {
    const at = raw.indexOf("=");
    if (at <= 0) throw invalid(flag, raw, "use <namespace:key>=<value>, e.g. --config e2e-tls:compute=ecs");
    const key = raw.slice(0, at);
    if (key.includes("[")) {
        const name = key.slice(0, key.indexOf("["));
        throw invalid(flag, raw, `a path (pulumi config set --path) is not taken here: give the whole list as JSON, e.g. --config '${name}=${JSON.stringify([raw.slice(at + 1)])}'`);
    }
    return raw;
};

export const PREVIEW: CommandSpec = {
    usage: "npm run preview:offline -- --stack <name> [options]",
    summary: "Runs index.ts under mock providers, evaluates the policy pack over it and prints the plan, the TLS path and the cost.",
    flags: {
        stack: stackFlag(),
        config: {
            type: "string", arg: "<ns:key>=<value>", multiple: true, parse: configPair,
            doc: "override a config value, as `pulumi config set` would (a key without a namespace belongs to the project; a list as JSON, e.g. 'revokedSerials=[\"01\"]')",
        },
        json: { type: "boolean", doc: "print one JSON document instead of the report (errors too)" },
        markdown: { type: "string", arg: "<file>", path: "file", doc: "also write the report as Markdown (PR comment, job summary)" },
        sarif: { type: "string", arg: "<file>", path: "file", doc: "also write the policy verdict as SARIF 2.1.0 for GitHub code scanning" },
        "policy-config": { type: "string", arg: "<file>", path: "input", doc: "policy pack config, as `pulumi preview --policy-pack-config` takes it" },
        "emit-pki": { type: "string", arg: "<dir>", path: "dir", doc: "write the run's CA bundle, backend and client certificates and keys" },
        "compare-sample": { type: "boolean", doc: "add the AWS sample architecture's cost for comparison" },
    },
    required: ["stack"],
    exitCodes: "0 no mandatory policy violation, 1 at least one, 2 the program, its config, the command line or an output failed",
    jsonFlag: "json",
};

/** The --config pairs as `pulumi config set` keys them: a bare key belongs to the project. */
export function configOverrides(pairs: readonly string[], project: string): Record<string, string> {
    return Object.fromEntries(pairs.map((pair) => {
        const at = pair.indexOf("=");
        const key = pair.slice(0, at);
        return [key.includes(":") ? key : `${project}:${key}`, pair.slice(at + 1)];
    }));
}

const started = Date.now();
const err = paint(colourWanted(process.stderr));
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const progress = (message: string) => process.stderr.write(err.dim(`› ${message}`) + "\n");
let packStarting: Promise<PackHandle> | undefined;

async function main(opts: Parsed): Promise<Outcome> {
    const policyConfig = opts["policy-config"] ? readPolicyConfig(opts["policy-config"]) : {};
    progress("starting the policy pack as the Pulumi CLI does");
    packStarting = startConfiguredPack(policyConfig, opts["policy-config"]);
    packStarting.catch(() => undefined); // awaited below; keeps Node from calling it unhandled meanwhile

    progress(`running index.ts for stack ${opts.stack} under mock providers`);
    // Loaded here: it pulls in the Pulumi SDK, which --help does not need.
    const { runProgram } = require("../engine/run-program") as typeof import("../engine/run-program");
    const run = await runProgram({ stack: opts.stack, config: configOverrides(opts.config, projectName()), preview: true });
    progress(`${run.resources.length} resources registered (${seconds()})`);

    const pack = await packStarting;
    const policy = await evaluatePolicies(pack, run.resources, policyConfig, opts["policy-config"]);
    await pack.close();
    progress(`${policy.pack}: ${policy.policiesEvaluated} policies, ${mandatoryCount(policy)} mandatory and ${policy.violations.length - mandatoryCount(policy)} other violation(s) (${seconds()})`);

    const report = buildReport(run, policy, { compareSample: opts["compare-sample"] });
    // A report that cannot be written fails the run (exit 2), whatever the verdict: CI must not pass on it.
    if (opts.markdown) {
        writeOutput("--markdown", opts.markdown, renderMarkdown(report));
        progress(`wrote ${opts.markdown}`);
    }
    if (opts.sarif) {
        writeOutput("--sarif", opts.sarif, JSON.stringify(toSarif(report.policy, { stack: opts.stack, tlsPaths: report.tlsPaths }), null, 2) + "\n");
        progress(`wrote ${opts.sarif}`);
    }
    if (opts["emit-pki"]) {
        const { emitPki } = require("../loopback/pki") as typeof import("../loopback/pki");
        const pki = emitPki(run, opts["emit-pki"]);
        progress(`wrote ${pki.caPath}, ${pki.backend.certPath} and ${Object.keys(pki.clients).length} client pair(s): throwaway keys from this run, never reuse or commit them`);
    }
    progress(`done in ${seconds()}`);
    const stdout = opts.json ? JSON.stringify(report, null, 2) + "\n" : renderText(report, paint(colourWanted(process.stdout)));
    return { code: report.exitCode, stdout };
}

/** The --stack a command line names, as given, when it could not be parsed ("" without one). */
function stackOf(argv: readonly string[]): string {
    const i = argv.findIndex((a) => a === "--stack" || a.startsWith("--stack="));
    return i < 0 ? "" : argv[i].startsWith("--stack=") ? argv[i].slice("--stack=".length) : argv[i + 1] ?? "";
}

/** What kind of failure an error is, for the JSON error document. */
function errorKind(e: unknown): string | undefined {
    const name = e instanceof Error ? e.name : "";
    return { ConfigError: "config", StackFileError: "config", PolicyConfigError: "policy-config" }[name] ?? (e instanceof UsageError || name === "OutputError" ? undefined : "program");
}

if (require.main === module) {
    runCommand(PREVIEW, main, {
        errorKind,
        jsonError: (_, opts) => ({ schemaVersion: 1, project: projectName(), stack: opts?.stack ?? stackOf(process.argv.slice(2)) }),
        onFailure: async (e, opts) => {
            const message = e instanceof Error ? e.message : String(e);
            // The pack runs in its own process: stop it before leaving.
            await packStarting?.then((p) => p.close(), () => undefined);
            if (opts?.markdown && !(e instanceof Error && e.name === "OutputError")) {
                writeOutput("--markdown", opts.markdown, renderFailureMarkdown(projectName(), opts.stack, message));
            }
        },
    });
}
