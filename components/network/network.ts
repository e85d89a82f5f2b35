import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { hasNatRoute, NatGateways } from "../../config/keys";
import { parseCidr } from "../../config/cidr";
import { SubnetTier, TAG } from "../facts";

export interface NetworkArgs {
    /** IPv4 CIDR of the VPC, /16 to /24. No default. */
    readonly cidr: string;
    /** Availability Zones to span, at least 2; the first N the region reports. No default. */
    readonly azCount: number;
    /** NAT gateways for the private subnets. Defaults to "none". */
    readonly natGateways?: NatGateways;
    /**
     * AWS services the tier reaches through interface endpoints (e.g. "secretsmanager",
     * "ecr.api"). Created only when natGateways is "none": with NAT the tier reaches them over
     * the internet through TLS, and each endpoint costs about $7 a month per AZ. Defaults to none.
     */
    readonly interfaceEndpoints?: string[];
    /** VPC flow logs to CloudWatch Logs. Defaults to false. */
    readonly flowLogs?: boolean;
    /** Retention of the flow-log group, in days. Defaults to 30. */
    readonly logRetentionDays?: number;
}

/**
 * A VPC with a public and a private subnet in each AZ. The load balancer lives in the public
 * subnets; the tier lives in the private ones and reaches AWS through an S3 gateway endpoint
 * (free; also serves the Amazon Linux package repositories) and, without NAT, interface endpoints.
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly privateSubnetIds: pulumi.Output<string>[];
    /** Route tables of the private subnets, one per AZ. */
    public readonly privateRouteTableIds: pulumi.Output<string>[];
    /**
     * What the tier needs to reach AWS at boot: the private route tables (with their NAT routes)
     * and associations, the S3 gateway endpoint and the interface endpoints.
     */
    public readonly tierPaths: pulumi.Resource[];
    /** The AZs spanned, in subnet order. */
    public readonly availabilityZones: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:network:Network", name, {}, opts);
        const natMode = args.natGateways ?? "none";
        const subnets = subnetCidrs(args.cidr, args.azCount);
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        // Availability Zones only. By default the look-up also lists the Local Zones the account
        // opted into, sorted by name so that they come first ("us-east-1-bos-1a" < "us-east-1a";
        // TF internal/service/ec2/ec2_availability_zones_data_source.go), and the ALB, interface
        // endpoints or Fargate may not be offered there. AZs always report "opt-in-not-required"
        // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AvailabilityZone.html); the
        // provider's getAvailabilityZones docs give this filter for "Only Availability Zones".
        const zones = aws.getAvailabilityZonesOutput({
            state: "available",
            filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
        }, { parent: this }).names.apply(names => {
            if (names.length < args.azCount) {
                throw new pulumi.ResourceError(`e2e-tls:azCount is ${args.azCount}, but the region has ${names.length} available zones. Use at most ${names.length}.`, this);
            }
            return names.slice(0, args.azCount);
        });

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: args.cidr,
            enableDnsHostnames: true, // interface endpoints' private DNS needs both
            enableDnsSupport: true,
            tags: { Name: `${name}-vpc` },
        }, { parent: this });

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: `${name}-igw` } }, { parent: this });
        const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
            tags: { Name: `${name}-public` },
        }, { parent: this });

        const publicSubnets: aws.ec2.Subnet[] = [];
        const privateSubnets: aws.ec2.Subnet[] = [];
        for (let i = 0; i < args.azCount; i++) {
            const az = zones.apply(z => z[i]);
            const pub = new aws.ec2.Subnet(`${name}-public-${i + 1}`, {
                vpcId: vpc.id, cidrBlock: subnets.public[i], availabilityZone: az,
                mapPublicIpOnLaunch: false, // only the load balancer lives here, and it gets its own addresses
                tags: { Name: `${name}-public-${i + 1}`, [TAG.tier]: "public" satisfies SubnetTier },
            }, { parent: this });
            new aws.ec2.RouteTableAssociation(`${name}-public-${i + 1}`, { subnetId: pub.id, routeTableId: publicRoutes.id }, { parent: this });
            publicSubnets.push(pub);
            privateSubnets.push(new aws.ec2.Subnet(`${name}-private-${i + 1}`, {
                vpcId: vpc.id, cidrBlock: subnets.private[i], availabilityZone: az,
                mapPublicIpOnLaunch: false,
                tags: { Name: `${name}-private-${i + 1}`, [TAG.tier]: "private" satisfies SubnetTier },
            }, { parent: this }));
        }

        const natIds: pulumi.Output<string>[] = [];
        const natCount = natMode === "none" ? 0 : natMode === "single" ? 1 : args.azCount;
        for (let i = 0; i < natCount; i++) {
            const eip = new aws.ec2.Eip(`${name}-nat-${i + 1}`, { domain: "vpc", tags: { Name: `${name}-nat-${i + 1}` } }, { parent: this });
            natIds.push(new aws.ec2.NatGateway(`${name}-nat-${i + 1}`, {
                allocationId: eip.id, subnetId: publicSubnets[i].id, tags: { Name: `${name}-nat-${i + 1}` },
            }, { parent: publicSubnets[i], dependsOn: [igw] }).id);
        }

        const tierPaths: pulumi.Resource[] = [];
        const privateRoutes = privateSubnets.map((subnet, i) => {
            const table = new aws.ec2.RouteTable(`${name}-private-${i + 1}`, {
                vpcId: vpc.id,
                routes: natIds.length > 0 ? [{ cidrBlock: "0.0.0.0/0", natGatewayId: natIds[Math.min(i, natIds.length - 1)] }] : [],
                tags: { Name: `${name}-private-${i + 1}` },
            }, { parent: this });
            tierPaths.push(table, new aws.ec2.RouteTableAssociation(`${name}-private-${i + 1}`, { subnetId: subnet.id, routeTableId: table.id }, { parent: this }));
            return table;
        });

        tierPaths.push(new aws.ec2.VpcEndpoint(`${name}-s3`, {
            vpcId: vpc.id,
            serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: privateRoutes.map(t => t.id),
            policy: pulumi.all([partition, region]).apply(([p, r]) => JSON.stringify(s3GatewayEndpointPolicy(p, r))),
            tags: { Name: `${name}-s3` },
        }, { parent: this }));

        const services = hasNatRoute(natMode) ? [] : args.interfaceEndpoints ?? [];
        if (services.length > 0) {
            const endpointSg = new aws.ec2.SecurityGroup(`${name}-endpoints`, {
                vpcId: vpc.id,
                description: "HTTPS from inside the VPC to AWS service endpoints",
                ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.cidr], description: "HTTPS from the VPC" }],
                egress: [],
                tags: { Name: `${name}-endpoints` },
            }, { parent: this });
            for (const service of services) {
                tierPaths.push(new aws.ec2.VpcEndpoint(`${name}-${service.replace(/\./g, "-")}`, {
                    vpcId: vpc.id,
                    serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: privateSubnets.map(s => s.id),
                    securityGroupIds: [endpointSg.id],
                    tags: { Name: `${name}-${service}` },
                }, { parent: this }));
            }
        }

        if (args.flowLogs) {
            this.createFlowLogs(name, vpc, args.logRetentionDays ?? 30, partition, region);
        }

        this.vpcId = vpc.id;
        this.publicSubnetIds = publicSubnets.map(s => s.id);
        this.privateSubnetIds = privateSubnets.map(s => s.id);
        this.privateRouteTableIds = privateRoutes.map(t => t.id);
        this.tierPaths = tierPaths;
        this.availabilityZones = zones;
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            availabilityZones: this.availabilityZones,
        });
    }

    private createFlowLogs(name: string, vpc: aws.ec2.Vpc, retentionInDays: number,
        partition: pulumi.Output<string>, region: pulumi.Output<string>): void {
        const group = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, { retentionInDays }, { parent: this });
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        // Confused-deputy guard from the VPC flow logs guide: only flow logs of this account and
        // region may assume the role. The flow log's own id is not known before the role exists
        // (the flow log needs the role), hence the wildcard.
        // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
        const role = new aws.iam.Role(`${name}-flow-logs`, {
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": account },
                        ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*` },
                    },
                }],
            }),
        }, { parent: this });
        new aws.iam.RolePolicy(`${name}-flow-logs`, {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: pulumi.interpolate`${group.arn}:*`,
                }],
            }),
        }, { parent: this });
        new aws.ec2.FlowLog(`${name}-flow-logs`, {
            vpcId: vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: group.arn,
            iamRoleArn: role.arn,
        }, { parent: this });
    }
}

/**
 * The S3 gateway endpoint's policy: read-only access to the AWS-owned buckets the tier needs, and
 * nothing else through the endpoint (by default a gateway endpoint reaches every bucket, so a
 * compromised instance could copy data to any bucket of any account). Gateway endpoint policies
 * must name Principal "*" (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html);
 * the tier's own IAM role still limits what it may do.
 * - Amazon Linux 2023 package repositories (EC2 tier, dnf at boot): `al2023-repos-<region>-de612dc2`
 *   (https://repost.aws/knowledge-center/ec2-al1-al2-update-yum-without-internet).
 * - ECR image layers (ECS tier, and any pull through ECR): `prod-<region>-starport-layer-bucket`
 *   ("Minimum Amazon S3 bucket permissions for Amazon ECR",
 *   https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html).
 * - SSM Agent updates and documents (EC2 tier, Session Manager): `amazon-ssm-<region>` and
 *   `aws-ssm-<region>` (https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html).
 * The tier reads nothing else from S3: the trust-store and access-log buckets are read and written
 * by ELB itself, not through this VPC.
 */
export function s3GatewayEndpointPolicy(partition: string, region: string): object {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "AwsOwnedBucketsTheTierReads",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: [
                `arn:${partition}:s3:::al2023-repos-${region}-de612dc2/*`,
                `arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*`,
                `arn:${partition}:s3:::amazon-ssm-${region}/*`,
                `arn:${partition}:s3:::aws-ssm-${region}/*`,
            ],
        }],
    };
}

/**
 * Splits the VPC CIDR into 16 equal blocks: public subnets take blocks 0..n-1, private subnets
 * blocks 8..8+n-1, so adding an AZ later never renumbers an existing subnet.
 */
export function subnetCidrs(vpcCidr: string, azCount: number): { public: string[]; private: string[] } {
    const parsed = parseCidr(vpcCidr);
    if (!parsed) throw new Error(`not an IPv4 CIDR: ${vpcCidr}`);
    if (azCount > 8) throw new Error(`at most 8 AZs fit the subnet plan, got ${azCount}`);
    const prefix = parsed.prefix + 4;
    const size = 2 ** (32 - prefix);
    const block = (i: number) => {
        const base = parsed.base + i * size;
        return `${[24, 16, 8, 0].map(s => (base >>> s) & 255).join(".")}/${prefix}`;
    };
    return {
        public: Array.from({ length: azCount }, (_, i) => block(i)),
        private: Array.from({ length: azCount }, (_, i) => block(8 + i)),
    };
}
