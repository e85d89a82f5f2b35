/**
 * The path rule across token families and stacks: an aws-native stack walked like an aws:lb one,
 * and listener rules on a listener of another stack still followed to this stack's target groups.
 */
import * as assert from "assert";
import { CERT_ARN, GOOD_POLICY, of, resource, TG_ARN, TRUST_STORE_ARN, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { PATH } = RULES["stack-path"];
const { EXTERNAL } = RULES["external-targets"];
const N = (type: string) => `aws-native:elasticloadbalancingv2:${type}`;
const LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
const LISTENER_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";

function nativeStack(tg: Record<string, any>) {
    return [
        resource(N("LoadBalancer"), "web-alb", { type: "application", loadBalancerArn: LB_ARN, securityGroups: ["sg-0alb"], subnets: ["subnet-a", "subnet-b"] }),
        resource(N("Listener"), "web-https", {
            loadBalancerArn: LB_ARN, listenerArn: LISTENER_ARN, port: 443, protocol: "HTTPS", sslPolicy: GOOD_POLICY, certificates: [{ certificateArn: CERT_ARN }],
            mutualAuthentication: { mode: "verify", trustStoreArn: TRUST_STORE_ARN },
            defaultActions: [{ type: "forward", forwardConfig: { targetGroups: [{ targetGroupArn: TG_ARN, weight: 1 }] } }],
        }),
        resource(N("TrustStore"), "clients", { trustStoreArn: TRUST_STORE_ARN, caCertificatesBundleS3Bucket: "b", caCertificatesBundleS3Key: "k" }),
        resource(N("TargetGroup"), "web-tg", { targetGroupArn: TG_ARN, port: 8443, targetType: "instance", vpcId: "vpc-0abc", healthCheckProtocol: "HTTPS", ...tg }),
    ];
}

describe(`${PATH} across token families and stacks`, () => {
    const pack = usePackPerTest();
    const messages = async (resources: ReturnType<typeof nativeStack>) => of(await pack().analyzeStack(resources), PATH).map((d) => d.message);

    it("accepts a compliant aws-native stack, forwarding through forwardConfig", async () => {
        assert.deepStrictEqual(await messages(nativeStack({ protocol: "HTTPS" })), []);
    });

    it("explains an HTTP target group of an aws-native stack as a path, naming the resource's own token and property", async () => {
        const found = await messages(nativeStack({ protocol: "HTTP", healthCheckProtocol: undefined }));
        assert.ok(found.some((m) => m.includes('LoadBalancer "web-alb" → Listener "web-https" (HTTPS, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, mTLS verify) → TargetGroup "web-tg" (HTTP:8443, health check HTTP) ✗') &&
            m.includes(`TargetGroup "web-tg" (${N("TargetGroup")}): protocol is "HTTP"`)), found.join("\n\n"));
        assert.ok(found.some((m) => m.includes(`(${N("TargetGroup")}): healthCheckProtocol is not set`)), found.join("\n\n"));
    });

    it("follows an aws-native Auto Scaling group and launch template to a security group open to the world on the backend port", async () => {
        const tier = [
            resource("aws-native:autoscaling:AutoScalingGroup", "web-asg", { targetGroupArns: [TG_ARN], launchTemplate: { launchTemplateId: "lt-0web", version: "1" }, minSize: "1", maxSize: "2" }),
            resource("aws-native:ec2:LaunchTemplate", "web-lt", { launchTemplateId: "lt-0web", launchTemplateData: { securityGroupIds: ["sg-0web"], metadataOptions: { httpTokens: "required" } } }),
            resource("aws-native:ec2:SecurityGroup", "web-sg", { groupId: "sg-0web", groupDescription: "web", securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 8443, toPort: 8443, cidrIp: "0.0.0.0/0" }] }),
        ];
        const found = await messages([...nativeStack({ protocol: "HTTPS" }), ...tier]);
        assert.ok(found.some((m) => m.includes('→ AutoScalingGroup "web-asg" → LaunchTemplate "web-lt" → SecurityGroup "web-sg" ✗') &&
            m.includes('(aws-native:ec2:SecurityGroup): securityGroupIngress[0].cidrIp is "0.0.0.0/0", which admits the backend port 8443')), found.join("\n\n"));
    });

    for (const token of ["aws:lb/listenerRule:ListenerRule", N("ListenerRule")]) {
        it(`follows a listener rule on another stack's listener to an HTTP target group of this stack (${token})`, async () => {
            const native = token.startsWith("aws-native");
            const rule = resource(token, "api", {
                listenerArn: LISTENER_ARN, priority: 10, conditions: [],
                actions: [{ type: "forward", targetGroupArn: TG_ARN }],
            });
            const tg = native
                ? resource(N("TargetGroup"), "api-tg", { targetGroupArn: TG_ARN, protocol: "HTTP", port: 8080, targetType: "ip", vpcId: "vpc-0abc", healthCheckProtocol: "HTTPS" })
                : resource("aws:lb/targetGroup:TargetGroup", "api-tg", { arn: TG_ARN, protocol: "HTTP", port: 8080, targetType: "ip", vpcId: "vpc-0abc", healthCheck: { protocol: "HTTPS" } });
            const found = await messages([rule, tg]);
            assert.ok(found.some((m) => m.includes('\nListenerRule "api" (forward) → TargetGroup "api-tg" (HTTP:8080') && m.includes('protocol is "HTTP"')), found.join("\n\n"));
        });
    }

    describe(EXTERNAL, () => {
        const OTHER_TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other/73e2d6bc24d8a067";
        const rule = (value: unknown) => resource("aws:lb/listenerRule:ListenerRule", "api", { listenerArn: LISTENER_ARN, priority: 10, actions: [{ type: "forward", targetGroupArn: value }] });

        it("says, as advice, that a known target group ARN of another stack cannot be judged", async () => {
            const found = of(await pack().analyzeStack([rule(OTHER_TG)]), EXTERNAL);
            assert.strictEqual(found.length, 1, JSON.stringify(found));
            assert.strictEqual(found[0].enforcementLevel, "advisory");
            assert.ok(found[0].message.includes(`ListenerRule "api" (aws:lb/listenerRule:ListenerRule): actions[0].targetGroupArn is "${OTHER_TG}", which names a target group outside this stack`), found[0].message);
        });

        it("reports nothing for a target group of this stack, an unknown ARN or a reviewed ARN", async () => {
            assert.deepStrictEqual(of(await pack().analyzeStack(nativeStack({ protocol: "HTTPS" })), EXTERNAL), []);
            assert.deepStrictEqual(of(await pack().analyzeStack([rule(UNKNOWN)]), EXTERNAL), []);
            await pack().configure({ [EXTERNAL]: { reviewedTargetGroupArns: [OTHER_TG] } });
            assert.deepStrictEqual(of(await pack().analyzeStack([rule(OTHER_TG)]), EXTERNAL), []);
        });
    });
});
