/**
 * What the AWS provider or API refuses at `pulumi up` that the mocks would otherwise accept:
 * Elastic Load Balancing v2 names, EC2 user data size, and among the alerting resources
 * (components/observability) EventBridge Scheduler's required flexible time window and the form of
 * its one-time expression, an EventBridge rule without a pattern or a schedule, and an alarm or
 * rule target that is not an SNS topic ARN. Each check throws the error the provider raises (its
 * message, prefixed "mocks:"), so a program that would fail to deploy fails its tests instead.
 */
import { lbKindOf, TOKENS } from "../../policies/shared/tokens";
import { ELB_NAME_MAX, ELB_NAME_PREFIX_MAX, USER_DATA_MAX_BYTES } from "../../policies/rules/deploy-limits";

// The limits are the pack's (elb-names-within-limits, ec2-user-data-within-limit), with their
// sources: the mocks enforce the same numbers the pack reports on.
export { ELB_NAME_MAX, ELB_NAME_PREFIX_MAX, USER_DATA_MAX_BYTES };

const NAME_CHARS = /^[0-9A-Za-z-]+$/;

function nameErrors(key: string, value: string, opts: { internalPrefix: boolean }): string[] {
    const errors: string[] = [];
    if (value.length > ELB_NAME_MAX) errors.push(`"${key}" cannot be longer than ${ELB_NAME_MAX} characters: "${value}"`);
    if (!NAME_CHARS.test(value)) errors.push(`only alphanumeric characters and hyphens allowed in "${key}": "${value}"`);
    if (value.startsWith("-")) errors.push(`"${key}" cannot begin with a hyphen: "${value}"`);
    if (value.endsWith("-")) errors.push(`"${key}" cannot end with a hyphen: "${value}"`);
    if (opts.internalPrefix && value.startsWith("internal-")) errors.push(`"${key}" cannot begin with "internal-": "${value}"`);
    return errors;
}

function prefixErrors(key: string, value: string): string[] {
    const errors: string[] = [];
    if (!NAME_CHARS.test(value)) errors.push(`only alphanumeric characters and hyphens allowed in "${key}": "${value}"`);
    if (value.length > ELB_NAME_PREFIX_MAX) errors.push(`"${key}" cannot be longer than ${ELB_NAME_PREFIX_MAX} characters: "${value}"`);
    if (value.startsWith("-")) errors.push(`"${key}" cannot begin with a hyphen: "${value}"`);
    return errors;
}

/** Throws when a load balancer, target group or trust store carries a name the provider refuses. */
export function checkElbv2Names(type: string, name: string, inputs: Record<string, any>): void {
    const kind = lbKindOf(type);
    if (kind !== "loadBalancer" && kind !== "targetGroup" && kind !== "trustStore") return;
    const errors = [
        ...(typeof inputs.name === "string" && inputs.name !== ""
            ? nameErrors("name", inputs.name, { internalPrefix: kind !== "targetGroup" })
            : []),
        ...(typeof inputs.namePrefix === "string" ? prefixErrors("name_prefix", inputs.namePrefix) : []),
    ];
    if (errors.length > 0) throw new Error(`mocks: ${type} ${name}: ${errors.join("; ")}`);
}

/** Throws when a launch template's or instance's user data is over 16 KB once decoded. */
export function checkUserData(type: string, name: string, inputs: Record<string, any>): void {
    let raw: Buffer | undefined;
    // A launch template takes user data base64-encoded; an instance takes it as text in
    // `userData` or encoded in `userDataBase64`.
    if (type === TOKENS.launchTemplate && typeof inputs.userData === "string") raw = Buffer.from(inputs.userData, "base64");
    else if (type === TOKENS.instance && typeof inputs.userDataBase64 === "string") raw = Buffer.from(inputs.userDataBase64, "base64");
    else if (type === TOKENS.instance && typeof inputs.userData === "string") raw = Buffer.from(inputs.userData, "utf8");
    if (raw && raw.length > USER_DATA_MAX_BYTES) {
        throw new Error(`mocks: ${type} ${name}: user data is ${raw.length} bytes; EC2 accepts at most ${USER_DATA_MAX_BYTES} (16 KB) before base64 encoding`);
    }
}

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
