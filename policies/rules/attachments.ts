/**
 * Every way AWS attaches a security group or a public address to a target a load balancer
 * forwards to, as data: the path rule's graph (stack-graph.ts) walks these entries and nothing
 * else, so a new way is one entry here. Property paths are the `@pulumi/aws` shape's (other
 * families are read in it, ../framework/shapes.ts); `[]` steps into each item of a list.
 * Sources: the terraform-provider-aws resource docs that @pulumi/aws 7 bridges
 * (website/docs/r/<resource>.html.markdown) and the EC2, ECS and ELB user guides.
 *
 * What is registered in a target group (stack-graph.ts `attachments`): an Auto Scaling group
 * (`targetGroupArns`, `aws:autoscaling/attachment`), an ECS service or task set (`loadBalancers`),
 * an instance or an IP address (`targetGroupAttachment`). A Lambda target group has none of
 * these: the load balancer invokes the function through the Lambda service, and a function's
 * `vpcConfig` only gives it network interfaces for reaching into the VPC ("Every Lambda function
 * runs inside a VPC that is owned and managed by the Lambda service ... Configuring your function
 * to access other AWS resources in an Amazon VPC has no effect on the Lambda-managed VPC your
 * function runs inside", Lambda developer guide, configuration-vpc.html), so no security group or
 * address of it is on the path. An instance's `secondaryNetworkInterfaces` (EC2 secondary
 * networks) take no security group.
 */
import { NATIVE, TOKENS } from "../shared/tokens";

/** A property of `from` naming a resource the target's traffic reaches it through. */
export interface Link {
    /** The shape the property belongs to. */
    readonly from: string;
    /** Its path, e.g. `networkInterfaces[].securityGroups`. */
    readonly path: string;
    /** The shape it names: a security group (the end of a link), or a resource whose links are followed in turn. */
    readonly to: string;
    /** Top-level properties of `from` that, when set, replace what this link would bring (the instance's own parameters override its launch template's). */
    readonly unless?: readonly string[];
    readonly source: string;
}

const LT_SOURCE = "launch_template.html.markdown";
const INSTANCE_SOURCE = "instance.html.markdown";
const ASG_SOURCE = "autoscaling_group.html.markdown (launch_template, mixed_instances_policy.launch_template.launch_template_specification and override[].launch_template_specification, launch_configuration)";

/** Links from a target to its security groups, and to the resources that carry them. */
export const LINKS: readonly Link[] = [
    ...["launchTemplate.id", "launchTemplate.name",
        "mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateId",
        "mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateName",
        // Each override may launch its instance types from another template.
        "mixedInstancesPolicy.launchTemplate.overrides[].launchTemplateSpecification.launchTemplateId",
        "mixedInstancesPolicy.launchTemplate.overrides[].launchTemplateSpecification.launchTemplateName",
    ].map((path) => ({ from: TOKENS.autoscalingGroup, path, to: TOKENS.launchTemplate, source: ASG_SOURCE })),
    { from: TOKENS.autoscalingGroup, path: "launchConfiguration", to: TOKENS.launchConfiguration, source: ASG_SOURCE },

    { from: TOKENS.instance, path: "vpcSecurityGroupIds", to: TOKENS.securityGroup, source: `${INSTANCE_SOURCE} vpc_security_group_ids` },
    { from: TOKENS.instance, path: "securityGroups", to: TOKENS.securityGroup, source: `${INSTANCE_SOURCE} security_groups (names)` },
    // AWS::EC2::Instance NetworkInterfaces[].GroupSet, read as networkInterfaces[].securityGroups.
    { from: TOKENS.instance, path: "networkInterfaces[].securityGroups", to: TOKENS.securityGroup, source: "CloudFormation AWS::EC2::Instance NetworkInterface GroupSet" },
    { from: TOKENS.instance, path: "networkInterfaces[].networkInterfaceId", to: TOKENS.networkInterface, source: `${INSTANCE_SOURCE} network_interface.network_interface_id` },
    { from: TOKENS.instance, path: "primaryNetworkInterface.networkInterfaceId", to: TOKENS.networkInterface, source: `${INSTANCE_SOURCE} primary_network_interface.network_interface_id` },
    // "Parameters configured on this resource will override the corresponding parameters in the Launch Template."
    ...["launchTemplate.id", "launchTemplate.name"].map((path) => ({
        from: TOKENS.instance, path, to: TOKENS.launchTemplate, unless: ["vpcSecurityGroupIds", "securityGroups"], source: `${INSTANCE_SOURCE} launch_template`,
    })),

    { from: TOKENS.launchTemplate, path: "vpcSecurityGroupIds", to: TOKENS.securityGroup, source: `${LT_SOURCE} vpc_security_group_ids` },
    { from: TOKENS.launchTemplate, path: "securityGroupNames", to: TOKENS.securityGroup, source: `${LT_SOURCE} security_group_names` },
    { from: TOKENS.launchTemplate, path: "networkInterfaces[].securityGroups", to: TOKENS.securityGroup, source: `${LT_SOURCE} network_interfaces.security_groups` },
    { from: TOKENS.launchTemplate, path: "networkInterfaces[].networkInterfaceId", to: TOKENS.networkInterface, source: `${LT_SOURCE} network_interfaces.network_interface_id` },

    { from: TOKENS.launchConfiguration, path: "securityGroups", to: TOKENS.securityGroup, source: "launch_configuration.html.markdown security_groups" },

    { from: TOKENS.networkInterface, path: "securityGroups", to: TOKENS.securityGroup, source: "network_interface.html.markdown security_groups" },

    // awsvpc tasks get their own network interface with these groups (ECS developer guide, task-networking-awsvpc.html).
    { from: TOKENS.ecsService, path: "networkConfiguration.securityGroups", to: TOKENS.securityGroup, source: "ecs_service.html.markdown network_configuration.security_groups" },
    { from: TOKENS.ecsTaskSet, path: "networkConfiguration.securityGroups", to: TOKENS.securityGroup, source: "ecs_task_set.html.markdown network_configuration.security_groups" },
];

/** A property of a joining resource: its path, and the shapes it may name. */
export interface Named {
    readonly path: string;
    readonly to: readonly string[];
}

/**
 * A resource that attaches something to a target: a security group or network interface named by
 * `attaches` (absent: the resource itself is attached), or, with `publicAddress`, the public
 * address the resource is. `onto` are the properties naming the target.
 */
export interface Join {
    readonly resource: string;
    readonly attaches?: Named;
    readonly publicAddress?: true;
    readonly onto: readonly Named[];
    readonly source: string;
}

export const JOINS: readonly Join[] = [
    {
        resource: TOKENS.networkInterfaceSecurityGroupAttachment,
        attaches: { path: "securityGroupId", to: [TOKENS.securityGroup] },
        // "any existing ENI, be it a secondary ENI or one attached as the primary interface on an instance" (its docs'
        // example passes aws_instance.primary_network_interface_id, which the resolver reads as the instance).
        onto: [{ path: "networkInterfaceId", to: [TOKENS.networkInterface, TOKENS.instance] }],
        source: "network_interface_sg_attachment.html.markdown",
    },
    {
        resource: TOKENS.networkInterfaceAttachment,
        attaches: { path: "networkInterfaceId", to: [TOKENS.networkInterface] },
        onto: [{ path: "instanceId", to: [TOKENS.instance] }],
        source: "network_interface_attachment.html.markdown",
    },
    {
        resource: TOKENS.networkInterface,
        onto: [{ path: "attachments[].instance", to: [TOKENS.instance] }],
        source: "network_interface.html.markdown attachment.instance",
    },
    {
        resource: TOKENS.eipAssociation,
        publicAddress: true,
        onto: [{ path: "instanceId", to: [TOKENS.instance] }, { path: "networkInterfaceId", to: [TOKENS.networkInterface] }],
        source: "eip_association.html.markdown instance_id, network_interface_id",
    },
    {
        resource: TOKENS.eip,
        publicAddress: true,
        onto: [{ path: "instance", to: [TOKENS.instance] }, { path: "networkInterface", to: [TOKENS.networkInterface] }],
        source: "eip.html.markdown instance, network_interface",
    },
];

/**
 * A subnet's public address: EC2 gives the network interface of device index 0 of an instance
 * launched into a subnet whose public IPv4 addressing attribute is on (`mapPublicIpOnLaunch`; on
 * by default in default subnets, off in others) a public IPv4 address, unless the launch chooses
 * itself (`associatePublicIpAddress`); not when the launch names an existing network interface for
 * device index 0 or more than one interface (EC2 user guide, working-with-ip-addresses.html,
 * "Assign a public IPv4 address at launch"). ECS awsvpc tasks get one only by `assignPublicIp`
 * (default DISABLED, whatever the subnet: ECS API AwsVpcConfiguration), which ec2-no-public-ip
 * judges, and a network interface created on its own gets none from the subnet.
 */
export interface Placement {
    /** The shape that launches instances into subnets (itself, or from the launches its links name). */
    readonly from: string;
    /** The property naming the subnets. */
    readonly subnets: string;
    readonly source: string;
}

export const PLACEMENTS: readonly Placement[] = [
    { from: TOKENS.instance, subnets: "subnetId", source: "instance.html.markdown subnet_id, associate_public_ip_address" },
    // AWS::EC2::Instance NetworkInterfaces[].SubnetId (aws:ec2/instance's interfaces are existing ones).
    { from: TOKENS.instance, subnets: "networkInterfaces[].subnetId", source: "CloudFormation AWS::EC2::Instance NetworkInterface SubnetId" },
    { from: TOKENS.autoscalingGroup, subnets: "vpcZoneIdentifiers", source: "autoscaling_group.html.markdown vpc_zone_identifier" },
];

/** The subnet shapes whose `mapPublicIpOnLaunch` is read (subnet.html.markdown, default_subnet.html.markdown `map_public_ip_on_launch`; CloudFormation AWS::EC2::Subnet MapPublicIpOnLaunch). */
export const SUBNETS: readonly string[] = [TOKENS.subnet, TOKENS.defaultSubnet, NATIVE.subnet];

/**
 * Where a launch chooses the public address of its primary interface: `choice` (a boolean, or the
 * provider's `"true"`/`"false"` strings) and, when the launch lists network interfaces, where
 * (`interfaces`, each item's `choice` and `networkInterfaceId`); an instance's
 * `primaryNetworkInterface` is an existing interface. `associatePublicIpAddress: true` itself is
 * ec2-no-public-ip's finding.
 */
export const LAUNCH_CHOICE: { readonly [shape: string]: { readonly choice: string; readonly interfaces?: string; readonly existingPrimary?: string } } = {
    [TOKENS.instance]: { choice: "associatePublicIpAddress", interfaces: "networkInterfaces", existingPrimary: "primaryNetworkInterface" },
    [TOKENS.launchTemplate]: { choice: "associatePublicIpAddress", interfaces: "networkInterfaces" },
    [TOKENS.launchConfiguration]: { choice: "associatePublicIpAddress" },
};

/** Every shape the entries name, for the `reads` of the rules that walk them. */
export const ATTACHMENT_READS: readonly string[] = [...new Set([
    ...LINKS.flatMap((l) => [l.from, l.to]),
    ...JOINS.flatMap((j) => [j.resource, ...(j.attaches?.to ?? []), ...j.onto.flatMap((o) => o.to)]),
    ...PLACEMENTS.map((p) => p.from), ...SUBNETS, ...Object.keys(LAUNCH_CHOICE),
])];
