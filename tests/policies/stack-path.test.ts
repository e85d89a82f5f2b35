import * as assert from "assert";
import { assertViolation, FAMILIES, of, UNKNOWN, usePackPerTest } from "./fixtures";
import { asPreview, Compute, find, toResources, webStack } from "./fixtures-stack";
import { RULES } from "./names";

const { PATH } = RULES["stack-path"];

const COMPUTES: Compute[] = ["asg", "ecs", "instance"];

describe(PATH, () => {
    const pack = usePackPerTest();

    const analyze = async (stack: ReturnType<typeof webStack>) => pack().analyzeStack(toResources(stack));

    for (const family of FAMILIES) {
        for (const compute of COMPUTES) {
            it(`accepts the compliant tier (aws:${family}, ${compute})`, async () => {
                assert.deepStrictEqual(of(await analyze(webStack({ family, compute })), PATH).map((d) => d.message), []);
            });

            it(`accepts the compliant tier in preview, linked only through propertyDependencies (aws:${family}, ${compute})`, async () => {
                assert.deepStrictEqual(of(await analyze(asPreview(webStack({ family, compute }))), PATH).map((d) => d.message), []);
            });
        }

        it(`explains an HTTP target group as a path (aws:${family})`, async () => {
            const stack = webStack({ family });
            find(stack, "web-tg").props.protocol = "HTTP";
            assertViolation(await analyze(stack), PATH, "mandatory",
                'LoadBalancer "web-alb" → Listener "web-https" (HTTPS, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, mTLS verify) → TargetGroup "web-tg" (HTTP:8443, health check HTTPS) ✗',
                `TargetGroup "web-tg" (aws:${family}/targetGroup:TargetGroup): protocol is "HTTP"`, "in plaintext", 'set protocol to "HTTPS"');
        });
    }

    it("follows the path in preview through propertyDependencies and reports a known HTTP target group", async () => {
        const stack = webStack({ compute: "ecs" });
        find(stack, "web-tg").props.protocol = "HTTP";
        assertViolation(await analyze(asPreview(stack)), PATH, "mandatory", 'Listener "web-https" (HTTPS, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, mTLS verify) → TargetGroup "web-tg" (HTTP:8443', 'protocol is "HTTP"');
    });

    it("reports a plaintext health check on the path", async () => {
        const stack = webStack();
        find(stack, "web-tg").props.healthCheck = { path: "/healthz" };
        assertViolation(await analyze(stack), PATH, "mandatory", "health check HTTP) ✗\n", "healthCheck.protocol is not set");
    });

    it("reports an HTTP listener that forwards instead of redirecting", async () => {
        const stack = webStack();
        find(stack, "web-http").props.defaultActions = [{ type: "forward", targetGroupArn: find(stack, "web-tg").props.arn }];
        find(stack, "web-http").deps = { loadBalancerArn: ["web-alb"], defaultActions: ["web-tg"] };
        assertViolation(await analyze(stack), PATH, "mandatory", 'Listener "web-http" (HTTP) → TargetGroup "web-tg"', 'protocol is "HTTP"', "serve HTTPS on the listener");
    });

    it("reports a listener rule that forwards on an HTTP listener", async () => {
        const stack = webStack();
        const http = find(stack, "web-http");
        http.props.arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1234567890abcdef/8899";
        stack.push({
            type: "aws:alb/listenerRule:ListenerRule", name: "api-plain",
            props: { listenerArn: http.props.arn, priority: 5, actions: [{ type: "forward", targetGroupArn: find(stack, "web-tg").props.arn }], conditions: [{ pathPattern: { values: ["/api/*"] } }] },
            deps: { listenerArn: ["web-http"], actions: ["web-tg"] },
        });
        assertViolation(await analyze(stack), PATH, "mandatory", 'Listener "web-http" (HTTP) → ListenerRule "api-plain" (forward) → TargetGroup "web-tg"',
            'ListenerRule "api-plain" (aws:alb/listenerRule:ListenerRule): actions[0].type is "forward"', "from an HTTP listener");
    });

    for (const compute of COMPUTES) {
        it(`reports a target security group that admits the backend port from anywhere (${compute})`, async () => {
            const stack = webStack({ compute });
            stack.push({
                type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "tier-open",
                props: { securityGroupId: find(stack, "tier-sg").props.id, ipProtocol: "tcp", fromPort: 8000, toPort: 9000, cidrIpv4: "0.0.0.0/0" },
                deps: { securityGroupId: ["tier-sg"] },
            });
            assertViolation(await analyze(stack), PATH, "mandatory", 'SecurityGroup "tier-sg" ✗\nSecurityGroupIngressRule "tier-open"', 'SecurityGroupIngressRule "tier-open"',
                'cidrIpv4 is "0.0.0.0/0"', "admits the backend port 8443", 'outside the load balancer\'s security group (SecurityGroup "alb-sg")');
        });
    }

    it("reports inline ingress blocks and classic security group rules, including all-protocol rules", async () => {
        const stack = webStack({ compute: "ecs" });
        find(stack, "tier-sg").props.ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }];
        stack.push({
            type: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "tier-from-bastion",
            props: { type: "ingress", securityGroupId: find(stack, "tier-sg").props.id, protocol: "tcp", fromPort: 8443, toPort: 8443, sourceSecurityGroupId: "sg-0bastion" },
            deps: { securityGroupId: ["tier-sg"] },
        });
        const result = await analyze(stack);
        const messages = of(result, PATH).map((d) => d.message);
        assert.strictEqual(messages.length, 2, messages.join("\n"));
        assert.ok(messages.some((m) => m.includes('ingress[0].cidrBlocks[0] is "10.0.0.0/16"')), messages.join("\n"));
        assert.ok(messages.some((m) => m.includes('SecurityGroupRule "tier-from-bastion"') && m.includes('sourceSecurityGroupId is "sg-0bastion"')), messages.join("\n"));
    });

    it("ignores rules for other ports and protocols", async () => {
        const stack = webStack();
        stack.push({
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "tier-ssh",
            props: { securityGroupId: find(stack, "tier-sg").props.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8" },
            deps: { securityGroupId: ["tier-sg"] },
        }, {
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "tier-udp",
            props: { securityGroupId: find(stack, "tier-sg").props.id, ipProtocol: "udp", fromPort: 8443, toPort: 8443, cidrIpv4: "10.0.0.0/8" },
            deps: { securityGroupId: ["tier-sg"] },
        });
        assert.deepStrictEqual(of(await analyze(stack), PATH), []);
    });

    it("accepts configured source CIDRs and self references", async () => {
        const stack = webStack();
        find(stack, "tier-sg").props.ingress = [{ protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["10.0.0.0/16"], self: true }];
        assert.strictEqual(of(await analyze(stack), PATH).length, 2);
        await pack().configure({ [PATH]: { allowedSourceCidrs: ["10.0.0.0/16"], allowSelfReference: true } });
        assert.deepStrictEqual(of(await analyze(stack), PATH), []);
    });

    it("still reports a known open rule in preview when its security group id is unknown", async () => {
        const stack = webStack();
        stack.push({
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "tier-open",
            props: { securityGroupId: "sg-placeholder", ipProtocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv4: "0.0.0.0/0" },
            deps: { securityGroupId: ["tier-sg"] },
        });
        assertViolation(await analyze(asPreview(stack).map((r) => r.name === "tier-open" ? { ...r, props: { ...r.props, securityGroupId: UNKNOWN } } : r)),
            PATH, "mandatory", 'cidrIpv4 is "0.0.0.0/0"');
    });

    it("reports a verify-mode listener whose trust store is not in the stack, unless allowed by config", async () => {
        const stack = webStack().filter((r) => r.name !== "clients");
        find(stack, "web-https").deps = { loadBalancerArn: ["web-alb"], defaultActions: ["web-tg"] };
        assertViolation(await analyze(stack), PATH, "mandatory", "mutualAuthentication.trustStoreArn is \"arn:aws:elasticloadbalancing:", "not managed in this stack");
        await pack().configure({ [PATH]: { allowExternalTrustStores: true } });
        assert.deepStrictEqual(of(await analyze(stack), PATH), []);
    });

    it("reports a verify-mode listener whose unknown trust store ARN links to no trust store", async () => {
        const stack = asPreview(webStack());
        find(stack, "web-https").deps = { loadBalancerArn: ["web-alb"], defaultActions: ["web-tg"] };
        assertViolation(await analyze(stack), PATH, "mandatory", "mutualAuthentication.trustStoreArn is unknown until apply", "nothing links it");
    });

    it("reports FIPS and non-FIPS policies mixed on one load balancer", async () => {
        const stack = webStack();
        stack.push({
            type: "aws:lb/listener:Listener", name: "admin-https",
            props: { loadBalancerArn: find(stack, "web-alb").props.arn, port: 8443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", certificateArn: "arn:cert", defaultActions: [] },
            deps: { loadBalancerArn: ["web-alb"] },
        });
        assertViolation(await analyze(stack), PATH, "mandatory", 'Listener "web-https"', "is not FIPS", 'Listener "admin-https"');
    });

    it("can be lowered to advisory by config", async () => {
        await pack().configure({ [PATH]: "advisory" });
        const stack = webStack();
        find(stack, "web-tg").props.protocol = "HTTP";
        assertViolation(await analyze(stack), PATH, "advisory", 'protocol is "HTTP"');
    });
});
