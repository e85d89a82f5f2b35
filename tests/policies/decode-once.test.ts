/**
 * One decode per request (policies/framework/decode-once.ts): @pulumi/policy's server, called as
 * the gRPC service calls it, hands every policy of one request the same decoded properties and
 * decodes each resource once; a new request is decoded anew; a remediation keeps its own copy;
 * stack rules of one AnalyzeStack share one stack index; no rule writes into what it is given;
 * and the pack reports exactly what the same rules report when @pulumi/policy decodes per policy.
 */
import * as assert from "assert";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AnalyzeResult, PackHandle, ResourceInput, startPack, toAnalyzeRequest, toAnalyzerResource, UNKNOWN } from "../../offline/analyzer/harness";
import { removePack, writePerPolicyDecodingPack } from "../../offline/analyzer/pack-variants";
import { analyzerpb, fromAnalyzeResponse, urnOf } from "../../offline/analyzer/requests";
import { decodeOncePerRequest } from "../../policies/framework/decode-once";
import { configOf, StackIndex, stackRule, strings, wireOf } from "../../policies/framework";
import { Closures } from "../../policies/rules/deploy-graph";
import { syntheticStack } from "../../offline/analyzer/bench-stack";
import { StackGraph } from "../../policies/rules/stack-graph";
import { schemaOf } from "../../policies/framework/config";
import { raw } from "../../policies/framework/values";
import { allPolicies } from "../../policies/rules";
import { TOKENS } from "../../policies/shared/tokens";
import { decodeCorpus } from "./decode-corpus";
import { analyzeRun, OWN_VARIANTS, runVariant } from "./own-stack-runs";

// The modules the policy server uses, as the pack process loads them.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk = require("@pulumi/policy/deserialize");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const server = require("@pulumi/policy/server");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxies = require("@pulumi/policy/proxy");

type Decode = (struct: object, proxySecrets: boolean) => Record<string, unknown>;

/** Counts the SDK's own decodes while a test runs with decode-once installed over them. */
function useDecodeOnce(): { decodes: () => number; original: Decode } {
    const original: Decode = sdk.deserializeProperties;
    let count = 0;
    let undo = () => undefined as void;
    beforeEach(() => {
        count = 0;
        sdk.deserializeProperties = (s: object, p: boolean) => {
            count++;
            return original(s, p);
        };
        undo = decodeOncePerRequest(sdk);
    });
    afterEach(() => {
        undo();
        sdk.deserializeProperties = original;
    });
    return { decodes: () => count, original };
}

/** A request as gRPC hands it to the server: decoded from bytes. */
function stackRequest(resources: ResourceInput[]): any {
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(resources.map(toAnalyzerResource));
    return analyzerpb.AnalyzeStackRequest.deserializeBinary(req.serializeBinary());
}

function analyzeRequest(resource: ResourceInput): any {
    return analyzerpb.AnalyzeRequest.deserializeBinary(toAnalyzeRequest(resource).serializeBinary());
}

/** Calls an RPC function of the server the way grpc-js does, resolving with its response. */
function call(rpc: (call: { request: any }, callback: (err: unknown, resp: any) => void) => void, request: any): Promise<any> {
    return new Promise((resolve, reject) => rpc({ request }, (err, resp) => (err ? reject(err) : resolve(resp))));
}

const analyzeStackRpc = (policies: unknown[]) => server.makeAnalyzeStackRpcFun("e2e-tls-guard", "0.2.0", "advisory", policies);
const analyzeRpc = (policies: unknown[]) => server.makeAnalyzeRpcFun("e2e-tls-guard", "0.2.0", "advisory", policies);

const STACK: ResourceInput[] = ["a", "b", "c"].map((name) => ({
    type: TOKENS.securityGroup, name, props: { id: `sg-${name}`, description: name, tags: { Name: name } },
}));

/** A stack policy that records the plain properties it was given. */
function recordingStackPolicy(name: string, seen: object[][]): StackValidationPolicy {
    return { name, description: "records", enforcementLevel: "advisory", validateStack: (args) => void seen.push(args.resources.map((r) => raw(r.props))) };
}

describe("decode-once: the policy server decodes a request once for all policies", () => {
    const { decodes, original } = useDecodeOnce();

    it("hands every stack policy of one AnalyzeStack the same decoded properties, decoding each resource once", async () => {
        const seen: object[][] = [];
        await call(analyzeStackRpc(["one", "two", "three"].map((n) => recordingStackPolicy(n, seen))), stackRequest(STACK));
        assert.strictEqual(seen.length, 3);
        for (let i = 0; i < STACK.length; i++) {
            assert.ok(seen[1][i] === seen[0][i] && seen[2][i] === seen[0][i], `resource ${i} decoded once`);
        }
        assert.deepStrictEqual(seen[0][1], STACK[1].props);
        assert.strictEqual(decodes(), STACK.length);
    });

    it("hands every resource policy of one Analyze the same decoded properties", async () => {
        const seen: object[] = [];
        const policies: ResourceValidationPolicy[] = ["one", "two"].map((name) => ({
            name, description: "records", enforcementLevel: "advisory", validateResource: (args) => void seen.push(raw(args.props)),
        }));
        await call(analyzeRpc(policies), analyzeRequest(STACK[0]));
        assert.ok(seen.length === 2 && seen[0] === seen[1]);
        assert.strictEqual(decodes(), 1);
    });

    it("hands every stack policy of one AnalyzeStack the same proxy of each resource, and each policy reading an unknown is still told it cannot run", async () => {
        const props: object[][] = [];
        const reading = (name: string): StackValidationPolicy => ({
            name, description: "reads every description", enforcementLevel: "mandatory",
            validateStack: (args) => {
                props.push(args.resources.map((r) => r.props));
                args.resources.forEach((r) => r.props.description);
            },
        });
        const stack = [...STACK, { type: TOKENS.securityGroup, name: "d", props: { id: "sg-d", description: UNKNOWN } }];
        const result = fromAnalyzeResponse(await call(analyzeStackRpc([reading("one"), reading("two")]), stackRequest(stack)));
        assert.ok(props.length === 2 && props[0].every((p, i) => p === props[1][i]), "one proxy per resource for both policies");
        assert.deepStrictEqual(result.diagnostics.map((d) => [d.policyName, d.enforcementLevel, /^can't run policy '(one|two)' .* during preview: .*\.description can't be known during preview$/.test(d.message)]),
            [["one", "advisory", true], ["two", "advisory", true]]);
    });

    it("gives a remediation's own copy a proxy of its own, and undoes the shared proxy with the rest", () => {
        const struct = analyzeRequest(STACK[0]).getProperties();
        const shared = sdk.deserializeProperties(struct, false);
        assert.strictEqual(proxies.unknownCheckingProxy(shared), proxies.unknownCheckingProxy(shared));
        const copy = sdk.deserializeProperties(struct, true);
        assert.notStrictEqual(proxies.unknownCheckingProxy(copy), proxies.unknownCheckingProxy(copy));
        const installed = proxies.unknownCheckingProxy;
        const undo = decodeOncePerRequest(sdk, proxies);
        assert.strictEqual(proxies.unknownCheckingProxy, installed, "installed once");
        undo();
        assert.strictEqual(proxies.unknownCheckingProxy, installed, "a second install undoes nothing");
    });

    it("undoes what it installed, and only that", () => {
        const deserialize = (s: object, p: boolean) => ({ s, p });
        const own = { deserializeProperties: deserialize };
        const ownProxies = { unknownCheckingProxy: (x: object) => x };
        const message = { getPropertydependenciesMap: () => undefined };
        const getter = message.getPropertydependenciesMap;
        const identity = ownProxies.unknownCheckingProxy;
        const undo = decodeOncePerRequest(own, ownProxies, message);
        assert.ok(own.deserializeProperties !== deserialize && ownProxies.unknownCheckingProxy !== identity && message.getPropertydependenciesMap !== getter);
        undo();
        assert.ok(own.deserializeProperties === deserialize && ownProxies.unknownCheckingProxy === identity && message.getPropertydependenciesMap === getter);
    });

    it("hands every stack policy of one AnalyzeStack each resource's dependencies as the request carries them, listing each map once until it changes", async () => {
        const stack: ResourceInput[] = [
            { type: TOKENS.securityGroup, name: "lb", props: { id: "sg-lb" } },
            { type: TOKENS.securityGroupIngressRule, name: "in", props: { securityGroupId: "sg-x", referencedSecurityGroupId: "sg-lb" },
                dependencies: [urnOf(TOKENS.securityGroup, "lb")],
                propertyDependencies: { securityGroupId: [], referencedSecurityGroupId: [urnOf(TOKENS.securityGroup, "lb")] } },
        ];
        const request = stackRequest(stack);
        const seen: Record<string, string[]>[][] = [];
        const recording = (name: string): StackValidationPolicy => ({
            name, description: "records dependencies", enforcementLevel: "advisory",
            validateStack: (args) => void seen.push(args.resources.map((r) => Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, deps]) => [k, deps.map((d) => d.name)])))),
        });
        await call(analyzeStackRpc([recording("one"), recording("two")]), request);
        const expected = [{}, { referencedSecurityGroupId: ["lb"], securityGroupId: [] }];
        assert.deepStrictEqual(seen, [expected, expected]);
        const map = request.getResourcesList()[1].getPropertydependenciesMap();
        const listed = [...map.entries()];
        assert.deepStrictEqual(listed.map(([k]: [string]) => k), ["referencedSecurityGroupId", "securityGroupId"], "sorted, as google-protobuf lists them");
        assert.strictEqual([...map.entries()][0], listed[0], "listed once");
        map.set("description", new analyzerpb.AnalyzerPropertyDependencies());
        assert.deepStrictEqual([...map.entries()].map(([k]: [string]) => k), ["description", "referencedSecurityGroupId", "securityGroupId"], "listed anew after a set");
        map.del("description");
        assert.strictEqual([...map.entries()].length, 2, "and after a del");
        map.clear();
        assert.strictEqual([...map.entries()].length, 0, "and after a clear");
    });

    it("keeps each request's wire readable by its later policies when another request is decoded between them", async () => {
        // The server awaits each policy, so Analyze calls the engine sends together interleave;
        // the second policy of each request reads its own request's secret markings (wire-props.ts).
        const read: unknown[] = [];
        const policies: ResourceValidationPolicy[] = [
            { name: "first", description: "yields", enforcementLevel: "advisory", validateResource: () => new Promise<void>((r) => setImmediate(r)) },
            {
                name: "second", description: "reads the wire", enforcementLevel: "advisory",
                validateResource: (args) => void read.push(wireOf(raw(args.props))?.at(["description"])?.value),
            },
        ];
        const rpc = analyzeRpc(policies);
        await Promise.all([call(rpc, analyzeRequest(STACK[0])), call(rpc, analyzeRequest(STACK[1]))]);
        assert.deepStrictEqual(read.sort(), ["a", "b"]);
    });

    it("decodes a new request anew, even of the same bytes", async () => {
        const seen: object[][] = [];
        const rpc = analyzeStackRpc([recordingStackPolicy("one", seen)]);
        await call(rpc, stackRequest(STACK));
        await call(rpc, stackRequest(STACK));
        assert.notStrictEqual(seen[0][0], seen[1][0]);
        assert.strictEqual(decodes(), 2 * STACK.length);
    });

    it("gives a remediation, which writes into its properties, its own copy every time", () => {
        const struct = analyzeRequest(STACK[0]).getProperties();
        assert.notStrictEqual(sdk.deserializeProperties(struct, true), sdk.deserializeProperties(struct, true));
        assert.strictEqual(sdk.deserializeProperties(struct, false), sdk.deserializeProperties(struct, false));
        assert.deepStrictEqual(original(struct, false), STACK[0].props);
    });

    it("is installed once however often it is asked", () => {
        const installed = sdk.deserializeProperties;
        decodeOncePerRequest(sdk)();
        assert.strictEqual(sdk.deserializeProperties, installed);
    });

    it("lets the stack rules of one AnalyzeStack share one stack index, and builds a new one for the next request", async () => {
        const indexes: StackIndex[] = [];
        const rule = (name: string) => stackRule({
            name, description: "Records its index.", enforcementLevel: "advisory", severity: "low", reads: [],
            check: ({ index }) => void indexes.push(index),
        });
        const rpc = analyzeStackRpc([rule("one"), rule("two")]);
        await call(rpc, stackRequest(STACK));
        assert.ok(indexes.length === 2 && indexes[0] === indexes[1]);
        await call(rpc, stackRequest(STACK));
        assert.notStrictEqual(indexes[2], indexes[0]);
        assert.strictEqual(indexes[2], indexes[3]);
        assert.deepStrictEqual(indexes[0].nodes.map((n) => n.urn), indexes[2].nodes.map((n) => n.urn));
    });

    it("builds a stack index of its own for resources that differ from the last ones only by URN", () => {
        const props = STACK.map((r) => ({ ...r.props }));
        const resources = (prefix: string) => STACK.map((r, i) => ({ type: r.type, name: r.name, urn: `${prefix}${r.name}`, props: props[i], propertyDependencies: {} })) as unknown as PolicyResource[];
        const first = StackIndex.of(resources("urn:a:"));
        assert.strictEqual(StackIndex.of(resources("urn:a:")), first);
        assert.notStrictEqual(StackIndex.of(resources("urn:b:")), first);
    });
});

describe("per-request work shared across calls: what stack rules derive from the index", () => {
    // One tier of the benchmark's stack: load balancer, listeners, target group, services, groups.
    const TIER = syntheticStack(23);
    const resources = () => TIER.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: { ...r.props }, propertyDependencies: {} })) as unknown as PolicyResource[];

    it("makes a derived structure once per index, and anew for another index", () => {
        let made = 0;
        const make = (index: StackIndex) => ({ index, made: ++made });
        const index = StackIndex.of(resources());
        const first = index.derived(make);
        assert.strictEqual(index.derived(make), first);
        assert.strictEqual(first.index, index);
        const other = StackIndex.of(resources());
        assert.notStrictEqual(other, index);
        assert.notStrictEqual(other.derived(make), first);
        assert.strictEqual(made, 2);
    });

    it("lets the ordering rules of one AnalyzeStack share the dependency closures, and the path walk find a target group's attachments once", () => {
        const index = StackIndex.of(resources());
        assert.strictEqual(Closures.shared(index), Closures.shared(index));
        assert.notStrictEqual(Closures.shared(StackIndex.of(resources())), Closures.shared(index));
        const graph = new StackGraph(index);
        const tgs = index.ofKind("targetGroup");
        assert.ok(tgs.length > 0, "the stack has target groups");
        for (const tg of tgs) {
            assert.strictEqual(graph.attachments(tg), graph.attachments(tg));
        }
    });
});

describe("per-request work shared across calls: a policy's config", () => {
    const schema = { name: "test-policy", schema: schemaOf({ ports: strings("Ports.", ["443"]) }) };
    const defaults = { ports: ["443"] };
    /** As @pulumi/policy's getConfig: a new object on every call, holding the values the last Configure stored. */
    const source = (stored: Record<string, unknown>) => ({ getConfig: <T>() => ({ ...stored }) as T });

    it("is checked and merged once while the same values come back, and anew when a Configure changes one or makes it invalid", () => {
        const stored = { ports: ["443", "8443"] };
        const first = configOf(source(stored), defaults, schema);
        assert.deepStrictEqual(first, { ports: ["443", "8443"] });
        assert.strictEqual(configOf(source(stored), defaults, schema), first, "the same values: the same config");
        const changed = configOf(source({ ports: ["443"] }), defaults, schema);
        assert.deepStrictEqual(changed, { ports: ["443"] });
        assert.notStrictEqual(changed, first);
        assert.deepStrictEqual(configOf(source({}), defaults, schema), { ports: ["443"] }, "none sent: the defaults");
        assert.throws(() => configOf(source({ ports: "443" }), defaults, schema), /policy "test-policy" has invalid config/);
        assert.throws(() => configOf(source({ ports: "443" }), defaults, schema), /has invalid config/, "an invalid config fails every call");
    });
});

describe("decode-once: no rule of the pack writes into the properties it is given", function () {
    this.timeout(120_000);
    const { original } = useDecodeOnce();

    it("leaves every resource's decoded properties as the request carried them, in Analyze and AnalyzeStack, over the corpus", async () => {
        const analyze = analyzeRpc(allPolicies);
        const analyzeStack = analyzeStackRpc(allPolicies);
        let checked = 0;
        for (const { label, resources } of decodeCorpus()) {
            for (const r of resources) {
                const req = analyzeRequest(r);
                await call(analyze, req);
                assert.deepStrictEqual(sdk.deserializeProperties(req.getProperties(), false), original(req.getProperties(), false), `${label}: Analyze of ${r.name}`);
                checked++;
            }
            const req = stackRequest(resources);
            await call(analyzeStack, req);
            for (const [i, res] of req.getResourcesList().entries()) {
                assert.deepStrictEqual(sdk.deserializeProperties(res.getProperties(), false), original(res.getProperties(), false), `${label}: AnalyzeStack, ${resources[i].name}`);
            }
        }
        assert.ok(checked > 100, `${checked} resources`);
    });
});

describe("decode-once: the pack's findings are those of @pulumi/policy decoding per policy", function () {
    this.timeout(300_000);
    let shared: PackHandle;
    let perPolicy: PackHandle;
    let perPolicyDir = "";
    before(async function () {
        this.timeout(120_000);
        perPolicyDir = writePerPolicyDecodingPack();
        [shared, perPolicy] = await Promise.all([startPack(), startPack({ packDir: perPolicyDir, build: false })]);
    });
    after(async () => {
        await Promise.all([shared?.close(), perPolicy?.close()]);
        removePack(perPolicyDir);
    });

    /** Every Analyze and the AnalyzeStack of `resources`, through both packs, response by response. */
    async function assertSame(label: string, resources: ResourceInput[]): Promise<number> {
        let findings = 0;
        const same = (a: AnalyzeResult, b: AnalyzeResult, what: string) => {
            assert.deepStrictEqual(a, b, `${label}: ${what}`);
            findings += a.diagnostics.length;
        };
        for (const r of resources) {
            same(await shared.analyze(r), await perPolicy.analyze(r), `Analyze of ${r.name}`);
        }
        same(await shared.analyzeStack(resources), await perPolicy.analyzeStack(resources), "AnalyzeStack");
        return findings;
    }

    it("reports the same diagnostics, in the same order, on the fixture, benchmark and insecure stacks, under each example config", async () => {
        let findings = 0;
        for (const config of [{}, "org-strict.json", "audit.json"]) {
            const policyConfig = typeof config === "string" ? require(`../../policies/config/${config}`) : config;
            await Promise.all([shared.configure(policyConfig), perPolicy.configure(policyConfig)]);
            for (const { label, resources } of decodeCorpus()) {
                findings += await assertSame(`${label} (${config || "defaults"})`, resources);
            }
        }
        await Promise.all([shared.configure({}), perPolicy.configure({})]);
        assert.ok(findings > 500, `only ${findings} findings compared`);
    });

    it("reports the same diagnostics on the project's own stacks, with their defaults and audited", async () => {
        const audit = require("../../policies/config/audit.json");
        let findings = 0;
        for (const label of ["dev/asg", "prod/ecs (preview)"]) {
            const run = await runVariant(OWN_VARIANTS.find((v) => v.label === label)!);
            for (const config of [{}, audit]) {
                await Promise.all([shared.configure(config), perPolicy.configure(config)]);
                const result = await analyzeRun(shared, run);
                assert.deepStrictEqual(result, await analyzeRun(perPolicy, run), label);
                findings += result.diagnostics.length;
            }
        }
        await Promise.all([shared.configure({}), perPolicy.configure({})]);
        assert.ok(findings > 0, "the audited runs report something");
    });
});
