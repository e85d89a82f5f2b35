/**
 * Classic Load Balancers (`aws:elb`, the v5-and-older `aws:elasticloadbalancing` and
 * `aws-native:elasticloadbalancing`): TLS from clients, TLS to the instances and their health
 * checks, and SSL negotiation policies that refuse SSLv3, TLS 1.0 and TLS 1.1.
 *
 * Shapes: @pulumi/aws `listeners[].{lbProtocol, instanceProtocol}`, `healthCheck.target`
 * (`PROTOCOL:PORT[/PATH]`), `aws:elb/loadBalancerPolicy` `policyTypeName`/`policyAttributes`,
 * `aws:elb/sslNegotiationPolicy` `attributes`; CloudFormation (AWS::ElasticLoadBalancing::LoadBalancer)
 * `listeners[].{protocol, instanceProtocol, policyNames}` and `policies[].{policyType, attributes}`.
 * Classic ELB protocols are HTTP, HTTPS, TCP and SSL (ELB Classic API, `Listener`).
 */
import { Policies } from "@pulumi/policy";
import { CLASSIC_ELB_DEFAULT_SSL_POLICY } from "../shared/aws-defaults";
import { HOP_TOKENS } from "../shared/tokens";
import { asArray, asNumber, CheckContext, flag, isToken, isUnknown, knownString, Node, resourceRule, securityHub, StackCheckContext, stackRule, upper } from "../framework";
import { sslPolicyFix, sslPolicyProblem, TLS_POLICY_PARAMS, TlsPolicyConfig } from "./tls-policies";

// ------------------------------------------------------------------------------------------------
// The listeners, and which of them an SSL negotiation policy covers (read once per stack)
// ------------------------------------------------------------------------------------------------

/** The CloudFormation-shaped family of the classic load balancer. */
const NATIVE_LB: string = HOP_TOKENS.classicLoadBalancer[2];
const ENCRYPTED = new Set(["HTTPS", "SSL"]);

/** Listeners with the front-end protocol under the family's property name. */
function listenersOf(type: string, props: Record<string, any>): { i: number; front: unknown; frontKey: string; back: unknown; policyNames: unknown }[] {
    const frontKey = type === NATIVE_LB ? "protocol" : "lbProtocol";
    return asArray(props.listeners).filter((l) => l && typeof l === "object").map((l: any, i) => ({
        i, front: l[frontKey], frontKey, back: l.instanceProtocol, policyNames: l.policyNames,
    }));
}

const PREDEFINED = /^(ELBSecurityPolicy-|ELBSample-)/;

/**
 * Whether policy names attached to a listener include an SSL negotiation policy: a predefined
 * `ELBSecurityPolicy-*` name, a policy of `SSLNegotiationPolicyType` among `known` (name → type),
 * or a name the stack does not define (another stack's policy: given the benefit of the doubt).
 * Names that all define other policy types (stickiness, back-end authentication) leave the listener
 * on AWS's default negotiation policy. Unknown names count as negotiation policies.
 */
function namesNegotiation(names: unknown, known: ReadonlyMap<string, unknown>): boolean {
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
        port: asNumber(a.props[portKey]), negotiation: !listenerPolicy,
    };
}

/**
 * The ports of each load balancer some attachment covers (`undefined`: an unknown reference or
 * port leaves it open), from one reading of every attachment: linear in the stack.
 */
function coveredPorts(index: StackCheckContext<object>["index"], lbs: readonly Node[], nodes: readonly Node[]): Map<Node, Set<number> | undefined> {
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

/** `{ name, value }` of an attribute written either way (`name`/`Name`, `value`/`Value`: CloudFormation's spelling). */
function attribute(entry: any): { name?: string; value?: string } {
    if (entry === null || typeof entry !== "object") {
        return {};
    }
    const value = entry.value ?? entry.Value;
    return { name: knownString(entry.name ?? entry.Name), value: typeof value === "boolean" ? String(value) : knownString(value) };
}

const TLS_FIX = 'use "HTTPS" (or "SSL") with an ACM certificate in sslCertificateId';

function checkFrontEnd({ resource, props, config, report }: CheckContext<{ allowTcpPassthrough: boolean }>): void {
    for (const l of listenersOf(resource.type, props)) {
        const protocol = upper(l.front);
        if (isUnknown(l.front) || (protocol !== undefined && ENCRYPTED.has(protocol)) || (protocol === "TCP" && config.allowTcpPassthrough)) {
            continue;
        }
        report({
            property: `listeners[${l.i}].${l.frontKey}`, value: l.front,
            problem: protocol === "TCP" ? "passes client traffic on without TLS the pack can verify" : "accepts clients in plaintext",
            fix: `${TLS_FIX}, or set allowTcpPassthrough for TLS pass-through on TCP`,
        });
    }
}

/** `HTTPS:443/healthz` → `HTTPS`; `undefined` when unknown or not a target string. */
function healthCheckProtocol(target: unknown): string | undefined {
    const text = knownString(target);
    return text?.includes(":") ? text.split(":")[0].trim().toUpperCase() : undefined;
}

function checkBackEnd({ resource, props, report }: CheckContext<object>): void {
    for (const l of listenersOf(resource.type, props)) {
        const protocol = upper(l.back);
        if (isUnknown(l.back) || (protocol !== undefined && ENCRYPTED.has(protocol))) {
            continue;
        }
        report({
            property: `listeners[${l.i}].instanceProtocol`, value: l.back,
            problem: "sends the decrypted requests to the instances without TLS",
            fix: 'set instanceProtocol to "HTTPS" (or "SSL") and terminate TLS on the instance port',
        });
    }
    const target = props.healthCheck?.target;
    if (isUnknown(props.healthCheck) || isUnknown(target) || props.healthCheck === undefined || props.healthCheck === null) {
        return;
    }
    const protocol = healthCheckProtocol(target);
    if (protocol === undefined || !ENCRYPTED.has(protocol)) {
        report({
            property: "healthCheck.target", value: target,
            problem: "checks the instances in plaintext (HTTP) or by a bare TCP connect that proves nothing about TLS",
            fix: 'set healthCheck.target to "HTTPS:<instance port>/<path>" or "SSL:<instance port>"',
        });
    }
}

/** The SSL negotiation policies a resource declares: name, attributes, and the property path. */
function negotiationPolicies(type: string, props: Record<string, any>): { path: string; attributes: unknown[] }[] {
    if ((HOP_TOKENS.classicLoadBalancerPolicy as readonly string[]).includes(type)) {
        return props.policyTypeName === "SSLNegotiationPolicyType" ? [{ path: "policyAttributes", attributes: asArray(props.policyAttributes) }] : [];
    }
    if ((HOP_TOKENS.classicSslNegotiationPolicy as readonly string[]).includes(type)) {
        return [{ path: "attributes", attributes: asArray(props.attributes) }];
    }
    if (type === NATIVE_LB) {
        return asArray(props.policies).flatMap((p: any, i) =>
            p && typeof p === "object" && p.policyType === "SSLNegotiationPolicyType" ? [{ path: `policies[${i}].attributes`, attributes: asArray(p.attributes) }] : []);
    }
    return [];
}

/** SSL negotiation attributes that enable a protocol older than TLS 1.2 (ELB Classic, "SSL negotiation configurations"). */
const WEAK_PROTOCOLS = new Set(["Protocol-SSLv2", "Protocol-SSLv3", "Protocol-TLSv1", "Protocol-TLSv1.1"]);

function checkNegotiation({ resource, props, config, report }: CheckContext<TlsPolicyConfig>): void {
    for (const policy of negotiationPolicies(resource.type, props)) {
        policy.attributes.forEach((entry, j) => {
            const { name, value } = attribute(entry);
            const property = `${policy.path}[${j}]`;
            if (name === "Reference-Security-Policy" && value !== undefined) {
                const problem = sslPolicyProblem(value, config);
                if (problem) {
                    report({ property, value: { name, value }, problem, fix: sslPolicyFix("Reference-Security-Policy", config) });
                }
            } else if (name !== undefined && WEAK_PROTOCOLS.has(name) && value?.toLowerCase() === "true") {
                report({ property, value: { name, value }, problem: `enables ${name.slice("Protocol-".length)}, which is broken or deprecated (RFC 7568, RFC 8996)`, fix: `set ${name} to "false", or use Reference-Security-Policy "ELBSecurityPolicy-TLS-1-2-2017-01"` });
            }
        });
    }
    const listenerPolicies = (HOP_TOKENS.classicListenerPolicy as readonly string[]).includes(resource.type)
        ? [{ path: "policyNames", names: props.policyNames }]
        : resource.type === NATIVE_LB ? listenersOf(resource.type, props).map((l) => ({ path: `listeners[${l.i}].policyNames`, names: l.policyNames })) : [];
    for (const { path, names } of listenerPolicies) {
        asArray(names).forEach((n, j) => {
            const name = knownString(n);
            const problem = name !== undefined && PREDEFINED.test(name) ? sslPolicyProblem(name, config) : undefined;
            if (problem) {
                report({ property: `${path}[${j}]`, value: name, problem, fix: sslPolicyFix(`${path}[${j}]`, config) });
            }
        });
    }
}

function checkBackendAuthentication({ resource, props, report }: CheckContext<object>): void {
    const policies = resource.type === NATIVE_LB
        ? asArray(props.policies).map((p: any, i) => ({ path: `policies[${i}].attributes`, type: p?.policyType, attributes: p?.attributes }))
        : [{ path: "policyAttributes", type: props.policyTypeName, attributes: props.policyAttributes }];
    for (const p of policies) {
        if (p.type !== "BackendServerAuthenticationPolicyType" || isUnknown(p.attributes)) {
            continue;
        }
        const keys = asArray(p.attributes).map(attribute).filter((a) => a.name === "PublicKeyPolicyName" && a.value);
        if (keys.length === 0) {
            report({
                property: p.path, value: p.attributes,
                problem: "names no PublicKeyPolicyName, so the load balancer authenticates no back-end certificate",
                fix: "add a PublicKeyPolicyName attribute naming a PublicKeyPolicyType policy with the back end's public key",
            });
        }
    }
}

/**
 * AWS gives an HTTPS/SSL listener that no policy is attached to its default predefined policy,
 * ELBSecurityPolicy-2016-08, which accepts TLS 1.0 (ELB Classic user guide, "Predefined SSL
 * security policies"). Attachments are `aws:elb/listenerPolicy` (loadBalancerName + port) and
 * `aws:elb/sslNegotiationPolicy` (loadBalancer + lbPort), or CloudFormation `listeners[].policyNames`.
 */
const DEFAULT_CLASSIC_POLICY = CLASSIC_ELB_DEFAULT_SSL_POLICY;

function checkDefaultNegotiation({ index, report }: StackCheckContext<object>): void {
    const attachments = [...HOP_TOKENS.classicListenerPolicy, ...HOP_TOKENS.classicSslNegotiationPolicy].flatMap((t) => index.ofType(t));
    const lbs = HOP_TOKENS.classicLoadBalancer.flatMap((t) => index.ofType(t));
    const coverage = coveredPorts(index, lbs.filter((lb) => lb.type !== NATIVE_LB), attachments);
    for (const lb of lbs) {
        const native = lb.type === NATIVE_LB;
        const covered = native ? new Set<number>() : coverage.get(lb);
        // CloudFormation defines the load balancer's policies inline: name → PolicyType.
        const inline = new Map<string, unknown>(native ? asArray(lb.props.policies).filter((p: any) => knownString(p?.policyName) !== undefined).map((p: any) => [p.policyName, p.policyType]) : []);
        listenersOf(lb.type, lb.props).forEach((l) => {
            const listener = asArray(lb.props.listeners)[l.i];
            const port = asNumber(listener?.[native ? "loadBalancerPort" : "lbPort"]);
            const secure = ENCRYPTED.has(upper(l.front) ?? "");
            // While the inline policies are unknown any name may be a negotiation policy.
            const named = native && (isUnknown(lb.props.policies) ? isUnknown(l.policyNames) || asArray(l.policyNames).length > 0 : namesNegotiation(l.policyNames, inline));
            if (secure && covered && port !== undefined && !covered.has(port) && !named) {
                report(lb, {
                    property: `listeners[${l.i}]${native ? ".policyNames" : ""}`, value: native ? l.policyNames : { lbProtocol: l.front, lbPort: port },
                    problem: `has no SSL negotiation policy, so AWS applies ${DEFAULT_CLASSIC_POLICY}, which allows TLS 1.0`,
                    fix: native
                        ? 'name a policy with Reference-Security-Policy "ELBSecurityPolicy-TLS-1-2-2017-01" in policyNames'
                        : 'attach an aws.elb.LoadBalancerPolicy with Reference-Security-Policy "ELBSecurityPolicy-TLS-1-2-2017-01" through an aws.elb.ListenerPolicy on this port',
                });
            }
        });
    }
}

export const policies: Policies = [
    resourceRule({
        name: "classic-elb-listener-tls",
        description: "Classic Load Balancer listeners accept clients over HTTPS or SSL (TLS): HTTP listeners serve requests anyone on the path can read. TCP only with allowTcpPassthrough.",
        enforcementLevel: "mandatory",
        severity: "high",
        control: securityHub("ELB.3", "Classic Load Balancer listeners should be configured with HTTPS or TLS termination"),
        appliesTo: HOP_TOKENS.classicLoadBalancer,
        config: { allowTcpPassthrough: flag(false, "Accept TCP listeners (TLS pass-through to instances that terminate TLS).") },
        check: checkFrontEnd,
    }),
    resourceRule({
        name: "classic-elb-backend-tls",
        description: "Classic Load Balancers re-encrypt to the instances: every listener's instanceProtocol is HTTPS or SSL, and the health check target is HTTPS: or SSL: (HTTP and TCP checks prove nothing about TLS).",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: HOP_TOKENS.classicLoadBalancer,
        check: checkBackEnd,
    }),
    resourceRule({
        name: "classic-elb-ssl-negotiation-policy",
        description: "Classic ELB SSL negotiation policies (aws:elb/loadBalancerPolicy of SSLNegotiationPolicyType, aws:elb/sslNegotiationPolicy, CloudFormation policies and predefined policies named by listeners) reference an allow-listed predefined policy and enable no SSLv3, TLS 1.0 or TLS 1.1.",
        enforcementLevel: "mandatory",
        severity: "high",
        control: securityHub("ELB.8", "Classic Load Balancers with SSL listeners should use a predefined security policy that has strong AWS Configuration"),
        appliesTo: [...HOP_TOKENS.classicLoadBalancerPolicy, ...HOP_TOKENS.classicSslNegotiationPolicy, ...HOP_TOKENS.classicListenerPolicy, NATIVE_LB],
        config: TLS_POLICY_PARAMS,
        check: checkNegotiation,
    }),
    resourceRule({
        name: "classic-elb-backend-authentication-keys",
        description: "A Classic ELB back-end server authentication policy (BackendServerAuthenticationPolicyType) names at least one PublicKeyPolicyName: without one it authenticates nothing.",
        enforcementLevel: "mandatory",
        severity: "medium",
        appliesTo: [...HOP_TOKENS.classicLoadBalancerPolicy, NATIVE_LB],
        check: checkBackendAuthentication,
    }),
    stackRule({
        name: "classic-elb-listener-negotiation-policy-set",
        description: `Every HTTPS/SSL listener of a Classic Load Balancer has an SSL negotiation policy attached (aws:elb/listenerPolicy or aws:elb/sslNegotiationPolicy on its port, or CloudFormation policyNames): without one AWS applies ${DEFAULT_CLASSIC_POLICY}, which allows TLS 1.0 (ELB Classic user guide, "Predefined SSL security policies"). Policy names that all define other policy types (stickiness, back-end authentication) attach none. Unknown references in preview are not reported.`,
        enforcementLevel: "mandatory",
        severity: "high",
        reads: [...HOP_TOKENS.classicLoadBalancer, ...HOP_TOKENS.classicListenerPolicy, ...HOP_TOKENS.classicSslNegotiationPolicy, ...HOP_TOKENS.classicLoadBalancerPolicy],
        check: checkDefaultNegotiation,
    }),
];
