import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { MtlsMode } from "../../config/keys";

export interface SecureListenersArgs {
    readonly loadBalancerArn: pulumi.Input<string>;
    readonly vpcId: pulumi.Input<string>;
    /** ELB security policy of the HTTPS listener, already validated as TLS 1.2+. No default. */
    readonly sslPolicy: string;
    /** ACM certificate the HTTPS listener presents. No default. */
    readonly certificateArn: pulumi.Input<string>;
    /** Mutual TLS mode. No default. */
    readonly mtlsMode: MtlsMode;
    /** Trust store to verify clients against; required with mtlsMode "verify". */
    readonly trustStoreArn?: pulumi.Input<string>;
    /** Port of the tier's TLS terminator. No default. */
    readonly backendPort: number;
    /** "instance" for the EC2 tier, "ip" for Fargate tasks. No default. */
    readonly targetType: "instance" | "ip";
    /**
     * Path of the tier's health check, which the terminator passes to the application. Defaults to
     * "/" (AWS's default too).
     */
    readonly healthCheckPath?: string;
    /**
     * HTTP codes of a healthy answer, in the matcher syntax ("200", "200,204", "200-299"), already
     * validated. Defaults to "200".
     */
    readonly healthCheckCodes?: string;
}

/**
 * The load balancer's listeners and where they send traffic:
 * - HTTPS:443 on the configured security policy with the front certificate and mutual TLS;
 * - HTTP:80 whose only action is a permanent redirect to HTTPS:443;
 * - an HTTPS target group on the backend port whose health checks are HTTPS too (ALB health
 *   checks default to plain HTTP even on an HTTPS target group).
 */
export class SecureListeners extends pulumi.ComponentResource {
    public readonly targetGroupArn: pulumi.Output<string>;
    public readonly httpsListenerArn: pulumi.Output<string>;
    public readonly httpListenerArn: pulumi.Output<string>;
    /** The listeners and rules that forward to the target group: what the tier must wait for. */
    public readonly forwarders: pulumi.Resource[];

    constructor(name: string, args: SecureListenersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:edge:SecureListeners", name, {}, opts);
        if (args.mtlsMode === "verify" && !args.trustStoreArn) {
            throw new pulumi.ResourceError("mtlsMode \"verify\" needs a trust store", this);
        }
        const targetGroup = new aws.lb.TargetGroup(`${name}-tg`, {
            vpcId: args.vpcId,
            targetType: args.targetType,
            protocol: "HTTPS",
            protocolVersion: "HTTP1",
            port: args.backendPort,
            deregistrationDelay: 30,
            healthCheck: {
                enabled: true,
                protocol: "HTTPS",
                port: "traffic-port",
                path: args.healthCheckPath ?? "/",
                matcher: args.healthCheckCodes ?? "200",
                interval: 15,
                timeout: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
            },
        }, { parent: this });

        const https = new aws.lb.Listener(`${name}-https`, {
            loadBalancerArn: args.loadBalancerArn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: args.sslPolicy,
            certificateArn: args.certificateArn,
            mutualAuthentication: mutualAuthentication(args.mtlsMode, args.trustStoreArn),
            defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
            routingHttpResponseStrictTransportSecurityHeaderValue: HSTS_HEADER_VALUE,
        }, { parent: this });

        const http = new aws.lb.Listener(`${name}-http`, {
            loadBalancerArn: args.loadBalancerArn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [{
                type: "redirect",
                redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
            }],
        }, { parent: this });

        this.targetGroupArn = targetGroup.arn;
        this.httpsListenerArn = https.arn;
        this.httpListenerArn = http.arn;
        this.forwarders = [https];
        this.registerOutputs({ targetGroupArn: this.targetGroupArn, httpsListenerArn: this.httpsListenerArn });
    }
}

/**
 * Strict-Transport-Security the HTTPS listener adds to every response (ALB HTTP header
 * modification: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html).
 * A year, the HSTS preload list's own minimum, and the service name's subdomains. No `preload`:
 * it asks browsers to hard-code the whole registrable domain, is only honoured on an apex name
 * (https://hstspreload.org/#deployment-recommendations), and takes months to undo; whoever owns
 * the domain decides that, not this stack.
 */
export const HSTS_HEADER_VALUE = "max-age=31536000; includeSubDomains";

/**
 * The listener's mutualAuthentication block. Mode "off" is written out: removing the block does
 * not turn mTLS off on a live listener, and "off" must carry no other field.
 */
export function mutualAuthentication(mode: MtlsMode, trustStoreArn?: pulumi.Input<string>): aws.types.input.lb.ListenerMutualAuthentication {
    switch (mode) {
        case "verify":
            return { mode, trustStoreArn, ignoreClientCertificateExpiry: false };
        case "passthrough":
        case "off":
            return { mode };
    }
}
