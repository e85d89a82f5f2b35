import * as assert from "assert";
import { ebsVolumesEncrypted, ec2Imdsv2Required } from "../../policies/rules/instances";
import { assertPasses, assertViolation, of, resource, UNKNOWN, usePackPerTest, validateUnconfigured } from "./fixtures";
import { RULES } from "./names";

const { IMDS, PUBLIC_IP, EBS } = RULES.instances;

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";
const LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration";
const VOLUME = "aws:ebs/volume:Volume";

/** The tier's launch template as the program should write it. */
function launchTemplate(props: Record<string, any> = {}) {
    return resource(LT, "tier", {
        imageId: "ami-0abc",
        instanceType: "t4g.nano",
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        networkInterfaces: [{ associatePublicIpAddress: "false", securityGroups: ["sg-0tier"] }],
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 8, volumeType: "gp3" } }],
        ...props,
    });
}

/** A standalone instance with the same hardening. */
function instance(props: Record<string, any> = {}) {
    return resource(INSTANCE, "box", {
        ami: "ami-0abc",
        instanceType: "t4g.nano",
        metadataOptions: { httpTokens: "required" },
        associatePublicIpAddress: false,
        rootBlockDevice: { encrypted: true },
        ...props,
    });
}

/** Runs a policy's validation the way an unconfigured engine would: `getConfig()` returns `{}`. */

describe("instance policies", () => {
    const pack = usePackPerTest();

    it("accept the hardened launch template, instance and volume", async () => {
        for (const r of [launchTemplate(), instance(), resource(VOLUME, "data", { availabilityZone: "us-east-1a", size: 8, encrypted: true })]) {
            const result = await pack().analyze(r);
            for (const policy of [IMDS, PUBLIC_IP, EBS]) {
                assertPasses(result, policy);
            }
        }
    });

    describe(IMDS, () => {
        for (const [type, make] of [[LT, launchTemplate], [INSTANCE, instance], [LAUNCH_CONFIGURATION, (p: object) => resource(LAUNCH_CONFIGURATION, "lc", p)]] as const) {
            it(`refuses ${type} with IMDSv1 allowed, set or by omission`, async () => {
                const optional = await pack().analyze(make({ metadataOptions: { httpTokens: "optional" } }));
                assertViolation(optional, IMDS, "mandatory", `(${type}): metadataOptions.httpTokens is "optional"`, 'Fix: set metadataOptions.httpTokens to "required"');
                const omitted = await pack().analyze(make({ metadataOptions: undefined }));
                assertViolation(omitted, IMDS, "mandatory", "metadataOptions.httpTokens is not set");
            });
        }

        it("accepts a disabled metadata endpoint", async () => {
            assertPasses(await pack().analyze(launchTemplate({ metadataOptions: { httpEndpoint: "disabled" } })), IMDS);
        });

        it("leaves an instance launched from a template to the template's check", async () => {
            assertPasses(await pack().analyze(instance({ metadataOptions: undefined, launchTemplate: { id: "lt-0abc", version: "$Latest" } })), IMDS);
        });

        it("refuses a hop limit above the maximum and follows the configured maximum", async () => {
            const lt = launchTemplate({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } });
            assertViolation(await pack().analyze(lt), IMDS, "mandatory", "metadataOptions.httpPutResponseHopLimit is 2, which lets IMDSv2 tokens travel more than 1 network hop");
            await pack().configure({ [IMDS]: { maxHttpPutResponseHopLimit: 2 } });
            assertPasses(await pack().analyze(lt), IMDS);
        });

        it("reports nothing mandatory while the metadata options are unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(launchTemplate({ metadataOptions: UNKNOWN })), IMDS), []);
            assert.deepStrictEqual(of(await pack().analyze(launchTemplate({ metadataOptions: { httpTokens: UNKNOWN } })), IMDS), []);
        });

        it("remediates a launch template by requiring tokens and keeps the other options", async () => {
            await pack().configure({ [IMDS]: "remediate" });
            const { remediations } = await pack().remediate(launchTemplate({ metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional", httpPutResponseHopLimit: 1 } }));
            const mine = remediations.filter((r) => r.policyName === IMDS);
            assert.strictEqual(mine.length, 1);
            assert.deepStrictEqual(mine[0].properties?.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
            assert.strictEqual(mine[0].properties?.imageId, "ami-0abc");
        });

        it("remediates an instance without metadata options and leaves a compliant one alone", async () => {
            await pack().configure({ [IMDS]: "remediate" });
            const fixed = (await pack().remediate(instance({ metadataOptions: undefined }))).remediations.filter((r) => r.policyName === IMDS);
            assert.deepStrictEqual(fixed[0]?.properties?.metadataOptions, { httpTokens: "required" });
            const untouched = (await pack().remediate(instance())).remediations.filter((r) => r.policyName === IMDS);
            assert.deepStrictEqual(untouched, []);
        });

        it("applies its default hop limit when the engine sends no config", async () => {
            const messages = await validateUnconfigured(ec2Imdsv2Required, LT, { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 3 } });
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /httpPutResponseHopLimit is 3/);
        });
    });

    describe(PUBLIC_IP, () => {
        for (const value of ["true", true]) {
            it(`refuses a launch template network interface with associatePublicIpAddress ${JSON.stringify(value)}`, async () => {
                const result = await pack().analyze(launchTemplate({ networkInterfaces: [{ associatePublicIpAddress: value }] }));
                assertViolation(result, PUBLIC_IP, "mandatory",
                    `LaunchTemplate "tier" (aws:ec2/launchTemplate:LaunchTemplate): networkInterfaces[0].associatePublicIpAddress is ${JSON.stringify(value)}`,
                    "public IPv4 address", "Fix: set it to false");
            });
        }

        it("refuses an instance or launch configuration with a public IP", async () => {
            assertViolation(await pack().analyze(instance({ associatePublicIpAddress: true })), PUBLIC_IP, "mandatory", "associatePublicIpAddress is true");
            assertViolation(await pack().analyze(resource(LAUNCH_CONFIGURATION, "lc", { associatePublicIpAddress: true })), PUBLIC_IP, "mandatory", "associatePublicIpAddress is true");
        });

        it("reports nothing while the flag is unknown, and skips exempted resources", async () => {
            assert.deepStrictEqual(of(await pack().analyze(instance({ associatePublicIpAddress: UNKNOWN })), PUBLIC_IP), []);
            await pack().configure({ [PUBLIC_IP]: { exemptions: [{ urn: instance().urn, reason: "Bastion host, reviewed by platform-sec", expires: "2099-12-31" }] } });
            assertPasses(await pack().analyze(instance({ associatePublicIpAddress: true })), PUBLIC_IP);
        });
    });

    describe(EBS, () => {
        it("refuses an unencrypted launch template volume, naming its device", async () => {
            const result = await pack().analyze(launchTemplate({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] }));
            assertViolation(result, EBS, "mandatory", 'blockDeviceMappings[0].ebs.encrypted is "false", which leaves the volume on /dev/xvda unencrypted', "Fix: set encrypted to true");
        });

        it("refuses a launch template that leaves the root volume to the AMI, unless config allows it", async () => {
            const lt = launchTemplate({ blockDeviceMappings: undefined });
            assertViolation(await pack().analyze(lt), EBS, "mandatory", "blockDeviceMappings is not set", '"/dev/xvda"');
            await pack().configure({ [EBS]: { requireExplicitRootVolume: false } });
            assertPasses(await pack().analyze(lt), EBS);
        });

        it("ignores instance-store mappings", async () => {
            const lt = launchTemplate({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }, { deviceName: "/dev/sdb", virtualName: "ephemeral0" }] });
            assertPasses(await pack().analyze(lt), EBS);
        });

        it("refuses unencrypted instance root and data volumes", async () => {
            const result = await pack().analyze(instance({ rootBlockDevice: { encrypted: false }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }, { deviceName: "/dev/sdg" }] }));
            const found = of(result, EBS).map((d) => d.message);
            assert.strictEqual(found.length, 2, found.join("\n"));
            assert.ok(found.some((m) => m.includes("rootBlockDevice.encrypted is false")));
            assert.ok(found.some((m) => m.includes("ebsBlockDevices[1].encrypted is not set, which leaves the volume on /dev/sdg unencrypted")));
        });

        it("refuses an instance without a declared root volume unless it comes from a launch template", async () => {
            assertViolation(await pack().analyze(instance({ rootBlockDevice: undefined })), EBS, "mandatory", "rootBlockDevice is not set");
            assertPasses(await pack().analyze(instance({ rootBlockDevice: undefined, launchTemplate: { id: "lt-0abc" } })), EBS);
        });

        it("refuses an unencrypted EBS volume", async () => {
            assertViolation(await pack().analyze(resource(VOLUME, "data", { availabilityZone: "us-east-1a", size: 8 })), EBS, "mandatory",
                'Volume "data" (aws:ebs/volume:Volume): encrypted is not set');
        });

        it("reports nothing while encryption is unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(resource(VOLUME, "data", { encrypted: UNKNOWN })), EBS), []);
            assert.deepStrictEqual(of(await pack().analyze(launchTemplate({ blockDeviceMappings: UNKNOWN })), EBS), []);
            assert.deepStrictEqual(of(await pack().analyze(launchTemplate({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: UNKNOWN } }] })), EBS), []);
        });

        it("remediates launch template volumes but not instances", async () => {
            await pack().configure({ [EBS]: "remediate" });
            const { remediations } = await pack().remediate(launchTemplate({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 8 } }] }));
            const mine = remediations.filter((r) => r.policyName === EBS);
            assert.deepStrictEqual(mine[0]?.properties?.blockDeviceMappings, [{ deviceName: "/dev/xvda", ebs: { volumeSize: 8, encrypted: "true" } }]);
            const instanceFix = (await pack().remediate(instance({ rootBlockDevice: { encrypted: false } }))).remediations.filter((r) => r.policyName === EBS);
            assert.deepStrictEqual(instanceFix, []);
        });

        it("requires the root volume by default when the engine sends no config", async () => {
            const messages = await validateUnconfigured(ebsVolumesEncrypted, LT, {});
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /blockDeviceMappings is not set/);
        });
    });
});
