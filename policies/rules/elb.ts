/**
 * What the ELBv2 rules read of a listener or target group, as AWS resolves omitted values
 * (../shared/aws-defaults.ts). Every function answers `undefined` while the value is unknown.
 */
import { effectiveTargetGroupProtocol, GATEWAY_PROTOCOL, listenerProtocolOf } from "../shared/aws-defaults";
import { asArray, flag, isTrue, isUnknown } from "../framework";

/** Listener protocols on which the load balancer terminates TLS from the client (certificate and security policy). */
export const SECURE_PROTOCOLS: ReadonlySet<string> = new Set(["HTTPS", "TLS"]);

/**
 * Protocols that are encrypted end to end without the load balancer terminating them: QUIC carries
 * TLS 1.3 in the transport (RFC 9001) and NLB passes it through to the targets (NLB guide,
 * Listeners). TCP_QUIC is QUIC plus TCP on the same port, the HTTP/3 clients' fallback to HTTPS
 * over TCP; it counts as encrypted like QUIC (issue 10), and like TCP pass-through the pack cannot
 * see inside its TCP half.
 */
export const PASSTHROUGH_ENCRYPTED: ReadonlySet<string> = new Set(["QUIC", "TCP_QUIC"]);

/**
 * The pack's stance on layer-4 pass-through, one switch per transport: TCP and UDP are opaque to
 * the pack (TLS or DTLS inside them is the targets' business), so they count as plaintext unless
 * the config says the targets encrypt (allowTcpPassthrough, allowUdpPassthrough; TCP_UDP needs
 * both). GENEVE (Gateway Load Balancer to appliances) is outside the mission and never a finding.
 */
export interface PassthroughConfig {
    readonly allowTcpPassthrough: boolean;
    readonly allowUdpPassthrough: boolean;
}

/** The UDP pass-through config key of a rule about `what` ("listeners", "target groups"). */
export function udpPassthrough(what: string) {
    return flag(false, `Accept UDP ${what} (and TCP_UDP ones together with allowTcpPassthrough) for targets that encrypt datagrams themselves (DTLS). The pack cannot see inside UDP, so this is off by default.`);
}

/** True when a hop of this protocol (listener or target group) sends requests the pack must call plaintext. `false` while unknown. */
export function isPlaintextHop(protocol: string | undefined, config: PassthroughConfig): boolean {
    if (protocol === undefined || SECURE_PROTOCOLS.has(protocol) || PASSTHROUGH_ENCRYPTED.has(protocol) || protocol === GATEWAY_PROTOCOL) {
        return false;
    }
    switch (protocol) {
        case "TCP": return !config.allowTcpPassthrough;
        case "UDP": return !config.allowUdpPassthrough;
        case "TCP_UDP": return !(config.allowTcpPassthrough && config.allowUdpPassthrough);
        default: return true;
    }
}

/**
 * The listener's protocol, upper-cased, as aws-defaults.ts reads an omitted one (GENEVE for a
 * Gateway Load Balancer listener, HTTP otherwise); `undefined` when unknown.
 */
export function listenerProtocol(props: Record<string, any>): string | undefined {
    // An unknown port is still a port: only the ARN can then tell a gateway listener.
    return isUnknown(props.protocol) ? undefined : listenerProtocolOf(props);
}

/** The target group's protocol, upper-cased, as aws-defaults.ts reads an omitted one; `undefined` when unknown. */
export function targetGroupProtocol(props: Record<string, any>): string | undefined {
    return isUnknown(props.protocol) ? undefined : effectiveTargetGroupProtocol(props.protocol);
}

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
        ["ignoreClientCertificateExpiry", isTrue(ma.ignoreClientCertificateExpiry)],
        ["advertiseTrustStoreCaNames", ma.advertiseTrustStoreCaNames === "on"],
    ].filter(([, set]) => set).map(([k]) => k as string);
}

/** Target group ARNs an action forwards to, with the property path each came from. */
export function forwardTargets(action: any, base: string): { path: string; value: unknown }[] {
    if (isUnknown(action)) {
        return [{ path: base, value: action }];
    }
    const out: { path: string; value: unknown }[] = [];
    if (action?.targetGroupArn !== undefined && action?.targetGroupArn !== null) {
        out.push({ path: `${base}.targetGroupArn`, value: action.targetGroupArn });
    }
    asArray(action?.forward?.targetGroups).forEach((tg, i) => {
        out.push({ path: `${base}.forward.targetGroups[${i}].arn`, value: isUnknown(tg) ? tg : tg?.arn });
    });
    return out;
}
