/**
 * One finding per problem: a foreign stack whose one plaintext target group is reached by three
 * paths (the HTTPS listener's default action, a listener rule on it, and an HTTP listener that
 * forwards) has three problems on the path: the listener that forwards plaintext, the target
 * group's protocol, its health check. The path rule alone reports each once, naming every path
 * that reaches it, instead of once per path; in a whole run (every resource's Analyze, then
 * AnalyzeStack, as the engine sends them) each is reported once by the resource rule that owns it,
 * and the path rule adds none of them again.
 */
import * as assert from "assert";
import { AnalyzeResult, ResourceInput } from "../../offline/analyzer/harness";
import { of, usePackPerTest } from "./fixtures";
import { find, toResources, webStack } from "./fixtures-stack";
import { RULES } from "./names";

const { PATH } = RULES["stack-path"];
const { HTTPS_ONLY } = RULES.listeners;
const { PROTOCOL: TG_HTTPS, HEALTH: TG_HEALTH_CHECK } = RULES["target-groups"];
const { APPLIED } = RULES.exemptions;
const { WORLD: WORLD_INGRESS } = RULES["security-groups"];
const RULE_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1234567890abcdef/8899";

/** The tier with web-tg on HTTP (health check too), reached by three paths. */
function foreignStack() {
    const stack = webStack();
    const tg = find(stack, "web-tg");
    tg.props.protocol = "HTTP";
    tg.props.healthCheck = { protocol: "HTTP", path: "/healthz", port: "traffic-port" };
    const http = find(stack, "web-http");
    http.props.arn = RULE_ARN;
    http.props.defaultActions = [{ type: "forward", targetGroupArn: tg.props.arn }];
    http.deps = { ...http.deps, defaultActions: ["web-tg"] };
    const https = find(stack, "web-https");
    stack.push({
        type: "aws:lb/listenerRule:ListenerRule", name: "api",
        props: { listenerArn: https.props.arn, priority: 5, actions: [{ type: "forward", targetGroupArn: tg.props.arn }], conditions: [{ pathPattern: { values: ["/api/*"] } }] },
        deps: { listenerArn: ["web-https"], actions: ["web-tg"] },
    });
    return stack;
}

describe(`${PATH}: one finding per problem`, () => {
    const pack = usePackPerTest();

    it("reports each plaintext hop of a target group reached by three paths once, naming the three paths", async () => {
        const found = of(await pack().analyzeStack(toResources(foreignStack())), PATH).map((d) => d.message.slice(d.message.indexOf("\n") + 1));
        const problems = ['Listener "web-http" (aws:lb/listener:Listener): protocol is "HTTP"', 'TargetGroup "web-tg" (aws:lb/targetGroup:TargetGroup): protocol is "HTTP"',
            'TargetGroup "web-tg" (aws:lb/targetGroup:TargetGroup): healthCheck.protocol is "HTTP"'];
        for (const problem of problems) {
            assert.strictEqual(found.filter((m) => m.includes(problem)).length, 1, `${problem} once:\n${found.join("\n---\n")}`);
        }
        assert.strictEqual(found.length, problems.length, found.join("\n---\n"));
        const tg = found.find((m) => m.includes(problems[1]))!;
        for (const path of ['Listener "web-https" (HTTPS, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, mTLS verify) → TargetGroup "web-tg" (HTTP:8443, health check HTTP) ✗',
            'ListenerRule "api" (forward) → TargetGroup "web-tg"', 'Listener "web-http" (HTTP) → TargetGroup "web-tg"']) {
            assert.ok(tg.includes(path), `the target group's finding names the path ${path}:\n${tg}`);
        }
        assert.match(tg, /✗\nLoadBalancer .*✗\nLoadBalancer .*✗\nTargetGroup "web-tg"/, "three path lines, then the violation");
    });

    it("keeps a problem reached by one path in the single-path format", async () => {
        const stack = webStack();
        find(stack, "web-tg").props.protocol = "HTTP";
        const [message] = of(await pack().analyzeStack(toResources(stack)), PATH).map((d) => d.message.slice(d.message.indexOf("\n") + 1));
        assert.match(message, /^LoadBalancer "web-alb" → Listener "web-https" \([^)]*\) → TargetGroup "web-tg" \([^)]*\) ✗\nTargetGroup "web-tg" \(aws:lb\/targetGroup:TargetGroup\): protocol is "HTTP"/);
    });
});

describe("one finding per problem across the pack: resource rules and the path rule", () => {
    const pack = usePackPerTest();

    /** Every resource's Analyze, then AnalyzeStack, in one pack process: what a preview sends. */
    async function wholeRun(resources: ResourceInput[]): Promise<AnalyzeResult> {
        const diagnostics = [];
        for (const r of resources) diagnostics.push(...(await pack().analyze(r)).diagnostics);
        diagnostics.push(...(await pack().analyzeStack(resources)).diagnostics);
        return { diagnostics, notApplicable: [] };
    }
    const PROBLEMS = [
        { policy: HTTPS_ONLY, text: 'Listener "web-http" (aws:lb/listener:Listener): ' },
        { policy: TG_HTTPS, text: 'TargetGroup "web-tg" (aws:lb/targetGroup:TargetGroup): protocol is "HTTP"' },
        { policy: TG_HEALTH_CHECK, text: 'TargetGroup "web-tg" (aws:lb/targetGroup:TargetGroup): healthCheck.protocol is "HTTP"' },
    ];

    it("reports each of the three plaintext hops once, by the rule that owns it, and nothing more on the path", async () => {
        const { diagnostics } = await wholeRun(toResources(foreignStack()));
        for (const { policy, text } of PROBLEMS) {
            const about = diagnostics.filter((d) => d.message.includes(text));
            assert.deepStrictEqual(about.map((d) => d.policyName), [policy], `${text} once, by ${policy}:\n${about.map((d) => d.message).join("\n---\n")}`);
        }
        assert.deepStrictEqual(diagnostics.filter((d) => d.policyName === PATH).map((d) => d.message), []);
    });

    it("still reports a hop along the path when the rule that owns it is disabled", async () => {
        await pack().configure({ [TG_HTTPS]: { enforcementLevel: "disabled" } });
        const path = of(await wholeRun(toResources(foreignStack())), PATH);
        assert.strictEqual(path.length, 1, path.map((d) => d.message).join("\n---\n"));
        assert.ok(path[0].message.includes(PROBLEMS[1].text) && path[0].message.includes('TargetGroup "web-tg" (HTTP:8443, health check HTTP) ✗'), path[0].message);
    });

    it("reports each hop along the path as well with reportOwnedHops", async () => {
        await pack().configure({ [PATH]: { reportOwnedHops: true } });
        const path = of(await wholeRun(toResources(foreignStack())), PATH);
        assert.strictEqual(path.length, PROBLEMS.length, path.map((d) => d.message).join("\n---\n"));
    });

    it("does not raise again a hop whose owner's exemption suppressed it: the exemption is listed once", async () => {
        const resources = toResources(foreignStack());
        const tg = resources.find((r) => r.name === "web-tg")!;
        await pack().configure({ [TG_HTTPS]: { exemptions: [{ urn: tg.urn, reason: "TLS pass-through reviewed by platform team", expires: "2099-12-31" }] } });
        const result = await wholeRun(resources);
        assert.ok(!result.diagnostics.some((d) => d.policyName !== APPLIED && d.message.includes(PROBLEMS[1].text)), "not reported by any rule");
        assert.strictEqual(of(result, APPLIED).filter((d) => d.message.includes(PROBLEMS[1].text)).length, 1, "listed once as exempted");
    });

    it("leaves a backend-port source open to the internet to the world-ingress rule, and still reports a private range on the same rule", async () => {
        const stack = webStack();
        const rule = find(stack, "tier-from-alb");
        rule.type = "aws:ec2/securityGroupRule:SecurityGroupRule";
        rule.props = { type: "ingress", securityGroupId: rule.props.securityGroupId, protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["0.0.0.0/0", "10.0.0.0/8"] };
        rule.deps = { securityGroupId: ["tier-sg"] };
        const { diagnostics } = await wholeRun(toResources(stack));
        const world = diagnostics.filter((d) => d.message.includes("0.0.0.0/0"));
        assert.deepStrictEqual(world.map((d) => d.policyName), [WORLD_INGRESS], world.map((d) => d.message).join("\n---\n"));
        const path = diagnostics.filter((d) => d.policyName === PATH);
        assert.strictEqual(path.length, 1, path.map((d) => d.message).join("\n---\n"));
        assert.match(path[0].message, /cidrBlocks\[1\] is "10\.0\.0\.0\/8", which admits the backend port 8443/);
    });

    it("forgets a run's findings once its AnalyzeStack is over: the next run reports along the path again", async () => {
        const resources = toResources(foreignStack());
        await wholeRun(resources);
        assert.strictEqual(of(await pack().analyzeStack(resources), PATH).length, PROBLEMS.length);
    });
});
