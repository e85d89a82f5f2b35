import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE, StackConfig } from "./keys";
import { regionProblem } from "./regions";
import { ConfigError } from "./validate/check";
import { coerceConfig } from "./validate/coerce";
import { validateConfig } from "./validate/index";

/**
 * Set to "1" only by the offline runner (offline/engine/run-program.ts), never by a deploy: the program
 * then reports placeholder values (findPlaceholders) instead of refusing them, so the committed
 * stack files can be previewed offline. A real `pulumi preview`/`up` does not set it and refuses.
 */
export const OFFLINE_PREVIEW_ENV = "E2E_TLS_OFFLINE_PREVIEW";

/**
 * Reads the `e2e-tls` namespace from the engine's config, each value in its key's type (defaults
 * for unset keys). Unknown keys and values of the wrong type are refused here; the values
 * themselves are validated by {@link resolveConfig} when the component is constructed.
 */
export function loadConfig(): StackConfig {
    const raw: Record<string, string> = {};
    for (const [k, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (k.startsWith(`${NAMESPACE}:`)) raw[k.slice(NAMESPACE.length + 1)] = value;
    }
    return coerceConfig(raw);
}

/**
 * Validates a component's inputs (or a stack's config) against the stack's `aws:region`, each value
 * in its normal form: the one check every way into the tier goes through, before any resource.
 */
export function resolveConfig(args: object): StackConfig {
    const region = pulumi.runtime.allConfig()["aws:region"];
    const problem = regionProblem(region);
    if (problem) throw new ConfigError(problem);
    return validateConfig(args as Record<string, unknown>, {
        region,
        placeholders: process.env[OFFLINE_PREVIEW_ENV] === "1" ? "report" : "refuse",
    });
}
