import * as pulumi from "@pulumi/pulumi";
import { APPLICATION_KEYS, NAMESPACE, StackConfig } from "./keys";
import { regionProblem } from "./regions";
import { ConfigError, Door } from "./validate/check";
import { validateConfig } from "./validate/index";
import type { WebTierArgs } from "../components/web-tier-args";

/**
 * Set to "1" only by the offline runner (offline/engine/run-program.ts), never by a deploy: the program
 * then reports placeholder values (findPlaceholders) instead of refusing them, so the committed
 * stack files can be previewed offline. A real `pulumi preview`/`up` does not set it and refuses.
 */
export const OFFLINE_PREVIEW_ENV = "E2E_TLS_OFFLINE_PREVIEW";

const CONFIG_KEY_OF = new Map<string, string>(Object.entries(APPLICATION_KEYS));
const INPUT_OF = new Map<string, string>(Object.entries(APPLICATION_KEYS).map(([input, k]) => [k, input]));

/**
 * Reads the `e2e-tls` namespace from the engine's config and validates it where it enters, so a
 * bad value is named as the stack's key (`e2e-tls:sslPolicy`), before any resource; returns it as
 * the component's inputs (the `app*` keys become `application`). Unknown keys, values of the wrong
 * type and bad values are refused; unset keys take their defaults.
 */
export function loadConfig(): WebTierArgs {
    const raw: Record<string, string> = {};
    for (const [k, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (k.startsWith(`${NAMESPACE}:`)) raw[k.slice(NAMESPACE.length + 1)] = value;
    }
    return toComponentArgs(resolveConfig(raw, "config"));
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
 * one validator checks both doors. Refuses the config keys given at the top level of the inputs
 * and application inputs the component does not have.
 */
export function toConfigKeys(args: object): Record<string, unknown> {
    const { application, ...rest } = args as Record<string, unknown>;
    for (const k of Object.keys(rest)) {
        const input = INPUT_OF.get(k);
        if (input !== undefined) {
            throw new ConfigError(`${k} is not an input of the component: give it as application.${input} (the config key ${NAMESPACE}:${k} is the same setting).`);
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
 * Validates a component's inputs (or, through `door` "config", a stack's flat config) against the
 * stack's `aws:region`, each value in its normal form: the one check every way into the tier goes
 * through, before any resource. Validating values it already returned gives them back unchanged.
 */
export function resolveConfig(args: object, door: Door = "input"): StackConfig {
    const region = pulumi.runtime.allConfig()["aws:region"];
    const problem = regionProblem(region);
    if (problem) throw new ConfigError(problem);
    if (door === "input") refuseOutputs(args);
    return validateConfig(door === "input" ? toConfigKeys(args) : args as Record<string, unknown>, {
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
