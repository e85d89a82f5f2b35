/**
 * Benchmark of the e2e-tls-guard pack over the analyzer protocol: the whole pack; the same pack
 * with a group of rule modules disabled (`enforcementLevel: "disabled"`, which @pulumi/policy's
 * server skips before decoding anything for the policy); the same rules as @pulumi/policy serves
 * them by itself, decoding each request's properties once per policy (the pack before
 * policies/framework/decode-once.ts); the floor pack (as many policies, each doing nothing but
 * keep its arguments, decoding once per request: what @pulumi/policy's loop costs for them); and a
 * trivial pack (one no-op resource policy and one no-op stack policy). The last three are written
 * to temp folders in the same run (pack-variants.ts). It
 * measures start-up, per-resource Analyze time and AnalyzeStack time over a synthetic stack of
 * ~5,000 resources (bench-stack.ts), and the group's cost as the difference between the first two.
 * Then the worst cases: a stack shaped for the path rule's former quadratic walk (many target
 * groups behind one security group with many ingress rules), measured at growing sizes to give the
 * growth exponent, and the adversarial values of adversarial.ts sent as user data, one Analyze
 * call each. It prints medians, ratios to the trivial pack, the disabled group's cost and what
 * decoding once per request saves, in wall time (what the engine waits for) and in the pack
 * process's CPU time (which other load on the machine inflates far less). Asserts nothing.
 * The command line is offline/commands/bench-policies.ts (`npm run bench:policies`).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import { adversarialInputs } from "./adversarial";
import { DEFAULT_PACK_DIR, ensurePackBuilt, PackHandle, ResourceInput, startPack, urnOf } from "./harness";
import { removePack, writeFloorPack, writePerPolicyDecodingPack, writeTrivialPack } from "./pack-variants";
import { formatComposition, stackComposition, syntheticStack } from "./bench-stack";
import { disabledConfig, ISSUE_10_MODULES, modulesNamed } from "./rule-modules";
import { DEFAULT_SSL_POLICY } from "../../policies/shared/ssl-policies";
import { ELBV2, TOKENS } from "../../policies/shared/tokens";

/** How much to measure. */
export interface BenchOptions {
    /** Synthetic resources. */
    readonly resources: number;
    /** Alternating start-ups of the pack and the trivial pack. */
    readonly starts: number;
    /** Analyze rounds: the stack is cut in this many chunks, each analysed by every pack, taking turns every few resources. */
    readonly analyzeRounds: number;
    /**
     * How many times the Analyze rounds go over the stack (1 when absent): a round's ratio varies
     * with the garbage collections and load that fall in it, so the median needs many of them.
     */
    readonly analyzePasses?: number;
    /** AnalyzeStack rounds, each over the whole stack by every pack in turn. */
    readonly stackRounds: number;
    /** Rule modules (policies/rules/<name>.ts) disabled in the "without" pack. */
    readonly without: readonly string[];
}

export const BENCH_DEFAULTS: BenchOptions = { resources: 5000, starts: 5, analyzeRounds: 20, analyzePasses: 3, stackRounds: 15, without: ISSUE_10_MODULES };

/**
 * The packs, in the order a round starts with: the pack, the pack without the group, the pack's
 * rules decoding per policy, the floor pack (as many policies doing nothing), and the trivial pack.
 */
export const VARIANTS = ["full", "without", "perPolicy", "floor", "trivial"] as const;
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
    const floorDir = writeFloorPack();
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
            packs.floor = await startPack({ packDir: floorDir, build: false });
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
            const passes = o.analyzePasses ?? 1;
            const perPass = Math.ceil(resources.length / chunk);
            for (let r = 0; r < passes * perPass; r++) {
                // Within a round the packs take turns every TURN resources (A/B/C/T, B/C/T/A, …), so
                // that a burst of load from elsewhere falls on all of them rather than on one.
                const i = (r % perPass) * chunk;
                const slice = resources.slice(i, i + chunk);
                progress(`Analyze round ${r + 1} of ${passes * perPass} (${slice.length} resources)`);
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
        removePack(floorDir);
    }
}

// The worst cases.

const arn = (res: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:${res}`;

/**
 * `count` resources: one load balancer whose listener rules forward to `count / 4` target groups,
 * each served by an ECS service in the same security group, which has `count / 4` ingress rules.
 */
export function sharedSecurityGroupStack(count: number): ResourceInput[] {
    const out: ResourceInput[] = [];
    const add = (type: string, name: string, props: Record<string, any>, deps: Record<string, string[]> = {}) => {
        out.push({ type, name, urn: urnOf(type, name), props, propertyDependencies: deps, dependencies: [...new Set(Object.values(deps).flat())] });
        return urnOf(type, name);
    };
    const uAlbSg = add(TOKENS.securityGroup, "alb-sg", { id: "sg-alb", vpcId: "vpc-1", description: "alb" });
    const uTierSg = add(TOKENS.securityGroup, "tier-sg", { id: "sg-tier", vpcId: "vpc-1", description: "tier" });
    const lbArn = arn("loadbalancer/app/web/1");
    const lisArn = arn("listener/app/web/1/1");
    const uLb = add(ELBV2.lb.loadBalancer, "web", { arn: lbArn, loadBalancerType: "application", securityGroups: ["sg-alb"] }, { securityGroups: [uAlbSg] });
    const uLis = add(ELBV2.lb.listener, "web-https", {
        arn: lisArn, loadBalancerArn: lbArn, port: 443, protocol: "HTTPS", sslPolicy: DEFAULT_SSL_POLICY,
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/1", defaultActions: [{ type: "fixed-response" }],
    }, { loadBalancerArn: [uLb] });
    const quarter = Math.max(1, Math.floor((count - out.length) / 4));
    for (let i = 0; i < quarter; i++) {
        add(TOKENS.securityGroupIngressRule, `tier-in-${i}`, { securityGroupId: "sg-tier", ipProtocol: "tcp", fromPort: 8443, toPort: 8443, referencedSecurityGroupId: "sg-alb" },
            { securityGroupId: [uTierSg], referencedSecurityGroupId: [uAlbSg] });
    }
    for (let i = 0; out.length + 3 <= count; i++) {
        const tgArn = arn(`targetgroup/web-${i}/${i}`);
        const uTg = add(ELBV2.lb.targetGroup, `tg-${i}`, { arn: tgArn, port: 8443, protocol: "HTTPS", targetType: "ip", healthCheck: { protocol: "HTTPS" } });
        add(ELBV2.lb.listenerRule, `rule-${i}`, { listenerArn: lisArn, priority: i + 1, actions: [{ type: "forward", targetGroupArn: tgArn }] }, { listenerArn: [uLis], actions: [uTg] });
        add(TOKENS.ecsService, `svc-${i}`, {
            name: `svc-${i}`, launchType: "FARGATE", networkConfiguration: { subnets: ["subnet-a"], securityGroups: ["sg-tier"], assignPublicIp: false },
            loadBalancers: [{ targetGroupArn: tgArn, containerName: "tls", containerPort: 8443 }],
        }, { networkConfiguration: [uTierSg], loadBalancers: [uTg] });
    }
    return out;
}

/** AnalyzeStack milliseconds of the shared-security-group shape at each size, and the growth exponent between the extremes. */
export async function measureSharedSecurityGroup(pack: PackHandle, sizes: readonly number[], progress: (line: string) => void = () => undefined): Promise<{ sizes: { resources: number; ms: number; usPerResource: number }[]; exponent: number }> {
    const out: { resources: number; ms: number; usPerResource: number }[] = [];
    for (const n of sizes) {
        progress(`shared security group: AnalyzeStack over ${n} resources`);
        const stack = sharedSecurityGroupStack(n);
        const started = process.hrtime.bigint();
        await pack.analyzeStack(stack);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        out.push({ resources: stack.length, ms, usPerResource: (ms * 1000) / stack.length });
    }
    const [a, b] = [out[0], out[out.length - 1]];
    return { sizes: out, exponent: Math.log(b.ms / a.ms) / Math.log(b.resources / a.resources) };
}

/** Milliseconds of one Analyze call per adversarial input, sent as a launch template's user data, and what the pack said. */
export async function measureAdversarial(pack: PackHandle, progress: (line: string) => void = () => undefined): Promise<{ name: string; bytes: number; ms: number; policies: string[] }[]> {
    const out: { name: string; bytes: number; ms: number; policies: string[] }[] = [];
    for (const input of adversarialInputs()) {
        progress(`adversarial user data: ${input.name}`);
        const r: ResourceInput = { type: TOKENS.launchTemplate, name: "adversarial", urn: urnOf(TOKENS.launchTemplate, "adversarial"), props: { userData: input.value } };
        const started = process.hrtime.bigint();
        const result = await pack.analyze(r);
        out.push({ name: input.name, bytes: input.value.length, ms: Number(process.hrtime.bigint() - started) / 1e6, policies: result.diagnostics.map((d) => d.policyName) });
    }
    return out;
}

// What the benchmark prints.

const ratio = (x: number, y: number) => x / y;
const diff = (x: number, y: number) => x - y;

/** One measure of the packs: medians, paired ratios to the trivial pack, and paired differences. */
export interface Compared {
    readonly full: number;
    readonly without: number;
    readonly perPolicy: number;
    readonly floor: number;
    readonly trivial: number;
    /** The whole pack against the trivial pack. */
    readonly ratio: number;
    /** The pack without the group against the trivial pack. */
    readonly ratioWithout: number;
    /** The pack's rules decoding per policy (the pack before decode-once) against the trivial pack. */
    readonly ratioPerPolicy: number;
    /** The floor pack against the trivial pack: what @pulumi/policy's loop alone costs for the pack's policies. */
    readonly ratioFloor: number;
    /** What the group costs: the whole pack minus the pack without it. */
    readonly group: number;
    /** What the whole pack costs over the trivial pack. */
    readonly pack: number;
    /** What decoding once per request saves: the pack decoding per policy minus the pack. */
    readonly saved: number;
}

function compare(r: BenchResult["rounds"], pick: (x: Rounds) => number[]): Compared | undefined {
    const [full, without, perPolicy, floor, trivial] = [pick(r.full), pick(r.without), pick(r.perPolicy), pick(r.floor), pick(r.trivial)];
    if (full.length === 0 || [without, perPolicy, floor, trivial].some((x) => x.length !== full.length)) return undefined;
    return {
        full: median(full), without: median(without), perPolicy: median(perPolicy), floor: median(floor), trivial: median(trivial),
        ratio: pairedMedian(full, trivial, ratio), ratioWithout: pairedMedian(without, trivial, ratio), ratioPerPolicy: pairedMedian(perPolicy, trivial, ratio),
        ratioFloor: pairedMedian(floor, trivial, ratio),
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
        lines.push(name.padEnd(30) + cells.map((c, i) => (typeof c === "number" ? c.toFixed(0) : c).padStart([14, 14, 12, 8, 10, 8, 15, 14, 13][i])).join(""));
    const compared = (name: string, c: Compared) => row(name, [c.full, c.without, c.perPolicy, c.floor, c.trivial, x(c.ratio), x(c.ratioWithout), x(c.ratioPerPolicy), x(c.ratioFloor)]);
    const saved = (what: string, a: Compared, st: Compared) =>
        `${what}: decoding once per request saves ${a.saved.toFixed(0)} µs per resource in Analyze and ${st.saved.toFixed(0)} ms in AnalyzeStack`;
    const cost = (what: string, a: Compared, st: Compared) =>
        `${what}: the group costs ${a.group.toFixed(0)} µs per resource in Analyze (of the pack's ${a.pack.toFixed(0)} µs over the trivial pack) ` +
        `and ${st.group.toFixed(0)} ms in AnalyzeStack (${((st.group * 1000) / o.resources).toFixed(1)} µs per resource, of the pack's ${st.pack.toFixed(0)} ms)`;
    lines.push(`${o.resources} synthetic resources; medians of ${o.starts} alternating start-ups, ${o.analyzeRounds * (o.analyzePasses ?? 1)} Analyze rounds (a chunk of the stack each, ${o.analyzePasses ?? 1} time(s) over the stack, ` +
        `the ${VARIANTS.length} packs taking turns every ${TURN} resources) and ${o.stackRounds} AnalyzeStack rounds (the whole stack, the packs in turn), first pack rotating; ` +
        "ratios and differences are medians of the per-round ones");
    lines.push(...formatComposition(r.composition));
    lines.push(`e2e-tls-guard: ${r.policies} policies; "without group": the same pack with the ${r.group.policies.length} policies of ${r.group.modules.join(", ")} disabled; ` +
        `"per policy": the same rules as @pulumi/policy serves them alone, decoding each request once per policy (the pack before it decoded once per request); ` +
        `"floor": as many policies doing nothing but keep their arguments, decoding once per request (what @pulumi/policy's loop costs for them, before any rule runs)`);
    row("", ["e2e-tls-guard", "without group", "per policy", "floor", "trivial", "ratio", "ratio without", "ratio per p.", "ratio floor"]);
    row("start-up to port (ms)", [s.startMs.full, "-", "-", "-", s.startMs.trivial, x(s.startMs.ratio), "-", "-", "-"]);
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
