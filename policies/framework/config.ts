/**
 * Policy config: each key declared once with its default and its JSON schema, applied in code and
 * published in the `configSchema` from the same object, so schema and behaviour cannot drift.
 */
import { PolicyConfigSchema } from "@pulumi/policy";
import { configErrors } from "./schema";

/** A JSON-schema property of a policy config, without its `default` (taken from the {@link Param}). */
export type ConfigProperty = Omit<PolicyConfigSchema["properties"][string], "default">;

/** One config key: its default and its schema. */
export interface Param<T> {
    readonly default: T;
    readonly schema: ConfigProperty;
}

/** The config keys of a rule. */
export type Params = { readonly [key: string]: Param<any> };

/** The config a check sees for `P`: every key with its value type. */
export type ConfigOf<P extends Params> = { -readonly [K in keyof P]: P[K] extends Param<infer T> ? T : never };

/** A key of any schema, e.g. `param<"1.2" | "1.3">("1.2", { type: "string", enum: ["1.2", "1.3"], description })`. */
export function param<T>(value: T, schema: ConfigProperty): Param<T> {
    return { default: value, schema };
}

/** A boolean key. */
export function flag(value: boolean, description: string): Param<boolean> {
    return param(value, { type: "boolean", description });
}

/** A list of strings (names, ARNs, CIDRs), empty by default unless given. */
export function strings(description: string, value: string[] = [], items: ConfigProperty = { type: "string" }): Param<string[]> {
    return param(value, { type: "array", items, description });
}

/** An integer key with optional bounds. */
export function integer(value: number, description: string, bounds: { minimum?: number; maximum?: number } = {}): Param<number> {
    return param(value, { type: "integer", ...bounds, description });
}

/** The defaults of `params`, as the check's config type. */
export function defaultsOf<P extends Params>(params: P): ConfigOf<P> {
    return Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.default])) as ConfigOf<P>;
}

/** The published schema of `params`, each property carrying its default. */
export function schemaOf(params: Params): PolicyConfigSchema {
    return { properties: Object.fromEntries(Object.entries(params).map(([k, p]) => [k, { ...p.schema, default: p.default }])) };
}

/** The minimal surface of validation args needed to read a policy's config. */
export interface ConfigSource {
    getConfig<T extends object>(): T;
}

/**
 * The policy's config with `defaults` applied in code. The framework's `getConfig()` returns `{}`
 * unless the engine sent config, so the schema's `default`s alone are not enough; values the
 * engine sent win, `undefined`/`null` fall back to the default.
 *
 * Fails closed: a sent value that `schema` refuses (the Pulumi CLI refuses it before starting the
 * pack, see schema.ts) throws, naming the policy, key, value and rule. @pulumi/policy turns a
 * throw into a gRPC error of Analyze/AnalyzeStack ("Error validating resource with policy …",
 * server.js), which fails the preview whatever the policy's level: a wrong-typed value never
 * silently turns a check off (`minimumTlsVersion: "1.3 "`) or on (`fipsOnly: "false"`).
 */
export function configOf<T extends object>(args: ConfigSource, defaults: T, policy?: { name: string; schema: PolicyConfigSchema }): T {
    const sent = (args.getConfig<Partial<T>>() ?? {}) as Record<string, unknown>;
    // @pulumi/policy builds a new object per call (makeGetConfigFun) holding the values the last
    // Configure stored, so the same values come back on every call until the next Configure:
    // while they do, the config checked and merged on the last call is the answer.
    const last = policy && checked.get(policy);
    if (last && last.defaults === defaults && sameValues(last.sent, sent)) {
        return last.config as T;
    }
    if (policy) {
        const given = Object.fromEntries(Object.entries(sent).filter(([, v]) => v !== undefined && v !== null));
        const errors = configErrors(policy.schema, given);
        if (errors.length > 0) {
            throw new Error(`policy "${policy.name}" has invalid config, which the Pulumi CLI would refuse: ${errors.join("; ")}`);
        }
    }
    const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
    for (const [key, value] of Object.entries(sent)) {
        if (value !== undefined && value !== null) {
            merged[key] = value;
        }
    }
    if (policy) {
        checked.set(policy, { sent, defaults, config: merged });
    }
    return merged as T;
}

/** Per policy (its schema record), the config {@link configOf} checked and merged last, and what it was made of. */
const checked = new WeakMap<object, { readonly sent: Record<string, unknown>; readonly defaults: object; readonly config: unknown }>();

/** The same keys holding the very same values (the same objects, for lists and maps). */
function sameValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}
