/**
 * What a target registered in a target group has, found by walking the entries of attachments.ts
 * from it: the security groups its traffic passes (its own, its launch template's or
 * configuration's, its network interfaces', those attached to them), the public addresses attached
 * to it or its interfaces, and the subnets that give it one at launch. Each comes with the
 * resources the walk went through, for the path a finding names. No findings are made here.
 */
import { asArray, asBoolean, isUnknown, Node, Ref, StackIndex } from "../framework";
import { TOKENS } from "../shared/tokens";
import { UNKNOWN } from "../shared/wire";
import { Join, JOINS, LAUNCH_CHOICE, LINKS, Link, PLACEMENTS, SUBNETS } from "./attachments";

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

/**
 * The values at `path` (`a.b`, `a[].b`) of `props`, each with where it sits (`a[1].b`), and
 * whether an unknown stood in the way (then the reference resolves through the top-level
 * property's dependencies). Absent: none. The last step may hold one value or a list of them, as
 * the resolver's `resolveAll` reads a property.
 */
function valuesAt(props: Record<string, any>, path: string): { top: string; values: unknown[]; at: string[]; unknown: boolean } {
    const steps = path.split(".");
    const top = steps[0].replace(/\[\]$/, "");
    let current: { value: unknown; at: string }[] = [{ value: props, at: "" }];
    let unknown = false;
    steps.forEach((step, i) => {
        const key = step.replace(/\[\]$/, "");
        const next: typeof current = [];
        for (const { value, at } of current) {
            const x = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
            const here = at === "" ? key : `${at}.${key}`;
            const items = (step.endsWith("[]") || i === steps.length - 1) && Array.isArray(x)
                ? x.map((item, j) => ({ value: item, at: `${here}[${j}]` }))
                : [{ value: x, at: here }];
            for (const item of items) {
                if (isUnknown(item.value)) {
                    unknown = true;
                } else if (item.value !== undefined && item.value !== null) {
                    next.push(item);
                }
            }
        }
        current = next;
    });
    return { top, values: current.map((c) => c.value), at: current.map((c) => c.at), unknown };
}

/** The security groups and public addresses of the targets of one stack, each target walked once. */
export class Targets {
    /** Per target (instance, network interface): the joining resources of attachments.ts that name it. */
    private readonly joinsOnto = new Map<Node, { join: Join; node: Node; property: string }[]>();
    private readonly linksFrom = new Map<string, Link[]>();
    private readonly reachCache = new Map<Node, Reach>();

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
        const { top, values, unknown } = valuesAt(from.props, path);
        const refs = values.map((v) => this.index.resolve(from, top, v, accept));
        return unknown ? [...refs, this.index.resolve(from, top, UNKNOWN, accept)] : refs;
    }

    /**
     * The subnets that give the instances `target` launches (itself, or the launch templates and
     * configurations it links to) a public IPv4 address, per attachments.ts PLACEMENTS: a subnet of
     * this stack whose `mapPublicIpOnLaunch` is known true, and a launch that leaves the choice to it.
     */
    subnetAddresses(target: Node): Omit<SubnetAddress, "through">[] {
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
        let found = this.reachCache.get(target);
        if (!found) {
            found = { groups: [], addresses: [] };
            this.walk(target, [], new Set([target]), found);
            this.reachCache.set(target, found);
        }
        return found;
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
