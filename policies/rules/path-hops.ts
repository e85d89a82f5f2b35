/**
 * How the path rule writes a hop (`Listener "web-https" (HTTPS, <policy>, mTLS verify)`) and which
 * target groups an action forwards to.
 */
import { asArray, describeResource, isKnown, isUnknown, Node } from "../framework";
import { effectiveHealthCheckProtocol } from "./target-groups";
import { listenerProtocol, mtlsMode, targetGroupProtocol } from "./elb";

/** A hop as it reads in a path, named by the resource's own token. */
export function hop(n: Node, detail?: string): string {
    const named = describeResource({ type: n.token, name: n.name });
    return detail ? `${named} (${detail})` : named;
}

export function listenerDetail(n: Node): string {
    const protocol = listenerProtocol(n.props) ?? "protocol unknown";
    const parts = [protocol];
    if (protocol === "HTTPS" || protocol === "TLS") {
        parts.push(isUnknown(n.props.sslPolicy) ? "sslPolicy unknown" : (n.props.sslPolicy ?? "no sslPolicy"));
        const mode = mtlsMode(n.props);
        if (mode === "verify" || mode === "passthrough") {
            parts.push(`mTLS ${mode}`);
        }
    }
    return parts.join(", ");
}

export function targetGroupDetail(n: Node): string {
    const protocol = targetGroupProtocol(n.props) ?? "protocol unknown";
    const port = isKnown(n.props.port) ? `:${n.props.port}` : "";
    const hc = protocol === "protocol unknown" ? undefined : effectiveHealthCheckProtocol(protocol, n.props.healthCheck);
    return `${protocol}${port}, health check ${hc ?? "unknown"}`;
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

