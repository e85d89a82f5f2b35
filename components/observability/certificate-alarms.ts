import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { publishPolicy } from "./alert-topic";

/** A certificate the tier serves or a client holds, watched by a one-time schedule. */
export interface WatchedCertificate {
    /** What the alert calls it: "backend", "client partner-a". */
    readonly label: string;
    /** The certificate, PEM: its notAfter sets the schedule. */
    readonly certificatePem: pulumi.Input<string>;
}

export interface CertificateAlarmsArgs {
    /** Where every alert goes (AlertTopic.topicArn). No default. */
    readonly topicArn: pulumi.Input<string>;
    /** The stack-owned topic's KMS key, which the scheduler's role encrypts with. Undefined for a topic named by ARN. */
    readonly topicKeyArn?: pulumi.Input<string>;
    /** The ALB's ACM certificate (imported or DNS-validated). No default. */
    readonly frontCertificateArn: pulumi.Input<string>;
    /** The backend and client certificates. No default. */
    readonly certificates: WatchedCertificate[];
    /** The client certificates' secrets: a new value in one is a renewal the partner must hear of. Defaults to none. */
    readonly clientSecretArns?: pulumi.Input<string>[];
    /**
     * The SSM parameters bring-your-own-key partners' certificates are published under
     * (PartnerCertificate.parameterName): a new value is a certificate to hand over. Defaults to none.
     */
    readonly partnerParameterNames?: pulumi.Input<string>[];
    /** Config `certEarlyRenewalHours`: when `pulumi up` renews, in hours before expiry. No default. */
    readonly earlyRenewalHours: number;
}

/**
 * Hours before expiry at which a certificate still in service counts as overdue: half its renewal
 * window, so the scheduled `pulumi up` has had the first half to renew it and a person the second.
 */
export function alertLeadHours(earlyRenewalHours: number): number {
    return Math.floor(earlyRenewalHours / 2);
}

/** EventBridge Scheduler's one-time expression, `at(yyyy-mm-ddThh:mm:ss)` in UTC (scheduleExpressionTimezone defaults to UTC). */
export function atExpression(when: Date): string {
    return `at(${when.toISOString().slice(0, 19)})`;
}

/**
 * Alerts that fire from AWS itself before a served certificate expires, whether or not the renewal
 * pipeline runs:
 * - the front certificate: an alarm on ACM's DaysToExpiry (namespace AWS/CertificateManager,
 *   dimension CertificateArn; ACM publishes it for issued and imported certificates alike, about
 *   twice a day, and stops once the certificate has expired:
 *   https://docs.aws.amazon.com/acm/latest/userguide/cloudwatch-metrics.html), and ACM's daily
 *   "ACM Certificate Approaching Expiration" event, filtered to the same threshold (ACM sends it
 *   from 45 days before expiry for imported and private certificates, 30 for public ones:
 *   https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html). ACM never renews an
 *   imported certificate, so for one of those the alarm is the only other voice. Its recovery is
 *   told only after ALARM, by a rule on the alarm's state changes;
 * - the backend and client certificates, which no AWS service watches: one EventBridge Scheduler
 *   one-time schedule each, at notAfter minus the lead, publishing to the topic (SNS Publish is a
 *   templated target: https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html).
 *   Its time derives from the certificate, so every renewal moves it out again; a schedule that
 *   fires means nobody renewed;
 * - a client certificate renewed: a rule on Secrets Manager's PutSecretValue for the clients'
 *   secrets, which EventBridge receives through CloudTrail only when the account has a trail that
 *   logs management events (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event.html;
 *   the pattern: https://docs.aws.amazon.com/secretsmanager/latest/userguide/monitoring-eventbridge.html);
 *   for a bring-your-own-key partner, a rule on the SSM parameter its certificate is published under.
 */
export class CertificateAlarms extends pulumi.ComponentResource {
    constructor(name: string, args: CertificateAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:observability:CertificateAlarms", name, {}, opts);
        const lead = alertLeadHours(args.earlyRenewalHours);
        const leadDays = Math.max(1, Math.floor(lead / 24));
        const stack = `${pulumi.getProject()}/${pulumi.getStack()}`;

        const alarm = new aws.cloudwatch.MetricAlarm(`${name}-front-expiry`, {
            alarmDescription: `${stack}: the load balancer's certificate has under ${leadDays} days left and was not renewed. Run the renewal workflow (pulumi up), or see docs/operations.md, "Alarms".`,
            namespace: "AWS/CertificateManager",
            metricName: "DaysToExpiry",
            dimensions: { CertificateArn: args.frontCertificateArn },
            statistic: "Minimum",
            period: 86400,
            evaluationPeriods: 1,
            comparisonOperator: "LessThanThreshold",
            threshold: leadDays,
            // A new certificate has no data point for up to a day; "missing" keeps the alarm where it
            // was rather than firing on every renewal (an expired one has passed the threshold before).
            treatMissingData: "missing",
            // No okActions: CloudWatch runs them on every transition into OK, INSUFFICIENT_DATA -> OK
            // included (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html),
            // which is where every new alarm and every new certificate ARN starts: each deploy would
            // mail "OK". The recovery is told by the rule below, after ALARM only.
            alarmActions: [args.topicArn],
        }, { parent: this });

        // CloudWatch sends every state change of the alarm to EventBridge, guaranteed, with the
        // alarm's ARN in resources and detail.previousState/detail.state
        // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
        // The topic's policy and its key's policy let events.amazonaws.com publish and encrypt
        // (alert-topic.ts; https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
        const recovered = new aws.cloudwatch.EventRule(`${name}-front-recovered`, {
            description: `${stack}: the load balancer's certificate alarm is OK again after ALARM (renewed)`,
            eventPattern: pulumi.jsonStringify({
                source: ["aws.cloudwatch"],
                "detail-type": ["CloudWatch Alarm State Change"],
                resources: [alarm.arn],
                detail: { previousState: { value: ["ALARM"] }, state: { value: ["OK"] } },
            }),
        }, { parent: this });
        new aws.cloudwatch.EventTarget(`${name}-front-recovered`, {
            rule: recovered.name,
            arn: args.topicArn,
            inputTransformer: {
                inputPaths: { alarm: "$.detail.alarmName", reason: "$.detail.state.reason" },
                inputTemplate: `"${stack}: alarm <alarm> is OK again (<reason>): the load balancer's certificate was renewed."`,
            },
        }, { parent: this });

        const expiring = new aws.cloudwatch.EventRule(`${name}-front-expiring`, {
            description: `${stack}: ACM says the load balancer's certificate expires within ${leadDays} days`,
            eventPattern: pulumi.jsonStringify({
                source: ["aws.acm"],
                "detail-type": ["ACM Certificate Approaching Expiration"],
                resources: [args.frontCertificateArn],
                detail: { DaysToExpiry: [{ numeric: ["<", leadDays] }] },
            }),
        }, { parent: this });
        new aws.cloudwatch.EventTarget(`${name}-front-expiring`, { rule: expiring.name, arn: args.topicArn }, { parent: this });

        const role = new aws.iam.Role(`${name}-scheduler`, {
            description: "e2e-tls: EventBridge Scheduler publishes certificate deadlines to the alert topic",
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow", Principal: { Service: "scheduler.amazonaws.com" }, Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": aws.getCallerIdentityOutput({}, { parent: this }).accountId } },
                }],
            }),
        }, { parent: this });
        const publish = new aws.iam.RolePolicy(`${name}-scheduler`, {
            role: role.name, policy: publishPolicy(args.topicArn, args.topicKeyArn),
        }, { parent: this });

        for (const cert of args.certificates) {
            const slug = cert.label.replace(/[^a-z0-9-]/gi, "-");
            const facts = pulumi.output(cert.certificatePem).apply(pem => {
                const x = new crypto.X509Certificate(pem);
                const notAfter = new Date(x.validTo);
                return { serial: x.serialNumber, notAfter: notAfter.toISOString(), at: atExpression(new Date(notAfter.getTime() - lead * 3600_000)) };
            });
            new aws.scheduler.Schedule(`${name}-${slug}-deadline`, {
                description: `${stack}: the ${cert.label} certificate was not renewed ${lead} h before expiry`,
                scheduleExpression: facts.at,
                scheduleExpressionTimezone: "UTC",
                flexibleTimeWindow: { mode: "OFF" },
                // Kept after it fires, so the stack's state and AWS agree until the next renewal moves it.
                actionAfterCompletion: "NONE",
                target: {
                    arn: args.topicArn,
                    roleArn: role.arn,
                    input: pulumi.interpolate`${stack}: the ${cert.label} certificate (serial ${facts.serial}) expires at ${facts.notAfter} and was not renewed: pulumi up renews it from ${args.earlyRenewalHours} h before expiry. Run the renewal workflow, or see docs/operations.md, "Alarms".`,
                },
            }, { parent: this, dependsOn: [publish] });
        }

        const clients = args.clientSecretArns ?? [];
        if (clients.length > 0) {
            const renewed = new aws.cloudwatch.EventRule(`${name}-client-renewed`, {
                description: `${stack}: a client certificate's secret has a new value (renewal)`,
                eventPattern: pulumi.jsonStringify({
                    source: ["aws.secretsmanager"],
                    "detail-type": ["AWS API Call via CloudTrail"],
                    detail: { eventSource: ["secretsmanager.amazonaws.com"], eventName: ["PutSecretValue"], responseElements: { arn: clients } },
                }),
            }, { parent: this });
            new aws.cloudwatch.EventTarget(`${name}-client-renewed`, {
                rule: renewed.name,
                arn: args.topicArn,
                inputTransformer: {
                    inputPaths: { secret: "$.detail.responseElements.arn", version: "$.detail.responseElements.versionId" },
                    inputTemplate: `"${stack}: a client certificate was renewed: secret <secret>, version <version>. Hand the new certificate to its partner (docs/operations.md, \\"Alarms\\")."`,
                },
            }, { parent: this });
        }

        const partners = args.partnerParameterNames ?? [];
        if (partners.length > 0) {
            // Parameter Store events need no trail; Systems Manager emits them on a best-effort basis
            // (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-cwe.html):
            // the deadline schedules above remain the guarantee.
            const published = new aws.cloudwatch.EventRule(`${name}-partner-renewed`, {
                description: `${stack}: a bring-your-own-key partner's certificate was issued or renewed`,
                eventPattern: pulumi.jsonStringify({
                    source: ["aws.ssm"],
                    "detail-type": ["Parameter Store Change"],
                    detail: { name: partners, operation: ["Create", "Update"] },
                }),
            }, { parent: this });
            new aws.cloudwatch.EventTarget(`${name}-partner-renewed`, {
                rule: published.name,
                arn: args.topicArn,
                inputTransformer: {
                    inputPaths: { parameter: "$.detail.name", operation: "$.detail.operation" },
                    inputTemplate: `"${stack}: a partner's certificate was issued or renewed (<operation> of <parameter>). Send it to the partner: pulumi stack output partnerCertificatesPem, or aws ssm get-parameter --name <parameter> (docs/operations.md, \\"Partner onboarding\\")."`,
                },
            }, { parent: this });
        }
        this.registerOutputs({});
    }
}
