import * as assert from "assert";
import * as crypto from "crypto";
import * as zlib from "zlib";
import { mockTlsResource } from "../../offline/engine/mock-tls";
import { findKeyMaterial } from "../../policies/rules/key-material-detector";
// How the engine serializes an asset (policies/shared/wire.ts).
import { ASSET_SIG, SPECIAL_SIG_KEY as ASSET_SIG_KEY } from "../../policies/shared/wire";
import { assertPasses, assertViolation, of, resource, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { PLAIN, OUTPUTS } = RULES.secrets;
const [USER_DATA, CONTAINERS, PLAINTEXT] = [PLAIN, PLAIN, PLAIN];

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SSM_PARAMETER = "aws:ssm/parameter:Parameter";
const BUCKET_OBJECT_V2 = "aws:s3/bucketObjectv2:BucketObjectv2";
const BUCKET_OBJECT = "aws:s3/bucketObject:BucketObject";
const LAMBDA = "aws:lambda/function:Function";
const STACK = "pulumi:pulumi:Stack";

const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

/**
 * Key material in every shape the detector knows, generated for this run only (never committed).
 * Armour lines for formats Node cannot write are assembled from parts so the source holds none.
 */
interface Keys {
    rsaPkcs1Pem: string;
    ecSec1Pem: string;
    ecPkcs8Pem: string;
    encryptedPkcs8Pem: string;
    openSshArmour: string;
    puttyFile: string;
    ecSec1Der: Buffer;
    encryptedPkcs8Der: Buffer;
    rsaPkcs1Der: Buffer;
    publicKeyPem: string;
    certificatePem: string;
    awsAccessKeyId: string;
}

async function makeKeys(): Promise<Keys> {
    const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const ec = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const pass = { cipher: "aes-256-cbc", passphrase: crypto.randomBytes(8).toString("hex") };
    const dashes = "-".repeat(5);
    const body = crypto.randomBytes(96).toString("base64");
    const base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const keyId = Array.from(crypto.randomBytes(16), (b) => base32[b % 32]).join("");

    // A real CA certificate, made by the offline @pulumi/tls stand-in.
    const caKey = await mockTlsResource("tls:index/privateKey:PrivateKey", "ca", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const ca = await mockTlsResource("tls:index/selfSignedCert:SelfSignedCert", "ca", {
        privateKeyPem: caKey.state.privateKeyPem, validityPeriodHours: 24, isCaCertificate: true,
        allowedUses: ["cert_signing", "crl_signing"], subject: { commonName: "trust store test CA" },
    });
    return {
        rsaPkcs1Pem: rsa.privateKey.export({ type: "pkcs1", format: "pem" }) as string,
        ecSec1Pem: ec.privateKey.export({ type: "sec1", format: "pem" }) as string,
        ecPkcs8Pem: ec.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
        encryptedPkcs8Pem: ec.privateKey.export({ type: "pkcs8", format: "pem", ...pass }) as string,
        openSshArmour: `${dashes}BEGIN OPENSSH PRIVATE KEY${dashes}\n${body}\n${dashes}END OPENSSH PRIVATE KEY${dashes}\n`,
        puttyFile: `PuTTY-User-Key-File-3: ecdsa-sha2-nistp256\nEncryption: none\nPublic-Lines: 1\n${body}\n`,
        ecSec1Der: ec.privateKey.export({ type: "sec1", format: "der" }) as Buffer,
        encryptedPkcs8Der: ec.privateKey.export({ type: "pkcs8", format: "der", ...pass }) as Buffer,
        rsaPkcs1Der: rsa.privateKey.export({ type: "pkcs1", format: "der" }) as Buffer,
        publicKeyPem: ec.publicKey.export({ type: "spki", format: "pem" }) as string,
        certificatePem: ca.state.certPem,
        awsAccessKeyId: `AKIA${keyId}`,
    };
}

/** The middle of a PEM body: if a message contains it, the key leaked into the diagnostic. */
function keyBodySample(pem: string): string {
    return pem.split("\n")[1];
}

const script = (extra: string) => `#!/bin/bash\nset -euo pipefail\ndnf install -y nginx\n${extra}\nsystemctl enable --now nginx\n`;

describe("secrets policies", function () {
    let keys: Keys;
    before(async function () {
        this.timeout(30_000);
        keys = await makeKeys();
    });
    const pack = usePackPerTest();

    describe("the key material detector", () => {
        it("finds keys in every supported encoding and ignores certificates and public keys", () => {
            const found = (text: string) => findKeyMaterial(text)?.kind;
            assert.strictEqual(found(keys.rsaPkcs1Pem), 'a PEM "RSA PRIVATE KEY" block');
            assert.strictEqual(found(keys.ecSec1Pem), 'a PEM "EC PRIVATE KEY" block');
            assert.strictEqual(found(keys.encryptedPkcs8Pem), 'a PEM "ENCRYPTED PRIVATE KEY" block');
            assert.strictEqual(found(`KEY=${b64(keys.ecSec1Der)}`), "a DER EC (SEC1) private key");
            assert.strictEqual(found(`KEY=${b64(keys.rsaPkcs1Der)}`), "a DER RSA (PKCS#1) or DSA private key");
            assert.strictEqual(found(`KEY=${b64(keys.encryptedPkcs8Der)}`), "a DER encrypted PKCS#8 private key");
            assert.strictEqual(found(keys.certificatePem + keys.publicKeyPem), undefined);
            assert.strictEqual(found(b64(keys.certificatePem)), undefined);
        });
    });

    describe(USER_DATA, () => {
        it("accepts user data that installs nginx and a CA bundle but no key", async () => {
            const userData = script(`cat > /etc/nginx/ca.pem <<'EOF'\n${keys.certificatePem}EOF`);
            assertPasses(await pack().analyze(resource(LT, "tier", { userData: b64(userData) })), USER_DATA);
            assertPasses(await pack().analyze(resource(INSTANCE, "tier", { userData })), USER_DATA);
        });

        it("refuses a PEM key in launch template user data and withholds the key from the message", async () => {
            const result = await pack().analyze(resource(LT, "tier", { userData: b64(script(`echo '${keys.ecPkcs8Pem}' > /etc/nginx/tls.key`)) }));
            const d = assertViolation(result, USER_DATA, "mandatory",
                'LaunchTemplate "tier" (aws:ec2/launchTemplate:LaunchTemplate): userData contains a PEM "PRIVATE KEY" block (base64 encoded)',
                "(value withheld)", "Fix:", "Secrets Manager");
            assert.ok(!d.message.includes(keyBodySample(keys.ecPkcs8Pem)), "the key body must not appear in the diagnostic");
        });

        it("looks inside gzip-compressed cloud-config", async () => {
            const cloudConfig = `#cloud-config\nwrite_files:\n  - path: /etc/nginx/tls.key\n    content: |\n      ${keys.ecSec1Pem.replace(/\n/g, "\n      ")}`;
            const result = await pack().analyze(resource(LT, "tier", { userData: zlib.gzipSync(cloudConfig).toString("base64") }));
            assertViolation(result, USER_DATA, "mandatory", 'userData contains a PEM "EC PRIVATE KEY" block (base64, gzip encoded)');
        });

        it("finds a key hidden as base64 inside a script", async () => {
            const result = await pack().analyze(resource(INSTANCE, "box", { userData: script(`echo ${b64(keys.rsaPkcs1Pem).slice(0, 76)} | base64 -d`) }));
            assertViolation(result, USER_DATA, "mandatory", 'Instance "box" (aws:ec2/instance:Instance): userData contains a PEM "RSA PRIVATE KEY" block (base64 encoded)');
        });

        const shapes: [string, () => string, string][] = [
            ["an encrypted PKCS#8 PEM key", () => keys.encryptedPkcs8Pem, 'a PEM "ENCRYPTED PRIVATE KEY" block'],
            ["an OpenSSH private key", () => keys.openSshArmour, 'a PEM "OPENSSH PRIVATE KEY" block'],
            ["a PuTTY key file", () => keys.puttyFile, "a PuTTY private key file"],
            ["an unarmoured DER EC key", () => `KEY=${b64(keys.ecSec1Der)}`, "a DER EC (SEC1) private key (base64 encoded)"],
            ["an unarmoured encrypted PKCS#8 key", () => `KEY=${b64(keys.encryptedPkcs8Der)}`, "a DER encrypted PKCS#8 private key (base64 encoded)"],
            ["an AWS access key ID", () => `export AWS_ACCESS_KEY_ID=${keys.awsAccessKeyId}`, "an AWS access key ID"],
        ];
        for (const [what, make, kind] of shapes) {
            it(`refuses ${what} in instance user data`, async () => {
                const result = await pack().analyze(resource(INSTANCE, "box", { userData: script(make()) }));
                assertViolation(result, USER_DATA, "mandatory", `userData contains ${kind}`);
            });
        }

        it("reads userDataBase64 on instances", async () => {
            const result = await pack().analyze(resource(INSTANCE, "box", { userDataBase64: b64(keys.ecSec1Pem) }));
            assertViolation(result, USER_DATA, "mandatory", 'userDataBase64 contains a PEM "EC PRIVATE KEY" block (base64 encoded)');
        });

        it("stops looking for AWS access key IDs when the config says so", async () => {
            const userData = script(`export AWS_ACCESS_KEY_ID=${keys.awsAccessKeyId}`);
            await pack().configure({ [USER_DATA]: { detectAwsAccessKeyIds: false } });
            assertPasses(await pack().analyze(resource(INSTANCE, "box", { userData })), USER_DATA);
        });

        it("reports nothing while the user data is unknown in preview", async () => {
            const result = await pack().analyze(resource(LT, "tier", { userData: UNKNOWN }));
            assert.deepStrictEqual(of(result, USER_DATA), []);
        });

        it("reports a key in a secret-marked user data too", async () => {
            const result = await pack().analyze(resource(INSTANCE, "box", { userData: script(keys.ecSec1Pem) }, { secretInputs: ["userData"] }));
            assertViolation(result, USER_DATA, "mandatory", 'userData contains a PEM "EC PRIVATE KEY" block');
        });
    });

    describe(CONTAINERS, () => {
        const task = (containers: object[]) => resource(TASK_DEFINITION, "web", { family: "web", containerDefinitions: JSON.stringify(containers) });
        const nginx = (extra: object = {}) => ({
            name: "nginx",
            image: "public.ecr.aws/nginx/nginx:1.27",
            environment: [{ name: "BACKEND_PORT", value: "8443" }],
            secrets: [{ name: "TLS_KEY", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:backend-tls" }],
            ...extra,
        });

        it("accepts keys passed through secrets (valueFrom)", async () => {
            assertPasses(await pack().analyze(task([nginx()])), CONTAINERS);
        });

        it("refuses a PEM key in an environment variable, naming container and variable", async () => {
            const result = await pack().analyze(task([nginx({ environment: [{ name: "BACKEND_PORT", value: "8443" }, { name: "TLS_KEY", value: keys.ecPkcs8Pem }] })]));
            const d = assertViolation(result, CONTAINERS, "mandatory",
                'TaskDefinition "web" (aws:ecs/taskDefinition:TaskDefinition): containerDefinitions[0] ("nginx").environment[1] (TLS_KEY) contains a PEM "PRIVATE KEY" block',
                "container's secrets");
            assert.ok(!d.message.includes(keyBodySample(keys.ecPkcs8Pem)));
        });

        it("refuses AWS credentials in the environment variables Security Hub ECS.8 names", async () => {
            const result = await pack().analyze(task([nginx({ environment: [{ name: "AWS_SECRET_ACCESS_KEY", value: "not-a-real-secret" }] })]));
            assertViolation(result, CONTAINERS, "mandatory", "environment[0] (AWS_SECRET_ACCESS_KEY) is set to a plain value");
        });

        it("refuses a key written into the container command", async () => {
            const result = await pack().analyze(task([nginx({ command: ["sh", "-c", `printf '%s' '${keys.ecSec1Pem}' > /k && nginx`] })]));
            assertViolation(result, CONTAINERS, "mandatory", 'containerDefinitions[0] ("nginx").command[2] contains a PEM "EC PRIVATE KEY" block');
        });

        it("takes the forbidden variable names from config", async () => {
            await pack().configure({ [CONTAINERS]: { forbiddenEnvironmentNames: ["DB_PASSWORD"] } });
            const result = await pack().analyze(task([nginx({ environment: [{ name: "db_password", value: "hunter2" }] })]));
            assertViolation(result, CONTAINERS, "mandatory", "(db_password) is set to a plain value");
        });

        it("reports nothing while the container definitions are unknown in preview", async () => {
            const result = await pack().analyze(resource(TASK_DEFINITION, "web", { family: "web", containerDefinitions: UNKNOWN }));
            assert.deepStrictEqual(of(result, CONTAINERS), []);
        });
    });

    describe(PLAINTEXT, () => {
        it("refuses a key in a String SSM parameter and accepts it in a SecureString", async () => {
            const result = await pack().analyze(resource(SSM_PARAMETER, "tls-key", { name: "/web/tls-key", type: "String", value: keys.ecPkcs8Pem }));
            assertViolation(result, PLAINTEXT, "mandatory",
                'Parameter "tls-key" (aws:ssm/parameter:Parameter): value contains a PEM "PRIVATE KEY" block', "String parameter", "SecureString");
            assertPasses(await pack().analyze(resource(SSM_PARAMETER, "tls-key", { name: "/web/tls-key", type: "SecureString", value: keys.ecPkcs8Pem }, { secretInputs: ["value"] })), PLAINTEXT);
        });

        it("refuses a key in insecureValue whatever the parameter type", async () => {
            const result = await pack().analyze(resource(SSM_PARAMETER, "tls-key", { name: "/web/tls-key", type: "SecureString", insecureValue: keys.ecSec1Pem }));
            assertViolation(result, PLAINTEXT, "mandatory", "insecureValue contains");
        });

        it("accepts a CA bundle uploaded to S3 for the trust store", async () => {
            assertPasses(await pack().analyze(resource(BUCKET_OBJECT_V2, "ca-bundle", { bucket: "trust", key: "ca.pem", content: keys.certificatePem })), PLAINTEXT);
        });

        it("refuses a key in an S3 object's content, contentBase64 or string asset source", async () => {
            assertViolation(await pack().analyze(resource(BUCKET_OBJECT_V2, "leak", { bucket: "b", key: "k", content: keys.rsaPkcs1Pem })),
                PLAINTEXT, "mandatory", 'BucketObjectv2 "leak" (aws:s3/bucketObjectv2:BucketObjectv2): content contains a PEM "RSA PRIVATE KEY" block');
            assertViolation(await pack().analyze(resource(BUCKET_OBJECT, "leak", { bucket: "b", key: "k", contentBase64: b64(keys.ecSec1Der) })),
                PLAINTEXT, "mandatory", "contentBase64 contains a DER EC (SEC1) private key (base64 encoded)");
            const asset = { [ASSET_SIG_KEY]: ASSET_SIG, text: keys.ecPkcs8Pem };
            assertViolation(await pack().analyze(resource(BUCKET_OBJECT_V2, "leak", { bucket: "b", key: "k", source: asset })),
                PLAINTEXT, "mandatory", 'source contains a PEM "PRIVATE KEY" block');
        });

        it("refuses a key in a Lambda environment variable", async () => {
            const result = await pack().analyze(resource(LAMBDA, "fn", { environment: { variables: { STAGE: "dev", CLIENT_KEY: keys.ecSec1Pem } } }));
            assertViolation(result, PLAINTEXT, "mandatory", "environment.variables.CLIENT_KEY contains");
        });

        it("reports nothing while the parameter type or value is unknown in preview", async () => {
            assert.deepStrictEqual(of(await pack().analyze(resource(SSM_PARAMETER, "p", { type: UNKNOWN, value: keys.ecSec1Pem })), PLAINTEXT), []);
            assert.deepStrictEqual(of(await pack().analyze(resource(SSM_PARAMETER, "p", { type: "String", value: UNKNOWN })), PLAINTEXT), []);
        });
    });

    describe(OUTPUTS, () => {
        const stack = (outputs: Record<string, any>, secretInputs: string[] = []) =>
            resource(STACK, "e2e-tls-dev", outputs, { secretInputs });
        const tlsKey = () => resource("tls:index/privateKey:PrivateKey", "client", { algorithm: "ECDSA", ecdsaCurve: "P256", privateKeyPem: keys.ecSec1Pem }, { secretInputs: ["privateKeyPem"] });

        it("accepts outputs that carry ARNs and names, and keys kept in resource state", async () => {
            const result = await pack().analyzeStack([stack({ albDnsName: "web-123.us-east-1.elb.amazonaws.com", clientKeySecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:client" }), tlsKey()]);
            assertPasses(result, OUTPUTS);
        });

        it("refuses a private key in a stack output, plain or secret, at the stack's URN", async () => {
            for (const secret of [[], ["clients"]]) {
                const result = await pack().analyzeStack([stack({ albDnsName: "x", clients: { alice: { keyPem: keys.ecPkcs8Pem } } }, secret), tlsKey()]);
                const d = assertViolation(result, OUTPUTS, "mandatory",
                    'Stack "e2e-tls-dev" (pulumi:pulumi:Stack): output clients.alice.keyPem contains a PEM "PRIVATE KEY" block', "secret or not", "ARN");
                assert.strictEqual(d.urn, "urn:pulumi:test::e2e-tls::pulumi:pulumi:Stack::e2e-tls-dev");
                assert.ok(!d.message.includes(keyBodySample(keys.ecPkcs8Pem)));
            }
        });

        it("lets config exempt a reviewed output", async () => {
            await pack().configure({ [OUTPUTS]: { allowedOutputNames: ["clients"] } });
            assertPasses(await pack().analyzeStack([stack({ clients: { alice: { keyPem: keys.ecPkcs8Pem } } })]), OUTPUTS);
        });

        it("reports nothing for outputs that are unknown in preview", async () => {
            assertPasses(await pack().analyzeStack([stack({ clients: UNKNOWN })]), OUTPUTS);
        });
    });
});
