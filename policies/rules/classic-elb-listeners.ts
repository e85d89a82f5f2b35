/**
 * The Classic Load Balancer's listeners, and which of them an SSL negotiation policy covers: the
 * vocabulary classic-elb.ts judges them with, read once per stack.
 */
import { HOP_TOKENS } from "../shared/tokens";
import { asArray, isToken, isUnknown, Node, StackCheckContext } from "../framework";
import { coercedNumber, knownString } from "./hop-values";

/** The CloudFormation-shaped family of the classic load balancer. */
export const NATIVE_LB: string = HOP_TOKENS.classicLoadBalancer[2];
export const ENCRYPTED = new Set(["HTTPS", "SSL"]);

/** Listeners with the front-end protocol under the family's property name. */
export function listenersOf(type: string, props: Record<string, any>): { i: number; front: unknown; frontKey: string; back: unknown; policyNames: unknown }[] {
    const frontKey = type === NATIVE_LB ? "protocol" : "lbProtocol";
    return asArray(props.listeners).filter((l) => l && typeof l === "object").map((l: any, i) => ({
        i, front: l[frontKey], frontKey, back: l.instanceProtocol, policyNames: l.policyNames,
    }));
}

export const PREDEFINED = /^(ELBSecurityPolicy-|ELBSample-)/;

/**
 * Whether policy names attached to a listener include an SSL negotiation policy: a predefined
 * `ELBSecurityPolicy-*` name, a policy of `SSLNegotiationPolicyType` among `known` (name → type),
 * or a name the stack does not define (another stack's policy: given the benefit of the doubt).
 * Names that all define other policy types (stickiness, back-end authentication) leave the listener
 * on AWS's default negotiation policy. Unknown names count as negotiation policies.
 */
export function namesNegotiation(names: unknown, known: ReadonlyMap<string, unknown>): boolean {
    if (isUnknown(names)) {
        return true;
    }
    return asArray(names).some((n) => {
        const name = knownString(n);
        return name === undefined || PREDEFINED.test(name) || !known.has(name) || known.get(name) === "SSLNegotiationPolicyType" || isUnknown(known.get(name));
    });
}

/** The policies `aws:elb/loadBalancerPolicy` defines, by the load balancer's name: name → policyTypeName. */
function definedPolicies(index: StackCheckContext<object>["index"]): Map<string, Map<string, unknown>> {
    const out = new Map<string, Map<string, unknown>>();
    for (const p of HOP_TOKENS.classicLoadBalancerPolicy.flatMap((t) => index.ofType(t))) {
        const name = knownString(p.props.policyName);
        const lbName = knownString(p.props.loadBalancerName);
        if (name !== undefined && lbName !== undefined) {
            out.set(lbName, (out.get(lbName) ?? new Map<string, unknown>()).set(name, p.props.policyTypeName));
        }
    }
    return out;
}

/** What one listener or negotiation policy attachment says, read once for every load balancer. */
interface Attachment {
    readonly node: Node;
    /** The load balancer's name, when the attachment names it with a known string. */
    readonly byName?: string;
    /** The load balancers its reference resolves to. */
    readonly refs: readonly Node[];
    /** Its reference is unknown and resolves to nothing yet: it may cover any load balancer. */
    readonly open: boolean;
    readonly port?: number;
    /** `aws:elb/sslNegotiationPolicy` (always a negotiation policy), not a listener policy. */
    readonly negotiation: boolean;
}

function readAttachment(index: StackCheckContext<object>["index"], a: Node): Attachment {
    const listenerPolicy = (HOP_TOKENS.classicListenerPolicy as readonly string[]).includes(a.type);
    const [lbKey, portKey] = listenerPolicy ? ["loadBalancerName", "loadBalancerPort"] : ["loadBalancer", "lbPort"];
    // Classic load balancers are referred to by name, which the shared resolver reads only for
    // named types; the engine's dependencies answer while the name is unknown.
    const value = a.props[lbKey];
    const ref = index.resolve(a, lbKey, value, isToken(...HOP_TOKENS.classicLoadBalancer));
    return {
        node: a, byName: knownString(value), refs: ref.nodes, open: !ref.known && ref.nodes.length === 0,
        port: coercedNumber(a.props[portKey]), negotiation: !listenerPolicy,
    };
}

/**
 * The ports of each load balancer some attachment covers (`undefined`: an unknown reference or
 * port leaves it open), from one reading of every attachment: linear in the stack.
 */
export function coveredPorts(index: StackCheckContext<object>["index"], lbs: readonly Node[], nodes: readonly Node[]): Map<Node, Set<number> | undefined> {
    const defined = definedPolicies(index);
    const attachments = nodes.map((a) => readAttachment(index, a));
    const onLb = new Map<Node, Attachment[]>();
    const lbsByName = new Map<string, Node[]>();
    for (const lb of lbs) {
        const name = knownString(lb.props.name);
        if (name !== undefined) lbsByName.set(name, [...(lbsByName.get(name) ?? []), lb]);
    }
    for (const a of attachments) {
        const targets = new Set([...(a.byName === undefined ? [] : lbsByName.get(a.byName) ?? []), ...a.refs]);
        for (const lb of targets) onLb.set(lb, [...(onLb.get(lb) ?? []), a]);
    }
    const open = attachments.filter((a) => a.open);
    const out = new Map<Node, Set<number> | undefined>();
    for (const lb of lbs) {
        const name = knownString(lb.props.name);
        // An unresolved reference may name this load balancer, unless its known name is another's.
        if (open.some((a) => a.byName === undefined || a.byName !== name)) {
            out.set(lb, undefined);
            continue;
        }
        const policies = (name === undefined ? undefined : defined.get(name)) ?? new Map<string, unknown>();
        let ports: Set<number> | undefined = new Set<number>();
        for (const a of onLb.get(lb) ?? []) {
            if (a.port === undefined) {
                ports = undefined;
                break;
            }
            if (a.negotiation || namesNegotiation(a.node.props.policyNames, policies)) {
                ports.add(a.port);
            }
        }
        out.set(lb, ports);
    }
    return out;
}
