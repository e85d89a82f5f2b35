/**
 * aws-native resources read as CloudFormation writes them, and reported in their own names: a
 * Private CA certificate's numeric Validity.Value, a launch configuration's BlockDeviceMappings,
 * the user data of instances, launch configurations and launch templates, and ELBv2 names the API
 * refuses rather than the provider. Secure and insecure resources of each.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import { allPolicies } from "../../policies/rules";
import { acmpcaValidityHours } from "../../policies/rules/certificates";
import { adaptProps, claimedFamilies, ownPath, UNKNOWN } from "../../policies/framework";
import { adversarialInputs } from "../../offline/analyzer/adversarial";
import { assertPasses, assertViolation, of, resource, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { VALIDITY } = RULES.certificates;
const { EBS } = RULES.instances;
const { PLAIN: USER_DATA } = RULES.secrets;
const { INSPECTED } = RULES["secrets-inspection"];
const { NAMES } = RULES["deploy-limits"];

const N = (module: string, type: string) => `aws-native:${module}:${type}`;
const b64 = (text: string) => Buffer.from(text).toString("base64");
const LEAF_TEMPLATE = "arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1";
const ROOT_TEMPLATE = "arn:aws:acm-pca:::template/RootCACertificate/V1";

// Generated per run: no key text is committed.
const keyPem = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;

describe("aws-native values read as CloudFormation writes them", () => {
    const pack = usePackPerTest();

    describe(`${VALIDITY} on ${N("acmpca", "Certificate")}, whose Validity.Value is a number`, () => {
        const cert = (validity: Record<string, any>, templateArn = LEAF_TEMPLATE) => resource(N("acmpca", "Certificate"), "backend", {
            certificateAuthorityArn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/1111", signingAlgorithm: "SHA256WITHRSA", templateArn, validity,
        });

        it("refuses a leaf issued for a year, and suggests a numeric value", async () => {
            assertViolation(await pack().analyze(cert({ type: "YEARS", value: 1 })), VALIDITY, "mandatory",
                `Certificate "backend" (${N("acmpca", "Certificate")}): validity is {"type":"YEARS","value":1}, which lasts up to 8784 hours (366 days)`,
                'Fix: set validity to { type: "DAYS", value: 90 } or less');
        });

        it("accepts a 90-day leaf and a 10-year CA certificate", async () => {
            assertPasses(await pack().analyze(cert({ type: "DAYS", value: 90 })), VALIDITY);
            assertPasses(await pack().analyze(cert({ type: "YEARS", value: 10 }, ROOT_TEMPLATE)), VALIDITY);
        });

        it("refuses a CA certificate whose END_DATE digits lie beyond ten years", async () => {
            assertViolation(await pack().analyze(cert({ type: "END_DATE", value: 20991231235959 }, ROOT_TEMPLATE)), VALIDITY, "mandatory", "allowed for a CA certificate");
        });

        it("measures numeric values and the API's UTCTime and GeneralizedTime end dates", () => {
            const now = new Date("2026-01-01T00:00:00Z");
            assert.strictEqual(acmpcaValidityHours({ type: "DAYS", value: 90 }, now), 2160);
            assert.strictEqual(acmpcaValidityHours({ type: "ABSOLUTE", value: now.getTime() / 1000 + 3600 }, now), 1);
            assert.strictEqual(acmpcaValidityHours({ type: "END_DATE", value: 20260102000000 }, now), 24);
            assert.strictEqual(acmpcaValidityHours({ type: "END_DATE", value: "260102000000" }, now), 24, "a YY below 50 is 20YY");
            assert.ok(acmpcaValidityHours({ type: "END_DATE", value: 991231235959 }, now)! < 0, "a YY of 50 or more is 19YY");
            assert.strictEqual(acmpcaValidityHours({ type: "DAYS", value: NaN }, now), undefined);
        });
    });

    describe(`${EBS} on ${N("autoscaling", "LaunchConfiguration")}, whose volumes sit in blockDeviceMappings`, () => {
        const lc = (blockDeviceMappings?: unknown[]) => resource(N("autoscaling", "LaunchConfiguration"), "web", {
            imageId: "ami-0abc", instanceType: "t4g.nano", ...(blockDeviceMappings ? { blockDeviceMappings } : {}),
        });
        const root = (encrypted: unknown) => ({ deviceName: "/dev/xvda", ebs: { encrypted, volumeSize: 8 } });

        it("accepts an encrypted root volume, encrypted data volumes and an instance store", async () => {
            assertPasses(await pack().analyze(lc([root(true), { deviceName: "/dev/sdb", virtualName: "ephemeral0" }, { deviceName: "/dev/sdh", ebs: { encrypted: true } }])), EBS);
        });

        it("refuses an unencrypted root volume, naming its mapping", async () => {
            assertViolation(await pack().analyze(lc([root(false)])), EBS, "mandatory",
                `(${N("autoscaling", "LaunchConfiguration")}): blockDeviceMappings[0].ebs.encrypted is false, which leaves the root volume unencrypted`);
        });

        it("refuses an unencrypted data volume next to an encrypted root, by its own index", async () => {
            const result = await pack().analyze(lc([{ deviceName: "/dev/sdb", virtualName: "ephemeral0" }, { deviceName: "/dev/sdh", ebs: { encrypted: false } }, root(true)]));
            assertViolation(result, EBS, "mandatory", "blockDeviceMappings[1].ebs.encrypted is false", "the volume on /dev/sdh");
        });

        it("refuses a launch configuration that leaves the root volume to the AMI, and says how to declare it", async () => {
            assertViolation(await pack().analyze(lc()), EBS, "mandatory", "blockDeviceMappings is not set",
                'Fix: add a blockDeviceMappings entry for the AMI\'s root device ("/dev/xvda" or "/dev/sda1") with ebs.encrypted true.');
            assertViolation(await pack().analyze(lc([{ deviceName: "/dev/sdh", ebs: { encrypted: true } }])), EBS, "mandatory", "blockDeviceMappings is not set");
        });

        it("reports nothing while the root volume's settings are unknown", async () => {
            assert.deepStrictEqual(of(await pack().analyze(lc([{ deviceName: "/dev/xvda", ebs: UNKNOWN }])), EBS), []);
            assert.deepStrictEqual(of(await pack().analyze(lc([UNKNOWN])), EBS), []);
            assert.strictEqual(adaptProps(N("autoscaling", "LaunchConfiguration"), { blockDeviceMappings: UNKNOWN }).rootBlockDevice, UNKNOWN);
        });

        it("writes the volumes' shape paths at their own indexes", () => {
            const own = { blockDeviceMappings: [{ deviceName: "/dev/sdb", virtualName: "ephemeral0" }, { deviceName: "/dev/sdh", ebs: {} }, root(true)] };
            assert.strictEqual(ownPath(N("autoscaling", "LaunchConfiguration"), "rootBlockDevice.encrypted", own), "blockDeviceMappings[2].ebs.encrypted");
            assert.strictEqual(ownPath(N("autoscaling", "LaunchConfiguration"), "ebsBlockDevices[0].encrypted", own), "blockDeviceMappings[1].ebs.encrypted");
            assert.strictEqual(ownPath(N("autoscaling", "LaunchConfiguration"), "rootBlockDevice", {}), "blockDeviceMappings");
        });
    });

    for (const [module, type] of [["ec2", "Instance"], ["autoscaling", "LaunchConfiguration"]]) {
        it(`${USER_DATA} names the userData of ${N(module, type)}, and accepts a boot script without a key`, async () => {
            const withUserData = (script: string) => resource(N(module, type), "web", { imageId: "ami-0abc", userData: b64(script) });
            const found = assertViolation(await pack().analyze(withUserData(`#!/bin/sh\ncat > /etc/nginx/key.pem <<EOF\n${keyPem}EOF\n`)), USER_DATA, "mandatory",
                `(${N(module, type)}): userData contains a PEM`);
            assert.ok(!found.message.includes("userDataBase64"), found.message);
            assertPasses(await pack().analyze(withUserData("#!/bin/sh\nsystemctl enable --now nginx\n")), USER_DATA);
        });
    }

    it(`${INSPECTED} names user data it could not read through once, in the resource's own names`, async () => {
        const deep = adversarialInputs().find((i) => i.name === "deep base64")!.value;
        assertViolation(await pack().analyze(resource(N("ec2", "LaunchTemplate"), "web", { launchTemplateName: "web", launchTemplateData: { userData: deep } })), INSPECTED, "advisory",
            `(${N("ec2", "LaunchTemplate")}): launchTemplateData.userData could not be fully inspected`);
        assertViolation(await pack().analyze(resource(N("ec2", "Instance"), "web", { imageId: "ami-0abc", userData: deep })), INSPECTED, "advisory",
            `(${N("ec2", "Instance")}): userData could not be fully inspected`);
        assertPasses(await pack().analyze(resource(N("ec2", "LaunchTemplate"), "web", { launchTemplateData: { userData: b64("#!/bin/sh\nsystemctl enable --now nginx\n") } })), INSPECTED);
    });

    it("writes a launch template's data under launchTemplateData and its own properties as they are", () => {
        const template = { versionDescription: "v2", launchTemplateData: { userData: "IyEvYmluL3No" } };
        assert.strictEqual(ownPath(N("ec2", "LaunchTemplate"), "versionDescription", template), "versionDescription", "a template's own property keeps its path");
        assert.strictEqual(ownPath(N("ec2", "LaunchTemplate"), "userData", template), "launchTemplateData.userData");
    });

    describe(`${NAMES} on ${N("elasticloadbalancingv2", "TrustStore")}, which the ELBv2 API judges`, () => {
        const store = (token: string, name: string) => resource(token, "clients", { name, caCertificatesBundleS3Bucket: "pki", caCertificatesBundleS3Key: "ca.pem" });

        it("refuses a name over 32 characters as the API does, and accepts one that starts with \"internal-\", which only the provider reserves", async () => {
            assertViolation(await pack().analyze(store(N("elasticloadbalancingv2", "TrustStore"), "clients-of-the-web-tier-in-production")), NAMES, "advisory",
                "over the limit of 32 (the ELBv2 API refuses it when the resource is created)");
            assertPasses(await pack().analyze(store(N("elasticloadbalancingv2", "TrustStore"), "internal-clients")), NAMES);
            assertViolation(await pack().analyze(store("aws:lb/trustStore:TrustStore", "internal-clients")), NAMES, "advisory", 'starts with "internal-"', "the provider refuses it");
        });

        it("names in its description every family it judges", () => {
            const policy = allPolicies.find((p) => p.name === NAMES)!;
            for (const family of claimedFamilies(policy)) {
                assert.ok(policy.description.includes(family), `${family} missing from: ${policy.description}`);
            }
        });
    });
});
