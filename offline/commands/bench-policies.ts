/**
 * `npm run bench:policies -- [--resources N] [--starts N] [--analyze-rounds N] [--stack-rounds N] [--out <file>]`:
 * the e2e-tls-guard pack over the analyzer protocol next to a trivial pack (offline/analyzer/bench.ts).
 * Prints figures and ratios; asserts nothing.
 */
import { CommandSpec, integer, runCommand, writeOutput } from "./cli";
import { BENCH_DEFAULTS, formatBench, runBenchmark } from "../analyzer/bench";

export const BENCH_POLICIES: CommandSpec = {
    usage: "npm run bench:policies -- [options]",
    summary: "Measures start-up, per-resource Analyze and AnalyzeStack time of the pack next to a trivial pack, over a synthetic stack.",
    flags: {
        resources: { type: "string", arg: "<n>", parse: integer(1), default: BENCH_DEFAULTS.resources, doc: `synthetic resources (default: ${BENCH_DEFAULTS.resources})` },
        starts: { type: "string", arg: "<n>", parse: integer(1), default: BENCH_DEFAULTS.starts, doc: `alternating start-ups of each pack (default: ${BENCH_DEFAULTS.starts})` },
        "analyze-rounds": { type: "string", arg: "<n>", parse: integer(1), default: BENCH_DEFAULTS.analyzeRounds, doc: `alternating Analyze chunks (default: ${BENCH_DEFAULTS.analyzeRounds})` },
        "stack-rounds": { type: "string", arg: "<n>", parse: integer(1), default: BENCH_DEFAULTS.stackRounds, doc: `alternating AnalyzeStack rounds (default: ${BENCH_DEFAULTS.stackRounds})` },
        out: { type: "string", arg: "<file>", path: "file", doc: "also write the figures as JSON to this file" },
    },
    exitCodes: "0 measured, 1 a pack failed, 2 a bad command line or an unwritable --out",
};

if (require.main === module) {
    runCommand(BENCH_POLICIES, async (opts) => {
        const result = await runBenchmark({
            resources: opts.resources, starts: opts.starts, analyzeRounds: opts["analyze-rounds"], stackRounds: opts["stack-rounds"],
        });
        if (opts.out) writeOutput("--out", opts.out, JSON.stringify(result, null, 2) + "\n");
        return { code: 0, stdout: formatBench(result) };
    }, { failureCode: 1 });
}
