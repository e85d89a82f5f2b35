/**
 * One decode per request. @pulumi/policy's analyzer server (server.js of the pinned 1.21.0) turns a
 * resource's properties from the request's protobuf `Struct` into plain JavaScript
 * (deserialize.js `deserializeProperties`) once for every enabled policy it runs: in `Analyze`, the
 * resource once per resource policy; in `AnalyzeStack`, the whole stack once per stack policy. With
 * 40-odd resource policies and a dozen stack policies that decoding, and the garbage it leaves, was
 * most of what the pack cost over a pack of one policy (docs/benchmarks.md).
 *
 * The pack's entry point (../index.ts) wraps that function, in its own process only, with a memo
 * kept on the `Struct` object of the request: protobuf messages keep the wrapper of a message
 * field once built (google-protobuf `getWrapperField`), so every policy of one request reads the
 * same `Struct`, and a new request brings new ones (what is kept on a request goes with it). The
 * first policy decodes; the others get the same plain object.
 *
 * The same goes for the unknown-checking proxy the server puts around those properties
 * (proxy.js `unknownCheckingProxy`, called as `proxy_1.unknownCheckingProxy(…)` for every policy
 * and resource): its trap keeps no state but the path below the object it wraps, empty at the
 * top, so one proxy per shared decoded object answers every policy exactly as a proxy of its own
 * would (an unknown still throws the same `UnknownValueError` in the policy that reads it). Only
 * the objects this memo shared get one (the server wraps what the memo returned at once, so the
 * last object returned is the one asked about); a remediation's copy gets a proxy of its own.
 *
 * And for the stack's dependencies: for every stack policy the server reads each resource's
 * `propertyDependencies` map again (server.js `getPropertyDependencies`, `map.entries()`), and
 * google-protobuf's `jspb.Map#entries` lists, sorts and pairs the keys anew on every call (most of
 * what building a stack policy's arguments allocated). Each map of a request's resources keeps its
 * entries once listed, and lists them anew after a `set`, `del` or `clear` on it.
 *
 * What it relies on, each held by tests/policies/decode-once.test.ts:
 * - the server calls the function through the module's exports (`deserialize_1.deserializeProperties(…)`),
 *   so the wrapper is seen: the test fails if an upgrade of @pulumi/policy stops going through it;
 *   likewise the proxy (`proxy_1.unknownCheckingProxy(…)`) and the map getter (a method of
 *   @pulumi/pulumi's analyzer_pb.js `AnalyzerResource`, as the server's module resolves it);
 * - nothing of the server changes a request's `propertyDependencies` map but through `set`, `del`
 *   or `clear` (it only reads);
 * - no rule writes into the properties it is given (policies read; `remediateResource` returns a
 *   new property set). Remediation decodes with `proxySecrets` set and writes into its copy, so
 *   those calls are never shared.
 *
 * Why not one registered stack policy that runs every stack rule and reports each finding under
 * the rule's name (the protocol carries `policyName` and `enforcementLevel` per diagnostic, and
 * the server's `reportViolation` takes both): the server keeps each policy's config and level to
 * itself (`policyPackConfig`, read only through the `getConfig` it hands that policy), so such a
 * policy could not honour a rule's config or level. The files in node_modules stay as published.
 */

/** The module of @pulumi/policy whose export the server calls. */
interface Deserializer {
    deserializeProperties(struct: object, proxySecrets: boolean): Record<string, unknown>;
}

/** The module of @pulumi/policy whose proxy the server puts around decoded properties. */
interface Proxies {
    unknownCheckingProxy(props: object): object;
}

/** The protobuf message of one resource of an `AnalyzeStack` request (analyzer_pb.js `AnalyzerResource`). */
interface ResourceMessage {
    getPropertydependenciesMap(noLazyCreate?: boolean): object | undefined;
}

const SHARED = Symbol.for("e2e-tls-guard.decode-once");
const DECODED = Symbol("e2e-tls-guard.decoded");
const LISTED = Symbol.for("e2e-tls-guard.entries-once");

/** The request's `AnalyzerResource` prototype, of the module instance the policy server reads. */
function serverResourceMessage(): ResourceMessage {
    const server = require.resolve("@pulumi/policy/server");
    return require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [server] })).AnalyzerResource.prototype;
}

/** A request map that lists its entries once: what it listed last, until it changes (undefined then). */
type ListingMap = { [LISTED]?: unknown[] };

/** A `jspb.Map` method that changes the map: it drops the map's listed entries first. */
const changing = (name: "set" | "del" | "clear") => function (this: ListingMap, ...args: unknown[]) {
    this[LISTED] = undefined;
    return Object.getPrototypeOf(this)[name].apply(this, args);
};

/**
 * What {@link listEntriesOnce} gives a map, the same functions for every map; the entries are kept
 * on the map itself (a property read, where a WeakMap look-up and its entry cost more, thousands of
 * times per request).
 */
const LISTING: PropertyDescriptorMap = {
    [LISTED]: { value: undefined, writable: true },
    entries: {
        value: function (this: ListingMap) {
            let entries = this[LISTED];
            if (entries === undefined) {
                entries = [...Object.getPrototypeOf(this).entries.call(this)];
                this[LISTED] = entries;
            }
            return entries[Symbol.iterator]();
        },
    },
    set: { value: changing("set") },
    del: { value: changing("del") },
    clear: { value: changing("clear") },
};

/** Makes `map` (a `jspb.Map`) list its entries once, until a `set`, `del` or `clear` on it. */
function listEntriesOnce(map: object): void {
    if (!(LISTED in map)) {
        Object.defineProperties(map, LISTING);
    }
}

/**
 * Makes `sdk.deserializeProperties` decode each `Struct` once (when not keeping secrets for a
 * remediation), `proxies.unknownCheckingProxy` wrap each object so shared once, and each
 * resource's `propertyDependencies` map list its entries once, and returns what undoes them.
 * Installing twice wraps once.
 */
export function decodeOncePerRequest(
    sdk: Deserializer = require("@pulumi/policy/deserialize"),
    proxies: Proxies = require("@pulumi/policy/proxy"),
    resources: ResourceMessage = serverResourceMessage(),
): () => void {
    const current = sdk.deserializeProperties as Deserializer["deserializeProperties"] & { [SHARED]?: true };
    if (current[SHARED]) {
        return () => undefined;
    }
    // The decoded object is kept on the request's `Struct` itself (a symbol-keyed property, which
    // google-protobuf never reads: it serializes from the message's array): a property read costs
    // far less than a WeakMap look-up, and thousands of WeakMap entries per request are work for
    // every garbage collection (ephemerons). The request and what is kept on it go together.
    type Kept = { props: Record<string, unknown>; proxy: object | null };
    let last: Kept | undefined;
    const shared = Object.assign((struct: object, proxySecrets: boolean) => {
        if (proxySecrets || struct === null || typeof struct !== "object") {
            return current(struct, proxySecrets);
        }
        let kept = (struct as { [DECODED]?: Kept })[DECODED];
        if (kept === undefined) {
            kept = { props: current(struct, false), proxy: null };
            Object.defineProperty(struct, DECODED, { value: kept });
        }
        // The server puts its proxy around what this returns at once (server.js): the last one
        // returned is the one it asks about.
        last = kept;
        return kept.props;
    }, { [SHARED]: true as const });
    const proxy = proxies.unknownCheckingProxy;
    const sharedProxy = (props: object) => {
        const kept = last !== undefined && last.props === props ? last : undefined;
        if (kept === undefined || props === null || typeof props !== "object") {
            return proxy(props);
        }
        return (kept.proxy ??= proxy(props));
    };
    const dependencies = resources.getPropertydependenciesMap;
    const listedOnce = function (this: ResourceMessage, noLazyCreate?: boolean) {
        const map = dependencies.call(this, noLazyCreate);
        if (map) {
            listEntriesOnce(map);
        }
        return map;
    };
    sdk.deserializeProperties = shared;
    proxies.unknownCheckingProxy = sharedProxy;
    resources.getPropertydependenciesMap = listedOnce;
    return () => {
        if (sdk.deserializeProperties === shared) {
            sdk.deserializeProperties = current;
        }
        if (proxies.unknownCheckingProxy === sharedProxy) {
            proxies.unknownCheckingProxy = proxy;
        }
        if (resources.getPropertydependenciesMap === listedOnce) {
            resources.getPropertydependenciesMap = dependencies;
        }
    };
}
