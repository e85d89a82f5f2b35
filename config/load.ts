import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE, StackConfig } from "./keys";
import { regionProblem } from "./regions";
import { ConfigError, Door } from "./validate/check";
import { validateConfig } from "./validate/index";

/**
 * Set to "1" only by the offline runner (offline/engine/run-program.ts), never by a deploy: the program
 * then reports placeholder values (findPlaceholders) instead of refusing them, so the committed
 * stack files can be previewed offline. A real `pulumi preview`/`up` does not set it and refuses.
 */
export const OFFLINE_PREVIEW_ENV = "E2E_TLS_OFFLINE_PREVIEW";

/**
 * Reads the `e2e-tls` namespace from the engine's config and validates it where it enters, so a
 * bad value is named as the stack's key (`e2e-tls:sslPolicy`), before any resource. Unknown keys,
 * values of the wrong type and bad values are refused; unset keys take their defaults.
 */
export function loadConfig(): StackConfig {
    const raw: Record<string, string> = {};
    for (const [k, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (k.startsWith(`${NAMESPACE}:`)) raw[k.slice(NAMESPACE.length + 1)] = value;
    }
    return resolveConfig(raw, "config");
}

/**
 * Validates a component's inputs (or, through `door` "config", a stack's config) against the
 * stack's `aws:region`, each value in its normal form: the one check every way into the tier goes
 * through, before any resource. Validating values it already returned gives them back unchanged.
 */
export function resolveConfig(args: object, door: Door = "input"): StackConfig {
    const region = pulumi.runtime.allConfig()["aws:region"];
    const problem = regionProblem(region);
    if (problem) throw new ConfigError(problem);
    if (door === "input") refuseOutputs(args);
    return validateConfig(args as Record<string, unknown>, {
        region,
        placeholders: process.env[OFFLINE_PREVIEW_ENV] === "1" ? "report" : "refuse",
        door,
    });
}

/**
 * The inputs are plain data (the schema marks them plain): they decide which resources exist, so
 * they must be known before any is registered. An SDK that sends another resource's output anyway
 * (the engine then wraps it in an Output, @pulumi/pulumi provider/server.js deserializeInputs) is
 * refused here by name rather than validated as an empty object.
 */
function refuseOutputs(value: unknown, path = ""): void {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
        throw new ConfigError(`${path} is an Output of another resource. WebTier's inputs are plain values known before deployment: pass the value itself.`);
    }
    if (Array.isArray(value)) value.forEach((v, i) => refuseOutputs(v, `${path}[${i}]`));
    else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) refuseOutputs(v, path ? `${path}.${k}` : k);
    }
}
