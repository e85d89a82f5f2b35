/**
 * The calls the AWS provider (@pulumi/aws 7.48, bridging terraform-provider-aws v6) makes for
 * every resource type this program registers, phase by phase, in the form and from the sources
 * entry.ts describes: one table per area of the program in entries/, the look-ups below.
 * `policy.ts` turns the entries of the types and arguments a stack uses into the deploying role's
 * policy, and tests/deployer/deployer-policy.test.ts fails when the program registers a type, or
 * sets an input, that has no entry here.
 *
 * How to add a type: put its entry in the entries/ file of its area. Run the program, read the resource's file in terraform-provider-aws
 * (internal/service/<service>/<resource>.go) for Create, Read, Update, Delete and every waiter
 * and finder they call, its `@Tags` annotation for the tagging calls, and the Service
 * Authorization Reference page of the service for dependent actions; list every input the
 * program sets under `arguments`, with the calls it adds.
 *
 * `checked`: "read" means the file was read for this revision; "reviewed" means the lists were
 * compared with the file's functions as the previous audit recorded them and corrected where this
 * revision's findings (issue 17) showed a gap, without re-reading the whole file.
 */
import type { InvokeEntry, ResourceEntry } from "./entry";
import { tf } from "./entry";
import { FUNCTIONS } from "../../policies/shared/tokens";
import { ALERTS_ACTIONS } from "./entries/alerts";
import { COMPUTE_ACTIONS } from "./entries/compute";
import { EDGE_ACTIONS } from "./entries/edge";
import { NETWORK_ACTIONS } from "./entries/network";
import { SECURITY_ACTIONS } from "./entries/security";
import { STORAGE_ACTIONS } from "./entries/storage";

export type { ResourceEntry } from "./entry";

const AREAS = [NETWORK_ACTIONS, COMPUTE_ACTIONS, EDGE_ACTIONS, SECURITY_ACTIONS, STORAGE_ACTIONS, ALERTS_ACTIONS];

/** Resource types, keyed by the type token the engine records. A type has one entry, in one area. */
export const RESOURCE_ACTIONS: Readonly<Record<string, ResourceEntry>> = (() => {
    const all: Record<string, ResourceEntry> = {};
    for (const area of AREAS) {
        for (const [token, entry] of Object.entries(area)) {
            if (token in all) throw new Error(`${token} has an entry in two areas of offline/deployer-policy/entries/`);
            all[token] = entry;
        }
    }
    return all;
})();

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
