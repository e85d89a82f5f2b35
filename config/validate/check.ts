import { NAMESPACE, StackConfig } from "../keys";

/** Thrown for a bad configuration value; the message names the key, the value and what is allowed. */
export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

/** What validation knows besides the project's own keys. */
export interface ValidationContext {
    /** The stack's `aws:region`, when known: private ECR images must be in it. */
    readonly region?: string;
    /** "refuse" (default, a real deploy) or "report" placeholder domain and zone values. */
    readonly placeholders?: "refuse" | "report";
}

/**
 * The validator of one area's keys: throws a ConfigError for the first bad value, and returns the
 * values it normalises (each normalised here once, so every later reader sees one form).
 */
export type AreaValidator = (c: StackConfig, context: ValidationContext) => Partial<StackConfig> | void;

/** A key as the user writes it: `e2e-tls:<key>`. */
export const key = (k: string) => `${NAMESPACE}:${k}`;
export const show = (v: unknown) => JSON.stringify(v);

export function oneOf<T extends string>(k: keyof StackConfig, value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value)) {
        throw new ConfigError(`${key(k)} is ${show(value)}. Use one of: ${allowed.join(", ")}.`);
    }
    return value as T;
}

export function intIn(k: keyof StackConfig, value: number, min: number, max: number): number {
    if (!Number.isInteger(value) || value < min || value > max) {
        throw new ConfigError(`${key(k)} is ${show(value)}. Use a whole number from ${min} to ${max}.`);
    }
    return value;
}

/**
 * A DNS name of lower-case labels. At most 253 characters in all, but a name that is also a
 * certificate's common name has at most 64: RFC 5280's upper bound ub-common-name (appendix A.1),
 * which ACM enforces on a requested certificate's DomainName ("cannot exceed 64 octets",
 * https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html).
 */
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
export const MAX_COMMON_NAME = 64;
