/**
 * The stack as a graph for the end-to-end path rule (stack-path.ts): the reverse references the
 * walk follows (load balancer → listeners → listener rules, target group → what is registered in
 * it, security group → standalone ingress rules), the security groups and public addresses a
 * target group's targets have (walking the entries of attachments.ts), and each
 * security group's ingress permissions, each in its section below. No findings are made here.
 *
 * References are resolved by the shared resolver (../framework/stack-index.ts, ../shared/resolver.ts).
 */
import { LB_TOKENS, TOKENS } from "../shared/tokens";
import { UNKNOWN } from "../shared/wire";
import { asArray, asBoolean, asNumber, is, isKnown, isSecurityGroup, isUnknown, Node, once, Ref, StackIndex } from "../framework";
import { ATTACHMENT_READS, Join, JOINS, LAUNCH_CHOICE, LINKS, Link, PLACEMENTS, SUBNETS } from "./attachments";

// ------------------------------------------------------------------------------------------------
// The graph
// ------------------------------------------------------------------------------------------------

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
    /** The security groups and public addresses of each target (What a target has, below). */
    private readonly targets: Targets;
    private readonly ingressCache = new Map<Node, IngressRule[]>();
    private readonly attachmentCache = new Map<Node, Attachment[]>();

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

    /**
     * Everything registered in `tg`: Auto Scaling groups, ECS services and task sets, direct
     * attachments. Found once per target group: each listener and rule that forwards to it asks.
     */
    attachments(tg: Node): Attachment[] {
        return once(this.attachmentCache, tg, () => this.attachmentsOf(tg));
    }

    private attachmentsOf(tg: Node): Attachment[] {
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
        return once(this.ingressCache, sg, () => ingressRulesOf(this.index, sg, this.standaloneIngressBySg.get(sg) ?? []));
    }
}

// ------------------------------------------------------------------------------------------------
// What a target has
// ------------------------------------------------------------------------------------------------

/*
 * What a target registered in a target group has, found by walking the entries of attachments.ts
 * from it: the security groups its traffic passes (its own, its launch template's or
 * configuration's, its network interfaces', those attached to them), the public addresses attached
 * to it or its interfaces, and the subnets that give it one at launch. Each comes with the
 * resources the walk went through, for the path a finding names. No findings are made here.
 */

/** A security group of a target, with the resources between what is registered and the group. */
export interface ReachedGroup {
    readonly ref: Ref;
    readonly through: readonly Node[];
}

/** A public address on a target: the resource that attaches it, the property naming the target, and the resources between. */
export interface PublicAddress {
    readonly by: Node;
    readonly property: string;
    readonly target: Node;
    readonly through: readonly Node[];
}

/**
 * A target launched into a subnet that gives it a public address (attachments.ts PLACEMENTS): the
 * resource placing it, the property and value naming the subnet, the launch that leaves the choice
 * to the subnet, and the resources between what is registered and the placing resource.
 */
export interface SubnetAddress {
    readonly by: Node;
    readonly property: string;
    readonly value: unknown;
    readonly subnet: Node;
    readonly launch: Node;
    readonly through: readonly Node[];
}

/**
 * How a launch (instance, launch template, launch configuration) chooses the public address of its
 * primary interface (attachments.ts LAUNCH_CHOICE): left to the subnet, none (an existing interface
 * or several), chosen (`true` is ec2-no-public-ip's finding, `false` keeps none), or unknown.
 */
function launchChoice(launch: Node): "subnet" | "none" | "chosen" | "unknown" {
    const spec = LAUNCH_CHOICE[launch.type];
    const present = (v: unknown) => v !== undefined && v !== null;
    const of = (v: unknown) => (isUnknown(v) ? "unknown" : !present(v) ? "subnet" : asBoolean(v) === undefined ? "unknown" : "chosen");
    if (!spec || (spec.existingPrimary && present(launch.props[spec.existingPrimary]))) {
        return "none";
    }
    if (spec.interfaces && present(launch.props[spec.interfaces])) {
        const list = launch.props[spec.interfaces];
        if (isUnknown(list) || asArray(list).some(isUnknown)) {
            return "unknown";
        }
        const nis = asArray(list);
        if (nis.length > 1 || nis.some((ni) => present(ni?.networkInterfaceId))) {
            return "none";
        }
        if (nis.length === 1) {
            return of(nis[0]?.[spec.choice]);
        }
    }
    // An instance launched from a template takes the template's choice; the walk does not judge it.
    return launch.type === TOKENS.instance && present(launch.props.launchTemplate) && !present(launch.props[spec.choice]) ? "unknown" : of(launch.props[spec.choice]);
}

/** What a walk from one target finds. */
interface Reach {
    readonly groups: ReachedGroup[];
    readonly addresses: PublicAddress[];
}

/** Each path of {@link valuesAt} read once: its steps' keys, and whether each reads a list. */
const parsedPaths = new Map<string, { key: string; list: boolean }[]>();

/**
 * The values at `path` (`a.b`, `a[].b`) of `props`, each with where it sits (`a[1].b`; only when
 * `places`), and whether an unknown stood in the way (then the reference resolves through the
 * top-level property's dependencies). Absent: none. The last step may hold one value or a list of
 * them, as the resolver's `resolveAll` reads a property.
 */
function valuesAt(props: Record<string, any>, path: string, places = true): { top: string; values: unknown[]; at: string[]; unknown: boolean } {
    // Loops rather than forEach and map: the path walk reads every join and link of every target this way.
    const steps = once(parsedPaths, path, () => path.split(".").map((step) => ({ key: step.replace(/\[\]$/, ""), list: step.endsWith("[]") })));
    let values: unknown[] = [props];
    let at: string[] = [""];
    let unknown = false;
    for (let i = 0; i < steps.length; i++) {
        const { key, list } = steps[i];
        const nextValues: unknown[] = [];
        const nextAt: string[] = [];
        const keep = (value: unknown, where: string) => {
            if (isUnknown(value)) {
                unknown = true;
            } else if (value !== undefined && value !== null) {
                nextValues.push(value);
                if (places) nextAt.push(where);
            }
        };
        for (let v = 0; v < values.length; v++) {
            const value = values[v];
            const x = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
            const here = places ? (at[v] === "" ? key : `${at[v]}.${key}`) : "";
            if ((list || i === steps.length - 1) && Array.isArray(x)) {
                for (let j = 0; j < x.length; j++) keep(x[j], places ? `${here}[${j}]` : "");
            } else {
                keep(x, here);
            }
        }
        values = nextValues;
        at = nextAt;
    }
    return { top: steps[0].key, values, at, unknown };
}

/** The security groups and public addresses of the targets of one stack, each target walked once. */
export class Targets {
    /** Per target (instance, network interface): the joining resources of attachments.ts that name it. */
    private readonly joinsOnto = new Map<Node, { join: Join; node: Node; property: string }[]>();
    private readonly linksFrom = new Map<string, Link[]>();
    private readonly reachCache = new Map<Node, Reach>();
    private readonly subnetCache = new Map<Node, Omit<SubnetAddress, "through">[]>();

    constructor(private readonly index: StackIndex) {
        for (const link of LINKS) {
            this.linksFrom.set(link.from, [...(this.linksFrom.get(link.from) ?? []), link]);
        }
        for (const join of JOINS) {
            for (const node of index.ofType(join.resource)) {
                for (const onto of join.onto) {
                    for (const target of new Set(this.resolveAt(node, onto.path, onto.to).flatMap((r) => r.nodes))) {
                        const list = this.joinsOnto.get(target) ?? [];
                        list.push({ join, node, property: onto.path });
                        this.joinsOnto.set(target, list);
                    }
                }
            }
        }
    }

    /** The references at `path` of `from` to resources of the `to` shapes. */
    private resolveAt(from: Node, path: string, to: readonly string[]): Ref[] {
        const accept = (n: Node) => to.includes(n.type);
        const { top, values, unknown } = valuesAt(from.props, path, false);
        const refs = values.map((v) => this.index.resolve(from, top, v, accept));
        return unknown ? [...refs, this.index.resolve(from, top, UNKNOWN, accept)] : refs;
    }

    /**
     * The subnets that give the instances `target` launches (itself, or the launch templates and
     * configurations it links to) a public IPv4 address, per attachments.ts PLACEMENTS: a subnet of
     * this stack whose `mapPublicIpOnLaunch` is known true, and a launch that leaves the choice to it.
     */
    subnetAddresses(target: Node): Omit<SubnetAddress, "through">[] {
        return once(this.subnetCache, target, () => this.subnetAddressesOf(target));
    }

    private subnetAddressesOf(target: Node): Omit<SubnetAddress, "through">[] {
        const placements = PLACEMENTS.filter((p) => p.from === target.type);
        if (placements.length === 0) {
            return [];
        }
        const launches = LAUNCH_CHOICE[target.type] ? [target]
            : [...new Set((this.linksFrom.get(target.type) ?? []).filter((l) => LAUNCH_CHOICE[l.to])
                .flatMap((l) => this.resolveAt(target, l.path, [l.to]).flatMap((r) => r.nodes)))];
        const open = launches.filter((l) => launchChoice(l) === "subnet");
        if (open.length === 0) {
            return [];
        }
        const out: Omit<SubnetAddress, "through">[] = [];
        for (const placement of placements) {
            const { top, values, at } = valuesAt(target.props, placement.subnets);
            values.forEach((value, i) => {
                for (const subnet of this.index.resolve(target, top, value, (n) => SUBNETS.includes(n.type)).nodes) {
                    if (asBoolean(subnet.props.mapPublicIpOnLaunch) === true) {
                        out.push({ by: target, property: at[i], value, subnet, launch: open[0] });
                    }
                }
            });
        }
        return out;
    }

    /**
     * The security groups and public addresses of `target`, following the links and joins of
     * attachments.ts; `through` lists the resources after `target` on the way to each.
     */
    reach(target: Node): Reach {
        return once(this.reachCache, target, () => {
            const found: Reach = { groups: [], addresses: [] };
            this.walk(target, [], new Set([target]), found);
            return found;
        });
    }

    private walk(node: Node, through: Node[], seen: Set<Node>, found: Reach): void {
        const visit = (next: Node, path: Node[]) => {
            if (!seen.has(next)) {
                seen.add(next);
                this.walk(next, path, seen, found);
            }
        };
        for (const link of this.linksFrom.get(node.type) ?? []) {
            if (link.unless?.some((p) => node.props[p] !== undefined && node.props[p] !== null && !(Array.isArray(node.props[p]) && node.props[p].length === 0))) {
                continue;
            }
            const refs = this.resolveAt(node, link.path, [link.to]);
            if (link.to === TOKENS.securityGroup) {
                found.groups.push(...refs.map((ref) => ({ ref, through })));
            } else {
                refs.flatMap((r) => r.nodes).forEach((n) => visit(n, [...through, n]));
            }
        }
        for (const { join, node: by, property } of this.joinsOnto.get(node) ?? []) {
            if (join.publicAddress) {
                found.addresses.push({ by, property, target: node, through });
            } else if (!join.attaches) {
                visit(by, [...through, by]);
            } else if (join.attaches.to.includes(TOKENS.securityGroup)) {
                found.groups.push(...this.resolveAt(by, join.attaches.path, join.attaches.to).map((ref) => ({ ref, through: [...through, by] })));
            } else {
                this.resolveAt(by, join.attaches.path, join.attaches.to).flatMap((r) => r.nodes).forEach((n) => visit(n, [...through, by, n]));
            }
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Ingress permissions of a security group
// ------------------------------------------------------------------------------------------------

/*
 * Ingress permissions of a security group as the path rule reads them: inline `ingress` blocks,
 * `aws:vpc/securityGroupIngressRule` and `aws:ec2/securityGroupRule` of type ingress, each with
 * its sources (CIDRs, prefix lists, `self`, other groups resolved to nodes).
 */

/** The CIDR, prefix-list and `self` sources of an inline block or an `aws:ec2/securityGroupRule` (`base` prefixes each property). */
function listedSources(block: any, base: string): Source[] {
    const sources: Source[] = [];
    const add = (kind: "cidr" | "prefix", key: string) =>
        asArray<string>(block?.[key]).forEach((c, j) => isKnown(c) && sources.push({ kind, value: c, property: `${base}${key}[${j}]` }));
    add("cidr", "cidrBlocks");
    add("cidr", "ipv6CidrBlocks");
    add("prefix", "prefixListIds");
    if (block?.self === true) {
        sources.push({ kind: "self", value: "self", property: `${base}self` });
    }
    return sources;
}

/** Ingress rules of a security group: its inline `ingress` blocks and the standalone rule resources pointing at it. */
export function ingressRulesOf(index: StackIndex, sg: Node, standalone: Node[]): IngressRule[] {
    const rules: IngressRule[] = [];
    const group = (from: Node, property: string, value: unknown, path: string): Source =>
        ({ kind: "group", ref: index.resolve(from, property, value, isSecurityGroup), property: path });
    if (!isUnknown(sg.props.ingress)) {
        asArray(sg.props.ingress).forEach((block, i) => {
            if (isUnknown(block)) {
                return;
            }
            const sources = listedSources(block, `ingress[${i}].`);
            asArray(block?.securityGroups).forEach((g, j) => sources.push(group(sg, "ingress", g, `ingress[${i}].securityGroups[${j}]`)));
            rules.push(new IngressRule(sg, block?.protocol, block?.fromPort, block?.toPort, sources));
        });
    }
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
            sources.push(group(r, "referencedSecurityGroupId", p.referencedSecurityGroupId, "referencedSecurityGroupId"));
        }
        rules.push(new IngressRule(r, p.ipProtocol, p.fromPort, p.toPort, sources));
    }
    for (const r of standalone.filter((x) => x.type === TOKENS.securityGroupRule)) {
        const p = r.props;
        const sources = listedSources(p, "");
        if (p.sourceSecurityGroupId !== undefined && p.sourceSecurityGroupId !== null) {
            sources.push(group(r, "sourceSecurityGroupId", p.sourceSecurityGroupId, "sourceSecurityGroupId"));
        }
        rules.push(new IngressRule(r, p.protocol, p.fromPort, p.toPort, sources));
    }
    return rules;
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
