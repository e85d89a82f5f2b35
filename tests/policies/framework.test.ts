/**
 * The one framework every policy is written with (policies/framework/): what a spec declares is
 * what the policy publishes and does, and the exemption key works the same for resource and stack
 * rules. Called in process, as the policy server calls a policy.
 */
import * as assert from "assert";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { EXEMPTIONS_REPORT, exemptionsParam, flag, resourceRule, stackRule, strings } from "../../policies/framework";
import { NATIVE } from "../../policies/shared/tokens";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SUBNET = "aws:ec2/subnet:Subnet";
const urn = (type: string, name: string) => `urn:pulumi:test::e2e-tls::${type}::${name}`;

/** What a policy sent: the string form (message, urn), or the object form's policy name and level too. */
type Sent = { message: string; urn?: string; name?: string; enforcementLevel?: string };

/** The policy server's reportViolation, both forms (@pulumi/policy server.js makeReportViolationFun). */
const recorder = (sent: Sent[]) => (message: string | Sent, u?: string) =>
    sent.push(typeof message === "object" ? { message: message.message, urn: message.urn, name: message.name, enforcementLevel: message.enforcementLevel } : { message, urn: u });

async function runResource(policy: ResourceValidationPolicy, type: string, name: string, props: Record<string, any>, config: object = {}): Promise<Sent[]> {
    const sent: Sent[] = [];
    const args: any = { type, name, urn: urn(type, name), props, getConfig: () => config };
    await (policy.validateResource as Function)(args, recorder(sent));
    return sent;
}

function runStack(policy: StackValidationPolicy, resources: Partial<PolicyResource>[], config: object = {}): Sent[] {
    const sent: Sent[] = [];
    const args: any = { resources: resources.map((r) => ({ props: {}, propertyDependencies: {}, dependencies: [], ...r })), getConfig: () => config };
    (policy.validateStack as Function)(args, recorder(sent));
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
    check: ({ resource, props, config, report }) => {
        checked.push(resource.name);
        if (config.strict && props.bad !== undefined) {
            report({ property: "bad", value: props.bad, problem: "is bad", fix: "remove it" });
        }
    },
});

const stackChecks: number[] = [];
const stack = stackRule({
    name: "test-stack-rule",
    description: "A stack rule for the framework's tests.",
    enforcementLevel: "advisory",
    severity: "medium",
    onlyWith: SG,
    reads: [SG],
    config: { names: strings("Unused.") },
    check: ({ index, report }) => {
        stackChecks.push(index.nodes.length);
        for (const sg of index.ofType(SG)) {
            report(sg, { property: "ingress", value: sg.props.ingress, problem: "is open", fix: "close it" });
        }
    },
});

const subnets = stackRule({
    name: "test-subnet-rule",
    description: "A stack rule over a shape of one token.",
    enforcementLevel: "advisory",
    severity: "low",
    onlyWith: SUBNET,
    reads: [SUBNET],
    check: () => undefined,
});

describe("the policy framework", () => {
    beforeEach(() => checked.splice(0));

    it("publishes each config key with its default, the exemption key included, and the spec's severity", () => {
        assert.deepStrictEqual(rule.configSchema, {
            properties: {
                strict: { type: "boolean", description: "Report even small things.", default: true },
                exemptions: { ...exemptionsParam.schema, default: [] },
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

    it("exempts by URN alone, in resource and stack rules alike, sending the line as the advisory exemptions policy", async () => {
        const entry = (u: string) => ({ exemptions: [{ urn: u, reason: "Reviewed by the platform team", expires: "2099-12-31" }] });
        const sent = await runResource(rule, LT, "tier", { bad: 1 }, entry(urn(LT, "tier")));
        assert.deepStrictEqual(checked, ["tier"], "an exempted resource is still checked");
        assert.deepStrictEqual(sent.map((s) => [s.name, s.enforcementLevel, s.urn]), [[EXEMPTIONS_REPORT.name, "advisory", urn(LT, "tier")]]);
        assert.match(sent[0].message, /\nexempted: test-rule on LaunchTemplate "tier" by urn \S+ until 2099-12-31: Reviewed by the platform team Suppressed: LaunchTemplate "tier"/);
        const groups = [{ type: SG, name: "a", urn: urn(SG, "a"), props: { ingress: [] } }, { type: SG, name: "b", urn: urn(SG, "b"), props: { ingress: [] } }];
        assert.deepStrictEqual(runStack(stack, groups).map((s) => [s.name, s.urn]), [[undefined, urn(SG, "a")], [undefined, urn(SG, "b")]]);
        assert.deepStrictEqual(runStack(stack, groups, entry(urn(SG, "a"))).map((s) => [s.name, s.urn]), [[EXEMPTIONS_REPORT.name, urn(SG, "a")], [undefined, urn(SG, "b")]]);
    });

    const pulumiType = (policy: StackValidationPolicy) => (policy.validateStack as unknown as { __pulumiType?: string }).__pulumiType;

    it("marks a stack rule whose needed shape is one token with it, so the policy server skips stacks without one", () => {
        assert.strictEqual(pulumiType(subnets), SUBNET);
    });

    it("leaves a stack rule whose needed shape has tokens in several families unmarked, and checks a stack holding only the other family's", () => {
        assert.strictEqual(pulumiType(stack), undefined, "the server's fast path compares one type, so it would skip an aws-native-only stack");
        stackChecks.splice(0);
        const native = { type: NATIVE.securityGroup, name: "web", urn: urn(NATIVE.securityGroup, "web"), props: { securityGroupIngress: [] } };
        assert.deepStrictEqual(runStack(stack, [native]).map((s) => s.urn), [urn(NATIVE.securityGroup, "web")]);
        assert.deepStrictEqual(runStack(stack, [{ type: LT, name: "tier", urn: urn(LT, "tier") }]), []);
        assert.deepStrictEqual(stackChecks, [1], "the check is skipped on a stack without any token of the shape");
    });
});
