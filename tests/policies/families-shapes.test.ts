/** The family table and the adapter themselves: which tokens a shape covers, and how paths and properties read. */
import * as assert from "assert";
import { adaptProps, ownPath, UNKNOWN } from "../../policies/framework";
import { ELBV2, isType, lbKindOf, NATIVE, shapeOf, TOKENS, tokensOfShapes } from "../../policies/shared/tokens";

describe("the token family table and the shape adapter", () => {
    it("covers every family of a kind from any one of its tokens", () => {
        const tokens = tokensOfShapes([ELBV2.lb.listener]);
        for (const t of [ELBV2.alb.listener, ELBV2.elasticloadbalancingv2.listener, ELBV2.applicationloadbalancing.listener, NATIVE.listener]) {
            assert.ok(tokens.includes(t), `${t} in ${tokens.join(", ")}`);
        }
        assert.ok(!tokens.includes(ELBV2.lb.targetGroup));
        assert.deepStrictEqual(tokensOfShapes([TOKENS.kmsKey]).sort(), [TOKENS.kmsKey, NATIVE.kmsKey].sort());
    });

    it("gives aws-native tokens their ELBv2 kind and their shape", () => {
        assert.strictEqual(lbKindOf(NATIVE.targetGroup), "targetGroup");
        assert.ok(isType(NATIVE.listenerRule, "listenerRule"));
        assert.strictEqual(shapeOf(NATIVE.securityGroupIngress), TOKENS.securityGroupIngressRule);
        assert.strictEqual(shapeOf(TOKENS.vpc), TOKENS.vpc);
    });

    it("writes shape paths back in the resource's own names", () => {
        assert.strictEqual(ownPath(NATIVE.listener, "certificateArn"), "certificates[0].certificateArn");
        assert.strictEqual(ownPath(NATIVE.listener, "defaultActions[1].forward.targetGroups[0].arn"), "defaultActions[1].forwardConfig.targetGroups[0].targetGroupArn");
        assert.strictEqual(ownPath(NATIVE.targetGroup, "healthCheck.protocol"), "healthCheckProtocol");
        assert.strictEqual(ownPath(NATIVE.launchTemplate, "metadataOptions.httpTokens"), "launchTemplateData.metadataOptions.httpTokens");
        assert.strictEqual(ownPath(NATIVE.securityGroup, "ingress[2].cidrBlocks[0]"), "securityGroupIngress[2].cidrIp");
        assert.strictEqual(ownPath(ELBV2.lb.listener, "certificateArn"), "certificateArn");
    });

    it("keeps unknown values unknown and leaves other families' properties as they are", () => {
        assert.strictEqual(adaptProps(NATIVE.listener, { certificates: UNKNOWN }).certificateArn, UNKNOWN);
        assert.strictEqual(adaptProps(NATIVE.loadBalancer, { loadBalancerAttributes: UNKNOWN }).dropInvalidHeaderFields, UNKNOWN);
        assert.strictEqual(adaptProps(NATIVE.loadBalancer, { loadBalancerAttributes: [UNKNOWN] }).dropInvalidHeaderFields, UNKNOWN);
        assert.strictEqual(adaptProps(NATIVE.targetGroup, { healthCheckProtocol: UNKNOWN }).healthCheck, UNKNOWN);
        assert.strictEqual(adaptProps(NATIVE.launchTemplate, { launchTemplateData: UNKNOWN }).metadataOptions, UNKNOWN);
        const props = { protocol: "HTTPS" };
        assert.strictEqual(adaptProps(ELBV2.lb.listener, props), props);
    });

    it("reads ECS awsvpcConfiguration and task definition arrays in the aws:ecs shapes", () => {
        const svc = adaptProps(NATIVE.ecsService, { networkConfiguration: { awsvpcConfiguration: { assignPublicIp: "ENABLED", securityGroups: ["sg-1"] } } });
        assert.deepStrictEqual(svc.networkConfiguration, { assignPublicIp: true, securityGroups: ["sg-1"] });
        assert.strictEqual(adaptProps(NATIVE.ecsTaskDefinition, { containerDefinitions: [{ name: "web" }] }).containerDefinitions, '[{"name":"web"}]');
    });
});
