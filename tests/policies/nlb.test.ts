/**
 * Network and Gateway Load Balancers: TLS listeners on the allow-list, TLS, QUIC and TCP_QUIC as
 * encrypted hops, TCP and UDP pass-through only by config, health check messages that say what
 * AWS does for NLB target groups, and GENEVE (Gateway Load Balancer) outside the mission.
 */
import * as assert from "assert";
import { assertPasses, assertViolation, CERT_ARN, GOOD_POLICY, httpsTargetGroup, of, resource, TG_ARN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { HTTPS_ONLY, ALLOWLIST, CERT } = RULES.listeners;
const { PROTOCOL, HEALTH } = RULES["target-groups"];
const { PATH } = RULES["stack-path"];

const NLB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/web/50dc6c495c0c9188";
const GWLB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/gwy/inspect/50dc6c495c0c9188";
const LISTENER = "aws:lb/listener:Listener";

const nlbListener = (props: Record<string, any>) => resource(LISTENER, "edge", {
    loadBalancerArn: NLB_ARN, port: 443, defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }], ...props,
});

describe("Network and Gateway Load Balancers", () => {
    const pack = usePackPerTest();

    describe("listeners", () => {
        it("accepts a TLS listener on an allow-listed policy with a certificate", async () => {
            const result = await pack().analyze(nlbListener({ protocol: "TLS", sslPolicy: GOOD_POLICY, certificateArn: CERT_ARN }));
            for (const p of [HTTPS_ONLY, ALLOWLIST, CERT]) assertPasses(result, p);
        });

        it("refuses a TLS listener without a policy, as AWS then uses ELBSecurityPolicy-2016-08 on NLB too", async () => {
            assertViolation(await pack().analyze(nlbListener({ protocol: "TLS", certificateArn: CERT_ARN })), ALLOWLIST, "mandatory", "sslPolicy is not set", "ELBSecurityPolicy-2016-08 (TLS 1.0)");
        });

        for (const protocol of ["QUIC", "TCP_QUIC"]) {
            it(`accepts a ${protocol} listener, whose TLS 1.3 the targets terminate, without asking for a certificate or policy`, async () => {
                const result = await pack().analyze(nlbListener({ protocol }));
                for (const p of [HTTPS_ONLY, ALLOWLIST, CERT]) assertPasses(result, p);
            });
        }

        it("refuses TCP and UDP listeners unless their pass-through is allowed, TCP_UDP needing both", async () => {
            assertViolation(await pack().analyze(nlbListener({ protocol: "TCP" })), HTTPS_ONLY, "mandatory", 'protocol is "TCP"', "allowTcpPassthrough");
            assertViolation(await pack().analyze(nlbListener({ protocol: "UDP" })), HTTPS_ONLY, "mandatory", 'protocol is "UDP"', "allowUdpPassthrough");
            await pack().configure({ [HTTPS_ONLY]: { allowUdpPassthrough: true } });
            assertPasses(await pack().analyze(nlbListener({ protocol: "UDP" })), HTTPS_ONLY);
            assertViolation(await pack().analyze(nlbListener({ protocol: "TCP_UDP" })), HTTPS_ONLY, "mandatory", 'protocol is "TCP_UDP"', "allowTcpPassthrough and allowUdpPassthrough");
            await pack().configure({ [HTTPS_ONLY]: { allowUdpPassthrough: true, allowTcpPassthrough: true } });
            assertPasses(await pack().analyze(nlbListener({ protocol: "TCP_UDP" })), HTTPS_ONLY);
        });

        it("does not read a Gateway Load Balancer listener's missing protocol as HTTP", async () => {
            const byPort = resource(LISTENER, "inspect", { loadBalancerArn: "arn:unknown-yet", defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] });
            const byArn = resource(LISTENER, "inspect", { loadBalancerArn: GWLB_ARN, port: 6081, defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] });
            for (const l of [byPort, byArn]) {
                const result = await pack().analyze(l);
                for (const p of [HTTPS_ONLY, ALLOWLIST, CERT]) assertPasses(result, p);
            }
        });

        it("still reads a missing protocol as HTTP on a listener with a port", async () => {
            assertViolation(await pack().analyze(nlbListener({ loadBalancerArn: "arn:unknown-yet", port: 80 })), HTTPS_ONLY, "mandatory", "defaultActions[0].type is \"forward\"");
        });
    });

    describe("target groups", () => {
        for (const protocol of ["TLS", "QUIC", "TCP_QUIC"]) {
            it(`accepts a ${protocol} target group with AWS's TCP health check`, async () => {
                const result = await pack().analyze(httpsTargetGroup({ protocol, healthCheck: undefined }));
                assertPasses(result, PROTOCOL);
                assertPasses(result, HEALTH);
            });
        }

        it("refuses UDP unless allowed, and says the provider, not AWS, sends HTTP for a block without protocol", async () => {
            assertViolation(await pack().analyze(httpsTargetGroup({ protocol: "UDP", healthCheck: undefined })), PROTOCOL, "mandatory", 'protocol is "UDP"');
            const d = assertViolation(await pack().analyze(httpsTargetGroup({ protocol: "TLS", healthCheck: { port: "traffic-port" } })), HEALTH, "mandatory",
                "AWS's own default for a TLS target group without a block is TCP", 'or "TCP" (a connect-only check');
            assert.ok(!d.message.includes("the default for Application Load Balancers"), d.message);
            await pack().configure({ [PROTOCOL]: { allowUdpPassthrough: true } });
            assertPasses(await pack().analyze(httpsTargetGroup({ protocol: "UDP", healthCheck: undefined })), PROTOCOL);
        });

        it("leaves GENEVE target groups of a Gateway Load Balancer alone", async () => {
            const result = await pack().analyze(httpsTargetGroup({ protocol: "GENEVE", port: 6081, healthCheck: { protocol: "HTTP", port: "80" } }));
            assertPasses(result, PROTOCOL);
            assertPasses(result, HEALTH);
        });
    });

    describe(PATH, () => {
        const stack = (listener: Record<string, any>, tg: Record<string, any>) => [
            resource("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network", arn: NLB_ARN, subnets: ["subnet-a"] }),
            resource(LISTENER, "edge", { loadBalancerArn: NLB_ARN, port: 443, defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }], ...listener }),
            resource("aws:lb/targetGroup:TargetGroup", "web-tg", { arn: TG_ARN, port: 8443, targetType: "instance", vpcId: "vpc-0abc", ...tg }),
        ];

        it("accepts a QUIC path end to end", async () => {
            assert.deepStrictEqual(of(await pack().analyzeStack(stack({ protocol: "QUIC" }, { protocol: "QUIC" })), PATH).map((d) => d.message), []);
        });

        it("reports a UDP hop as plaintext, and an NLB health check block without protocol with AWS's TCP default named", async () => {
            const result = await pack().analyzeStack(stack({ protocol: "TLS", sslPolicy: GOOD_POLICY, certificateArn: CERT_ARN }, { protocol: "UDP", healthCheck: { port: "traffic-port" } }));
            const messages = of(result, PATH).map((d) => d.message);
            assert.ok(messages.some((m) => m.includes('protocol is "UDP"')), messages.join("\n"));
            assert.ok(messages.some((m) => m.includes("AWS's own default for a UDP target group is TCP") && !m.includes("(the ALB default)")), messages.join("\n"));
        });
    });
});
