/**
 * A resource's properties as the engine sent them, secrets still marked.
 *
 * The engine marshals `Analyze` and `AnalyzeStack` properties with `KeepSecrets: true`, so a secret
 * reaches the pack as `{ [SPECIAL_SIG_KEY]: SECRET_SIG, value }` (pulumi/pulumi
 * pkg/resource/plugin/analyzer_plugin.go, `Analyze` and `AnalyzeStack`; the marshalling in
 * sdk/go/common/resource/plugin/rpc.go, `MarshalPropertyValue`). @pulumi/policy 1.21 then unwraps
 * every secret before a policy runs: `makeAnalyzeRpcFun` and `makeAnalyzeStackRpcFun` (server.js)
 * call `deserializeProperties(req.getProperties(), false)` (deserialize.js), which returns a secret's
 * bare value, and the SDK has no API that tells a secret from a plain value (pulumi/pulumi-policy#241,
 * open). A rule that must know (a key is allowed in a secret-holding field only when it is marked
 * secret) reads the request's own `Struct` instead: the framework wraps the SDK's
 * `deserializeProperties` to remember which `Struct` each properties object it returned came from
 * (weakly), and reads the few values it is asked about from there. The wrapper changes nothing a
 * policy receives. A map rather than "the last one": the server awaits each policy
 * (`yield Promise.resolve(validation(...))`, `makeAnalyzeRpcFun`), so another request may be
 * decoded between two policies of one request, and the pack's entry point hands every policy of a
 * request the same decoded object (./decode-once.ts), so there is one entry per request.
 *
 * Fails closed: with an SDK whose module does not have that function, or for properties that did
 * not come through the SDK's server (a direct call in a test), {@link wireOf} returns undefined
 * and the caller treats every value as not marked secret.
 */
import { ASSET_SIG, ARCHIVE_SIG, SECRET_SIG, SPECIAL_SIG_KEY } from "../shared/wire";

/** A `google.protobuf.Value`, as google-protobuf's JavaScript API has it. */
interface PbValue {
    hasStructValue(): boolean;
    getStructValue(): PbStruct | undefined;
    hasListValue(): boolean;
    getListValue(): { getValuesList(): PbValue[] } | undefined;
    getStringValue(): string;
    toJavaScript(): unknown;
}

/** A `google.protobuf.Struct`. */
interface PbStruct {
    getFieldsMap(): { get(key: string): PbValue | undefined };
}

type Deserialize = (struct: PbStruct, proxySecrets: boolean) => unknown;

/** The request each properties object the SDK deserialized came from. */
const requests = new WeakMap<object, PbStruct>();
const WRAPPED = Symbol.for("e2e-tls-guard.wire-props");

function install(): boolean {
    let module: { deserializeProperties?: Deserialize & { [WRAPPED]?: true } };
    try {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        module = require("@pulumi/policy/deserialize");
    } catch {
        return false;
    }
    const original = module.deserializeProperties;
    if (typeof original !== "function") {
        return false;
    }
    if (original[WRAPPED]) {
        return true;
    }
    const wrapped: Deserialize & { [WRAPPED]?: true } = (struct, proxySecrets) => {
        const props = original(struct, proxySecrets);
        if (props !== null && typeof props === "object" && struct !== null && typeof struct === "object") {
            requests.set(props, struct);
        }
        return props;
    };
    wrapped[WRAPPED] = true;
    module.deserializeProperties = wrapped;
    return true;
}

/** True when the SDK's deserializer could be wrapped, so marked secrets can be seen. */
export const WIRE_PROPS_AVAILABLE = install();

/** A value of the request, as the engine sent it. */
export interface WireValue {
    /** True when the value, or a value it sits in, is marked secret. */
    readonly secret: boolean;
    /** The value without its secret marking; a string asset's text, an archive's assets. */
    readonly value: unknown;
}

/** Reads the request a policy's properties came from. */
export interface WireReader {
    /** The request's properties, the same object for every policy of one `Analyze`: a cache key. */
    readonly request: object;
    /** The value at `path` (property names and list indexes), or undefined when there is none. */
    at(path: readonly (string | number)[]): WireValue | undefined;
}

function signature(struct: PbStruct): string | undefined {
    return struct.getFieldsMap().get(SPECIAL_SIG_KEY)?.getStringValue();
}

/** `value` with secret markings removed (noting them) and an asset or archive opened to what it holds. */
function open(value: PbValue, marked: { secret: boolean }): PbValue | undefined {
    let v: PbValue | undefined = value;
    while (v?.hasStructValue()) {
        const struct: PbStruct = v.getStructValue()!;
        const sig = signature(struct);
        if (sig === SECRET_SIG) {
            marked.secret = true;
            v = struct.getFieldsMap().get("value");
        } else if (sig === ASSET_SIG || sig === ARCHIVE_SIG) {
            return struct.getFieldsMap().get(sig === ASSET_SIG ? "text" : "assets");
        } else {
            break;
        }
    }
    return v;
}

function at(struct: PbStruct, path: readonly (string | number)[]): WireValue | undefined {
    const marked = { secret: false };
    let value: PbValue | undefined;
    let current: PbStruct | undefined = struct;
    for (const step of path) {
        if (typeof step === "string") {
            value = current?.getFieldsMap().get(step);
        } else {
            value = value?.hasListValue() ? value.getListValue()!.getValuesList()[step] : undefined;
        }
        value = value && open(value, marked);
        if (!value) {
            return undefined;
        }
        current = value.hasStructValue() ? value.getStructValue() : undefined;
    }
    return value ? { secret: marked.secret, value: value.toJavaScript() } : undefined;
}

/**
 * The request behind `props`, as the SDK handed them to a resource policy (the object behind its
 * proxy, `raw(props)`); undefined when `props` did not come through the SDK's deserializer.
 */
export function wireOf(props: object): WireReader | undefined {
    const struct = requests.get(props);
    return struct ? { request: struct, at: (path) => at(struct, path) } : undefined;
}
