/**
 * The IAM actions of the provider look-ups the program makes, and the actions AWS authorizes only
 * against Resource "*": the other half of actions.ts (same sources: the Service Authorization
 * Reference and terraform-provider-aws).
 */
import type { ActionEntry } from "./actions";
import { FUNCTIONS } from "../../policies/shared/tokens";

/** Provider look-ups, keyed by function token. An empty list: the provider answers without calling AWS. */
export const INVOKE_ACTIONS: Readonly<Record<string, ActionEntry>> = {
    [FUNCTIONS.getAvailabilityZones]: { actions: ["ec2:DescribeAvailabilityZones"] },
    [FUNCTIONS.getPartition]: { actions: [], note: "answered from the provider's configuration" },
    [FUNCTIONS.getRegion]: { actions: [], note: "answered from the provider's configuration" },
    // "No permissions are required to perform this operation" (STS API reference, GetCallerIdentity).
    [FUNCTIONS.getCallerIdentity]: { actions: [], note: "sts:GetCallerIdentity needs no permission" },
    [FUNCTIONS.getSessionContext]: { actions: ["iam:GetRole"], note: "reads the deploying role itself" },
    [FUNCTIONS.getSsmParameter]: { actions: ["ssm:GetParameter"] },
    [FUNCTIONS.getManagedPrefixList]: {
        actions: ["ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries"],
    },
};

/**
 * Actions AWS authorizes only against Resource "*" (the Service Authorization Reference lists no
 * resource type for them), or whose resource cannot be named before it exists.
 */
export const ANY_RESOURCE_ACTIONS: ReadonlySet<string> = new Set([
    "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables", "ec2:DescribeNetworkAcls",
    "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules", "ec2:DescribeInternetGateways", "ec2:DescribeSubnets",
    "ec2:DescribeNetworkInterfaces", "ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute", "ec2:DescribeNatGateways",
    "ec2:DescribeVpcEndpoints", "ec2:DescribeVpcEndpointServices", "ec2:DescribePrefixLists", "ec2:DescribeLaunchTemplates",
    "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeFlowLogs", "ec2:DescribeAvailabilityZones",
    "ec2:DescribeManagedPrefixLists",
    "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeInstanceRefreshes",
    "autoscaling:DescribeTrafficSources", "autoscaling:DescribeLoadBalancerTargetGroups", "autoscaling:DescribeLifecycleHooks",
    "autoscaling:DescribeWarmPool", "autoscaling:DescribeTags",
    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores",
    "elasticloadbalancing:DescribeTrustStoreRevocations", "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeCapacityReservation",
    "ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition",
    "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies",
    "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy",
    "cloudwatch:DescribeAlarms",
    "ecr:CreatePullThroughCacheRule", "ecr:UpdatePullThroughCacheRule", "ecr:DeletePullThroughCacheRule",
    "ecr:DescribePullThroughCacheRules",
    "logs:DescribeLogGroups",
    "kms:CreateKey", "kms:ListAliases",
    "acm:RequestCertificate", "acm:ImportCertificate",
    "acm-pca:CreateCertificateAuthority",
    // "DescribeParameters" lists no resource type (Service Authorization Reference, AWS Systems Manager).
    "ssm:DescribeParameters",
]);
