/**
 * Runs a CrossGuard policy pack the way the Pulumi CLI does and speaks the analyzer protocol to it.
 *
 * The CLI starts a Node.js pack as `node <@pulumi/pulumi>/cmd/run-policy-pack <engine> <packDir>`
 * with the pack's folder as working directory. `run-policy-pack` drops the engine address, registers
 * ts-node with type checking, requires the folder (its package.json `main`), and the pack's
 * `new PolicyPack(...)` starts a gRPC server on 127.0.0.1 and prints the port on stdout. No engine
 * server is needed. This pack's `main` is compiled JavaScript (policies/bin/index.js): ts-node with
 * type checking would otherwise compile the pack on every start. {@link ensurePackBuilt} rebuilds
 * it when a source file is newer than the output.
 *
 * Requests are built like the CLI's: `Analyze` gets the resource's inputs (what the engine checks
 * before a step, in preview and update alike), `AnalyzeStack` gets each resource's state (outputs),
 * unknowns travel as the string sentinel, secrets as the secret signature object, and the pack is
 * configured with `Configure` after `GetAnalyzerInfo`, with schema defaults filled in as the CLI does.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { DEFAULT_PACK_DIR, ensurePackBuilt } from "./build";
import { AnalyzerInfo, levelFromProto, levelToProto, PolicyInfo, PolicyPackConfigInput, reconcileConfig, ReconciledPolicyConfig } from "./config";
import {
    AnalyzeResult, analyzerpb, Diagnostic, fromAnalyzeResponse, ResourceInput, toAnalyzeRequest, toAnalyzerResource, toStruct,
} from "./requests";

// The generated client the policy SDK itself uses; same module instances.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const emptypb = require("google-protobuf/google/protobuf/empty_pb");

// One import path for the whole client: the modules below, and the wire constants fixtures build requests with.
export { DEFAULT_PACK_DIR, ensurePackBuilt } from "./build";
export { reconcileConfig } from "./config";
export type { AnalyzerInfo, EnforcementLevel, PolicyInfo, PolicyPackConfigInput } from "./config";
export {
    analyzableResources, analyzeProperties, stackAnalysisResources, stackProperties, toAnalyzeRequest, toAnalyzerResource, urnOf,
} from "./requests";
export type { AnalyzeResult, Diagnostic, ResourceInput } from "./requests";
export { SECRET_SIG, SPECIAL_SIG_KEY as SECRET_SIG_KEY, UNKNOWN } from "../../policies/shared/wire";

/** One remediation the pack applied. */
export interface Remediation {
    readonly policyName: string;
    readonly description: string;
    /** The full new property set, when the policy changed something. */
    readonly properties?: Record<string, any>;
    readonly diagnostic?: string;
}

export interface StartPackOptions {
    /** Folder of the pack. Defaults to the repository's policies/. */
    readonly packDir?: string;
    /** Config sent with `Configure` right after start (schema defaults filled in). */
    readonly policyConfig?: PolicyPackConfigInput;
    /**
     * Send `Configure` at start, as the CLI does for packs that support config. `false` leaves the
     * pack unconfigured, where `getConfig()` returns `{}`. Defaults to `true`.
     */
    readonly configure?: boolean;
    /** Build the pack first when its compiled output is stale. Defaults to `true`. */
    readonly build?: boolean;
    /** Milliseconds to wait for the port. Defaults to 60 000. */
    readonly startTimeoutMs?: number;
}

/** A running pack. */
export interface PackHandle {
    readonly port: number;
    /** The pack's process id. */
    readonly pid: number;
    /** Milliseconds from spawn to the printed port. */
    readonly startupMs: number;
    analyze(resource: ResourceInput): Promise<AnalyzeResult>;
    analyzeStack(resources: readonly ResourceInput[]): Promise<AnalyzeResult>;
    remediate(resource: ResourceInput): Promise<{ remediations: Remediation[]; notApplicable: { policyName: string; reason: string }[] }>;
    /** Sends `Configure` as the CLI would for this config (schema defaults, `all`, levels). */
    configure(config: PolicyPackConfigInput): Promise<void>;
    /** Sends `Configure` with `reconciled` as given, unchecked: what a CLI that skipped validation would send. */
    configureReconciled(reconciled: Record<string, ReconciledPolicyConfig>): Promise<void>;
    /**
     * Sends `ConfigureStack` as the CLI does once it has started the pack for a stack (pulumi/pulumi
     * sdk/go/common/resource/plugin/analyzer_plugin.go `NewPolicyAnalyzer`): the stack, project and
     * organization it runs, and the stack's tags.
     */
    configureStack(stack: StackIdentity): Promise<void>;
    getAnalyzerInfo(): Promise<AnalyzerInfo>;
    /** What the pack wrote to stderr so far. */
    stderr(): string;
    close(): Promise<void>;
}

/** What `ConfigureStack` tells the pack about the stack it analyses. */
export interface StackIdentity {
    readonly stack: string;
    readonly project: string;
    readonly organization?: string;
    readonly tags?: Readonly<Record<string, string>>;
}

/** How long one analyzer call may take before it fails instead of hanging. */
const CALL_DEADLINE_MS = 120_000;

function unary<Req>(client: any, method: string, req: Req): Promise<any> {
    return new Promise((resolve, reject) => {
        client[method](req, new grpc.Metadata(), { deadline: Date.now() + CALL_DEADLINE_MS },
            (err: Error | null, resp: any) => (err ? reject(err) : resolve(resp)));
    });
}

function policyTypeOf(n: number): PolicyInfo["policyType"] {
    return n === 1 ? "resource" : n === 2 ? "stack" : "unknown";
}

/** Starts a pack as the CLI does and returns a protocol client for it. */
export async function startPack(options: StartPackOptions = {}): Promise<PackHandle> {
    const packDir = path.resolve(options.packDir ?? DEFAULT_PACK_DIR);
    if (options.build !== false) {
        ensurePackBuilt(packDir);
    }
    const runPolicyPack = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack");
    const started = Date.now();
    // The engine address is required by the command line but unused by run-policy-pack.
    const child: ChildProcess = spawn(process.execPath, [runPolicyPack, "127.0.0.1:0", "."], {
        cwd: packDir,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr!.on("data", (d) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill();
            reject(new Error(`policy pack in ${packDir} printed no port within ${options.startTimeoutMs ?? 60000} ms:\n${stderr}`));
        }, options.startTimeoutMs ?? 60_000);
        child.stdout!.on("data", (d) => {
            stdout += d.toString();
            // Wait for the whole line: a chunk may end in the middle of the port number.
            const m = /^(\d+)\r?\n/m.exec(stdout);
            if (m) {
                clearTimeout(timer);
                resolve(Number(m[1]));
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`policy pack in ${packDir} exited with ${code} before printing a port:\n${stdout}${stderr}`));
        });
    });
    const startupMs = Date.now() - started;
    const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
            resolve();
        } else {
            child.once("exit", () => resolve());
        }
    });

    let infoCache: AnalyzerInfo | undefined;
    const getAnalyzerInfo = async (): Promise<AnalyzerInfo> => {
        if (!infoCache) {
            const resp = await unary(client, "getAnalyzerInfo", new emptypb.Empty());
            infoCache = {
                name: resp.getName(),
                version: resp.getVersion(),
                supportsConfig: resp.getSupportsconfig(),
                policies: resp.getPoliciesList().map((p: any) => {
                    const schema = p.getConfigschema();
                    return {
                        name: p.getName(),
                        displayName: p.getDisplayname(),
                        description: p.getDescription(),
                        enforcementLevel: levelFromProto(p.getEnforcementlevel()),
                        policyType: policyTypeOf(p.getPolicyType()),
                        configSchema: schema
                            ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() }
                            : undefined,
                    };
                }),
            };
        }
        return infoCache;
    };

    const configureReconciled = async (reconciled: Record<string, ReconciledPolicyConfig>): Promise<void> => {
        const req = new analyzerpb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(reconciled)) {
            const pc = new analyzerpb.PolicyConfig();
            pc.setEnforcementlevel(levelToProto(c.enforcementLevel));
            pc.setProperties(toStruct(c.properties));
            map.set(name, pc);
        }
        await unary(client, "configure", req);
    };
    const configure = async (config: PolicyPackConfigInput): Promise<void> =>
        configureReconciled(reconcileConfig(await getAnalyzerInfo(), config));
    const configureStack = async (identity: StackIdentity): Promise<void> => {
        const req = new analyzerpb.AnalyzerStackConfigureRequest();
        req.setStack(identity.stack);
        req.setProject(identity.project);
        req.setOrganization(identity.organization ?? "");
        const tags = req.getTagsMap();
        for (const [k, v] of Object.entries(identity.tags ?? {})) {
            tags.set(k, v);
        }
        await unary(client, "configureStack", req);
    };

    const handle: PackHandle = {
        port,
        pid: child.pid!,
        startupMs,
        stderr: () => stderr,
        getAnalyzerInfo,
        configure,
        configureReconciled,
        configureStack,
        analyze: async (resource) => fromAnalyzeResponse(await unary(client, "analyze", toAnalyzeRequest(resource))),
        analyzeStack: async (resources) => {
            const req = new analyzerpb.AnalyzeStackRequest();
            req.setResourcesList(resources.map(toAnalyzerResource));
            return fromAnalyzeResponse(await unary(client, "analyzeStack", req));
        },
        remediate: async (resource) => {
            const resp = await unary(client, "remediate", toAnalyzeRequest(resource));
            return {
                remediations: resp.getRemediationsList().map((r: any) => ({
                    policyName: r.getPolicyname(),
                    description: r.getDescription(),
                    properties: r.getProperties()?.toJavaScript(),
                    diagnostic: r.getDiagnostic() || undefined,
                })),
                notApplicable: resp.getNotApplicableList().map((n: any) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
            };
        },
        close: async () => {
            client.close();
            if (child.exitCode === null) {
                child.kill();
            }
            await exited;
        },
    };

    try {
        if (options.configure !== false || options.policyConfig) {
            await configure(options.policyConfig ?? {});
        }
    } catch (e) {
        await handle.close();
        throw e;
    }
    return handle;
}

/** Diagnostics of one policy. */
export function byPolicy(result: AnalyzeResult, policyName: string): Diagnostic[] {
    return result.diagnostics.filter((d) => d.policyName === policyName);
}

/** Mandatory diagnostics only. */
export function mandatory(result: AnalyzeResult): Diagnostic[] {
    return result.diagnostics.filter((d) => d.enforcementLevel === "mandatory");
}
