import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface TierSecurityGroupsArgs {
    readonly vpcId: pulumi.Input<string>;
    /** CIDR of the VPC: where interface endpoints answer. */
    readonly vpcCidr: string;
    /** IPv4 CIDRs allowed to reach the load balancer on 443 and 80. No default. */
    readonly allowedCidrs: string[];
    /** Port of the tier's TLS terminator. No default. */
    readonly backendPort: number;
    /**
     * Whether private subnets have a NAT gateway. Without one, the tier's HTTPS egress is limited
     * to the VPC (interface endpoints) and the S3 gateway endpoint's prefix list. Defaults to false.
     */
    readonly natEgress?: boolean;
}

/**
 * Every network permission on the request path, in one place: clients reach the load balancer on
 * 443 (and 80, which only redirects); the load balancer reaches the tier on the backend port and
 * nowhere else; the tier accepts the backend port from the load balancer only, and reaches AWS
 * APIs over HTTPS. Rules are separate resources so neither group refers to the other inline.
 */
export class TierSecurityGroups extends pulumi.ComponentResource {
    public readonly loadBalancerGroupId: pulumi.Output<string>;
    public readonly tierGroupId: pulumi.Output<string>;
    /**
     * The tier group's ingress and egress rules and the load balancer's egress to the tier: the
     * provider strips AWS's default egress rule, so the tier must not boot before these exist.
     */
    public readonly tierRules: pulumi.Resource[];

    constructor(name: string, args: TierSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:network:TierSecurityGroups", name, {}, opts);
        const lb = new aws.ec2.SecurityGroup(`${name}-lb`, {
            vpcId: args.vpcId,
            description: "Load balancer: HTTPS and HTTP-redirect from clients, backend TLS to the tier",
            tags: { Name: `${name}-lb` },
        }, { parent: this });
        const tier = new aws.ec2.SecurityGroup(`${name}-tier`, {
            vpcId: args.vpcId,
            description: "Tier: backend TLS from the load balancer only",
            tags: { Name: `${name}-tier` },
        }, { parent: this });

        args.allowedCidrs.forEach((cidr, i) => {
            for (const port of [443, 80]) {
                new aws.vpc.SecurityGroupIngressRule(`${name}-lb-${port}-${i + 1}`, {
                    securityGroupId: lb.id,
                    description: port === 443 ? "HTTPS from clients" : "HTTP from clients, answered only with a redirect to HTTPS",
                    ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: cidr,
                }, { parent: this });
            }
        });
        const tierRules: pulumi.Resource[] = [];
        tierRules.push(new aws.vpc.SecurityGroupEgressRule(`${name}-lb-to-tier`, {
            securityGroupId: lb.id,
            description: "Backend TLS to the tier",
            ipProtocol: "tcp", fromPort: args.backendPort, toPort: args.backendPort,
            referencedSecurityGroupId: tier.id,
        }, { parent: this }));
        tierRules.push(new aws.vpc.SecurityGroupIngressRule(`${name}-tier-from-lb`, {
            securityGroupId: tier.id,
            description: "Backend TLS from the load balancer",
            ipProtocol: "tcp", fromPort: args.backendPort, toPort: args.backendPort,
            referencedSecurityGroupId: lb.id,
        }, { parent: this }));

        if (args.natEgress) {
            tierRules.push(new aws.vpc.SecurityGroupEgressRule(`${name}-tier-https-out`, {
                securityGroupId: tier.id,
                description: "HTTPS to AWS APIs and package mirrors through NAT",
                ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0",
            }, { parent: this }));
        } else {
            tierRules.push(new aws.vpc.SecurityGroupEgressRule(`${name}-tier-endpoints`, {
                securityGroupId: tier.id,
                description: "HTTPS to the VPC's interface endpoints",
                ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: args.vpcCidr,
            }, { parent: this }));
            const region = aws.getRegionOutput({}, { parent: this }).region;
            const s3 = aws.ec2.getManagedPrefixListOutput({ name: pulumi.interpolate`com.amazonaws.${region}.s3` }, { parent: this });
            tierRules.push(new aws.vpc.SecurityGroupEgressRule(`${name}-tier-s3`, {
                securityGroupId: tier.id,
                description: "HTTPS to S3 through the gateway endpoint (packages, image layers)",
                ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: s3.id,
            }, { parent: this }));
        }

        this.loadBalancerGroupId = lb.id;
        this.tierGroupId = tier.id;
        this.tierRules = tierRules;
        this.registerOutputs({ loadBalancerGroupId: this.loadBalancerGroupId, tierGroupId: this.tierGroupId });
    }
}
