/**
 * `npm run bench:policies -- [--resources N] [--starts N] [--analyze-rounds N] [--stack-rounds N] [--without <module,...>] [--out <file>]`:
 * the e2e-tls-guard pack over the analyzer protocol next to itself without a group of rule modules
 * and a trivial pack (offline/analyzer/bench.ts). Prints figures and ratios; asserts nothing.
 */
import { CommandSpec, Flag, integer, invalid, runCommand, writeOutput } from "./cli";
import { BENCH_DEFAULTS, formatBench, measureAdversarial, measureSharedSecurityGroup, runBenchmark, summarize } from "../analyzer/bench";
import { DEFAULT_PACK_DIR, startPack } from "../analyzer/harness";
import { ruleModules } from "../analyzer/rule-modules";

/** `--without`: comma-separated names of rule modules (policies/rules/<name>.ts that export policies), each once. */
export const moduleList: Flag["parse"] = (raw, flag) => {
    const known = ruleModules().map((m) => m.name);
    const names = raw.split(",");
    const bad = names.find((n, i) => !known.includes(n) || names.indexOf(n) !== i);
    if (bad !== undefined) {
        const why = bad === "" ? "an empty name" : known.includes(bad) ? `"${bad}" twice` : `"${bad}" is not a rule module`;
        throw invalid(flag, raw, `${why}; use comma-separated rule modules of policies/rules, each once: ${known.join(", ")}`);
    }
    return names;
};

/** `--shape-sizes`: at least two stack sizes, whole numbers of 16 or more, in increasing order (the growth exponent is taken between the extremes). */
export const sizeList: Flag["parse"] = (raw, flag, ctx) => {
    const item = integer(16)!;
    const sizes = raw.split(",").map((n) => {
        try {
            return item(n, flag, ctx) as number;
        } catch {
            throw invalid(flag, raw, `"${n}" is not a whole number of 16 or more; use at least two comma-separated sizes in increasing order, e.g. 4000,16000`);
        }
    });
    if (sizes.length < 2 || sizes.some((n, i) => i > 0 && n <= sizes[i - 1])) {
        throw invalid(flag, raw, "use at least two comma-separated sizes in increasing order, e.g. 4000,16000");
    }
    return sizes;
};

export const BENCH_POLICIES: CommandSpec = {
    usage: "npm run bench:policies -- [options]",
    summary: "Measures start-up, per-resource Analyze and AnalyzeStack time of the pack next to the same pack without a group of rule modules, a floor pack of as many policies doing nothing, and a trivial pack, over a synthetic stack.",
    flags: {
        resources: { type: "string", arg: "<n>", parse: integer(1), default: BENCH_DEFAULTS.resources, doc: `synthetic resources (default: ${BENCH_DEFAULTS.resources})` },
        starts: { type: "string", arg: "<n>", parse: integer(1), default: BENCH_DEFAULTS.starts, doc: `alternating start-ups of each pack (default: ${BENCH_DEFAULTS.starts})` },
        "analyze-rounds": { type: "string", arg: "<n>", parse: integer(1), default: BENCH_DEFAULTS.analyzeRounds, doc: `Analyze rounds, one chunk of the stack each (default: ${BENCH_DEFAULTS.analyzeRounds})` },
        "analyze-passes": { type: "string", arg: "<n>", parse: integer(1), default: BENCH_DEFAULTS.analyzePasses, doc: `times the Analyze rounds go over the stack (default: ${BENCH_DEFAULTS.analyzePasses})` },
        "stack-rounds": { type: "string", arg: "<n>", parse: integer(1), default: BENCH_DEFAULTS.stackRounds, doc: `AnalyzeStack rounds (default: ${BENCH_DEFAULTS.stackRounds})` },
        without: {
            type: "string", arg: "<module,...>", parse: moduleList, default: BENCH_DEFAULTS.without,
            doc: `rule modules (policies/rules/<module>.ts) whose policies the "without group" pack disables (default: the rules issue 10 added, ${BENCH_DEFAULTS.without.join(",")})`,
        },
        "shape-sizes": { type: "string", arg: "<n,n,...>", parse: sizeList, default: [4000, 16000, 64000], doc: "sizes of the shared-security-group stack, increasing (default: 4000,16000,64000)" },
        out: { type: "string", arg: "<file>", path: "file", doc: "also write the figures as JSON to this file" },
    },
    exitCodes: "0 measured, 1 a pack failed, 2 a bad command line or an unwritable --out",
};

const started = Date.now();
/** A progress line on stderr, with the seconds since the start: stdout carries only the figures. */
function progress(line: string): void {
    process.stderr.write(`› ${line} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

if (require.main === module) {
    runCommand(BENCH_POLICIES, async (opts) => {
        const result = await runBenchmark({
            resources: opts.resources, starts: opts.starts, analyzeRounds: opts["analyze-rounds"], analyzePasses: opts["analyze-passes"], stackRounds: opts["stack-rounds"], without: opts.without,
        }, progress);
        progress("starting the pack for the shapes");
        const pack = await startPack({ packDir: DEFAULT_PACK_DIR, build: false });
        let shape: Awaited<ReturnType<typeof measureSharedSecurityGroup>>;
        let adversarial: Awaited<ReturnType<typeof measureAdversarial>>;
        try {
            shape = await measureSharedSecurityGroup(pack, opts["shape-sizes"], progress);
            adversarial = await measureAdversarial(pack, progress);
        } finally {
            await pack.close();
        }
        const lines = [formatBench(result).trimEnd(),
            "shared security group (1/4 target groups, 1/4 ingress rules of one group), AnalyzeStack:",
            ...shape.sizes.map((s) => `  ${String(s.resources).padStart(7)} resources ${s.ms.toFixed(0).padStart(7)} ms ${s.usPerResource.toFixed(1).padStart(7)} µs/resource`),
            `  growth exponent ${shape.exponent.toFixed(2)} (1.00 is linear)`,
            "adversarial user data, one Analyze each (target: under 1000 ms):",
            ...adversarial.map((a) => `  ${a.name.padEnd(22)} ${String(a.bytes).padStart(8)} chars ${a.ms.toFixed(1).padStart(8)} ms  ${[...new Set(a.policies)].join(", ") || "no findings"}`)];
        if (opts.out) writeOutput("--out", opts.out, JSON.stringify({ ...result, summary: summarize(result), shape, adversarial }, null, 2) + "\n");
        progress("done");
        return { code: 0, stdout: lines.join("\n") + "\n" };
    }, { failureCode: 1 });
}
