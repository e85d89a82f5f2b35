/**
 * The end-to-end rule: follow every load balancer's request path through the whole stack,
 * listener → actions and listener rules → target groups → what is registered in them → the
 * targets' security groups and their ingress rules, and report each hop that is not TLS, each
 * target security group that admits the backend port from anywhere but the load balancer, and
 * each verify-mode listener whose trust store is not in the stack.
 *
 * References are resolved by value (ARNs and ids in the resources' state) and, where a value is
 * unknown during preview, by the resource's `propertyDependencies` for that property.
 */
import { Policies, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    asArray, configOf, ConfigProperty, describeResource, isKnown, isType, isUnknown, LB_TOKENS, LbKind, raw, schemaWithDefaults,
    TOKENS, upper, violation, ViolationParts,
} from "./common";
import { listenerProtocol } from "./listeners";
import { mtlsMode } from "./mtls";
import { sslPolicyInfo } from "./ssl-policies";
import { targetGroupProtocol } from "./target-groups";

/** One resource of the stack with its plain properties. */
interface Node {
    readonly res: PolicyResource;
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, any>;
}

/** Config of the path rule. */
export interface PathConfig {
    allowedSourceCidrs: string[];
    allowSelfReference: boolean;
    allowExternalTrustStores: boolean;
    allowTcpPassthrough: boolean;
}

export const PATH_DEFAULTS: PathConfig = {
    allowedSourceCidrs: [],
    allowSelfReference: false,
    allowExternalTrustStores: false,
    allowTcpPassthrough: false,
};

const PATH_SCHEMA: { readonly [K in keyof PathConfig]: ConfigProperty } = {
    allowedSourceCidrs: {
        type: "array",
        items: { type: "string" },
        description: "CIDRs a target security group may admit the backend port from besides the load balancer's security groups (e.g. a Network Load Balancer's subnets).",
    },
    allowSelfReference: { type: "boolean", description: "Accept target security groups that admit the backend port from themselves (peer targets)." },
    allowExternalTrustStores: { type: "boolean", description: "Accept verify-mode listeners whose trust store is managed outside this stack." },
    allowTcpPassthrough: { type: "boolean", description: "Treat TCP listeners and target groups as TLS pass-through rather than plaintext." },
};

/** The stack's resources, indexed by kind, by URN and by the ids and ARNs other resources quote. */
class StackIndex {
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
interface Ref {
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

const is = (kind: LbKind) => (n: Node) => isType(n.type, kind);
const isSecurityGroup = (n: Node) => n.type === TOKENS.securityGroup;

/** A hop as it reads in a path. */
function hop(n: Node, detail?: string): string {
    return detail ? `${describeResource(n)} (${detail})` : describeResource(n);
}

function listenerDetail(n: Node): string {
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

function targetGroupDetail(n: Node): string {
    const protocol = targetGroupProtocol(n.props) ?? "protocol unknown";
    const port = isKnown(n.props.port) ? `:${n.props.port}` : "";
    const hc = upper(n.props.healthCheck?.protocol) ?? (protocol === "TLS" || protocol === "TCP" ? "TCP" : "HTTP");
    return `${protocol}${port}, health check ${hc}`;
}

/** Target group ARNs an action forwards to, with the property path each came from. */
function forwardTargets(action: any, base: string): { path: string; value: unknown }[] {
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

/** Something registered in a target group, with the security groups its targets run in. */
interface Attachment {
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

class PathWalker {
    private readonly seen = new Set<string>();
    // Reverse references, computed once: the walk goes against the direction resources point.
    private readonly listenersByLb: Map<Node, Node[]>;
    private readonly rulesByListener: Map<Node, Node[]>;
    private readonly asgsByTg: Map<Node, Node[]>;
    private readonly asgAttachmentsByTg: Map<Node, Node[]>;
    private readonly servicesByTg: Map<Node, Node[]>;
    private readonly tgAttachmentsByTg: Map<Node, Node[]>;
    private readonly standaloneIngressBySg: Map<Node, Node[]>;
    private readonly ingressCache = new Map<Node, IngressRule[]>();

    constructor(
        private readonly index: StackIndex,
        private readonly config: PathConfig,
        private readonly report: (message: string, urn: string) => void,
    ) {
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

    private finding(path: string[], parts: ViolationParts, urn: string): void {
        const message = `${path.join(" → ")} ✗\n${violation(parts)}`;
        if (!this.seen.has(message)) {
            this.seen.add(message);
            this.report(message, urn);
        }
    }

    private plaintext(protocol: string | undefined): boolean {
        if (protocol === undefined) {
            return false;
        }
        if (protocol === "TCP" && this.config.allowTcpPassthrough) {
            return false;
        }
        return protocol !== "HTTPS" && protocol !== "TLS";
    }

    walk(): void {
        for (const lb of this.index.ofKind("loadBalancer")) {
            const lbSgs = this.index.resolveAll(lb, "securityGroups", lb.props.securityGroups, isSecurityGroup);
            const lbListeners = this.listenersByLb.get(lb) ?? [];
            this.checkListenerSet(lb, lbListeners);
            for (const listener of lbListeners) {
                const path = [hop(lb), hop(listener, listenerDetail(listener))];
                this.checkTrustStore(path, listener);
                asArray(isUnknown(listener.props.defaultActions) ? [] : listener.props.defaultActions).forEach((action, i) => {
                    this.followAction(path, listener, listener, "defaultActions", `defaultActions[${i}]`, action, lbSgs);
                });
                for (const rule of this.rulesByListener.get(listener) ?? []) {
                    asArray(rule.props.actions).forEach((action, i) => {
                        const rulePath = [...path, hop(rule, isUnknown(action?.type) ? "action unknown" : String(action?.type))];
                        this.followAction(rulePath, listener, rule, "actions", `actions[${i}]`, action, lbSgs);
                    });
                }
            }
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
            }, nonFips[0].l.urn);
        }
        const verify = secure.filter((l) => mtlsMode(l.props) === "verify");
        if (verify.length > 2) {
            this.finding([hop(lb)], {
                resource: verify[2],
                property: "mutualAuthentication.mode",
                value: "verify",
                problem: `makes ${verify.length} verify-mode listeners on one load balancer; AWS allows 2 (hard quota)`,
                fix: "verify client certificates on at most two listeners per load balancer",
            }, verify[2].urn);
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
        }, listener.urn);
    }

    private followAction(path: string[], listener: Node, owner: Node, topProperty: string, base: string, action: any, lbSgs: Ref[]): void {
        if (isUnknown(action) || isUnknown(action?.type)) {
            return;
        }
        const targets = forwardTargets(action, base);
        if (targets.length === 0) {
            return;
        }
        const listenerProto = listenerProtocol(listener.props);
        for (const t of targets) {
            const ref = this.index.resolve(owner, topProperty, t.value, is("targetGroup"));
            for (const tg of ref.nodes) {
                const tgPath = [...path, hop(tg, targetGroupDetail(tg))];
                if (this.plaintext(listenerProto)) {
                    this.finding(tgPath, {
                        resource: owner,
                        property: owner === listener ? "protocol" : `${base}.type`,
                        value: owner === listener ? (listener.props.protocol ?? undefined) : action.type,
                        problem: owner === listener
                            ? `makes clients send requests to ${describeResource(tg)} in plaintext`
                            : `forwards plaintext requests from an ${listenerProto} listener to ${describeResource(tg)}`,
                        fix: "serve HTTPS on the listener and keep HTTP only as a single redirect to HTTPS",
                    }, owner.urn);
                }
                this.followTargetGroup(tgPath, tg, lbSgs);
            }
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
            }, tg.urn);
        }
        const hc = tg.props.healthCheck;
        if (protocol !== undefined && !isUnknown(hc) && !isUnknown(hc?.protocol) && hc?.enabled !== false) {
            const hcProtocol = upper(hc?.protocol) ?? (protocol === "TLS" || protocol === "TCP" ? "TCP" : "HTTP");
            if (hcProtocol === "HTTP") {
                this.finding(path, {
                    resource: tg,
                    property: "healthCheck.protocol",
                    value: hc?.protocol,
                    problem: "sends the health checks to the targets in plaintext HTTP (the ALB default)",
                    fix: 'set healthCheck.protocol to "HTTPS"',
                }, tg.urn);
            }
        }
        for (const att of this.attachments(tg)) {
            this.checkTargetSecurityGroups([...path, hop(att.via), ...att.through.map((n) => hop(n))], att, lbSgs);
        }
    }

    /** Everything registered in `tg`: Auto Scaling groups, ECS services, direct attachments. */
    private attachments(tg: Node): Attachment[] {
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

    private checkTargetSecurityGroups(path: string[], att: Attachment, lbSgs: Ref[]): void {
        if (!att.securityGroups || att.ports.length === 0) {
            return;
        }
        const lbGroupNodes = new Set(lbSgs.flatMap((r) => r.nodes));
        const lbGroupIds = new Set(lbSgs.map((r) => r.value).filter((v): v is string => typeof v === "string" && !isUnknown(v)));
        if (lbGroupNodes.size === 0 && lbGroupIds.size === 0) {
            return; // A load balancer without security groups (NLB): nothing to compare with.
        }
        const lbNames = [...lbGroupNodes].map((n) => describeResource(n)).join(", ") || [...lbGroupIds].join(", ");
        const targetGroups = new Set(att.securityGroups.flatMap((r) => r.nodes));
        for (const sg of targetGroups) {
            for (const rule of this.ingressRules(sg)) {
                for (const port of att.ports) {
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
                        if (ok) {
                            continue;
                        }
                        this.finding([...path, hop(sg)], {
                            resource: rule.owner,
                            property: source.property,
                            value: source.kind === "group" ? source.ref.value : source.kind === "self" ? true : source.value,
                            problem: `admits the backend port ${port} to ${describeResource(sg)} from outside the load balancer's security group (${lbNames})`,
                            fix: `admit port ${port} only from the load balancer's security group (referencedSecurityGroupId / sourceSecurityGroupId / securityGroups)`,
                        }, rule.owner.urn);
                    }
                }
            }
        }
    }

    /** Ingress rules of a security group: its inline `ingress` blocks and the standalone rule resources. */
    private ingressRules(sg: Node): IngressRule[] {
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

type Source =
    | { kind: "cidr" | "prefix" | "self"; value: string; property: string }
    | { kind: "group"; ref: Ref; property: string };

/** One ingress permission: protocol, port range, and where traffic may come from. */
class IngressRule {
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

/** The end-to-end TLS path policy. */
export const e2eTlsPath: StackValidationPolicy = {
    name: "alb-end-to-end-tls-path",
    description: "Every request path is TLS from client to target, checked across resources: load balancer → listener → listener rules and actions → target group → Auto Scaling group / ECS service / attachment → the targets' security groups. " +
        "Reports each plaintext hop, target security groups that admit the backend port from anywhere but the load balancer's security groups, verify-mode listeners whose trust store is not in the stack, and FIPS/non-FIPS mixes on one load balancer.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schemaWithDefaults(PATH_DEFAULTS, PATH_SCHEMA),
    remediationSteps: "Follow the reported path: make each ✗ hop HTTPS/TLS and restrict the target security group's backend port to the load balancer's security group.",
    validateStack: (args, reportViolation) => {
        const index = new StackIndex(args.resources);
        const config = configOf(args, PATH_DEFAULTS);
        new PathWalker(index, config, (message, urn) => reportViolation(message, urn)).walk();
    },
};

export const policies: Policies = [e2eTlsPath];
