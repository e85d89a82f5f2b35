import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PrivateBucket } from "./private-bucket";

export interface SecureLoadBalancerArgs {
    /** Public subnets, one per AZ. No default. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The load balancer's security group. No default. */
    readonly securityGroupId: pulumi.Input<string>;
    /**
     * Refuse deletion until this is turned off, and keep the access logs when the stack is
     * destroyed (see the constructor). Defaults to false: `pulumi destroy` deletes both.
     */
    readonly deletionProtection?: boolean;
    /** Days to keep access logs. Defaults to 30. */
    readonly accessLogRetentionDays?: number;
}

/**
 * An internet-facing Application Load Balancer hardened beyond the API defaults: it drops header
 * fields that are not valid HTTP, classifies requests with the strictest desync mitigation, passes
 * the negotiated TLS version and cipher to the tier, and writes access logs to a private,
 * TLS-only bucket.
 */
export class SecureLoadBalancer extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly dnsName: pulumi.Output<string>;
    public readonly zoneId: pulumi.Output<string>;
    public readonly accessLogBucket: pulumi.Output<string>;

    constructor(name: string, args: SecureLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:edge:SecureLoadBalancer", name, {}, opts);
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        // Regions from before August 2022 deliver logs from a per-region ELB account; newer ones
        // from the log-delivery service principal. Granting both works everywhere.
        const elbAccount = aws.elb.getServiceAccountOutput({}, { parent: this }).arn;
        // One teardown decision per stack, taken with deletionProtection (prod sets it): a
        // protected load balancer makes `pulumi destroy` fail until the protection is turned off
        // ("You can't delete a load balancer if deletion protection is enabled",
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-delete.html),
        // and its access logs are audit records that must outlive the stack, so the bucket is
        // retained, not emptied (forceDestroy would delete every log with it). Unprotected stacks
        // (dev) are disposable: destroy empties and deletes the bucket.
        const keep = args.deletionProtection ?? false;
        const logs = new PrivateBucket(`${name}-logs`, {
            purpose: "load balancer access logs",
            forceDestroy: !keep,
            retainOnDelete: keep,
            expirationDays: args.accessLogRetentionDays ?? 30,
            statements: bucketArn => [{
                Sid: "LoadBalancerLogDelivery",
                Effect: "Allow",
                Principal: { AWS: elbAccount, Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: pulumi.interpolate`${bucketArn}/alb/AWSLogs/${account}/*`,
            }],
        }, { parent: this });

        const lb = new aws.lb.LoadBalancer(`${name}`, {
            loadBalancerType: "application",
            internal: false,
            subnets: args.subnetIds,
            securityGroups: [args.securityGroupId],
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "strictest",
            enableTlsVersionAndCipherSuiteHeaders: true,
            enableHttp2: true,
            idleTimeout: 60,
            enableDeletionProtection: keep,
            accessLogs: { bucket: logs.bucketName, prefix: "alb", enabled: true },
        }, { parent: this, dependsOn: logs.ready });

        this.arn = lb.arn;
        this.dnsName = lb.dnsName;
        this.zoneId = lb.zoneId;
        this.accessLogBucket = logs.bucketName;
        this.registerOutputs({ arn: this.arn, dnsName: this.dnsName, accessLogBucket: this.accessLogBucket });
    }
}
