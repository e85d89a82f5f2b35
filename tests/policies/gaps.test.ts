/**
 * Gaps found on types the pack already covers: a secret access key on its own, the AWS managed key
 * named without `alias/`, public IPs on ECS tasks, "the internet" spelled as several ranges or a
 * prefix list, and values the provider coerces from strings.
 */
import * as assert from "assert";
import { coversWholeSpace } from "../../policies/rules/cidr";
import { findKeyMaterial } from "../../policies/rules/key-material-detector";
import { assertPasses, assertViolation, resource, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { PLAIN, OUTPUTS } = RULES.secrets;
const [USER_DATA, PLAINTEXT, CONTAINERS] = [PLAIN, PLAIN, PLAIN];
const { SECRET_CMK, ROTATION } = RULES.kms;
const { IMDS, PUBLIC_IP } = RULES.instances;
const { STRENGTH } = RULES["key-material"];
const { WORLD } = RULES["security-groups"];

// AWS's documented example secret access key (IAM user guide), not a credential.
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const b64 = (text: string) => Buffer.from(text).toString("base64");
const web443 = { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] };

describe("gaps on covered types", () => {
    const pack = usePackPerTest();

    describe("an AWS secret access key on its own", () => {
        it("is found after a key-like name in every spelling, and a 40-character run alone is not", () => {
            for (const text of [`aws_secret_access_key = ${SECRET}`, `export AWS_SECRET_ACCESS_KEY="${SECRET}"`, `{"SecretAccessKey": "${SECRET}"}`, `aws configure set aws_secret_access_key ${SECRET}`]) {
                assert.strictEqual(findKeyMaterial(text, { awsAccessKeyIds: false })?.kind, "an AWS secret access key", text);
            }
            assert.strictEqual(findKeyMaterial(`checksum = ${SECRET}`), undefined);
            assert.strictEqual(findKeyMaterial(`aws_secret_access_key = ${SECRET}XYZ`), undefined, "a longer run is not a secret access key");
        });

        it("is refused in user data, plain or base64, without quoting it", async () => {
            const script = `#!/bin/bash\naws configure set aws_secret_access_key ${SECRET}\n`;
            const d = assertViolation(await pack().analyze(resource("aws:ec2/launchTemplate:LaunchTemplate", "tier", { userData: b64(script) })), USER_DATA, "mandatory",
                "userData contains an AWS secret access key (base64 encoded) (value withheld)");
            assert.ok(!d.message.includes(SECRET), d.message);
            assertViolation(await pack().analyze(resource("aws:ec2/instance:Instance", "tier", { userData: script })), USER_DATA, "mandatory",
                "userData contains an AWS secret access key (value withheld)");
        });

        it("is refused as a Lambda environment variable and a container variable named like one, whose name is not in the text", async () => {
            assertViolation(await pack().analyze(resource("aws:lambda/function:Function", "fn", { environment: { variables: { SECRET_ACCESS_KEY: SECRET } } })), PLAINTEXT, "mandatory",
                "environment.variables.SECRET_ACCESS_KEY contains an AWS secret access key");
            const containers = JSON.stringify([{ name: "app", environment: [{ name: "AwsSecretKey", value: SECRET }] }]);
            assertViolation(await pack().analyze(resource("aws:ecs/taskDefinition:TaskDefinition", "td", { family: "app", containerDefinitions: containers })), CONTAINERS, "mandatory",
                "(AwsSecretKey) contains an AWS secret access key");
        });

        it("is refused in a stack output named like one", async () => {
            const stack = resource("pulumi:pulumi:Stack", "e2e-tls-dev", { deployer: { accessKeyId: "AKIA", secretAccessKey: SECRET } });
            assertViolation(await pack().analyzeStack([stack]), OUTPUTS, "mandatory", "output deployer.secretAccessKey contains an AWS secret access key");
        });
    });

    it("refuses kmsKeyId \"aws/secretsmanager\" written without alias/", async () => {
        assertViolation(await pack().analyze(resource("aws:secretsmanager/secret:Secret", "tls", { kmsKeyId: "aws/secretsmanager" })), SECRET_CMK, "mandatory",
            'kmsKeyId is "aws/secretsmanager"', "AWS managed key");
        assertPasses(await pack().analyze(resource("aws:secretsmanager/secret:Secret", "tls", { kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/0f4c4b3e-1111-2222-3333-444455556666" })), SECRET_CMK);
    });

    describe("values read as the provider coerces them", () => {
        it("reads a KMS rotation flag \"true\" as on and a rotation period \"1000\" as 1000 days", async () => {
            assertPasses(await pack().analyze(resource("aws:kms/key:Key", "k", { enableKeyRotation: "true", rotationPeriodInDays: "365" })), ROTATION);
            assertViolation(await pack().analyze(resource("aws:kms/key:Key", "k", { enableKeyRotation: true, rotationPeriodInDays: "1000" })), ROTATION, "mandatory", "exceeds the 365-day maximum");
        });

        it("reads rsaBits \"1024\" as a 1024-bit key", async () => {
            assertViolation(await pack().analyze(resource("tls:index/privateKey:PrivateKey", "k", { algorithm: "RSA", rsaBits: "1024" })), STRENGTH, "mandatory", "below the 2048-bit minimum");
        });

        it("reads an IMDS hop limit \"64\" as 64", async () => {
            const lt = resource("aws:ec2/launchTemplate:LaunchTemplate", "tier", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: "64" } });
            assertViolation(await pack().analyze(lt), IMDS, "mandatory", "httpPutResponseHopLimit");
        });

        it("reads a security group rule's ports \"22\" as port 22", async () => {
            const rule = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: "22", toPort: "22", cidrIpv4: "0.0.0.0/0" });
            assertViolation(await pack().analyze(rule), WORLD, "mandatory", "opens TCP port 22 to the whole internet (0.0.0.0/0)");
        });
    });

    describe("public IPs on ECS tasks, the bypass ec2-no-public-ip stops on instances", () => {
        const service = (assignPublicIp: unknown) => resource("aws:ecs/service:Service", "web", { cluster: "c", networkConfiguration: { subnets: ["subnet-a"], assignPublicIp } });
        const native = (assignPublicIp: unknown) => resource("aws-native:ecs:Service", "web", { cluster: "c", networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-a"], assignPublicIp } } });

        it("refuses assignPublicIp true or \"true\" (aws) and \"ENABLED\" (aws-native)", async () => {
            for (const value of [true, "true"]) {
                assertViolation(await pack().analyze(service(value)), PUBLIC_IP, "mandatory", "networkConfiguration.assignPublicIp is", "bypasses the load balancer");
            }
            assertViolation(await pack().analyze(native("ENABLED")), PUBLIC_IP, "mandatory", "networkConfiguration.awsvpcConfiguration.assignPublicIp is \"ENABLED\"", '"DISABLED"');
        });

        it("accepts private tasks", async () => {
            assertPasses(await pack().analyze(service(false)), PUBLIC_IP);
            assertPasses(await pack().analyze(native("DISABLED")), PUBLIC_IP);
        });
    });

    describe("the internet spelled as several ranges or a prefix list", () => {
        it("knows when CIDRs cover the whole IPv4 or IPv6 space together", () => {
            assert.ok(coversWholeSpace(["0.0.0.0/1", "128.0.0.0/1"]));
            assert.ok(coversWholeSpace(["128.0.0.0/2", "0.0.0.0/1", "192.0.0.0/2"]));
            assert.ok(coversWholeSpace(["::/1", "8000::/1"]));
            assert.ok(!coversWholeSpace(["0.0.0.0/1", "128.0.0.0/2"]));
            assert.ok(!coversWholeSpace(["0.0.0.0/1", "8000::/1"]), "halves of different families");
            assert.ok(!coversWholeSpace(["10.0.0.0/8", "not-a-cidr"]));
        });

        it("refuses SSH from 0.0.0.0/1 and 128.0.0.0/1, inline and on a rule resource", async () => {
            const sg = resource("aws:ec2/securityGroup:SecurityGroup", "tier", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }] });
            assertViolation(await pack().analyze(sg), WORLD, "mandatory", "opens TCP port 22 to the whole internet (0.0.0.0/1, 128.0.0.0/1)");
            const rule = resource("aws:ec2/securityGroupRule:SecurityGroupRule", "ssh", { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/1", "8000::/1"] });
            assertViolation(await pack().analyze(rule), WORLD, "mandatory", "(::/1, 8000::/1)");
        });

        it("refuses SSH opened to the internet by two inline blocks together, once", async () => {
            const half = (cidr: string) => ({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [cidr] });
            const sg = resource("aws:ec2/securityGroup:SecurityGroup", "tier", { ingress: [half("0.0.0.0/1"), web443, half("128.0.0.0/1")] });
            assertViolation(await pack().analyze(sg), WORLD, "mandatory", "ingress[0] is", "to the whole internet together with the other blocks for the same ports (0.0.0.0/1, 128.0.0.0/1)");
        });

        it("refuses a port beyond the web ports from a prefix list unless the list is trusted by config", async () => {
            const rule = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 8443, toPort: 8443, prefixListId: "pl-0123456789abcdef0" });
            assertViolation(await pack().analyze(rule), WORLD, "mandatory", "prefix list pl-0123456789abcdef0, whose entries the pack cannot see", "trustedPrefixListIds");
            await pack().configure({ [WORLD]: { trustedPrefixListIds: ["pl-0123456789abcdef0"] } });
            assertPasses(await pack().analyze(rule), WORLD);
        });

        it("accepts a prefix list on the web ports and narrow ranges", async () => {
            const sg = resource("aws:ec2/securityGroup:SecurityGroup", "alb", { ingress: [
                { protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: ["pl-0123456789abcdef0"] },
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8", "192.168.0.0/16"] },
            ] });
            assertPasses(await pack().analyze(sg), WORLD);
        });
    });
});
