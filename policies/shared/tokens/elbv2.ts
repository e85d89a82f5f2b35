/** Elastic Load Balancing v2 tokens, per kind and per `@pulumi/aws` family (see ./index.ts). */

/** Kinds of Elastic Load Balancing v2 resource. */
export const LB_KINDS = [
    "loadBalancer",
    "listener",
    "listenerRule",
    "listenerCertificate",
    "targetGroup",
    "targetGroupAttachment",
    "trustStore",
    "trustStoreRevocation",
] as const;
export type LbKind = (typeof LB_KINDS)[number];

/**
 * ELBv2 kinds per token family of `@pulumi/aws`, all with the same property names. `aws:alb/*` is
 * the older module name of the same AWS resources; `@pulumi/aws` still publishes both, and a rule
 * that knows only one is bypassed by the other. Trust stores exist only under `aws:lb`. The
 * CloudFormation-shaped `aws-native` family is {@link NATIVE}.
 */
export const ELBV2 = {
    lb: {
        loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
        listener: "aws:lb/listener:Listener",
        listenerRule: "aws:lb/listenerRule:ListenerRule",
        listenerCertificate: "aws:lb/listenerCertificate:ListenerCertificate",
        targetGroup: "aws:lb/targetGroup:TargetGroup",
        targetGroupAttachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
        trustStore: "aws:lb/trustStore:TrustStore",
        trustStoreRevocation: "aws:lb/trustStoreRevocation:TrustStoreRevocation",
    },
    alb: {
        loadBalancer: "aws:alb/loadBalancer:LoadBalancer",
        listener: "aws:alb/listener:Listener",
        listenerRule: "aws:alb/listenerRule:ListenerRule",
        listenerCertificate: "aws:alb/listenerCertificate:ListenerCertificate",
        targetGroup: "aws:alb/targetGroup:TargetGroup",
        targetGroupAttachment: "aws:alb/targetGroupAttachment:TargetGroupAttachment",
    },
    // @pulumi/aws v5 and older: deprecated aliases of the same Terraform resources (aws_lb_*), so
    // the same property names as aws:lb (pulumi-aws docs "Migrating from v5 to v6", "Deprecated
    // resources and functions"; removed in v6, still in state files). The guide's row for
    // applicationloadbalancing's listener rule is garbled; the token is listed rather than risked.
    elasticloadbalancingv2: {
        loadBalancer: "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
        listener: "aws:elasticloadbalancingv2/listener:Listener",
        listenerRule: "aws:elasticloadbalancingv2/listenerRule:ListenerRule",
        listenerCertificate: "aws:elasticloadbalancingv2/listenerCertificate:ListenerCertificate",
        targetGroup: "aws:elasticloadbalancingv2/targetGroup:TargetGroup",
        targetGroupAttachment: "aws:elasticloadbalancingv2/targetGroupAttachment:TargetGroupAttachment",
    },
    applicationloadbalancing: {
        loadBalancer: "aws:applicationloadbalancing/loadBalancer:LoadBalancer",
        listener: "aws:applicationloadbalancing/listener:Listener",
        listenerRule: "aws:applicationloadbalancing/listenerRule:ListenerRule",
        listenerCertificate: "aws:applicationloadbalancing/listenerCertificate:ListenerCertificate",
        targetGroup: "aws:applicationloadbalancing/targetGroup:TargetGroup",
        targetGroupAttachment: "aws:applicationloadbalancing/targetGroupAttachment:TargetGroupAttachment",
    },
} as const satisfies Record<string, Partial<Record<LbKind, string>>>;

/** Every type token of each ELBv2 kind, across the families of {@link ELBV2}. */
export const LB_TOKENS: { readonly [K in LbKind]: readonly string[] } = Object.fromEntries(
    LB_KINDS.map((kind) => [
        kind,
        Object.values(ELBV2)
            .map((family) => (family as Partial<Record<LbKind, string>>)[kind])
            .filter((t): t is string => t !== undefined),
    ]),
) as unknown as { readonly [K in LbKind]: readonly string[] };
