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
 * `deserializeProperties` to remember which `Struct` each properties object came from. The wrapper
 * changes nothing a policy receives.
 *
 * Fails closed: with another SDK whose module does not have that function, or for properties that
 * did not come through the SDK's server (a direct call in a test), {@link wirePropsOf} returns
 * undefined and the caller treats every value as not marked secret.
 */

/** The `google.protobuf.Struct` of a request, as google-protobuf's JavaScript API has it. */
interface Struct {
    toJavaScript(): Record<string, unknown>;
}

type Deserialize = (struct: Struct, proxySecrets: boolean) => unknown;

const structs = new WeakMap<object, Struct>();
const decoded = new WeakMap<Struct, Record<string, unknown>>();
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
            structs.set(props, struct);
        }
        return props;
    };
    wrapped[WRAPPED] = true;
    module.deserializeProperties = wrapped;
    return true;
}

/** True when the SDK's deserializer could be wrapped, so marked secrets can be seen. */
export const WIRE_PROPS_AVAILABLE = install();

/**
 * The properties as the engine sent them (secrets, assets and resource references as signature
 * objects, ../shared/wire.ts), for `props` as the SDK handed them to a policy (the object behind
 * its proxy, `raw(props)`); one decoding per request, shared by every policy that asks. Undefined
 * when `props` did not come from a request.
 */
export function wirePropsOf(props: object): Record<string, unknown> | undefined {
    const struct = structs.get(props);
    if (!struct) {
        return undefined;
    }
    let js = decoded.get(struct);
    if (!js) {
        js = struct.toJavaScript();
        decoded.set(struct, js);
    }
    return js;
}
