import * as assert from "assert";
import { isWorldCidr, portsBeyond, securityGroupWorldIngressWebPortsOnly } from "../../policies/rules/security-groups";
import { assertPasses, assertViolation, of, resource, UNKNOWN, usePackPerTest, validateUnconfigured } from "./fixtures";
import { RULES } from "./names";

const { WORLD } = RULES["security-groups"];

const SG = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

const web = (port: number, cidr = "0.0.0.0/0") => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [cidr] });

/** The load balancer's security group as the program should write it. */
function albGroup(ingress: object[] = [web(80), web(443), { protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/0"] }]) {
    return resource(SG, "alb", { vpcId: "vpc-0abc", ingress, egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
}

function ingressRule(props: Record<string, any>) {
    return resource(INGRESS_RULE, "alb-in", { securityGroupId: "sg-0alb", ...props });
}

describe("security group policies", () => {
    const pack = usePackPerTest();

    describe("helpers", () => {
        it("treats any /0 range as the whole internet", () => {
            for (const cidr of ["0.0.0.0/0", "::/0", "0:0:0:0:0:0:0:0/0", " 0.0.0.0/0 "]) {
                assert.ok(isWorldCidr(cidr), cidr);
            }
            for (const cidr of ["10.0.0.0/8", "0.0.0.0/1", "::/1", UNKNOWN]) {
                assert.ok(!isWorldCidr(cidr), cidr);
            }
        });

        it("lists the ports of a range beyond the allowed ones", () => {
            assert.deepStrictEqual(portsBeyond(0, 65535, [80, 443]), ["0-79", "81-442", "444-65535"]);
            assert.deepStrictEqual(portsBeyond(80, 443, [80, 443]), ["81-442"]);
            assert.deepStrictEqual(portsBeyond(443, 443, [80, 443]), []);
            assert.deepStrictEqual(portsBeyond(442, 444, [443]), ["442", "444"]);
        });
    });

    describe(WORLD, () => {
        it("accepts 80 and 443 from the world over IPv4 and IPv6, anything from a security group, and all egress", async () => {
            assertPasses(await pack().analyze(albGroup()), WORLD);
            const tier = resource(SG, "tier", { ingress: [{ protocol: "tcp", fromPort: 8443, toPort: 8443, securityGroups: ["sg-0alb"] }] });
            assertPasses(await pack().analyze(tier), WORLD);
        });

        it("refuses SSH from the world in an inline rule, naming the rule and the fix", async () => {
            const result = await pack().analyze(albGroup([web(443), web(22)]));
            assertViolation(result, WORLD, "mandatory",
                'SecurityGroup "alb" (aws:ec2/securityGroup:SecurityGroup): ingress[1] is {"protocol":"tcp","fromPort":22,"toPort":22,"cidrBlocks[0]":"0.0.0.0/0"}',
                "which opens TCP port 22 to the whole internet (0.0.0.0/0)", "Fix: open only TCP 80, 443 to a /0 range");
        });

        it("refuses the backend port opened to ::/0", async () => {
            const result = await pack().analyze(albGroup([{ protocol: "6", fromPort: 8443, toPort: 8443, ipv6CidrBlocks: ["::/0"] }]));
            assertViolation(result, WORLD, "mandatory", "opens TCP port 8443 to the whole internet (::/0)");
        });

        it("refuses a range that spans the web ports", async () => {
            const result = await pack().analyze(albGroup([{ protocol: "tcp", fromPort: 80, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }]));
            assertViolation(result, WORLD, "mandatory", "opens TCP ports 81-442 to the whole internet");
        });

        for (const protocol of ["-1", "all"]) {
            it(`refuses protocol "${protocol}" from the world whatever the ports say`, async () => {
                const result = await pack().analyze(albGroup([{ protocol, fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }]));
                assertViolation(result, WORLD, "mandatory", "opens every protocol and port to the whole internet");
            });
        }

        for (const protocol of ["udp", "icmp", "50"]) {
            it(`refuses protocol "${protocol}" from the world even on a web port`, async () => {
                const result = await pack().analyze(albGroup([{ protocol, fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }]));
                assertViolation(result, WORLD, "mandatory", `opens every port of protocol "${protocol}" to the whole internet`);
            });
        }

        it("refuses ingress in a SecurityGroupRule and ignores egress ones", async () => {
            const rule = (type: string) => resource(SG_RULE, "alb-ssh", { type, securityGroupId: "sg-0alb", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] });
            assertViolation(await pack().analyze(rule("ingress")), WORLD, "mandatory",
                'SecurityGroupRule "alb-ssh" (aws:ec2/securityGroupRule:SecurityGroupRule): the rule is', '"cidrBlocks[1]":"0.0.0.0/0"', "opens TCP port 22");
            assertPasses(await pack().analyze(rule("egress")), WORLD);
        });

        it("refuses a SecurityGroupIngressRule open to the world on all protocols or on a wide range", async () => {
            assertViolation(await pack().analyze(ingressRule({ ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" })), WORLD, "mandatory",
                'SecurityGroupIngressRule "alb-in" (aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule): the rule is {"ipProtocol":"-1","cidrIpv4":"0.0.0.0/0"}',
                "opens every protocol and port");
            assertViolation(await pack().analyze(ingressRule({ ipProtocol: "tcp", fromPort: 0, toPort: 65535, cidrIpv6: "::/0" })), WORLD, "mandatory",
                "opens TCP ports 0-79, 81-442, 444-65535 to the whole internet (::/0)");
            assertPasses(await pack().analyze(ingressRule({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" })), WORLD);
        });

        it("reads a TCP rule without ports as the full range", async () => {
            const result = await pack().analyze(ingressRule({ ipProtocol: "tcp", cidrIpv4: "0.0.0.0/0" }));
            assertViolation(result, WORLD, "mandatory", "opens TCP ports 0-79, 81-442, 444-65535");
        });

        it("covers the default security group", async () => {
            const result = await pack().analyze(resource(DEFAULT_SG, "default", { vpcId: "vpc-0abc", ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }));
            assertViolation(result, WORLD, "mandatory", 'DefaultSecurityGroup "default"', "ingress[0]");
        });

        it("reports each offending inline rule once", async () => {
            const result = await pack().analyze(albGroup([web(443), web(22), web(3389), web(80)]));
            assert.deepStrictEqual(of(result, WORLD).map((d) => /ingress\[\d\]/.exec(d.message)?.[0]), ["ingress[1]", "ingress[2]"]);
        });

        it("follows the configured allowed ports", async () => {
            await pack().configure({ [WORLD]: { allowedWorldPorts: [443] } });
            assertViolation(await pack().analyze(albGroup([web(80), web(443)])), WORLD, "mandatory", "opens TCP port 80", "open only TCP 443");
            await pack().configure({ [WORLD]: { allowedWorldPorts: [22, 80, 443] } });
            assertPasses(await pack().analyze(albGroup([web(22), web(443)])), WORLD);
        });

        it("can be lowered to advisory by config", async () => {
            await pack().configure({ [WORLD]: "advisory" });
            assertViolation(await pack().analyze(albGroup([web(22)])), WORLD, "advisory", "opens TCP port 22");
        });

        it("reports nothing mandatory while the source, protocol or ports are unknown in preview", async () => {
            for (const ingress of [
                [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: UNKNOWN }],
                [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [UNKNOWN] }],
                [{ protocol: UNKNOWN, fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
                [{ protocol: "tcp", fromPort: UNKNOWN, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
                UNKNOWN,
            ]) {
                assert.deepStrictEqual(of(await pack().analyze(resource(SG, "alb", { ingress })), WORLD), [], JSON.stringify(ingress));
            }
            assert.deepStrictEqual(of(await pack().analyze(resource(SG_RULE, "r", { type: UNKNOWN, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] })), WORLD), []);
        });

        it("still reports a known world rule next to an unknown one", async () => {
            const result = await pack().analyze(albGroup([{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [UNKNOWN] }, web(3389)]));
            assertViolation(result, WORLD, "mandatory", "ingress[1]", "TCP port 3389");
        });

        it("allows only 80 and 443 when the engine sends no config", async () => {
            const messages = await validateUnconfigured(securityGroupWorldIngressWebPortsOnly, SG, { ingress: [web(80), web(443), web(8080)] });
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /TCP port 8080/);
        });
    });
});
