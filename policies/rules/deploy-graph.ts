/**
 * The stack as the engine orders it, for the deployability rules: each resource's transitive
 * dependency closure (what it certainly waits for), and the links those rules follow that the path
 * rule's graph does not (roles, egress rules, subnets and their routes, VPC endpoints, secrets).
 * No findings are made here.
 *
 * The engine creates a resource once everything in its `dependencies` (input references and
 * `dependsOn`, as `AnalyzeStack` carries them) exists; nothing else orders creation. So "A waits
 * for B" holds exactly when B is in A's transitive closure.
 */
import { TOKENS } from "../shared/tokens";
import { asArray, is, isKnown, isSecurityGroup, isToken, isUnknown, Node, StackIndex } from "../framework";

/**
 * The shapes the boot rule reads through this module and its own check: compute and what it runs
 * with (task definitions, launch templates, roles and their policies, security groups and their
 * egress rules, subnets, route tables and routes, VPCs and their endpoints), secrets and their
 * versions, pull-through cache rules.
 */
export const BOOT_READS: readonly string[] = [
    TOKENS.autoscalingGroup, TOKENS.ecsService, TOKENS.instance, TOKENS.ecsTaskDefinition, TOKENS.launchTemplate,
    TOKENS.iamInstanceProfile, TOKENS.iamRole, TOKENS.iamRolePolicy, TOKENS.iamRolePolicyAttachment, TOKENS.iamPolicyAttachment,
    TOKENS.securityGroup, TOKENS.securityGroupEgressRule, TOKENS.securityGroupRule,
    TOKENS.subnet, TOKENS.routeTableAssociation, TOKENS.routeTable, TOKENS.route, TOKENS.vpc, TOKENS.vpcEndpoint,
    TOKENS.secretsManagerSecret, TOKENS.secretsManagerSecretVersion, TOKENS.ecrPullThroughCacheRule,
];

/** Transitive dependency closures, computed on demand and memoised per node. */
export class Closures {
    private readonly cache = new Map<Node, Set<Node>>();

    constructor(private readonly index: StackIndex) {}

    /** The closures of `index`, shared by every rule that reads them in one AnalyzeStack. */
    static shared(index: StackIndex): Closures {
        return index.derived(makeClosures);
    }

    /** Everything `n` waits for, directly or through others (not `n` itself). */
    of(n: Node): Set<Node> {
        const cached = this.cache.get(n);
        if (cached) {
            return cached;
        }
        const seen = new Set<Node>();
        const stack: Node[] = [n];
        while (stack.length > 0) {
            const cur = stack.pop()!;
            const done = cur !== n ? this.cache.get(cur) : undefined;
            if (done) {
                done.forEach((d) => seen.add(d));
                continue;
            }
            for (const dep of directDependencies(cur)) {
                const node = this.index.get(dep);
                if (node && node !== n && !seen.has(node)) {
                    seen.add(node);
                    stack.push(node);
                }
            }
        }
        this.cache.set(n, seen);
        return seen;
    }
}

function directDependencies(n: Node): string[] {
    const out = (n.res.dependencies ?? []).map((d) => d.urn);
    for (const deps of Object.values(n.res.propertyDependencies ?? {})) {
        out.push(...(deps ?? []).map((d) => d.urn));
    }
    return out;
}

const reverseCache = new WeakMap<StackIndex, Map<string, Map<Node, Node[]>>>();

/**
 * Nodes of `tokens` whose property `prop` refers to `target`, by value or dependency. The reverse
 * map is built once per stack, token set and property, so lookups stay linear in the stack size.
 */
export function referrers(index: StackIndex, tokens: readonly string[], prop: string, target: Node): Node[] {
    let maps = reverseCache.get(index);
    if (!maps) {
        maps = new Map();
        reverseCache.set(index, maps);
    }
    const key = `${tokens.join(",")}#${prop}`;
    let map = maps.get(key);
    if (!map) {
        map = StackIndex.invert(tokens.flatMap((t) => index.ofType(t)),
            (n) => index.resolveAll(n, prop, n.props[prop], () => true).flatMap((r) => r.nodes));
        maps.set(key, map);
    }
    return map.get(target) ?? [];
}

/** The first node `value` (under `prop` of `from`) names among `accept`, if any. */
export function one(index: StackIndex, from: Node, prop: string, value: unknown, accept: (n: Node) => boolean): Node | undefined {
    return value === undefined || value === null ? undefined : index.resolve(from, prop, value, accept).nodes[0];
}

/** Every node a (list) property names among `accept`. */
export function all(index: StackIndex, from: Node, prop: string, values: unknown, accept: (n: Node) => boolean): Node[] {
    return [...new Set(index.resolveAll(from, prop, values, accept).flatMap((r) => r.nodes))];
}

/** What a compute resource (ASG, ECS service, instance) runs with. */
export interface ComputeParts {
    readonly roles: Node[];
    readonly securityGroups: Node[];
    readonly subnets: Node[];
    /** The task definition or launch template the compute takes its settings from. */
    readonly template?: Node;
}

/** The roles, security groups and subnets of a compute resource, as far as the stack tells. */
export function computeParts(index: StackIndex, c: Node): ComputeParts {
    const roleOfProfile = (from: Node, prop: string, v: unknown) => {
        const profile = one(index, from, prop, v, isToken(TOKENS.iamInstanceProfile));
        const role = profile ? one(index, profile, "role", profile.props.role, isToken(TOKENS.iamRole)) : undefined;
        return role ? [role] : [];
    };
    const ltGroups = (lt: Node) => [
        ...all(index, lt, "vpcSecurityGroupIds", lt.props.vpcSecurityGroupIds, isSecurityGroup),
        ...asArray(lt.props.networkInterfaces).flatMap((ni) => all(index, lt, "networkInterfaces", ni?.securityGroups, isSecurityGroup)),
    ];
    if (c.type === TOKENS.ecsService) {
        const td = one(index, c, "taskDefinition", c.props.taskDefinition, isToken(TOKENS.ecsTaskDefinition));
        const nc = isUnknown(c.props.networkConfiguration) ? {} : (c.props.networkConfiguration ?? {});
        return {
            template: td,
            roles: td ? ["executionRoleArn", "taskRoleArn"].flatMap((p) => all(index, td, p, td.props[p], isToken(TOKENS.iamRole))) : [],
            securityGroups: all(index, c, "networkConfiguration", nc.securityGroups, isSecurityGroup),
            subnets: all(index, c, "networkConfiguration", nc.subnets, isToken(TOKENS.subnet)),
        };
    }
    if (c.type === TOKENS.autoscalingGroup) {
        const spec = c.props.launchTemplate;
        const lt = spec && !isUnknown(spec) ? one(index, c, "launchTemplate", spec.id ?? spec.name, isToken(TOKENS.launchTemplate)) : undefined;
        const profile = lt?.props.iamInstanceProfile;
        return {
            template: lt,
            roles: lt && profile && !isUnknown(profile) ? roleOfProfile(lt, "iamInstanceProfile", profile.arn ?? profile.name) : [],
            securityGroups: lt ? ltGroups(lt) : [],
            subnets: all(index, c, "vpcZoneIdentifiers", c.props.vpcZoneIdentifiers, isToken(TOKENS.subnet)),
        };
    }
    return {
        roles: roleOfProfile(c, "iamInstanceProfile", c.props.iamInstanceProfile),
        securityGroups: all(index, c, "vpcSecurityGroupIds", c.props.vpcSecurityGroupIds, isSecurityGroup),
        subnets: all(index, c, "subnetId", c.props.subnetId, isToken(TOKENS.subnet)),
    };
}

/** The compute resources the boot rule checks. */
export function computeNodes(index: StackIndex): Node[] {
    return [TOKENS.autoscalingGroup, TOKENS.ecsService, TOKENS.instance].flatMap((t) => index.ofType(t));
}

/** Policies and attachments that grant `role` its permissions. */
export function rolePolicies(index: StackIndex, role: Node): Node[] {
    return [
        ...referrers(index, [TOKENS.iamRolePolicy, TOKENS.iamRolePolicyAttachment], "role", role),
        ...referrers(index, [TOKENS.iamPolicyAttachment], "roles", role),
    ];
}

/** Standalone egress rules of a security group (the provider strips AWS's default egress rule). */
export function egressRules(index: StackIndex, sg: Node): Node[] {
    return [
        ...referrers(index, [TOKENS.securityGroupEgressRule], "securityGroupId", sg),
        ...referrers(index, [TOKENS.securityGroupRule], "securityGroupId", sg).filter((r) => r.props.type === "egress"),
    ];
}

/** Route-table associations of a subnet. */
export function subnetAssociations(index: StackIndex, subnet: Node): Node[] {
    return referrers(index, [TOKENS.routeTableAssociation], "subnetId", subnet);
}

/** Whether a route table has a route out of the VPC to the internet: true, false, or undefined (cannot tell). */
export function hasNatRoute(index: StackIndex, table: Node): boolean | undefined {
    if (isUnknown(table.props.routes)) {
        return undefined;
    }
    const routes = [...asArray(table.props.routes), ...referrers(index, [TOKENS.route], "routeTableId", table).map((r) => r.props)];
    let unknown = false;
    for (const r of routes) {
        if (isUnknown(r)) {
            unknown = true;
            continue;
        }
        for (const key of ["natGatewayId", "networkInterfaceId", "transitGatewayId"]) {
            if (r?.[key] !== undefined && r?.[key] !== null && r?.[key] !== "") {
                return true;
            }
        }
    }
    return unknown ? undefined : false;
}

/** Whether a route table sends 0.0.0.0/0 to an internet gateway (a public table). */
export function isPublicTable(index: StackIndex, table: Node): boolean {
    const routes = [...asArray(table.props.routes), ...referrers(index, [TOKENS.route], "routeTableId", table).map((r) => r.props)];
    return routes.some((r) => r?.cidrBlock === "0.0.0.0/0" || r?.destinationCidrBlock === "0.0.0.0/0"
        ? typeof r?.gatewayId === "string" && (r.gatewayId.startsWith("igw-") || isUnknown(r.gatewayId))
        : false);
}

/** The route tables the subnets are associated with. */
export function tablesOf(index: StackIndex, subnets: Node[]): Node[] {
    return [...new Set(subnets.flatMap((s) => subnetAssociations(index, s))
        .flatMap((a) => all(index, a, "routeTableId", a.props.routeTableId, isToken(TOKENS.routeTable))))];
}

/** The VPC a resource names in `vpcId`, or `undefined`. */
export function vpcOf(index: StackIndex, n: Node): Node | undefined {
    return one(index, n, "vpcId", n.props.vpcId, isToken(TOKENS.vpc));
}

/** VPC endpoints of a VPC. */
export function endpointsOf(index: StackIndex, vpc: Node): Node[] {
    return referrers(index, [TOKENS.vpcEndpoint], "vpcId", vpc);
}

/** Secrets Manager secret ARN without the JSON key / version suffix ECS accepts after it. */
export function secretArnOf(valueFrom: string): string | undefined {
    const parts = valueFrom.split(":");
    return parts[0] === "arn" && parts[2] === "secretsmanager" && parts.length >= 7 ? parts.slice(0, 7).join(":") : undefined;
}

/** Container definitions of a task definition as parsed JSON, or `undefined` when unknown or invalid. */
export function containerDefinitions(props: Record<string, any>): any[] | undefined {
    // Parsed once per properties object: several rules of one AnalyzeStack read each task definition.
    if (parsedDefinitions.has(props)) {
        return parsedDefinitions.get(props);
    }
    const raw = props.containerDefinitions;
    let definitions: any[] | undefined;
    if (isKnown(raw)) {
        try {
            const parsed = typeof raw === "string" ? JSON.parse(raw) : raw;
            definitions = Array.isArray(parsed) ? parsed : undefined;
        } catch {
            // Not JSON: no definitions to read.
        }
    }
    parsedDefinitions.set(props, definitions);
    return definitions;
}

const parsedDefinitions = new WeakMap<object, any[] | undefined>();

export { is, isToken };

function makeClosures(index: StackIndex): Closures {
    return new Closures(index);
}
