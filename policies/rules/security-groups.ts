/**
 * Security group rule: from the whole internet (any `/0` range, IPv4 or IPv6, CIDRs that cover the
 * whole space together, or a managed prefix list whose entries are not reviewed) only TCP on the
 * allowed web ports (80 for the redirect, 443 for HTTPS) may come in. It reads the three ways a
 * Pulumi program writes ingress: inline `ingress` blocks (also on the default security group),
 * `aws.ec2.SecurityGroupRule` of type `ingress`, and `aws.vpc.SecurityGroupIngressRule`.
 *
 * A range is judged as a whole: `fromPort: 0, toPort: 1024` opens 1,023 more ports than 80 and 443
 * even though it "includes" them. Protocol `-1` (all) opens everything, and so does any protocol
 * other than TCP, UDP, ICMP and ICMPv6, for which AWS ignores the ports.
 */
import { Policies } from "@pulumi/policy";
import { TOKENS } from "../shared/tokens";
import { asArray, asNumber, isKnown, isUnknown, param, resourceRule, securityHub, strings } from "../framework";
import { coversWholeSpace } from "./cidr";

/** One ingress permission, however the program wrote it. */
interface Ingress {
    /** Where it sits, e.g. `ingress[2]`, or "" for a rule resource. */
    readonly path: string;
    readonly protocolProperty: string;
    readonly protocol: unknown;
    readonly fromPort: unknown;
    readonly toPort: unknown;
    /** Source ranges with the property that holds each. */
    readonly sources: { property: string; cidr: unknown }[];
    /** Managed prefix lists the rule admits, with the property that holds each. */
    readonly prefixLists: { property: string; id: unknown }[];
}

/** The IPv4 and IPv6 source lists of an inline block or an `aws:ec2/securityGroupRule`. */
function cidrListSources(r: any): Ingress["sources"] {
    return ["cidrBlocks", "ipv6CidrBlocks"].flatMap((key) =>
        (isUnknown(r[key]) ? [] : asArray(r[key])).map((cidr, j) => ({ property: `${key}[${j}]`, cidr })));
}

/** The `prefixListIds` of an inline block or an `aws:ec2/securityGroupRule`. */
function prefixListSources(r: any): Ingress["prefixLists"] {
    return (isUnknown(r.prefixListIds) ? [] : asArray(r.prefixListIds)).map((id, j) => ({ property: `prefixListIds[${j}]`, id }));
}

function ingressOf(type: string, props: Record<string, any>): Ingress[] | undefined {
    if (type === TOKENS.securityGroup || type === TOKENS.defaultSecurityGroup) {
        if (isUnknown(props.ingress)) {
            return undefined;
        }
        return asArray(props.ingress).filter((r) => r && typeof r === "object").map((r: any, i) => ({
            path: `ingress[${i}]`, protocolProperty: "protocol", protocol: r.protocol, fromPort: r.fromPort, toPort: r.toPort, sources: cidrListSources(r), prefixLists: prefixListSources(r),
        }));
    }
    if (type === TOKENS.securityGroupRule) {
        if (props.type !== "ingress") {
            return undefined; // egress, or unknown until apply
        }
        return [{ path: "", protocolProperty: "protocol", protocol: props.protocol, fromPort: props.fromPort, toPort: props.toPort, sources: cidrListSources(props), prefixLists: prefixListSources(props) }];
    }
    return [{
        path: "",
        protocolProperty: "ipProtocol",
        protocol: props.ipProtocol,
        fromPort: props.fromPort,
        toPort: props.toPort,
        sources: [{ property: "cidrIpv4", cidr: props.cidrIpv4 }, { property: "cidrIpv6", cidr: props.cidrIpv6 }],
        prefixLists: [{ property: "prefixListId", id: props.prefixListId }],
    }];
}

/** Any `/0` range, however the address is written (`0.0.0.0/0`, `::/0`, `0:0::/0`). */
export function isWorldCidr(cidr: unknown): cidr is string {
    return typeof cidr === "string" && !isUnknown(cidr) && /\/0+$/.test(cidr.trim());
}

/**
 * The sources through which a rule admits the internet, and how a message names them: any `/0`;
 * CIDRs that together cover the whole IPv4 or IPv6 space; or managed prefix lists not in `trusted`,
 * whose entries the pack cannot see (a prefix list can hold 0.0.0.0/0). `undefined` otherwise.
 */
function internetSources(rule: Ingress, trusted: readonly string[], siblings: readonly string[]): { sources: { property: string; cidr: unknown }[]; text: string; fix: string } | undefined {
    const world = rule.sources.filter((s) => isWorldCidr(s.cidr));
    const known = knownCidrs(rule);
    const sources = world.length > 0 ? world : coversWholeSpace(known.map((s) => s.cidr)) ? known : [];
    if (sources.length > 0) {
        return { sources, text: `the whole internet (${sources.map((s) => s.cidr).join(", ")})`, fix: "" };
    }
    if (known.length > 0 && siblings.length > known.length && coversWholeSpace(siblings)) {
        return { sources: known, text: `the whole internet together with the other blocks for the same ports (${siblings.join(", ")})`, fix: "" };
    }
    const lists = rule.prefixLists.filter((p): p is { property: string; id: string } => typeof p.id === "string" && p.id !== "" && !isUnknown(p.id) && !trusted.includes(p.id));
    return lists.length === 0 ? undefined : {
        sources: lists.map((p) => ({ property: p.property, cidr: p.id })),
        text: `prefix list ${lists.map((p) => p.id).join(", ")}, whose entries the pack cannot see`,
        fix: ", or list a reviewed prefix list in trustedPrefixListIds",
    };
}

function knownCidrs(rule: Ingress): { property: string; cidr: string }[] {
    return rule.sources.filter((s): s is { property: string; cidr: string } => typeof s.cidr === "string" && !isUnknown(s.cidr));
}

/**
 * The CIDRs of all of a group's inline blocks with the same protocol and ports, for the first block
 * of each such set (the one a finding is reported on); other blocks get none, so a set that covers
 * the internet only together is one finding.
 */
function siblingCidrs(rules: readonly Ingress[]): Map<Ingress, string[]> {
    const byKey = new Map<string, Ingress[]>();
    for (const r of rules) {
        const key = `${String(r.protocol).toLowerCase()}|${asNumber(r.fromPort)}|${asNumber(r.toPort)}`;
        byKey.set(key, [...(byKey.get(key) ?? []), r]);
    }
    const out = new Map<Ingress, string[]>();
    for (const group of byKey.values()) {
        const first = group.find((r) => knownCidrs(r).length > 0);
        if (first) {
            out.set(first, group.flatMap((r) => knownCidrs(r).map((s) => s.cidr)));
        }
    }
    return out;
}

type ProtocolClass = "all" | "tcp" | "other";

/** AWS accepts names or IANA numbers; `-1`/`all` is every protocol. */
function classify(protocol: string): ProtocolClass {
    const p = protocol.trim().toLowerCase();
    if (p === "-1" || p === "all") {
        return "all";
    }
    if (p === "tcp" || p === "6") {
        return "tcp";
    }
    return "other";
}

/** The ports of [from, to] that are not in `allowed`, as compact ranges (`0-79, 81-442, 444-65535`). */
export function portsBeyond(from: number, to: number, allowed: readonly number[]): string[] {
    const inside = [...new Set(allowed)].filter((p) => p >= from && p <= to).sort((a, b) => a - b);
    const ranges: string[] = [];
    let start = from;
    for (const port of [...inside, to + 1]) {
        if (port > start) {
            ranges.push(port - 1 === start ? `${start}` : `${start}-${port - 1}`);
        }
        start = port + 1;
    }
    return ranges;
}

export const securityGroupWorldIngressWebPortsOnly = resourceRule({
    name: "security-group-world-ingress-web-ports-only",
    description: "Security groups may open only TCP 80 and 443 to the internet (0.0.0.0/0, ::/0, any /0): " +
        "everything else (SSH, the backend's TLS port, all-protocol or UDP rules, ranges spanning the web " +
        "ports) must come from a security group or a known range.",
    enforcementLevel: "mandatory",
    severity: "high",
    control: securityHub("EC2.18", "Security groups should only allow unrestricted incoming traffic for authorized ports"),
    appliesTo: [TOKENS.securityGroup, TOKENS.defaultSecurityGroup, TOKENS.securityGroupRule, TOKENS.securityGroupIngressRule],
    config: {
        allowedWorldPorts: param([80, 443], {
            type: "array",
            items: { type: "integer", minimum: 0, maximum: 65535 },
            description: "TCP ports that may be open to the whole internet.",
        }),
        trustedPrefixListIds: strings("Managed prefix list IDs whose entries are reviewed (no public ranges); any other prefix list counts as the internet."),
    },
    check: ({ resource, props, config, report }) => {
        const rules = ingressOf(resource.type, props);
        if (!rules) {
            return;
        }
        const { allowedWorldPorts } = config;
        const allowedText = allowedWorldPorts.length > 0 ? `TCP ${allowedWorldPorts.join(", ")}` : "nothing";
        const siblings = siblingCidrs(rules);
        for (const rule of rules) {
            const internet = internetSources(rule, config.trustedPrefixListIds, siblings.get(rule) ?? []);
            if (!internet || isUnknown(rule.protocol) || !isKnown(rule.protocol)) {
                continue;
            }
            const protocol = String(rule.protocol);
            const kind = classify(protocol);
            let opened: string | undefined;
            if (kind === "all") {
                opened = "every protocol and port";
            } else if (kind === "other") {
                opened = `every port of protocol "${protocol}"`;
            } else {
                if (isUnknown(rule.fromPort) || isUnknown(rule.toPort)) {
                    continue;
                }
                // A TCP rule without ports is read as the full range: never assume the narrow case.
                const from = asNumber(rule.fromPort) ?? 0;
                const to = asNumber(rule.toPort) ?? 65535;
                const beyond = portsBeyond(Math.min(from, to), Math.max(from, to), allowedWorldPorts);
                if (beyond.length > 0) {
                    opened = `TCP ${beyond.length === 1 && !beyond[0].includes("-") ? "port" : "ports"} ${beyond.join(", ")}`;
                }
            }
            if (opened) {
                const summary: Record<string, unknown> = {
                    [rule.protocolProperty]: rule.protocol,
                    fromPort: rule.fromPort,
                    toPort: rule.toPort,
                };
                for (const source of internet.sources) {
                    summary[source.property] = source.cidr;
                }
                report({
                    property: rule.path || "the rule",
                    about: internet.sources.map((source) => rule.path ? `${rule.path}.${source.property}` : source.property),
                    value: summary,
                    problem: `opens ${opened} to ${internet.text}`,
                    fix: `open only ${allowedText} to a /0 range; take other traffic from a security group ` +
                        `(referencedSecurityGroupId, sourceSecurityGroupId or securityGroups) or a narrow CIDR${internet.fix}`,
                });
            }
        }
    },
});

export const policies: Policies = [securityGroupWorldIngressWebPortsOnly];
