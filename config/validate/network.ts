import { parseCidr } from "../cidr";
import { NAT_GATEWAYS, StackConfig } from "../keys";
import { AreaValidator, ConfigError, intIn, key, oneOf, show } from "./check";

/**
 * The smallest VPC: network.ts cuts it into 16 equal blocks, and a load balancer subnet needs at
 * least a /27 with 8 free addresses ("Subnets for your load balancer",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html),
 * so the VPC needs at least a /23.
 */
const MAX_VPC_PREFIX = 23;

/** The VPC, its NAT gateways and who may reach the load balancer: azCount, vpcCidr, natGateways, allowedCidrs. */
export const validateNetwork: AreaValidator = (c: StackConfig) => {
    oneOf("natGateways", c.natGateways, NAT_GATEWAYS);
    intIn("azCount", c.azCount, 2, 6);
    const cidr = parseCidr(c.vpcCidr);
    if (!cidr || cidr.prefix < 16 || cidr.prefix > MAX_VPC_PREFIX) {
        const why = cidr && cidr.prefix > MAX_VPC_PREFIX
            ? `, which leaves the load balancer /${cidr.prefix + 4} subnets; it needs at least /27`
            : "";
        throw new ConfigError(`${key("vpcCidr")} is ${show(c.vpcCidr)}${why}. Use an IPv4 network address with a prefix from /16 to /${MAX_VPC_PREFIX}, e.g. "10.0.0.0/16".`);
    }

    if (c.allowedCidrs.length === 0) {
        throw new ConfigError(`${key("allowedCidrs")} is empty. Name at least one IPv4 CIDR, e.g. "0.0.0.0/0" for a public service.`);
    }
    const seen = new Set<string>();
    for (const a of c.allowedCidrs) {
        if (typeof a !== "string" || !parseCidr(a)) {
            throw new ConfigError(`${key("allowedCidrs")} has ${show(a)}. Use IPv4 network addresses such as "203.0.113.0/24".`);
        }
        // Each CIDR becomes an ingress rule per port; EC2 refuses a second rule with the same
        // peer, protocol and ports (AuthorizeSecurityGroupIngress: InvalidPermission.Duplicate,
        // "the specified rule ... already exists"; terraform-provider-aws#2587).
        if (seen.has(a)) {
            throw new ConfigError(`${key("allowedCidrs")} has ${show(a)} twice. Name each CIDR once: EC2 refuses a duplicate security group rule.`);
        }
        seen.add(a);
    }
};
