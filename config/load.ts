import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE, StackConfig } from "./keys";
import { regionProblem } from "./regions";
import { ConfigError } from "./validate/check";
import { validateConfig } from "./validate/index";

/**
 * Set to "1" only by the offline runner (offline/engine/run-program.ts), never by a deploy: the program
 * then reports placeholder values (findPlaceholders) instead of refusing them, so the committed
 * stack files can be previewed offline. A real `pulumi preview`/`up` does not set it and refuses.
 */
export const OFFLINE_PREVIEW_ENV = "E2E_TLS_OFFLINE_PREVIEW";

/** Reads the `e2e-tls` namespace from the engine's config and validates it. */
export function loadConfig(): StackConfig {
    const all = pulumi.runtime.allConfig();
    const region = regionProblem(all["aws:region"]);
    if (region) throw new ConfigError(region);
    const raw: Record<string, string> = {};
    for (const [k, value] of Object.entries(all)) {
        if (k.startsWith(`${NAMESPACE}:`)) raw[k.slice(NAMESPACE.length + 1)] = value;
    }
    return validateConfig(raw, {
        region: all["aws:region"],
        placeholders: process.env[OFFLINE_PREVIEW_ENV] === "1" ? "report" : "refuse",
    });
}
