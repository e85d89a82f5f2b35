/**
 * The path rule's config keys, and the resource rules that own problems it walks past: a plaintext
 * hop, or an ingress source open to the internet, that one of them already reported is not
 * reported again (../framework/findings.ts).
 */
import { ConfigOf, flag, strings } from "../framework";
import { listenerHttpsOnly } from "./listeners";
import { securityGroupWorldIngressWebPortsOnly } from "./security-groups";
import { healthCheckHttps, targetGroupHttps } from "./target-groups";

export { healthCheckHttps, listenerHttpsOnly, securityGroupWorldIngressWebPortsOnly, targetGroupHttps };

/** Config keys of the path rule. */
export const PATH_PARAMS = {
    allowedSourceCidrs: strings("CIDRs a target security group may admit the backend port from besides the load balancer's security groups (e.g. a Network Load Balancer's subnets)."),
    allowSelfReference: flag(false, "Accept target security groups that admit the backend port from themselves (peer targets)."),
    allowExternalTrustStores: flag(false, "Accept verify-mode listeners whose trust store is managed outside this stack."),
    allowTcpPassthrough: flag(false, "Treat TCP listeners and target groups as TLS pass-through rather than plaintext."),
    allowUdpPassthrough: flag(false, "Treat UDP listeners and target groups (TCP_UDP with allowTcpPassthrough) as encrypted by the targets (DTLS) rather than plaintext."),
    reportOwnedHops: flag(false, `Also report a plaintext listener, target group or health check, or a backend-port source open to the internet, that its own rule (${[listenerHttpsOnly, targetGroupHttps, healthCheckHttps, securityGroupWorldIngressWebPortsOnly].map((p) => p.name).join(", ")}) already reported in this run. ` +
        "Off: each problem is reported once, at the level of the rule that owns it; turn on when those rules run at a lower level than this one."),
};

/** Config of the path rule. */
export type PathConfig = ConfigOf<typeof PATH_PARAMS>;
