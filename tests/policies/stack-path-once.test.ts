/**
 * One finding per problem: a foreign stack whose one plaintext target group is reached by three
 * paths (the HTTPS listener's default action, a listener rule on it, and an HTTP listener that
 * forwards) has three problems on the path: the listener that forwards plaintext, the target
 * group's protocol, its health check. The path rule reports each once, naming every path that
 * reaches it, instead of once per path.
 */
import * as assert from "assert";
import { of, usePackPerTest } from "./fixtures";
import { find, toResources, webStack } from "./fixtures-stack";
import { RULES } from "./names";

const { PATH } = RULES["stack-path"];
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
