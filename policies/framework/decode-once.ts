/**
 * One decode per request. @pulumi/policy's analyzer server (server.js of the pinned 1.21.0) turns a
 * resource's properties from the request's protobuf `Struct` into plain JavaScript
 * (deserialize.js `deserializeProperties`) once for every enabled policy it runs: in `Analyze`, the
 * resource once per resource policy; in `AnalyzeStack`, the whole stack once per stack policy. With
 * 40-odd resource policies and a dozen stack policies that decoding, and the garbage it leaves, was
 * most of what the pack cost over a pack of one policy (docs/benchmarks.md).
 *
 * The pack's entry point (../index.ts) wraps that function, in its own process only, with a memo
 * keyed by the `Struct` object of the request: protobuf messages keep the wrapper of a message
 * field once built (google-protobuf `getWrapperField`), so every policy of one request reads the
 * same `Struct`, and a new request brings new ones (the memo holds them weakly). The first policy
 * decodes; the others get the same plain object, each behind its own unknown-checking proxy as
 * before, so a rule reading an unknown still gets its own "can't run during preview".
 *
 * What it relies on, each held by tests/policies/decode-once.test.ts:
 * - the server calls the function through the module's exports (`deserialize_1.deserializeProperties(…)`),
 *   so the wrapper is seen: the test fails if an upgrade of @pulumi/policy stops going through it;
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

const SHARED = Symbol.for("e2e-tls-guard.decode-once");

/**
 * Makes `sdk.deserializeProperties` decode each `Struct` once (when not keeping secrets for a
 * remediation) and returns what undoes it. Installing twice wraps once.
 */
export function decodeOncePerRequest(sdk: Deserializer = require("@pulumi/policy/deserialize")): () => void {
    const current = sdk.deserializeProperties as Deserializer["deserializeProperties"] & { [SHARED]?: true };
    if (current[SHARED]) {
        return () => undefined;
    }
    const decoded = new WeakMap<object, Record<string, unknown>>();
    const shared = Object.assign((struct: object, proxySecrets: boolean) => {
        if (proxySecrets || struct === null || typeof struct !== "object") {
            return current(struct, proxySecrets);
        }
        let props = decoded.get(struct);
        if (props === undefined) {
            props = current(struct, false);
            decoded.set(struct, props);
        }
        return props;
    }, { [SHARED]: true as const });
    sdk.deserializeProperties = shared;
    return () => {
        if (sdk.deserializeProperties === shared) {
            sdk.deserializeProperties = current;
        }
    };
}
