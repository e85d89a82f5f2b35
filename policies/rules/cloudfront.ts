/**
 * CloudFront in front of the load balancer (`aws:cloudfront/distribution` and the CloudFormation
 * shape `aws-native:cloudfront:Distribution`, whose settings sit under `distributionConfig` and
 * whose ordered behaviors are `cacheBehaviors`): viewers only over HTTPS on TLS 1.2 or later, and
 * CloudFront to custom origins (the load balancer) only over HTTPS without SSLv3/TLS 1.0/TLS 1.1.
 *
 * Values: `viewerProtocolPolicy` allow-all | https-only | redirect-to-https; `originProtocolPolicy`
 * http-only | https-only | match-viewer; `minimumProtocolVersion` one of CloudFront's security
 * policies (SSLv3, TLSv1, TLSv1_2016, TLSv1.1_2016, TLSv1.2_2018/2019/2021/2025, TLSv1.3_2025),
 * `TLSv1` when omitted, and the only one allowed with the default *.cloudfront.net certificate
 * (@pulumi/aws `DistributionViewerCertificate` docs; CloudFront developer guide, "Supported
 * protocols and ciphers between viewers and CloudFront").
 */
import { Policies } from "@pulumi/policy";
import { HOP_TOKENS } from "../shared/tokens";
import { asArray, CheckContext, isUnknown, param, resourceRule, securityHub } from "../framework";
import { coercedBoolean, knownString } from "./hop-values";

const NATIVE: string = HOP_TOKENS.cloudfrontDistribution[1];

/** The distribution's settings and the prefix of their property paths, for either family. */
function configOf(type: string, props: Record<string, any>): { c: Record<string, any>; at: string } | undefined {
    if (type !== NATIVE) {
        return { c: props, at: "" };
    }
    const c = props.distributionConfig;
    return c && typeof c === "object" && !isUnknown(c) ? { c, at: "distributionConfig." } : undefined;
}

function checkViewerProtocol({ resource, props, report }: CheckContext<object>): void {
    const d = configOf(resource.type, props);
    if (!d) {
        return;
    }
    const ordered = resource.type === NATIVE ? "cacheBehaviors" : "orderedCacheBehaviors";
    const behaviors = [
        { path: "defaultCacheBehavior", b: d.c.defaultCacheBehavior },
        ...asArray(d.c[ordered]).map((b, i) => ({ path: `${ordered}[${i}]`, b })),
    ];
    for (const { path, b } of behaviors) {
        const policy = knownString(b?.viewerProtocolPolicy);
        if (policy !== undefined && policy !== "https-only" && policy !== "redirect-to-https") {
            report({
                property: `${d.at}${path}.viewerProtocolPolicy`, value: policy,
                problem: "lets viewers use plaintext HTTP",
                fix: 'set viewerProtocolPolicy to "redirect-to-https" or "https-only"',
            });
        }
    }
}

const VIEWER_FIX = "use a custom ACM certificate (us-east-1) with sslSupportMethod \"sni-only\" and minimumProtocolVersion \"TLSv1.2_2021\" or later";

/** The TLS version a CloudFront viewer security policy starts at, e.g. `TLSv1.2_2021` → 1.2, `TLSv1` → 1.0. */
function viewerMinimum(policy: string): number | undefined {
    const m = /^(SSLv3|TLSv1(?:\.(\d))?)(?:_\d{4})?$/.exec(policy);
    return m ? (m[1] === "SSLv3" ? 0.3 : 1 + Number(m[2] ?? 0) / 10) : undefined;
}

function checkViewerTls({ resource, props, config, report }: CheckContext<{ minimumTlsVersion: "1.2" | "1.3" }>): void {
    const d = configOf(resource.type, props);
    if (!d || isUnknown(d.c.viewerCertificate)) {
        return;
    }
    const vc = d.c.viewerCertificate;
    const defaultKey = resource.type === NATIVE ? "cloudFrontDefaultCertificate" : "cloudfrontDefaultCertificate";
    // CloudFormation applies the default certificate when ViewerCertificate is left out.
    if ((vc === undefined || vc === null) && resource.type === NATIVE) {
        report({ property: `${d.at}viewerCertificate`, value: vc, problem: "serves viewers the default *.cloudfront.net certificate, which allows TLS 1.0", fix: VIEWER_FIX });
        return;
    }
    if (coercedBoolean(vc?.[defaultKey]) === true) {
        report({ property: `${d.at}viewerCertificate.${defaultKey}`, value: vc[defaultKey], problem: "serves the default *.cloudfront.net certificate, with which CloudFront accepts only TLSv1 (TLS 1.0) as the minimum", fix: VIEWER_FIX });
        return;
    }
    const version = vc?.minimumProtocolVersion;
    if (isUnknown(version)) {
        return;
    }
    const policy = knownString(version) ?? "TLSv1";
    const minimum = viewerMinimum(policy);
    if (minimum === undefined || minimum < Number(config.minimumTlsVersion)) {
        report({
            property: `${d.at}viewerCertificate.minimumProtocolVersion`, value: version,
            problem: minimum === undefined ? "is not a CloudFront security policy the pack knows" : `lets viewers in below TLS ${config.minimumTlsVersion}${knownString(version) === undefined ? " (CloudFront's default is TLSv1)" : ""}`,
            fix: `set minimumProtocolVersion to ${config.minimumTlsVersion === "1.3" ? '"TLSv1.3_2025"' : '"TLSv1.2_2021" (or "TLSv1.2_2025", "TLSv1.3_2025")'}`,
        });
    }
}

/** The custom origins (those with a customOriginConfig) of a distribution. */
function customOrigins(d: { c: Record<string, any>; at: string }): { path: string; o: Record<string, any> }[] {
    return asArray(d.c.origins).flatMap((origin: any, i) => {
        const o = origin?.customOriginConfig;
        return o && typeof o === "object" && !isUnknown(o) ? [{ path: `${d.at}origins[${i}].customOriginConfig`, o }] : [];
    });
}

function checkOriginProtocol({ resource, props, report }: CheckContext<object>): void {
    const d = configOf(resource.type, props);
    for (const { path, o } of d ? customOrigins(d) : []) {
        const policy = knownString(o.originProtocolPolicy);
        if (policy !== undefined && policy !== "https-only") {
            report({
                property: `${path}.originProtocolPolicy`, value: policy,
                problem: policy === "match-viewer" ? "sends HTTP to the origin whenever a viewer uses HTTP" : "sends requests to the origin in plaintext",
                fix: 'set originProtocolPolicy to "https-only" (the origin, e.g. the load balancer, serves HTTPS)',
            });
        }
    }
}

const WEAK_ORIGIN_PROTOCOLS = new Set(["SSLv3", "TLSv1", "TLSv1.1"]);

function checkOriginSsl({ resource, props, report }: CheckContext<object>): void {
    const d = configOf(resource.type, props);
    for (const { path, o } of d ? customOrigins(d) : []) {
        const weak = asArray(o.originSslProtocols).filter((p) => typeof p === "string" && WEAK_ORIGIN_PROTOCOLS.has(p));
        if (weak.length > 0) {
            report({
                property: `${path}.originSslProtocols`, value: o.originSslProtocols,
                problem: `lets CloudFront reach the origin over ${weak.join(", ")}, which are broken or deprecated (RFC 7568, RFC 8996)`,
                fix: 'set originSslProtocols to ["TLSv1.2"]',
            });
        }
    }
}

export const policies: Policies = [
    resourceRule({
        name: "cloudfront-viewer-https-only",
        description: "CloudFront cache behaviors (default and ordered) use viewerProtocolPolicy redirect-to-https or https-only: allow-all serves viewers over plaintext HTTP.",
        enforcementLevel: "mandatory",
        severity: "high",
        control: securityHub("CloudFront.3", "CloudFront distributions should require encryption in transit"),
        appliesTo: HOP_TOKENS.cloudfrontDistribution,
        check: checkViewerProtocol,
    }),
    resourceRule({
        name: "cloudfront-viewer-minimum-tls",
        description: "CloudFront serves viewers a custom certificate with minimumProtocolVersion TLSv1.2_* or later: the default *.cloudfront.net certificate and the omitted minimum (TLSv1) accept TLS 1.0 (Checkov CKV_AWS_174, tfsec aws-cloudfront-use-secure-tls-policy; Security Hub CloudFront.7 asks for the custom certificate).",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: HOP_TOKENS.cloudfrontDistribution,
        config: {
            minimumTlsVersion: param<"1.2" | "1.3">("1.2", { type: "string", enum: ["1.2", "1.3"], description: "Lowest TLS version viewers may use." }),
        },
        check: checkViewerTls,
    }),
    resourceRule({
        name: "cloudfront-origin-https-only",
        description: "CloudFront reaches custom origins (the load balancer) with originProtocolPolicy https-only: http-only is plaintext, match-viewer is plaintext for every HTTP viewer.",
        enforcementLevel: "mandatory",
        severity: "high",
        control: securityHub("CloudFront.9", "CloudFront distributions should encrypt traffic to custom origins"),
        appliesTo: HOP_TOKENS.cloudfrontDistribution,
        check: checkOriginProtocol,
    }),
    resourceRule({
        name: "cloudfront-origin-tls-protocols",
        description: "CloudFront's originSslProtocols to custom origins list neither SSLv3 (Security Hub CloudFront.10) nor TLSv1 and TLSv1.1 (deprecated by RFC 8996).",
        enforcementLevel: "mandatory",
        severity: "high",
        control: securityHub("CloudFront.10", "CloudFront distributions should not use deprecated SSL protocols between edge locations and custom origins"),
        appliesTo: HOP_TOKENS.cloudfrontDistribution,
        check: checkOriginSsl,
    }),
];
