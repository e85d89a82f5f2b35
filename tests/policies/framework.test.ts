/**
 * The one framework every policy is written with (policies/framework/): what a spec declares is
 * what the policy publishes and does, and the exemption key works the same for resource and stack
 * rules. Called in process, as the policy server calls a policy.
 */
import * as assert from "assert";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { exemptionsParam, flag, resourceRule, stackRule, strings } from "../../policies/framework";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const urn = (type: string, name: string) => `urn:pulumi:test::e2e-tls::${type}::${name}`;

type Sent = { message: string; urn?: string };

async function runResource(policy: ResourceValidationPolicy, type: string, name: string, props: Record<string, any>, config: object = {}): Promise<Sent[]> {
    const sent: Sent[] = [];
    const args: any = { type, name, urn: urn(type, name), props, getConfig: () => config };
    await (policy.validateResource as Function)(args, (message: string, u?: string) => sent.push({ message, urn: u }));
    return sent;
}

function runStack(policy: StackValidationPolicy, resources: Partial<PolicyResource>[], config: object = {}): Sent[] {
    const sent: Sent[] = [];
    const args: any = { resources: resources.map((r) => ({ props: {}, propertyDependencies: {}, dependencies: [], ...r })), getConfig: () => config };
    (policy.validateStack as Function)(args, (message: string, u?: string) => sent.push({ message, urn: u }));
    return sent;
}

const checked: string[] = [];
const rule = resourceRule({
    name: "test-rule",
    description: "A rule for the framework's tests.",
    enforcementLevel: "advisory",
    severity: "low",
    appliesTo: [LT],
    config: { strict: flag(true, "Report even small things.") },
    exempt: { key: "exemptResourceNames", description: "Names skipped." },
    check: ({ resource, props, config, report }) => {
        checked.push(resource.name);
        if (config.strict && props.bad !== undefined) {
            report({ property: "bad", value: props.bad, problem: "is bad", fix: "remove it" });
        }
    },
});

const stack = stackRule({
    name: "test-stack-rule",
    description: "A stack rule for the framework's tests.",
    enforcementLevel: "advisory",
    severity: "medium",
    onlyWith: SG,
    reads: [SG],
    config: { names: strings("Unused.") },
    exempt: { key: "exemptResourceNames", description: "Names skipped." },
    check: ({ index, report }) => {
        for (const sg of index.ofType(SG)) {
            report(sg, { property: "ingress", value: sg.props.ingress, problem: "is open", fix: "close it" });
        }
    },
});

describe("the policy framework", () => {
    beforeEach(() => checked.splice(0));

    it("publishes each config key with its default, the exemption keys included, and the spec's severity", () => {
        assert.deepStrictEqual(rule.configSchema, {
            properties: {
                strict: { type: "boolean", description: "Report even small things.", default: true },
                exemptions: { ...exemptionsParam.schema, default: [] },
                exemptResourceNames: { type: "array", items: { type: "string" }, description: "Names skipped. Deprecated: use exemptions.", default: [] },
            },
        });
        assert.strictEqual(rule.severity, "low");
        assert.strictEqual(stack.severity, "medium");
        assert.ok(!("framework" in rule) && !("url" in rule) && !("tags" in rule), "no control fields without a control");
    });

    it("checks only the spec's tokens, with the defaults applied when the engine sent no config", async () => {
        assert.deepStrictEqual(await runResource(rule, SG, "other", { bad: 1 }), []);
        const sent = await runResource(rule, LT, "tier", { bad: 1 });
        assert.deepStrictEqual(checked, ["tier"]);
        assert.deepStrictEqual(sent, [{
            message: 'LaunchTemplate "tier" (aws:ec2/launchTemplate:LaunchTemplate): bad is 1, which is bad. Fix: remove it.',
            urn: urn(LT, "tier"),
        }]);
        assert.deepStrictEqual(await runResource(rule, LT, "tier", { bad: 1 }, { strict: false }), [], "config the engine sends wins");
    });

    it("skips resources listed under the exemption key, in resource and stack rules alike", async () => {
        assert.deepStrictEqual(await runResource(rule, LT, "tier", { bad: 1 }, { exemptResourceNames: ["tier"] }), []);
        assert.deepStrictEqual(checked, [], "an exempt resource is not even checked");
        const groups = [{ type: SG, name: "a", urn: urn(SG, "a"), props: { ingress: [] } }, { type: SG, name: "b", urn: urn(SG, "b"), props: { ingress: [] } }];
        assert.deepStrictEqual(runStack(stack, groups).map((s) => s.urn), [urn(SG, "a"), urn(SG, "b")]);
        assert.deepStrictEqual(runStack(stack, groups, { exemptResourceNames: ["a"] }).map((s) => s.urn), [urn(SG, "b")]);
    });

    it("marks a stack rule with the token it needs, so the policy server skips stacks without one", () => {
        assert.strictEqual((stack.validateStack as unknown as { __pulumiType: string }).__pulumiType, SG);
    });
});
