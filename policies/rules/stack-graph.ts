/**
 * The stack as a graph for the end-to-end path rule (stack-path.ts): the reverse references the
 * walk follows (load balancer → listeners → listener rules, target group → what is registered in
 * it, security group → standalone ingress rules), the security groups a target group's targets run
 * in, and each security group's ingress permissions (ingress.ts). No findings are made here.
 *
 * References are resolved by the shared resolver (../framework/stack-index.ts, ../shared/resolver.ts).
 */
import { LB_TOKENS, TOKENS } from "../shared/tokens";
import { asArray, asNumber, is, isSecurityGroup, isUnknown, Node, Ref, StackIndex } from "../framework";
import { IngressRule, ingressRulesOf } from "./ingress";

/** The shapes {@link StackGraph} reads, for the `reads` of the rules that walk it. */
export const GRAPH_READS: readonly string[] = [
    ...LB_TOKENS.loadBalancer, ...LB_TOKENS.listener, ...LB_TOKENS.listenerRule, ...LB_TOKENS.targetGroup, ...LB_TOKENS.targetGroupAttachment,
    TOKENS.autoscalingGroup, TOKENS.autoscalingAttachment, TOKENS.ecsService, TOKENS.instance, TOKENS.launchTemplate, TOKENS.launchConfiguration,
    TOKENS.securityGroup, TOKENS.securityGroupIngressRule, TOKENS.securityGroupRule,
];

/** Something registered in a target group, with the security groups its targets run in. */
export interface Attachment {
    readonly via: Node;
    /** Port the targets receive traffic on. */
    readonly ports: number[];
    /** Security groups of the targets; `undefined` when the pack cannot tell. */
    readonly securityGroups: Ref[] | undefined;
    /** Nodes between the attachment and the security groups (launch template, instance). */
    readonly through: Node[];
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
 * listener, what is registered in a target group, and the ingress rules of a security group.
 */
export class StackGraph {
    // Reverse references, computed once: the walk goes against the direction resources point.
    readonly listenersByLb: Map<Node, Node[]>;
    readonly rulesByListener: Map<Node, Node[]>;
    private readonly asgsByTg: Map<Node, Node[]>;
    private readonly asgAttachmentsByTg: Map<Node, Node[]>;
    private readonly servicesByTg: Map<Node, Node[]>;
    private readonly tgAttachmentsByTg: Map<Node, Node[]>;
    private readonly standaloneIngressBySg: Map<Node, Node[]>;
    private readonly ingressCache = new Map<Node, IngressRule[]>();

    constructor(readonly index: StackIndex) {
        const tgOf = (n: Node, prop: string, v: unknown) => index.resolve(n, prop, v, is("targetGroup")).nodes;
        this.listenersByLb = StackIndex.invert(index.ofKind("listener"), (l) => index.resolve(l, "loadBalancerArn", l.props.loadBalancerArn, is("loadBalancer")).nodes);
        this.rulesByListener = StackIndex.invert(index.ofKind("listenerRule"), (r) => index.resolve(r, "listenerArn", r.props.listenerArn, is("listener")).nodes);
        this.asgsByTg = StackIndex.invert(index.ofType(TOKENS.autoscalingGroup),
            (a) => index.resolveAll(a, "targetGroupArns", a.props.targetGroupArns, is("targetGroup")).flatMap((r) => r.nodes));
        this.asgAttachmentsByTg = StackIndex.invert(index.ofType(TOKENS.autoscalingAttachment), (a) => tgOf(a, "lbTargetGroupArn", a.props.lbTargetGroupArn));
        this.servicesByTg = StackIndex.invert(index.ofType(TOKENS.ecsService),
            (svc) => isUnknown(svc.props.loadBalancers) ? [] : asArray(svc.props.loadBalancers).flatMap((l) => tgOf(svc, "loadBalancers", l?.targetGroupArn)));
        this.tgAttachmentsByTg = StackIndex.invert(index.ofKind("targetGroupAttachment"), (a) => tgOf(a, "targetGroupArn", a.props.targetGroupArn));
        this.standaloneIngressBySg = StackIndex.invert(
            [...index.ofType(TOKENS.securityGroupIngressRule), ...index.ofType(TOKENS.securityGroupRule).filter((r) => r.props.type === "ingress")],
            (r) => index.resolve(r, "securityGroupId", r.props.securityGroupId, isSecurityGroup).nodes);
    }

    /** Everything registered in `tg`: Auto Scaling groups, ECS services, direct attachments. */
    attachments(tg: Node): Attachment[] {
        const out: Attachment[] = [];
        const points = (n: Node, prop: string, v: unknown) => this.index.resolve(n, prop, v, is("targetGroup")).nodes.includes(tg);
        for (const asg of this.asgsByTg.get(tg) ?? []) {
            out.push(this.asgAttachment(asg, asg, tgPorts(tg)));
        }
        for (const att of this.asgAttachmentsByTg.get(tg) ?? []) {
            const asg = this.index.resolve(att, "autoscalingGroupName", att.props.autoscalingGroupName, (n) => n.type === TOKENS.autoscalingGroup).nodes[0];
            out.push(asg ? this.asgAttachment(att, asg, tgPorts(tg)) : { via: att, ports: tgPorts(tg), securityGroups: undefined, through: [] });
        }
        for (const svc of this.servicesByTg.get(tg) ?? []) {
            const lbs = isUnknown(svc.props.loadBalancers) ? [] : asArray(svc.props.loadBalancers);
            const mine = lbs.filter((l) => points(svc, "loadBalancers", l?.targetGroupArn));
            if (mine.length === 0) {
                continue;
            }
            const ports = mine.map((l) => portOf(l?.containerPort)).filter((p): p is number => p !== undefined);
            const nc = svc.props.networkConfiguration;
            out.push({
                via: svc,
                ports: ports.length > 0 ? ports : tgPorts(tg),
                securityGroups: isUnknown(nc) ? undefined : nc ? this.index.resolveAll(svc, "networkConfiguration", nc.securityGroups, isSecurityGroup) : undefined,
                through: [],
            });
        }
        for (const att of this.tgAttachmentsByTg.get(tg) ?? []) {
            const port = portOf(att.props.port);
            const instance = this.index.resolve(att, "targetId", att.props.targetId, (n) => n.type === TOKENS.instance).nodes[0];
            out.push({
                via: att,
                ports: port !== undefined ? [port] : tgPorts(tg),
                securityGroups: instance ? this.instanceSecurityGroups(instance) : undefined,
                through: instance ? [instance] : [],
            });
        }
        return out;
    }

    private asgAttachment(via: Node, asg: Node, ports: number[]): Attachment {
        const lt = asg.props.launchTemplate ?? asg.props.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification;
        const ltRef = lt === undefined || lt === null ? undefined
            : this.index.resolve(asg, asg.props.launchTemplate !== undefined ? "launchTemplate" : "mixedInstancesPolicy",
                isUnknown(lt) ? lt : (lt.id ?? lt.launchTemplateId ?? lt.name ?? lt.launchTemplateName), (n) => n.type === TOKENS.launchTemplate);
        const template = ltRef?.nodes[0];
        if (template) {
            return { via, ports, securityGroups: this.instanceSecurityGroups(template), through: via === asg ? [template] : [asg, template] };
        }
        const lc = this.index.resolve(asg, "launchConfiguration", asg.props.launchConfiguration, (n) => n.type === TOKENS.launchConfiguration).nodes[0];
        if (lc) {
            return { via, ports, securityGroups: this.index.resolveAll(lc, "securityGroups", lc.props.securityGroups, isSecurityGroup), through: via === asg ? [lc] : [asg, lc] };
        }
        return { via, ports, securityGroups: undefined, through: via === asg ? [] : [asg] };
    }

    /** Security groups of a launch template or an instance: top-level ids plus network interfaces'. */
    private instanceSecurityGroups(n: Node): Ref[] | undefined {
        const refs: Ref[] = [];
        for (const prop of ["vpcSecurityGroupIds", "securityGroups"]) {
            if (n.props[prop] !== undefined && n.props[prop] !== null) {
                refs.push(...this.index.resolveAll(n, prop, n.props[prop], isSecurityGroup));
            }
        }
        const nis = n.props.networkInterfaces;
        if (isUnknown(nis)) {
            refs.push(this.index.resolve(n, "networkInterfaces", nis, isSecurityGroup));
        } else {
            for (const ni of asArray(nis)) {
                refs.push(...this.index.resolveAll(n, "networkInterfaces", isUnknown(ni) ? ni : ni?.securityGroups, isSecurityGroup));
            }
        }
        return refs.length > 0 ? refs : undefined;
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
