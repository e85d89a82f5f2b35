/**
 * The mocks refuse what the Scheduler, EventBridge and CloudWatch APIs refuse among the alerting
 * resources (offline/engine/mock-limits.ts), and give topics and schedules the ARNs AWS gives.
 */
import * as assert from "assert";
import { AwsMocks } from "../../offline/engine/mocks";
import { TOKENS } from "../../policies/shared/tokens";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:web-alerts";
const create = (type: string, inputs: Record<string, any>) =>
    new AwsMocks().newResource({ type, name: "web", inputs, custom: true });
const schedule = (extra: Record<string, any>) => ({
    scheduleExpression: "at(2027-02-15T01:16:06)", flexibleTimeWindow: { mode: "OFF" },
    target: { arn: TOPIC, roleArn: "arn:aws:iam::123456789012:role/s" }, ...extra,
});

describe("mocks: alerting resources deploy only as AWS would take them", () => {
    it("creates a one-time schedule with a flexible time window and a well-formed at() time, under a scheduler ARN", async () => {
        const { state } = await create(TOKENS.schedulerSchedule, schedule({}));
        assert.match(state.arn, /^arn:aws:scheduler:us-east-1:123456789012:schedule\/default\/web-/);
    });

    it("refuses a schedule without a flexible time window, with a malformed at() time, or with a malformed topic ARN", async () => {
        await assert.rejects(create(TOKENS.schedulerSchedule, schedule({ flexibleTimeWindow: undefined })), /FlexibleTimeWindow is required/);
        await assert.rejects(create(TOKENS.schedulerSchedule, schedule({ scheduleExpression: "at(2027-02-15 01:16)" })), /Invalid Schedule Expression/);
        await assert.rejects(create(TOKENS.schedulerSchedule, schedule({ scheduleExpression: "at(2027-13-45T99:00:00)" })), /Invalid Schedule Expression/);
        await assert.rejects(create(TOKENS.schedulerSchedule, schedule({ target: { arn: "arn:aws:sns:us-east-1:1234:x" } })), /invalid target/);
    });

    it("refuses an EventBridge rule with neither a pattern nor a schedule, and an alarm action that is not a topic ARN", async () => {
        await assert.rejects(create(TOKENS.cloudwatchEventRule, { description: "nothing" }), /event_pattern.*schedule_expression/);
        await assert.rejects(create(TOKENS.cloudwatchMetricAlarm, { alarmActions: ["arn:aws:sns:us-east-1:alerts"] }), /invalid alarm action/);
    });

    it("gives a topic its ARN and an e-mail subscription the pending confirmation AWS leaves it in", async () => {
        const topic = await create(TOKENS.snsTopic, {});
        assert.match(topic.state.arn, /^arn:aws:sns:us-east-1:123456789012:web-[0-9a-f]{7}$/);
        const email = await create(TOKENS.snsTopicSubscription, { topic: TOPIC, protocol: "email", endpoint: "a@b.io" });
        assert.strictEqual(email.state.pendingConfirmation, true);
    });
});
