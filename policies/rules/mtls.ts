/**
 * Mutual TLS on HTTPS listeners: when the load balancer verifies client certificates it does so
 * against a trust store, and without waving expired certificates through.
 */
import { Policies } from "@pulumi/policy";
import { LB_TOKENS } from "../shared/tokens";
import { CheckContext, flag, isSetString, isTrue, isUnknown, resourceRule } from "../framework";
import { listenerProtocol, mtlsMode, verifyOnlyFields } from "./elb";
import { isMtlsMode } from "../shared/mtls-modes";

function checkVerify({ props, config, family, report }: CheckContext<{ allowIgnoreClientCertificateExpiry: boolean }>): void {
    if (listenerProtocol(props) !== "HTTPS") {
        return;
    }
    const mode = mtlsMode(props);
    const ma = props.mutualAuthentication ?? {};
    if (mode === undefined) {
        return;
    }
    if (!isMtlsMode(mode)) {
        report({
            property: "mutualAuthentication.mode",
            value: ma.mode,
            problem: "is not an ALB mutual TLS mode",
            fix: 'set mutualAuthentication.mode to "verify" (or "passthrough" or "off")',
        });
        return;
    }
    if (mode === "verify") {
        const arn = ma.trustStoreArn;
        if (!isUnknown(arn) && !isSetString(arn)) {
            report({
                property: "mutualAuthentication.trustStoreArn",
                value: arn,
                problem: "leaves a verify-mode listener with nothing to verify client certificates against",
                fix: "create an aws.lb.TrustStore from the client CA bundle and set mutualAuthentication.trustStoreArn to its arn",
            });
        }
        if (isTrue(ma.ignoreClientCertificateExpiry) && !config.allowIgnoreClientCertificateExpiry) {
            report({
                property: "mutualAuthentication.ignoreClientCertificateExpiry",
                value: ma.ignoreClientCertificateExpiry,
                problem: "lets clients in with expired certificates",
                fix: "remove ignoreClientCertificateExpiry (defaults to false) and rotate client certificates before they expire",
            });
        }
        return;
    }
    // A terraform-provider-aws check: CloudFormation (aws-native) has no such rule.
    if (mode === "off" && family === "aws") {
        // The provider rejects mode "off" with other fields at apply time; say so at preview.
        const extra = verifyOnlyFields(ma);
        if (extra.length > 0) {
            report({
                property: `mutualAuthentication.${extra[0]}`,
                value: ma[extra[0]],
                problem: 'is set while mode is "off", which the AWS provider rejects (mode "off" must stand alone)',
                fix: 'set mutualAuthentication.mode to "verify" to use the trust store, or leave only { mode: "off" }',
            });
        }
    }
}

function checkRequired({ props, config, report }: CheckContext<{ requireVerify: boolean }>): void {
    if (listenerProtocol(props) !== "HTTPS") {
        return;
    }
    const mode = mtlsMode(props);
    if (mode === undefined || mode === "verify" || (mode === "passthrough" && !config.requireVerify)) {
        return;
    }
    const ma = props.mutualAuthentication;
    report({
        property: ma?.mode === undefined ? "mutualAuthentication" : "mutualAuthentication.mode",
        value: ma?.mode === undefined ? ma : ma.mode,
        problem: mode === "passthrough"
            ? "forwards client certificates unverified, and requireVerify is set"
            : "lets any client connect without a certificate",
        fix: 'set mutualAuthentication: { mode: "verify", trustStoreArn: <aws.lb.TrustStore arn> }, or, for a public endpoint, have the pack\'s config exempt the listener by URN',
    });
}

export const policies: Policies = [
    resourceRule({
        name: "alb-listener-mtls-verify-trust-store",
        description: "A listener that verifies client certificates (mutualAuthentication.mode \"verify\") names a trust store and does not ignore certificate expiry. " +
            "Without a trust store nothing is verified; ignoring expiry keeps revoked-by-age credentials working.",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: LB_TOKENS.listener,
        config: { allowIgnoreClientCertificateExpiry: flag(false, "Accept ignoreClientCertificateExpiry: true (for a migration window only).") },
        remediationSteps: "Create an aws.lb.TrustStore from the client CA bundle in S3 and reference it; drop ignoreClientCertificateExpiry.",
        check: checkVerify,
    }),
    resourceRule({
        name: "alb-listener-mtls-required",
        description: "HTTPS listeners authenticate clients with mutual TLS (mode \"verify\" against a trust store; \"passthrough\" is accepted unless requireVerify is set). " +
            "Advisory by default because public sites cannot ask browsers for certificates; make it mandatory for service-to-service endpoints.",
        enforcementLevel: "advisory",
        severity: "medium",
        appliesTo: LB_TOKENS.listener,
        config: { requireVerify: flag(false, "Refuse passthrough mode too: only verify counts as mutual TLS.") },
        check: checkRequired,
    }),
];
