/**
 * Key material is looked for in every plain value of every resource of every provider, not in a
 * list of types: the places the pack used to miss (Spot requests and fleets, aws-native EC2,
 * Lightsail, Image Builder, SSM documents and String parameters, CodeBuild PLAINTEXT variables,
 * Batch, App Runner, AppConfig, tags) and a type no rule names refuse a key and accept the same
 * resource without one. The fields whose job is to hold a key accept it only while it is marked
 * secret, as the engine sends a secret to an analyzer.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import { assertPasses, assertViolation, of, resource, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { PLAIN } = RULES.secrets;

// Generated per run: no key text is committed.
const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const PEM = ec.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
const DER = ec.privateKey.export({ type: "sec1", format: "der" }) as Buffer;
const PUBLIC = ec.publicKey.export({ type: "spki", format: "pem" }) as string;
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const script = (extra: string) => `#!/bin/bash\nset -euo pipefail\ndnf install -y nginx\n${extra}\nsystemctl enable --now nginx\n`;
const writeKey = (key: string) => `cat > /etc/nginx/tls.key <<'EOF'\n${key}EOF`;

/** A resource that carries `secret` in one plain value, at `path`; the same resource carries a public key when `secret` is harmless. */
interface Carrier {
    readonly what: string;
    readonly token: string;
    readonly props: (secret: string) => Record<string, any>;
    readonly path: string;
    readonly secretInputs?: string[];
    /** A phrase the message must hold besides the path (the place's reader or remedy). */
    readonly says?: string;
}

const CARRIERS: Carrier[] = [
    { what: "a Spot instance request's user data", token: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
        props: (s) => ({ ami: "ami-0abc", instanceType: "t4g.nano", userData: script(writeKey(s)) }), path: "userData", says: "fetch it at boot" },
    { what: "a Spot fleet request's launch specification", token: "aws:ec2/spotFleetRequest:SpotFleetRequest",
        props: (s) => ({ iamFleetRole: "arn:aws:iam::123456789012:role/fleet", targetCapacity: 1, launchSpecifications: [{ ami: "ami-0abc", instanceType: "t4g.nano", userData: script(writeKey(s)) }] }),
        path: "launchSpecifications[0].userData", says: "user data" },
    { what: "an aws-native Spot fleet's launch specification", token: "aws-native:ec2:SpotFleet",
        props: (s) => ({ spotFleetRequestConfigData: { iamFleetRole: "arn:aws:iam::123456789012:role/fleet", targetCapacity: 1, launchSpecifications: [{ imageId: "ami-0abc", userData: b64(script(writeKey(s))) }] } }),
        path: "spotFleetRequestConfigData.launchSpecifications[0].userData", says: "user data" },
    { what: "an aws-native instance's user data", token: "aws-native:ec2:Instance",
        props: (s) => ({ imageId: "ami-0abc", userData: b64(script(writeKey(s))) }), path: "userData", says: "user data" },
    { what: "a Lightsail instance's user data", token: "aws:lightsail/instance:Instance",
        props: (s) => ({ availabilityZone: "us-east-1a", blueprintId: "amazon_linux_2023", bundleId: "nano_3_0", userData: script(writeKey(s)) }), path: "userData", says: "user data" },
    { what: "an Image Builder component's document", token: "aws:imagebuilder/component:Component",
        props: (s) => ({ name: "tls", platform: "Linux", version: "1.0.0", data: `name: tls\nschemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: key\n        action: ExecuteBash\n        inputs:\n          commands:\n            - echo '${b64(s)}' | base64 -d > /etc/nginx/tls.key\n` }),
        path: "data" },
    { what: "an Image Builder recipe's component parameter", token: "aws:imagebuilder/imageRecipe:ImageRecipe",
        props: (s) => ({ name: "web", parentImage: "ami-0abc", version: "1.0.0", components: [{ componentArn: "arn:aws:imagebuilder:us-east-1:123456789012:component/tls/1.0.0/1", parameters: [{ name: "TlsKey", value: s }] }] }),
        path: "components[0].parameters[0] (TlsKey)" },
    { what: "an SSM document's command", token: "aws:ssm/document:Document",
        props: (s) => ({ documentType: "Command", content: JSON.stringify({ schemaVersion: "2.2", mainSteps: [{ action: "aws:runShellScript", name: "key", inputs: { runCommand: ["set -e", `printf '%s' '${s}' > /etc/nginx/tls.key`] } }] }) }),
        path: 'content.mainSteps[0] ("key").inputs.runCommand[1]' },
    { what: "a String SSM parameter, marked secret as the SDK sends every parameter value", token: "aws:ssm/parameter:Parameter",
        props: (s) => ({ name: "/web/tls-key", type: "String", value: s }), secretInputs: ["value"], path: "value", says: "String parameter" },
    { what: "a CodeBuild PLAINTEXT environment variable", token: "aws:codebuild/project:Project",
        props: (s) => ({ name: "build", environment: { computeType: "BUILD_GENERAL1_SMALL", image: "aws/codebuild/standard:7.0", type: "LINUX_CONTAINER", environmentVariables: [{ name: "STAGE", value: "dev", type: "PLAINTEXT" }, { name: "TLS_KEY", value: s, type: "PLAINTEXT" }] } }),
        path: "environment.environmentVariables[1] (TLS_KEY)", says: "SECRETS_MANAGER" },
    { what: "a Batch job definition's container environment", token: "aws:batch/jobDefinition:JobDefinition",
        props: (s) => ({ name: "job", type: "container", containerProperties: JSON.stringify({ image: "nginx", environment: [{ name: "TLS_KEY", value: s }] }) }),
        path: "containerProperties.environment[0] (TLS_KEY)", says: "batch:DescribeJobDefinitions" },
    { what: "an App Runner service's runtime environment", token: "aws:apprunner/service:Service",
        props: (s) => ({ serviceName: "web", sourceConfiguration: { imageRepository: { imageIdentifier: "public.ecr.aws/nginx/nginx:1.27", imageRepositoryType: "ECR_PUBLIC", imageConfiguration: { port: "8443", runtimeEnvironmentVariables: { TLS_KEY: s } } } } }),
        path: "sourceConfiguration.imageRepository.imageConfiguration.runtimeEnvironmentVariables.TLS_KEY", says: "runtimeEnvironmentSecrets" },
    { what: "an AppConfig hosted configuration", token: "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion",
        props: (s) => ({ applicationId: "app", configurationProfileId: "prof", contentType: "application/json", content: JSON.stringify({ tls: { key: s } }) }), path: "content.tls.key" },
    { what: "a bucket's tags", token: "aws:s3/bucketV2:BucketV2",
        props: (s) => ({ bucket: "logs", tags: { owner: "platform", bootstrap: b64(s) } }), path: "tags.bootstrap", says: "is a tag" },
    { what: "a launch template's tag specifications", token: "aws:ec2/launchTemplate:LaunchTemplate",
        props: (s) => ({ tagSpecifications: [{ resourceType: "instance", tags: { Owner: "platform", Bootstrap: s } }] }), path: "tagSpecifications[0].tags.Bootstrap", says: "is a tag" },
    { what: "aws-native tags", token: "aws-native:s3:Bucket",
        props: (s) => ({ bucketName: "logs", tags: [{ key: "bootstrap", value: s }] }), path: "tags[0] (bootstrap)", says: "is a tag" },
    { what: "a Kubernetes ConfigMap", token: "kubernetes:core/v1:ConfigMap",
        props: (s) => ({ metadata: { name: "tls" }, data: { "tls.key": s } }), path: "data.tls.key" },
    { what: "a resource of a type the pack has never heard of", token: "acme:widgets:Widget",
        props: (s) => ({ spec: { replicas: 2, nodes: [{ init: script(writeKey(s)) }] } }), path: "spec.nodes[0].init", says: "readable by anyone who can describe the resource" },
];

describe("key material in every plain value of every resource", () => {
    const pack = usePackPerTest();
    const analyze = (c: Carrier, secret: string) => pack().analyze(resource(c.token, "x", c.props(secret), { secretInputs: c.secretInputs }));

    for (const c of CARRIERS) {
        it(`refuses a private key in ${c.what} (${c.token}), naming the value and withholding it, and accepts the resource with a public key there`, async () => {
            const d = assertViolation(await analyze(c, PEM), PLAIN, "mandatory", `(${c.token}): ${c.path} contains a PEM "PRIVATE KEY" block`, "(value withheld)", "Fix:", ...(c.says ? [c.says] : []));
            assert.ok(!d.message.includes(PEM.split("\n")[1]), d.message);
            // Nor the value as the resource stores it (base64 in some carriers): no 40-character slice of it.
            const stored = JSON.stringify(c.props(PEM));
            for (let i = 0; i + 40 <= stored.length; i += 20) assert.ok(!d.message.includes(stored.slice(i, i + 40)), `the message repeats ${stored.slice(i, i + 40)}`);
            assertPasses(await analyze(c, PUBLIC), PLAIN);
        });
    }

    it("refuses a key once, under one rule, however many rules read the resource", async () => {
        const result = await pack().analyze(resource("aws:ec2/instance:Instance", "box", { ami: "ami-0abc", userData: script(writeKey(PEM)), userDataReplaceOnChange: false }));
        const keyFindings = result.diagnostics.filter((d) => d.message.includes("PRIVATE KEY"));
        assert.deepStrictEqual(keyFindings.map((d) => d.policyName), [PLAIN]);
    });

    /** A secret-holding field: where the key belongs, as long as the value is marked secret. */
    const HOLDERS: { token: string; field: string; value: () => string; props?: Record<string, any> }[] = [
        { token: "aws:secretsmanager/secretVersion:SecretVersion", field: "secretString", value: () => PEM, props: { secretId: "arn:aws:secretsmanager:us-east-1:123456789012:secret:tls" } },
        { token: "aws:secretsmanager/secretVersion:SecretVersion", field: "secretBinary", value: () => b64(DER) },
        { token: "aws-native:secretsmanager:Secret", field: "secretString", value: () => JSON.stringify({ key: PEM }) },
        { token: "aws:ssm/parameter:Parameter", field: "value", value: () => PEM, props: { name: "/web/tls-key", type: "SecureString" } },
        { token: "aws:acm/certificate:Certificate", field: "privateKey", value: () => PEM, props: { certificateBody: PUBLIC } },
        { token: "aws:iam/serverCertificate:ServerCertificate", field: "privateKey", value: () => PEM },
        { token: "tls:index/privateKey:PrivateKey", field: "privateKeyPem", value: () => PEM, props: { algorithm: "ECDSA", ecdsaCurve: "P256" } },
        { token: "tls:index/selfSignedCert:SelfSignedCert", field: "privateKeyPem", value: () => PEM },
        { token: "tls:index/locallySignedCert:LocallySignedCert", field: "caPrivateKeyPem", value: () => PEM },
        { token: "kubernetes:core/v1:Secret", field: "stringData", value: () => PEM },
    ];

    for (const h of HOLDERS) {
        const holder = (secretInputs: string[]) => resource(h.token, "tls", { ...h.props, [h.field]: h.field === "stringData" ? { "tls.key": h.value() } : h.value() }, { secretInputs });

        it(`accepts a key in ${h.token} ${h.field} marked secret, and refuses it there unmarked`, async () => {
            assertPasses(await pack().analyze(holder([h.field])), PLAIN);
            assertViolation(await pack().analyze(holder([])), PLAIN, "mandatory", `(${h.token}): ${h.field}`, "is not marked secret", "pulumi.secret()");
        });
    }

    it("refuses a key in a secret-marked value of a field whose job is not to hold one", async () => {
        const widget = resource("acme:widgets:Widget", "x", { spec: { init: PEM } }, { secretInputs: ["spec"] });
        assertViolation(await pack().analyze(widget), PLAIN, "mandatory", "spec.init contains");
        const description = resource("aws:secretsmanager/secretVersion:SecretVersion", "tls", { secretString: "{}", versionStages: [b64(DER)] }, { secretInputs: ["versionStages"] });
        assertViolation(await pack().analyze(description), PLAIN, "mandatory", "versionStages[0] contains a DER EC (SEC1) private key (base64 encoded)");
    });

    it("reports nothing for an SSM parameter whose value is marked and whose type is unknown in preview", async () => {
        const parameter = resource("aws:ssm/parameter:Parameter", "p", { type: UNKNOWN, value: PEM }, { secretInputs: ["value"] });
        assert.deepStrictEqual(of(await pack().analyze(parameter), PLAIN), []);
    });

    it("refuses AWS credentials in environment variables of any resource, named like them", async () => {
        const result = await pack().analyze(resource("aws:codebuild/project:Project", "build", {
            environment: { environmentVariables: [{ name: "AWS_SECRET_ACCESS_KEY", value: "placeholder", type: "PLAINTEXT" }] },
        }));
        assertViolation(result, PLAIN, "mandatory", "environment.environmentVariables[0] (AWS_SECRET_ACCESS_KEY) is set to a plain value", "SECRETS_MANAGER");
    });
});
