/**
 * The alerting resources (components/observability), in the form and from the sources of
 * ../entry.ts: terraform-provider-aws internal/service/{sns,cloudwatch,
 * events,scheduler} and the Service Authorization Reference pages for sns, cloudwatch, events and
 * scheduler.
 */
import { ResourceEntry, serviceTagging, TAGGED, tf } from "../entry";
import { TOKENS } from "../../../policies/shared/tokens";

export const ALERTS_ACTIONS: Readonly<Record<string, ResourceEntry>> = {
    [TOKENS.snsTopic]: {
        source: [tf("sns/topic.go")],
        create: ["sns:CreateTopic", "sns:SetTopicAttributes"],
        read: ["sns:GetTopicAttributes"],
        update: ["sns:SetTopicAttributes"],
        delete: ["sns:DeleteTopic"],
        tags: serviceTagging("sns"),
        arguments: {
            displayName: [], ...TAGGED,
            kmsMasterKeyId: {
                calls: [], why: "SNS uses the key when a message is published, with the publisher's permissions, not when the topic is created",
                source: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
            },
        },
        checked: "reviewed",
    },
    [TOKENS.snsTopicPolicy]: {
        source: [tf("sns/topic_policy.go")],
        create: ["sns:SetTopicAttributes"], read: ["sns:GetTopicAttributes"], update: ["sns:SetTopicAttributes"], delete: ["sns:SetTopicAttributes"],
        arguments: { arn: [], policy: [] },
        checked: "reviewed",
    },
    // A subscription pending confirmation is found by listing the topic's subscriptions.
    [TOKENS.snsTopicSubscription]: {
        source: [tf("sns/topic_subscription.go")],
        create: ["sns:Subscribe"],
        read: ["sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic"],
        update: ["sns:SetSubscriptionAttributes"],
        delete: ["sns:Unsubscribe"],
        arguments: { endpoint: [], protocol: [], topic: [] },
        checked: "reviewed",
    },
    [TOKENS.cloudwatchMetricAlarm]: {
        source: [tf("cloudwatch/metric_alarm.go")],
        create: ["cloudwatch:PutMetricAlarm"], read: ["cloudwatch:DescribeAlarms"], update: ["cloudwatch:PutMetricAlarm"], delete: ["cloudwatch:DeleteAlarms"],
        tags: serviceTagging("cloudwatch"),
        arguments: {
            alarmActions: [], alarmDescription: [], comparisonOperator: [], dimensions: [], evaluationPeriods: [], metricName: [], namespace: [],
            okActions: [], period: [], statistic: [], threshold: [], treatMissingData: [], ...TAGGED,
        },
        checked: "reviewed",
    },
    [TOKENS.cloudwatchEventRule]: {
        source: [tf("events/rule.go")],
        create: ["events:PutRule"], read: ["events:DescribeRule"], update: ["events:PutRule", "events:EnableRule", "events:DisableRule"],
        delete: ["events:DeleteRule"],
        tags: serviceTagging("events"),
        arguments: { description: [], eventPattern: [], ...TAGGED },
        checked: "reviewed",
    },
    [TOKENS.cloudwatchEventTarget]: {
        source: [tf("events/target.go")],
        create: ["events:PutTargets"], read: ["events:ListTargetsByRule"], update: ["events:PutTargets"], delete: ["events:RemoveTargets"],
        arguments: { arn: [], inputTransformer: [], rule: [] },
        checked: "reviewed",
    },
    // CreateSchedule and UpdateSchedule name the target's role (iam:PassRole, SAR dependent action).
    [TOKENS.schedulerSchedule]: {
        source: [tf("scheduler/schedule.go"), "https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html"],
        create: ["scheduler:CreateSchedule"], read: ["scheduler:GetSchedule"], update: ["scheduler:UpdateSchedule"], delete: ["scheduler:DeleteSchedule"],
        dependent: [{ actions: ["iam:PassRole"], why: "the schedule's target role is passed to EventBridge Scheduler", source: "SAR scheduler:CreateSchedule, dependent actions" }],
        arguments: { actionAfterCompletion: [], description: [], flexibleTimeWindow: [], scheduleExpression: [], scheduleExpressionTimezone: [], target: [] },
        checked: "reviewed",
    },
    // Bring-your-own-key partners' certificates, published for their renewal notice
    // (components/pki/partner-certificate.ts): PutParameter creates and updates, the read is
    // GetParameter (with decryption off) and DescribeParameters for the metadata, and the tags go
    // through AddTagsToResource / RemoveTagsFromResource / ListTagsForResource on resource type Parameter.
    [TOKENS.ssmParameter]: {
        source: [tf("ssm/parameter.go"), "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html"],
        create: ["ssm:PutParameter"],
        read: ["ssm:GetParameter", "ssm:DescribeParameters"],
        update: ["ssm:PutParameter"],
        delete: ["ssm:DeleteParameter"],
        tags: { onCreate: ["ssm:AddTagsToResource"], list: ["ssm:ListTagsForResource"], tag: ["ssm:AddTagsToResource"], untag: ["ssm:RemoveTagsFromResource"] },
        arguments: { name: [], description: [], type: [], tier: [], dataType: [], value: [], ...TAGGED },
        checked: "reviewed: ops (issue 17 section 3) read internal/service/ssm/parameter.go for create, read, update and delete",
    },
};
