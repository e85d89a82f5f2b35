/**
 * Reading property values as the engine sends them: preview unknowns (the sentinels of
 * ../shared/wire.ts), the SDK's unknown-checking proxy, and the loose shapes the providers accept.
 */
import { UNKNOWN_SENTINELS } from "../shared/wire";

export { UNKNOWN, UNKNOWN_SENTINELS } from "../shared/wire";

const unknownSet = new Set<unknown>(UNKNOWN_SENTINELS);

/**
 * True when `value` is a preview unknown. Pass values read through {@link raw}: reading an
 * unknown through the framework's proxy throws instead, and the framework turns that into an
 * advisory "can't run during preview", which would hide known bad siblings.
 */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && unknownSet.has(value);
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

/** True for a known, non-empty string. */
export function isSetString(value: unknown): value is string {
    return typeof value === "string" && value !== "" && !isUnknown(value);
}
