/**
 * Reading property values as the engine sends them: preview unknowns (the sentinels of
 * ../shared/wire.ts), the SDK's unknown-checking proxy, and the loose shapes the providers accept.
 */
import { UNKNOWN_SENTINELS } from "../shared/wire";

export { UNKNOWN, UNKNOWN_SENTINELS } from "../shared/wire";

const unknownSet = new Set<unknown>(UNKNOWN_SENTINELS);
// Every sentinel is a UUID of the same length: a string of another length is known without
// hashing it (a fresh string per request, user data of kilobytes included).
const SENTINEL_LENGTH = UNKNOWN_SENTINELS[0].length;
if (UNKNOWN_SENTINELS.some((s) => s.length !== SENTINEL_LENGTH)) {
    throw new Error("the unknown sentinels are not all of one length");
}

/**
 * True when `value` is a preview unknown. Pass values read through {@link raw}: reading an
 * unknown through the framework's proxy throws instead, and the framework turns that into an
 * advisory "can't run during preview", which would hide known bad siblings.
 */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && value.length === SENTINEL_LENGTH && unknownSet.has(value);
}

/** True when `value` is neither `undefined`/`null` nor a preview unknown. */
export function isKnown<T>(value: T | undefined | null): value is T {
    return value !== undefined && value !== null && !isUnknown(value);
}

const proxyTargetKey = "__getSpecialProxyTarget";

/**
 * The plain object behind the framework's unknown-checking proxy, so rules can test values with
 * {@link isUnknown} instead of catching exceptions. Plain objects are returned as they are. In a
 * remediation, secret values stay wrapped in the framework's `Secret`, so that a returned copy
 * keeps them secret.
 */
export function raw<T>(props: T): T {
    let current: any = props;
    // Remediation props are wrapped twice: unknown-checking outside, secret-preserving inside.
    while (current !== null && typeof current === "object") {
        const target = current[proxyTargetKey];
        if (target === undefined || target === current) {
            break;
        }
        current = target;
    }
    return current as T;
}

/** `value` as an array: `[]` for absent or unknown, `[value]` for a single object. */
export function asArray<T = any>(value: unknown): T[] {
    if (value === undefined || value === null || isUnknown(value)) {
        return [];
    }
    return Array.isArray(value) ? (value as T[]) : [value as T];
}

/** Upper-cased string value, or `undefined` when absent or unknown (protocols are case-insensitive in AWS). */
export function upper(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value.toUpperCase() : undefined;
}

/** A known string value, or `undefined` when absent, unknown or not a string. */
export function knownString(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** True for a known, non-empty string. */
export function isSetString(value: unknown): value is string {
    return typeof value === "string" && value !== "" && !isUnknown(value);
}

/**
 * A boolean as the provider reads it: `true`/`false`, or the strings `"true"`/`"false"` and
 * `"1"`/`"0"` that the Terraform bridge converts to the schema's boolean (go-cty's string-to-bool
 * conversion accepts exactly those four: github.com/zclconf/go-cty cty/convert/conversion_primitive.go)
 * and CloudFormation attribute values written as strings (`deletion_protection.enabled` "true").
 * Case and surrounding spaces are ignored, so a spelling the provider might refuse is read rather
 * than skipped. `undefined` when absent, a preview unknown, or not a boolean at all: a rule asks
 * `asBoolean(v) === true` (or `false`) and skips a preview unknown before it, so an unknown value
 * is never a finding. The pack's one boolean reading: every rule reads booleans through it.
 */
export function asBoolean(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    if (typeof value !== "string" || isUnknown(value)) {
        return undefined;
    }
    const text = value.trim().toLowerCase();
    return text === "true" || text === "1" ? true : text === "false" || text === "0" ? false : undefined;
}

/**
 * A number as the provider reads it: a finite number, or a decimal string (`"64"`, `" 1024 "`,
 * `"+5"`) that the bridge converts to the schema's number (go-cty parses it as a decimal float, same
 * file as above). `undefined` when absent, unknown or not numeric. The pack's one number reading.
 */
export function asNumber(value: unknown): number | undefined {
    if (typeof value === "number") {
        return Number.isFinite(value) ? value : undefined;
    }
    if (typeof value !== "string" || isUnknown(value) || !/^\s*[+-]?\d+(\.\d+)?\s*$/.test(value)) {
        return undefined;
    }
    return Number(value);
}

/** True when `value` reads as boolean `true` (see {@link asBoolean}). */
export function isTrue(value: unknown): boolean {
    return asBoolean(value) === true;
}

/** True when `value` reads as boolean `false` (see {@link asBoolean}). */
export function isFalse(value: unknown): boolean {
    return asBoolean(value) === false;
}
