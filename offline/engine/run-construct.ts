/**
 * WebTier's construct path under the program's mocks: what the plugin package does when a program
 * in another language creates the component. The engine sends the provider a Construct request
 * whose inputs the SDK's provider server deserializes (@pulumi/pulumi provider/server.ts,
 * deserializeInputs) and hands to ComponentProvider.construct with the consumer's stack as parent;
 * this runner does the same in-process, with WebTierProvider, and records every registration.
 */
import * as pulumi from "@pulumi/pulumi";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { NAMESPACE, OFFLINE_PREVIEW_ENV } from "../../config/index";
import { coerceConfig } from "../../config/validate/coerce";
import { WebTierProvider } from "../../package/provider";
import { TOKENS } from "../../policies/shared/tokens";
import { WebTier } from "../../components/web-tier";
import { RecordedResource } from "./recorded";
import { AwsMocks } from "./mocks";
import { resetMockPki } from "./mock-private-ca";
import { RecordingMonitor } from "./recording-monitor";
import { loadStackConfig, PROJECT } from "./run-program";
import { readStackFile } from "./stack-file";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const settings = require("@pulumi/pulumi/runtime/settings");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const rpc = require("@pulumi/pulumi/runtime/rpc");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { deserializeInputs } = require("@pulumi/pulumi/provider/server");


export interface ConstructOptions {
    /** The consumer's stack name (URNs carry it). */
    readonly stack: string;
    /** WebTier's inputs, as the consumer's program gives them. */
    readonly inputs: Record<string, unknown>;
    /** The consumer stack's `aws:region`. Defaults to us-east-1. */
    readonly region?: string;
    /** As for runProgram: "report" (default) placeholder domains as the offline preview does, or "refuse". */
    readonly placeholders?: "report" | "refuse";
}

export interface ConstructRun {
    /** Every registration of the provider: WebTier and its children. */
    readonly resources: RecordedResource[];
    /** The component's outputs as the provider returns them to the engine, secrets unwrapped. */
    readonly state: Record<string, unknown>;
    /** Names of the outputs that are secrets. */
    readonly secretState: string[];
}

/**
 * The inputs a consumer gives for what a stack file sets: each `e2e-tls:` key of
 * Pulumi.<stack>.yaml and of the overrides, in its input's type (no defaults: the component applies them).
 */
export function stackInputs(stack: string, overrides: Record<string, string> = {}): Record<string, unknown> {
    const given = Object.keys({ ...readStackFile(stack), ...overrides }).filter(k => k.startsWith(`${NAMESPACE}:`)).map(k => k.slice(NAMESPACE.length + 1));
    const config = loadStackConfig(stack, overrides);
    const typed = coerceConfig(Object.fromEntries(given.map(k => [k, config[`${NAMESPACE}:${k}`]])));
    return Object.fromEntries(given.map(k => [k, (typed as unknown as Record<string, unknown>)[k]]));
}

let provider: WebTierProvider | undefined;

/** The consumer's root stack, the parent the engine names in the Construct request (as the mock monitor spells it). */
function stackUrn(stack: string): string {
    return `urn:pulumi:${stack}::${PROJECT}::${TOKENS.stack}::${PROJECT}-${stack}`;
}

/** Constructs WebTier "web" through the provider, as the engine would for a consumer, under mocks. */
export async function runConstruct(opts: ConstructOptions): Promise<ConstructRun> {
    const monitor = new RecordingMonitor(new AwsMocks({ region: opts.region ?? "us-east-1" }));
    resetMockPki();
    pulumi.runtime.setAllConfig({ "aws:region": opts.region ?? "us-east-1" }, []);
    settings.setMockOptions(monitor, PROJECT, opts.stack, false);
    // As the provider's server does per Construct request (configureRuntime): the monitor's features
    // decide, for one, whether aliases travel as specs for the engine to resolve.
    await settings.awaitFeatureSupport();
    provider ??= new WebTierProvider();
    const previousSignal = process.env[OFFLINE_PREVIEW_ENV];
    if ((opts.placeholders ?? "report") === "report") process.env[OFFLINE_PREVIEW_ENV] = "1";
    else delete process.env[OFFLINE_PREVIEW_ENV];
    let rejected: (reason: unknown) => void = () => undefined;
    const unhandled = new Promise<never>((_, reject) => { rejected = reject; });
    const onUnhandled = (reason: unknown) => rejected(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
        return await Promise.race([unhandled, (async () => {
            // The consumer's SDK serializes the inputs; the provider's server deserializes them.
            const wire = structproto.Struct.fromJavaScript(await rpc.serializeProperties("inputs", opts.inputs));
            const inputs = await deserializeInputs(wire, new Map());
            const result = await provider!.construct("web", WebTier.TOKEN, inputs, { parent: new pulumi.DependencyResource(stackUrn(opts.stack)) });
            const state: Record<string, unknown> = {};
            const secretState: string[] = [];
            for (const [k, v] of Object.entries(result.state)) {
                // The value and secrecy the provider's server serializes into the ConstructResponse.
                const out = pulumi.output(v) as unknown as { promise(): Promise<unknown>; isSecret: Promise<boolean> };
                state[k] = await out.promise();
                if (await out.isSecret) secretState.push(k);
            }
            await settings.waitForRPCs();
            return { resources: monitor.records, state, secretState };
        })()]);
    } catch (err) {
        throw Object.assign(err instanceof Error ? err : new Error(String(err)), { registered: monitor.records });
    } finally {
        if (previousSignal === undefined) delete process.env[OFFLINE_PREVIEW_ENV];
        else process.env[OFFLINE_PREVIEW_ENV] = previousSignal;
        process.off("unhandledRejection", onUnhandled);
    }
}
