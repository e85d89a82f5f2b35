import * as assert from "assert";
import { X509Certificate } from "crypto";
import { policiesAtLeast } from "../../policies/shared/ssl-policies";
import { byOutput, computeConfig, COMPUTES, ofType, one, PRIVATE_KEY, run, STACKS, strings } from "./support";

const LISTENER = "aws:lb/listener:Listener";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const TLS12_PLUS = policiesAtLeast("1.2");

for (const stack of STACKS) {
    for (const compute of COMPUTES) {
        describe(`the ${stack} stack with compute ${compute}`, () => {
            const program = () => run(stack, computeConfig(stack, compute));

            it("serves every listener over HTTPS on a TLS 1.2+ policy with a certificate, or only redirects HTTP to HTTPS", async () => {
                const listeners = ofType(await program(), LISTENER);
                assert.strictEqual(listeners.length, 2);
                for (const l of listeners) {
                    if (l.inputs.protocol === "HTTPS") {
                        assert.ok(TLS12_PLUS.includes(l.inputs.sslPolicy), `${l.name} sslPolicy ${l.inputs.sslPolicy}`);
                        assert.match(l.inputs.certificateArn, /^arn:aws:acm:/);
                    } else {
                        assert.strictEqual(l.inputs.protocol, "HTTP");
                        assert.deepStrictEqual(l.inputs.defaultActions.map((a: any) => a.type), ["redirect"]);
                        assert.strictEqual(l.inputs.defaultActions[0].redirect.protocol, "HTTPS");
                    }
                }
            });

            it("answers port 80 with a permanent redirect to HTTPS on 443", async () => {
                const http = ofType(await program(), LISTENER).find(l => l.inputs.port === 80);
                assert.ok(http, "no port-80 listener");
                assert.deepStrictEqual(http.inputs.defaultActions, [{
                    type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
                }]);
            });

            it("forwards HTTPS to an HTTPS target group whose health checks are HTTPS too", async () => {
                const r = await program();
                const groups = ofType(r, TARGET_GROUP);
                assert.strictEqual(groups.length, 1);
                for (const tg of groups) {
                    assert.strictEqual(tg.inputs.protocol, "HTTPS");
                    assert.strictEqual(tg.inputs.port, 8443);
                    assert.strictEqual(tg.inputs.healthCheck.protocol, "HTTPS");
                    assert.strictEqual(tg.inputs.targetType, compute === "asg" ? "instance" : "ip");
                }
                const https = ofType(r, LISTENER).find(l => l.inputs.port === 443)!;
                assert.deepStrictEqual(https.inputs.defaultActions, [{ type: "forward", targetGroupArn: groups[0].outputs.arn }]);
            });

            it("verifies client certificates against a trust store built from the stack's CA", async () => {
                const r = await program();
                const https = ofType(r, LISTENER).find(l => l.inputs.port === 443)!;
                const store = one(r, "aws:lb/trustStore:TrustStore");
                assert.deepStrictEqual(https.inputs.mutualAuthentication, {
                    mode: "verify", trustStoreArn: store.outputs.arn, ignoreClientCertificateExpiry: false,
                });
                const bundle = ofType(r, "aws:s3/bucketObjectv2:BucketObjectv2")
                    .find(o => o.inputs.key === store.inputs.caCertificatesBundleS3Key)!;
                assert.strictEqual(bundle.inputs.content, r.outputs.caBundlePem);
                assert.match(bundle.inputs.content, /^-----BEGIN CERTIFICATE-----\n/);
                assert.doesNotMatch(bundle.inputs.content, /\n\n/, "ELB rejects blank lines in a trust-store bundle");
                assert.strictEqual(store.inputs.caCertificatesBundleS3ObjectVersion, bundle.outputs.versionId);
            });

            it("generates the backend key with @pulumi/tls and stores it only as a secret under a rotating customer KMS key", async () => {
                const r = await program();
                const key = one(r, "tls:index/privateKey:PrivateKey", "web-backend-key");
                assert.deepStrictEqual([key.inputs.algorithm, key.inputs.ecdsaCurve], ["ECDSA", "P256"]);
                const version = ofType(r, "aws:secretsmanager/secretVersion:SecretVersion")
                    .find(v => JSON.parse(v.inputs.secretString).privateKey === key.outputs.privateKeyPem);
                assert.ok(version, "no secret version holds the backend key");
                assert.ok(version.secretInputs.includes("secretString"), "secretString is not a Pulumi secret");
                const secret = byOutput(r, "id", version.inputs.secretId)!;
                assert.strictEqual(secret.inputs.tags["e2etls:role"], "backend");
                const kms = byOutput(r, "arn", secret.inputs.kmsKeyId)!;
                assert.strictEqual(kms.type, "aws:kms/key:Key");
                assert.strictEqual(kms.inputs.enableKeyRotation, true);
                assert.match(JSON.parse(version.inputs.secretString).certificate, /^-----BEGIN CERTIFICATE-----/);
            });

            it("lets only the tier's role and the deployer read the backend secret", async () => {
                const r = await program();
                const secret = ofType(r, "aws:secretsmanager/secret:Secret").find(s => s.inputs.tags["e2etls:role"] === "backend")!;
                const policy = ofType(r, "aws:secretsmanager/secretPolicy:SecretPolicy").find(p => p.inputs.secretArn === secret.outputs.arn)!;
                const statement = JSON.parse(policy.inputs.policy).Statement[0];
                const reader = compute === "asg" ? "web-instance" : "web-execution";
                const role = one(r, "aws:iam/role:Role", reader);
                assert.strictEqual(statement.Effect, "Deny");
                assert.strictEqual(statement.Action, "secretsmanager:GetSecretValue");
                assert.deepStrictEqual(statement.Condition.ArnNotLike["aws:PrincipalArn"].slice(1), [role.outputs.arn]);
                const grant = ofType(r, "aws:iam/rolePolicy:RolePolicy").find(p => p.name === "web-read-backend-secret")!;
                const statements = JSON.parse(grant.inputs.policy).Statement;
                assert.strictEqual(grant.inputs.role, role.outputs.name);
                assert.strictEqual(statements[0].Resource, secret.outputs.arn);
                assert.deepStrictEqual(statements[1].Condition, { StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" } });
            });

            it("puts no private key in any plaintext input, user data decoded, nor in any stack output", async () => {
                const r = await program();
                for (const res of r.resources) {
                    for (const [prop, value] of Object.entries(res.inputs)) {
                        if (res.secretInputs.includes(prop)) continue;
                        for (const s of strings(value)) {
                            assert.doesNotMatch(s, PRIVATE_KEY, `${res.type} ${res.name} input ${prop} holds a private key`);
                        }
                    }
                }
                for (const s of strings(r.outputs)) assert.doesNotMatch(s, PRIVATE_KEY);
                assert.deepStrictEqual(r.secretOutputs, []);
            });

            it("opens nothing but 80 and 443 to the world, and the backend port only to the load balancer", async () => {
                const r = await program();
                const world = ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                    .filter(rule => rule.inputs.cidrIpv4 === "0.0.0.0/0");
                assert.deepStrictEqual([...new Set(world.map(w => `${w.inputs.fromPort}-${w.inputs.toPort}`))].sort(), ["443-443", "80-80"]);
                for (const sg of ofType(r, "aws:ec2/securityGroup:SecurityGroup")) {
                    for (const rule of sg.inputs.ingress ?? []) assert.ok(!(rule.cidrBlocks ?? []).includes("0.0.0.0/0"), sg.name);
                }
                const lbGroup = one(r, "aws:ec2/securityGroup:SecurityGroup", "web-lb");
                const tierGroup = one(r, "aws:ec2/securityGroup:SecurityGroup", "web-tier");
                const toTier = ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                    .filter(rule => rule.inputs.securityGroupId === tierGroup.id);
                assert.deepStrictEqual(toTier.map(t => [t.inputs.fromPort, t.inputs.referencedSecurityGroupId, t.inputs.cidrIpv4]),
                    [[8443, lbGroup.id, undefined]]);
            });

            it("runs the tier in the private subnets of every AZ", async () => {
                const r = await program();
                const azCount = stack === "prod" ? 3 : 2;
                const subnetIds: string[] = compute === "asg"
                    ? one(r, "aws:autoscaling/group:Group").inputs.vpcZoneIdentifiers
                    : one(r, "aws:ecs/service:Service").inputs.networkConfiguration.subnets;
                const subnets = subnetIds.map(id => byOutput(r, "id", id)!);
                assert.ok(subnets.every(s => s.inputs.tags["e2etls:tier"] === "private"));
                assert.strictEqual(new Set(subnets.map(s => s.inputs.availabilityZone)).size, azCount);
            });
        });
    }
}

describe("stack differences", () => {
    it("dev has no NAT gateway, no Private CA and a CA-signed certificate imported into ACM", async () => {
        const r = await run("dev");
        assert.strictEqual(ofType(r, "aws:ec2/natGateway:NatGateway").length, 0);
        assert.strictEqual(ofType(r, "aws:acmpca/certificateAuthority:CertificateAuthority").length, 0);
        const cert = one(r, "aws:acm/certificate:Certificate");
        assert.ok(cert.secretInputs.includes("privateKey"));
        assert.match(cert.inputs.certificateChain, /^-----BEGIN CERTIFICATE-----/);
        assert.strictEqual(one(r, "aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, false);
    });

    it("prod signs with AWS Private CA, validates its public certificate through DNS and protects the load balancer", async () => {
        const r = await run("prod");
        assert.strictEqual(one(r, "aws:acmpca/certificateAuthority:CertificateAuthority").inputs.usageMode, "GENERAL_PURPOSE");
        const validation = one(r, "aws:acm/certificateValidation:CertificateValidation");
        const https = ofType(r, LISTENER).find(l => l.inputs.port === 443)!;
        assert.strictEqual(https.inputs.certificateArn, validation.outputs.certificateArn);
        assert.ok(https.dependencies.includes(validation.urn), "the listener does not wait for validation");
        assert.strictEqual(one(r, "aws:acm/certificate:Certificate").inputs.validationMethod, "DNS");
        const lb = one(r, "aws:lb/loadBalancer:LoadBalancer");
        assert.strictEqual(lb.inputs.enableDeletionProtection, true);
        assert.strictEqual(lb.inputs.dropInvalidHeaderFields, true);
        assert.strictEqual(lb.inputs.desyncMitigationMode, "strictest");
        assert.strictEqual(lb.inputs.accessLogs.enabled, true);
        assert.strictEqual(one(r, "aws:ec2/flowLog:FlowLog").inputs.trafficType, "ALL");
        assert.strictEqual(r.outputs.url, "https://app.example.com/");
    });

    it("issues one client certificate per mTLS client, with client_auth, and outputs only their secret ARNs", async () => {
        const r = await run("prod");
        assert.deepStrictEqual(Object.keys(r.outputs.clientSecretArns), ["partner-a", "partner-b"]);
        const certs = ofType(r, "aws:acmpca/certificate:Certificate").filter(c => c.name.startsWith("web-client-"));
        assert.deepStrictEqual(certs.map(c => c.inputs.templateArn),
            Array(2).fill("arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1"));
        const dev = await run("dev");
        const local = one(dev, "tls:index/locallySignedCert:LocallySignedCert", "web-client-ci-smoke-cert");
        assert.deepStrictEqual(local.inputs.allowedUses, ["digital_signature", "client_auth"]);
    });

    it("adds a CRL of revokedSerials to the trust store, as a versioned S3 object, and outputs each client's serial", async () => {
        const r = await run("dev", { "e2e-tls:revokedSerials": '["0a:1b:2c"]' });
        const revocation = one(r, "aws:lb/trustStoreRevocation:TrustStoreRevocation");
        assert.strictEqual(revocation.inputs.trustStoreArn, one(r, "aws:lb/trustStore:TrustStore").outputs.arn);
        const crl = ofType(r, "aws:s3/bucketObjectv2:BucketObjectv2").find(o => o.inputs.key === revocation.inputs.revocationsS3Key)!;
        assert.match(crl.inputs.content, /^-----BEGIN X509 CRL-----\n/);
        assert.deepStrictEqual(crl.secretInputs, [], "a CRL is public");
        assert.strictEqual(revocation.inputs.revocationsS3ObjectVersion, crl.outputs.versionId);
        const client = one(r, "tls:index/locallySignedCert:LocallySignedCert", "web-client-ci-smoke-cert");
        assert.strictEqual(r.outputs.clientCertificateSerials["ci-smoke"], new X509Certificate(client.outputs.certPem).serialNumber);
        assert.strictEqual(ofType(await run("dev"), "aws:lb/trustStoreRevocation:TrustStoreRevocation").length, 0);
    });

    it("sets mutual TLS off explicitly, with no trust store, when mtlsMode is off", async () => {
        const r = await run("dev", { "e2e-tls:mtlsMode": "off" });
        const https = ofType(r, LISTENER).find(l => l.inputs.port === 443)!;
        assert.deepStrictEqual(https.inputs.mutualAuthentication, { mode: "off" });
        assert.strictEqual(ofType(r, "aws:lb/trustStore:TrustStore").length, 0);
    });
});
