/**
 * The stack as a graph for the end-to-end path rule (stack-path.ts): every resource indexed by kind,
 * by URN and by the ids and ARNs other resources quote; the reverse references the walk follows
 * (load balancer → listeners → listener rules, target group → what is registered in it, security
 * group → standalone ingress rules); the security groups a target group's targets run in; and each
 * security group's ingress permissions. No findings are made here.
 *
 * References are resolved by value (ARNs and ids in the resources' state) and, where a value is
 * unknown during preview, by the resource's `propertyDependencies` for that property.
 */
import { PolicyResource } from "@pulumi/policy";
import { asArray, isKnown, isType, isUnknown, LB_TOKENS, LbKind, raw, TOKENS } from "./common";

/** One resource of the stack with its plain properties. */
export interface Node {
    readonly res: PolicyResource;
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, any>;
}

/** The stack's resources, indexed by kind, by URN and by the ids and ARNs other resources quote. */
export class StackIndex {
    readonly nodes: Node[];
    private readonly byUrn = new Map<string, Node>();
    private readonly byValue = new Map<string, Node[]>();
    private readonly byType = new Map<string, Node[]>();

    constructor(resources: PolicyResource[]) {
        this.nodes = resources.map((res) => ({ res, type: res.type, name: res.name, urn: res.urn, props: raw(res.props) ?? {} }));
        for (const n of this.nodes) {
            this.byUrn.set(n.urn, n);
            const sameType = this.byType.get(n.type) ?? [];
            sameType.push(n);
            this.byType.set(n.type, sameType);
            for (const key of identities(n)) {
                const list = this.byValue.get(key) ?? [];
                list.push(n);
                this.byValue.set(key, list);
            }
        }
    }

    ofKind(kind: LbKind): Node[] {
        return LB_TOKENS[kind].flatMap((t) => this.byType.get(t) ?? []);
    }

    ofType(token: string): Node[] {
        return this.byType.get(token) ?? [];
    }

    /** For each node some of `from` refer to (per `refersTo`), the nodes that do. */
    static invert(from: Node[], refersTo: (n: Node) => Node[]): Map<Node, Node[]> {
        const out = new Map<Node, Node[]>();
        for (const n of from) {
            for (const target of new Set(refersTo(n))) {
                const list = out.get(target) ?? [];
                list.push(n);
                out.set(target, list);
            }
        }
        return out;
    }

    /**
     * What `value` (found under top-level property `property` of `from`) refers to, among nodes
     * accepted by `accept`. Known values are matched against ids and ARNs; unknown values (and
     * known ones no resource carries) fall back to the property's dependencies.
     */
    resolve(from: Node, property: string, value: unknown, accept: (n: Node) => boolean): Ref {
        if (typeof value === "string" && !isUnknown(value)) {
            const hits = (this.byValue.get(value) ?? []).filter(accept);
            if (hits.length > 0) {
                return { nodes: hits, value, known: true };
            }
        }
        const deps = (from.res.propertyDependencies?.[property] ?? [])
            .map((d) => this.byUrn.get(d.urn))
            .filter((n): n is Node => n !== undefined && accept(n));
        return { nodes: deps, value, known: isKnown(value) };
    }

    /** Every reference in a list property (a whole-list unknown resolves through dependencies). */
    resolveAll(from: Node, property: string, values: unknown, accept: (n: Node) => boolean): Ref[] {
        if (isUnknown(values)) {
            return [this.resolve(from, property, values, accept)];
        }
        return asArray(values).map((v) => this.resolve(from, property, v, accept));
    }
}

/** A resolved reference: the nodes it names (possibly several when only dependencies tell). */
export interface Ref {
    readonly nodes: Node[];
    readonly value: unknown;
    /** The value was known (so an empty `nodes` means "outside this stack"). */
    readonly known: boolean;
}

/** Ids and ARNs a resource can be quoted by. ARNs of EC2 resources end in the resource id. */
function identities(n: Node): string[] {
    const out: string[] = [];
    for (const key of ["arn", "id", "name"]) {
        const v = n.props[key];
        if (typeof v === "string" && v !== "" && !isUnknown(v)) {
            if (key !== "name" || n.type === TOKENS.autoscalingGroup || n.type === TOKENS.launchTemplate || n.type === TOKENS.launchConfiguration) {
                out.push(v);
            }
        }
    }
    const arn = n.props.arn;
    if (typeof arn === "string" && arn.startsWith("arn:") && arn.split(":")[2] === "ec2") {
        const last = arn.split("/").pop();
        if (last) {
            out.push(last);
        }
    }
    return out;
}

export const is = (kind: LbKind) => (n: Node) => isType(n.type, kind);
export const isSecurityGroup = (n: Node) => n.type === TOKENS.securityGroup;

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

/** A numeric port, or `undefined` for unknown/absent/"traffic-port". */
function portOf(value: unknown): number | undefined {
    const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : undefined;
    return n !== undefined && n > 0 && n < 65536 ? n : undefined;
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
        const cached = this.ingressCache.get(sg);
        if (cached) {
            return cached;
        }
        const rules: IngressRule[] = [];
        this.ingressCache.set(sg, rules);
        if (!isUnknown(sg.props.ingress)) {
            asArray(sg.props.ingress).forEach((block, i) => {
                if (isUnknown(block)) {
                    return;
                }
                const sources: Source[] = [];
                asArray<string>(block?.cidrBlocks).forEach((c, j) => isKnown(c) && sources.push({ kind: "cidr", value: c, property: `ingress[${i}].cidrBlocks[${j}]` }));
                asArray<string>(block?.ipv6CidrBlocks).forEach((c, j) => isKnown(c) && sources.push({ kind: "cidr", value: c, property: `ingress[${i}].ipv6CidrBlocks[${j}]` }));
                asArray<string>(block?.prefixListIds).forEach((c, j) => isKnown(c) && sources.push({ kind: "prefix", value: c, property: `ingress[${i}].prefixListIds[${j}]` }));
                if (block?.self === true) {
                    sources.push({ kind: "self", value: "self", property: `ingress[${i}].self` });
                }
                asArray(block?.securityGroups).forEach((g, j) => sources.push({ kind: "group", ref: this.index.resolve(sg, "ingress", g, isSecurityGroup), property: `ingress[${i}].securityGroups[${j}]` }));
                rules.push(new IngressRule(sg, block?.protocol, block?.fromPort, block?.toPort, sources));
            });
        }
        const standalone = this.standaloneIngressBySg.get(sg) ?? [];
        for (const r of standalone.filter((x) => x.type === TOKENS.securityGroupIngressRule)) {
            const p = r.props;
            const sources: Source[] = [];
            for (const key of ["cidrIpv4", "cidrIpv6"]) {
                if (isKnown(p[key])) {
                    sources.push({ kind: "cidr", value: p[key], property: key });
                }
            }
            if (isKnown(p.prefixListId)) {
                sources.push({ kind: "prefix", value: p.prefixListId, property: "prefixListId" });
            }
            if (p.referencedSecurityGroupId !== undefined && p.referencedSecurityGroupId !== null) {
                sources.push({ kind: "group", ref: this.index.resolve(r, "referencedSecurityGroupId", p.referencedSecurityGroupId, isSecurityGroup), property: "referencedSecurityGroupId" });
            }
            rules.push(new IngressRule(r, p.ipProtocol, p.fromPort, p.toPort, sources));
        }
        for (const r of standalone.filter((x) => x.type === TOKENS.securityGroupRule)) {
            const p = r.props;
            const sources: Source[] = [];
            asArray<string>(p.cidrBlocks).forEach((c, j) => isKnown(c) && sources.push({ kind: "cidr", value: c, property: `cidrBlocks[${j}]` }));
            asArray<string>(p.ipv6CidrBlocks).forEach((c, j) => isKnown(c) && sources.push({ kind: "cidr", value: c, property: `ipv6CidrBlocks[${j}]` }));
            asArray<string>(p.prefixListIds).forEach((c, j) => isKnown(c) && sources.push({ kind: "prefix", value: c, property: `prefixListIds[${j}]` }));
            if (p.self === true) {
                sources.push({ kind: "self", value: "self", property: "self" });
            }
            if (p.sourceSecurityGroupId !== undefined && p.sourceSecurityGroupId !== null) {
                sources.push({ kind: "group", ref: this.index.resolve(r, "sourceSecurityGroupId", p.sourceSecurityGroupId, isSecurityGroup), property: "sourceSecurityGroupId" });
            }
            rules.push(new IngressRule(r, p.protocol, p.fromPort, p.toPort, sources));
        }
        return rules;
    }
}

export type Source =
    | { kind: "cidr" | "prefix" | "self"; value: string; property: string }
    | { kind: "group"; ref: Ref; property: string };

/** One ingress permission: protocol, port range, and where traffic may come from. */
export class IngressRule {
    constructor(
        readonly owner: Node,
        private readonly protocol: unknown,
        private readonly fromPort: unknown,
        private readonly toPort: unknown,
        readonly sources: Source[],
    ) {}

    /** True when the rule certainly admits TCP `port` (unknown protocol or ports: not certain). */
    covers(port: number): boolean {
        if (isUnknown(this.protocol)) {
            return false;
        }
        const protocol = String(this.protocol ?? "").toLowerCase();
        if (protocol === "-1" || protocol === "all") {
            return true;
        }
        if (protocol !== "tcp" && protocol !== "6") {
            return false;
        }
        const from = typeof this.fromPort === "number" ? this.fromPort : Number(this.fromPort);
        const to = typeof this.toPort === "number" ? this.toPort : Number(this.toPort);
        if (!Number.isFinite(from) || !Number.isFinite(to)) {
            return false;
        }
        // fromPort -1 / 0 with toPort 65535 (or -1) is "all ports" in the EC2 API.
        return (from <= port || from === -1) && (port <= to || to === -1);
    }
}
