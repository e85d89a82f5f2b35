/**
 * Listener rules: clients reach the load balancer only over TLS, on an allow-listed security
 * policy, with a certificate.
 */
import { Policies } from "@pulumi/policy";
import { effectiveListenerProtocol, OMITTED_SSL_POLICY } from "../shared/aws-defaults";
import { asArray, CheckContext, isType, isUnknown, oneOf, resourceRule, upper } from "./common";
import { DEFAULT_SSL_POLICY, MinTlsVersion, SSL_POLICIES, SslPolicyInfo, sslPolicyInfo } from "../shared/ssl-policies";

/** Listener protocols that carry TLS from the client. */
const SECURE_PROTOCOLS = new Set(["HTTPS", "TLS"]);

const REDIRECT_FIX = 'make the only default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }, or use protocol "HTTPS" with a certificate';

/** The listener's protocol, upper-cased, as aws-defaults.ts reads an omitted one; `undefined` when unknown. */
export function listenerProtocol(props: Record<string, any>): string | undefined {
    if (isUnknown(props.protocol)) {
        return undefined;
    }
    return effectiveListenerProtocol(props.protocol);
}

/** True when a redirect action keeps the request on TLS. AWS's `#{protocol}` keeps the incoming one. */
function redirectsToHttps(action: any): boolean | undefined {
    const protocol = action?.redirect?.protocol;
    if (isUnknown(protocol) || isUnknown(action?.redirect)) {
        return undefined;
    }
    return upper(protocol) === "HTTPS";
}

interface HttpsOnlyConfig {
    allowTcpPassthrough: boolean;
}

function checkHttpsOnly({ props, config, report }: CheckContext<HttpsOnlyConfig>): void {
    const protocol = listenerProtocol(props);
    if (protocol === undefined || SECURE_PROTOCOLS.has(protocol)) {
        return;
    }
    if (protocol === "TCP" && config.allowTcpPassthrough) {
        return;
    }
    if (protocol !== "HTTP") {
        report({
            property: "protocol",
            value: props.protocol,
            problem: "carries client traffic without TLS termination the pack can verify",
            fix: 'use protocol "TLS" (or "HTTPS" on an Application Load Balancer) with a certificate, or set allowTcpPassthrough for TLS pass-through on TCP',
        });
        return;
    }
    if (isUnknown(props.defaultActions)) {
        return;
    }
    const actions = asArray(props.defaultActions);
    if (actions.length !== 1) {
        report({
            property: "defaultActions",
            value: actions.map((a) => a?.type),
            problem: `gives an HTTP listener ${actions.length} default actions; only a single redirect to HTTPS may stay in plaintext`,
            fix: REDIRECT_FIX,
        });
        return;
    }
    const action = actions[0];
    if (isUnknown(action) || isUnknown(action?.type)) {
        return;
    }
    if (action?.type !== "redirect") {
        report({
            property: "defaultActions[0].type",
            value: action?.type,
            problem: action?.type === "forward"
                ? "forwards plaintext HTTP from clients on an HTTP listener"
                : "answers clients in plaintext on an HTTP listener",
            fix: REDIRECT_FIX,
        });
        return;
    }
    if (redirectsToHttps(action) === false) {
        report({
            property: "defaultActions[0].redirect.protocol",
            value: action?.redirect?.protocol,
            problem: "keeps the redirected request on plaintext HTTP (\"#{protocol}\" keeps the incoming protocol)",
            fix: 'set redirect.protocol to "HTTPS"',
        });
    }
}

interface RuleRedirectConfig {}

function checkRuleRedirects({ props, report }: CheckContext<RuleRedirectConfig>): void {
    asArray(props.actions).forEach((action, i) => {
        if (isUnknown(action) || action?.type !== "redirect") {
            return;
        }
        if (redirectsToHttps(action) === false) {
            report({
                property: `actions[${i}].redirect.protocol`,
                value: action?.redirect?.protocol,
                problem: "sends clients to plaintext HTTP (\"#{protocol}\" keeps the incoming protocol)",
                fix: 'set redirect.protocol to "HTTPS"',
            });
        }
    });
}

/** Config of the security-policy allow-list. */
export interface TlsPolicyConfig {
    minimumTlsVersion: "1.2" | "1.3";
    fipsOnly: boolean;
    postQuantumOnly: boolean;
    restrictedCiphersOnly: boolean;
    additionalAllowedPolicies: string[];
    remediationPolicy: string;
}

export const TLS_POLICY_DEFAULTS: TlsPolicyConfig = {
    minimumTlsVersion: "1.2",
    fipsOnly: false,
    postQuantumOnly: false,
    restrictedCiphersOnly: false,
    additionalAllowedPolicies: [],
    remediationPolicy: DEFAULT_SSL_POLICY,
};

const TLS_ORDER: Record<MinTlsVersion, number> = { "1.0": 0, "1.1": 1, "1.2": 2, "1.3": 3 };

/**
 * Security Hub ELB.17's set: TLS 1.3 capable policies that are TLS 1.3 only or restricted to
 * forward-secret AEAD ciphers (the `-Res-` family).
 */
export function isRestrictedPolicy(p: SslPolicyInfo): boolean {
    return p.tls13 && (p.minTls === "1.3" || p.name.includes("-Res-"));
}

/** Why a published policy fails `config`, or `undefined` when it passes. */
function rejectionReason(p: SslPolicyInfo, config: TlsPolicyConfig): string | undefined {
    if (TLS_ORDER[p.minTls] < TLS_ORDER[config.minimumTlsVersion]) {
        return `allows TLS ${p.minTls}; the minimum is TLS ${config.minimumTlsVersion}`;
    }
    if (config.fipsOnly && !p.fips) {
        return "is not a FIPS policy and fipsOnly is set";
    }
    if (config.postQuantumOnly && !p.postQuantum) {
        return "offers no post-quantum key exchange and postQuantumOnly is set";
    }
    if (config.restrictedCiphersOnly && !isRestrictedPolicy(p)) {
        return "allows CBC or non-forward-secret ciphers, and restrictedCiphersOnly is set (Security Hub ELB.17)";
    }
    return undefined;
}

/** Every policy name `config` accepts, published ones first, in table order. */
export function allowedSslPolicies(config: TlsPolicyConfig): string[] {
    const published = SSL_POLICIES.filter((p) => rejectionReason(p, config) === undefined).map((p) => p.name);
    const extra = config.additionalAllowedPolicies.filter((n) => !published.includes(n));
    return [...published, ...extra];
}

/** The policy a remediation sets: `remediationPolicy` when allowed, else the first allowed restricted one. */
export function remediationSslPolicy(config: TlsPolicyConfig): string | undefined {
    const allowed = allowedSslPolicies(config);
    if (allowed.includes(config.remediationPolicy)) {
        return config.remediationPolicy;
    }
    const preferred = SSL_POLICIES.filter((p) => isRestrictedPolicy(p) && allowed.includes(p.name));
    return preferred[0]?.name ?? allowed[0];
}

function listFor(config: TlsPolicyConfig): string {
    const allowed = allowedSslPolicies(config);
    const recommended = remediationSslPolicy(config);
    // Lead with the restricted (ELB.17) policies: they are the ones to pick.
    const ordered = [
        ...(recommended ? [recommended] : []),
        ...SSL_POLICIES.filter((p) => isRestrictedPolicy(p) && allowed.includes(p.name) && p.name !== recommended).map((p) => p.name),
        ...allowed.filter((n) => n !== recommended && !SSL_POLICIES.some((p) => p.name === n && isRestrictedPolicy(p))),
    ];
    const shown = ordered.slice(0, 4);
    const rest = ordered.length - shown.length;
    return rest > 0 ? `${oneOf(shown)}, or one of the ${rest} other allowed policies` : oneOf(shown);
}

function checkTlsPolicy({ props, config, report }: CheckContext<TlsPolicyConfig>): void {
    const protocol = listenerProtocol(props);
    if (protocol === undefined || !SECURE_PROTOCOLS.has(protocol)) {
        return;
    }
    const name = props.sslPolicy;
    if (isUnknown(name)) {
        return;
    }
    const fix = `set sslPolicy to ${listFor(config)}`;
    if (name === undefined || name === null || name === "") {
        report({
            property: "sslPolicy",
            value: name,
            problem: `lets AWS fall back to ${OMITTED_SSL_POLICY} (TLS ${sslPolicyInfo(OMITTED_SSL_POLICY)?.minTls})`,
            fix: `${fix}; ${remediationSslPolicy(config) ?? DEFAULT_SSL_POLICY} is the recommended default`,
        });
        return;
    }
    if (config.additionalAllowedPolicies.includes(name)) {
        return;
    }
    const info = typeof name === "string" ? sslPolicyInfo(name) : undefined;
    if (!info) {
        report({
            property: "sslPolicy",
            value: name,
            problem: "is not a published ELB security policy on the allow-list",
            fix: `${fix}, or add it to additionalAllowedPolicies`,
        });
        return;
    }
    const reason = rejectionReason(info, config);
    if (reason) {
        report({ property: "sslPolicy", value: name, problem: reason, fix });
    }
}

function checkCertificate({ props, report }: CheckContext<Record<string, never>>): void {
    const protocol = listenerProtocol(props);
    if (protocol === undefined || !SECURE_PROTOCOLS.has(protocol)) {
        return;
    }
    const arn = props.certificateArn;
    if (isUnknown(arn) || (typeof arn === "string" && arn.length > 0)) {
        return;
    }
    report({
        property: "certificateArn",
        value: arn,
        problem: `leaves the ${protocol} listener without a server certificate`,
        fix: "set certificateArn to an ACM certificate in the load balancer's region (use aws.acm.CertificateValidation's certificateArn so the listener waits for issuance)",
    });
}

const isListener = (t: string) => isType(t, "listener");

export const policies: Policies = [
    resourceRule<HttpsOnlyConfig>({
        name: "alb-listener-https-only",
        description: "Load balancer listeners accept clients only over TLS: protocol HTTPS or TLS, or HTTP whose single default action redirects to HTTPS. " +
            "Anything else serves or forwards plaintext that can be read and changed on the way.",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: isListener,
        defaults: { allowTcpPassthrough: false },
        schema: {
            allowTcpPassthrough: {
                type: "boolean",
                description: "Accept TCP listeners (TLS pass-through to targets that terminate TLS themselves). The pack cannot see inside TCP, so this is off by default.",
            },
        },
        remediationSteps: "Serve HTTPS (or TLS) with a certificate; keep port 80 only as a listener whose one default action is a redirect with protocol HTTPS.",
        check: checkHttpsOnly,
    }),
    resourceRule<RuleRedirectConfig>({
        name: "alb-listener-rule-redirect-https",
        description: "Listener rules that redirect send clients to HTTPS. A redirect to HTTP (or to \"#{protocol}\" on an HTTP listener) downgrades clients to plaintext.",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: (t) => isType(t, "listenerRule"),
        defaults: {},
        schema: {},
        check: checkRuleRedirects,
    }),
    resourceRule<TlsPolicyConfig>({
        name: "alb-listener-tls-policy-allowlist",
        description: "HTTPS and TLS listeners name their security policy explicitly, and it is on an allow-list of TLS 1.2+ policies (exact names, no prefix matching). " +
            `An omitted sslPolicy makes AWS use ${OMITTED_SSL_POLICY}, which allows TLS ${sslPolicyInfo(OMITTED_SSL_POLICY)?.minTls}.`,
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: isListener,
        defaults: TLS_POLICY_DEFAULTS,
        schema: {
            minimumTlsVersion: { type: "string", enum: ["1.2", "1.3"], description: "Lowest TLS version a listener may accept." },
            fipsOnly: { type: "boolean", description: "Accept only FIPS security policies." },
            postQuantumOnly: { type: "boolean", description: "Accept only policies with hybrid post-quantum key exchange." },
            restrictedCiphersOnly: { type: "boolean", description: "Accept only TLS 1.3 capable policies restricted to forward-secret AEAD ciphers (the Security Hub ELB.17 set)." },
            additionalAllowedPolicies: { type: "array", items: { type: "string" }, description: "Exact policy names accepted in addition to the computed allow-list." },
            remediationPolicy: { type: "string", description: "The policy a remediation sets on a listener without one (falls back to the first allowed restricted policy)." },
        },
        remediationSteps: `Set sslPolicy explicitly, e.g. "${DEFAULT_SSL_POLICY}".`,
        check: checkTlsPolicy,
        remediate: ({ props, config }) => {
            const protocol = listenerProtocol(props);
            if (protocol === undefined || !SECURE_PROTOCOLS.has(protocol) || (props.sslPolicy !== undefined && props.sslPolicy !== null && props.sslPolicy !== "")) {
                return undefined;
            }
            const sslPolicy = remediationSslPolicy(config);
            return sslPolicy ? { ...props, sslPolicy } : undefined;
        },
    }),
    resourceRule<Record<string, never>>({
        name: "alb-listener-certificate-required",
        description: "HTTPS and TLS listeners have a server certificate (certificateArn). Without one the listener cannot be created, and a certificate added out of band is invisible to review.",
        enforcementLevel: "mandatory",
        severity: "medium",
        appliesTo: isListener,
        defaults: {},
        schema: {},
        check: checkCertificate,
    }),
];
