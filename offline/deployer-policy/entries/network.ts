/**
 * The VPC and its parts (components/network): terraform-provider-aws internal/service/ec2.
 * Form and sources: ../entry.ts; merged into RESOURCE_ACTIONS by ../actions.ts.
 */
import { TOKENS } from "../../../policies/shared/tokens";
import { ResourceEntry, tf, TAGGED, TAGS_EC2 } from "../entry";

export const NETWORK_ACTIONS: Readonly<Record<string, ResourceEntry>> = {
    [TOKENS.vpc]: {
        source: [tf("ec2/vpc_.go")],
        create: ["ec2:CreateVpc", "ec2:ModifyVpcAttribute"],
        // The read also finds the main route table, the default network ACL and the default security group.
        read: ["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables", "ec2:DescribeNetworkAcls", "ec2:DescribeSecurityGroups"],
        update: ["ec2:ModifyVpcAttribute"],
        delete: ["ec2:DeleteVpc"],
        tags: TAGS_EC2,
        arguments: { cidrBlock: [], enableDnsHostnames: [], enableDnsSupport: [], ...TAGGED },
        checked: "reviewed",
    },
    [TOKENS.internetGateway]: {
        source: [tf("ec2/vpc_internet_gateway.go")],
        create: ["ec2:CreateInternetGateway", "ec2:AttachInternetGateway"],
        read: ["ec2:DescribeInternetGateways"],
        update: ["ec2:AttachInternetGateway", "ec2:DetachInternetGateway"],
        delete: ["ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"],
        tags: TAGS_EC2,
        arguments: { vpcId: [], ...TAGGED },
        checked: "reviewed",
    },
    [TOKENS.routeTable]: {
        source: [tf("ec2/vpc_route_table.go")],
        create: ["ec2:CreateRouteTable", "ec2:CreateRoute"],
        read: ["ec2:DescribeRouteTables"],
        update: ["ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute"],
        delete: ["ec2:DeleteRouteTable"],
        tags: TAGS_EC2,
        arguments: { routes: [], vpcId: [], ...TAGGED },
        checked: "reviewed",
    },
    [TOKENS.routeTableAssociation]: {
        source: [tf("ec2/vpc_route_table_association.go")],
        create: ["ec2:AssociateRouteTable"],
        read: ["ec2:DescribeRouteTables"],
        update: ["ec2:ReplaceRouteTableAssociation"],
        delete: ["ec2:DisassociateRouteTable"],
        arguments: { routeTableId: [], subnetId: [] },
        checked: "reviewed",
    },
    [TOKENS.subnet]: {
        source: [tf("ec2/vpc_subnet.go")],
        create: ["ec2:CreateSubnet", "ec2:ModifySubnetAttribute"],
        read: ["ec2:DescribeSubnets"],
        update: ["ec2:ModifySubnetAttribute"],
        // Delete retries while AWS services still hold network interfaces in the subnet.
        delete: ["ec2:DeleteSubnet", "ec2:DescribeNetworkInterfaces"],
        tags: TAGS_EC2,
        arguments: { availabilityZone: [], cidrBlock: [], mapPublicIpOnLaunch: [], vpcId: [], ...TAGGED },
        checked: "reviewed",
    },
    // An Elastic IP held by a NAT gateway records the association after a refresh, and the delete
    // disassociates first (resourceEIPDelete, disassociateEIP); the read also reads the PTR record
    // (DescribeAddressesAttribute).
    [TOKENS.eip]: {
        source: [tf("ec2/ec2_eip.go")],
        create: ["ec2:AllocateAddress"],
        read: ["ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute"],
        update: ["ec2:AssociateAddress", "ec2:DisassociateAddress"],
        delete: ["ec2:DisassociateAddress", "ec2:ReleaseAddress"],
        tags: TAGS_EC2,
        arguments: { domain: [], ...TAGGED },
        checked: "read: resourceEIPRead, resourceEIPUpdate, resourceEIPDelete, disassociateEIP (issue 17: DisassociateAddress was missing)",
    },
    [TOKENS.natGateway]: {
        source: [tf("ec2/vpc_nat_gateway.go")],
        create: ["ec2:CreateNatGateway"],
        read: ["ec2:DescribeNatGateways"],
        update: [],
        delete: ["ec2:DeleteNatGateway"],
        waiters: ["ec2:DescribeNatGateways"],
        tags: TAGS_EC2,
        arguments: { allocationId: [], subnetId: [], ...TAGGED },
        checked: "reviewed",
    },
    // A gateway endpoint's read resolves its prefix list; an interface endpoint's, its service.
    [TOKENS.vpcEndpoint]: {
        source: [tf("ec2/vpc_endpoint.go")],
        create: ["ec2:CreateVpcEndpoint"],
        read: ["ec2:DescribeVpcEndpoints", "ec2:DescribeVpcEndpointServices", "ec2:DescribePrefixLists"],
        update: ["ec2:ModifyVpcEndpoint"],
        delete: ["ec2:DeleteVpcEndpoints"],
        waiters: ["ec2:DescribeVpcEndpoints"],
        tags: TAGS_EC2,
        arguments: {
            policy: [], privateDnsEnabled: [], routeTableIds: [], securityGroupIds: [], serviceName: [], subnetIds: [],
            vpcEndpointType: [], vpcId: [], ...TAGGED,
        },
        checked: "reviewed",
    },
    // The provider revokes AWS's default allow-all egress rule right after CreateSecurityGroup, and
    // the delete retries while network interfaces still use the group.
    [TOKENS.securityGroup]: {
        source: [tf("ec2/vpc_security_group.go")],
        create: ["ec2:CreateSecurityGroup", "ec2:RevokeSecurityGroupEgress"],
        read: ["ec2:DescribeSecurityGroups"],
        update: ["ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupEgress", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress"],
        delete: ["ec2:DeleteSecurityGroup", "ec2:DescribeNetworkInterfaces"],
        tags: TAGS_EC2,
        arguments: {
            description: [], vpcId: [], ...TAGGED,
            ingress: { calls: ["ec2:AuthorizeSecurityGroupIngress"], why: "inline ingress rules are authorized after the group is created" },
            egress: { calls: ["ec2:AuthorizeSecurityGroupEgress"], why: "inline egress rules are authorized after the group is created" },
        },
        checked: "reviewed",
    },
    [TOKENS.securityGroupIngressRule]: {
        source: [tf("ec2/vpc_security_group_ingress_rule.go")],
        create: ["ec2:AuthorizeSecurityGroupIngress"],
        read: ["ec2:DescribeSecurityGroupRules"],
        update: ["ec2:ModifySecurityGroupRules"],
        delete: ["ec2:RevokeSecurityGroupIngress"],
        tags: TAGS_EC2,
        arguments: { cidrIpv4: [], description: [], fromPort: [], ipProtocol: [], referencedSecurityGroupId: [], securityGroupId: [], toPort: [], ...TAGGED },
        checked: "reviewed",
    },
    [TOKENS.securityGroupEgressRule]: {
        source: [tf("ec2/vpc_security_group_egress_rule.go")],
        create: ["ec2:AuthorizeSecurityGroupEgress"],
        read: ["ec2:DescribeSecurityGroupRules"],
        update: ["ec2:ModifySecurityGroupRules"],
        delete: ["ec2:RevokeSecurityGroupEgress"],
        tags: TAGS_EC2,
        arguments: {
            cidrIpv4: [], description: [], fromPort: [], ipProtocol: [], prefixListId: [], referencedSecurityGroupId: [],
            securityGroupId: [], toPort: [], ...TAGGED,
        },
        checked: "reviewed",
    },
    [TOKENS.flowLog]: {
        source: [tf("ec2/vpc_flow_log.go"), "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html"],
        create: ["ec2:CreateFlowLogs"],
        read: ["ec2:DescribeFlowLogs"],
        update: [],
        delete: ["ec2:DeleteFlowLogs"],
        tags: TAGS_EC2,
        dependent: [{ actions: ["iam:PassRole"], why: "CreateFlowLogs passes the delivery role to VPC Flow Logs", source: "SAR ec2:CreateFlowLogs, dependent actions" }],
        arguments: { iamRoleArn: [], logDestination: [], logDestinationType: [], trafficType: [], vpcId: [], ...TAGGED },
        checked: "reviewed",
    },
};
