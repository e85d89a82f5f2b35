/**
 * Policy config: each key declared once with its default and its JSON schema, applied in code and
 * published in the `configSchema` from the same object, so schema and behaviour cannot drift.
 */
import { PolicyConfigSchema } from "@pulumi/policy";

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
 */
export function configOf<T extends object>(args: ConfigSource, defaults: T): T {
    const sent = (args.getConfig<Partial<T>>() ?? {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
    for (const [key, value] of Object.entries(sent)) {
        if (value !== undefined && value !== null) {
            merged[key] = value;
        }
    }
    return merged as T;
}
