/**
 * Secure and insecure resources of the token families the other tests left out: rules beyond
 * ELBv2 on the aws-native tokens they read in a `@pulumi/aws` shape (SSM parameters and Lambda
 * functions, which keep the aws property names; launch configurations and instances, whose
 * base64 user data the adapter moves to `userDataBase64`), the v5 and aws-native classic
 * load balancer policies, and the inspection rule on every token it claims.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import { allPolicies } from "../../policies/rules";
import { claimedTokens } from "../../policies/framework";
import { adversarialInputs } from "../../offline/analyzer/adversarial";
import { assertPasses, assertViolation, resource, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { PLAIN: USER_DATA } = RULES.secrets;
const PLAINTEXT = USER_DATA;
const { INSPECTED } = RULES["secrets-inspection"];
const { IMDS, PUBLIC_IP } = RULES.instances;
const LIMITS = RULES["deploy-limits"];
const { BACKEND_AUTH } = RULES["classic-elb"];

const N = (module: string, type: string) => `aws-native:${module}:${type}`;
const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64");
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:backend-tls-AbCdEf";

// Generated per run: no key text is committed.
const keyPem = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;

describe("token families the other tests left out", () => {
    const pack = usePackPerTest();

    it("refuses a private key in a String aws-native SSM parameter, and accepts a plain setting", async () => {
        const parameter = (value: string) => resource(N("ssm", "Parameter"), "tier-config", { type: "String", value });
        assertViolation(await pack().analyze(parameter(keyPem)), PLAINTEXT, "mandatory", `(${N("ssm", "Parameter")}): value contains a PEM`);
        assertPasses(await pack().analyze(parameter("backend-port=8443")), PLAINTEXT);
    });

    for (const token of ["aws:lambda/function:Function", N("lambda", "Function")]) {
        it(`refuses a private key in a Lambda environment variable and accepts plain ones (${token})`, async () => {
            const fn = (variables: Record<string, string>) => resource(token, "rotator", { runtime: "nodejs20.x", environment: { variables } });
            assertViolation(await pack().analyze(fn({ TLS_KEY: keyPem })), PLAINTEXT, "mandatory", `(${token}): environment.variables.TLS_KEY contains a PEM`);
            assertPasses(await pack().analyze(fn({ SECRET_ARN, LOG_LEVEL: "info" })), PLAINTEXT);
        });
    }

    describe("aws-native launch configurations, whose UserData is base64", () => {
        const lc = (props: Record<string, any>) => resource(N("autoscaling", "LaunchConfiguration"), "web", {
            imageId: "ami-0abc", instanceType: "t4g.nano", metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 }, ...props,
        });

        it("refuses a private key in the user data and accepts a boot script without one", async () => {
            assertViolation(await pack().analyze(lc({ userData: b64(`#!/bin/sh\ncat > /etc/nginx/key.pem <<EOF\n${keyPem}EOF\n`) })), USER_DATA, "mandatory",
                `(${N("autoscaling", "LaunchConfiguration")}):`, "contains a PEM");
            assertPasses(await pack().analyze(lc({ userData: b64("#!/bin/sh\nsystemctl enable --now nginx\n") })), USER_DATA);
        });

        it("refuses a public address and accepts IMDSv2 without one", async () => {
            assertViolation(await pack().analyze(lc({ associatePublicIpAddress: true })), PUBLIC_IP, "mandatory", `(${N("autoscaling", "LaunchConfiguration")}): associatePublicIpAddress is true`);
            const good = await pack().analyze(lc({ associatePublicIpAddress: false }));
            assertPasses(good, PUBLIC_IP);
            assertPasses(good, IMDS);
        });
    });

    for (const [module, type] of [["ec2", "Instance"], ["autoscaling", "LaunchConfiguration"]]) {
        it(`refuses user data over 16 KB raw and accepts a small script (${N(module, type)})`, async () => {
            const withUserData = (raw: string) => resource(N(module, type), "web", { imageId: "ami-0abc", userData: b64(raw) });
            assertViolation(await pack().analyze(withUserData("#".repeat(16 * 1024 + 1))), LIMITS.USER_DATA, "advisory", `(${N(module, type)}): userData is "16385 bytes decoded"`);
            assertPasses(await pack().analyze(withUserData("#!/bin/sh\ntrue\n")), LIMITS.USER_DATA);
        });
    }

    it("refuses an aws-native task definition secret named without its ARN and accepts the full ARN", async () => {
        const td = (valueFrom: string) => resource(N("ecs", "TaskDefinition"), "web", {
            family: "web", containerDefinitions: [{ name: "web", image: "nginx", secrets: [{ name: "TLS_KEY", valueFrom }] }],
        });
        assertViolation(await pack().analyze(td("backend-tls:key::")), LIMITS.SECRETS, "advisory", `(${N("ecs", "TaskDefinition")})`);
        assertPasses(await pack().analyze(td(`${SECRET_ARN}:key::`)), LIMITS.SECRETS);
    });

    describe(`${BACKEND_AUTH} on the v5 and aws-native tokens`, () => {
        const v5 = (attributes: unknown[]) => resource("aws:elasticloadbalancing/loadBalancerPolicy:LoadBalancerPolicy", "backend-auth",
            { loadBalancerName: "web-elb", policyName: "auth", policyTypeName: "BackendServerAuthenticationPolicyType", policyAttributes: attributes });
        const native = (attributes: unknown[]) => resource(N("elasticloadbalancing", "LoadBalancer"), "web-elb", {
            listeners: [{ protocol: "HTTPS", loadBalancerPort: 443, instanceProtocol: "HTTPS", instancePort: 8443 }],
            policies: [{ policyName: "auth", policyType: "BackendServerAuthenticationPolicyType", attributes }],
        });

        it("refuses a back-end authentication policy without a public key policy and accepts one with it (aws:elasticloadbalancing)", async () => {
            assertViolation(await pack().analyze(v5([])), BACKEND_AUTH, "mandatory", "(aws:elasticloadbalancing/loadBalancerPolicy:LoadBalancerPolicy)", "authenticates no back-end certificate");
            assertPasses(await pack().analyze(v5([{ name: "PublicKeyPolicyName", value: "backend-ca" }])), BACKEND_AUTH);
        });

        it("refuses a CloudFormation policy without a public key policy and accepts one with it (aws-native:elasticloadbalancing)", async () => {
            assertViolation(await pack().analyze(native([])), BACKEND_AUTH, "mandatory", `(${N("elasticloadbalancing", "LoadBalancer")}): policies[0].attributes`);
            assertPasses(await pack().analyze(native([{ Name: "PublicKeyPolicyName", Value: "backend-ca" }])), BACKEND_AUTH);
        });
    });

    describe(`${INSPECTED} on every token it claims`, () => {
        const deep = adversarialInputs().find((i) => i.name === "deep base64")!.value;
        const plain = "a plain description that is long enough to be inspected by the detector, and holds no key";
        const inspected = allPolicies.find((p) => p.name === INSPECTED)!;
        // Every resource of every provider: the families the rule used to list, and ones no rule names.
        const tokens = ["aws:ec2/launchTemplate:LaunchTemplate", N("ec2", "LaunchTemplate"), "aws:ecs/taskDefinition:TaskDefinition", "aws:ssm/parameter:Parameter",
            "aws:s3/bucketObjectv2:BucketObjectv2", N("lambda", "Function"), "aws:ec2/spotInstanceRequest:SpotInstanceRequest", "kubernetes:core/v1:ConfigMap", "acme:widgets:Widget"];
        it("claims every resource of every provider", () => {
            assert.deepStrictEqual(claimedTokens(inspected), ["*"]);
        });
        for (const token of tokens) {
            it(`says a value nested past the budget could not be inspected, and passes a plain one (${token})`, async () => {
                assertViolation(await pack().analyze(resource(token, "x", { description: deep })), INSPECTED, "advisory", `(${token}): description could not be fully inspected`);
                assertPasses(await pack().analyze(resource(token, "x", { description: plain })), INSPECTED);
            });
        }
    });
});
