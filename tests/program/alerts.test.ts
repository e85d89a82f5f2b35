import * as assert from "assert";
import { X509Certificate } from "crypto";
import { runProgram } from "../../offline/engine/run-program";
import { ProgramRun, RecordedResource } from "../../offline/engine/recorded";
import { TOKENS } from "../../policies/shared/tokens";
import { matchesEventPattern } from "../../offline/engine/event-pattern";
import { assertWaitsFor, byOutput, ofType, one, partnerCsrPem, run } from "./support";
import { decodeUserData } from "../../components/compute/backend/user-data";

const HOUR = 3600_000;

/**
 * A "CloudWatch Alarm State Change" event as CloudWatch sends it to EventBridge (CloudWatch user
 * guide, "Alarm events and EventBridge": resources holds the alarm's ARN, detail the previous and
 * the new state).
 */
function alarmStateChange(alarmArn: string, alarmName: string, previous: string, state: string): object {
    return {
        version: "0", id: "c4c1c1c9-0000-4000-8000-000000000000", "detail-type": "CloudWatch Alarm State Change",
        source: "aws.cloudwatch", account: "123456789012", time: "2027-02-21T05:17:00Z", region: "us-east-1",
        resources: [alarmArn],
        detail: {
            alarmName,
            state: { value: state, reason: `Threshold Crossed: now ${state}`, timestamp: "2027-02-21T05:17:00.000+0000" },
            previousState: { value: previous, reason: `was ${previous}`, timestamp: "2027-02-20T05:17:00.000+0000" },
            configuration: { metrics: [{ id: "m1", metricStat: { metric: { namespace: "AWS/CertificateManager", name: "DaysToExpiry" }, period: 86400, stat: "Minimum" } }] },
        },
    };
}

/** The PEM certificate in a secret's value, for the secret the stack exports under `arn`. */
function certificateOf(r: ProgramRun, secretArn: string): X509Certificate {
    const version = ofType(r, TOKENS.secretsManagerSecretVersion).find(v => v.inputs.secretId === secretArn)!;
    return new X509Certificate(JSON.parse(version.inputs.secretString).certificate);
}

/** The time of a schedule's `at(...)` expression, UTC. */
function atOf(schedule: RecordedResource): number {
    const m = /^at\((.+)\)$/.exec(schedule.inputs.scheduleExpression);
    assert.ok(m, `a one-time expression: ${schedule.inputs.scheduleExpression}`);
    return Date.parse(`${m[1]}Z`);
}

function listenerCertificateArn(r: ProgramRun): string {
    const https = ofType(r, "aws:lb/listener:Listener").find(l => l.inputs.protocol === "HTTPS")!;
    return https.inputs.certificateArn;
}

describe("certificate alerts: every served certificate has an alert that fires from AWS before it expires", function () {
    this.timeout(120_000);

    for (const stack of ["dev", "prod"]) {
        describe(stack, () => {
            it("sends every alert to one KMS-encrypted topic whose key lets CloudWatch and EventBridge publish", async () => {
                const r = await run(stack);
                const topic = one(r, TOKENS.snsTopic);
                assert.strictEqual(r.outputs.alertTopicArn, topic.outputs.arn);
                const key = byOutput(r, "arn", topic.inputs.kmsMasterKeyId);
                assert.ok(key && key.type === TOKENS.kmsKey, "the topic is encrypted with a stack-owned key");
                const services = JSON.parse(key.inputs.policy).Statement.find((s: any) => s.Sid === "AlarmsAndEventsPublish");
                assert.deepStrictEqual(services.Principal.Service, ["cloudwatch.amazonaws.com", "events.amazonaws.com"]);
                const policy = JSON.parse(one(r, TOKENS.snsTopicPolicy).inputs.policy).Statement[0];
                assert.strictEqual(policy.Resource, topic.outputs.arn);
                assert.deepStrictEqual(policy.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
            });

            it("alarms on ACM's DaysToExpiry of the listener's certificate at half the renewal window, and on ACM's expiry event", async () => {
                const r = await run(stack);
                const topic = one(r, TOKENS.snsTopic).outputs.arn;
                const alarm = one(r, TOKENS.cloudwatchMetricAlarm);
                const listenerCert = listenerCertificateArn(r);
                assert.strictEqual(alarm.inputs.namespace, "AWS/CertificateManager");
                assert.strictEqual(alarm.inputs.metricName, "DaysToExpiry");
                assert.deepStrictEqual(alarm.inputs.dimensions, { CertificateArn: listenerCert });
                assert.strictEqual(alarm.inputs.comparisonOperator, "LessThanThreshold");
                assert.strictEqual(alarm.inputs.threshold, 15, "720 h renewal window: alarm under 15 days");
                assert.deepStrictEqual(alarm.inputs.alarmActions, [topic]);
                assert.strictEqual(alarm.inputs.okActions, undefined, "OK actions fire on INSUFFICIENT_DATA -> OK too: every deploy and new certificate would mail 'OK'");
                assert.strictEqual(alarm.inputs.insufficientDataActions, undefined);
                const rule = ofType(r, TOKENS.cloudwatchEventRule).map(x => ({ x, p: JSON.parse(x.inputs.eventPattern) })).find(({ p }) => p.source[0] === "aws.acm")!;
                assert.deepStrictEqual(rule.p.resources, [listenerCert]);
                assert.deepStrictEqual(rule.p["detail-type"], ["ACM Certificate Approaching Expiration"]);
                const target = ofType(r, TOKENS.cloudwatchEventTarget).find(t => t.inputs.rule === rule.x.outputs.name)!;
                assert.strictEqual(target.inputs.arn, topic);
            });

            it("schedules one deadline per backend and client certificate at notAfter minus half the renewal window, published by a role that may only publish to the topic", async () => {
                const r = await run(stack);
                const topic = one(r, TOKENS.snsTopic).outputs.arn;
                const secrets = [r.outputs.backendSecretArn, ...Object.values<string>(r.outputs.clientSecretArns)];
                const schedules = ofType(r, TOKENS.schedulerSchedule);
                assert.strictEqual(schedules.length, secrets.length, schedules.map(s => s.name).join(", "));
                for (const secret of secrets) {
                    const cert = certificateOf(r, secret);
                    const due = Date.parse(cert.validTo) - 360 * HOUR;
                    const s = schedules.find(x => x.inputs.target.input.includes(`serial ${cert.serialNumber}`));
                    assert.ok(s, `a schedule names serial ${cert.serialNumber}`);
                    assert.strictEqual(atOf(s), due, s.inputs.scheduleExpression);
                    assert.strictEqual(s.inputs.target.arn, topic);
                    assert.deepStrictEqual(s.inputs.flexibleTimeWindow, { mode: "OFF" });
                }
                const role = byOutput(r, "arn", schedules[0].inputs.target.roleArn)!;
                assert.strictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "scheduler.amazonaws.com");
                const grant = ofType(r, TOKENS.iamRolePolicy).find(p => p.inputs.role === role.outputs.name)!;
                const publish = JSON.parse(grant.inputs.policy).Statement.find((x: any) => x.Action === "sns:Publish");
                assert.strictEqual(publish.Resource, topic);
            });

            it("tells the topic that the front certificate is OK again only after its alarm was in ALARM, through an EventBridge rule on the alarm's state changes", async () => {
                const r = await run(stack);
                const topic = one(r, TOKENS.snsTopic).outputs.arn;
                const alarm = one(r, TOKENS.cloudwatchMetricAlarm);
                assert.match(alarm.outputs.arn, /^arn:aws:cloudwatch:us-east-1:123456789012:alarm:/);
                const rules = ofType(r, TOKENS.cloudwatchEventRule).filter(x => JSON.parse(x.inputs.eventPattern).source[0] === "aws.cloudwatch");
                assert.strictEqual(rules.length, 1);
                const pattern = JSON.parse(rules[0].inputs.eventPattern);
                const change = (previous: string, state: string, arn = alarm.outputs.arn) => alarmStateChange(arn, alarm.outputs.name, previous, state);
                assert.strictEqual(matchesEventPattern(pattern, change("ALARM", "OK")), true, "a renewal after the alarm fired is told");
                for (const [previous, state] of [["INSUFFICIENT_DATA", "OK"], ["OK", "ALARM"], ["INSUFFICIENT_DATA", "ALARM"], ["ALARM", "INSUFFICIENT_DATA"], ["OK", "INSUFFICIENT_DATA"]]) {
                    assert.strictEqual(matchesEventPattern(pattern, change(previous, state)), false, `${previous} -> ${state}`);
                }
                assert.strictEqual(matchesEventPattern(pattern, change("ALARM", "OK", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:someone-elses")), false, "only this alarm");
                assert.strictEqual(matchesEventPattern(pattern, { ...change("ALARM", "OK"), "detail-type": "CloudWatch Alarm Configuration Change" }), false);
                const target = ofType(r, TOKENS.cloudwatchEventTarget).find(t => t.inputs.rule === rules[0].outputs.name)!;
                assert.strictEqual(target.inputs.arn, topic);
                assert.deepStrictEqual(target.inputs.inputTransformer.inputPaths, { alarm: "$.detail.alarmName", reason: "$.detail.state.reason" });
            });

            it("lets EventBridge publish to the topic and use its key, as an SNS target of an encrypted topic needs", async () => {
                const r = await run(stack);
                const topic = one(r, TOKENS.snsTopic);
                const publish = JSON.parse(one(r, TOKENS.snsTopicPolicy).inputs.policy).Statement
                    .find((x: any) => x.Effect === "Allow" && [x.Principal.Service].flat().includes("events.amazonaws.com"));
                assert.deepStrictEqual([publish.Action, publish.Resource], ["sns:Publish", topic.outputs.arn]);
                const key = byOutput(r, "arn", topic.inputs.kmsMasterKeyId)!;
                const use = JSON.parse(key.inputs.policy).Statement
                    .find((x: any) => x.Effect === "Allow" && [x.Principal?.Service].flat().includes("events.amazonaws.com"));
                assert.deepStrictEqual([...use.Action].sort(), ["kms:Decrypt", "kms:GenerateDataKey*"]);
            });

            it("tells the topic when a client certificate's secret gets a new value", async () => {
                const r = await run(stack);
                const rule = ofType(r, TOKENS.cloudwatchEventRule).map(x => JSON.parse(x.inputs.eventPattern)).find(p => p.source[0] === "aws.secretsmanager")!;
                assert.deepStrictEqual(rule.detail.eventName, ["PutSecretValue"]);
                assert.deepStrictEqual([...rule.detail.responseElements.arn].sort(), Object.values<string>(r.outputs.clientSecretArns).sort());
            });
        });
    }

    it("gives the refresh agent of the asg tier the topic and leave to publish to it alone", async () => {
        const r = await run("dev");
        const topic = one(r, TOKENS.snsTopic).outputs.arn;
        const userData = decodeUserData(one(r, TOKENS.launchTemplate).inputs.userData);
        assert.ok(userData.includes(`ALERT_TOPIC_ARN=${topic}\n`), "the agent's environment names the topic");
        const role = one(r, TOKENS.iamRole, "web-instance");
        const grant = ofType(r, TOKENS.iamRolePolicy).find(p => p.inputs.role === role.outputs.name && p.inputs.policy.includes("sns:Publish"))!;
        const statements = JSON.parse(grant.inputs.policy).Statement;
        assert.deepStrictEqual(statements.map((s: any) => s.Resource), [topic, one(r, TOKENS.snsTopic).inputs.kmsMasterKeyId]);
    });

    for (const stack of ["dev", "prod"]) {
        it(`gives ${stack}'s bring-your-own-key partners a deadline and a renewal notice like the other clients: a one-time schedule before expiry, and a rule on their published certificate`, async () => {
            const csr = await partnerCsrPem("partner-c");
            const r = await run(stack, { "e2e-tls:mtlsClientCsrs": JSON.stringify([csr]) });
            const topic = ofType(r, TOKENS.snsTopic)[0].outputs.arn;
            const cert = new X509Certificate(r.outputs.partnerCertificatesPem["partner-c"]);
            const deadline = ofType(r, TOKENS.schedulerSchedule).find(x => x.inputs.target.input.includes(`serial ${cert.serialNumber}`));
            assert.ok(deadline, "a deadline names the partner certificate's serial");
            assert.match(deadline.inputs.target.input, /the partner partner-c certificate/);
            assert.strictEqual(atOf(deadline), Date.parse(cert.validTo) - 360 * HOUR);
            assert.strictEqual(deadline.inputs.target.arn, topic);

            const published = one(r, TOKENS.ssmParameter);
            assert.strictEqual(published.inputs.name, `/e2e-tls/${stack}/partner-certificates/partner-c`);
            assert.deepStrictEqual([published.inputs.type, published.inputs.tier], ["String", "Standard"], "public, free, under 4 KB");
            assert.strictEqual(published.inputs.value, r.outputs.partnerCertificatesPem["partner-c"]);
            const rule = ofType(r, TOKENS.cloudwatchEventRule).find(x => JSON.parse(x.inputs.eventPattern).source[0] === "aws.ssm")!;
            const pattern = JSON.parse(rule.inputs.eventPattern);
            // "Parameter Store Change" as Systems Manager sends it (user guide, "Setting up notifications … based on Parameter Store events").
            const change = (name: string, operation: string) => ({
                version: "0", id: "1", "detail-type": "Parameter Store Change", source: "aws.ssm", account: "123456789012",
                time: "2027-01-05T05:20:00Z", region: "us-east-1", resources: [`arn:aws:ssm:us-east-1:123456789012:parameter${name}`],
                detail: { operation, name, type: "String", description: "" },
            });
            assert.strictEqual(matchesEventPattern(pattern, change(published.inputs.name, "Update")), true, "a renewal is told");
            assert.strictEqual(matchesEventPattern(pattern, change(published.inputs.name, "Create")), true, "so is the first certificate: hand it over");
            assert.strictEqual(matchesEventPattern(pattern, change(published.inputs.name, "Delete")), false);
            assert.strictEqual(matchesEventPattern(pattern, change("/someone/else", "Update")), false);
            const target = ofType(r, TOKENS.cloudwatchEventTarget).find(t => t.inputs.rule === rule.outputs.name)!;
            assert.strictEqual(target.inputs.arn, topic);
            assert.match(target.inputs.inputTransformer.inputTemplate, /partnerCertificatesPem/);
        });
    }

    it("gives the refresh agent a way to SNS without NAT: an sns interface endpoint with private DNS in the tier's subnets, which the tier waits for", async () => {
        const r = await run("dev");
        const sns = ofType(r, TOKENS.vpcEndpoint).filter(e => e.inputs.serviceName === "com.amazonaws.us-east-1.sns");
        assert.strictEqual(sns.length, 1, "one sns interface endpoint");
        assert.strictEqual(sns[0].inputs.vpcEndpointType, "Interface");
        assert.strictEqual(sns[0].inputs.privateDnsEnabled, true, "the agent publishes to sns.<region>.amazonaws.com, which private DNS resolves to the endpoint");
        const group = one(r, TOKENS.autoscalingGroup);
        assert.deepStrictEqual([...sns[0].inputs.subnetIds].sort(), [...group.inputs.vpcZoneIdentifiers].sort());
        assertWaitsFor(r, group, sns, "sns endpoint");
        const withNat = await run("dev", { "e2e-tls:natGateways": "single" });
        assert.deepStrictEqual(ofType(withNat, TOKENS.vpcEndpoint).filter(e => e.inputs.vpcEndpointType === "Interface"), [],
            "with NAT the agent reaches SNS through the gateway");
    });

    it("subscribes an alert address to the stack's topic (prod: the placeholder, offline) and none in dev", async () => {
        const prod = await run("prod");
        const sub = one(prod, TOKENS.snsTopicSubscription);
        assert.deepStrictEqual([sub.inputs.protocol, sub.inputs.endpoint], ["email", "tls-oncall@example.com"]);
        assert.strictEqual(sub.outputs.pendingConfirmation, true, "an e-mail subscription waits for its confirmation");
        assert.deepStrictEqual(ofType(await run("dev"), TOKENS.snsTopicSubscription), []);
    });

    it("publishes to a topic named by ARN as is, creating no topic or key of its own", async () => {
        const arn = "arn:aws:sns:us-east-1:123456789012:team-alerts";
        const r = await run("dev", { "e2e-tls:alertTarget": arn });
        assert.deepStrictEqual(ofType(r, TOKENS.snsTopic), []);
        assert.strictEqual(ofType(r, TOKENS.kmsKey).length, 1, "only the secrets' key");
        assert.deepStrictEqual(one(r, TOKENS.cloudwatchMetricAlarm).inputs.alarmActions, [arn]);
        assert.ok(ofType(r, TOKENS.schedulerSchedule).every(s => s.inputs.target.arn === arn));
    });

    it("refuses, as a real deploy, an alert address at a reserved domain, and anything that is neither a topic ARN nor an address", async () => {
        const refused = async (alertTarget: string, why: RegExp) => {
            const err = await runProgram({ stack: "dev", placeholders: "refuse", config: { "e2e-tls:alertTarget": alertTarget } }).then(() => assert.fail("accepted"), e => e);
            assert.strictEqual(err.name, "ConfigError", err.stack);
            assert.match(err.message, why);
        };
        await refused("oncall@example.com", /e2e-tls:alertTarget is "oncall@example.com", an address under example\.com/);
        await refused("oncall@corp.test", /an address under \.test/);
        await refused("#tls-oncall", /Use the ARN of a standard SNS topic/);
        await refused("arn:aws:sns:us-east-1:123456789012:alerts.fifo", /Use the ARN of a standard SNS topic/);
    });

    it("refuses mtlsMode passthrough, saying the forwarded client certificate would be verified by no one", async () => {
        const err = await runProgram({ stack: "dev", config: { "e2e-tls:mtlsMode": "passthrough" } }).then(() => assert.fail("accepted"), e => e);
        assert.strictEqual(err.name, "ConfigError", err.stack);
        assert.match(err.message, /^e2e-tls:mtlsMode is "passthrough": .*X-Amzn-Mtls-Clientcert header without verifying it.*no client would be authenticated\. Use "verify" .* or "off"/);
    });
});
