import { INPUT_PATHS, NAMESPACE, StackConfig } from "../keys";

/** Thrown for a bad configuration value; the message names the key, the value and what is allowed. */
export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

/**
 * Which door a value came in by, so that a message names it the way its author wrote it: a stack's
 * config key (`pulumi config set e2e-tls:sslPolicy ...`, named `e2e-tls:sslPolicy`) or an input of
 * the WebTier component (named `sslPolicy`, its property in the package schema: what YAML,
 * TypeScript and the schema's docs show; Python's SDK spells it `ssl_policy`, and the provider
 * cannot tell which language called it).
 */
export type Door = "config" | "input";

/** What validation knows besides the project's own keys. */
export interface ValidationContext {
    /** The door the values came in by: "config" (default) or "input". */
    readonly door?: Door;
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

// Validation is synchronous, so the door of the one validation running is all `key` needs: each
// area validator keeps naming keys through `key` alone, whichever door the values came in by.
let door: Door = "config";

/** Runs `validate` with every key named as `via` names it. */
export function through<T>(via: Door, validate: () => T): T {
    const previous = door;
    door = via;
    try {
        return validate();
    } finally {
        door = previous;
    }
}

/** The door of the validation running now. */
export const currentDoor = (): Door => door;

/** A key as its author wrote it: `e2e-tls:<key>` in a stack's config, its input's path (`<key>`) as a component input. */
export const key = (k: string) => door === "config" ? `${NAMESPACE}:${k}` : INPUT_PATHS[k as keyof StackConfig] ?? k;
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
