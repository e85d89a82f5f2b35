import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ProgramRun } from "./recorded";
import { ACCOUNT_ID, AwsMocks } from "./mocks";
import { hasSecret, plain, RecordingMonitor } from "./recording-monitor";
import { resetMockPki } from "./mock-private-ca";
import { NAMESPACE, OFFLINE_PREVIEW_ENV } from "../../config/index";
import { findPlaceholders } from "../../config/placeholders";
import { PROJECT_DIR, projectDefaults, readStackFile } from "./stack-file";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const settings = require("@pulumi/pulumi/runtime/settings");

export { PROJECT_DIR };
/** The project name the runs give `pulumi.getProject()` (Pulumi.yaml `name`). */
export const PROJECT = "e2e-tls";

export interface RunOptions {
    /** Stack whose Pulumi.<stack>.yaml is loaded. */
    readonly stack: string;
    /** Folder holding Pulumi.<stack>.yaml. Defaults to the repository root (PROJECT_DIR). */
    readonly stackDir?: string;
    /** Overrides, keyed as `pulumi config set` keys them: `{ "e2e-tls:compute": "ecs" }`. */
    readonly config?: Record<string, string>;
    /** Run as a preview (dry run). Defaults to false. */
    readonly preview?: boolean;
    /**
     * "report" (the default): tell the program it runs offline (OFFLINE_PREVIEW_ENV), so placeholder
     * domain and zone values become warnings of the run. "refuse": run it as a real deploy would,
     * refusing them before any resource.
     */
    readonly placeholders?: "report" | "refuse";
    /**
     * The program to run instead of index.ts: a module path (tests that construct the component
     * their own way), or a function returning the stack's outputs, e.g. one that constructs WebTier
     * with inputs of its own; it should `require` the components inside it, so that it gets this
     * run's fresh modules. Defaults to index.ts.
     */
    readonly program?: string | (() => Record<string, unknown>);
}

function toConfigString(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * The stack's effective configuration, as the CLI would hand it to the program: Pulumi.yaml
 * defaults, then Pulumi.<stack>.yaml (read from `stackDir`, the repository root by default;
 * stack-file.ts refuses what the CLI refuses), then overrides.
 */
export function loadStackConfig(stack: string, overrides: Record<string, string> = {}, stackDir: string = PROJECT_DIR): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...projectDefaults(), ...readStackFile(stack, stackDir) })) out[k] = toConfigString(v);
    return { ...out, ...overrides };
}

/**
 * Overrides that give a stack's ECS tier private ECR images of the mock account in the stack's
 * region: what ECS without NAT must run (config validation refuses anything else there).
 */
export function privateImageOverrides(stack: string, region = loadStackConfig(stack)["aws:region"] ?? "us-east-1"): Record<string, string> {
    const registry = `${ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com`;
    return { "e2e-tls:terminatorImage": `${registry}/nginx:1.27-alpine`, "e2e-tls:appImage": `${registry}/python:3.12-alpine` };
}

/** What a real deploy would refuse and this offline run let through (the program accepted the rest). */
function placeholderWarnings(config: Record<string, string>): string[] {
    const value = (k: string) => config[`${NAMESPACE}:${k}`] || undefined;
    return findPlaceholders({ domainName: value("domainName"), hostedZoneId: value("hostedZoneId"), alertTarget: value("alertTarget") })
        .map(p => `${NAMESPACE}:${p.key} is ${JSON.stringify(p.value)}, ${p.why}. A real \`pulumi preview\` or \`pulumi up\` refuses it.`);
}

function clearProgramModules(): void {
    for (const file of Object.keys(require.cache)) {
        const rel = path.relative(PROJECT_DIR, file);
        if (rel === "index.ts" || rel.startsWith(`components${path.sep}`) || rel.startsWith(`config${path.sep}`)) delete require.cache[file];
    }
}

/**
 * Runs the real index.ts under mocks for one stack and records every registration. Rejects with the
 * program's own error (a bad config value, a failed look-up), carrying what had been registered
 * until then as `registered`.
 */
export async function runProgram(opts: RunOptions): Promise<ProgramRun> {
    const config = loadStackConfig(opts.stack, opts.config, opts.stackDir);
    const region = config["aws:region"] ?? "us-east-1";
    const monitor = new RecordingMonitor(new AwsMocks({ region }));
    resetMockPki();
    pulumi.runtime.setAllConfig(config, []);
    settings.setMockOptions(monitor, PROJECT, opts.stack, opts.preview ?? false);
    clearProgramModules();
    const indexPath = typeof opts.program === "string" ? opts.program : path.join(PROJECT_DIR, "index.ts");
    delete require.cache[indexPath];
    const offline = (opts.placeholders ?? "report") === "report";
    const previousSignal = process.env[OFFLINE_PREVIEW_ENV];
    if (offline) process.env[OFFLINE_PREVIEW_ENV] = "1";
    else delete process.env[OFFLINE_PREVIEW_ENV];
    // An error thrown while index.ts loads (a bad config value) is caught here rather than inside
    // the stack resource: rejected there, it would also surface later as an unhandled rejection
    // from the SDK's output promises and end the process.
    let loadError: unknown;
    // A failed look-up or a registration the mocks refuse rejects an output promise nobody awaits:
    // the run would wait for its RPCs forever (mocha swallows the rejection), so it ends the run.
    let rejected: (reason: unknown) => void = () => undefined;
    const unhandled = new Promise<never>((_, reject) => { rejected = reject; });
    const onUnhandled = (reason: unknown) => rejected(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
        await Promise.race([unhandled, (async () => {
            await pulumi.runtime.runInPulumiStack(async () => {
                try {
                    return typeof opts.program === "function" ? opts.program() : require(indexPath);
                } catch (err) {
                    loadError = err;
                    return {};
                }
            });
            await settings.waitForRPCs();
        })()]);
    } catch (err) {
        loadError ??= err;
    } finally {
        if (previousSignal === undefined) delete process.env[OFFLINE_PREVIEW_ENV];
        else process.env[OFFLINE_PREVIEW_ENV] = previousSignal;
        process.off("unhandledRejection", onUnhandled);
    }
    if (loadError !== undefined) {
        // Callers check what was registered before a failure (for a bad config: nothing).
        throw Object.assign(loadError instanceof Error ? loadError : new Error(String(loadError)), { registered: monitor.records });
    }
    const outputs = monitor.stackOutputs;
    return {
        stack: opts.stack,
        resources: monitor.records,
        outputs: plain(outputs),
        secretOutputs: Object.keys(outputs).filter(k => hasSecret(outputs[k])),
        warnings: offline ? placeholderWarnings(config) : [],
        invokes: monitor.invokes,
    };
}
