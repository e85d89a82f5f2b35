/**
 * How an Auto Scaling group's instances reach an AWS service's API, read from the recorded
 * resources: through a NAT gateway on the route tables of their subnets, or through an interface
 * endpoint of that service in their VPC with private DNS (which makes the regional name,
 * `<service>.<region>.amazonaws.com`, resolve to the endpoint:
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html). The
 * preview prints only a route these resources provide, as the stack would build it.
 */
import { endpointService, ResourceGraph, ResourceLike } from "./graph";
import { TOKENS } from "../../policies/shared/tokens";

export interface ServiceRoute {
    /** "the interface endpoint web-sns" or "NAT gateway web-nat-1"; undefined: no route. */
    readonly via?: string;
}

/** The route from `group`'s subnets to `service` (an endpoint service suffix such as "sns"). */
export function routeToService(g: ResourceGraph, group: ResourceLike, service: string): ServiceRoute {
    const subnets = g.refs(group, "vpcZoneIdentifiers", TOKENS.subnet);
    const vpcs = new Set(subnets.flatMap(s => g.refs(s, "vpcId", TOKENS.vpc)));
    const endpoint = g.ofType(TOKENS.vpcEndpoint).find(e => e.inputs.vpcEndpointType === "Interface"
        && e.inputs.privateDnsEnabled === true
        && endpointService(e.inputs.serviceName) === service
        && g.refs(e, "vpcId", TOKENS.vpc).some(v => vpcs.has(v)));
    if (endpoint) return { via: `the interface endpoint ${endpoint.name}` };
    // Every subnet of the group needs its own default route through NAT: an instance in a subnet
    // without one has no way out.
    const natsOf = (subnet: ResourceLike) => g.ofType(TOKENS.routeTableAssociation)
        .filter(a => g.refs(a, "subnetId", TOKENS.subnet).includes(subnet))
        .flatMap(a => g.refs(a, "routeTableId", TOKENS.routeTable))
        .filter(t => (t.inputs.routes ?? []).some((route: any) => route.cidrBlock === "0.0.0.0/0" && route.natGatewayId))
        .flatMap(t => g.refs(t, "routes", TOKENS.natGateway));
    const perSubnet = subnets.map(natsOf);
    if (subnets.length === 0 || perSubnet.some(n => n.length === 0)) return {};
    const names = [...new Set(perSubnet.flat().map(n => n.name))].sort();
    return { via: `NAT gateway${names.length > 1 ? "s" : ""} ${names.join(", ")}` };
}
