/**
 * The IAM actions the AWS provider (@pulumi/aws 7.48, which bridges terraform-provider-aws v6)
 * calls to create, read, update, delete and tag each resource type this program registers, and to
 * answer each look-up it makes. One entry per type or function token; `policy.ts` turns the entries
 * a stack uses into the deploying role's policy, and `tests/deployer/deployer-policy.test.ts`
 * fails when the program registers a type or calls a look-up that has no entry here.
 *
 * Action names follow the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html,
 * one page per service prefix). Which calls a resource makes follows its terraform-provider-aws
 * implementation, `internal/service/<service>/<resource>.go` (hashicorp/terraform-provider-aws).
 * Look-ups, and the actions AWS grants only on Resource "*", are in lookups.ts.
 */

/** What one resource type or look-up needs. */
import { ELBV2, TOKENS } from "../../policies/shared/tokens";
import { ALERT_RESOURCE_ACTIONS } from "./alert-actions";

export interface ActionEntry {
    /** IAM actions, `service:Action`. */
    readonly actions: readonly string[];
    /**
     * Service principal of a service-linked role AWS creates on first use in an account (the
     * caller needs iam:CreateServiceLinkedRole for it, once).
     */
    readonly serviceLinkedRole?: string;
    /** Why an action is there when the resource's name does not say it. */
    readonly note?: string;
}

const TAGS_EC2 = ["ec2:CreateTags", "ec2:DeleteTags"];
const TAGS_ELB = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags", "elasticloadbalancing:DescribeTags"];
/** The tagging calls of the services whose API names them TagResource, UntagResource and ListTagsForResource. */
const tagging = (service: string) => [`${service}:TagResource`, `${service}:UntagResource`, `${service}:ListTagsForResource`];
const TAGS_ECS = tagging("ecs");

/** Resource types, keyed by the type token the engine records. */
export const RESOURCE_ACTIONS: Readonly<Record<string, ActionEntry>> = {
    // VPC: the read also looks up the main route table, default network ACL and default security group.
    [TOKENS.vpc]: {
        actions: ["ec2:CreateVpc", "ec2:DeleteVpc", "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:ModifyVpcAttribute",
            "ec2:DescribeRouteTables", "ec2:DescribeNetworkAcls", "ec2:DescribeSecurityGroups", ...TAGS_EC2],
    },
    [TOKENS.internetGateway]: {
        actions: ["ec2:CreateInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway",
            "ec2:DeleteInternetGateway", "ec2:DescribeInternetGateways", ...TAGS_EC2],
    },
    [TOKENS.routeTable]: {
        actions: ["ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:DescribeRouteTables",
            "ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute", ...TAGS_EC2],
    },
    [TOKENS.routeTableAssociation]: {
        actions: ["ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation", "ec2:DescribeRouteTables"],
    },
    [TOKENS.subnet]: {
        actions: ["ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:DescribeSubnets", "ec2:ModifySubnetAttribute",
            "ec2:DescribeNetworkInterfaces", ...TAGS_EC2],
        note: "delete waits for the network interfaces AWS services left in the subnet",
    },
    [TOKENS.eip]: {
        actions: ["ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute", ...TAGS_EC2],
    },
    [TOKENS.natGateway]: {
        actions: ["ec2:CreateNatGateway", "ec2:DeleteNatGateway", "ec2:DescribeNatGateways", ...TAGS_EC2],
    },
    [TOKENS.vpcEndpoint]: {
        actions: ["ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:DescribeVpcEndpoints",
            "ec2:DescribeVpcEndpointServices", "ec2:DescribePrefixLists", ...TAGS_EC2],
        note: "a gateway endpoint's read resolves its prefix list",
    },
    // The provider revokes AWS's default allow-all egress rule right after CreateSecurityGroup.
    [TOKENS.securityGroup]: {
        actions: ["ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:DescribeSecurityGroups",
            "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
            "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
            "ec2:DescribeNetworkInterfaces", ...TAGS_EC2],
    },
    [TOKENS.securityGroupIngressRule]: {
        actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:ModifySecurityGroupRules",
            "ec2:DescribeSecurityGroupRules", ...TAGS_EC2],
    },
    [TOKENS.securityGroupEgressRule]: {
        actions: ["ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules",
            "ec2:DescribeSecurityGroupRules", ...TAGS_EC2],
    },
    [TOKENS.launchTemplate]: {
        actions: ["ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate",
            "ec2:DeleteLaunchTemplate", "ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions", ...TAGS_EC2],
    },
    [TOKENS.flowLog]: {
        actions: ["ec2:CreateFlowLogs", "ec2:DeleteFlowLogs", "ec2:DescribeFlowLogs", "iam:PassRole", ...TAGS_EC2],
        note: "passes the flow-log role to VPC Flow Logs",
    },
    // Auto Scaling checks the caller's ec2:RunInstances (and iam:PassRole for the instance profile's
    // role) when a group is created or updated from a launch template:
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
    [TOKENS.autoscalingGroup]: {
        actions: ["autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:DeleteAutoScalingGroup",
            "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeScalingActivities",
            "autoscaling:StartInstanceRefresh", "autoscaling:CancelInstanceRefresh", "autoscaling:DescribeInstanceRefreshes",
            "autoscaling:AttachTrafficSources", "autoscaling:DetachTrafficSources", "autoscaling:DescribeTrafficSources",
            "autoscaling:AttachLoadBalancerTargetGroups", "autoscaling:DetachLoadBalancerTargetGroups",
            "autoscaling:DescribeLoadBalancerTargetGroups", "autoscaling:DescribeLifecycleHooks", "autoscaling:DescribeWarmPool",
            "autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags", "autoscaling:DescribeTags",
            "ec2:RunInstances", "ec2:CreateTags", "iam:PassRole", "elasticloadbalancing:DescribeTargetHealth"],
        serviceLinkedRole: "autoscaling.amazonaws.com",
        note: "waiting for capacity reads target health",
    },

    [ELBV2.lb.loadBalancer]: {
        actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets", "elasticloadbalancing:SetIpAddressType",
            "elasticloadbalancing:DescribeCapacityReservation", "ec2:DescribeNetworkInterfaces", ...TAGS_ELB],
        serviceLinkedRole: "elasticloadbalancing.amazonaws.com",
        note: "delete waits for the load balancer's network interfaces to go",
    },
    [ELBV2.lb.targetGroup]: {
        actions: ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", ...TAGS_ELB],
    },
    [ELBV2.lb.listener]: {
        actions: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerAttributes",
            "elasticloadbalancing:ModifyListenerAttributes", ...TAGS_ELB],
    },
    // The load balancer reads the bundle from S3 with the caller's permissions when the trust store
    // is created or modified; the object is read by its pinned version.
    [ELBV2.lb.trustStore]: {
        actions: ["elasticloadbalancing:CreateTrustStore", "elasticloadbalancing:ModifyTrustStore", "elasticloadbalancing:DeleteTrustStore",
            "elasticloadbalancing:DescribeTrustStores", "s3:GetObject", "s3:GetObjectVersion", ...TAGS_ELB],
    },
    [ELBV2.lb.trustStoreRevocation]: {
        actions: ["elasticloadbalancing:AddTrustStoreRevocations", "elasticloadbalancing:RemoveTrustStoreRevocations",
            "elasticloadbalancing:DescribeTrustStoreRevocations", "s3:GetObject", "s3:GetObjectVersion"],
    },

    [TOKENS.ecsCluster]: {
        actions: ["ecs:CreateCluster", "ecs:DeleteCluster", "ecs:UpdateCluster", "ecs:DescribeClusters", ...TAGS_ECS],
        serviceLinkedRole: "ecs.amazonaws.com",
    },
    [TOKENS.ecsTaskDefinition]: {
        actions: ["ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "iam:PassRole", ...TAGS_ECS],
        note: "passes the execution and task roles to ECS",
    },
    // waitForSteadyState polls DescribeServices until the deployment is complete.
    [TOKENS.ecsService]: {
        actions: ["ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:DescribeServices", ...TAGS_ECS],
        serviceLinkedRole: "ecs.amazonaws.com",
    },
    // Registering an ECS service as a scalable target makes Application Auto Scaling check the
    // caller's ecs:DescribeServices and ecs:UpdateService; target tracking creates CloudWatch alarms
    // on the caller's behalf:
    // https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html
    [TOKENS.appautoscalingTarget]: {
        actions: ["application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
            "application-autoscaling:DescribeScalableTargets", "application-autoscaling:TagResource",
            "application-autoscaling:UntagResource", "application-autoscaling:ListTagsForResource",
            "ecs:DescribeServices", "ecs:UpdateService"],
        serviceLinkedRole: "ecs.application-autoscaling.amazonaws.com",
    },
    [TOKENS.appautoscalingPolicy]: {
        actions: ["application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy",
            "application-autoscaling:DescribeScalingPolicies",
            "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"],
    },
    [TOKENS.ecrPullThroughCacheRule]: {
        actions: ["ecr:CreatePullThroughCacheRule", "ecr:UpdatePullThroughCacheRule", "ecr:DeletePullThroughCacheRule",
            "ecr:DescribePullThroughCacheRules"],
    },
    // internal/service/ecr/repository.go: Create, DescribeRepositories (read), PutImageTagMutability and
    // PutImageScanningConfiguration (update), DeleteRepository with force_delete (delete), tags.
    [TOKENS.ecrRepository]: {
        actions: ["ecr:CreateRepository", "ecr:DescribeRepositories", "ecr:DeleteRepository", "ecr:PutImageTagMutability",
            "ecr:PutImageScanningConfiguration", ...tagging("ecr")],
    },
    [TOKENS.cloudwatchLogGroup]: {
        actions: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DescribeLogGroups", "logs:PutRetentionPolicy",
            "logs:DeleteRetentionPolicy", ...tagging("logs")],
    },

    [TOKENS.iamRole]: {
        actions: ["iam:CreateRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
            "iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:ListRolePolicies", "iam:GetRolePolicy",
            "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole"],
        note: "the read lists inline and attached policies; delete lists the role's instance profiles",
    },
    [TOKENS.iamRolePolicy]: {
        actions: ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"],
    },
    [TOKENS.iamRolePolicyAttachment]: {
        actions: ["iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies"],
    },
    // AddRoleToInstanceProfile requires iam:PassRole on the role.
    [TOKENS.iamInstanceProfile]: {
        actions: ["iam:CreateInstanceProfile", "iam:GetInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile",
            "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile", "iam:PassRole"],
    },

    [TOKENS.kmsKey]: {
        actions: ["kms:CreateKey", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus",
            "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:UpdateKeyDescription", "kms:EnableKey", "kms:DisableKey",
            "kms:ScheduleKeyDeletion", "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource"],
    },
    [TOKENS.kmsAlias]: {
        actions: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:ListAliases"],
    },
    [TOKENS.secretsManagerSecret]: {
        actions: ["secretsmanager:CreateSecret", "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret",
            "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
            "secretsmanager:TagResource", "secretsmanager:UntagResource"],
    },
    // A value encrypted under a customer managed key needs kms:GenerateDataKey (write) and
    // kms:Decrypt (read) from the caller:
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz
    // The provider reads the value back on create and refresh (secretsmanager/secret_version.go).
    [TOKENS.secretsManagerSecretVersion]: {
        actions: ["secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret",
            "secretsmanager:UpdateSecretVersionStage", "secretsmanager:ListSecretVersionIds",
            "kms:GenerateDataKey", "kms:Decrypt"],
    },
    [TOKENS.secretsManagerSecretPolicy]: {
        actions: ["secretsmanager:PutResourcePolicy", "secretsmanager:GetResourcePolicy", "secretsmanager:DeleteResourcePolicy"],
    },

    [TOKENS.acmCertificate]: {
        actions: ["acm:RequestCertificate", "acm:ImportCertificate", "acm:DescribeCertificate", "acm:GetCertificate",
            "acm:UpdateCertificateOptions", "acm:DeleteCertificate", "acm:ListTagsForCertificate",
            "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
    },
    [TOKENS.acmCertificateValidation]: {
        actions: ["acm:DescribeCertificate"],
    },
    [TOKENS.route53Record]: {
        actions: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:GetHostedZone", "route53:GetChange"],
    },
    [TOKENS.acmpcaCertificateAuthority]: {
        actions: ["acm-pca:CreateCertificateAuthority", "acm-pca:DescribeCertificateAuthority", "acm-pca:UpdateCertificateAuthority",
            "acm-pca:DeleteCertificateAuthority", "acm-pca:GetCertificateAuthorityCsr", "acm-pca:GetCertificateAuthorityCertificate",
            "acm-pca:ListTags", "acm-pca:TagCertificateAuthority", "acm-pca:UntagCertificateAuthority"],
    },
    // The provider's Delete of a Private CA certificate is RevokeCertificate
    // (internal/service/acmpca/certificate.go).
    [TOKENS.acmpcaCertificate]: {
        actions: ["acm-pca:IssueCertificate", "acm-pca:GetCertificate", "acm-pca:RevokeCertificate"],
    },
    [TOKENS.acmpcaCertificateAuthorityCertificate]: {
        actions: ["acm-pca:ImportCertificateAuthorityCertificate", "acm-pca:GetCertificateAuthorityCertificate"],
    },

    [TOKENS.s3Bucket]: {
        // The read fetches every bucket sub-configuration the resource still exposes (policy, ACL,
        // CORS, website, versioning, acceleration, request payment, logging, lifecycle, replication,
        // encryption, object lock, tags): internal/service/s3/bucket.go, resourceBucketRead.
        actions: ["s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:GetBucketPolicy", "s3:GetBucketAcl", "s3:GetBucketCORS",
            "s3:GetBucketWebsite", "s3:GetBucketVersioning", "s3:GetAccelerateConfiguration", "s3:GetBucketRequestPayment",
            "s3:GetBucketLogging", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:GetEncryptionConfiguration",
            "s3:GetBucketObjectLockConfiguration", "s3:GetBucketTagging", "s3:PutBucketTagging",
            "s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion"],
        note: "forceDestroy empties the bucket, every version included",
    },
    [TOKENS.s3BucketPublicAccessBlock]: {
        actions: ["s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"],
    },
    [TOKENS.s3BucketOwnershipControls]: {
        actions: ["s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"],
    },
    [TOKENS.s3BucketServerSideEncryptionConfiguration]: {
        actions: ["s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration"],
    },
    [TOKENS.s3BucketVersioning]: {
        actions: ["s3:PutBucketVersioning", "s3:GetBucketVersioning"],
    },
    [TOKENS.s3BucketLifecycleConfiguration]: {
        actions: ["s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration"],
    },
    [TOKENS.s3BucketPolicy]: {
        actions: ["s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"],
    },
    [TOKENS.s3BucketObjectV2]: {
        actions: ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:PutObjectTagging",
            "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucketVersions"],
        note: "delete removes every version of the key in a versioned bucket",
    },
    // internal/service/ssm/parameter.go: PutParameter (create and update), GetParameter and
    // DescribeParameters (read), DeleteParameter, and the tag calls on resource type Parameter.
    [TOKENS.ssmParameter]: {
        actions: ["ssm:PutParameter", "ssm:GetParameter", "ssm:DescribeParameters", "ssm:DeleteParameter",
            "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource"],
        note: "bring-your-own-key partners' certificates, published for their renewal notice",
    },
    ...ALERT_RESOURCE_ACTIONS,
};

export { ANY_RESOURCE_ACTIONS, INVOKE_ACTIONS } from "./lookups";
