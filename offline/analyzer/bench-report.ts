/**
 * What the benchmark prints (offline/analyzer/bench.ts measures): medians, ratios to the trivial
 * pack, the disabled group's cost and what decoding once per request saves, in wall time (what the
 * engine waits for) and in the pack process's CPU time (which other load on the machine inflates
 * far less).
 */
import { BenchResult, median, pairedMedian, Rounds, TURN } from "./bench";
import { formatComposition } from "./bench-stack";

const ratio = (x: number, y: number) => x / y;
const diff = (x: number, y: number) => x - y;

/** One measure of the packs: medians, paired ratios to the trivial pack, and paired differences. */
export interface Compared {
    readonly full: number;
    readonly without: number;
    readonly perPolicy: number;
    readonly trivial: number;
    /** The whole pack against the trivial pack. */
    readonly ratio: number;
    /** The pack without the group against the trivial pack. */
    readonly ratioWithout: number;
    /** The pack's rules decoding per policy (the pack before decode-once) against the trivial pack. */
    readonly ratioPerPolicy: number;
    /** What the group costs: the whole pack minus the pack without it. */
    readonly group: number;
    /** What the whole pack costs over the trivial pack. */
    readonly pack: number;
    /** What decoding once per request saves: the pack decoding per policy minus the pack. */
    readonly saved: number;
}

function compare(r: BenchResult["rounds"], pick: (x: Rounds) => number[]): Compared | undefined {
    const [full, without, perPolicy, trivial] = [pick(r.full), pick(r.without), pick(r.perPolicy), pick(r.trivial)];
    if (full.length === 0 || [without, perPolicy, trivial].some((x) => x.length !== full.length)) return undefined;
    return {
        full: median(full), without: median(without), perPolicy: median(perPolicy), trivial: median(trivial),
        ratio: pairedMedian(full, trivial, ratio), ratioWithout: pairedMedian(without, trivial, ratio), ratioPerPolicy: pairedMedian(perPolicy, trivial, ratio),
        group: pairedMedian(full, without, diff), pack: pairedMedian(full, trivial, diff), saved: pairedMedian(perPolicy, full, diff),
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

/** The ratios to the trivial pack the pack is held to, in wall time (issue 18: AnalyzeStack ≤ 1.5x, Analyze ≤ 1.3x). */
export const TARGETS = { analyze: 1.3, stack: 1.5, start: 2 } as const;

/** The figures as tables with ratios, what the stack holds, and what the group costs. */
export function formatBench(r: BenchResult): string {
    const { options: o } = r;
    const s = summarize(r);
    const lines: string[] = [];
    const row = (name: string, cells: (string | number)[]) =>
        lines.push(name.padEnd(30) + cells.map((c, i) => (typeof c === "number" ? c.toFixed(0) : c).padStart([14, 14, 12, 10, 8, 15, 12][i])).join(""));
    const compared = (name: string, c: Compared) => row(name, [c.full, c.without, c.perPolicy, c.trivial, x(c.ratio), x(c.ratioWithout), x(c.ratioPerPolicy)]);
    const saved = (what: string, a: Compared, st: Compared) =>
        `${what}: decoding once per request saves ${a.saved.toFixed(0)} µs per resource in Analyze and ${st.saved.toFixed(0)} ms in AnalyzeStack`;
    const cost = (what: string, a: Compared, st: Compared) =>
        `${what}: the group costs ${a.group.toFixed(0)} µs per resource in Analyze (of the pack's ${a.pack.toFixed(0)} µs over the trivial pack) ` +
        `and ${st.group.toFixed(0)} ms in AnalyzeStack (${((st.group * 1000) / o.resources).toFixed(1)} µs per resource, of the pack's ${st.pack.toFixed(0)} ms)`;
    lines.push(`${o.resources} synthetic resources; medians of ${o.starts} alternating start-ups, ${o.analyzeRounds} Analyze rounds (a chunk of the stack each, ` +
        `the four packs taking turns every ${TURN} resources) and ${o.stackRounds} AnalyzeStack rounds (the whole stack, the packs in turn), first pack rotating; ` +
        "ratios and differences are medians of the per-round ones");
    lines.push(...formatComposition(r.composition));
    lines.push(`e2e-tls-guard: ${r.policies} policies; "without group": the same pack with the ${r.group.policies.length} policies of ${r.group.modules.join(", ")} disabled; ` +
        `"per policy": the same rules as @pulumi/policy serves them alone, decoding each request once per policy (the pack before it decoded once per request)`);
    row("", ["e2e-tls-guard", "without group", "per policy", "trivial", "ratio", "ratio without", "ratio per p."]);
    row("start-up to port (ms)", [s.startMs.full, "-", "-", s.startMs.trivial, x(s.startMs.ratio), "-", "-"]);
    compared("Analyze per resource (µs)", s.analyzeUs);
    compared(`AnalyzeStack of ${o.resources} (ms)`, s.stackMs);
    if (s.analyzeCpuUs && s.stackCpuMs) {
        lines.push("the pack process's CPU time (all threads), which other load on the machine inflates far less:");
        compared("  Analyze per resource (µs)", s.analyzeCpuUs);
        compared(`  AnalyzeStack of ${o.resources} (ms)`, s.stackCpuMs);
    }
    lines.push(`targets (e2e-tls-guard against trivial, wall time): per resource ≤ ${TARGETS.analyze}x, stack ≤ ${TARGETS.stack}x, start-up ≤ ${TARGETS.start}x; ` +
        `violations found: Analyze ${r.rounds.full.analyzeViolations} (per policy ${r.rounds.perPolicy.analyzeViolations}), ` +
        `AnalyzeStack ${r.rounds.full.stackViolations} (per policy ${r.rounds.perPolicy.stackViolations})`);
    lines.push(cost("wall time", s.analyzeUs, s.stackMs));
    if (s.analyzeCpuUs && s.stackCpuMs) lines.push(cost("pack CPU time", s.analyzeCpuUs, s.stackCpuMs));
    lines.push(saved("wall time", s.analyzeUs, s.stackMs));
    if (s.analyzeCpuUs && s.stackCpuMs) lines.push(saved("pack CPU time", s.analyzeCpuUs, s.stackCpuMs));
    lines.push("(@pulumi/policy runs every enabled policy on every resource, building its arguments each time, so each policy costs some µs on every resource even when it skips the type)");
    lines.push(`start-ups (ms): e2e-tls-guard ${r.startsMs.full.join(", ")}; trivial ${r.startsMs.trivial.join(", ")}`);
    return lines.join("\n") + "\n";
}
