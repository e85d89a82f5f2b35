/**
 * The security-policy allow-list of `alb-listener-tls-policy-allowlist`: which published policies
 * (../shared/ssl-policies.ts) a config accepts, why one is refused, and what a fix recommends.
 */
import { DEFAULT_SSL_POLICY, SSL_POLICIES, SslPolicyInfo, sslPolicyInfo, tlsAtLeast } from "../shared/ssl-policies";
import { ConfigOf, flag, oneOf, param, strings } from "../framework";

/** Config keys of the security-policy allow-list. */
export const TLS_POLICY_PARAMS = {
    minimumTlsVersion: param<"1.2" | "1.3">("1.2", { type: "string", enum: ["1.2", "1.3"], description: "Lowest TLS version a listener may accept." }),
    fipsOnly: flag(false, "Accept only FIPS security policies."),
    postQuantumOnly: flag(false, "Accept only policies with hybrid post-quantum key exchange."),
    restrictedCiphersOnly: flag(false, "Accept only TLS 1.3 capable policies restricted to forward-secret AEAD ciphers (the Security Hub ELB.17 set)."),
    additionalAllowedPolicies: strings("Exact policy names accepted in addition to the computed allow-list."),
    remediationPolicy: param(DEFAULT_SSL_POLICY, { type: "string", description: "The policy a remediation sets on a listener without one (falls back to the first allowed restricted policy)." }),
};

/** Config of the security-policy allow-list. */
export type TlsPolicyConfig = ConfigOf<typeof TLS_POLICY_PARAMS>;

/**
 * Security Hub ELB.17's set: TLS 1.3 capable policies that are TLS 1.3 only or restricted to
 * forward-secret AEAD ciphers (the `-Res-` family).
 */
export function isRestrictedPolicy(p: SslPolicyInfo): boolean {
    return p.tls13 && (p.minTls === "1.3" || p.name.includes("-Res-"));
}

/** Why a published policy fails `config`, or `undefined` when it passes. */
export function rejectionReason(p: SslPolicyInfo, config: TlsPolicyConfig): string | undefined {
    if (!tlsAtLeast(p.minTls, config.minimumTlsVersion)) {
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

/** The allowed policies as a fix names them: the recommended one, then the restricted (ELB.17) ones, at most four. */
export function allowedListText(config: TlsPolicyConfig): string {
    const allowed = allowedSslPolicies(config);
    const recommended = remediationSslPolicy(config);
    const ordered = [
        ...(recommended ? [recommended] : []),
        ...SSL_POLICIES.filter((p) => isRestrictedPolicy(p) && allowed.includes(p.name) && p.name !== recommended).map((p) => p.name),
        ...allowed.filter((n) => n !== recommended && !SSL_POLICIES.some((p) => p.name === n && isRestrictedPolicy(p))),
    ];
    const shown = ordered.slice(0, 4);
    const rest = ordered.length - shown.length;
    return rest > 0 ? `${oneOf(shown)}, or one of the ${rest} other allowed policies` : oneOf(shown);
}

/**
 * Why the published security policy `name` fails the allow-list, or `undefined` when it passes: how
 * the rules of the hops beyond ELBv2 (classic ELB, Kubernetes annotations) judge a policy named by string.
 */
export function sslPolicyProblem(name: string, config: TlsPolicyConfig): string | undefined {
    if (config.additionalAllowedPolicies.includes(name)) {
        return undefined;
    }
    const info = sslPolicyInfo(name);
    return info ? rejectionReason(info, config) : "is not a published ELB security policy on the allow-list";
}

/** The fix naming the allowed security policies. */
export function sslPolicyFix(property: string, config: TlsPolicyConfig): string {
    return `set ${property} to ${allowedListText(config)}, or add it to additionalAllowedPolicies`;
}
