/**
 * The stack as a graph for the end-to-end path rule (stack-path.ts): the reverse references the
 * walk follows (load balancer → listeners → listener rules, target group → what is registered in
 * it, security group → standalone ingress rules), the security groups and public addresses a
 * target group's targets have (targets.ts, walking the entries of attachments.ts), and each
 * security group's ingress permissions (ingress.ts). No findings are made here.
 *
 * References are resolved by the shared resolver (../framework/stack-index.ts, ../shared/resolver.ts).
 */
import { LB_TOKENS, TOKENS } from "../shared/tokens";
import { asArray, asNumber, is, isSecurityGroup, isUnknown, Node, StackIndex } from "../framework";
import { ATTACHMENT_READS } from "./attachments";
import { IngressRule, ingressRulesOf } from "./ingress";
import { PublicAddress, ReachedGroup, SubnetAddress, Targets } from "./targets";

/** The shapes {@link StackGraph} reads, for the `reads` of the rules that walk it. */
export const GRAPH_READS: readonly string[] = [...new Set([
    ...LB_TOKENS.loadBalancer, ...LB_TOKENS.listener, ...LB_TOKENS.listenerRule, ...LB_TOKENS.targetGroup, ...LB_TOKENS.targetGroupAttachment,
    TOKENS.autoscalingAttachment, TOKENS.securityGroupIngressRule, TOKENS.securityGroupRule,
    ...ATTACHMENT_READS,
])];

/** Something registered in a target group, with the security groups and public addresses of its targets. */
export interface Attachment {
    readonly via: Node;
    /** Port the targets receive traffic on. */
    readonly ports: number[];
    /** Security groups of the targets (none found: nothing to judge). */
    readonly groups: readonly ReachedGroup[];
    /** Public addresses attached to the targets. */
    readonly addresses: readonly PublicAddress[];
    /** Public addresses the targets' subnets give them. */
    readonly subnetAddresses: readonly SubnetAddress[];
}

/** A numeric port as the provider reads it (`"8443"` too), or `undefined` for unknown/absent/"traffic-port". */
function portOf(value: unknown): number | undefined {
    const n = asNumber(value);
    return n !== undefined && Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

function tgPorts(tg: Node): number[] {
    const ports = new Set<number>();
    const traffic = portOf(tg.props.port);
    if (traffic !== undefined) {
        ports.add(traffic);
    }
    const hc = portOf(tg.props.healthCheck?.port);
    if (hc !== undefined) {
        ports.add(hc);
    }
    return [...ports];
}

/**
 * What the path walk asks of the stack: the listeners of a load balancer and the rules of a
 * listener, what is registered in a target group with its targets' security groups and public
 * addresses, and the ingress rules of a security group.
 */
export class StackGraph {
    // Reverse references, computed once: the walk goes against the direction resources point.
    readonly listenersByLb: Map<Node, Node[]>;
    readonly rulesByListener: Map<Node, Node[]>;
    private readonly asgsByTg: Map<Node, Node[]>;
    private readonly asgAttachmentsByTg: Map<Node, Node[]>;
    private readonly ecsByTg: Map<Node, Node[]>;
    private readonly tgAttachmentsByTg: Map<Node, Node[]>;
    private readonly standaloneIngressBySg: Map<Node, Node[]>;
    /** The security groups and public addresses of each target (targets.ts). */
    private readonly targets: Targets;
    private readonly ingressCache = new Map<Node, IngressRule[]>();

    constructor(readonly index: StackIndex) {
        const tgOf = (n: Node, prop: string, v: unknown) => index.resolve(n, prop, v, is("targetGroup")).nodes;
        this.listenersByLb = StackIndex.invert(index.ofKind("listener"), (l) => index.resolve(l, "loadBalancerArn", l.props.loadBalancerArn, is("loadBalancer")).nodes);
        this.rulesByListener = StackIndex.invert(index.ofKind("listenerRule"), (r) => index.resolve(r, "listenerArn", r.props.listenerArn, is("listener")).nodes);
        this.asgsByTg = StackIndex.invert(index.ofType(TOKENS.autoscalingGroup),
            (a) => index.resolveAll(a, "targetGroupArns", a.props.targetGroupArns, is("targetGroup")).flatMap((r) => r.nodes));
        this.asgAttachmentsByTg = StackIndex.invert(index.ofType(TOKENS.autoscalingAttachment), (a) => tgOf(a, "lbTargetGroupArn", a.props.lbTargetGroupArn));
        this.ecsByTg = StackIndex.invert([...index.ofType(TOKENS.ecsService), ...index.ofType(TOKENS.ecsTaskSet)],
            (svc) => isUnknown(svc.props.loadBalancers) ? [] : asArray(svc.props.loadBalancers).flatMap((l) => tgOf(svc, "loadBalancers", l?.targetGroupArn)));
        this.tgAttachmentsByTg = StackIndex.invert(index.ofKind("targetGroupAttachment"), (a) => tgOf(a, "targetGroupArn", a.props.targetGroupArn));
        this.standaloneIngressBySg = StackIndex.invert(
            [...index.ofType(TOKENS.securityGroupIngressRule), ...index.ofType(TOKENS.securityGroupRule).filter((r) => r.props.type === "ingress")],
            (r) => index.resolve(r, "securityGroupId", r.props.securityGroupId, isSecurityGroup).nodes);
        this.targets = new Targets(index);
    }

    /** Everything registered in `tg`: Auto Scaling groups, ECS services and task sets, direct attachments. */
    attachments(tg: Node): Attachment[] {
        const out: Attachment[] = [];
        const points = (n: Node, prop: string, v: unknown) => this.index.resolve(n, prop, v, is("targetGroup")).nodes.includes(tg);
        const registered = (via: Node, ports: number[], target: Node | undefined): Attachment => {
            if (!target) {
                return { via, ports, groups: [], addresses: [], subnetAddresses: [] };
            }
            const reach = this.targets.reach(target);
            const prefix = target === via ? [] : [target];
            return {
                via, ports,
                groups: reach.groups.map((g) => ({ ...g, through: [...prefix, ...g.through] })),
                addresses: reach.addresses.map((a) => ({ ...a, through: [...prefix, ...a.through] })),
                subnetAddresses: this.targets.subnetAddresses(target).map((a) => ({ ...a, through: prefix })),
            };
        };
        for (const asg of this.asgsByTg.get(tg) ?? []) {
            out.push(registered(asg, tgPorts(tg), asg));
        }
        for (const att of this.asgAttachmentsByTg.get(tg) ?? []) {
            const asg = this.index.resolve(att, "autoscalingGroupName", att.props.autoscalingGroupName, (n) => n.type === TOKENS.autoscalingGroup).nodes[0];
            out.push(registered(att, tgPorts(tg), asg));
        }
        for (const svc of this.ecsByTg.get(tg) ?? []) {
            const mine = asArray(svc.props.loadBalancers).filter((l) => points(svc, "loadBalancers", l?.targetGroupArn));
            if (mine.length > 0) {
                const ports = mine.map((l) => portOf(l?.containerPort)).filter((p): p is number => p !== undefined);
                out.push(registered(svc, ports.length > 0 ? ports : tgPorts(tg), svc));
            }
        }
        // An instance by id, or an ip target by the private address of an instance or network interface.
        const isTarget = (n: Node) => n.type === TOKENS.instance || n.type === TOKENS.networkInterface;
        for (const att of this.tgAttachmentsByTg.get(tg) ?? []) {
            const port = portOf(att.props.port);
            const target = this.index.resolve(att, "targetId", att.props.targetId, isTarget).nodes[0];
            out.push(registered(att, port !== undefined ? [port] : tgPorts(tg), target));
        }
        // A CloudFormation target group lists its targets itself (AWS::ElasticLoadBalancingV2::TargetGroup Targets[].Id, Port).
        if (!isUnknown(tg.props.targets)) {
            for (const t of asArray(tg.props.targets)) {
                const target = isUnknown(t) ? undefined : this.index.resolve(tg, "targets", t?.id, isTarget).nodes[0];
                if (target) {
                    const port = portOf(t?.port);
                    out.push(registered(tg, port !== undefined ? [port] : tgPorts(tg), target));
                }
            }
        }
        return out;
    }

    /** Ingress rules of a security group: its inline `ingress` blocks and the standalone rule resources. */
    ingressRules(sg: Node): IngressRule[] {
        let rules = this.ingressCache.get(sg);
        if (!rules) {
            rules = ingressRulesOf(this.index, sg, this.standaloneIngressBySg.get(sg) ?? []);
            this.ingressCache.set(sg, rules);
        }
        return rules;
    }
}
