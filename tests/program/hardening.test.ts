import * as assert from "assert";
import { x509 } from "../../offline/engine/x509-build";
import { leafUses } from "../../components/pki/ca";
import { s3GatewayEndpointPolicy } from "../../components/network/network";
import { HSTS_HEADER_VALUE } from "../../components/edge/listeners";
import { byOutput, ofType, one, run } from "./support";

const ACCOUNT = "123456789012";

describe("hardening under mocks: HSTS, flow-logs trust, S3 endpoint scope, ECDSA key usage, CRL replacement", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: the HTTPS listener adds Strict-Transport-Security for a year with subdomains and no preload`, async () => {
            const https = ofType(await run(stack), "aws:lb/listener:Listener").filter(l => l.inputs.protocol === "HTTPS");
            assert.strictEqual(https.length, 1);
            assert.strictEqual(https[0].inputs.routingHttpResponseStrictTransportSecurityHeaderValue, "max-age=31536000; includeSubDomains");
            assert.strictEqual(HSTS_HEADER_VALUE, "max-age=31536000; includeSubDomains");
        });
    }

    it("prod: only this account's and region's VPC flow logs may assume the flow-logs role", async () => {
        const r = await run("prod");
        const flowLog = one(r, "aws:ec2/flowLog:FlowLog");
        const role = byOutput(r, "arn", flowLog.inputs.iamRoleArn);
        assert.ok(role, "the flow log's role is not in the stack");
        const trust = JSON.parse(role.inputs.assumeRolePolicy);
        assert.strictEqual(trust.Statement.length, 1);
        const [s] = trust.Statement;
        assert.deepStrictEqual(s.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
        assert.deepStrictEqual(s.Condition, {
            StringEquals: { "aws:SourceAccount": ACCOUNT },
            ArnLike: { "aws:SourceArn": `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-flow-log/*` },
        });
    });

    for (const [stack, config] of [["dev", {}], ["prod", {}], ["dev", { "aws:region": "eu-west-3" }]] as const) {
        it(`${stack}${Object.keys(config).length ? " in eu-west-3" : ""}: the S3 gateway endpoint reads only the AWS-owned buckets the tier needs`, async () => {
            const r = await run(stack, config);
            const region = config["aws:region" as keyof typeof config] ?? "us-east-1";
            const s3 = ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(e => e.inputs.vpcEndpointType === "Gateway");
            assert.strictEqual(s3.length, 1);
            assert.ok(s3[0].inputs.policy, "the S3 gateway endpoint has no policy: it reaches every bucket");
            const policy = JSON.parse(s3[0].inputs.policy);
            assert.deepStrictEqual(policy.Statement, [{
                Sid: "AwsOwnedBucketsTheTierReads", Effect: "Allow", Principal: "*", Action: "s3:GetObject",
                Resource: [
                    `arn:aws:s3:::al2023-repos-${region}-de612dc2/*`,
                    `arn:aws:s3:::prod-${region}-starport-layer-bucket/*`,
                    `arn:aws:s3:::amazon-ssm-${region}/*`,
                    `arn:aws:s3:::aws-ssm-${region}/*`,
                ],
            }]);
        });
    }

    it("builds the endpoint policy from the partition and region it is given, with no wildcard bucket", () => {
        const policy = s3GatewayEndpointPolicy("aws", "ap-southeast-5") as any;
        for (const arn of policy.Statement[0].Resource) {
            assert.match(arn, /^arn:aws:s3:::[a-z0-9.-]+\/\*$/);
            assert.ok(arn.includes("ap-southeast-5"), arn);
        }
    });

    it("gives ECDSA leaves digitalSignature only, and keyEncipherment to RSA server certificates alone", () => {
        assert.deepStrictEqual(leafUses("server", "ECDSA"), ["digital_signature", "server_auth"]);
        assert.deepStrictEqual(leafUses("client", "ECDSA"), ["digital_signature", "client_auth"]);
        assert.deepStrictEqual(leafUses("server", "RSA"), ["digital_signature", "key_encipherment", "server_auth"]);
        assert.deepStrictEqual(leafUses("client", "RSA"), ["digital_signature", "client_auth"]);
    });

    it("dev: every certificate the self-managed CA signs for an ECDSA key asserts no keyEncipherment", async () => {
        const certs = ofType(await run("dev"), "tls:index/locallySignedCert:LocallySignedCert");
        assert.ok(certs.length >= 3, "expected the backend, front and client certificates");
        for (const c of certs) {
            assert.ok(!c.inputs.allowedUses.includes("key_encipherment"), `${c.name}: allowedUses ${JSON.stringify(c.inputs.allowedUses)}`);
            const cert = new x509.X509Certificate(c.outputs.certPem);
            assert.strictEqual(cert.publicKey.algorithm.name, "ECDSA", `${c.name} is not on an ECDSA key`);
            const ku = cert.getExtension(x509.KeyUsagesExtension);
            assert.ok(ku, `${c.name} has no key usage`);
            assert.strictEqual(ku.usages & x509.KeyUsageFlags.keyEncipherment, 0, `${c.name} asserts keyEncipherment`);
            assert.ok(ku.usages & x509.KeyUsageFlags.digitalSignature, `${c.name} lacks digitalSignature`);
        }
    });

    it("dev with a revoked client: the CRL attachment is replaced create-before-delete, set explicitly", async () => {
        const r = await run("dev", { "e2e-tls:revokedSerials": JSON.stringify(["0A1B2C"]) });
        const revocation = one(r, "aws:lb/trustStoreRevocation:TrustStoreRevocation");
        assert.deepStrictEqual(
            { deleteBeforeReplace: revocation.options?.deleteBeforeReplace, defined: revocation.options?.deleteBeforeReplaceDefined },
            { deleteBeforeReplace: false, defined: true },
            "a CRL replaced delete-first leaves the trust store with no CRL for a moment, admitting revoked clients");
    });
});

describe("teardown choices under mocks: dev deletes everything, prod keeps deletion protection and its access logs", () => {
    const logBucket = (r: Awaited<ReturnType<typeof run>>) => {
        const lb = one(r, "aws:lb/loadBalancer:LoadBalancer");
        const bucket = ofType(r, "aws:s3/bucket:Bucket").find(b => b.outputs.bucket === lb.inputs.accessLogs.bucket);
        assert.ok(bucket, "the access-log bucket is not in the stack");
        return { lb, bucket, children: r.resources.filter(x => x.parent === bucket.parent && x.custom) };
    };

    it("dev: the load balancer can be deleted and destroy empties and deletes the access-log bucket", async () => {
        const { lb, bucket, children } = logBucket(await run("dev"));
        assert.strictEqual(lb.inputs.enableDeletionProtection, false);
        assert.strictEqual(bucket.inputs.forceDestroy, true);
        for (const c of children) assert.strictEqual(c.options?.retainOnDelete, false, `${c.type} ${c.name} is retained`);
    });

    it("prod: deletion protection stays on and destroy retains the access-log bucket with all its settings, never emptying it", async () => {
        const { lb, bucket, children } = logBucket(await run("prod"));
        assert.strictEqual(lb.inputs.enableDeletionProtection, true);
        assert.strictEqual(bucket.inputs.forceDestroy, false, "forceDestroy would delete the audit logs with the bucket");
        assert.ok(children.length >= 5, `expected the bucket and its settings, found ${children.map(c => c.type).join(", ")}`);
        for (const c of children) assert.strictEqual(c.options?.retainOnDelete, true, `${c.type} ${c.name} is deleted on destroy`);
        assert.ok(children.some(c => c.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
            "the retained bucket should keep expiring logs after the stack is gone");
    });

    it("prod with deletion protection turned off for teardown still retains the access logs", async () => {
        const { lb, bucket, children } = logBucket(await run("prod", { "e2e-tls:deletionProtection": "false" }));
        assert.strictEqual(lb.inputs.enableDeletionProtection, false);
        assert.strictEqual(bucket.inputs.forceDestroy, false);
        for (const c of children) assert.strictEqual(c.options?.retainOnDelete, true, `${c.type} ${c.name} is deleted on destroy`);
    });

    it("prod: the trust-store bucket is still deleted with the stack (it holds only public, re-creatable PEMs)", async () => {
        const r = await run("prod");
        const store = one(r, "aws:lb/trustStore:TrustStore");
        const bucket = ofType(r, "aws:s3/bucket:Bucket").find(b => b.outputs.bucket === store.inputs.caCertificatesBundleS3Bucket);
        assert.ok(bucket);
        assert.strictEqual(bucket.inputs.forceDestroy, true);
        assert.strictEqual(bucket.options?.retainOnDelete, false);
    });
});
