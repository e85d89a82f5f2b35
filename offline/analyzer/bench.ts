/**
 * Benchmark of the e2e-tls-guard pack over the analyzer protocol, next to a trivial pack (one
 * no-op resource policy and one no-op stack policy, generated in a temp dir in the same run, in
 * the same compiled-JavaScript form): start-up time, per-resource Analyze time, and AnalyzeStack
 * time for a synthetic stack of ~5,000 resources. Reports figures and ratios; asserts nothing.
 * The command line is offline/commands/bench-policies.ts (`npm run bench:policies`).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_PACK_DIR, ensurePackBuilt, PackHandle, ResourceInput, startPack, urnOf } from "./harness";
import { DEFAULT_SSL_POLICY } from "../../policies/shared/ssl-policies";
import { ELBV2, TOKENS } from "../../policies/shared/tokens";

/** How much to measure. */
export interface BenchOptions {
    /** Synthetic resources. */
    readonly resources: number;
    /** Alternating start-ups of each pack. */
    readonly starts: number;
    /** Alternating Analyze chunks. */
    readonly analyzeRounds: number;
    /** Alternating AnalyzeStack rounds. */
    readonly stackRounds: number;
}

export const BENCH_DEFAULTS: BenchOptions = { resources: 5000, starts: 5, analyzeRounds: 10, stackRounds: 5 };

/** One pack's figures (medians). */
export interface PackFigures {
    readonly startMs: number;
    readonly analyzePerResourceUs: number;
    readonly analyzeViolations: number;
    readonly stackMs: number;
    readonly stackViolations: number;
    readonly startsMs: number[];
}

export interface BenchResult {
    readonly options: BenchOptions;
    readonly policies: number;
    readonly ours: PackFigures;
    readonly trivial: PackFigures;
}

/** Writes the trivial pack next to the repository's node_modules and returns its folder. */
function writeTrivialPack(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trivial-pack-"));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\nname: trivial\ndescription: one no-op policy of each kind\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "trivial", version: "0.0.1", main: "index.js" }, null, 2));
    fs.writeFileSync(path.join(dir, "index.js"), [
        `const { PolicyPack } = require("@pulumi/policy");`,
        `new PolicyPack("trivial", { policies: [`,
        `  { name: "noop-resource", description: "does nothing", enforcementLevel: "mandatory", validateResource: () => {} },`,
        `  { name: "noop-stack", description: "does nothing", enforcementLevel: "mandatory", validateStack: () => {} },`,
        `] });`,
        "",
    ].join("\n"));
    // Resolve @pulumi/policy from the repository, as a pack inside it would.
    fs.symlinkSync(path.resolve(__dirname, "..", "..", "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

const arn = (svc: string, res: string) => `arn:aws:${svc}:us-east-1:123456789012:${res}`;

/**
 * `count` resources: web tiers of 16 linked resources (ALB, listeners, rule, target group,
 * security groups and rules, launch template, Auto Scaling group, trust store, ECS service) plus
 * unrelated resources (buckets, roles, keys, secrets) as a real account's stack would hold.
 */
export function syntheticStack(count: number): ResourceInput[] {
    const out: ResourceInput[] = [];
    const add = (type: string, name: string, props: Record<string, any>, deps: Record<string, string[]> = {}, dependsOn: string[] = []) => {
        const propertyDependencies = Object.fromEntries(Object.entries(deps).map(([k, urns]) => [k, urns]));
        out.push({ type, name, urn: urnOf(type, name), props, propertyDependencies, dependencies: [...new Set([...Object.values(deps).flat(), ...dependsOn])] });
        return urnOf(type, name);
    };
    for (let t = 0; out.length < count; t++) {
        const albSg = `sg-${t.toString(16).padStart(8, "0")}a`;
        const tierSg = `sg-${t.toString(16).padStart(8, "0")}b`;
        const lbArn = arn("elasticloadbalancing", `loadbalancer/app/web-${t}/${t}`);
        const tgArn = arn("elasticloadbalancing", `targetgroup/web-${t}/${t}`);
        const tsArn = arn("elasticloadbalancing", `truststore/clients-${t}/${t}`);
        const lisArn = arn("elasticloadbalancing", `listener/app/web-${t}/${t}/1`);
        const lt = `lt-${t.toString(16).padStart(12, "0")}`;
        const uAlbSg = add(TOKENS.securityGroup, `alb-sg-${t}`, { id: albSg, arn: arn("ec2", `security-group/${albSg}`), vpcId: "vpc-1", description: "alb" });
        const uTierSg = add(TOKENS.securityGroup, `tier-sg-${t}`, { id: tierSg, arn: arn("ec2", `security-group/${tierSg}`), vpcId: "vpc-1", description: "tier" });
        add(TOKENS.securityGroupIngressRule, `alb-in-${t}`, { securityGroupId: albSg, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [uAlbSg] });
        add(TOKENS.securityGroupIngressRule, `tier-in-${t}`, { securityGroupId: tierSg, ipProtocol: "tcp", fromPort: 8443, toPort: 8443, referencedSecurityGroupId: albSg }, { securityGroupId: [uTierSg], referencedSecurityGroupId: [uAlbSg] });
        const uLb = add(ELBV2.lb.loadBalancer, `web-${t}`, {
            arn: lbArn, id: lbArn, loadBalancerType: "application", securityGroups: [albSg], dropInvalidHeaderFields: true, desyncMitigationMode: "strictest",
            enableDeletionProtection: true, accessLogs: { bucket: `logs-${t}`, enabled: true }, subnets: ["subnet-a", "subnet-b"],
        }, { securityGroups: [uAlbSg] });
        const uTs = add(ELBV2.lb.trustStore, `clients-${t}`, { arn: tsArn, id: tsArn, caCertificatesBundleS3Bucket: `pki-${t}`, caCertificatesBundleS3Key: "ca.pem" });
        const uTg = add(ELBV2.lb.targetGroup, `web-tg-${t}`, {
            arn: tgArn, id: tgArn, port: 8443, protocol: "HTTPS", targetType: "instance", vpcId: "vpc-1",
            healthCheck: { enabled: true, protocol: "HTTPS", path: "/healthz", port: "traffic-port", matcher: "200" },
        });
        const uLis = add(ELBV2.lb.listener, `web-https-${t}`, {
            arn: lisArn, id: lisArn, loadBalancerArn: lbArn, port: 443, protocol: "HTTPS", sslPolicy: DEFAULT_SSL_POLICY,
            certificateArn: arn("acm", `certificate/${t}`), mutualAuthentication: { mode: "verify", trustStoreArn: tsArn },
            defaultActions: [{ type: "forward", targetGroupArn: tgArn }],
        }, { loadBalancerArn: [uLb], mutualAuthentication: [uTs], defaultActions: [uTg] });
        add(ELBV2.lb.listener, `web-http-${t}`, {
            loadBalancerArn: lbArn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        }, { loadBalancerArn: [uLb] });
        add(ELBV2.lb.listenerRule, `api-${t}`, {
            listenerArn: lisArn, priority: 10, actions: [{ type: "forward", targetGroupArn: tgArn }], conditions: [{ pathPattern: { values: ["/api/*"] } }],
        }, { listenerArn: [uLis], actions: [uTg] });
        const uLt = add(TOKENS.launchTemplate, `web-lt-${t}`, {
            id: lt, arn: arn("ec2", `launch-template/${lt}`), imageId: "ami-1", instanceType: "t4g.nano",
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            networkInterfaces: [{ associatePublicIpAddress: "false", securityGroups: [tierSg] }],
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 8 } }],
        }, { networkInterfaces: [uTierSg] });
        add(TOKENS.autoscalingGroup, `web-asg-${t}`, { name: `web-asg-${t}`, launchTemplate: { id: lt, version: "1" }, targetGroupArns: [tgArn], minSize: 1, maxSize: 2 }, { launchTemplate: [uLt], targetGroupArns: [uTg] });
        add(TOKENS.ecsService, `web-svc-${t}`, {
            name: `web-${t}`, launchType: "FARGATE", networkConfiguration: { subnets: ["subnet-a"], securityGroups: [tierSg], assignPublicIp: false },
            loadBalancers: [{ targetGroupArn: tgArn, containerName: "tls", containerPort: 8443 }],
        }, { networkConfiguration: [uTierSg], loadBalancers: [uTg] }, [uLis]); // CreateService needs the forwarding listener first.
        add(TOKENS.s3BucketV2, `logs-${t}`, { bucket: `logs-${t}`, arn: `arn:aws:s3:::logs-${t}` });
        add(TOKENS.iamRole, `role-${t}`, { name: `role-${t}`, assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) });
        add(TOKENS.kmsKey, `key-${t}`, { arn: arn("kms", `key/${t}`), enableKeyRotation: true, description: "secrets" });
    }
    return out.slice(0, count);
}

function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

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

/** Measures both packs, alternating them so that load from other processes lands on both alike. */
export async function runBenchmark(o: BenchOptions = BENCH_DEFAULTS): Promise<BenchResult> {
    ensurePackBuilt(DEFAULT_PACK_DIR);
    const trivialDir = writeTrivialPack();
    const resources = syntheticStack(o.resources);
    try {
        const starts = { ours: [] as number[], trivial: [] as number[] };
        for (let i = 0; i < o.starts; i++) {
            starts.ours.push(await measureStartupOnce(DEFAULT_PACK_DIR));
            starts.trivial.push(await measureStartupOnce(trivialDir));
        }
        // Both packs run side by side and take turns chunk by chunk; medians of the rounds are reported.
        const ourPack = await startPack({ packDir: DEFAULT_PACK_DIR, build: false });
        const trivialPack = await startPack({ packDir: trivialDir, build: false });
        const perResource = { ours: [] as number[], trivial: [] as number[] };
        const stackMs = { ours: [] as number[], trivial: [] as number[] };
        let analyzeViolations = 0;
        let stackViolations = 0;
        let policies = 0;
        try {
            policies = (await ourPack.getAnalyzerInfo()).policies.length;
            for (const pack of [ourPack, trivialPack]) {
                await analyzeAll(pack, resources.slice(0, 300));
                await pack.analyzeStack(resources.slice(0, 500));
            }
            const chunk = Math.ceil(resources.length / o.analyzeRounds);
            for (let i = 0; i < resources.length; i += chunk) {
                const slice = resources.slice(i, i + chunk);
                const a = await analyzeAll(ourPack, slice);
                analyzeViolations += a.violations;
                perResource.ours.push(a.us);
                perResource.trivial.push((await analyzeAll(trivialPack, slice)).us);
            }
            for (let i = 0; i < o.stackRounds; i++) {
                const a = await analyzeStackOnce(ourPack, resources);
                stackViolations = a.violations;
                stackMs.ours.push(a.ms);
                stackMs.trivial.push((await analyzeStackOnce(trivialPack, resources)).ms);
            }
        } finally {
            await ourPack.close();
            await trivialPack.close();
        }
        const figures = (k: "ours" | "trivial", av: number, sv: number): PackFigures => ({
            startMs: median(starts[k]), analyzePerResourceUs: median(perResource[k]), analyzeViolations: av,
            stackMs: median(stackMs[k]), stackViolations: sv, startsMs: starts[k],
        });
        return { options: o, policies, ours: figures("ours", analyzeViolations, stackViolations), trivial: figures("trivial", 0, 0) };
    } finally {
        fs.rmSync(trivialDir, { recursive: true, force: true });
    }
}

/** The figures as a table with ratios. */
export function formatBench(r: BenchResult): string {
    const { ours, trivial, options: o } = r;
    const lines: string[] = [];
    const row = (name: string, a: string, b: string, ratio: number) =>
        lines.push(`${name.padEnd(34)} ${a.padStart(14)} ${b.padStart(14)} ${ratio.toFixed(2).padStart(8)}x`);
    lines.push(`${o.resources} synthetic resources; medians of ${o.starts} alternating start-ups, ${o.analyzeRounds} alternating Analyze chunks, ${o.stackRounds} alternating AnalyzeStack rounds; e2e-tls-guard has ${r.policies} policies`);
    lines.push(`${"".padEnd(34)} ${"e2e-tls-guard".padStart(14)} ${"trivial".padStart(14)} ${"ratio".padStart(9)}`);
    row("start-up to port (ms)", ours.startMs.toFixed(0), trivial.startMs.toFixed(0), ours.startMs / trivial.startMs);
    row("Analyze per resource (µs)", ours.analyzePerResourceUs.toFixed(0), trivial.analyzePerResourceUs.toFixed(0), ours.analyzePerResourceUs / trivial.analyzePerResourceUs);
    row(`AnalyzeStack of ${o.resources} (ms)`, ours.stackMs.toFixed(0), trivial.stackMs.toFixed(0), ours.stackMs / trivial.stackMs);
    lines.push(`targets: per resource ≤ 1.5x, stack ≤ 2x, start-up ≤ 2x; violations found: Analyze ${ours.analyzeViolations}, AnalyzeStack ${ours.stackViolations}`);
    lines.push(`start-ups (ms): e2e-tls-guard ${ours.startsMs.join(", ")}; trivial ${trivial.startsMs.join(", ")}`);
    return lines.join("\n") + "\n";
}

/** One start-up of the pack in `dir`, in milliseconds from spawn to printed port. */
async function measureStartupOnce(dir: string): Promise<number> {
    const pack = await startPack({ packDir: dir, build: false, configure: false });
    await pack.close();
    return pack.startupMs;
}
