/**
 * Target group rules: the hop from the load balancer to the targets is TLS too, and so are the
 * health checks, which AWS sends over HTTP unless told otherwise.
 */
import { Policies } from "@pulumi/policy";
import { effectiveHealthCheckProtocol as awsHealthCheckProtocol, defaultHealthCheckProtocol, GATEWAY_PROTOCOL, LAYER4_TARGET_GROUP_PROTOCOLS } from "../shared/aws-defaults";
import { LB_TOKENS } from "../shared/tokens";
import { CheckContext, flag, isFalse, isUnknown, resourceRule, securityHub } from "../framework";
import { isPlaintextHop, PassthroughConfig, targetGroupProtocol, udpPassthrough } from "./elb";

/** Target types whose traffic is not a network hop the pack can secure (Lambda is invoked through the AWS API). */
const EXEMPT_TARGET_TYPES = new Set(["lambda"]);

/** True when the target group sends to Lambda functions (or its target type is unknown). */
function exempt(props: Record<string, any>): boolean {
    return isUnknown(props.targetType) || EXEMPT_TARGET_TYPES.has(String(props.targetType ?? "instance"));
}

function checkProtocol({ props, config, report }: CheckContext<PassthroughConfig>): void {
    if (exempt(props) || !isPlaintextHop(targetGroupProtocol(props), config)) {
        return;
    }
    report({
        property: "protocol",
        value: props.protocol,
        problem: props.protocol === undefined
            ? "makes AWS use HTTP, so the load balancer sends requests to the targets in plaintext"
            : "sends requests from the load balancer to the targets without TLS",
        fix: 'set protocol to "HTTPS" (or "TLS" on a Network Load Balancer) and serve TLS on the target port',
    });
}

/** Health check protocol as AWS resolves it (aws-defaults.ts); `undefined` when unknown. */
export function effectiveHealthCheckProtocol(tgProtocol: string, hc: Record<string, any> | undefined): string | undefined {
    return isUnknown(hc) || isUnknown(hc?.protocol) ? undefined : awsHealthCheckProtocol(tgProtocol, hc);
}

function checkHealthCheck({ props, report }: CheckContext<object>): void {
    if (exempt(props) || isUnknown(props.healthCheck)) {
        return;
    }
    const tgProtocol = targetGroupProtocol(props);
    // GENEVE health checks go to the appliances of a Gateway Load Balancer: outside the mission.
    if (tgProtocol === undefined || tgProtocol === GATEWAY_PROTOCOL) {
        return;
    }
    const hc = props.healthCheck ?? undefined;
    if (isFalse(hc?.enabled)) {
        return;
    }
    const protocol = effectiveHealthCheckProtocol(tgProtocol, hc);
    // A TCP health check only opens a connection: no request travels in plaintext.
    if (protocol === undefined || protocol === "HTTPS" || protocol === "TCP") {
        return;
    }
    const omitted = hc?.protocol === undefined || hc?.protocol === null || hc?.protocol === "";
    const layer4 = (LAYER4_TARGET_GROUP_PROTOCOLS as readonly string[]).includes(tgProtocol);
    report({
        property: "healthCheck.protocol",
        value: hc?.protocol,
        problem: !omitted
            ? "sends health checks to the targets in plaintext"
            : layer4
                ? `makes the provider send health checks over plaintext HTTP (a healthCheck block without protocol defaults to HTTP, even on a TLS target group; AWS's own default for a ${tgProtocol} target group without a block is ${defaultHealthCheckProtocol(tgProtocol)})`
                : "makes AWS send health checks over plaintext HTTP (the default for Application Load Balancers, even on an HTTPS target group)",
        fix: layer4
            ? `set healthCheck.protocol to "HTTPS" (the target serves TLS on the health check port) or "TCP" (a connect-only check, what AWS uses for Network Load Balancer target groups without a healthCheck block)`
            : 'set healthCheck.protocol to "HTTPS" (the target serves TLS on the health check port)',
    });
}

/** Owns the plaintext-target-group problem (the path rule defers to it: ../framework/rule.ts, its findings). */
export const targetGroupHttps = resourceRule({
    name: "alb-target-group-https",
    description: "Target groups forward over TLS: protocol HTTPS (TLS, QUIC or TCP_QUIC on Network Load Balancers). An omitted protocol is HTTP, so the load balancer would re-send decrypted requests in plaintext inside the VPC. " +
        "TCP and UDP pass-through only by config; Lambda targets and GENEVE (Gateway Load Balancer appliances) are exempt.",
    enforcementLevel: "mandatory",
    severity: "high",
    control: securityHub("ELB.22", "ELB target groups should use encrypted transport protocols"),
    appliesTo: LB_TOKENS.targetGroup,
    config: {
        allowTcpPassthrough: flag(false, "Accept TCP target groups (TLS pass-through from a TCP listener to targets that terminate TLS). Off by default: the pack cannot see inside TCP."),
        allowUdpPassthrough: udpPassthrough("target groups"),
    },
    remediationSteps: 'Set protocol: "HTTPS" and run a TLS terminator (e.g. nginx) on the target port.',
    check: checkProtocol,
});

/** Owns the plaintext-health-check problem (the path rule defers to it). */
export const healthCheckHttps = resourceRule({
    name: "alb-target-group-health-check-https",
    description: "Health checks use HTTPS. AWS sends Application Load Balancer health checks over HTTP unless healthCheck.protocol says otherwise, even for an HTTPS target group. Lambda targets are exempt; TCP connect-only checks are accepted.",
    enforcementLevel: "mandatory",
    severity: "medium",
    control: securityHub("ELB.21", "Application and Network Load Balancer target groups should use encrypted health check protocols"),
    appliesTo: LB_TOKENS.targetGroup,
    remediationSteps: 'Set healthCheck: { protocol: "HTTPS", port: "traffic-port", path: "/healthz" }.',
    check: checkHealthCheck,
    remediate: ({ props }) => {
        // Safe only where the health check goes to the TLS traffic port: HTTPS there works
        // wherever HTTP worked (it could not have, against a TLS port).
        if (exempt(props) || targetGroupProtocol(props) !== "HTTPS" || isUnknown(props.healthCheck)) {
            return undefined;
        }
        const hc = props.healthCheck ?? {};
        const port = hc.port ?? "traffic-port";
        if ((hc.protocol !== undefined && hc.protocol !== null && hc.protocol !== "") || port !== "traffic-port" || isFalse(hc.enabled)) {
            return undefined;
        }
        return { ...props, healthCheck: { ...hc, protocol: "HTTPS" } };
    },
});

export const policies: Policies = [targetGroupHttps, healthCheckHttps];
