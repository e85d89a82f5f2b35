import * as assert from "assert";
import { ARCHITECTURES, instanceArchitecture } from "../../policies/shared/instance-architecture";
import { tlsPaths } from "../../offline/report/tls-path";
import { ForwardAction } from "../../offline/report/model";
import { assertBootsAl2023, one, run } from "./support";

/**
 * One answer to "which CPU does this instance type run", for the program's AMI and the preview's
 * report. Graviton families from AWS's naming convention and its Graviton list
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html,
 * aws/aws-graviton-getting-started).
 */
const ARM64 = [
    "a1.medium", "t4g.nano", "m6g.large", "m6gd.xlarge", "m7g.large", "m7gd.large", "m8g.large", "m8gd.large",
    "c6g.large", "c6gd.large", "c6gn.large", "c7g.large", "c7gd.large", "c7gn.xlarge", "c8g.large",
    "r6g.large", "r6gd.large", "r7g.large", "r7gd.large", "r8g.large", "x2gd.medium", "x8g.large",
    "i4g.large", "i8g.large", "im4gn.large", "is4gen.medium", "g5g.xlarge", "hpc7g.4xlarge", "M6G.LARGE",
];
const X86_64 = [
    "t2.micro", "t3.micro", "t3a.nano", "m5.large", "m5zn.large", "m6i.large", "m6a.large", "m7i-flex.large",
    "c5.large", "c5n.large", "c6in.large", "c7a.large", "r5dn.large", "r7iz.large", "x2iedn.xlarge", "x2iezn.2xlarge",
    "z1d.large", "i3en.large", "d3en.xlarge", "h1.2xlarge", "g4dn.xlarge", "g4ad.xlarge", "g5.xlarge", "g6e.xlarge",
    "gr6.4xlarge", "p4d.24xlarge", "p5en.48xlarge", "inf2.xlarge", "trn1n.32xlarge", "dl1.24xlarge", "f1.2xlarge",
    "vt1.3xlarge", "hpc6a.48xlarge", "hpc6id.32xlarge", "u-6tb1.metal", "u7i-12tb.224xlarge",
];

describe("the architecture of an EC2 instance type", () => {
    for (const [arch, types, what] of [["arm64", ARM64, "a1 and every family with a Graviton g after the generation"],
        ["x86_64", X86_64, "Intel and AMD families, GPU families whose g comes first, accelerators and high-memory types"]] as const) {
        it(`reads ${arch} for ${what}`, () => {
            assert.deepStrictEqual(types.filter(t => instanceArchitecture(t) !== arch), [], `these are ${arch}`);
        });
    }

    it("answers one of the architectures Amazon Linux 2023 publishes an AMI for", () => {
        for (const t of [...ARM64, ...X86_64, "mac2-m2.metal", "weird"]) {
            assert.ok((ARCHITECTURES as readonly string[]).includes(instanceArchitecture(t)), t);
        }
    });
});

describe("a Graviton GPU tier (g5g.xlarge)", function () {
    this.timeout(60_000);
    const program = () => run("dev", { "e2e-tls:compute": "asg", "e2e-tls:instanceType": "g5g.xlarge" });

    it("boots the arm64 Amazon Linux 2023 AMI: the image the arm64 look-up answered, in an arm64 launch template", async () => {
        const r = await program();
        await assertBootsAl2023(r, "arm64");
        const lt = one(r, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.strictEqual(lt.inputs.instanceType, "g5g.xlarge");
        assert.match(lt.name, /-lt-arm64$/);
    });

    it("while a g5 GPU tier, whose g comes before the generation, boots the x86_64 AMI", async () => {
        await assertBootsAl2023(await run("dev", { "e2e-tls:compute": "asg", "e2e-tls:instanceType": "g5.xlarge" }), "x86_64");
    });

    it("is reported as arm64 by the offline preview, the same answer the program boots (and so is a1)", async () => {
        for (const type of ["g5g.xlarge", "a1.medium"]) {
            const r = await run("dev", { "e2e-tls:compute": "asg", "e2e-tls:instanceType": type });
            const listener = tlsPaths(r.resources)[0].listeners.find(l => l.port === 443)!;
            const [tier] = (listener.action as ForwardAction).targetGroups[0].tiers;
            assert.strictEqual(tier.size, type);
            assert.strictEqual(tier.architecture, "arm64", `the preview's architecture of ${type}`);
            assert.match(one(r, "aws:ec2/launchTemplate:LaunchTemplate").name, /-lt-arm64$/, `the program's architecture of ${type}`);
        }
    });
});
