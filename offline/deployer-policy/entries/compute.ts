/**
 * The tiers (components/compute): launch template and Auto Scaling group, ECS, Application Auto Scaling, ECR and CloudWatch Logs.
 * Form and sources: ../entry.ts; merged into RESOURCE_ACTIONS by ../actions.ts.
 */
import { TOKENS } from "../../../policies/shared/tokens";
import { ResourceEntry, serviceTagging, tf, TAGGED, TAGS_EC2 } from "../entry";

/** ECS authorizes tags given at creation as ecs:TagResource (condition key ecs:CreateAction, SAR). */
const TAGS_ECS = serviceTagging("ecs");

export const COMPUTE_ACTIONS: Readonly<Record<string, ResourceEntry>> = {
    [TOKENS.launchTemplate]: {
        source: [tf("ec2/ec2_launch_template.go")],
        create: ["ec2:CreateLaunchTemplate"],
        read: ["ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"],
        update: ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"],
        delete: ["ec2:DeleteLaunchTemplate"],
        tags: TAGS_EC2,
        arguments: {
            // The root volume is encrypted with the AWS managed key aws/ebs: the caller makes no KMS
            // call (a customer managed key would need a kms:CreateGrant the Auto Scaling
            // service-linked role makes: https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
            blockDeviceMappings: { calls: [], why: "encrypted with aws/ebs, no caller KMS call", source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html" },
            description: [], iamInstanceProfile: [], imageId: [], instanceType: [], metadataOptions: [],
            monitoring: [], networkInterfaces: [], userData: [], ...TAGGED,
            updateDefaultVersion: { calls: ["ec2:ModifyLaunchTemplate"], why: "each new version is made the default" },
            tagSpecifications: { calls: ["ec2:CreateTags"], why: "tags for the instances travel in the template; no call until launch" },
        },
        checked: "reviewed",
    },
    // Auto Scaling checks the caller's ec2:RunInstances and iam:PassRole (for the instance
    // profile's role) when a group is created or updated from a launch template:
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
    // The delete sets the capacity to zero and waits for the activities to end.
    [TOKENS.autoscalingGroup]: {
        source: [tf("autoscaling/group.go"), "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html"],
        create: ["autoscaling:CreateAutoScalingGroup"],
        read: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeLifecycleHooks", "autoscaling:DescribeWarmPool",
            "autoscaling:DescribeTrafficSources", "autoscaling:DescribeLoadBalancerTargetGroups"],
        update: ["autoscaling:UpdateAutoScalingGroup"],
        delete: ["autoscaling:UpdateAutoScalingGroup", "autoscaling:DeleteAutoScalingGroup", "autoscaling:DescribeScalingActivities"],
        // Waiting for capacity counts instances healthy in the group's target groups.
        waiters: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeScalingActivities", "elasticloadbalancing:DescribeTargetHealth"],
        tags: { onCreate: ["autoscaling:CreateOrUpdateTags"], list: ["autoscaling:DescribeTags"], tag: ["autoscaling:CreateOrUpdateTags"], untag: ["autoscaling:DeleteTags"] },
        dependent: [{
            actions: ["ec2:RunInstances", "ec2:CreateTags", "iam:PassRole"],
            why: "Auto Scaling checks that the caller may launch from the template, pass the instance profile's role and tag at launch",
            source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html",
        }],
        serviceLinkedRole: { service: "autoscaling.amazonaws.com", source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html" },
        arguments: {
            desiredCapacity: [], healthCheckGracePeriod: [], healthCheckType: [], launchTemplate: [], maxSize: [], minSize: [], vpcZoneIdentifiers: [],
            tags: { calls: [], why: "in CreateAutoScalingGroup; updated with CreateOrUpdateTags and DeleteTags (the entry's tagging)" },
            instanceRefresh: {
                calls: ["autoscaling:StartInstanceRefresh", "autoscaling:DescribeInstanceRefreshes", "autoscaling:CancelInstanceRefresh"],
                why: "a changed launch template starts an instance refresh and waits for it; a new one cancels the one in progress",
            },
            targetGroupArns: {
                calls: ["autoscaling:AttachLoadBalancerTargetGroups", "autoscaling:DetachLoadBalancerTargetGroups"],
                why: "changed target groups are attached and detached",
            },
        },
        checked: "reviewed",
    },
    [TOKENS.ecsCluster]: {
        source: [tf("ecs/cluster.go")],
        create: ["ecs:CreateCluster"],
        read: ["ecs:DescribeClusters"],
        update: ["ecs:UpdateCluster"],
        delete: ["ecs:DeleteCluster"],
        waiters: ["ecs:DescribeClusters"],
        tags: TAGS_ECS,
        serviceLinkedRole: { service: "ecs.amazonaws.com", source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html" },
        arguments: { settings: [], ...TAGGED },
        checked: "reviewed",
    },
    [TOKENS.ecsTaskDefinition]: {
        source: [tf("ecs/task_definition.go")],
        create: ["ecs:RegisterTaskDefinition"],
        read: ["ecs:DescribeTaskDefinition"],
        update: [],
        delete: ["ecs:DeregisterTaskDefinition"],
        tags: TAGS_ECS,
        dependent: [{
            actions: ["iam:PassRole"], why: "RegisterTaskDefinition passes the execution and task roles to ECS tasks",
            source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html",
        }],
        arguments: {
            containerDefinitions: [], cpu: [], executionRoleArn: [], family: [], memory: [], networkMode: [], requiresCompatibilities: [],
            runtimePlatform: [], taskRoleArn: [], ...TAGGED,
        },
        checked: "reviewed: resourceTaskDefinitionDelete deregisters only",
    },
    // The read describes the service with its tags; the delete drains it (desired count 0), deletes
    // it and waits until it is INACTIVE.
    [TOKENS.ecsService]: {
        source: [tf("ecs/service.go")],
        create: ["ecs:CreateService"],
        read: ["ecs:DescribeServices"],
        update: ["ecs:UpdateService"],
        delete: ["ecs:UpdateService", "ecs:DeleteService"],
        waiters: ["ecs:DescribeServices"],
        tags: TAGS_ECS,
        serviceLinkedRole: { service: "ecs.amazonaws.com", source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html" },
        arguments: {
            cluster: [], deploymentCircuitBreaker: [], deploymentMaximumPercent: [], deploymentMinimumHealthyPercent: [], desiredCount: [],
            healthCheckGracePeriodSeconds: [], launchType: [], loadBalancers: [], networkConfiguration: [], platformVersion: [],
            propagateTags: [], taskDefinition: [], ...TAGGED,
            // waitServiceStable -> statusServiceWaitForStable -> findPrimaryDeploymentARN
            // (ListServiceDeployments) and findDeploymentStatus (DescribeServiceDeployments), on
            // create and on every update. StopServiceDeployment only with sigint_rollback, unset here.
            waitForSteadyState: {
                calls: ["ecs:DescribeServices", "ecs:ListServiceDeployments", "ecs:DescribeServiceDeployments"],
                why: "the steady-state waiter follows the service's new deployment to a terminal status",
                source: tf("ecs/service.go"),
            },
        },
        checked: "read: resourceServiceCreate, resourceServiceRead, resourceServiceUpdate, resourceServiceDelete, waitServiceStable and its finders (issue 17: ListServiceDeployments and DescribeServiceDeployments were missing)",
    },
    // Registering an ECS service as a scalable target makes Application Auto Scaling check the
    // caller's ecs:DescribeServices and ecs:UpdateService; target tracking creates CloudWatch alarms
    // on the caller's behalf:
    // https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html
    [TOKENS.appautoscalingTarget]: {
        source: [tf("appautoscaling/target.go"), "https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html"],
        create: ["application-autoscaling:RegisterScalableTarget"],
        read: ["application-autoscaling:DescribeScalableTargets"],
        update: ["application-autoscaling:RegisterScalableTarget"],
        delete: ["application-autoscaling:DeregisterScalableTarget"],
        tags: serviceTagging("application-autoscaling"),
        dependent: [{
            actions: ["ecs:DescribeServices", "ecs:UpdateService"],
            why: "Application Auto Scaling checks the caller may describe and update the ECS service it scales",
            source: "https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html",
        }],
        serviceLinkedRole: { service: "ecs.application-autoscaling.amazonaws.com", source: "https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html" },
        arguments: { maxCapacity: [], minCapacity: [], resourceId: [], scalableDimension: [], serviceNamespace: [], ...TAGGED },
        checked: "reviewed",
    },
    [TOKENS.appautoscalingPolicy]: {
        source: [tf("appautoscaling/policy.go"), "https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html"],
        create: ["application-autoscaling:PutScalingPolicy"],
        read: ["application-autoscaling:DescribeScalingPolicies"],
        update: ["application-autoscaling:PutScalingPolicy"],
        delete: ["application-autoscaling:DeleteScalingPolicy"],
        dependent: [{
            actions: ["cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"],
            why: "target tracking creates, reads and deletes its alarms with the caller's permissions",
            source: "https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html",
        }],
        arguments: { policyType: [], resourceId: [], scalableDimension: [], serviceNamespace: [], targetTrackingScalingPolicyConfiguration: [] },
        checked: "reviewed",
    },
    // ECR creates its pull-through-cache service-linked role with the caller's permissions when the
    // first rule is created.
    [TOKENS.ecrPullThroughCacheRule]: {
        source: [tf("ecr/pull_through_cache_rule.go"), "https://docs.aws.amazon.com/AmazonECR/latest/userguide/slr-pullthroughcache.html"],
        create: ["ecr:CreatePullThroughCacheRule"],
        read: ["ecr:DescribePullThroughCacheRules"],
        update: ["ecr:UpdatePullThroughCacheRule"],
        delete: ["ecr:DeletePullThroughCacheRule"],
        serviceLinkedRole: { service: "pullthroughcache.ecr.amazonaws.com", source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/slr-pullthroughcache.html" },
        arguments: { ecrRepositoryPrefix: [], upstreamRegistryUrl: [] },
        checked: "reviewed; the service-linked role read in the ECR user guide (issue 17: it was missing)",
    },
    // Create, DescribeRepositories (read), PutImageTagMutability and PutImageScanningConfiguration
    // (update), DeleteRepository (delete, with force_delete).
    [TOKENS.ecrRepository]: {
        source: [tf("ecr/repository.go")],
        create: ["ecr:CreateRepository"],
        read: ["ecr:DescribeRepositories"],
        update: ["ecr:PutImageTagMutability", "ecr:PutImageScanningConfiguration"],
        delete: ["ecr:DeleteRepository"],
        tags: serviceTagging("ecr"),
        arguments: { encryptionConfigurations: [], forceDelete: [], imageScanningConfiguration: [], imageTagMutability: [], name: [], ...TAGGED },
        checked: "reviewed",
    },
    [TOKENS.cloudwatchLogGroup]: {
        source: [tf("logs/group.go")],
        create: ["logs:CreateLogGroup"],
        read: ["logs:DescribeLogGroups"],
        update: ["logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"],
        delete: ["logs:DeleteLogGroup"],
        tags: serviceTagging("logs"),
        arguments: {
            ...TAGGED,
            retentionInDays: { calls: ["logs:PutRetentionPolicy"], why: "the retention is set after CreateLogGroup" },
        },
        checked: "reviewed",
    },
};
