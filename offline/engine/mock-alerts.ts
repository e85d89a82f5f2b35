/**
 * What the AWS APIs refuse at `pulumi up` among the alerting resources (components/observability),
 * so a program that would fail to deploy fails its tests: EventBridge Scheduler's required flexible
 * time window and the form of its one-time expression, an EventBridge rule without a pattern or a
 * schedule, and an alarm or rule target that is not an SNS topic ARN.
 */
import { TOKENS } from "../../policies/shared/tokens";

/** `at(yyyy-mm-ddThh:mm:ss)` (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time). */
const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** Throws the API's refusal (prefixed "mocks:") for an alerting resource it would not create. */
export function checkAlerting(type: string, name: string, inputs: Record<string, any>): void {
    const fail = (why: string) => { throw new Error(`mocks: ${type} ${name}: ${why}`); };
    if (type === TOKENS.schedulerSchedule) {
        // CreateSchedule: FlexibleTimeWindow and Target are required
        // (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html).
        if (!inputs.flexibleTimeWindow?.mode) fail("ValidationException: FlexibleTimeWindow is required");
        const at = AT.exec(String(inputs.scheduleExpression ?? ""));
        if (String(inputs.scheduleExpression ?? "").startsWith("at(") && (!at || Number.isNaN(Date.parse(`${at[1]}Z`)))) {
            fail(`ValidationException: Invalid Schedule Expression ${inputs.scheduleExpression}`);
        }
        const target = String(inputs.target?.arn ?? "");
        if (target.includes(":sns:") && !SNS_ARN.test(target)) fail(`ValidationException: invalid target ${target}`);
    }
    if (type === TOKENS.cloudwatchEventRule && inputs.eventPattern === undefined && inputs.scheduleExpression === undefined) {
        // The provider's own check: "At least one of scheduleExpression or eventPattern is required".
        fail("one of `event_pattern` or `schedule_expression` must be specified");
    }
    if (type === TOKENS.cloudwatchMetricAlarm) {
        for (const action of [...(inputs.alarmActions ?? []), ...(inputs.okActions ?? [])]) {
            if (String(action).includes(":sns:") && !SNS_ARN.test(String(action))) fail(`invalid alarm action ${action}`);
        }
    }
}
