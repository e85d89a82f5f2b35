/**
 * CloudFront in front of the load balancer (`aws:cloudfront/distribution`, the multi-tenant
 * `aws:cloudfront/multitenantDistribution` and the CloudFormation shape
 * `aws-native:cloudfront:Distribution`, whose settings sit under `distributionConfig`; ordered
 * behaviors are `cacheBehaviors` in the last two): viewers only over HTTPS on TLS 1.2 or later, and
 * CloudFront to custom origins (the load balancer) and to VPC origins (`aws:cloudfront/vpcOrigin`,
 * `aws-native:cloudfront:VpcOrigin`: a private ALB, NLB or instance) only over HTTPS without
 * SSLv3/TLS 1.0/TLS 1.1.
 *
 * Values: `viewerProtocolPolicy` allow-all | https-only | redirect-to-https; `originProtocolPolicy`
 * http-only | https-only | match-viewer; `minimumProtocolVersion` one of CloudFront's security
 * policies (SSLv3, TLSv1, TLSv1_2016, TLSv1.1_2016, TLSv1.2_2018/2019/2021/2025, TLSv1.3_2025),
 * `TLSv1` when omitted, and the only one allowed with the default *.cloudfront.net certificate
 * (@pulumi/aws `DistributionViewerCertificate` docs; CloudFront developer guide, "Supported
 * protocols and ciphers between viewers and CloudFront"). Omitted origin settings of the
 * CloudFormation shapes are judged by CloudFormation's defaults (../shared/aws-defaults.ts).
 */
import { Policies } from "@pulumi/policy";
import { CLOUDFORMATION_DEFAULT_ORIGIN_SSL_PROTOCOLS, CLOUDFORMATION_DEFAULT_VPC_ORIGIN_PROTOCOL_POLICY } from "../shared/aws-defaults";
import { MinTlsVersion, TLS_VERSIONS, tlsAtLeast } from "../shared/ssl-policies";
import { HOP_TOKENS } from "../shared/tokens";
import { asArray, asBoolean, CheckContext, isUnknown, knownString, param, resourceRule, securityHub, StackCheckContext, stackRule, strings } from "../framework";

const NATIVE: string = HOP_TOKENS.cloudfrontDistribution[1];
const MULTITENANT: string = HOP_TOKENS.cloudfrontMultitenantDistribution[0];
const [AWS_VPC_ORIGIN, NATIVE_VPC_ORIGIN]: readonly string[] = HOP_TOKENS.cloudfrontVpcOrigin;
/** Every token a distribution rule judges. */
const DISTRIBUTIONS = [...HOP_TOKENS.cloudfrontDistribution, ...HOP_TOKENS.cloudfrontMultitenantDistribution];

/** The distribution's settings and the prefix of their property paths, for either family. */
function configOf(type: string, props: Record<string, any>): { c: Record<string, any>; at: string } | undefined {
    if (type !== NATIVE) {
        return type === AWS_VPC_ORIGIN || type === NATIVE_VPC_ORIGIN ? undefined : { c: props, at: "" };
    }
    const c = props.distributionConfig;
    return c && typeof c === "object" && !isUnknown(c) ? { c, at: "distributionConfig." } : undefined;
}

function checkViewerProtocol({ resource, props, report }: CheckContext<object>): void {
    const d = configOf(resource.type, props);
    if (!d) {
        return;
    }
    const ordered = resource.type === NATIVE || resource.type === MULTITENANT ? "cacheBehaviors" : "orderedCacheBehaviors";
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

/**
 * The TLS version a CloudFront viewer security policy starts at (`TLSv1.2_2021` → "1.2", `TLSv1` →
 * "1.0"), "SSLv3" for `SSLv3`, `undefined` for a name the pack does not know.
 */
function viewerMinimum(policy: string): MinTlsVersion | "SSLv3" | undefined {
    const m = /^(SSLv3|TLSv1(?:\.(\d))?)(?:_\d{4})?$/.exec(policy);
    if (!m) {
        return undefined;
    }
    const version = m[1] === "SSLv3" ? "SSLv3" : `1.${m[2] ?? 0}`;
    return version === "SSLv3" || (TLS_VERSIONS as readonly string[]).includes(version) ? (version as MinTlsVersion | "SSLv3") : undefined;
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
    if (asBoolean(vc?.[defaultKey]) === true) {
        report({ property: `${d.at}viewerCertificate.${defaultKey}`, value: vc[defaultKey], problem: "serves the default *.cloudfront.net certificate, with which CloudFront accepts only TLSv1 (TLS 1.0) as the minimum", fix: VIEWER_FIX });
        return;
    }
    const version = vc?.minimumProtocolVersion;
    if (isUnknown(version)) {
        return;
    }
    const policy = knownString(version) ?? "TLSv1";
    const minimum = viewerMinimum(policy);
    if (minimum === undefined || minimum === "SSLv3" || !tlsAtLeast(minimum, config.minimumTlsVersion)) {
        report({
            property: `${d.at}viewerCertificate.minimumProtocolVersion`, value: version,
            problem: minimum === undefined ? "is not a CloudFront security policy the pack knows" : `lets viewers in below TLS ${config.minimumTlsVersion}${knownString(version) === undefined ? " (CloudFront's default is TLSv1)" : ""}`,
            fix: `set minimumProtocolVersion to ${config.minimumTlsVersion === "1.3" ? '"TLSv1.3_2025"' : '"TLSv1.2_2021" (or "TLSv1.2_2025", "TLSv1.3_2025")'}`,
        });
    }
}

/** An origin hop CloudFront makes: a custom origin of a distribution, or a VPC origin's endpoint. */
interface OriginHop {
    /** Property path of the origin's settings. */
    readonly path: string;
    readonly policy: unknown;
    /** The policy CloudFormation applies when it is left out (aws-native VPC origins). */
    readonly policyDefault?: string;
    readonly protocols: unknown;
    /** Path of the protocol list (`.items` on a @pulumi/aws VPC origin). */
    readonly protocolsPath: string;
    /** What an omitted list means: CloudFormation's default, or `"undocumented"`; absent where the provider requires the list. */
    readonly protocolsDefault?: readonly string[] | "undocumented";
}

/** The origin hops of a distribution (custom origins) or of a VPC origin (its endpoint). */
function originHops(type: string, props: Record<string, any>): OriginHop[] {
    if (type === AWS_VPC_ORIGIN || type === NATIVE_VPC_ORIGIN) {
        const e = props.vpcOriginEndpointConfig;
        if (!e || typeof e !== "object" || isUnknown(e)) {
            return [];
        }
        const native = type === NATIVE_VPC_ORIGIN;
        const ssl = e.originSslProtocols;
        return [{
            path: "vpcOriginEndpointConfig", policy: e.originProtocolPolicy, policyDefault: native ? CLOUDFORMATION_DEFAULT_VPC_ORIGIN_PROTOCOL_POLICY : undefined,
            protocols: native || isUnknown(ssl) ? ssl : ssl?.items, protocolsPath: native ? "originSslProtocols" : "originSslProtocols.items",
            protocolsDefault: native ? "undocumented" : undefined,
        }];
    }
    const d = configOf(type, props);
    return asArray(d?.c.origins).flatMap((origin: any, i) => {
        // @pulumi/aws and CloudFormation: one customOriginConfig; the multi-tenant resource: a list.
        const configs = origin?.customOriginConfig !== undefined
            ? [{ o: origin.customOriginConfig, path: `${d!.at}origins[${i}].customOriginConfig` }]
            : asArray(origin?.customOriginConfigs).map((o, j) => ({ o, path: `origins[${i}].customOriginConfigs[${j}]` }));
        return configs.filter(({ o }) => o && typeof o === "object" && !isUnknown(o)).map(({ o, path }) => ({
            path, policy: o.originProtocolPolicy, protocols: o.originSslProtocols, protocolsPath: "originSslProtocols",
            protocolsDefault: type === NATIVE ? CLOUDFORMATION_DEFAULT_ORIGIN_SSL_PROTOCOLS : undefined,
        }));
    });
}

function checkOriginProtocol({ resource, props, report }: CheckContext<object>): void {
    for (const { path, policy: given, policyDefault } of originHops(resource.type, props)) {
        const policy = knownString(given) ?? (given === undefined || given === null ? policyDefault : undefined);
        if (policy !== undefined && policy !== "https-only") {
            report({
                property: `${path}.originProtocolPolicy`, value: given,
                problem: `${knownString(given) === undefined ? `lets CloudFormation apply ${policy}, which ` : ""}${policy === "match-viewer" ? "sends HTTP to the origin whenever a viewer uses HTTP" : "sends requests to the origin in plaintext"}`,
                fix: 'set originProtocolPolicy to "https-only" (the origin, e.g. the load balancer, serves HTTPS)',
            });
        }
    }
}

const WEAK_ORIGIN_PROTOCOLS = new Set(["SSLv3", "TLSv1", "TLSv1.1"]);
const ORIGIN_SSL_FIX = 'set originSslProtocols to ["TLSv1.2"]';

function checkOriginSsl({ resource, props, report }: CheckContext<object>): void {
    for (const { path, protocols, protocolsPath, protocolsDefault } of originHops(resource.type, props)) {
        const property = `${path}.${protocolsPath}`;
        if (isUnknown(protocols)) {
            continue;
        }
        const omitted = protocols === undefined || protocols === null;
        if (omitted && protocolsDefault === "undocumented") {
            report({ property, value: protocols, problem: "leaves CloudFront's protocols to the VPC origin unset, for which neither CloudFormation nor the CloudFront API documents a default", fix: ORIGIN_SSL_FIX });
            continue;
        }
        const list: readonly unknown[] = omitted && Array.isArray(protocolsDefault) ? protocolsDefault : asArray(protocols);
        const weak = list.filter((p) => typeof p === "string" && WEAK_ORIGIN_PROTOCOLS.has(p));
        if (weak.length > 0) {
            report({
                property, value: protocols,
                problem: `${omitted ? `lets CloudFormation apply its default ${JSON.stringify(list)}, which ` : ""}lets CloudFront reach the origin over ${weak.join(", ")}, which are broken or deprecated (RFC 7568, RFC 8996)`,
                fix: ORIGIN_SSL_FIX,
            });
        }
    }
}

/** The VPC origins a distribution's origins name: `vpcOriginConfig` (one) or `vpcOriginConfigs` (the multi-tenant list). */
function vpcOriginReferences(type: string, props: Record<string, any>): { path: string; id: unknown }[] {
    const d = configOf(type, props);
    return asArray(d?.c.origins).flatMap((origin: any, i) => {
        const refs = origin?.vpcOriginConfig !== undefined
            ? [{ r: origin.vpcOriginConfig, path: `${d!.at}origins[${i}].vpcOriginConfig.vpcOriginId` }]
            : asArray(origin?.vpcOriginConfigs).map((r, j) => ({ r, path: `origins[${i}].vpcOriginConfigs[${j}].vpcOriginId` }));
        return refs.filter(({ r }) => r && typeof r === "object" && !isUnknown(r)).map(({ r, path }) => ({ path, id: r.vpcOriginId }));
    });
}

const REVIEWED_VPC_ORIGINS = "reviewedVpcOriginIds";

/** Distributions whose origin names a VPC origin that is not in the stack: the hop to it cannot be judged here. */
function checkVpcOriginsInStack({ index, config, report }: StackCheckContext<{ reviewedVpcOriginIds: string[] }>): void {
    const origins = HOP_TOKENS.cloudfrontVpcOrigin.flatMap((t) => index.ofType(t));
    // @pulumi/aws carries the VPC origin's id as `id`, aws-native as `awsId`.
    const ids = new Set(origins.flatMap((n) => [n.props.id, n.props.awsId]).filter((v) => knownString(v) !== undefined));
    for (const dist of DISTRIBUTIONS.flatMap((t) => index.ofType(t))) {
        for (const ref of vpcOriginReferences(dist.type, dist.props)) {
            const id = knownString(ref.id);
            if (id === undefined || ids.has(id) || config.reviewedVpcOriginIds.includes(id)) {
                continue;
            }
            report(dist, {
                property: ref.path, value: id,
                problem: "names a VPC origin outside this stack, so whether CloudFront reaches it over HTTPS (its originProtocolPolicy and originSslProtocols) cannot be seen here",
                fix: `manage the VPC origin (aws.cloudfront.VpcOrigin) in this stack, or review its endpoint settings (https-only, TLSv1.2) and list its id in ${REVIEWED_VPC_ORIGINS}`,
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
        appliesTo: DISTRIBUTIONS,
        check: checkViewerProtocol,
    }),
    resourceRule({
        name: "cloudfront-viewer-minimum-tls",
        description: "CloudFront serves viewers a custom certificate with minimumProtocolVersion TLSv1.2_* or later: the default *.cloudfront.net certificate and the omitted minimum (TLSv1) accept TLS 1.0 (Checkov CKV_AWS_174, tfsec aws-cloudfront-use-secure-tls-policy; Security Hub CloudFront.7 asks for the custom certificate).",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: DISTRIBUTIONS,
        config: {
            minimumTlsVersion: param<"1.2" | "1.3">("1.2", { type: "string", enum: ["1.2", "1.3"], description: "Lowest TLS version viewers may use." }),
        },
        check: checkViewerTls,
    }),
    resourceRule({
        name: "cloudfront-origin-https-only",
        description: "CloudFront reaches custom origins (the load balancer) and VPC origins with originProtocolPolicy https-only: http-only is plaintext, match-viewer is plaintext for every HTTP viewer. An aws-native VPC origin without one gets CloudFormation's default match-viewer (AWS::CloudFront::VpcOrigin VpcOriginEndpointConfig).",
        enforcementLevel: "mandatory",
        severity: "high",
        control: securityHub("CloudFront.9", "CloudFront distributions should encrypt traffic to custom origins"),
        appliesTo: [...DISTRIBUTIONS, ...HOP_TOKENS.cloudfrontVpcOrigin],
        check: checkOriginProtocol,
    }),
    resourceRule({
        name: "cloudfront-origin-tls-protocols",
        description: "CloudFront's originSslProtocols to custom and VPC origins list neither SSLv3 (Security Hub CloudFront.10) nor TLSv1 and TLSv1.1 (deprecated by RFC 8996). An aws-native custom origin without the list gets CloudFormation's default TLSv1 and SSLv3 (AWS::CloudFront::Distribution CustomOriginConfig); an aws-native VPC origin without it has no documented default and must name it.",
        enforcementLevel: "mandatory",
        severity: "high",
        control: securityHub("CloudFront.10", "CloudFront distributions should not use deprecated SSL protocols between edge locations and custom origins"),
        appliesTo: [...DISTRIBUTIONS, ...HOP_TOKENS.cloudfrontVpcOrigin],
        check: checkOriginSsl,
    }),
    stackRule({
        name: "cloudfront-vpc-origin-in-stack",
        description: "Distributions whose origins use a VPC origin (vpcOriginConfig.vpcOriginId) use one of the same stack, where cloudfront-origin-https-only and cloudfront-origin-tls-protocols judge its endpoint. " +
            "A known VPC origin id from another stack or account carries no protocol, so that hop cannot be judged: the rule says so (advisory) instead of guessing. Unknown ids are not reported.",
        enforcementLevel: "advisory",
        severity: "medium",
        reads: [...DISTRIBUTIONS, ...HOP_TOKENS.cloudfrontVpcOrigin],
        config: { [REVIEWED_VPC_ORIGINS]: strings("VPC origin ids of other stacks or accounts whose endpoint settings were reviewed (https-only, TLSv1.2).") },
        check: checkVpcOriginsInStack,
    }),
];
