import * as assert from "assert";
import { assertPasses, assertViolation, CERT_ARN, of, resource, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { VIEWER, VIEWER_TLS, ORIGIN, ORIGIN_TLS } = RULES.cloudfront;

const AWS = "aws:cloudfront/distribution:Distribution";
const NATIVE = "aws-native:cloudfront:Distribution";

interface Settings {
    viewerProtocolPolicy?: unknown;
    orderedViewerProtocolPolicy?: unknown;
    viewerCertificate?: Record<string, unknown> | null;
    originProtocolPolicy?: unknown;
    originSslProtocols?: unknown;
}

/** A distribution in front of the ALB, HTTPS all the way, in the shape of `token`'s family. */
function distribution(token: string, s: Settings = {}) {
    const native = token === NATIVE;
    const origin = {
        domainName: "web-alb-123.us-east-1.elb.amazonaws.com", originId: "alb", id: "alb",
        customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: s.originProtocolPolicy ?? "https-only", originSslProtocols: s.originSslProtocols ?? ["TLSv1.2"] },
    };
    const viewerCertificate = s.viewerCertificate === null ? undefined : {
        acmCertificateArn: CERT_ARN, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021", ...s.viewerCertificate,
    };
    const behavior = (policy: unknown) => ({ targetOriginId: "alb", viewerProtocolPolicy: policy });
    const settings = {
        enabled: true,
        origins: [origin],
        defaultCacheBehavior: behavior(s.viewerProtocolPolicy ?? "redirect-to-https"),
        [native ? "cacheBehaviors" : "orderedCacheBehaviors"]: [{ pathPattern: "/api/*", ...behavior(s.orderedViewerProtocolPolicy ?? "https-only") }],
        viewerCertificate,
    };
    return resource(token, "web-cdn", native ? { distributionConfig: settings } : settings);
}

const at = (token: string) => (token === NATIVE ? "distributionConfig." : "");
const ordered = (token: string) => (token === NATIVE ? "cacheBehaviors" : "orderedCacheBehaviors");

describe("CloudFront policies", () => {
    const pack = usePackPerTest();

    for (const token of [AWS, NATIVE]) {
        describe(token, () => {
            it("accepts HTTPS viewers on TLS 1.2 and an HTTPS-only origin on TLS 1.2", async () => {
                const result = await pack().analyze(distribution(token));
                for (const name of [VIEWER, VIEWER_TLS, ORIGIN, ORIGIN_TLS]) {
                    assertPasses(result, name);
                }
            });

            it("refuses allow-all on the default and on an ordered cache behavior", async () => {
                assertViolation(await pack().analyze(distribution(token, { viewerProtocolPolicy: "allow-all" })), VIEWER, "mandatory",
                    `${at(token)}defaultCacheBehavior.viewerProtocolPolicy is "allow-all"`, "plaintext HTTP");
                assertViolation(await pack().analyze(distribution(token, { orderedViewerProtocolPolicy: "allow-all" })), VIEWER, "mandatory",
                    `${at(token)}${ordered(token)}[0].viewerProtocolPolicy`);
            });

            it("refuses the default cloudfront.net certificate, which allows TLS 1.0", async () => {
                const key = token === NATIVE ? "cloudFrontDefaultCertificate" : "cloudfrontDefaultCertificate";
                assertViolation(await pack().analyze(distribution(token, { viewerCertificate: { [key]: true, acmCertificateArn: undefined, minimumProtocolVersion: "TLSv1" } })),
                    VIEWER_TLS, "mandatory", `viewerCertificate.${key} is true`, "TLS 1.0");
            });

            it("refuses a minimum viewer protocol below TLS 1.2, and an omitted one (CloudFront's default TLSv1)", async () => {
                for (const version of ["TLSv1", "TLSv1_2016", "TLSv1.1_2016", "SSLv3"]) {
                    assertViolation(await pack().analyze(distribution(token, { viewerCertificate: { minimumProtocolVersion: version } })), VIEWER_TLS, "mandatory",
                        `minimumProtocolVersion is "${version}"`, "below TLS 1.2");
                }
                assertViolation(await pack().analyze(distribution(token, { viewerCertificate: { minimumProtocolVersion: undefined } })), VIEWER_TLS, "mandatory",
                    "minimumProtocolVersion is not set", "CloudFront's default is TLSv1");
            });

            it("asks for TLSv1.3_2025 when config raises the minimum to 1.3", async () => {
                await pack().configure({ [VIEWER_TLS]: { minimumTlsVersion: "1.3" } });
                assertViolation(await pack().analyze(distribution(token)), VIEWER_TLS, "mandatory", "below TLS 1.3", '"TLSv1.3_2025"');
                assertPasses(await pack().analyze(distribution(token, { viewerCertificate: { minimumProtocolVersion: "TLSv1.3_2025" } })), VIEWER_TLS);
            });

            it("refuses http-only and match-viewer origins", async () => {
                assertViolation(await pack().analyze(distribution(token, { originProtocolPolicy: "http-only" })), ORIGIN, "mandatory",
                    `${at(token)}origins[0].customOriginConfig.originProtocolPolicy is "http-only"`, "in plaintext");
                assertViolation(await pack().analyze(distribution(token, { originProtocolPolicy: "match-viewer" })), ORIGIN, "mandatory",
                    "whenever a viewer uses HTTP");
            });

            it("refuses SSLv3, TLSv1 and TLSv1.1 to the origin", async () => {
                assertViolation(await pack().analyze(distribution(token, { originSslProtocols: ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"] })), ORIGIN_TLS, "mandatory",
                    "over SSLv3, TLSv1, TLSv1.1", 'set originSslProtocols to ["TLSv1.2"]');
            });

            it("reports nothing while the values are unknown in preview", async () => {
                const result = await pack().analyze(distribution(token, {
                    viewerProtocolPolicy: UNKNOWN, viewerCertificate: { minimumProtocolVersion: UNKNOWN }, originProtocolPolicy: UNKNOWN, originSslProtocols: UNKNOWN,
                }));
                assert.deepStrictEqual([VIEWER, VIEWER_TLS, ORIGIN, ORIGIN_TLS].flatMap((n) => of(result, n)), []);
            });
        });
    }

    it("refuses an aws-native distribution without a viewer certificate, which CloudFormation serves with the default certificate", async () => {
        assertViolation(await pack().analyze(distribution(NATIVE, { viewerCertificate: null })), VIEWER_TLS, "mandatory",
            "distributionConfig.viewerCertificate is not set", "allows TLS 1.0");
    });

    it("leaves S3 origins, which have no customOriginConfig, to other rules", async () => {
        const s3 = resource(AWS, "assets", {
            origins: [{ domainName: "assets.s3.amazonaws.com", originId: "s3", s3OriginConfig: { originAccessIdentity: "" } }],
            defaultCacheBehavior: { targetOriginId: "s3", viewerProtocolPolicy: "https-only" },
            viewerCertificate: { acmCertificateArn: CERT_ARN, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
        });
        const result = await pack().analyze(s3);
        assertPasses(result, ORIGIN);
        assertPasses(result, ORIGIN_TLS);
    });
});
