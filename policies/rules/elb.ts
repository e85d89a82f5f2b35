/**
 * What the ELBv2 rules read of a listener or target group, as AWS resolves omitted values
 * (../shared/aws-defaults.ts). Every function answers `undefined` while the value is unknown.
 */
import { effectiveListenerProtocol, effectiveTargetGroupProtocol } from "../shared/aws-defaults";
import { isUnknown } from "../framework";

/** Listener protocols that carry TLS from the client. */
export const SECURE_PROTOCOLS: ReadonlySet<string> = new Set(["HTTPS", "TLS"]);

/** The listener's protocol, upper-cased, as aws-defaults.ts reads an omitted one; `undefined` when unknown. */
export function listenerProtocol(props: Record<string, any>): string | undefined {
    return isUnknown(props.protocol) ? undefined : effectiveListenerProtocol(props.protocol);
}

/** The target group's protocol, upper-cased, as aws-defaults.ts reads an omitted one; `undefined` when unknown. */
export function targetGroupProtocol(props: Record<string, any>): string | undefined {
    return isUnknown(props.protocol) ? undefined : effectiveTargetGroupProtocol(props.protocol);
}

/** The ALB mutual TLS modes (ALB user guide, "Mutual authentication with TLS"). */
export const MTLS_MODES = ["off", "passthrough", "verify"];

/** The listener's mTLS mode: "off" when the block or its mode is absent; `undefined` when unknown. */
export function mtlsMode(props: Record<string, any>): string | undefined {
    const ma = props.mutualAuthentication;
    if (isUnknown(ma) || isUnknown(ma?.mode)) {
        return undefined;
    }
    return typeof ma?.mode === "string" ? ma.mode.toLowerCase() : "off";
}

/**
 * The `mutualAuthentication` fields set on `ma` that the provider accepts only with mode "verify"
 * (terraform-provider-aws 6.0 CHANGELOG, resource/aws_lb_listener, hashicorp/terraform-provider-aws#42326).
 */
export function verifyOnlyFields(ma: Record<string, any>): string[] {
    return [
        ["trustStoreArn", typeof ma.trustStoreArn === "string" && ma.trustStoreArn !== ""],
        ["ignoreClientCertificateExpiry", ma.ignoreClientCertificateExpiry === true],
        ["advertiseTrustStoreCaNames", ma.advertiseTrustStoreCaNames === "on"],
    ].filter(([, set]) => set).map(([k]) => k as string);
}
