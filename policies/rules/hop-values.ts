/**
 * What the rules for hops beyond ELBv2 (classic ELB, CloudFront, API Gateway, Kubernetes) share:
 * a named security policy judged by the one allow-list of tls-policies.ts, and values read the way
 * the providers coerce them (Kubernetes annotations are always strings; CloudFormation shapes
 * write `Name`/`Value` where @pulumi/aws writes `name`/`value`).
 */
import { sslPolicyInfo } from "../shared/ssl-policies";
import { isUnknown } from "../framework";
import { allowedListText, rejectionReason, TlsPolicyConfig } from "./tls-policies";

/** Why the published security policy `name` fails the allow-list, or `undefined` when it passes. */
export function sslPolicyProblem(name: string, config: TlsPolicyConfig): string | undefined {
    if (config.additionalAllowedPolicies.includes(name)) {
        return undefined;
    }
    const info = sslPolicyInfo(name);
    return info ? rejectionReason(info, config) : "is not a published ELB security policy on the allow-list";
}

/** The fix naming the allowed security policies. */
export function sslPolicyFix(property: string, config: TlsPolicyConfig): string {
    return `set ${property} to ${allowedListText(config)}, or add it to additionalAllowedPolicies`;
}

/** A known string value, or `undefined` when absent, unknown or not a string. */
export function knownString(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** `{ name, value }` of an attribute written either way (`name`/`Name`, `value`/`Value`). */
export function attribute(entry: any): { name?: string; value?: string } {
    if (entry === null || typeof entry !== "object") {
        return {};
    }
    const value = entry.value ?? entry.Value;
    return { name: knownString(entry.name ?? entry.Name), value: typeof value === "boolean" ? String(value) : knownString(value) };
}

/** `true`/`false` as the providers coerce booleans written as strings (`"true"`, `"True"`); `undefined` otherwise. */
export function coercedBoolean(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    const text = knownString(value)?.trim().toLowerCase();
    return text === "true" ? true : text === "false" ? false : undefined;
}

/** A number as the providers coerce numeric strings (`"1024"`); `undefined` for anything else. */
export function coercedNumber(value: unknown): number | undefined {
    if (typeof value === "number") {
        return value;
    }
    const text = knownString(value)?.trim();
    return text !== undefined && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}
