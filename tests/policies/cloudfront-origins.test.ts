/**
 * CloudFront's hops to origins beyond a distribution's own custom origins: VPC origins (both
 * providers), the multi-tenant distribution's origin lists, the defaults CloudFormation applies
 * to omitted origin settings, and distributions whose VPC origin is not in the stack.
 */
import { assertPasses, assertViolation, ALB_ARN, CERT_ARN, resource, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { VIEWER, VIEWER_TLS, ORIGIN, ORIGIN_TLS, VPC_ORIGIN } = RULES.cloudfront;

const AWS_VPC = "aws:cloudfront/vpcOrigin:VpcOrigin";
const NATIVE_VPC = "aws-native:cloudfront:VpcOrigin";
const AWS_DIST = "aws:cloudfront/distribution:Distribution";
const NATIVE_DIST = "aws-native:cloudfront:Distribution";
const MULTI = "aws:cloudfront/multitenantDistribution:MultitenantDistribution";

/** A VPC origin in front of a private ALB, HTTPS on TLS 1.2, in the shape of `token`'s provider. */
function vpcOrigin(token: string, endpoint: Record<string, unknown> = {}, id = "vo_inside") {
    const native = token === NATIVE_VPC;
    return resource(token, "alb-origin", {
        ...(native ? { awsId: id } : { id }),
        vpcOriginEndpointConfig: {
            name: "alb", arn: ALB_ARN, httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only",
            originSslProtocols: native ? ["TLSv1.2"] : { items: ["TLSv1.2"], quantity: 1 },
            ...endpoint,
        },
    });
}

/** A distribution of `token`'s shape whose one origin is `origin`. */
function distribution(token: string, origin: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const settings = {
        enabled: true, origins: [{ domainName: "internal-web.example.com", originId: "alb", id: "alb", ...origin }],
        defaultCacheBehavior: { targetOriginId: "alb", viewerProtocolPolicy: "redirect-to-https" },
        viewerCertificate: { acmCertificateArn: CERT_ARN, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
        ...extra,
    };
    return resource(token, "web-cdn", token === NATIVE_DIST ? { distributionConfig: settings } : settings);
}

const vpcRef = (token: string, id: unknown) => (token === MULTI ? { vpcOriginConfigs: [{ vpcOriginId: id }] } : { vpcOriginConfig: { vpcOriginId: id } });
const protocols = (token: string, list: string[]) => (token === NATIVE_VPC ? list : { items: list, quantity: list.length });

describe("CloudFront origins beyond a distribution's custom origins", () => {
    const pack = usePackPerTest();

    for (const token of [AWS_VPC, NATIVE_VPC]) {
        describe(token, () => {
            it("accepts a VPC origin reached over HTTPS only on TLS 1.2", async () => {
                const result = await pack().analyze(vpcOrigin(token));
                assertPasses(result, ORIGIN);
                assertPasses(result, ORIGIN_TLS);
            });

            it("refuses http-only and match-viewer, which reach the origin in plaintext", async () => {
                assertViolation(await pack().analyze(vpcOrigin(token, { originProtocolPolicy: "http-only" })), ORIGIN, "mandatory",
                    `(${token}): vpcOriginEndpointConfig.originProtocolPolicy is "http-only", which sends requests to the origin in plaintext`);
                assertViolation(await pack().analyze(vpcOrigin(token, { originProtocolPolicy: "match-viewer" })), ORIGIN, "mandatory", "whenever a viewer uses HTTP");
            });

            it("refuses SSLv3, TLSv1 and TLSv1.1 towards the VPC origin", async () => {
                assertViolation(await pack().analyze(vpcOrigin(token, { originSslProtocols: protocols(token, ["TLSv1.1", "TLSv1.2"]) })), ORIGIN_TLS, "mandatory",
                    `vpcOriginEndpointConfig.originSslProtocols${token === AWS_VPC ? ".items" : ""} is`, "over TLSv1.1");
            });

            it("reports nothing while the endpoint settings are unknown", async () => {
                const result = await pack().analyze(vpcOrigin(token, { originProtocolPolicy: UNKNOWN, originSslProtocols: UNKNOWN }));
                assertPasses(result, ORIGIN);
                assertPasses(result, ORIGIN_TLS);
            });
        });
    }

    it("judges what CloudFormation applies to an aws-native VPC origin that leaves its settings out: match-viewer, and protocols no one documents", async () => {
        const bare = vpcOrigin(NATIVE_VPC, { originProtocolPolicy: undefined, originSslProtocols: undefined });
        const result = await pack().analyze(bare);
        assertViolation(result, ORIGIN, "mandatory", "originProtocolPolicy is not set, which lets CloudFormation apply match-viewer");
        assertViolation(result, ORIGIN_TLS, "mandatory", "documents a default");
    });

    it("judges CloudFormation's TLSv1 and SSLv3 on an aws-native custom origin that leaves originSslProtocols out", async () => {
        const custom = (list?: string[]) => distribution(NATIVE_DIST, { customOriginConfig: { originProtocolPolicy: "https-only", ...(list ? { originSslProtocols: list } : {}) } });
        assertViolation(await pack().analyze(custom()), ORIGIN_TLS, "mandatory", 'lets CloudFormation apply its default ["TLSv1","SSLv3"]');
        assertPasses(await pack().analyze(custom(["TLSv1.2"])), ORIGIN_TLS);
    });

    describe(MULTI, () => {
        const multi = (config: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
            distribution(MULTI, { customOriginConfigs: [{ httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], ...config }] }, extra);

        it("accepts HTTPS viewers and an HTTPS-only origin on TLS 1.2", async () => {
            const result = await pack().analyze(multi({}));
            for (const name of [VIEWER, VIEWER_TLS, ORIGIN, ORIGIN_TLS]) assertPasses(result, name);
        });

        it("refuses a plaintext or deprecated origin hop, allow-all viewers and the TLSv1 minimum", async () => {
            assertViolation(await pack().analyze(multi({ originProtocolPolicy: "http-only" })), ORIGIN, "mandatory", `(${MULTI}): origins[0].customOriginConfigs[0].originProtocolPolicy is "http-only"`);
            assertViolation(await pack().analyze(multi({ originSslProtocols: ["SSLv3"] })), ORIGIN_TLS, "mandatory", "over SSLv3");
            assertViolation(await pack().analyze(multi({}, { cacheBehaviors: [{ pathPattern: "/api/*", viewerProtocolPolicy: "allow-all" }] })), VIEWER, "mandatory", "cacheBehaviors[0].viewerProtocolPolicy");
            assertViolation(await pack().analyze(multi({}, { viewerCertificate: { acmCertificateArn: CERT_ARN, minimumProtocolVersion: "TLSv1" } })), VIEWER_TLS, "mandatory", "below TLS 1.2");
        });
    });

    for (const dist of [AWS_DIST, NATIVE_DIST, MULTI]) {
        it(`advises on a VPC origin outside the stack, and accepts one of the stack or a reviewed one (${dist})`, async () => {
            const using = (id: unknown) => distribution(dist, vpcRef(dist, id));
            assertViolation(await pack().analyzeStack([using("vo_elsewhere")]), VPC_ORIGIN, "advisory", `(${dist}):`, 'vpcOriginId is "vo_elsewhere"', "outside this stack");
            for (const vpc of [AWS_VPC, NATIVE_VPC]) {
                assertPasses(await pack().analyzeStack([using("vo_inside"), vpcOrigin(vpc)]), VPC_ORIGIN);
            }
            assertPasses(await pack().analyzeStack([using(UNKNOWN)]), VPC_ORIGIN);
            await pack().configure({ [VPC_ORIGIN]: { reviewedVpcOriginIds: ["vo_elsewhere"] } });
            assertPasses(await pack().analyzeStack([using("vo_elsewhere")]), VPC_ORIGIN);
        });
    }
});
