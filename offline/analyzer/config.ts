/**
 * Policy pack config as the Pulumi CLI handles it: the `--policy-pack-config` file format, the
 * pack's self-description from `GetAnalyzerInfo`, and the reconciliation of the two into what
 * `Configure` receives (levels, `all`, schema defaults), refusing what the CLI refuses.
 */
import { configErrors } from "../../policies/framework/schema";

/** Enforcement levels in the order of the analyzer protocol's enum. */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/**
 * Policy pack config as in a `--policy-pack-config` file: per policy name, a level or an object
 * with `enforcementLevel` and the policy's own properties; `all` sets the level of every policy.
 */
export type PolicyPackConfigInput = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** A policy as `GetAnalyzerInfo` describes it. */
export interface PolicyInfo {
    readonly name: string;
    readonly displayName: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly policyType: "resource" | "stack" | "unknown";
    readonly configSchema?: { properties: Record<string, any>; required: string[] };
}

/** The pack's self-description. */
export interface AnalyzerInfo {
    readonly name: string;
    readonly version: string;
    readonly supportsConfig: boolean;
    readonly policies: PolicyInfo[];
}

/** What `Configure` carries for one policy. */
export interface ReconciledPolicyConfig {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Record<string, unknown>;
}

export function levelFromProto(n: number): EnforcementLevel {
    return ENFORCEMENT_LEVELS[n] ?? "advisory";
}

export function levelToProto(level: EnforcementLevel): number {
    const i = ENFORCEMENT_LEVELS.indexOf(level);
    if (i < 0) {
        throw new Error(`unknown enforcement level "${level}"; use one of ${ENFORCEMENT_LEVELS.join(", ")}`);
    }
    return i;
}

/**
 * The config the CLI would send for `input`: every policy gets an entry with its level (`input`,
 * then `all`, then the policy's default) and its schema defaults overlaid by `input`'s properties.
 */
export function reconcileConfig(info: AnalyzerInfo, input: PolicyPackConfigInput): Record<string, ReconciledPolicyConfig> {
    const names = new Set(info.policies.map((p) => p.name));
    for (const key of Object.keys(input)) {
        if (key !== "all" && !names.has(key)) {
            throw new Error(`policy pack config names "${key}", which is not a policy of ${info.name}`);
        }
    }
    const all = typeof input.all === "string" ? input.all : (input.all as any)?.enforcementLevel;
    const out: Record<string, ReconciledPolicyConfig> = {};
    for (const p of info.policies) {
        const entry = input[p.name];
        const given = typeof entry === "string" ? { enforcementLevel: entry } : (entry ?? {});
        const { enforcementLevel, ...props } = given as { enforcementLevel?: EnforcementLevel } & Record<string, unknown>;
        const defaults: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (schema && typeof schema === "object" && "default" in schema) {
                defaults[k] = schema.default;
            }
        }
        for (const k of Object.keys(props)) {
            if (!p.configSchema || !(k in p.configSchema.properties)) {
                throw new Error(`policy "${p.name}" has no config property "${k}"`);
            }
        }
        out[p.name] = { enforcementLevel: enforcementLevel ?? all ?? p.enforcementLevel, properties: { ...defaults, ...props } };
    }
    // As the CLI's ReconcilePolicyPackConfig: the merged config of every policy is validated
    // against its schema, and any error refuses the run before the pack is configured.
    const errors = info.policies.flatMap((p) => p.configSchema
        ? configErrors(p.configSchema, out[p.name].properties).map((e) => `policy "${p.name}": ${e}`)
        : []);
    if (errors.length > 0) {
        throw new Error(`policy pack config of ${info.name} is invalid (the Pulumi CLI validates it against each policy's configSchema and refuses it): ${errors.join("; ")}`);
    }
    return out;
}
