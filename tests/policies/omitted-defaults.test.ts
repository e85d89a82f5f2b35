/**
 * An omitted property is not an unknown one: where the provider or AWS applies a default, the
 * pack judges the default (policies/shared/aws-defaults.ts), and only a value unknown in preview
 * is skipped. The other omissions judged this way are tested with their rules (CloudFront origin
 * settings in cloudfront-origins.test.ts, the controller's health check in kubernetes-classes.test.ts,
 * ACM's key algorithm in acm-certificates.test.ts).
 */
import * as assert from "assert";
import { listenerProtocolOf } from "../../policies/shared/aws-defaults";
import { ALB_ARN, assertPasses, assertViolation, CERT_ARN, resource, TG_ARN, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { HTTPS_ONLY } = RULES.listeners;
const { DEFAULT_POLICY } = RULES["classic-elb"];
const LISTENERS = ["aws:lb/listener:Listener", "aws:alb/listener:Listener", "aws:elasticloadbalancingv2/listener:Listener", "aws:applicationloadbalancing/listener:Listener"];
const GWLB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/gwy/appliances/50dc6c495c0c9188";

describe("omitted properties judged by the default AWS or the provider applies", () => {
    const pack = usePackPerTest();

    it("reads a listener without protocol on a known ALB ARN as HTTP, with or without a port, as the provider sends it", () => {
        assert.strictEqual(listenerProtocolOf({ loadBalancerArn: ALB_ARN }), "HTTP");
        assert.strictEqual(listenerProtocolOf({ loadBalancerArn: ALB_ARN, port: 80 }), "HTTP");
        assert.strictEqual(listenerProtocolOf({ loadBalancerArn: GWLB_ARN }), "GENEVE");
        assert.strictEqual(listenerProtocolOf({ loadBalancerArn: UNKNOWN }), "GENEVE");
    });

    for (const token of LISTENERS) {
        it(`refuses a listener with neither protocol nor port on an ALB, which the provider creates as HTTP, and accepts it as HTTPS (${token})`, async () => {
            const listener = (props: Record<string, unknown>) => resource(token, "web", { loadBalancerArn: ALB_ARN, defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }], ...props });
            assertViolation(await pack().analyze(listener({})), HTTPS_ONLY, "mandatory", "defaultActions[0].type is \"forward\"", "forwards plaintext HTTP");
            assertPasses(await pack().analyze(listener({ protocol: "HTTPS", port: 443, certificateArn: CERT_ARN })), HTTPS_ONLY);
        });
    }

    describe("a Classic Load Balancer listener whose attached policy names define no SSL negotiation policy", () => {
        const lb = resource("aws:elb/loadBalancer:LoadBalancer", "web-elb", {
            name: "web-elb", listeners: [{ lbProtocol: "HTTPS", lbPort: 443, instanceProtocol: "HTTPS", instancePort: 8443, sslCertificateId: CERT_ARN }],
        });
        const policy = (type: string, name: string) => resource("aws:elb/loadBalancerPolicy:LoadBalancerPolicy", name, { loadBalancerName: "web-elb", policyName: name, policyTypeName: type });
        const attach = (names: string[]) => resource("aws:elb/listenerPolicy:ListenerPolicy", "web-443", { loadBalancerName: "web-elb", loadBalancerPort: 443, policyNames: names });

        it("refuses a stickiness policy alone on the port, which leaves AWS's ELBSecurityPolicy-2016-08, and accepts it next to a negotiation policy", async () => {
            const sticky = policy("LBCookieStickinessPolicyType", "sticky");
            assertViolation(await pack().analyzeStack([lb, sticky, attach(["sticky"])]), DEFAULT_POLICY, "mandatory", "AWS applies ELBSecurityPolicy-2016-08");
            assertPasses(await pack().analyzeStack([lb, sticky, policy("SSLNegotiationPolicyType", "tls"), attach(["sticky", "tls"])]), DEFAULT_POLICY);
            assertPasses(await pack().analyzeStack([lb, sticky, attach(["sticky", "ELBSecurityPolicy-TLS-1-2-2017-01"])]), DEFAULT_POLICY);
        });

        it("refuses an aws-native listener naming only a stickiness policy, and accepts one naming its negotiation policy", async () => {
            const native = (names: string[]) => resource("aws-native:elasticloadbalancing:LoadBalancer", "web-elb", {
                listeners: [{ protocol: "HTTPS", loadBalancerPort: 443, instanceProtocol: "HTTPS", instancePort: 8443, policyNames: names }],
                policies: [{ policyName: "sticky", policyType: "LBCookieStickinessPolicyType", attributes: [] }, { policyName: "tls", policyType: "SSLNegotiationPolicyType", attributes: [] }],
            });
            assertViolation(await pack().analyzeStack([native(["sticky"])]), DEFAULT_POLICY, "mandatory", "listeners[0].policyNames is [\"sticky\"]");
            assertPasses(await pack().analyzeStack([native(["sticky", "tls"])]), DEFAULT_POLICY);
        });
    });
});
