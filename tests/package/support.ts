/**
 * Shared by the package tests: the variants whose URNs and registrations are compared, the schema
 * the code generates (once per run), and the plugin started as the engine starts it.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { ConstructRun, runConstruct, stackInputs } from "../../offline/engine/run-construct";
import { loadStackConfig } from "../../offline/engine/run-program";
import { CommittedFile, generatedFiles } from "../../package/committed";
import { PLUGIN_DIR } from "../../package/provider";
import { PackageSchema } from "../../package/schema";
import { shared } from "../setup/shared-runs";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const provproto = require("@pulumi/pulumi/proto/provider_pb");

/** The project name the program's stacks run under (Pulumi.yaml `name`). */
export const PROJECT = "e2e-tls";

/** Today's stacks: the committed dev and prod stack files in both compute modes (ECS on dev with one NAT gateway, as the tests run it). */
export const URN_VARIANTS = [
    { label: "dev/asg", stack: "dev", config: { "e2e-tls:compute": "asg" } },
    { label: "dev/ecs", stack: "dev", config: { "e2e-tls:compute": "ecs", "e2e-tls:natGateways": "single" } },
    { label: "prod/asg", stack: "prod", config: { "e2e-tls:compute": "asg" } },
    { label: "prod/ecs", stack: "prod", config: { "e2e-tls:compute": "ecs" } },
] as const;

/**
 * WebTier's construct path given the values a stack file and overrides set, as a consumer would
 * pass them, once per stack and overrides per suite run (shared between test files and processes,
 * as tests/program's `run`; each call gets a fresh copy).
 */
export function construct(stack: string, config: Record<string, string> = {}): Promise<ConstructRun> {
    const sorted = Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return shared(JSON.stringify(["construct", stack, sorted]),
        () => runConstruct({ stack, inputs: stackInputs(stack, config), region: loadStackConfig(stack, config)["aws:region"] }));
}

/** The schema and committed files the code generates now (the inference takes seconds: once per suite run, a fresh copy per call). */
export function generatedSchema(): Promise<{ schema: PackageSchema; files: CommittedFile[] }> {
    return shared(JSON.stringify(["schema"]), () => generatedFiles());
}

export interface ServedPlugin {
    readonly port: number;
    /** Everything the plugin printed, stdout and stderr. */
    output(): string;
    getSchema(): Promise<string>;
    stop(): Promise<void>;
}

/**
 * Starts the plugin as the engine does: the Node.js language host's RunPlugin runs
 * `node <@pulumi/pulumi/cmd/run-plugin> <plugin folder> <engine address>` in the consumer's
 * working directory (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go, RunPlugin: the
 * program directory first, then the plugin's arguments, which for a resource provider are the
 * engine's address, sdk/go/common/resource/plugin/provider_plugin.go; cmd.Dir = req.Pwd), and the
 * engine reads the port from the plugin's first line of output.
 */
export async function startPlugin(cwd: string, timeoutMs = 120_000): Promise<ServedPlugin> {
    const runPlugin = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-plugin");
    // No engine answers here; GetSchema does not call it (Construct would).
    const child: ChildProcess = spawn(process.execPath, [runPlugin, PLUGIN_DIR, "127.0.0.1:1"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => { child.kill(); reject(new Error(`the plugin printed no port within ${timeoutMs} ms:\n${stdout}${stderr}`)); }, timeoutMs);
        child.stdout!.on("data", (d) => {
            stdout += d.toString();
            const m = /^(\d+)\r?\n/.exec(stdout);
            if (m) { clearTimeout(timer); resolve(Number(m[1])); }
        });
        child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`the plugin exited with ${code} before printing a port:\n${stdout}${stderr}`)); });
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));
    return {
        port,
        output: () => stdout + stderr,
        getSchema: () => new Promise<string>((resolve, reject) => {
            const req = new provproto.GetSchemaRequest();
            req.setVersion(0);
            client.getSchema(req, (err: Error | null, resp: any) => (err ? reject(err) : resolve(resp.getSchema())));
        }),
        stop: async () => {
            client.close();
            child.kill();
            await exited;
        },
    };
}
