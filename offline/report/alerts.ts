/**
 * Who is told, and when, about the stack's certificates, read from the recorded resources alone
 * (components/observability): the alert topic and its subscribers, then each alert with the
 * moment it fires. It shows what would be deployed, as the TLS path does; an alert sent from inside
 * the VPC is listed only with the route the stack gives it (egress.ts), and named undeliverable
 * when there is none.
 */
import { ResourceGraph, ResourceLike } from "./graph";
import { Alerting, AlertRoute, Undeliverable } from "./model";
import { routeToService } from "./egress";
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
            when: `ACM's DaysToExpiry (published about twice a day) falls under ${a.inputs.threshold} days`,
            via: `CloudWatch alarm ${a.name}`,
        })),
        ...g.ofType(TOKENS.cloudwatchEventRule).flatMap(r => eventRoute(r)),
        ...g.ofType(TOKENS.schedulerSchedule).map(deadlineRoute),
    ];
    const undeliverable: Undeliverable[] = [];
    for (const group of agentGroups(g)) {
        const what = "the refresh agent refuses a renewed certificate or fails to install it";
        const route = routeToService(g, group, "sns");
        if (route.via) {
            routes.push({ what, when: "at the first timer run with the new outcome, and once when it recovers", via: `sns:Publish from the EC2 instances, through ${route.via}` });
        } else {
            undeliverable.push({ what, why: `the instances of ${group.name} have no NAT route and no sns interface endpoint, so their sns:Publish never leaves the VPC` });
        }
    }
    const external = topics.length === 0
        ? [...new Set(alarms.flatMap(a => a.inputs.alarmActions ?? []).map(String))] : [];
    return {
        topic: topics[0]?.name ?? external[0],
        encrypted: topics.length > 0 ? topics.every(t => t.inputs.kmsMasterKeyId !== undefined) : undefined,
        subscribers: subscriptions.map(s => `${s.inputs.protocol} ${s.inputs.endpoint}${s.outputs?.pendingConfirmation === true || s.inputs.protocol === "email" ? " (must confirm the subscription first)" : ""}`),
        routes,
        undeliverable,
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
    if (pattern.source?.[0] === "aws.cloudwatch" && pattern.detail?.previousState?.value?.[0] === "ALARM") {
        return [{ what: "the load balancer's certificate is renewed after its alarm fired", when: "its expiry alarm goes from ALARM back to OK (never on a new alarm or certificate, which start without data)", via: `EventBridge rule ${rule.name}` }];
    }
    if (pattern.source?.[0] === "aws.ssm") {
        const n = (pattern.detail?.name ?? []).length;
        return [{ what: `a bring-your-own-key partner's certificate is issued or renewed (${n} partner(s))`, when: "when pulumi up publishes it to its SSM parameter (Systems Manager's events, best effort)", via: `EventBridge rule ${rule.name}` }];
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

/** The Auto Scaling groups whose launch template hands the refresh agent an alert topic. */
function agentGroups(g: ResourceGraph): ResourceLike[] {
    const told = g.ofType(TOKENS.launchTemplate).filter(lt => typeof lt.inputs.userData === "string"
        && decodeUserData(lt.inputs.userData).includes("ALERT_TOPIC_ARN="));
    return g.ofType(TOKENS.autoscalingGroup).filter(asg => g.refs(asg, "launchTemplate", TOKENS.launchTemplate).some(lt => told.includes(lt)));
}
