/**
 * The end-to-end rule: follow every load balancer's request path through the whole stack,
 * listener → actions and listener rules → target groups → what is registered in them → the
 * targets' security groups (wherever AWS attaches them: attachments.ts) and their ingress rules;
 * report each hop that is not TLS, each target security group admitting the backend port from
 * anywhere but the load balancer, each public address on a target, each verify-mode listener
 * whose trust store is not in the stack.
 *
 * The graph it walks is stack-graph.ts (over ../framework/stack-index.ts); this file writes the hops and the findings. A plaintext hop, or an ingress source
 * open to the internet, that the resource rule owning it already reported is not reported again
 * (../framework/rule.ts, its findings).
 */
import { Policies } from "@pulumi/policy";
import { sslPolicyInfo } from "../shared/ssl-policies";
import { GATEWAY_PROTOCOL, LAYER4_TARGET_GROUP_PROTOCOLS } from "../shared/aws-defaults";
import { LB_TOKENS, TOKENS } from "../shared/tokens";
import {
    asArray, ConfigOf, describeResource, flag, forgetFindings, is, isFalse, isKnown, isSecurityGroup, isUnknown, Node, once, ownPath, Ref, StackIndex, stackRule, strings,
    violation, ViolationParts, wasFound,
} from "../framework";
import { forwardTargets, isPlaintextHop, listenerProtocol, mtlsMode, targetGroupProtocol } from "./elb";
import { Attachment, GRAPH_READS, IngressRule, Source, StackGraph } from "./stack-graph";
import { listenerHttpsOnly } from "./listeners";
import { securityGroupWorldIngressWebPortsOnly } from "./security-groups";
import { effectiveHealthCheckProtocol, healthCheckHttps, targetGroupHttps } from "./target-groups";

// ------------------------------------------------------------------------------------------------
// Config, and the resource rules that own problems the walk passes
// ------------------------------------------------------------------------------------------------

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

// ------------------------------------------------------------------------------------------------
// How a hop reads in a path: `Listener "web-https" (HTTPS, <policy>, mTLS verify)`
// ------------------------------------------------------------------------------------------------

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

// ------------------------------------------------------------------------------------------------
// Public addresses on the targets
// ------------------------------------------------------------------------------------------------

/*
 * Public addresses on a load balancer's targets as the path rule reports them: an Elastic IP or EIP
 * association on a target or one of its network interfaces, and a subnet that gives the targets one
 * at launch (found by stack-graph.ts from the entries of attachments.ts). A public address reaches the
 * target without the load balancer's TLS policy, mutual TLS and security groups.
 */
/** A finding: the resources after what is registered on the way to it, and the violation. */
export interface AddressFinding {
    readonly hops: readonly Node[];
    readonly parts: ViolationParts & { readonly resource: Node };
}

const BYPASS = "the load balancer's TLS policy, mutual TLS and security groups";

/** The public addresses of `att`'s targets in `tg`, as findings. */
export function publicAddressFindings(tg: Node, att: Attachment): AddressFinding[] {
    const out: AddressFinding[] = [];
    for (const { by, property, value, subnet, launch, through } of att.subnetAddresses) {
        const choice = launch === by ? "associatePublicIpAddress is not set" : `${describeResource(launch)} does not set associatePublicIpAddress`;
        out.push({
            hops: through.filter((n) => n !== att.via),
            parts: {
                resource: by, property, value,
                problem: `launches targets of ${describeResource(tg)} into ${describeResource(subnet)}, whose mapPublicIpOnLaunch gives each of them a public IPv4 address while ${choice}; ` +
                    `the address reaches the targets without ${BYPASS}`,
                fix: `set associatePublicIpAddress to false${launch.type === TOKENS.launchTemplate ? " on the launch template's network interface (device index 0)" : ""}, or launch the targets into private subnets`,
            },
        });
    }
    for (const { by, property, target, through } of att.addresses) {
        const top = by.props[property.split(/[.[]/)[0]];
        out.push({
            hops: [...through, by],
            parts: {
                resource: by, property, value: isUnknown(top) ? top : top ?? undefined,
                problem: `gives ${describeResource(target)}, a target of ${describeResource(tg)}, a public IPv4 address, which reaches the target without ${BYPASS}`,
                fix: "do not attach an Elastic IP to a load balancer target: reach the targets only through the load balancer (and administer them through SSM Session Manager)",
            },
        });
    }
    return out;
}

// ------------------------------------------------------------------------------------------------
// The walk
// ------------------------------------------------------------------------------------------------

/** An action of a listener or listener rule, with the target groups it forwards to in this stack. */
export interface ActionPaths {
    /** The listener or listener rule the action belongs to. */
    readonly owner: Node;
    /** The action's property path on its owner (`defaultActions[0]`, `actions[1]`). */
    readonly base: string;
    readonly action: any;
    /**
     * The target groups it forwards to, one entry per reference that resolves (`targetGroupArn`,
     * then `forward.targetGroups[]`); none while the action or its type is unknown.
     */
    readonly targetGroups: readonly Node[];
}

/** A listener rule and its actions. */
export interface RulePaths {
    readonly rule: Node;
    readonly actions: readonly ActionPaths[];
}

/** A listener, its default actions and its rules. */
export interface ListenerPaths {
    readonly listener: Node;
    readonly defaultActions: readonly ActionPaths[];
    readonly rules: readonly RulePaths[];
}

/** A load balancer, its security groups and its listeners. */
export interface LoadBalancerPaths {
    readonly lb: Node;
    readonly securityGroups: Ref[];
    readonly listeners: readonly ListenerPaths[];
}

/**
 * The request paths of a stack as the path rule walks them: each load balancer (by token family,
 * then registration order) → its listeners → their default actions and rules → the target groups
 * they forward to; what is registered in a target group is `graph.attachments(tg)`. The offline
 * preview draws its TLS paths from this same walk (offline/report/tls-path.ts), so the report and
 * the rule cannot disagree about which hops a path has.
 */
export function requestPaths(index: StackIndex, graph: StackGraph = new StackGraph(index)): { loadBalancers: LoadBalancerPaths[]; otherRules: RulePaths[]; graph: StackGraph } {
    const actionPaths = (owner: Node, topProperty: string, base: string, action: any): ActionPaths => {
        const targetGroups = isUnknown(action) || isUnknown(action?.type) ? []
            : forwardTargets(action, base).flatMap((t) => index.resolve(owner, topProperty, t.value, is("targetGroup")).nodes);
        return { owner, base, action, targetGroups };
    };
    const rulePaths = (rule: Node): RulePaths => ({
        rule,
        actions: asArray(rule.props.actions).map((action, i) => actionPaths(rule, "actions", `actions[${i}]`, action)),
    });
    const loadBalancers = index.ofKind("loadBalancer").map((lb): LoadBalancerPaths => ({
        lb,
        securityGroups: index.resolveAll(lb, "securityGroups", lb.props.securityGroups, isSecurityGroup),
        listeners: (graph.listenersByLb.get(lb) ?? []).map((listener) => ({
            listener,
            defaultActions: asArray(isUnknown(listener.props.defaultActions) ? [] : listener.props.defaultActions)
                .map((action, i) => actionPaths(listener, "defaultActions", `defaultActions[${i}]`, action)),
            rules: (graph.rulesByListener.get(listener) ?? []).map(rulePaths),
        })),
    }));
    // Rules on a listener of another stack: the target groups they forward to are still this stack's hops.
    const walked = new Set([...graph.rulesByListener.values()].flat());
    const otherRules = index.ofKind("listenerRule").filter((r) => !walked.has(r)).map(rulePaths);
    return { loadBalancers, otherRules, graph };
}

class PathWalker {
    /** Each problem once (its violation text), with every path that reaches it, in walk order. */
    private readonly problems = new Map<string, { resource: Node; paths: string[] }>();
    private readonly hops = new Map<Node, string>();
    private readonly detailedHops = new Map<Node, string>();
    private readonly graph: StackGraph;

    constructor(
        private readonly index: StackIndex,
        private readonly config: PathConfig,
        private readonly report: (owner: Node, message: string) => void,
    ) {
        this.graph = new StackGraph(index);
    }

    /**
     * Records a problem on a path. `owner` is the resource rule that owns it: when that rule
     * already reported the resource in this run (about `ownedProperty`, when given;
     * ../framework/rule.ts, its findings), the problem is not reported a second time, unless `reportOwnedHops`.
     */
    private finding(path: string[], parts: ViolationParts & { resource: Node }, owner?: { readonly name: string }, ownedProperty?: string): void {
        if (owner && !this.config.reportOwnedHops && wasFound(owner.name, parts.resource.urn, ownedProperty)) {
            return;
        }
        const text = violation({ ...parts, property: ownPath(parts.resource.token, parts.property) });
        const line = `${path.join(" → ")} ✗`;
        const problem = this.problems.get(text) ?? { resource: parts.resource, paths: [] };
        if (!problem.paths.includes(line)) problem.paths.push(line);
        this.problems.set(text, problem);
    }

    /** One message per problem: the paths that reach it, one per line, then the violation. */
    flush(): void {
        for (const [text, { resource, paths }] of this.problems) {
            this.report(resource, `${paths.join("\n")}\n${text}`);
        }
    }

    /**
     * `n`'s hop text (with `detail`'s), written once per walk: a target group is reached from
     * every listener and rule that forwards to it, and its targets with it.
     */
    private hopOf(n: Node, detail?: (n: Node) => string): string {
        return once(detail ? this.detailedHops : this.hops, n, () => hop(n, detail?.(n)));
    }

    private plaintext(protocol: string | undefined): boolean {
        return isPlaintextHop(protocol, this.config);
    }

    walk(): void {
        const paths = requestPaths(this.index, this.graph);
        for (const { lb, securityGroups: lbSgs, listeners } of paths.loadBalancers) {
            this.checkListenerSet(lb, listeners.map((l) => l.listener));
            for (const { listener, defaultActions, rules } of listeners) {
                const path = [this.hopOf(lb), this.hopOf(listener, listenerDetail)];
                this.checkTrustStore(path, listener);
                for (const action of defaultActions) {
                    this.followAction(path, listener, action, lbSgs);
                }
                for (const rule of rules) {
                    this.followRule(path, listener, rule, lbSgs);
                }
            }
        }
        for (const rule of paths.otherRules) {
            this.followRule([], undefined, rule, []);
        }
    }

    private followRule(path: string[], listener: Node | undefined, { rule, actions }: RulePaths, lbSgs: Ref[]): void {
        for (const action of actions) {
            const rulePath = [...path, hop(rule, isUnknown(action.action?.type) ? "action unknown" : String(action.action?.type))];
            this.followAction(rulePath, listener, action, lbSgs);
        }
    }

    /** One load balancer's secure listeners: FIPS consistency and the verify-mode quota. */
    private checkListenerSet(lb: Node, listeners: Node[]): void {
        const secure = listeners.filter((l) => ["HTTPS", "TLS"].includes(listenerProtocol(l.props) ?? ""));
        const infos = secure.map((l) => ({ l, info: typeof l.props.sslPolicy === "string" ? sslPolicyInfo(l.props.sslPolicy) : undefined }))
            .filter((x) => x.info !== undefined);
        const fips = infos.filter((x) => x.info!.fips);
        const nonFips = infos.filter((x) => !x.info!.fips);
        if (fips.length > 0 && nonFips.length > 0) {
            this.finding([hop(lb), hop(nonFips[0].l, listenerDetail(nonFips[0].l))], {
                resource: nonFips[0].l,
                property: "sslPolicy",
                value: nonFips[0].l.props.sslPolicy,
                problem: `is not FIPS while ${describeResource(fips[0].l)} on the same load balancer uses ${fips[0].l.props.sslPolicy}; AWS refuses to mix FIPS and non-FIPS policies on one load balancer`,
                fix: "use FIPS policies on all secure listeners of the load balancer, or on none",
            });
        }
        const verify = secure.filter((l) => mtlsMode(l.props) === "verify");
        if (verify.length > 2) {
            this.finding([hop(lb)], {
                resource: verify[2],
                property: "mutualAuthentication.mode",
                value: "verify",
                problem: `makes ${verify.length} verify-mode listeners on one load balancer; AWS allows 2 (hard quota)`,
                fix: "verify client certificates on at most two listeners per load balancer",
            });
        }
    }

    private checkTrustStore(path: string[], listener: Node): void {
        if (listenerProtocol(listener.props) !== "HTTPS" || mtlsMode(listener.props) !== "verify" || this.config.allowExternalTrustStores) {
            return;
        }
        const arn = listener.props.mutualAuthentication?.trustStoreArn;
        if (arn === undefined || arn === null || arn === "") {
            return; // alb-listener-mtls-verify-trust-store reports the missing ARN itself.
        }
        const ref = this.index.resolve(listener, "mutualAuthentication", arn, is("trustStore"));
        if (ref.nodes.length > 0) {
            return;
        }
        this.finding(path, {
            resource: listener,
            property: "mutualAuthentication.trustStoreArn",
            value: arn,
            problem: ref.known
                ? "names a trust store that is not managed in this stack, so its CA bundle escapes review"
                : "does not come from a trust store in this stack (nothing links it to an aws:lb/trustStore:TrustStore)",
            fix: "create the aws.lb.TrustStore in this stack and pass its arn, or set allowExternalTrustStores",
        });
    }

    private followAction(path: string[], listener: Node | undefined, { owner, base, action, targetGroups }: ActionPaths, lbSgs: Ref[]): void {
        const listenerProto = listener ? listenerProtocol(listener.props) : undefined;
        for (const tg of targetGroups) {
            const tgPath = [...path, this.hopOf(tg, targetGroupDetail)];
            if (this.plaintext(listenerProto)) {
                this.finding(tgPath, {
                    resource: owner,
                    property: owner === listener ? "protocol" : `${base}.type`,
                    value: owner === listener ? (listener?.props.protocol ?? undefined) : action.type,
                    problem: owner === listener
                        ? `makes clients send requests to ${describeResource(tg)} in plaintext`
                        : `forwards plaintext requests from an ${listenerProto} listener to ${describeResource(tg)}`,
                    fix: "serve HTTPS on the listener and keep HTTP only as a single redirect to HTTPS",
                }, owner === listener ? listenerHttpsOnly : undefined);
            }
            this.followTargetGroup(tgPath, tg, lbSgs);
        }
    }

    private followTargetGroup(path: string[], tg: Node, lbSgs: Ref[]): void {
        if (tg.props.targetType === "lambda") {
            return;
        }
        const protocol = targetGroupProtocol(tg.props);
        if (this.plaintext(protocol)) {
            this.finding(path, {
                resource: tg,
                property: "protocol",
                value: tg.props.protocol,
                problem: "makes the load balancer re-send decrypted requests to the targets in plaintext",
                fix: 'set protocol to "HTTPS" and serve TLS on the target port',
            }, targetGroupHttps);
        }
        const hc = tg.props.healthCheck;
        if (protocol !== undefined && protocol !== GATEWAY_PROTOCOL && !isUnknown(hc) && !isUnknown(hc?.protocol) && !isFalse(hc?.enabled)) {
            const hcProtocol = effectiveHealthCheckProtocol(protocol, hc);
            if (hcProtocol === "HTTP") {
                const layer4 = (LAYER4_TARGET_GROUP_PROTOCOLS as readonly string[]).includes(protocol);
                this.finding(path, {
                    resource: tg,
                    property: "healthCheck.protocol",
                    value: hc?.protocol,
                    problem: layer4
                        ? `sends the health checks to the targets in plaintext HTTP (${hc?.protocol ? "as set" : "the provider's default for a healthCheck block"}; AWS's own default for a ${protocol} target group is TCP)`
                        : "sends the health checks to the targets in plaintext HTTP (the ALB default)",
                    fix: layer4 ? 'set healthCheck.protocol to "HTTPS", or "TCP" for a connect-only check' : 'set healthCheck.protocol to "HTTPS"',
                }, healthCheckHttps);
            }
        }
        for (const att of this.graph.attachments(tg)) {
            this.checkTargetSecurityGroups([...path, this.hopOf(att.via)], att, lbSgs);
            for (const { hops, parts } of publicAddressFindings(tg, att)) {
                this.finding([...path, this.hopOf(att.via), ...hops.map((n) => hop(n))], parts);
            }
        }
    }

    private checkTargetSecurityGroups(path: string[], att: Attachment, lbSgs: Ref[]): void {
        if (att.groups.length === 0 || att.ports.length === 0) {
            return;
        }
        const lbGroupNodes = new Set(lbSgs.flatMap((r) => r.nodes));
        const lbGroupIds = new Set(lbSgs.map((r) => r.value).filter((v): v is string => typeof v === "string" && !isUnknown(v)));
        if (lbGroupNodes.size === 0 && lbGroupIds.size === 0) {
            return; // A load balancer without security groups (NLB): nothing to compare with.
        }
        const lbNames = [...lbGroupNodes].map((n) => describeResource(n)).join(", ") || [...lbGroupIds].join(", ");
        // Each group of the targets, with the resources through which it attaches (a group found twice is one problem, two paths).
        for (const { sg, through } of att.groups.flatMap(({ ref, through }) => [...new Set(ref.nodes)].map((sg) => ({ sg, through })))) {
            for (const port of att.ports) {
                for (const { rule, source } of this.foreignSources(lbSgs, lbGroupNodes, lbGroupIds, sg, port)) {
                    this.finding([...path, ...through.map((n) => hop(n)), hop(sg)], {
                        resource: rule.owner,
                        property: source.property,
                        value: source.kind === "group" ? source.ref.value : source.kind === "self" ? true : source.value,
                        problem: `admits the backend port ${port} to ${describeResource(sg)} from outside the load balancer's security group (${lbNames})`,
                        fix: `admit port ${port} only from the load balancer's security group (referencedSecurityGroupId / sourceSecurityGroupId / securityGroups)`,
                    }, securityGroupWorldIngressWebPortsOnly, source.property);
                }
            }
        }
    }

    // Many target groups share one security group: its ingress rules are judged once per
    // (load balancer's groups, security group, port), so the walk stays linear in the stack.
    private readonly foreign = new WeakMap<Ref[], Map<Node, Map<number, { rule: IngressRule; source: Source }[]>>>();

    /** The ingress sources of `sg` that admit `port` from outside the load balancer's groups. */
    private foreignSources(lbSgs: Ref[], lbGroupNodes: Set<Node>, lbGroupIds: Set<string>, sg: Node, port: number): { rule: IngressRule; source: Source }[] {
        let bySg = this.foreign.get(lbSgs);
        if (!bySg) {
            this.foreign.set(lbSgs, (bySg = new Map()));
        }
        let byPort = bySg.get(sg);
        if (!byPort) {
            bySg.set(sg, (byPort = new Map()));
        }
        let out = byPort.get(port);
        if (out) {
            return out;
        }
        out = [];
        for (const rule of this.graph.ingressRules(sg)) {
            if (!rule.covers(port)) {
                continue;
            }
            for (const source of rule.sources) {
                const ok = source.kind === "cidr" ? this.config.allowedSourceCidrs.includes(source.value)
                    : source.kind === "self" ? this.config.allowSelfReference || lbGroupNodes.has(sg)
                    : source.kind === "group"
                        ? source.ref.nodes.length === 0 && !source.ref.known
                            ? true // unknown and unlinked in preview: cannot tell
                            : source.ref.nodes.some((n) => lbGroupNodes.has(n)) || (typeof source.ref.value === "string" && lbGroupIds.has(source.ref.value))
                        : false;
                if (!ok) {
                    out.push({ rule, source });
                }
            }
        }
        byPort.set(port, out);
        return out;
    }
}

export const e2eTlsPath = stackRule({
    name: "alb-end-to-end-tls-path",
    description: "Every request path is TLS from client to target, checked across resources: load balancer → listener → listener rules and actions → target group → Auto Scaling group / ECS service or task set / attachment → the targets' security groups wherever AWS attaches them (launch templates, instances, network interfaces and their attachments, security group attachments of network interfaces, awsvpc tasks). " +
        "Reports each plaintext hop, target security groups that admit the backend port from anywhere but the load balancer's security groups, a public address on a target (an Elastic IP, or a subnet that gives one at launch), " +
        "verify-mode listeners whose trust store is not in the stack, and FIPS/non-FIPS mixes on one load balancer.",
    enforcementLevel: "mandatory",
    severity: "high",
    config: PATH_PARAMS,
    reads: [...GRAPH_READS, ...LB_TOKENS.trustStore],
    remediationSteps: "Follow the reported path: make each ✗ hop HTTPS/TLS and restrict the target security group's backend port to the load balancer's security group.",
    check: ({ index, config, reportMessage }) => {
        const walker = new PathWalker(index, config, reportMessage);
        walker.walk();
        walker.flush();
        forgetFindings(); // read once per run: the next run in this process starts afresh
    },
});

export const policies: Policies = [e2eTlsPath];
