/**
 * The IAM actions of the provider look-ups the program makes, and the actions AWS authorizes only
 * against Resource "*": the other half of actions.ts (same sources: the Service Authorization
 * Reference and terraform-provider-aws).
 */
import type { InvokeEntry } from "./entry";
import { FUNCTIONS } from "../../policies/shared/tokens";
import { tf } from "./entry";

/** Provider look-ups, keyed by function token. An empty list: the provider answers without calling AWS. */
export const INVOKE_ACTIONS: Readonly<Record<string, InvokeEntry>> = {
    [FUNCTIONS.getAvailabilityZones]: { actions: ["ec2:DescribeAvailabilityZones"], source: tf("ec2/ec2_availability_zones_data_source.go") },
    [FUNCTIONS.getPartition]: { actions: [], source: tf("meta/partition_data_source.go"), note: "answered from the provider's configuration" },
    [FUNCTIONS.getRegion]: { actions: [], source: tf("meta/region_data_source.go"), note: "answered from the provider's configuration" },
    [FUNCTIONS.getCallerIdentity]: {
        actions: [], source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
        note: "sts:GetCallerIdentity needs no permission",
    },
    [FUNCTIONS.getSessionContext]: { actions: ["iam:GetRole"], source: tf("iam/session_context_data_source.go"), note: "reads the deploying role itself" },
    [FUNCTIONS.getSsmParameter]: { actions: ["ssm:GetParameter"], source: tf("ssm/parameter_data_source.go") },
    [FUNCTIONS.getManagedPrefixList]: {
        actions: ["ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries"], source: tf("ec2/vpc_managed_prefix_list_data_source.go"),
    },
};

/**
 * Actions AWS authorizes only against Resource "*": the Service Authorization Reference lists no
 * resource type for them. Compared with the reference's pages (June 2026) for every action of the
 * committed sample: an action with a resource type is scoped by ARN instead, and one without is
 * here, or a scoped statement would never match it.
 */
export const ANY_RESOURCE_ACTIONS: ReadonlySet<string> = new Set([
    "ec2:DescribeVpcs", "ec2:DescribeRouteTables", "ec2:DescribeNetworkAcls",
    "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules", "ec2:DescribeInternetGateways", "ec2:DescribeSubnets",
    "ec2:DescribeNetworkInterfaces", "ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute", "ec2:DescribeNatGateways",
    "ec2:DescribeVpcEndpoints", "ec2:DescribeVpcEndpointServices", "ec2:DescribePrefixLists", "ec2:DescribeLaunchTemplates",
    "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeFlowLogs", "ec2:DescribeAvailabilityZones",
    "ec2:DescribeManagedPrefixLists", "ec2:DescribeTags",
    "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeInstanceRefreshes",
    "autoscaling:DescribeTrafficSources", "autoscaling:DescribeLoadBalancerTargetGroups", "autoscaling:DescribeLifecycleHooks",
    "autoscaling:DescribeWarmPool", "autoscaling:DescribeTags",
    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeTrustStoreAssociations",
    "elasticloadbalancing:DescribeTrustStoreRevocations", "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeCapacityReservation",
    "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition",
    "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies",
    // A subscription is not a resource type of SNS.
    "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe",
    "ecr:CreatePullThroughCacheRule", "ecr:UpdatePullThroughCacheRule", "ecr:DeletePullThroughCacheRule",
    "ecr:DescribePullThroughCacheRules",
    "logs:DescribeLogGroups",
    "kms:CreateKey", "kms:ListAliases",
    "acm:RequestCertificate",
    "acm-pca:CreateCertificateAuthority",
    // "DescribeParameters" lists no resource type (Service Authorization Reference, AWS Systems Manager).
    "ssm:DescribeParameters",
]);
