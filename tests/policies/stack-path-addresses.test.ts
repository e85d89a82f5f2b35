/**
 * The path rule refuses a public address on a target, wherever AWS attaches one
 * (policies/rules/attachments.ts JOINS and PLACEMENTS): an Elastic IP or EIP association on the
 * instance or one of its network interfaces, and a subnet that gives targets one at launch; each is
 * accepted on an instance outside the path, or when the launch opts out. ec2-no-public-ip refuses
 * an ECS task set that gives its tasks one.
 */
import * as assert from "assert";
import { SUBNETS } from "../../policies/rules/attachments";
import { NATIVE, TOKENS } from "../../policies/shared/tokens";
import { of, usePackPerTest } from "./fixtures";
import { StackResource, toResources } from "./fixtures-stack";
import { ADDRESS_CASES, SUBNET_CASES } from "./fixtures-target-cases";
import { CLOSED, ecs, FAMILIES, front, native, subnet, SUBNET_ID } from "./fixtures-targets";
import { RULES } from "./names";

const { PATH } = RULES["stack-path"];
const { PUBLIC_IP } = RULES.instances;

describe(`${PATH} refuses a public address on a target`, () => {
    const pack = usePackPerTest();
    const path = async (stack: StackResource[]) => of(await pack().analyzeStack(toResources(stack)), PATH).map((d) => d.message);

    for (const c of ADDRESS_CASES) {
        for (const family of c.families) {
            it(`refuses a public address on a target by ${c.title}, and accepts it on an instance outside the path (${family})`, async () => {
                const found = (await path([...front(), ...c.build(family, false)]));
                assert.strictEqual(found.length, 1, found.join("\n---\n"));
                const own = native(family) && c.property === "instance" ? "instanceId" : c.property;
                assert.ok(found[0].includes('Eip') && found[0].includes(`"web-eip" ✗`), found[0]);
                assert.ok(found[0].includes(`): ${own} is "`) && found[0].includes('Instance "web-1"') && found[0].includes("a public IPv4 address"), found[0]);
                assert.deepStrictEqual((await path([...front(), ...c.build(family, true)])), []);
            });
        }
    }

    for (const c of SUBNET_CASES) {
        for (const family of c.families) {
            it(`refuses ${c.title} that gives public addresses at launch, and accepts the launch that opts out or a subnet that does not (${family})`, async () => {
                const publicSubnet = subnet(native(family) ? NATIVE.subnet : TOKENS.subnet, true);
                const found = (await path([...front(), publicSubnet, ...c.build(family, false)]));
                assert.strictEqual(found.length, 1, found.join("\n---\n"));
                assert.ok(found[0].includes(`): ${c.property(family)} is "${SUBNET_ID}"`) && found[0].includes('Subnet "public-a"') && found[0].includes("mapPublicIpOnLaunch gives each of them a public IPv4 address"), found[0]);
                assert.deepStrictEqual((await path([...front(), publicSubnet, ...c.build(family, true)])), []);
                assert.deepStrictEqual((await path([...front(), subnet(publicSubnet.type, false), ...c.build(family, false)])), []);
            });
        }
    }

    it("reads every subnet kind's mapPublicIpOnLaunch, a default subnet's too", async () => {
        for (const type of SUBNETS) {
            const found = (await path([...front(), subnet(type, true), ...SUBNET_CASES[0].build("aws", false)]));
            assert.strictEqual(found.length, 1, `${type}: ${found.join("\n---\n")}`);
        }
    });

    for (const family of FAMILIES) {
        it(`refuses a public address on every task of an ECS task set, and accepts a task set without one (${family})`, async () => {
            const taskSet = ecs(family, CLOSED, true);
            const withIp = { ...taskSet.props, networkConfiguration: native(family) ? { awsVpcConfiguration: { ...taskSet.props.networkConfiguration.awsVpcConfiguration, assignPublicIp: "ENABLED" } } : { ...taskSet.props.networkConfiguration, assignPublicIp: true } };
            const urn = toResources([...front(), taskSet]).find((r) => r.name === taskSet.name)!.urn;
            const refused = of(await pack().analyze({ type: taskSet.type, name: taskSet.name, urn, props: withIp }), PUBLIC_IP);
            assert.strictEqual(refused.length, 1, JSON.stringify(refused));
            assert.ok(refused[0].message.includes(native(family) ? 'networkConfiguration.awsVpcConfiguration.assignPublicIp is "ENABLED"' : "networkConfiguration.assignPublicIp is true"), refused[0].message);
            assert.deepStrictEqual(of(await pack().analyze({ type: taskSet.type, name: taskSet.name, urn, props: taskSet.props }), PUBLIC_IP), []);
        });
    }
});
