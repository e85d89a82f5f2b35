/**
 * Ingress permissions of a security group as the path rule reads them: inline `ingress` blocks,
 * `aws:vpc/securityGroupIngressRule` and `aws:ec2/securityGroupRule` of type ingress, each with
 * its sources (CIDRs, prefix lists, `self`, other groups resolved to nodes).
 */
import { TOKENS } from "../shared/tokens";
import { asArray, isKnown, isSecurityGroup, isUnknown, Node, Ref, StackIndex } from "../framework";

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
