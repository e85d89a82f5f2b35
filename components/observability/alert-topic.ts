import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AlertTarget } from "../../config/validate/observability";
import { stackKeyPolicy } from "../security/key-policy";

export interface AlertTopicArgs {
    /** Config `alertTarget`, validated: an existing topic, an e-mail address, or none. No default. */
    readonly target: AlertTarget;
    /**
     * ARN patterns of the principals that deploy the stack: the topic key's policy lets them
     * administer it (components/security/key-policy.ts). No default.
     */
    readonly deployers: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The one place the stack's alerts go. With a topic ARN, that topic (its owner grants CloudWatch,
 * EventBridge and the stack's roles sns:Publish). Otherwise a stack-owned topic, encrypted with its
 * own KMS key, plus an e-mail subscription for an address: SNS sends the address a confirmation
 * message and delivers nothing until someone follows its link.
 *
 * AWS services publish to an encrypted topic only when the key's policy lets their principal use
 * it: CloudWatch alarms and EventBridge need kms:Decrypt and kms:GenerateDataKey* on the key
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
 * the AWS managed key aws/sns cannot be granted, hence a customer managed key.
 */
export class AlertTopic extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    /** The stack-owned topic's key; undefined for a topic named by ARN. */
    public readonly keyArn?: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:observability:AlertTopic", name, {}, opts);
        if (args.target.kind === "topic") {
            this.topicArn = pulumi.output(args.target.arn);
            this.registerOutputs({ topicArn: this.topicArn });
            return;
        }
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const key = new aws.kms.Key(`${name}-alerts-key`, {
            description: `Encrypts the certificate alerts of ${pulumi.getProject()}/${pulumi.getStack()}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            // The account's IAM policies decide as with the default key policy (the scheduler's and
            // the tier's roles get their grants there), and the deployers administer the key.
            policy: stackKeyPolicy({
                account, partition, deployers: args.deployers,
                statements: [{
                    Sid: "AlarmsAndEventsPublish", Effect: "Allow",
                    Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*",
                }],
            }),
        }, { parent: this });
        const topic = new aws.sns.Topic(`${name}-alerts`, {
            displayName: "e2e-tls certificate alerts",
            kmsMasterKeyId: key.arn,
        }, { parent: this });
        new aws.sns.TopicPolicy(`${name}-alerts-policy`, {
            arn: topic.arn,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "AlarmsAndEventsOfThisAccount", Effect: "Allow",
                    Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
                    Action: "sns:Publish", Resource: topic.arn,
                    Condition: { StringEquals: { "aws:SourceAccount": account } },
                }],
            }),
        }, { parent: this });
        if (args.target.kind === "email") {
            // The provider creates an e-mail subscription as "pending confirmation" and cannot
            // delete it until it is confirmed (TF aws_sns_topic_subscription docs, protocols
            // "partially supported").
            new aws.sns.TopicSubscription(`${name}-alerts-email`, {
                topic: topic.arn, protocol: "email", endpoint: args.target.address,
            }, { parent: this });
        }
        this.topicArn = topic.arn;
        this.keyArn = key.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }

    /** Lets `roleName` publish to exactly this topic (and encrypt for it with exactly its key). */
    grantPublish(name: string, roleName: pulumi.Input<string>): aws.iam.RolePolicy {
        return new aws.iam.RolePolicy(name, { role: roleName, policy: publishPolicy(this.topicArn, this.keyArn) }, { parent: this });
    }
}

/**
 * An identity policy that may publish to exactly `topicArn` and, for a topic encrypted with
 * `keyArn`, use exactly that key for it (SNS encrypts with the publisher's permissions:
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
 */
export function publishPolicy(topicArn: pulumi.Input<string>, keyArn?: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "PublishCertificateAlerts", Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
            ...(keyArn ? [{ Sid: "EncryptForTheAlertTopic", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: keyArn }] : []),
        ],
    });
}
