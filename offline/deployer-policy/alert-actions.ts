/**
 * The deploying role's actions for the alerting resources (components/observability), in the form
 * and from the sources of actions.ts: the Service Authorization Reference pages for sns,
 * cloudwatch, events and scheduler, and terraform-provider-aws internal/service/{sns,cloudwatch,
 * events,scheduler}. The scheduler's role is passed with iam:PassRole (CreateSchedule and
 * UpdateSchedule name it), which policy.ts grants on the stack's own roles only.
 */
import type { ActionEntry } from "./actions";
import { TOKENS } from "../../policies/shared/tokens";

const tagging = (service: string) => [`${service}:TagResource`, `${service}:UntagResource`, `${service}:ListTagsForResource`];

export const ALERT_RESOURCE_ACTIONS: Readonly<Record<string, ActionEntry>> = {
    [TOKENS.snsTopic]: {
        actions: ["sns:CreateTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:DeleteTopic", ...tagging("sns")],
    },
    [TOKENS.snsTopicPolicy]: { actions: ["sns:GetTopicAttributes", "sns:SetTopicAttributes"] },
    [TOKENS.snsTopicSubscription]: {
        actions: ["sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:ListSubscriptionsByTopic"],
        note: "a subscription pending confirmation is found by listing the topic's subscriptions",
    },
    [TOKENS.cloudwatchMetricAlarm]: {
        actions: ["cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms", ...tagging("cloudwatch")],
    },
    [TOKENS.cloudwatchEventRule]: {
        actions: ["events:PutRule", "events:DescribeRule", "events:DeleteRule", "events:EnableRule", "events:DisableRule", ...tagging("events")],
    },
    [TOKENS.cloudwatchEventTarget]: { actions: ["events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule"] },
    [TOKENS.schedulerSchedule]: {
        actions: ["scheduler:CreateSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "iam:PassRole"],
    },
};
