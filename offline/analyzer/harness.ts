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
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { RecordedResource } from "../engine/recorded";

// The generated clients and messages the policy SDK itself uses; same module instances.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structpb = require("google-protobuf/google/protobuf/struct_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const emptypb = require("google-protobuf/google/protobuf/empty_pb");

/** The string the engine sends for a value that is unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Signature key and value of a serialized Pulumi secret. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The repository's policy pack folder. */
export const DEFAULT_PACK_DIR = path.resolve(__dirname, "..", "..", "policies");

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/**
 * Policy pack config as in a `--policy-pack-config` file: per policy name, a level or an object
 * with `enforcementLevel` and the policy's own properties; `all` sets the level of every policy.
 */
export type PolicyPackConfigInput = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/**
 * A resource to analyze: a {@link RecordedResource} from a program run, or a lighter fixture.
 * `props` stands for both inputs and outputs when those are not given.
 */
export interface ResourceInput {
    readonly type: string;
    readonly name: string;
    readonly urn?: string;
    readonly parent?: string;
    readonly props?: Record<string, any>;
    readonly inputs?: Record<string, any>;
    readonly outputs?: Record<string, any>;
    readonly dependencies?: string[];
    readonly propertyDependencies?: Record<string, string[]>;
    /** Top-level property names whose value is a secret. */
    readonly secretInputs?: string[];
    readonly provider?: { type: string; name: string; urn: string; props?: Record<string, any> };
}

/** One diagnostic (violation) the pack reported. */
export interface Diagnostic {
    readonly policyName: string;
    readonly policyPackName: string;
    readonly policyPackVersion: string;
    readonly description: string;
    readonly message: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly urn: string;
}

/** Result of `Analyze` / `AnalyzeStack`. */
export interface AnalyzeResult {
    readonly diagnostics: Diagnostic[];
    readonly notApplicable: { policyName: string; reason: string }[];
}

/** One remediation the pack applied. */
export interface Remediation {
    readonly policyName: string;
    readonly description: string;
    /** The full new property set, when the policy changed something. */
    readonly properties?: Record<string, any>;
    readonly diagnostic?: string;
}

/** A policy as `GetAnalyzerInfo` describes it. */
export interface PolicyInfo {
    readonly name: string;
    readonly displayName: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly policyType: "resource" | "stack" | "unknown";
    readonly configSchema?: { properties: Record<string, any>; required: string[] };
}

/** The pack's self-description. */
export interface AnalyzerInfo {
    readonly name: string;
    readonly version: string;
    readonly supportsConfig: boolean;
    readonly policies: PolicyInfo[];
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
    /** Milliseconds from spawn to the printed port. */
    readonly startupMs: number;
    analyze(resource: ResourceInput): Promise<AnalyzeResult>;
    analyzeStack(resources: readonly ResourceInput[]): Promise<AnalyzeResult>;
    remediate(resource: ResourceInput): Promise<{ remediations: Remediation[]; notApplicable: { policyName: string; reason: string }[] }>;
    /** Sends `Configure` as the CLI would for this config (schema defaults, `all`, levels). */
    configure(config: PolicyPackConfigInput): Promise<void>;
    getAnalyzerInfo(): Promise<AnalyzerInfo>;
    /** What the pack wrote to stderr so far. */
    stderr(): string;
    close(): Promise<void>;
}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

function levelFromProto(n: number): EnforcementLevel {
    return LEVELS[n] ?? "advisory";
}

function levelToProto(level: EnforcementLevel): number {
    const i = LEVELS.indexOf(level);
    if (i < 0) {
        throw new Error(`unknown enforcement level "${level}"; use one of ${LEVELS.join(", ")}`);
    }
    return i;
}

/** Default URN for a fixture: `urn:pulumi:test::e2e-tls::<type>::<name>`. */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::e2e-tls::${type}::${name}`;
}

/** Wraps the listed top-level properties in the secret signature, as the engine marshals secrets. */
function markSecrets(props: Record<string, any>, secretNames: readonly string[] | undefined): Record<string, any> {
    if (!secretNames || secretNames.length === 0) {
        return props;
    }
    const out: Record<string, any> = { ...props };
    for (const k of secretNames) {
        if (k in out && out[k] !== undefined) {
            out[k] = { [SECRET_SIG_KEY]: SECRET_SIG, value: out[k] };
        }
    }
    return out;
}

/** Drops `undefined` (Struct cannot carry it; the engine omits absent properties). */
function clean(value: any): any {
    if (Array.isArray(value)) {
        return value.map((v) => (v === undefined ? null : clean(v)));
    }
    if (value !== null && typeof value === "object") {
        const out: Record<string, any> = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined) {
                out[k] = clean(v);
            }
        }
        return out;
    }
    return value;
}

function toStruct(props: Record<string, any>): any {
    return structpb.Struct.fromJavaScript(clean(props));
}

function makeOptions(parent: string | undefined): any {
    const opts = new analyzerpb.AnalyzerResourceOptions();
    opts.setProtect(false);
    opts.setIgnorechangesList([]);
    opts.setAliasesList([]);
    opts.setAdditionalsecretoutputsList([]);
    if (parent) {
        opts.setParent(parent);
    }
    return opts;
}

function makeProvider(p: NonNullable<ResourceInput["provider"]>): any {
    const prov = new analyzerpb.AnalyzerProviderResource();
    prov.setType(p.type);
    prov.setName(p.name);
    prov.setUrn(p.urn);
    prov.setProperties(toStruct(p.props ?? {}));
    return prov;
}

/** The properties `Analyze` sees for a resource: its inputs, secrets marked. */
export function analyzeProperties(r: ResourceInput): Record<string, any> {
    return markSecrets(r.inputs ?? r.props ?? r.outputs ?? {}, r.secretInputs);
}

/** The properties `AnalyzeStack` sees for a resource: its state (outputs), secrets marked. */
export function stackProperties(r: ResourceInput): Record<string, any> {
    return markSecrets(r.outputs ?? r.props ?? r.inputs ?? {}, r.secretInputs);
}

/** Builds an `AnalyzeRequest` from a resource, as the engine does before a step. */
export function toAnalyzeRequest(r: ResourceInput): any {
    const req = new analyzerpb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn ?? urnOf(r.type, r.name));
    req.setProperties(toStruct(analyzeProperties(r)));
    req.setOptions(makeOptions(r.parent));
    if (r.provider) {
        req.setProvider(makeProvider(r.provider));
    }
    return req;
}

/** Builds an `AnalyzerResource` (one entry of `AnalyzeStack`) from a resource's state. */
export function toAnalyzerResource(r: ResourceInput): any {
    const res = new analyzerpb.AnalyzerResource();
    res.setType(r.type);
    res.setName(r.name);
    res.setUrn(r.urn ?? urnOf(r.type, r.name));
    res.setProperties(toStruct(stackProperties(r)));
    res.setOptions(makeOptions(r.parent));
    if (r.parent) {
        res.setParent(r.parent);
    }
    res.setDependenciesList(r.dependencies ?? []);
    const deps = res.getPropertydependenciesMap();
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
        const pd = new analyzerpb.AnalyzerPropertyDependencies();
        pd.setUrnsList(urns);
        deps.set(k, pd);
    }
    if (r.provider) {
        res.setProvider(makeProvider(r.provider));
    }
    return res;
}

/** Resources of a program run that the engine would analyze: custom resources, not the stack or components. */
export function analyzableResources(resources: readonly RecordedResource[]): RecordedResource[] {
    return resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
}

/**
 * The resources `AnalyzeStack` gets: the analyzable ones plus the root stack resource, whose
 * properties are the stack outputs (so stack policies can check what a stack exports).
 */
export function stackAnalysisResources(resources: readonly RecordedResource[]): RecordedResource[] {
    return resources.filter((r) => r.type === "pulumi:pulumi:Stack" || (r.custom && !r.type.startsWith("pulumi:providers:")));
}

function fromAnalyzeResponse(resp: any): AnalyzeResult {
    return {
        diagnostics: resp.getDiagnosticsList().map((d: any) => ({
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            policyPackVersion: d.getPolicypackversion(),
            description: d.getDescription(),
            message: d.getMessage(),
            enforcementLevel: levelFromProto(d.getEnforcementlevel()),
            urn: d.getUrn(),
        })),
        notApplicable: resp.getNotApplicableList().map((n: any) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
}

/**
 * The config the CLI would send for `input`: every policy gets an entry with its level (`input`,
 * then `all`, then the policy's default) and its schema defaults overlaid by `input`'s properties.
 */
export function reconcileConfig(info: AnalyzerInfo, input: PolicyPackConfigInput): Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }> {
    const names = new Set(info.policies.map((p) => p.name));
    for (const key of Object.keys(input)) {
        if (key !== "all" && !names.has(key)) {
            throw new Error(`policy pack config names "${key}", which is not a policy of ${info.name}`);
        }
    }
    const all = typeof input.all === "string" ? input.all : (input.all as any)?.enforcementLevel;
    const out: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }> = {};
    for (const p of info.policies) {
        const entry = input[p.name];
        const given = typeof entry === "string" ? { enforcementLevel: entry } : (entry ?? {});
        const { enforcementLevel, ...props } = given as { enforcementLevel?: EnforcementLevel } & Record<string, unknown>;
        const defaults: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (schema && typeof schema === "object" && "default" in schema) {
                defaults[k] = schema.default;
            }
        }
        for (const k of Object.keys(props)) {
            if (!p.configSchema || !(k in p.configSchema.properties)) {
                throw new Error(`policy "${p.name}" has no config property "${k}"`);
            }
        }
        out[p.name] = { enforcementLevel: enforcementLevel ?? all ?? p.enforcementLevel, properties: { ...defaults, ...props } };
    }
    return out;
}

function newestMtime(dir: string, exts: string[], skip: Set<string>): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (!skip.has(entry.name)) {
                newest = Math.max(newest, newestMtime(full, exts, skip));
            }
        } else if (exts.some((e) => entry.name.endsWith(e))) {
            newest = Math.max(newest, fs.statSync(full).mtimeMs);
        }
    }
    return newest;
}

function sleepSync(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Compiles a TypeScript pack whose package.json `main` is compiled output (e.g. `bin/index.js`)
 * when any `.ts` source or its tsconfig is newer than that output. A lock folder serialises
 * concurrent test runs in the same tree. Packs whose `main` is a `.ts` or hand-written `.js`
 * file are left alone.
 */
export function ensurePackBuilt(packDir: string = DEFAULT_PACK_DIR): void {
    const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
    const tsconfig = path.join(packDir, "tsconfig.json");
    const main = path.join(packDir, pkg.main ?? "index.js");
    if (!main.endsWith(".js") || !fs.existsSync(tsconfig)) {
        return;
    }
    const outDir = path.dirname(main);
    const isStale = () => {
        const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
        const sources = Math.max(newestMtime(packDir, [".ts"], new Set(["node_modules", "bin"])), fs.statSync(tsconfig).mtimeMs);
        return built < sources;
    };
    if (!isStale()) {
        return;
    }
    fs.mkdirSync(outDir, { recursive: true });
    const lock = path.join(outDir, ".build-lock");
    const deadline = Date.now() + 120_000;
    for (;;) {
        try {
            fs.mkdirSync(lock);
            break;
        } catch (e: any) {
            if (e.code !== "EEXIST") {
                throw e;
            }
            // A lock older than two minutes belongs to a build that died.
            if (Date.now() > deadline || Date.now() - fs.statSync(lock).mtimeMs > 120_000) {
                fs.rmSync(lock, { recursive: true, force: true });
                continue;
            }
            sleepSync(200);
        }
    }
    try {
        if (isStale()) {
            const tsc = require.resolve("typescript/bin/tsc");
            try {
                execFileSync(process.execPath, [tsc, "-p", tsconfig], { cwd: packDir, stdio: "pipe" });
            } catch (e: any) {
                // Exit status 2: type errors, but JavaScript was emitted. The type-check step of
                // `npm test` reports them; the protocol tests can still run on what was emitted.
                if (e.status !== 2 || !fs.existsSync(main)) {
                    throw new Error(`building the policy pack failed (tsc -p ${tsconfig}):\n${e.stdout ?? ""}${e.stderr ?? ""}`);
                }
                process.stderr.write(`warning: the policy pack has type errors (tsc -p ${tsconfig}):\n${e.stdout ?? ""}`);
            }
            // tsc leaves an unchanged file's mtime alone only with incremental builds; touch main so
            // the staleness check sees this build.
            const now = new Date();
            fs.utimesSync(main, now, now);
        }
    } finally {
        fs.rmSync(lock, { recursive: true, force: true });
    }
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

    const configure = async (config: PolicyPackConfigInput): Promise<void> => {
        const reconciled = reconcileConfig(await getAnalyzerInfo(), config);
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

    const handle: PackHandle = {
        port,
        startupMs,
        stderr: () => stderr,
        getAnalyzerInfo,
        configure,
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
