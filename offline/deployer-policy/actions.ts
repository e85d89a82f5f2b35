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
 * Actions that AWS grants only on Resource "*" are listed in ANY_RESOURCE_ACTIONS.
 */

/** What one resource type or look-up needs. */
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
const TAGS_ECS = ["ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource"];

/** Resource types, keyed by the type token the engine records. */
export const RESOURCE_ACTIONS: Readonly<Record<string, ActionEntry>> = {
    // VPC: the read also looks up the main route table, default network ACL and default security group.
    "aws:ec2/vpc:Vpc": {
        actions: ["ec2:CreateVpc", "ec2:DeleteVpc", "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:ModifyVpcAttribute",
            "ec2:DescribeRouteTables", "ec2:DescribeNetworkAcls", "ec2:DescribeSecurityGroups", ...TAGS_EC2],
    },
    "aws:ec2/internetGateway:InternetGateway": {
        actions: ["ec2:CreateInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway",
            "ec2:DeleteInternetGateway", "ec2:DescribeInternetGateways", ...TAGS_EC2],
    },
    "aws:ec2/routeTable:RouteTable": {
        actions: ["ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:DescribeRouteTables",
            "ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute", ...TAGS_EC2],
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        actions: ["ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation", "ec2:DescribeRouteTables"],
    },
    "aws:ec2/subnet:Subnet": {
        actions: ["ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:DescribeSubnets", "ec2:ModifySubnetAttribute",
            "ec2:DescribeNetworkInterfaces", ...TAGS_EC2],
        note: "delete waits for the network interfaces AWS services left in the subnet",
    },
    "aws:ec2/eip:Eip": {
        actions: ["ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute", ...TAGS_EC2],
    },
    "aws:ec2/natGateway:NatGateway": {
        actions: ["ec2:CreateNatGateway", "ec2:DeleteNatGateway", "ec2:DescribeNatGateways", ...TAGS_EC2],
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        actions: ["ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:DescribeVpcEndpoints",
            "ec2:DescribeVpcEndpointServices", "ec2:DescribePrefixLists", ...TAGS_EC2],
        note: "a gateway endpoint's read resolves its prefix list",
    },
    // The provider revokes AWS's default allow-all egress rule right after CreateSecurityGroup.
    "aws:ec2/securityGroup:SecurityGroup": {
        actions: ["ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:DescribeSecurityGroups",
            "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
            "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
            "ec2:DescribeNetworkInterfaces", ...TAGS_EC2],
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:ModifySecurityGroupRules",
            "ec2:DescribeSecurityGroupRules", ...TAGS_EC2],
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        actions: ["ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules",
            "ec2:DescribeSecurityGroupRules", ...TAGS_EC2],
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        actions: ["ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate",
            "ec2:DeleteLaunchTemplate", "ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions", ...TAGS_EC2],
    },
    "aws:ec2/flowLog:FlowLog": {
        actions: ["ec2:CreateFlowLogs", "ec2:DeleteFlowLogs", "ec2:DescribeFlowLogs", "iam:PassRole", ...TAGS_EC2],
        note: "passes the flow-log role to VPC Flow Logs",
    },
    // Auto Scaling checks the caller's ec2:RunInstances (and iam:PassRole for the instance profile's
    // role) when a group is created or updated from a launch template:
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
    "aws:autoscaling/group:Group": {
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

    "aws:lb/loadBalancer:LoadBalancer": {
        actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets", "elasticloadbalancing:SetIpAddressType",
            "elasticloadbalancing:DescribeCapacityReservation", "ec2:DescribeNetworkInterfaces", ...TAGS_ELB],
        serviceLinkedRole: "elasticloadbalancing.amazonaws.com",
        note: "delete waits for the load balancer's network interfaces to go",
    },
    "aws:lb/targetGroup:TargetGroup": {
        actions: ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", ...TAGS_ELB],
    },
    "aws:lb/listener:Listener": {
        actions: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerAttributes",
            "elasticloadbalancing:ModifyListenerAttributes", ...TAGS_ELB],
    },
    // The load balancer reads the bundle from S3 with the caller's permissions when the trust store
    // is created or modified; the object is read by its pinned version.
    "aws:lb/trustStore:TrustStore": {
        actions: ["elasticloadbalancing:CreateTrustStore", "elasticloadbalancing:ModifyTrustStore", "elasticloadbalancing:DeleteTrustStore",
            "elasticloadbalancing:DescribeTrustStores", "s3:GetObject", "s3:GetObjectVersion", ...TAGS_ELB],
    },
    "aws:lb/trustStoreRevocation:TrustStoreRevocation": {
        actions: ["elasticloadbalancing:AddTrustStoreRevocations", "elasticloadbalancing:RemoveTrustStoreRevocations",
            "elasticloadbalancing:DescribeTrustStoreRevocations", "s3:GetObject", "s3:GetObjectVersion"],
    },

    "aws:ecs/cluster:Cluster": {
        actions: ["ecs:CreateCluster", "ecs:DeleteCluster", "ecs:UpdateCluster", "ecs:DescribeClusters", ...TAGS_ECS],
        serviceLinkedRole: "ecs.amazonaws.com",
    },
    "aws:ecs/taskDefinition:TaskDefinition": {
        actions: ["ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "iam:PassRole", ...TAGS_ECS],
        note: "passes the execution and task roles to ECS",
    },
    // waitForSteadyState polls DescribeServices until the deployment is complete.
    "aws:ecs/service:Service": {
        actions: ["ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:DescribeServices", ...TAGS_ECS],
        serviceLinkedRole: "ecs.amazonaws.com",
    },
    // Registering an ECS service as a scalable target makes Application Auto Scaling check the
    // caller's ecs:DescribeServices and ecs:UpdateService; target tracking creates CloudWatch alarms
    // on the caller's behalf:
    // https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html
    "aws:appautoscaling/target:Target": {
        actions: ["application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
            "application-autoscaling:DescribeScalableTargets", "application-autoscaling:TagResource",
            "application-autoscaling:UntagResource", "application-autoscaling:ListTagsForResource",
            "ecs:DescribeServices", "ecs:UpdateService"],
        serviceLinkedRole: "ecs.application-autoscaling.amazonaws.com",
    },
    "aws:appautoscaling/policy:Policy": {
        actions: ["application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy",
            "application-autoscaling:DescribeScalingPolicies",
            "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"],
    },
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": {
        actions: ["ecr:CreatePullThroughCacheRule", "ecr:UpdatePullThroughCacheRule", "ecr:DeletePullThroughCacheRule",
            "ecr:DescribePullThroughCacheRules"],
    },
    // internal/service/ecr/repository.go: Create, DescribeRepositories (read), PutImageTagMutability and
    // PutImageScanningConfiguration (update), DeleteRepository with force_delete (delete), tags.
    "aws:ecr/repository:Repository": {
        actions: ["ecr:CreateRepository", "ecr:DescribeRepositories", "ecr:DeleteRepository", "ecr:PutImageTagMutability",
            "ecr:PutImageScanningConfiguration", "ecr:TagResource", "ecr:UntagResource", "ecr:ListTagsForResource"],
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        actions: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DescribeLogGroups", "logs:PutRetentionPolicy",
            "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource"],
    },

    "aws:iam/role:Role": {
        actions: ["iam:CreateRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
            "iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:ListRolePolicies", "iam:GetRolePolicy",
            "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole"],
        note: "the read lists inline and attached policies; delete lists the role's instance profiles",
    },
    "aws:iam/rolePolicy:RolePolicy": {
        actions: ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"],
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        actions: ["iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies"],
    },
    // AddRoleToInstanceProfile requires iam:PassRole on the role.
    "aws:iam/instanceProfile:InstanceProfile": {
        actions: ["iam:CreateInstanceProfile", "iam:GetInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile",
            "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile", "iam:PassRole"],
    },

    "aws:kms/key:Key": {
        actions: ["kms:CreateKey", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus",
            "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:UpdateKeyDescription", "kms:EnableKey", "kms:DisableKey",
            "kms:ScheduleKeyDeletion", "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource"],
    },
    "aws:kms/alias:Alias": {
        actions: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:ListAliases"],
    },
    "aws:secretsmanager/secret:Secret": {
        actions: ["secretsmanager:CreateSecret", "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret",
            "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
            "secretsmanager:TagResource", "secretsmanager:UntagResource"],
    },
    // A value encrypted under a customer managed key needs kms:GenerateDataKey (write) and
    // kms:Decrypt (read) from the caller:
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz
    // The provider reads the value back on create and refresh (secretsmanager/secret_version.go).
    "aws:secretsmanager/secretVersion:SecretVersion": {
        actions: ["secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret",
            "secretsmanager:UpdateSecretVersionStage", "secretsmanager:ListSecretVersionIds",
            "kms:GenerateDataKey", "kms:Decrypt"],
    },
    "aws:secretsmanager/secretPolicy:SecretPolicy": {
        actions: ["secretsmanager:PutResourcePolicy", "secretsmanager:GetResourcePolicy", "secretsmanager:DeleteResourcePolicy"],
    },

    "aws:acm/certificate:Certificate": {
        actions: ["acm:RequestCertificate", "acm:ImportCertificate", "acm:DescribeCertificate", "acm:GetCertificate",
            "acm:UpdateCertificateOptions", "acm:DeleteCertificate", "acm:ListTagsForCertificate",
            "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
    },
    "aws:acm/certificateValidation:CertificateValidation": {
        actions: ["acm:DescribeCertificate"],
    },
    "aws:route53/record:Record": {
        actions: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:GetHostedZone", "route53:GetChange"],
    },
    "aws:acmpca/certificateAuthority:CertificateAuthority": {
        actions: ["acm-pca:CreateCertificateAuthority", "acm-pca:DescribeCertificateAuthority", "acm-pca:UpdateCertificateAuthority",
            "acm-pca:DeleteCertificateAuthority", "acm-pca:GetCertificateAuthorityCsr", "acm-pca:GetCertificateAuthorityCertificate",
            "acm-pca:ListTags", "acm-pca:TagCertificateAuthority", "acm-pca:UntagCertificateAuthority"],
    },
    // The provider's Delete of a Private CA certificate is RevokeCertificate
    // (internal/service/acmpca/certificate.go).
    "aws:acmpca/certificate:Certificate": {
        actions: ["acm-pca:IssueCertificate", "acm-pca:GetCertificate", "acm-pca:RevokeCertificate"],
    },
    "aws:acmpca/certificateAuthorityCertificate:CertificateAuthorityCertificate": {
        actions: ["acm-pca:ImportCertificateAuthorityCertificate", "acm-pca:GetCertificateAuthorityCertificate"],
    },

    "aws:s3/bucket:Bucket": {
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
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
        actions: ["s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"],
    },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
        actions: ["s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"],
    },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        actions: ["s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration"],
    },
    "aws:s3/bucketVersioning:BucketVersioning": {
        actions: ["s3:PutBucketVersioning", "s3:GetBucketVersioning"],
    },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
        actions: ["s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration"],
    },
    "aws:s3/bucketPolicy:BucketPolicy": {
        actions: ["s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"],
    },
    "aws:s3/bucketObjectv2:BucketObjectv2": {
        actions: ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:PutObjectTagging",
            "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucketVersions"],
        note: "delete removes every version of the key in a versioned bucket",
    },
};

/** Provider look-ups, keyed by function token. An empty list: the provider answers without calling AWS. */
export const INVOKE_ACTIONS: Readonly<Record<string, ActionEntry>> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": { actions: ["ec2:DescribeAvailabilityZones"] },
    "aws:index/getPartition:getPartition": { actions: [], note: "answered from the provider's configuration" },
    "aws:index/getRegion:getRegion": { actions: [], note: "answered from the provider's configuration" },
    // "No permissions are required to perform this operation" (STS API reference, GetCallerIdentity).
    "aws:index/getCallerIdentity:getCallerIdentity": { actions: [], note: "sts:GetCallerIdentity needs no permission" },
    "aws:iam/getSessionContext:getSessionContext": { actions: ["iam:GetRole"], note: "reads the deploying role itself" },
    "aws:ssm/getParameter:getParameter": { actions: ["ssm:GetParameter"] },
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
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
]);
