import { StackConfig } from "../keys";
import { AreaValidator, ConfigError, key, show } from "./check";

/**
 * A standard SNS topic ARN (not FIFO: CloudWatch alarms and EventBridge publish only to standard
 * topics). Topic names are 1-256 letters, digits, hyphens and underscores
 * (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
 */
export const SNS_TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** An e-mail address as SNS's email protocol takes it: one @, a domain of at least two labels. */
export const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** What `alertTarget` names: an existing topic, an e-mail address, or nothing (the stack's topic, unsubscribed). */
export type AlertTarget = { readonly kind: "topic"; readonly arn: string } | { readonly kind: "email"; readonly address: string } | { readonly kind: "none" };

/** The kind of a validated `alertTarget`. */
export function alertTargetOf(value: string | undefined): AlertTarget {
    if (value === undefined) return { kind: "none" };
    return SNS_TOPIC_ARN.test(value) ? { kind: "topic", arn: value } : { kind: "email", address: value };
}

/** Who is told about certificates: alertTarget. */
export const validateObservability: AreaValidator = (c: StackConfig) => {
    const v = c.alertTarget;
    if (v === undefined) return;
    if (typeof v !== "string" || (!SNS_TOPIC_ARN.test(v) && !EMAIL.test(v))) {
        throw new ConfigError(`${key("alertTarget")} is ${show(v)}. Use the ARN of a standard SNS topic in the stack's account and Region, such as "arn:aws:sns:us-east-1:123456789012:tls-alerts", or an e-mail address, such as "tls-oncall@<your-domain>".`);
    }
};
