/**
 * What the benchmark prints (offline/analyzer/bench.ts measures): medians, ratios to the trivial
 * pack and the disabled group's cost, in wall time (what the engine waits for) and in the pack
 * process's CPU time (which other load on the machine inflates far less).
 */
import { BenchResult, median, pairedMedian, Rounds, TURN } from "./bench";
import { formatComposition } from "./bench-stack";

const ratio = (x: number, y: number) => x / y;
const diff = (x: number, y: number) => x - y;

/** One measure of the three packs: medians, paired ratios to the trivial pack, and paired differences. */
export interface Compared {
    readonly full: number;
    readonly without: number;
    readonly trivial: number;
    /** The whole pack against the trivial pack. */
    readonly ratio: number;
    /** The pack without the group against the trivial pack. */
    readonly ratioWithout: number;
    /** What the group costs: the whole pack minus the pack without it. */
    readonly group: number;
    /** What the whole pack costs over the trivial pack. */
    readonly pack: number;
}

function compare(r: BenchResult["rounds"], pick: (x: Rounds) => number[]): Compared | undefined {
    const [full, without, trivial] = [pick(r.full), pick(r.without), pick(r.trivial)];
    if (full.length === 0 || full.length !== without.length || full.length !== trivial.length) return undefined;
    return {
        full: median(full), without: median(without), trivial: median(trivial),
        ratio: pairedMedian(full, trivial, ratio), ratioWithout: pairedMedian(without, trivial, ratio),
        group: pairedMedian(full, without, diff), pack: pairedMedian(full, trivial, diff),
    };
}

/** The headline figures; the CPU ones are undefined where the pack's CPU time cannot be read. */
export function summarize(r: BenchResult) {
    return {
        startMs: { full: median(r.startsMs.full), trivial: median(r.startsMs.trivial), ratio: pairedMedian(r.startsMs.full, r.startsMs.trivial, ratio) },
        analyzeUs: compare(r.rounds, (x) => x.analyzeUs)!,
        stackMs: compare(r.rounds, (x) => x.stackMs)!,
        analyzeCpuUs: compare(r.rounds, (x) => x.analyzeCpuUs),
        stackCpuMs: compare(r.rounds, (x) => x.stackCpuMs),
    };
}

const x = (v: number) => `${v.toFixed(2)}x`;

/** The figures as tables with ratios, what the stack holds, and what the group costs. */
export function formatBench(r: BenchResult): string {
    const { options: o } = r;
    const s = summarize(r);
    const lines: string[] = [];
    const row = (name: string, cells: (string | number)[]) =>
        lines.push(name.padEnd(30) + cells.map((c, i) => (typeof c === "number" ? c.toFixed(0) : c).padStart([14, 14, 10, 8, 15][i])).join(""));
    const compared = (name: string, c: Compared) => row(name, [c.full, c.without, c.trivial, x(c.ratio), x(c.ratioWithout)]);
    const cost = (what: string, a: Compared, st: Compared) =>
        `${what}: the group costs ${a.group.toFixed(0)} µs per resource in Analyze (of the pack's ${a.pack.toFixed(0)} µs over the trivial pack) ` +
        `and ${st.group.toFixed(0)} ms in AnalyzeStack (${((st.group * 1000) / o.resources).toFixed(1)} µs per resource, of the pack's ${st.pack.toFixed(0)} ms)`;
    lines.push(`${o.resources} synthetic resources; medians of ${o.starts} alternating start-ups, ${o.analyzeRounds} Analyze rounds (a chunk of the stack each, ` +
        `the three packs taking turns every ${TURN} resources) and ${o.stackRounds} AnalyzeStack rounds (the whole stack, the packs in turn), first pack rotating; ` +
        "ratios and differences are medians of the per-round ones");
    lines.push(...formatComposition(r.composition));
    lines.push(`e2e-tls-guard: ${r.policies} policies; "without group": the same pack with the ${r.group.policies.length} policies of ${r.group.modules.join(", ")} disabled`);
    row("", ["e2e-tls-guard", "without group", "trivial", "ratio", "ratio without"]);
    row("start-up to port (ms)", [s.startMs.full, "-", s.startMs.trivial, x(s.startMs.ratio), "-"]);
    compared("Analyze per resource (µs)", s.analyzeUs);
    compared(`AnalyzeStack of ${o.resources} (ms)`, s.stackMs);
    if (s.analyzeCpuUs && s.stackCpuMs) {
        lines.push("the pack process's CPU time (all threads), which other load on the machine inflates far less:");
        compared("  Analyze per resource (µs)", s.analyzeCpuUs);
        compared(`  AnalyzeStack of ${o.resources} (ms)`, s.stackCpuMs);
    }
    lines.push(`targets (e2e-tls-guard against trivial, wall time): per resource ≤ 1.5x, stack ≤ 2x, start-up ≤ 2x; ` +
        `violations found: Analyze ${r.rounds.full.analyzeViolations}, AnalyzeStack ${r.rounds.full.stackViolations}`);
    lines.push(cost("wall time", s.analyzeUs, s.stackMs));
    if (s.analyzeCpuUs && s.stackCpuMs) lines.push(cost("pack CPU time", s.analyzeCpuUs, s.stackCpuMs));
    lines.push("(@pulumi/policy decodes a resource once per enabled policy before the policy looks at its type, so each policy costs some µs on every resource)");
    lines.push(`start-ups (ms): e2e-tls-guard ${r.startsMs.full.join(", ")}; trivial ${r.startsMs.trivial.join(", ")}`);
    return lines.join("\n") + "\n";
}
