/**
 * Deployability, network placement: where the load balancer, the interface endpoints and Fargate
 * tasks may go, and whether images can be pulled through a pull-through cache on a first deploy.
 */
import { Policies } from "@pulumi/policy";
import { LB_TOKENS, TOKENS } from "../shared/tokens";
import { asArray, describeResource, flag, isKnown, isToken, isUnknown, Node, stackRule, strings } from "../framework";
import { all, hasNatRoute, isPublicTable } from "./deploy-graph";

/** Smallest subnet an ALB accepts: a /27 with at least 8 free addresses (ALB user guide, "Subnets for your load balancer"). */
export const ALB_MIN_SUBNET_PREFIX = 27;

/**
 * Availability Zone names: region plus one letter (`us-east-1a`). Local Zones (`us-west-2-lax-1a`)
 * and Wavelength Zones (`us-east-1-wl1-bos-wlz-1`) carry a location segment after the region.
 */
const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

/** `"local"` for a Local or Wavelength Zone name, `"az"` for an Availability Zone, `undefined` when unknown. */
export function zoneKind(zone: unknown): "az" | "local" | undefined {
    if (typeof zone !== "string" || isUnknown(zone) || zone === "") {
        return undefined;
    }
    return AZ_NAME.test(zone) ? "az" : "local";
}

const PLACEMENTS = ["loadBalancer", "interfaceEndpoint", "fargate"] as const;
type Placement = (typeof PLACEMENTS)[number];


const WHY_LOCAL: { readonly [K in Placement]: string } = {
    loadBalancer: "an ALB needs subnets in at least two Availability Zones (ELBv2 CreateLoadBalancer) and is offered only in some Local Zones",
    interfaceEndpoint: "interface VPC endpoints are not listed among the services of AWS Local Zones",
    fargate: "Fargate does not run in Local Zones (the EKS user guide says so for Fargate; the Local Zones features list has no Fargate)",
};

function isFargate(svc: Node): boolean {
    return svc.props.launchType === "FARGATE" ||
        asArray(svc.props.capacityProviderStrategies).some((s) => typeof s?.capacityProvider === "string" && s.capacityProvider.startsWith("FARGATE"));
}

export const albSubnetsDeployable = stackRule({
    name: "alb-subnets-deployable",
    description: "Application load balancers go in subnets of at least /27 (ALB user guide, \"Subnets for your load balancer\": a /27 at least, with at least 8 free addresses), and the ALB, interface VPC endpoints and Fargate services in Availability Zone subnets, " +
        "not Local Zones or Wavelength Zones (zone names with a location segment, e.g. us-west-2-lax-1a): the ALB needs two Availability Zones (ELBv2 CreateLoadBalancer) and exists only in some Local Zones; Fargate does not run there " +
        "(EKS user guide, Local Zones); interface endpoints are not among the Local Zones services. allowLocalZonesFor accepts a deliberate Local Zone placement.",
    enforcementLevel: "advisory",
    severity: "high",
    onlyWith: TOKENS.subnet,
    reads: [...LB_TOKENS.loadBalancer, TOKENS.vpcEndpoint, TOKENS.ecsService, TOKENS.subnet],
    config: {
        // Placements allowed in Local/Wavelength Zone subnets.
        allowLocalZonesFor: strings("Placements accepted in Local Zone / Wavelength Zone subnets (loadBalancer, interfaceEndpoint, fargate), e.g. a Local Zone ALB deliberately built for one.",
            [], { type: "string", enum: [...PLACEMENTS] }),
    },
    check: ({ index, config, report }) => {
        const isSubnet = isToken(TOKENS.subnet);
        const placements: { owner: Node; prop: string; placement: Placement; subnets: Node[] }[] = [];
        for (const lb of index.ofKind("loadBalancer").filter((n) => (n.props.loadBalancerType ?? "application") === "application")) {
            const mapped = isUnknown(lb.props.subnetMappings) ? [] : asArray(lb.props.subnetMappings).map((m) => m?.subnetId);
            placements.push({ owner: lb, prop: "subnets", placement: "loadBalancer", subnets: [...all(index, lb, "subnets", lb.props.subnets, isSubnet), ...all(index, lb, "subnetMappings", mapped, isSubnet)] });
        }
        for (const ep of index.ofType(TOKENS.vpcEndpoint).filter((n) => n.props.vpcEndpointType === "Interface")) {
            placements.push({ owner: ep, prop: "subnetIds", placement: "interfaceEndpoint", subnets: all(index, ep, "subnetIds", ep.props.subnetIds, isSubnet) });
        }
        for (const svc of index.ofType(TOKENS.ecsService).filter(isFargate)) {
            const nc = isUnknown(svc.props.networkConfiguration) ? {} : (svc.props.networkConfiguration ?? {});
            placements.push({ owner: svc, prop: "networkConfiguration.subnets", placement: "fargate", subnets: all(index, svc, "networkConfiguration", nc.subnets, isSubnet) });
        }
        for (const p of placements) {
            for (const subnet of new Set(p.subnets)) {
                const cidr = subnet.props.cidrBlock;
                const prefix = typeof cidr === "string" && !isUnknown(cidr) ? Number(cidr.split("/")[1]) : NaN;
                if (p.placement === "loadBalancer" && prefix > ALB_MIN_SUBNET_PREFIX) {
                    report(subnet, {
                        property: "cidrBlock", value: cidr,
                        problem: `is smaller than the /${ALB_MIN_SUBNET_PREFIX} that ${describeResource(p.owner)} needs in each of its subnets (8 free addresses to scale)`,
                        fix: `give the load balancer's subnets a /${ALB_MIN_SUBNET_PREFIX} or larger (a larger VPC CIDR or another subnet layout)`,
                    });
                }
                const zone = subnet.props.availabilityZone;
                if (zoneKind(zone) === "local" && !config.allowLocalZonesFor.includes(p.placement)) {
                    report(subnet, {
                        property: "availabilityZone", value: zone,
                        problem: `is a Local Zone or Wavelength Zone, and ${describeResource(p.owner)} is placed there (${p.prop}): ${WHY_LOCAL[p.placement]}`,
                        fix: "use Availability Zone subnets only (getAvailabilityZones with the opt-in-status filter \"opt-in-not-required\"), or list the placement in allowLocalZonesFor",
                    });
                }
            }
        }
    },
});

// ------------------------------------------------------------------------------------------------
// ecr-pull-through-cache-needs-nat
// ------------------------------------------------------------------------------------------------

export const ecrPullThroughCacheNeedsNat = stackRule({
    name: "ecr-pull-through-cache-needs-nat",
    description: "An ECR pull-through cache rule in a stack whose private route tables have no NAT route cannot serve a first pull: ECR's user guide (\"Considerations for Amazon ECR VPC endpoints\") says the first pull of an image through a pull-through cache rule " +
        "over interface endpoints needs a NAT gateway route from the private subnets; later pulls do not. Set cacheSeeded when the images are already in the cache.",
    enforcementLevel: "advisory",
    severity: "high",
    onlyWith: TOKENS.ecrPullThroughCacheRule,
    reads: [TOKENS.ecrPullThroughCacheRule, TOKENS.routeTable, TOKENS.route],
    config: { cacheSeeded: flag(false, "Accept a NAT-less stack because every image is already cached (pulled once with NAT).") },
    check: ({ index, config, report }) => {
        const rules = index.ofType(TOKENS.ecrPullThroughCacheRule);
        if (rules.length === 0 || config.cacheSeeded) {
            return;
        }
        const privateTables = index.ofType(TOKENS.routeTable).filter((t) => !isUnknown(t.props.routes) && !isPublicTable(index, t));
        const nat = privateTables.map((t) => hasNatRoute(index, t));
        if (privateTables.length === 0 || !nat.every((x) => x === false)) {
            return;
        }
        for (const rule of rules) {
            report(rule, {
                property: "upstreamRegistryUrl", value: isKnown(rule.props.upstreamRegistryUrl) ? rule.props.upstreamRegistryUrl : undefined,
                problem: `is pulled through on first use, and none of the stack's private route tables (${privateTables.map((t) => describeResource(t)).join(", ")}) has a NAT route, which ECR needs for a first pull over interface endpoints`,
                fix: "add a NAT gateway route for image pulls, copy the images into a private repository of the account, or set cacheSeeded once the cache holds them",
            });
        }
    },
});

export const policies: Policies = [albSubnetsDeployable, ecrPullThroughCacheNeedsNat];
