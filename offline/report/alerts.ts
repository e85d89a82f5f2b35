/**
 * Who is told, and when, about the stack's certificates, read from the recorded resources alone
 * (components/observability): the alert topic and its subscribers, then each alert with the
 * moment it fires. It shows what would be deployed, as the TLS path does.
 */
import { ResourceGraph, ResourceLike } from "./graph";
import { Alerting, AlertRoute } from "./model";
import { TOKENS } from "../../policies/shared/tokens";
import { decodeUserData } from "../../components/compute/backend/user-data";

/** The certificate a deadline schedule watches and its expiry, from the message it publishes. */
const DEADLINE_MESSAGE = /the (.+?) certificate \(serial ([0-9A-Fa-f]+)\) expires at (\S+) /;

export function alerting(resources: readonly ResourceLike[]): Alerting {
    const g = new ResourceGraph(resources);
    const topics = g.ofType(TOKENS.snsTopic);
    const subscriptions = g.ofType(TOKENS.snsTopicSubscription);
    const alarms = g.ofType(TOKENS.cloudwatchMetricAlarm);
    const routes: AlertRoute[] = [
        ...alarms.map(a => ({
            what: "the load balancer's certificate nears expiry",
            when: `ACM's DaysToExpiry (published about twice a day) falls under ${a.inputs.threshold} days; told again when it recovers`,
            via: `CloudWatch alarm ${a.name}`,
        })),
        ...g.ofType(TOKENS.cloudwatchEventRule).flatMap(r => eventRoute(r)),
        ...g.ofType(TOKENS.schedulerSchedule).map(deadlineRoute),
        ...(agentTold(g) ? [{
            what: "the refresh agent refuses a renewed certificate or fails to install it",
            when: "at the first timer run with the new outcome, and once when it recovers",
            via: "sns:Publish from the EC2 instances",
        }] : []),
    ];
    const external = topics.length === 0
        ? [...new Set(alarms.flatMap(a => a.inputs.alarmActions ?? []).map(String))] : [];
    return {
        topic: topics[0]?.name ?? external[0],
        encrypted: topics.length > 0 ? topics.every(t => t.inputs.kmsMasterKeyId !== undefined) : undefined,
        subscribers: subscriptions.map(s => `${s.inputs.protocol} ${s.inputs.endpoint}${s.outputs?.pendingConfirmation === true || s.inputs.protocol === "email" ? " (must confirm the subscription first)" : ""}`),
        routes,
    };
}

function eventRoute(rule: ResourceLike): AlertRoute[] {
    let pattern: any;
    try {
        pattern = JSON.parse(String(rule.inputs.eventPattern ?? "{}"));
    } catch {
        return [];
    }
    if (pattern.source?.[0] === "aws.acm") {
        const days = pattern.detail?.DaysToExpiry?.[0]?.numeric?.[1];
        return [{ what: "the load balancer's certificate nears expiry", when: `ACM's daily expiry event${days !== undefined ? ` with under ${days} days left` : ""}`, via: `EventBridge rule ${rule.name}` }];
    }
    if (pattern.source?.[0] === "aws.secretsmanager") {
        const n = (pattern.detail?.responseElements?.arn ?? []).length;
        return [{ what: `a client certificate is renewed (${n} client secret(s))`, when: "when pulumi up writes its new value; needs a CloudTrail trail of the account's management events", via: `EventBridge rule ${rule.name}` }];
    }
    return [];
}

function deadlineRoute(s: ResourceLike): AlertRoute {
    const m = DEADLINE_MESSAGE.exec(String(s.inputs.target?.input ?? ""));
    const at = /^at\((.+)\)$/.exec(String(s.inputs.scheduleExpression ?? ""))?.[1];
    return {
        what: m ? `the ${m[1]} certificate (serial ${m[2]}, expires ${m[3]}) was not renewed` : "a certificate was not renewed",
        when: at ? `${at} UTC, unless a renewal moves the schedule first` : String(s.inputs.scheduleExpression ?? "unknown"),
        via: `EventBridge Scheduler ${s.name}`,
    };
}

/** True when an instance's user data hands the refresh agent an alert topic. */
function agentTold(g: ResourceGraph): boolean {
    return g.ofType(TOKENS.launchTemplate).some(lt => typeof lt.inputs.userData === "string"
        && decodeUserData(lt.inputs.userData).includes("ALERT_TOPIC_ARN="));
}
