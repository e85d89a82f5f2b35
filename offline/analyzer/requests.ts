/**
 * Analyzer protocol messages, built as the Pulumi CLI builds them: `Analyze` gets the resource's
 * inputs (what the engine checks before a step, in preview and update alike), `AnalyzeStack` gets
 * each resource's state (outputs); unknowns travel as the string sentinel and secrets as the
 * secret signature object (policies/shared/wire.ts).
 */
import { RecordedResource } from "../engine/recorded";
import { TOKENS } from "../../policies/shared/tokens";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../../policies/shared/wire";
import { EnforcementLevel, levelFromProto } from "./config";

// The generated clients and messages the policy SDK itself uses; same module instances.
// eslint-disable-next-line @typescript-eslint/no-var-requires
export const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structpb = require("google-protobuf/google/protobuf/struct_pb");

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
            out[k] = { [SPECIAL_SIG_KEY]: SECRET_SIG, value: out[k] };
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

export function toStruct(props: Record<string, any>): any {
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

/** The fields an `AnalyzeRequest` and an `AnalyzerResource` share, from `props`. */
function describe<M>(message: M & Record<string, (v: any) => void>, r: ResourceInput, props: Record<string, any>): M {
    message.setType(r.type);
    message.setName(r.name);
    message.setUrn(r.urn ?? urnOf(r.type, r.name));
    message.setProperties(toStruct(props));
    message.setOptions(makeOptions(r.parent));
    if (r.provider) {
        message.setProvider(makeProvider(r.provider));
    }
    return message;
}

/** Builds an `AnalyzeRequest` from a resource, as the engine does before a step. */
export function toAnalyzeRequest(r: ResourceInput): any {
    return describe(new analyzerpb.AnalyzeRequest(), r, analyzeProperties(r));
}

/** Builds an `AnalyzerResource` (one entry of `AnalyzeStack`) from a resource's state. */
export function toAnalyzerResource(r: ResourceInput): any {
    const res = describe(new analyzerpb.AnalyzerResource(), r, stackProperties(r));
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
    return resources.filter((r) => r.type === TOKENS.stack || (r.custom && !r.type.startsWith("pulumi:providers:")));
}

export function fromAnalyzeResponse(resp: any): AnalyzeResult {
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
