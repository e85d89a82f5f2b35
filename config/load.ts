import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE, StackConfig } from "./keys";
import { regionProblem } from "./regions";
import { ConfigError, key } from "./validate/check";
import { coerceConfig } from "./validate/coerce";
import { validateConfig } from "./validate/index";
import type { ApplicationArgs } from "../components/compute/application";
import type { WebTierArgs } from "../components/web-tier-args";

/**
 * Set to "1" only by the offline runner (offline/engine/run-program.ts), never by a deploy: the program
 * then reports placeholder values (findPlaceholders) instead of refusing them, so the committed
 * stack files can be previewed offline. A real `pulumi preview`/`up` does not set it and refuses.
 */
export const OFFLINE_PREVIEW_ENV = "E2E_TLS_OFFLINE_PREVIEW";

/**
 * The config key of each application input: the stack config is flat (`e2e-tls:appImage`), the
 * component's input nested (`application.image`). The one place the two are converted.
 */
export const APPLICATION_KEYS = {
    image: "appImage",
    command: "appCommand",
    entryPoint: "appEntryPoint",
    port: "appPort",
    environment: "appEnvironment",
    secrets: "appSecrets",
    healthCheckPath: "appHealthCheckPath",
    healthCheckCodes: "appHealthCheckCodes",
    startCommand: "appStartCommand",
} as const satisfies Record<keyof ApplicationArgs, keyof StackConfig>;

const CONFIG_KEY_OF = new Map<string, string>(Object.entries(APPLICATION_KEYS));
const INPUT_OF = new Map<string, string>(Object.entries(APPLICATION_KEYS).map(([input, k]) => [k, input]));

/**
 * Reads the `e2e-tls` namespace from the engine's config, each value in its key's type (defaults
 * for unset keys), as the component's inputs: the `app*` keys become `application`. Unknown keys
 * and values of the wrong type are refused here; the values themselves are validated by
 * {@link resolveConfig} when the component is constructed.
 */
export function loadConfig(): WebTierArgs {
    const raw: Record<string, string> = {};
    for (const [k, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (k.startsWith(`${NAMESPACE}:`)) raw[k.slice(NAMESPACE.length + 1)] = value;
    }
    return toComponentArgs(coerceConfig(raw));
}

/** A flat configuration as the component's inputs: the `app*` keys nested under `application`. */
export function toComponentArgs(flat: StackConfig): WebTierArgs {
    const rest: Record<string, unknown> = {};
    const application: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(flat)) {
        const input = INPUT_OF.get(k);
        if (input !== undefined) {
            if (v !== undefined) application[input] = v;
        } else {
            rest[k] = v;
        }
    }
    return { ...rest, application } as WebTierArgs;
}

/**
 * The component's inputs as flat configuration keys (`application.image` as `appImage`), so that
 * one validator, naming the config keys, checks both. Refuses the config keys given at the top
 * level of the inputs and application inputs the component does not have.
 */
export function toConfigKeys(args: object): Record<string, unknown> {
    const { application, ...rest } = args as Record<string, unknown>;
    for (const k of Object.keys(rest)) {
        const input = INPUT_OF.get(k);
        if (input !== undefined) {
            throw new ConfigError(`${k} is not an input of the component: give it as application.${input} (the config key ${key(k)} is the same setting).`);
        }
    }
    if (application === undefined || application === null) return rest;
    if (typeof application !== "object" || Array.isArray(application)) {
        throw new ConfigError(`application is ${JSON.stringify(application)}. Give an object with the application's inputs (image, port, ...), or leave it unset for the demo application.`);
    }
    const flat: Record<string, unknown> = { ...rest };
    for (const [input, v] of Object.entries(application)) {
        const k = CONFIG_KEY_OF.get(input);
        if (k === undefined) {
            throw new ConfigError(`application.${input} is not an application input. Use: ${Object.keys(APPLICATION_KEYS).join(", ")}.`);
        }
        if (v !== undefined) flat[k] = v;
    }
    return flat;
}

/**
 * Validates a component's inputs (or a stack's config) against the stack's `aws:region`, each value
 * in its normal form: the one check every way into the tier goes through, before any resource.
 */
export function resolveConfig(args: object): StackConfig {
    const region = pulumi.runtime.allConfig()["aws:region"];
    const problem = regionProblem(region);
    if (problem) throw new ConfigError(problem);
    return validateConfig(toConfigKeys(args), {
        region,
        placeholders: process.env[OFFLINE_PREVIEW_ENV] === "1" ? "report" : "refuse",
    });
}
