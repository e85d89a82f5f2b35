/**
 * Listener rules: clients reach the load balancer only over TLS, on an allow-listed security
 * policy, with a certificate.
 */
import { Policies } from "@pulumi/policy";
import { OMITTED_SSL_POLICY } from "../shared/aws-defaults";
import { DEFAULT_SSL_POLICY, sslPolicyInfo } from "../shared/ssl-policies";
import { LB_TOKENS } from "../shared/tokens";
import { asArray, CheckContext, flag, isSetString, isUnknown, resourceRule, securityHub, upper } from "../framework";
import { isPlaintextHop, listenerProtocol, PassthroughConfig, SECURE_PROTOCOLS, udpPassthrough } from "./elb";
import { allowedListText, rejectionReason, remediationSslPolicy, TLS_POLICY_PARAMS, TlsPolicyConfig } from "./tls-policies";

const REDIRECT_FIX = 'make the only default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }, or use protocol "HTTPS" with a certificate';

/** True when a redirect action keeps the request on TLS. AWS's `#{protocol}` keeps the incoming one. */
function redirectsToHttps(action: any): boolean | undefined {
    const protocol = action?.redirect?.protocol;
    if (isUnknown(protocol) || isUnknown(action?.redirect)) {
        return undefined;
    }
    return upper(protocol) === "HTTPS";
}

function checkHttpsOnly({ props, config, report }: CheckContext<PassthroughConfig>): void {
    const protocol = listenerProtocol(props);
    if (!isPlaintextHop(protocol, config)) {
        return;
    }
    if (protocol !== "HTTP") {
        report({
            property: "protocol",
            value: props.protocol,
            problem: "carries client traffic without TLS termination the pack can verify",
            fix: protocol === "TCP"
                ? 'use protocol "TLS" (or "HTTPS" on an Application Load Balancer) with a certificate, or set allowTcpPassthrough for TLS pass-through on TCP'
                : `use protocol "TLS" (or "QUIC" for HTTP/3) with a certificate, or set ${protocol === "UDP" ? "allowUdpPassthrough" : "allowTcpPassthrough and allowUdpPassthrough"} when the targets encrypt (DTLS) themselves`,
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

function checkRuleRedirects({ props, report }: CheckContext<object>): void {
    asArray(props.actions).forEach((action, i) => {
        if (!isUnknown(action) && action?.type === "redirect" && redirectsToHttps(action) === false) {
            report({
                property: `actions[${i}].redirect.protocol`,
                value: action?.redirect?.protocol,
                problem: "sends clients to plaintext HTTP (\"#{protocol}\" keeps the incoming protocol)",
                fix: 'set redirect.protocol to "HTTPS"',
            });
        }
    });
}

function checkTlsPolicy({ props, config, report }: CheckContext<TlsPolicyConfig>): void {
    const protocol = listenerProtocol(props);
    const name = props.sslPolicy;
    if (protocol === undefined || !SECURE_PROTOCOLS.has(protocol) || isUnknown(name)) {
        return;
    }
    // Written only for a finding: listing the allowed policies reads the whole policy table.
    const fix = () => `set sslPolicy to ${allowedListText(config)}`;
    if (name === undefined || name === null || name === "") {
        report({
            property: "sslPolicy",
            value: name,
            problem: `lets AWS fall back to ${OMITTED_SSL_POLICY} (TLS ${sslPolicyInfo(OMITTED_SSL_POLICY)?.minTls})`,
            fix: `${fix()}; ${remediationSslPolicy(config) ?? DEFAULT_SSL_POLICY} is the recommended default`,
        });
        return;
    }
    if (config.additionalAllowedPolicies.includes(name)) {
        return;
    }
    const info = typeof name === "string" ? sslPolicyInfo(name) : undefined;
    if (!info) {
        report({ property: "sslPolicy", value: name, problem: "is not a published ELB security policy on the allow-list", fix: `${fix()}, or add it to additionalAllowedPolicies` });
        return;
    }
    const reason = rejectionReason(info, config);
    if (reason) {
        report({ property: "sslPolicy", value: name, problem: reason, fix: fix() });
    }
}

function checkCertificate({ props, report }: CheckContext<object>): void {
    const protocol = listenerProtocol(props);
    const arn = props.certificateArn;
    if (protocol === undefined || !SECURE_PROTOCOLS.has(protocol) || isUnknown(arn) || isSetString(arn)) {
        return;
    }
    report({
        property: "certificateArn",
        value: arn,
        problem: `leaves the ${protocol} listener without a server certificate`,
        fix: "set certificateArn to an ACM certificate in the load balancer's region (use aws.acm.CertificateValidation's certificateArn so the listener waits for issuance)",
    });
}

/** Owns the plaintext-listener problem (the path rule defers to it: ../framework/rule.ts, its findings). */
export const listenerHttpsOnly = resourceRule({
    name: "alb-listener-https-only",
    description: "Load balancer listeners accept clients only over TLS: protocol HTTPS or TLS, QUIC or TCP_QUIC (TLS 1.3 inside QUIC, passed through by NLB), or HTTP whose single default action redirects to HTTPS. " +
        "Anything else serves or forwards plaintext that can be read and changed on the way; TCP and UDP pass-through only by config. Gateway Load Balancer listeners (GENEVE to appliances) are outside this rule.",
    enforcementLevel: "mandatory",
    severity: "high",
    control: securityHub("ELB.1", "Application Load Balancer should be configured to redirect all HTTP requests to HTTPS"),
    appliesTo: LB_TOKENS.listener,
    config: {
        allowTcpPassthrough: flag(false, "Accept TCP listeners (TLS pass-through to targets that terminate TLS themselves). The pack cannot see inside TCP, so this is off by default."),
        allowUdpPassthrough: udpPassthrough("listeners"),
    },
    remediationSteps: "Serve HTTPS (or TLS) with a certificate; keep port 80 only as a listener whose one default action is a redirect with protocol HTTPS.",
    check: checkHttpsOnly,
});

export const policies: Policies = [
    listenerHttpsOnly,
    resourceRule({
        name: "alb-listener-rule-redirect-https",
        description: "Listener rules that redirect send clients to HTTPS. A redirect to HTTP (or to \"#{protocol}\" on an HTTP listener) downgrades clients to plaintext.",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: LB_TOKENS.listenerRule,
        check: checkRuleRedirects,
    }),
    resourceRule({
        name: "alb-listener-tls-policy-allowlist",
        description: "HTTPS and TLS listeners name their security policy explicitly, and it is on an allow-list of TLS 1.2+ policies (exact names, no prefix matching). " +
            `An omitted sslPolicy makes AWS use ${OMITTED_SSL_POLICY}, which allows TLS ${sslPolicyInfo(OMITTED_SSL_POLICY)?.minTls}.`,
        enforcementLevel: "mandatory",
        severity: "high",
        control: securityHub("ELB.17", "Application and Network Load Balancers with listeners should use recommended security policies"),
        appliesTo: LB_TOKENS.listener,
        config: TLS_POLICY_PARAMS,
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
    resourceRule({
        name: "alb-listener-certificate-required",
        description: "HTTPS and TLS listeners have a server certificate (certificateArn). Without one the listener cannot be created, and a certificate added out of band is invisible to review.",
        enforcementLevel: "mandatory",
        severity: "medium",
        appliesTo: LB_TOKENS.listener,
        check: checkCertificate,
    }),
];
