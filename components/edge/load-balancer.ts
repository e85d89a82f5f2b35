import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PrivateBucket } from "../storage/private-bucket";
import { accessLogPrincipal } from "../../config/regions";

export interface SecureLoadBalancerArgs {
    /** Public subnets, one per AZ. No default. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The load balancer's security group. No default. */
    readonly securityGroupId: pulumi.Input<string>;
    /** Refuse deletion until this is turned off. Defaults to false. */
    readonly deletionProtection?: boolean;
    /**
     * Keep the access-log bucket, logs and settings in AWS when the stack is destroyed, never
     * emptying it. Defaults to false: `pulumi destroy` empties and deletes it.
     */
    readonly retainAccessLogs?: boolean;
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
        // Not aws.elb.getServiceAccount: it fails in Regions opened since August 2022, which AWS
        // serves from the log-delivery service principal instead (see config/regions.ts).
        const logWriter = aws.getRegionOutput({}, { parent: this }).region.apply(accessLogPrincipal);
        // Access logs are audit records: a stack that keeps them (prod) must not lose them to
        // `pulumi destroy`, so the bucket is retained, not emptied (forceDestroy would delete every
        // log with it). This is its own key, not deletionProtection: tearing down a protected
        // stack starts by turning protection off ("You can't delete a load balancer if deletion
        // protection is enabled",
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-delete.html),
        // and that `pulumi up` must not also give the logs up.
        const keep = args.retainAccessLogs ?? false;
        const logs = new PrivateBucket(`${name}-logs`, {
            purpose: "load balancer access logs",
            forceDestroy: !keep,
            retainOnDelete: keep,
            expirationDays: args.accessLogRetentionDays ?? 30,
            statements: bucketArn => [{
                Sid: "LoadBalancerLogDelivery",
                Effect: "Allow",
                Principal: logWriter,
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
            enableDeletionProtection: args.deletionProtection ?? false,
            accessLogs: { bucket: logs.bucketName, prefix: "alb", enabled: true },
        }, { parent: this, dependsOn: logs.ready });

        this.arn = lb.arn;
        this.dnsName = lb.dnsName;
        this.zoneId = lb.zoneId;
        this.accessLogBucket = logs.bucketName;
        this.registerOutputs({ arn: this.arn, dnsName: this.dnsName, accessLogBucket: this.accessLogBucket });
    }
}
