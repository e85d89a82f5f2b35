/**
 * A stack rule's `reads` (the shapes its spec says it reads, from which its token families derive)
 * covers every shape its check asks the stack index for: each `ofKind` / `ofType` call and each
 * type a reference it resolves may accept. Recorded in process over stacks that walk the rules:
 * the compliant tier of each compute kind, the program's own dev stack (ASG and ECS) and a stack
 * holding one resource of every token. A lower bound: what no stack here walks is read from the code.
 */
import * as assert from "assert";
import { Policy, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { allPolicies } from "../../policies/rules";
import { claimedTokens, Node, StackIndex, stackRule } from "../../policies/framework";
import { HOP_TOKENS, LB_TOKENS, LbKind, NATIVE, TOKENS } from "../../policies/shared/tokens";
import { stackAnalysisResources, urnOf } from "../../offline/analyzer/harness";
import { toResources, webStack } from "./fixtures-stack";
import { OWN_VARIANTS, runVariant } from "./own-stack-runs";

const EVERY_TOKEN = [...new Set([
    ...Object.values(TOKENS), ...Object.values(LB_TOKENS).flat(), ...Object.values(HOP_TOKENS).flat(), ...Object.values(NATIVE),
])];

/** One resource of every token, with no properties. */
const everyToken = (): PolicyResource[] => EVERY_TOKEN.map((type) => ({ type, name: "x", urn: urnOf(type, "x"), props: {}, dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource);

/** A fixture stack as the policy server hands it to a stack policy. */
const tier = (compute: "asg" | "ecs" | "instance"): PolicyResource[] => toResources(webStack({ compute })).map((r) => ({
    ...r,
    dependencies: (r.dependencies ?? []).map((urn) => ({ urn })),
    propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) => [k, urns.map((urn) => ({ urn }))])),
}) as unknown as PolicyResource);

/** A run of the program as the policy server hands its state to a stack policy. */
async function own(label: string): Promise<PolicyResource[]> {
    const run = await runVariant(OWN_VARIANTS.find((v) => v.label === label)!);
    const resources = stackAnalysisResources(run);
    return resources.map((r) => ({
        type: r.type, name: r.name, urn: r.urn, props: r.outputs ?? r.inputs ?? {},
        dependencies: (r.dependencies ?? []).map((urn) => ({ urn })),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) => [k, urns.map((urn) => ({ urn }))])),
    }) as unknown as PolicyResource);
}

const STACKS: PolicyResource[][] = [everyToken(), tier("asg"), tier("ecs"), tier("instance")];

/** A node of each token, to ask a reference's `accept` which types it takes. */
const PROBES = EVERY_TOKEN.map((type) => ({ type, token: type, name: "probe", urn: urnOf(type, "probe"), props: {} }) as unknown as Node);

type Accept = (n: Node) => boolean;

/** The shapes `run` asks any stack index for while it runs. */
function askedShapes(run: () => void): Set<string> {
    const asked = new Set<string>();
    const proto = StackIndex.prototype as any;
    const saved = { ofType: proto.ofType, ofKind: proto.ofKind, resolve: proto.resolve, resolveAll: proto.resolveAll };
    const probe = (accept: Accept) => {
        const taken = PROBES.filter((n) => accept(n));
        if (taken.length < PROBES.length) { // an accept-anything reference names no shape
            taken.forEach((n) => asked.add(n.type));
        }
    };
    proto.ofType = function (token: string) {
        asked.add(token);
        return saved.ofType.call(this, token);
    };
    proto.ofKind = function (kind: LbKind) {
        LB_TOKENS[kind].forEach((t) => asked.add(t));
        return saved.ofKind.call(this, kind);
    };
    proto.resolve = function (from: Node, property: string, value: unknown, accept: Accept) {
        probe(accept);
        return saved.resolve.call(this, from, property, value, accept);
    };
    proto.resolveAll = function (from: Node, property: string, values: unknown, accept: Accept) {
        probe(accept);
        return saved.resolveAll.call(this, from, property, values, accept);
    };
    try {
        run();
    } finally {
        Object.assign(proto, saved);
    }
    return asked;
}

/** The shapes `policy` asks for over every stack of {@link STACKS} that are not among its claimed tokens. */
function unclaimedReads(policy: Policy): string[] {
    const claimed = new Set(claimedTokens(policy));
    const asked = askedShapes(() => {
        for (const resources of STACKS) {
            ((policy as StackValidationPolicy).validateStack as Function)({ resources, getConfig: () => ({}) }, () => undefined);
        }
    });
    return [...asked].filter((t) => !claimed.has(t)).sort();
}

describe("the reads of each stack rule", () => {
    const stackPolicies = allPolicies.filter((p) => "validateStack" in p);

    before(async function () {
        this.timeout(120_000);
        STACKS.push(await own("dev/asg"), await own("dev/ecs"));
    });

    it("covers every shape the rule asks the stack index for", () => {
        assert.ok(stackPolicies.length >= 10, `only ${stackPolicies.length} stack policies`);
        const missing = stackPolicies.map((p) => ({ name: p.name, unclaimed: unclaimedReads(p) })).filter((m) => m.unclaimed.length > 0)
            .map((m) => `${m.name} reads ${m.unclaimed.join(", ")} without naming it in reads`);
        assert.deepStrictEqual(missing, []);
    });

    it("records what the walk reads: the path rule asks for load balancers, launch templates and standalone ingress rules", () => {
        const path = allPolicies.find((p) => p.name === "alb-end-to-end-tls-path")!;
        const asked = askedShapes(() => STACKS.forEach((resources) =>
            ((path as StackValidationPolicy).validateStack as Function)({ resources, getConfig: () => ({}) }, () => undefined)));
        for (const t of [LB_TOKENS.loadBalancer[0], TOKENS.launchTemplate, TOKENS.securityGroupIngressRule, LB_TOKENS.trustStore[0]]) {
            assert.ok(asked.has(t), `${t} not recorded`);
        }
    });

    it("finds a shape read but left out of reads", () => {
        const sloppy = stackRule({
            name: "reads-too-little",
            description: "Reads security groups but says it reads nothing.",
            enforcementLevel: "advisory",
            severity: "low",
            reads: [],
            check: ({ index }) => void index.ofType(TOKENS.securityGroup),
        });
        assert.deepStrictEqual(unclaimedReads(sloppy), [TOKENS.securityGroup]);
    });
});
