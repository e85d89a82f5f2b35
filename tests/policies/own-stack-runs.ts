/**
 * Helpers for running the pack over the program's own runs under mocks: the first-preview view,
 * every diagnostic of a run, and one-resource mutations.
 */
import * as assert from "assert";
import { analyzableResources, stackAnalysisResources, AnalyzeResult, Diagnostic, PackHandle } from "../../offline/analyzer/harness";
import { RecordedResource } from "../../offline/engine/recorded";
import { privateImageOverrides } from "../../offline/engine/run-program";
import { programRun } from "../program/support";
import { UNKNOWN } from "./fixtures";

/** One way of running the program's own stacks, labelled as the tests name it. */
export interface OwnVariant {
    readonly label: string;
    readonly stack: "dev" | "prod";
    /** Config overrides, as `pulumi config set` keys them. */
    readonly config: Record<string, string>;
    /** Seen as a first `pulumi preview` sees it (computed values unknown). */
    readonly preview?: boolean;
}

/**
 * The committed stacks in both compute modes. ECS on dev (no NAT) gets one NAT gateway: its default
 * images come from ECR Public through the pull-through cache, whose first pull needs NAT.
 */
export const OWN_VARIANTS: readonly OwnVariant[] = [
    { label: "dev/asg", stack: "dev", config: { "e2e-tls:compute": "asg" } },
    { label: "dev/ecs", stack: "dev", config: { "e2e-tls:compute": "ecs", "e2e-tls:natGateways": "single" } },
    { label: "prod/asg", stack: "prod", config: { "e2e-tls:compute": "asg" } },
    { label: "prod/ecs", stack: "prod", config: { "e2e-tls:compute": "ecs" } },
    { label: "dev/asg (preview)", stack: "dev", config: { "e2e-tls:compute": "asg" }, preview: true },
    { label: "prod/ecs (preview)", stack: "prod", config: { "e2e-tls:compute": "ecs" }, preview: true },
];

/** Variants a user would pick: NAT off or on, another Region (one opened after August 2022), a smaller VPC. */
export const USER_VARIANTS: readonly OwnVariant[] = [
    { label: "dev/ecs without NAT, on private ECR images", stack: "dev", config: { "e2e-tls:compute": "ecs", ...privateImageOverrides("dev") } },
    { label: "dev/asg with one NAT gateway", stack: "dev", config: { "e2e-tls:compute": "asg", "e2e-tls:natGateways": "single" } },
    { label: "prod/ecs with one NAT gateway", stack: "prod", config: { "e2e-tls:compute": "ecs", "e2e-tls:natGateways": "single" } },
    { label: "dev/asg in ap-southeast-5", stack: "dev", config: { "aws:region": "ap-southeast-5", "e2e-tls:compute": "asg" } },
    { label: "prod/ecs in ap-southeast-5", stack: "prod", config: { "aws:region": "ap-southeast-5", "e2e-tls:compute": "ecs" } },
    { label: "dev/asg with a /23 VPC", stack: "dev", config: { "e2e-tls:compute": "asg", "e2e-tls:vpcCidr": "10.20.0.0/23" } },
];

/** The variant's registrations under mocks, as a preview would see them where it is one. */
export async function runVariant(v: OwnVariant): Promise<RecordedResource[]> {
    const run = await programRun({ stack: v.stack, config: v.config, preview: v.preview });
    return v.preview ? asFirstPreview(run.resources) : run.resources;
}

/**
 * The run as a first `pulumi preview` sees it: every value a provider computes (ids, ARNs, names)
 * is unknown, in the resource's own state and wherever another resource quotes it. The mocks
 * answer previews with values, so this is done here. Links survive only as propertyDependencies.
 */
export function asFirstPreview(resources: RecordedResource[]): RecordedResource[] {
    const computed = new Set<string>();
    for (const r of resources) {
        for (const [k, v] of Object.entries(r.outputs)) {
            if (typeof v === "string" && !(k in r.inputs) && v.length > 3) {
                computed.add(v);
                // EC2 ARNs end in the id other resources quote (sg-…, lt-…).
                const id = v.startsWith("arn:") ? v.split("/").pop()! : "";
                if (/^[a-z]+-[0-9a-f]{8,}$/.test(id)) {
                    computed.add(id);
                }
            }
        }
    }
    const blank = (v: any): any =>
        typeof v === "string" ? (computed.has(v) ? UNKNOWN : v)
            : Array.isArray(v) ? v.map(blank)
            : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blank(x)]))
            : v;
    return resources.map((r) => ({ ...r, inputs: blank(r.inputs), outputs: blank(r.outputs) }));
}

/** Every diagnostic of a run: Analyze per resource (inputs) plus AnalyzeStack (state). */
export async function analyzeRun(pack: PackHandle, resources: RecordedResource[]): Promise<AnalyzeResult> {
    const custom = analyzableResources(resources);
    const diagnostics: Diagnostic[] = [];
    for (const r of custom) {
        diagnostics.push(...(await pack.analyze(r)).diagnostics);
    }
    diagnostics.push(...(await pack.analyzeStack(stackAnalysisResources(resources))).diagnostics);
    return { diagnostics, notApplicable: [] };
}

export function mandatory(result: AnalyzeResult): string[] {
    return result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => `${d.policyName}: ${d.message}`);
}

/** A copy of the run with one resource's inputs and state changed alike. */
export function mutate(resources: RecordedResource[], pick: (r: RecordedResource) => boolean, change: (props: Record<string, any>) => Record<string, any>): RecordedResource[] {
    let hits = 0;
    const out = resources.map((r) => {
        if (!pick(r)) {
            return r;
        }
        hits++;
        return { ...r, inputs: change(structuredClone(r.inputs)), outputs: change(structuredClone(r.outputs)) };
    });
    assert.strictEqual(hits, 1, "the mutation should hit exactly one resource");
    return out;
}

