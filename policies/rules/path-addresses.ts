/**
 * Public addresses on a load balancer's targets as the path rule reports them: an Elastic IP or EIP
 * association on a target or one of its network interfaces, and a subnet that gives the targets one
 * at launch (found by targets.ts from the entries of attachments.ts). A public address reaches the
 * target without the load balancer's TLS policy, mutual TLS and security groups.
 */
import { describeResource, isUnknown, Node, ViolationParts } from "../framework";
import { TOKENS } from "../shared/tokens";
import type { Attachment } from "./stack-graph";

/** A finding: the resources after what is registered on the way to it, and the violation. */
export interface AddressFinding {
    readonly hops: readonly Node[];
    readonly parts: ViolationParts & { readonly resource: Node };
}

const BYPASS = "the load balancer's TLS policy, mutual TLS and security groups";

/** The public addresses of `att`'s targets in `tg`, as findings. */
export function publicAddressFindings(tg: Node, att: Attachment): AddressFinding[] {
    const out: AddressFinding[] = [];
    for (const { by, property, value, subnet, launch, through } of att.subnetAddresses) {
        const choice = launch === by ? "associatePublicIpAddress is not set" : `${describeResource(launch)} does not set associatePublicIpAddress`;
        out.push({
            hops: through.filter((n) => n !== att.via),
            parts: {
                resource: by, property, value,
                problem: `launches targets of ${describeResource(tg)} into ${describeResource(subnet)}, whose mapPublicIpOnLaunch gives each of them a public IPv4 address while ${choice}; ` +
                    `the address reaches the targets without ${BYPASS}`,
                fix: `set associatePublicIpAddress to false${launch.type === TOKENS.launchTemplate ? " on the launch template's network interface (device index 0)" : ""}, or launch the targets into private subnets`,
            },
        });
    }
    for (const { by, property, target, through } of att.addresses) {
        const top = by.props[property.split(/[.[]/)[0]];
        out.push({
            hops: [...through, by],
            parts: {
                resource: by, property, value: isUnknown(top) ? top : top ?? undefined,
                problem: `gives ${describeResource(target)}, a target of ${describeResource(tg)}, a public IPv4 address, which reaches the target without ${BYPASS}`,
                fix: "do not attach an Elastic IP to a load balancer target: reach the targets only through the load balancer (and administer them through SSM Session Manager)",
            },
        });
    }
    return out;
}
