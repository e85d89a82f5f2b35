import * as assert from "assert";
import { arn, assertPasses, assertViolation, FAMILIES, httpsListener, httpRedirectListener, httpsTargetGroup, applicationLoadBalancer, of, resource, token, TRUST_STORE_ARN, UNKNOWN, usePackPerTest } from "./fixtures";
import { StackResource, toResources } from "./fixtures-stack";
import { RULES } from "./names";

const { USER_DATA, NAMES, MTLS, SECRETS } = RULES["deploy-limits"];
const { SUBNETS, CACHE } = RULES["deploy-network"];
const { SIGNING, REVOKE } = RULES["deploy-pca"];

const SECRET_ARN = arn("secretsmanager", "secret:web-backend-a1b2c3");
const taskDefinition = (valueFrom: string) => resource("aws:ecs/taskDefinition:TaskDefinition", "task", {
    containerDefinitions: JSON.stringify([{ name: "tls", image: "nginx", secrets: [{ name: "CERT", valueFrom }] }]),
});

describe("deployability: per-resource limits", () => {
    const pack = usePackPerTest();

    describe(USER_DATA, () => {
        const big = "#".repeat(16 * 1024 + 1);
        it("measures launch template user data after base64 decoding", async () => {
            assertPasses(await pack().analyze(resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", { userData: Buffer.from("#".repeat(16 * 1024)).toString("base64") })), USER_DATA);
            assertViolation(await pack().analyze(resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", { userData: Buffer.from(big).toString("base64") })), USER_DATA, "advisory",
                "userData is \"16385 bytes decoded\"", "16384 bytes");
        });

        it("measures instance user data raw and userDataBase64 decoded, and skips unknown user data", async () => {
            assertViolation(await pack().analyze(resource("aws:ec2/instance:Instance", "i", { userData: big })), USER_DATA, "advisory", "userData is");
            assertViolation(await pack().analyze(resource("aws:ec2/instance:Instance", "i", { userDataBase64: Buffer.from(big).toString("base64") })), USER_DATA, "advisory", "userDataBase64 is");
            assertPasses(await pack().analyze(resource("aws:ec2/instance:Instance", "i", { userData: UNKNOWN })), USER_DATA);
        });
    });

    describe(NAMES, () => {
        for (const family of FAMILIES) {
            it(`refuses load balancer and target group names the provider rejects (aws:${family})`, async () => {
                assertViolation(await pack().analyze(applicationLoadBalancer({ name: "internal-web" }, family)), NAMES, "advisory", 'name is "internal-web"', '"internal-"');
                assertViolation(await pack().analyze(httpsTargetGroup({ name: "a".repeat(33) }, family)), NAMES, "advisory", "33 characters, over the limit of 32");
                assertViolation(await pack().analyze(httpsTargetGroup({ namePrefix: "web-tg-" }, family)), NAMES, "advisory", 'namePrefix is "web-tg-"', "over the limit of 6");
                assertPasses(await pack().analyze(httpsTargetGroup({ name: "web-tg-1a2b3c4" }, family)), NAMES);
            });
        }

        it("refuses a trust store name ending in a hyphen or with other characters, and skips unknown names", async () => {
            assertViolation(await pack().analyze(resource("aws:lb/trustStore:TrustStore", "ts", { name: "clients_" })), NAMES, "advisory", "characters other than letters");
            assertViolation(await pack().analyze(resource("aws:lb/trustStore:TrustStore", "ts", { name: "clients-" })), NAMES, "advisory", "ends with a hyphen");
            assertPasses(await pack().analyze(resource("aws:lb/trustStore:TrustStore", "ts", { name: UNKNOWN })), NAMES);
        });
    });

    describe(MTLS, () => {
        for (const family of FAMILIES) {
            it(`refuses trust store fields with mode passthrough or off (aws:${family})`, async () => {
                for (const mode of ["passthrough", "off"]) {
                    assertViolation(await pack().analyze(httpsListener({ mutualAuthentication: { mode, trustStoreArn: TRUST_STORE_ARN } }, family)), MTLS, "advisory",
                        "mutualAuthentication.trustStoreArn is", `while mode is "${mode}"`);
                }
            });
        }

        it("refuses verify without a trust store and mTLS on a non-HTTPS listener; accepts verify with one", async () => {
            assertViolation(await pack().analyze(httpsListener({ mutualAuthentication: { mode: "verify" } })), MTLS, "advisory", "is required with mode \"verify\"");
            assertViolation(await pack().analyze(httpRedirectListener({ mutualAuthentication: { mode: "passthrough" } })), MTLS, "advisory", "only on HTTPS listeners");
            assertPasses(await pack().analyze(httpsListener()), MTLS);
        });

        it("reports nothing for unknown blocks, modes or trust stores", async () => {
            assertPasses(await pack().analyze(httpsListener({ mutualAuthentication: UNKNOWN })), MTLS);
            assertPasses(await pack().analyze(httpsListener({ mutualAuthentication: { mode: UNKNOWN, trustStoreArn: TRUST_STORE_ARN } })), MTLS);
            assertPasses(await pack().analyze(httpsListener({ mutualAuthentication: { mode: "verify", trustStoreArn: UNKNOWN } })), MTLS);
        });
    });

    describe(SECRETS, () => {
        it("accepts full ARNs, with or without the JSON key suffix, and bare SSM parameter names", async () => {
            for (const v of [SECRET_ARN, `${SECRET_ARN}:certificate::`, "web-parameter", arn("ssm", "parameter/web")]) {
                assertPasses(await pack().analyze(taskDefinition(v)), SECRETS);
            }
        });

        it("refuses a secret name with a JSON key and a malformed Secrets Manager ARN", async () => {
            assertViolation(await pack().analyze(taskDefinition("web-backend:certificate::")), SECRETS, "advisory", "containerDefinitions[0].secrets[0].valueFrom", "not by its full ARN");
            assertViolation(await pack().analyze(taskDefinition(`${SECRET_ARN}:certificate`)), SECRETS, "advisory", "not a Secrets Manager ARN ECS can resolve");
        });

        it("reports nothing while the container definitions are unknown", async () => {
            assertPasses(await pack().analyze(resource("aws:ecs/taskDefinition:TaskDefinition", "task", { containerDefinitions: UNKNOWN })), SECRETS);
        });
    });
});

describe("deployability: network and Private CA stack rules", () => {
    const pack = usePackPerTest();
    const analyze = (stack: StackResource[]) => pack().analyzeStack(toResources(stack));
    const subnet = (name: string, cidrBlock: string, availabilityZone: string): StackResource =>
        ({ type: "aws:ec2/subnet:Subnet", name, props: { id: `subnet-${name}`, cidrBlock, availabilityZone } });

    describe(SUBNETS, () => {
        for (const family of FAMILIES) {
            it(`accepts /27 subnets in Availability Zones and refuses a /28 (aws:${family})`, async () => {
                const lb = (subnets: string[]): StackResource => ({ type: token(family, "loadBalancer"), name: "web", props: { loadBalancerType: "application", subnets } });
                assert.deepStrictEqual(of(await analyze([subnet("a", "10.0.0.0/27", "us-east-1a"), subnet("b", "10.0.0.32/27", "us-east-1b"), lb(["subnet-a", "subnet-b"])]), SUBNETS), []);
                assertViolation(await analyze([subnet("a", "10.0.0.0/28", "us-east-1a"), subnet("b", "10.0.0.32/27", "us-east-1b"), lb(["subnet-a", "subnet-b"])]), SUBNETS, "advisory",
                    'Subnet "a"', 'cidrBlock is "10.0.0.0/28"', "smaller than the /27");
            });
        }

        it("refuses Local Zone and Wavelength subnets for the ALB, interface endpoints and Fargate, unless allowed", async () => {
            const stack: StackResource[] = [
                subnet("lz", "10.0.1.0/24", "us-west-2-lax-1a"), subnet("wl", "10.0.2.0/24", "us-east-1-wl1-bos-wlz-1"),
                { type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "ep", props: { vpcEndpointType: "Interface", subnetIds: ["subnet-lz"] } },
                { type: "aws:ecs/service:Service", name: "svc", props: { launchType: "FARGATE", networkConfiguration: { subnets: ["subnet-wl"] } } },
            ];
            const found = of(await analyze(stack), SUBNETS).map((d) => d.message);
            assert.strictEqual(found.length, 2, found.join("\n"));
            assert.ok(found.some((m) => m.includes('"us-west-2-lax-1a"') && m.includes('VpcEndpoint "ep"')), found.join("\n"));
            assert.ok(found.some((m) => m.includes('"us-east-1-wl1-bos-wlz-1"') && m.includes("Fargate")), found.join("\n"));
            await pack().configure({ [SUBNETS]: { allowLocalZonesFor: ["interfaceEndpoint", "fargate"] } });
            assert.deepStrictEqual(of(await analyze(stack), SUBNETS), []);
        });

        it("reports nothing for subnets whose zone and CIDR are unknown", async () => {
            const stack: StackResource[] = [subnet("a", UNKNOWN, UNKNOWN), { type: "aws:lb/loadBalancer:LoadBalancer", name: "web", props: { subnets: [UNKNOWN] }, deps: { subnets: ["a"] } }];
            assert.deepStrictEqual(of(await analyze(stack), SUBNETS), []);
        });
    });

    describe(CACHE, () => {
        const stack = (routes: any[]): StackResource[] => [
            { type: "aws:ecr/pullThroughCacheRule:PullThroughCacheRule", name: "cache", props: { ecrRepositoryPrefix: "web", upstreamRegistryUrl: "public.ecr.aws" } },
            { type: "aws:ec2/routeTable:RouteTable", name: "public", props: { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }] } },
            { type: "aws:ec2/routeTable:RouteTable", name: "private", props: { routes } },
        ];
        it("refuses a pull-through cache when no private route table has a NAT route, unless cacheSeeded", async () => {
            assertViolation(await analyze(stack([])), CACHE, "advisory", 'PullThroughCacheRule "cache"', 'RouteTable "private"', "has a NAT route");
            await pack().configure({ [CACHE]: { cacheSeeded: true } });
            assert.deepStrictEqual(of(await analyze(stack([])), CACHE), []);
        });

        it("accepts a NAT route, and reports nothing while routes are unknown", async () => {
            assert.deepStrictEqual(of(await analyze(stack([{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }])), CACHE), []);
            assert.deepStrictEqual(of(await analyze(stack([UNKNOWN])), CACHE), []);
        });
    });

    const CA_ARN = arn("acm-pca", "certificate-authority/1111");
    const ca = (extra: Record<string, any> = {}): StackResource => ({
        type: "aws:acmpca/certificateAuthority:CertificateAuthority", name: "root",
        props: { arn: CA_ARN, id: CA_ARN, certificateAuthorityConfiguration: { keyAlgorithm: "EC_secp384r1", signingAlgorithm: "SHA384WITHECDSA" }, ...extra },
    });
    const cert = (props: Record<string, any> = {}, name = "leaf"): StackResource => ({
        type: "aws:acmpca/certificate:Certificate", name,
        props: { certificateAuthorityArn: CA_ARN, signingAlgorithm: "SHA384WITHECDSA", templateArn: "arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1", ...props },
        deps: { certificateAuthorityArn: ["root"] },
    });

    describe(SIGNING, () => {
        it("refuses an RSA signature from an EC CA, and accepts the CA's family", async () => {
            assertViolation(await analyze([ca(), cert({ signingAlgorithm: "SHA256WITHRSA" })]), SIGNING, "advisory", 'Certificate "leaf"', 'signingAlgorithm is "SHA256WITHRSA"', "EC_secp384r1");
            assert.deepStrictEqual(of(await analyze([ca(), cert()]), SIGNING), []);
        });

        it("reports nothing when the CA's key or the certificate's algorithm is unknown", async () => {
            assert.deepStrictEqual(of(await analyze([ca({ certificateAuthorityConfiguration: UNKNOWN }), cert({ signingAlgorithm: "SHA256WITHRSA" })]), SIGNING), []);
            assert.deepStrictEqual(of(await analyze([ca(), cert({ signingAlgorithm: UNKNOWN })]), SIGNING), []);
        });
    });

    describe(REVOKE, () => {
        const crl = { revocationConfiguration: { crlConfiguration: { enabled: true } } };
        it("advises on end-entity certificates of a CA with a CRL or OCSP, not on its own CA certificate", async () => {
            const caCert = cert({ templateArn: "arn:aws:acm-pca:::template/RootCACertificate/V1" }, "root-cert");
            assertViolation(await analyze([ca(crl), cert(), caCert]), REVOKE, "advisory", 'Certificate "leaf"', "publishes revocation by CRL", "retainOnDelete");
            assertViolation(await analyze([ca({ revocationConfiguration: { ocspConfiguration: { enabled: true } } }), cert()]), REVOKE, "advisory", "by OCSP");
        });

        it("accepts certificates of a CA without revocation, unknown revocation, or exempted by URN as retained on delete", async () => {
            assert.deepStrictEqual(of(await analyze([ca(), cert()]), REVOKE), []);
            assert.deepStrictEqual(of(await analyze([ca({ revocationConfiguration: UNKNOWN }), cert()]), REVOKE), []);
            const leaf = toResources([ca(crl), cert()])[1].urn;
            await pack().configure({ [REVOKE]: { exemptions: [{ urn: leaf, reason: "Created with retainOnDelete: true (ADR-12)", expires: "2099-12-31" }] } });
            assert.deepStrictEqual(of(await analyze([ca(crl), cert()]), REVOKE), []);
        });
    });
});
