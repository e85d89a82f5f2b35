/**
 * Benchmark of the e2e-tls-guard pack over the analyzer protocol: the whole pack; the same pack
 * with a group of rule modules disabled (`enforcementLevel: "disabled"`, which @pulumi/policy's
 * server skips before decoding anything for the policy); the same rules as @pulumi/policy serves
 * them by itself, decoding each request's properties once per policy (the pack before
 * policies/framework/decode-once.ts); and a trivial pack (one no-op resource policy and one no-op
 * stack policy). The last two are written to temp folders in the same run (pack-variants.ts). It
 * measures start-up, per-resource Analyze time and AnalyzeStack time over a synthetic stack of
 * ~5,000 resources (bench-stack.ts), and the group's cost as the difference between the first two.
 * Reports figures and ratios; asserts nothing.
 * The command line is offline/commands/bench-policies.ts (`npm run bench:policies`).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import { DEFAULT_PACK_DIR, ensurePackBuilt, PackHandle, ResourceInput, startPack } from "./harness";
import { removePack, writePerPolicyDecodingPack, writeTrivialPack } from "./pack-variants";
import { stackComposition, syntheticStack } from "./bench-stack";
import { disabledConfig, ISSUE_10_MODULES, modulesNamed } from "./rule-modules";

/** How much to measure. */
export interface BenchOptions {
    /** Synthetic resources. */
    readonly resources: number;
    /** Alternating start-ups of the pack and the trivial pack. */
    readonly starts: number;
    /** Analyze rounds: the stack is cut in this many chunks, each analysed by every pack, taking turns every few resources. */
    readonly analyzeRounds: number;
    /** AnalyzeStack rounds, each over the whole stack by every pack in turn. */
    readonly stackRounds: number;
    /** Rule modules (policies/rules/<name>.ts) disabled in the "without" pack. */
    readonly without: readonly string[];
}

export const BENCH_DEFAULTS: BenchOptions = { resources: 5000, starts: 5, analyzeRounds: 20, stackRounds: 9, without: ISSUE_10_MODULES };

/**
 * The packs, in the order a round starts with: the pack, the pack without the group, the pack's
 * rules decoding per policy, and the trivial pack.
 */
export const VARIANTS = ["full", "without", "perPolicy", "trivial"] as const;
export type Variant = (typeof VARIANTS)[number];

/** One pack's per-round figures: wall time as the engine waits for it, and the pack process's CPU time. */
export interface Rounds {
    /** Mean µs per Analyze call, per chunk. */
    readonly analyzeUs: number[];
    /** AnalyzeStack ms, per round. */
    readonly stackMs: number[];
    /** The pack process's CPU µs per resource, per chunk (empty where {@link processCpuMs} cannot read it). */
    readonly analyzeCpuUs: number[];
    /** The pack process's CPU ms per AnalyzeStack round (empty likewise). */
    readonly stackCpuMs: number[];
    readonly analyzeViolations: number;
    readonly stackViolations: number;
}

export interface BenchResult {
    readonly options: BenchOptions;
    readonly policies: number;
    /** The disabled group: its modules and their policies. */
    readonly group: { readonly modules: string[]; readonly policies: string[] };
    readonly composition: ReturnType<typeof stackComposition>;
    /** Start-ups in ms (the "without" pack starts as the full one: configuration comes after the port). */
    readonly startsMs: { readonly full: number[]; readonly trivial: number[] };
    readonly rounds: Record<Variant, Rounds>;
}

/** Median; the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
    const s = [...values].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The order of the packs in round `i`: rotated each round, so none is always first or last. */
export function roundOrder(i: number): Variant[] {
    return VARIANTS.map((_, k) => VARIANTS[(i + k) % VARIANTS.length]);
}

/** Median over rounds of `f(round)` (paired: a ratio or difference within one round, where load is alike). */
export function pairedMedian(a: readonly number[], b: readonly number[], f: (x: number, y: number) => number): number {
    return median(a.map((x, i) => f(x, b[i])));
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (sysconf(_SC_CLK_TCK), 100 on Linux). */
const CLOCK_TICKS = (() => {
    try {
        return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
        return 100;
    }
})();

/**
 * CPU time process `pid` has used so far, all its threads, in ms. Unlike wall time it does not
 * grow while other processes hold the CPU (shared caches still slow it somewhat). Read from each
 * thread's /proc/<pid>/task/<tid>/schedstat (first field: nanoseconds spent on the CPU; kernel
 * Documentation/scheduler/sched-stats.rst), or else fields 14 and 15 of /proc/<pid>/stat (user
 * and system time in clock ticks, proc(5)). `undefined` where there is no /proc (not Linux).
 */
export function processCpuMs(pid: number): number | undefined {
    try {
        let ns = 0;
        for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
            ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
        }
        if (Number.isFinite(ns)) return ns / 1e6;
    } catch {
        // No schedstat (a kernel without CONFIG_SCHED_INFO): the coarser stat below.
    }
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // from field 3 on: the command name may hold spaces
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
        return undefined;
    }
}

/** Resources each pack analyses in one turn before the next pack's turn. */
export const TURN = 10;

/** Mean microseconds per sequential Analyze call over `resources`, and the violations seen. */
async function analyzeAll(pack: PackHandle, resources: ResourceInput[]): Promise<{ us: number; violations: number }> {
    let violations = 0;
    const started = process.hrtime.bigint();
    for (const r of resources) {
        violations += (await pack.analyze(r)).diagnostics.length;
    }
    return { us: Number(process.hrtime.bigint() - started) / 1000 / resources.length, violations };
}

/** Milliseconds of one AnalyzeStack call over `resources`, and the violations seen. */
async function analyzeStackOnce(pack: PackHandle, resources: ResourceInput[]): Promise<{ ms: number; violations: number }> {
    const started = process.hrtime.bigint();
    const violations = (await pack.analyzeStack(resources)).diagnostics.length;
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, violations };
}

/** One start-up of the pack in `dir`, in milliseconds from spawn to printed port. */
async function measureStartupOnce(dir: string): Promise<number> {
    const pack = await startPack({ packDir: dir, build: false, configure: false });
    await pack.close();
    return pack.startupMs;
}

/**
 * Measures the packs side by side, taking turns round by round so that load from other processes
 * lands on all alike. `progress` gets a line as each phase starts and after each round (for stderr:
 * the run takes minutes at the defaults).
 */
export async function runBenchmark(o: BenchOptions = BENCH_DEFAULTS, progress: (line: string) => void = () => undefined): Promise<BenchResult> {
    progress("building the pack if it is stale");
    ensurePackBuilt(DEFAULT_PACK_DIR);
    const group = modulesNamed(o.without);
    const trivialDir = writeTrivialPack();
    const perPolicyDir = writePerPolicyDecodingPack();
    const resources = syntheticStack(o.resources);
    try {
        const startsMs = { full: [] as number[], trivial: [] as number[] };
        for (let i = 0; i < o.starts; i++) {
            progress(`start-ups: ${i + 1} of ${o.starts}`);
            startsMs.full.push(await measureStartupOnce(DEFAULT_PACK_DIR));
            startsMs.trivial.push(await measureStartupOnce(trivialDir));
        }
        const packs = {} as Record<Variant, PackHandle>;
        const rounds = Object.fromEntries(VARIANTS.map((v) => [v, { analyzeUs: [], stackMs: [], analyzeCpuUs: [], stackCpuMs: [], analyzeViolations: 0, stackViolations: 0 }])) as unknown as Record<Variant, { -readonly [K in keyof Rounds]: Rounds[K] }>;
        let policies = 0;
        try {
            progress(`starting the ${VARIANTS.length} packs (${VARIANTS.join(", ")})`);
            packs.full = await startPack({ packDir: DEFAULT_PACK_DIR, build: false });
            packs.without = await startPack({ packDir: DEFAULT_PACK_DIR, build: false, policyConfig: disabledConfig(group) });
            packs.perPolicy = await startPack({ packDir: perPolicyDir, build: false });
            packs.trivial = await startPack({ packDir: trivialDir, build: false });
            policies = (await packs.full.getAnalyzerInfo()).policies.length;
            const chunk = Math.ceil(resources.length / o.analyzeRounds);
            // Warm-up: every pack analyses the whole stack once, so that each type's code paths
            // are compiled before the rounds (a chunk alone left the first rounds slower).
            progress(`warm-up: every pack analyses the ${resources.length} resources once`);
            for (const v of VARIANTS) {
                await analyzeAll(packs[v], resources);
                await packs[v].analyzeStack(resources);
            }
            for (let i = 0; i < resources.length; i += chunk) {
                // Within a round the packs take turns every TURN resources (A/B/C/T, B/C/T/A, …), so
                // that a burst of load from elsewhere falls on all of them rather than on one.
                const slice = resources.slice(i, i + chunk);
                progress(`Analyze round ${i / chunk + 1} of ${Math.ceil(resources.length / chunk)} (${slice.length} resources)`);
                const totalUs = Object.fromEntries(VARIANTS.map((v) => [v, 0])) as Record<Variant, number>;
                const cpuBefore = VARIANTS.map((v) => processCpuMs(packs[v].pid));
                for (let j = 0; j < slice.length; j += TURN) {
                    const part = slice.slice(j, j + TURN);
                    for (const v of roundOrder(j / TURN)) {
                        const a = await analyzeAll(packs[v], part);
                        totalUs[v] += a.us * part.length;
                        rounds[v].analyzeViolations += a.violations;
                    }
                }
                VARIANTS.forEach((v, k) => {
                    rounds[v].analyzeUs.push(totalUs[v] / slice.length);
                    const cpu = processCpuMs(packs[v].pid);
                    if (cpu !== undefined && cpuBefore[k] !== undefined) rounds[v].analyzeCpuUs.push(((cpu - cpuBefore[k]!) * 1000) / slice.length);
                });
            }
            for (let round = 0; round < o.stackRounds; round++) {
                progress(`AnalyzeStack round ${round + 1} of ${o.stackRounds}`);
                for (const v of roundOrder(round)) {
                    const cpuBefore = processCpuMs(packs[v].pid);
                    const a = await analyzeStackOnce(packs[v], resources);
                    const cpu = processCpuMs(packs[v].pid);
                    if (cpu !== undefined && cpuBefore !== undefined) rounds[v].stackCpuMs.push(cpu - cpuBefore);
                    rounds[v].stackMs.push(a.ms);
                    rounds[v].stackViolations = a.violations;
                }
            }
        } finally {
            await Promise.all(Object.values(packs).map((p) => p.close()));
        }
        return {
            options: o, policies, composition: stackComposition(resources), startsMs, rounds,
            group: { modules: group.map((m) => m.name), policies: group.flatMap((m) => m.policies.map((p) => p.name)) },
        };
    } finally {
        removePack(trivialDir);
        removePack(perPolicyDir);
    }
}
