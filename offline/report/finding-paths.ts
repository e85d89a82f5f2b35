/**
 * The request paths each finding's resource is on, so a finding reported once (by the rule that
 * owns the resource) still says which paths it sits on. They are read from the report's TLS-path
 * model (tls-path.ts): load balancer → listener → the target groups its default action forwards
 * to → the tiers registered in them. A path is written the way the path rule writes one
 * (policies/rules/stack-path.ts `hop`): `LoadBalancer "web" → Listener "web-https" (HTTPS:443) →
 * TargetGroup "web-tg" (HTTPS:8443) → AutoScalingGroup "web-asg"`.
 *
 * What the model does not follow, no path here holds: listener rules (tls-path.ts reads each
 * listener's default action only), so a target group that only a listener rule forwards to is on
 * no path in this report, although the path rule walks it. Certificates, trust stores and secrets
 * hang off a hop rather than being one, so they are on no path either.
 */
import { describeResource } from "../../policies/framework/messages";
import { e2eTlsPath } from "../../policies/rules/stack-path";
import { ListenerHop, PolicyReport, PolicyViolation, RedirectAction, TargetGroupHop, TlsPath } from "./model";

/** One hop of a request path: the resource's URN and how the hop reads. */
export interface PathHop {
    readonly urn: string;
    readonly text: string;
}

/** A request path from a load balancer to where it ends (a tier, or the last hop the model knows). */
export interface RequestPath {
    readonly text: string;
    readonly hops: readonly PathHop[];
}

/** The type token in a URN (`urn:pulumi:<stack>::<project>::<parent$type>::<name>`). */
function typeOfUrn(urn: string): string {
    return urn.split("::")[2]?.split("$").pop() ?? "";
}

function hop(r: { urn: string; name: string }, detail?: string): PathHop {
    const named = describeResource({ type: typeOfUrn(r.urn), name: r.name });
    return { urn: r.urn, text: detail ? `${named} (${detail})` : named };
}

function listenerDetail(l: ListenerHop): string {
    const at = `${l.protocol}:${l.port}`;
    if (l.action.type === "forward") return at;
    if (l.action.type === "redirect") {
        const r = l.action as RedirectAction;
        return `${at}, redirect to ${r.protocol}:${r.port}`;
    }
    return `${at}, ${l.action.type}`;
}

const path = (hops: PathHop[]): RequestPath => ({ text: hops.map(h => h.text).join(" → "), hops });

/** Every request path of the report's load balancers, each listed once, in the model's order. */
export function requestPaths(tls: readonly TlsPath[]): RequestPath[] {
    const out = new Map<string, RequestPath>();
    const add = (hops: PathHop[]) => {
        const p = path(hops);
        if (!out.has(p.text)) out.set(p.text, p);
    };
    for (const t of tls) {
        const lb = hop(t.loadBalancer);
        if (t.listeners.length === 0) add([lb]);
        for (const l of t.listeners) {
            const listener = hop(l, listenerDetail(l));
            const groups: readonly TargetGroupHop[] = l.action.type === "forward" ? (l.action as { targetGroups: TargetGroupHop[] }).targetGroups : [];
            if (groups.length === 0) add([lb, listener]);
            for (const tg of groups) {
                const group = hop(tg, `${tg.protocol}:${tg.port}`);
                if (tg.tiers.length === 0) add([lb, listener, group]);
                for (const tier of tg.tiers) add([lb, listener, group, hop(tier)]);
            }
        }
    }
    return [...out.values()];
}

/** The request paths that pass through a resource. */
export function pathsThrough(urn: string, all: readonly RequestPath[]): RequestPath[] {
    return all.filter(p => p.hops.some(h => h.urn === urn));
}

/**
 * The violation with the paths its resource is on; unchanged for the path rule (its message names
 * its paths already) and for a resource on no path.
 */
export function withPaths(v: PolicyViolation, all: readonly RequestPath[]): PolicyViolation {
    if (v.policy === e2eTlsPath.name) return v;
    const through = pathsThrough(v.urn, all);
    return through.length > 0 ? { ...v, paths: through.map(p => p.text) } : v;
}

/** The policy report with each violation's paths (PolicyViolation.paths). */
export function policyWithPaths(policy: PolicyReport, tls: readonly TlsPath[]): PolicyReport {
    const all = requestPaths(tls);
    return { ...policy, violations: policy.violations.map(v => withPaths(v, all)) };
}
