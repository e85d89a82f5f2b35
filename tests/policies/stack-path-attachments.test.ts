/**
 * The path rule follows every way AWS attaches a security group to a target
 * (policies/rules/attachments.ts): for each entry, over each token family that has it, a security
 * group reached through it that admits the backend port from outside the load balancer's group is
 * refused, in preview too, and one admitting it only from the load balancer's group is accepted.
 * A table proves that every entry of the data has its cases (fixtures-target-cases.ts), the public
 * addresses' included (stack-path-addresses.test.ts).
 */
import * as assert from "assert";
import { JOINS, LINKS, PLACEMENTS } from "../../policies/rules/attachments";
import { of, usePackPerTest } from "./fixtures";
import { asPreview, StackResource, toResources } from "./fixtures-stack";
import { ADDRESS_CASES, CASES, familiesOf, SUBNET_CASES } from "./fixtures-target-cases";
import { CLOSED, FAMILIES, front, instance, INSTANCE_ID, key, LT_ID, OPEN, ownGroupDeps, ownGroups, PORT, PRIVATE_IP, registered, template, TG } from "./fixtures-targets";
import { RULES } from "./names";

const { PATH } = RULES["stack-path"];

describe(`${PATH} follows every way a security group attaches to a target`, () => {
    const pack = usePackPerTest();
    const path = async (stack: StackResource[]) => of(await pack().analyzeStack(toResources(stack)), PATH).map((d) => d.message);


    it("has a case for every entry of attachments.ts, over every family that has it", () => {
        const proven = new Set([...CASES.flatMap((c) => c.entries.flatMap((e) => c.families.map((f) => `${e} ${f}`))),
            ...[...ADDRESS_CASES, ...SUBNET_CASES].flatMap((c) => c.families.map((f) => `${c.entry} ${f}`))]);
        const expected = [
            ...LINKS.map((l) => ({ shape: l.from, entry: key(l.from, l.path) })),
            ...JOINS.flatMap((j) => j.onto.map((o) => ({ shape: j.resource, entry: key(j.resource, o.path) }))),
            ...PLACEMENTS.map((p) => ({ shape: p.from, entry: key(p.from, p.subnets) })),
        ].flatMap(({ shape, entry }) => familiesOf(shape, entry).map((f) => `${entry} ${f}`));
        assert.deepStrictEqual(expected.filter((e) => !proven.has(e)), []);
    });

    for (const c of CASES) {
        for (const family of c.families) {
            it(`refuses a backend port open beyond the load balancer through ${c.title}, and accepts it open to the load balancer only (${family})`, async () => {
                const open = (await path([...front(), ...c.build(OPEN, family)]));
                assert.strictEqual(open.length, 1, open.join("\n---\n"));
                assert.ok(open[0].includes(`SecurityGroup "${OPEN.name}" ✗`) && open[0].includes(`ingress[0].cidrBlocks[0] is "10.0.0.0/8", which admits the backend port ${PORT}`), open[0]);
                assert.deepStrictEqual((await path([...front(), ...c.build(CLOSED, family)])), []);
            });

            it(`finds it in preview too, through the engine's dependencies, when the ids are unknown: ${c.title} (${family})`, async () => {
                const preview = (await path(asPreview([...front(), ...c.build(OPEN, family)])));
                assert.ok(preview.some((m) => m.includes(`SecurityGroup "${OPEN.name}" ✗`)), preview.join("\n---\n"));
            });
        }
    }

    it("leaves out a launch template's groups that the instance's own groups replace", async () => {
        const stack = [...front(), template("aws", { vpcSecurityGroupIds: [OPEN.id] }, { vpcSecurityGroupIds: [OPEN.name] }),
            ...registered("aws", { vpcSecurityGroupIds: [CLOSED.id], launchTemplate: { id: LT_ID } }, { vpcSecurityGroupIds: [CLOSED.name], launchTemplate: ["web-lt"] })];
        assert.deepStrictEqual((await path(stack)), []);
    });

    for (const family of FAMILIES) {
        it(`follows an ip target to the instance that has the address, and an aws-native target group's own targets (${family})`, async () => {
            const byIp = [...front(), instance(family, { ...ownGroups(family, OPEN), privateIp: PRIVATE_IP }, ownGroupDeps(family, OPEN)), {
                type: "aws:lb/targetGroupAttachment:TargetGroupAttachment", name: "web-1-attach", props: { targetGroupArn: TG(), targetId: PRIVATE_IP, port: PORT }, deps: { targetGroupArn: ["web-tg"] },
            }];
            assert.strictEqual((await path(byIp)).filter((m) => m.includes(`SecurityGroup "${OPEN.name}" ✗`)).length, 1);
            const inline = [...front().map((r) => r.name !== "web-tg" ? r : {
                ...r, type: "aws-native:elasticloadbalancingv2:TargetGroup",
                props: { targetGroupArn: r.props.arn, port: PORT, protocol: "HTTPS", targetType: "instance", healthCheckProtocol: "HTTPS", targets: [{ id: INSTANCE_ID, port: PORT }] },
            }), instance(family, ownGroups(family, OPEN), ownGroupDeps(family, OPEN))];
            assert.strictEqual((await path(inline)).filter((m) => m.includes(`SecurityGroup "${OPEN.name}" ✗`)).length, 1);
        });
    }
});
