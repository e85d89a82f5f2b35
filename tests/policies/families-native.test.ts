/**
 * The aws-native (CloudFormation-shaped) family of every other type the pack judges: security
 * groups and their ingress rules, launch templates and launch configurations, ECS services and task
 * definitions, Secrets Manager secrets, KMS keys and AWS Private CA authorities, read through the
 * one adapter (policies/framework/shapes.ts). Secure and insecure resources of each.
 */
import { assertPasses, assertViolation, resource, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { WORLD } = RULES["security-groups"];
const { IMDS, PUBLIC_IP, EBS } = RULES.instances;
const { PLAIN: USER_DATA } = RULES.secrets;
const CONTAINERS = USER_DATA;
const { SECRET_CMK, ROTATION } = RULES.kms;
const { PCA } = RULES.acmpca;

const N = (module: string, type: string) => `aws-native:${module}:${type}`;
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("aws-native shapes of the types beyond ELBv2", () => {
    const pack = usePackPerTest();

    it("refuses SSH from the world in a security group's securityGroupIngress, and accepts 443", async () => {
        const sg = (ingress: Record<string, any>) => resource(N("ec2", "SecurityGroup"), "web", { groupDescription: "web", vpcId: "vpc-0abc", securityGroupIngress: [ingress] });
        assertViolation(await pack().analyze(sg({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIp: "0.0.0.0/0" })), WORLD, "mandatory", `(${N("ec2", "SecurityGroup")})`, "securityGroupIngress[0]");
        assertPasses(await pack().analyze(sg({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIp: "0.0.0.0/0" })), WORLD);
    });

    it("refuses a standalone SecurityGroupIngress open to ::/0 on the backend port", async () => {
        const rule = resource(N("ec2", "SecurityGroupIngress"), "backend", { groupId: "sg-0abc", ipProtocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv6: "::/0" });
        assertViolation(await pack().analyze(rule), WORLD, "mandatory", `(${N("ec2", "SecurityGroupIngress")})`);
        assertPasses(await pack().analyze(resource(N("ec2", "SecurityGroupIngress"), "backend", { groupId: "sg-0abc", ipProtocol: "tcp", fromPort: 8443, toPort: 8443, sourceSecurityGroupId: "sg-0alb" })), WORLD);
    });

    describe("launch templates, whose settings sit under launchTemplateData", () => {
        const lt = (data: Record<string, any>) => resource(N("ec2", "LaunchTemplate"), "web", { launchTemplateName: "web", launchTemplateData: { imageId: "ami-0abc", ...data } });

        it("refuses IMDSv1 and a public address, and accepts IMDSv2 without one", async () => {
            assertViolation(await pack().analyze(lt({ metadataOptions: { httpTokens: "optional" } })), IMDS, "mandatory", `(${N("ec2", "LaunchTemplate")})`, "launchTemplateData.metadataOptions");
            assertViolation(await pack().analyze(lt({ metadataOptions: { httpTokens: "required" }, networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: true }] })), PUBLIC_IP, "mandatory",
                "launchTemplateData.networkInterfaces[0].associatePublicIpAddress");
            const good = await pack().analyze(lt({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 }, networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: false }] }));
            assertPasses(good, IMDS);
            assertPasses(good, PUBLIC_IP);
        });

        it("refuses a private key in the base64 user data", async () => {
            const pem = ["-----BEGIN", "PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END", "PRIVATE KEY-----"].join(" ");
            const result = await pack().analyze(lt({ metadataOptions: { httpTokens: "required" }, userData: b64(`#!/bin/sh\ncat > /etc/key.pem <<EOF\n${pem}\nEOF\n`) }));
            assertViolation(result, USER_DATA, "mandatory", `(${N("ec2", "LaunchTemplate")})`);
        });
    });

    describe("instances, which CloudFormation gives no MetadataOptions", () => {
        const instance = (props: Record<string, any>) => resource(N("ec2", "Instance"), "web", { imageId: "ami-0abc", instanceType: "t4g.nano", ...props });

        it("refuses an instance that does not launch from a template, as EC2 then allows IMDSv1, and one with a public address", async () => {
            assertViolation(await pack().analyze(instance({})), IMDS, "mandatory", `(${N("ec2", "Instance")})`);
            assertViolation(await pack().analyze(instance({ networkInterfaces: [{ deviceIndex: "0", associatePublicIpAddress: true }] })), PUBLIC_IP, "mandatory",
                "networkInterfaces[0].associatePublicIpAddress is true");
        });

        it("accepts an instance launched from a template, without a public address, on an encrypted root volume", async () => {
            const result = await pack().analyze(instance({
                launchTemplate: { launchTemplateId: "lt-0abc", version: "1" },
                networkInterfaces: [{ deviceIndex: "0", associatePublicIpAddress: false }],
                blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true, volumeSize: 8 } }],
            }));
            for (const p of [IMDS, PUBLIC_IP, EBS]) assertPasses(result, p);
        });

        it("refuses an unencrypted volume in blockDeviceMappings", async () => {
            assertViolation(await pack().analyze(instance({ launchTemplate: { launchTemplateId: "lt-0abc" }, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: false } }] })),
                EBS, "mandatory", "blockDeviceMappings[0].ebs.encrypted is false");
        });
    });

    it("refuses IMDSv1 on a launch configuration", async () => {
        const lc = resource(N("autoscaling", "LaunchConfiguration"), "web", { imageId: "ami-0abc", instanceType: "t4g.nano", metadataOptions: { httpTokens: "optional" } });
        assertViolation(await pack().analyze(lc), IMDS, "mandatory", `(${N("autoscaling", "LaunchConfiguration")})`);
    });

    it("refuses an AWS secret access key in a task definition's containerDefinitions array", async () => {
        const td = (environment: { name: string; value: string }[]) => resource(N("ecs", "TaskDefinition"), "web", {
            family: "web", containerDefinitions: [{ name: "web", image: "nginx", environment }],
        });
        assertViolation(await pack().analyze(td([{ name: "AWS_SECRET_ACCESS_KEY", value: "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY" }])), CONTAINERS, "mandatory", `(${N("ecs", "TaskDefinition")})`);
        assertPasses(await pack().analyze(td([{ name: "PORT", value: "8443" }])), CONTAINERS);
    });

    it("refuses a secret without a customer-managed key and accepts one under a key ARN", async () => {
        assertViolation(await pack().analyze(resource(N("secretsmanager", "Secret"), "backend-tls", { name: "backend-tls" })), SECRET_CMK, "mandatory",
            `Secret "backend-tls" (${N("secretsmanager", "Secret")}): kmsKeyId is not set`);
        assertPasses(await pack().analyze(resource(N("secretsmanager", "Secret"), "backend-tls", { kmsKeyId: KEY_ARN })), SECRET_CMK);
    });

    it("refuses a symmetric KMS key without rotation, and leaves an asymmetric keySpec alone", async () => {
        assertViolation(await pack().analyze(resource(N("kms", "Key"), "secrets", { enableKeyRotation: false })), ROTATION, "mandatory", `(${N("kms", "Key")})`);
        assertPasses(await pack().analyze(resource(N("kms", "Key"), "secrets", { enableKeyRotation: true })), ROTATION);
        assertPasses(await pack().analyze(resource(N("kms", "Key"), "signing", { keySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" })), ROTATION);
    });

    it("refuses a Private CA with a weak key algorithm given at the top level", async () => {
        const ca = (keyAlgorithm: string) => resource(N("acmpca", "CertificateAuthority"), "root", { type: "ROOT", keyAlgorithm, signingAlgorithm: "SHA256WITHRSA", subject: { commonName: "root" } });
        assertViolation(await pack().analyze(ca("RSA_1024")), PCA, "mandatory", `(${N("acmpca", "CertificateAuthority")})`, "keyAlgorithm");
        assertPasses(await pack().analyze(ca("RSA_2048")), PCA);
    });
});
