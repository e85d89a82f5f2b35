import * as pulumi from "@pulumi/pulumi";
import { TierIdentity } from "../security/tier-identity";
import { Application } from "./application";

/**
 * What must exist before the tier's first instance or task starts. The engine orders creation by
 * dependencies only (an input reference or `dependsOn`), so each of these is a `dependsOn` of the
 * Auto Scaling group and of the ECS service; without it the engine creates them in parallel.
 */
export interface TierBootDependencies {
    /**
     * The listener(s) and listener rules that forward to the tier's target group. ECS
     * `CreateService` refuses a target group no listener forwards to ("target group … does not have
     * an associated load balancer"; hashicorp/terraform#32908, aws/aws-cdk#1160), and the provider
     * retries that error for about four minutes only (terraform-provider-aws
     * internal/service/ecs/service.go, retryServiceCreate: propagationTimeout + 2 minutes), less
     * than DNS validation can hold the HTTPS listener back. An ASG's targets are not health-checked until
     * a listener forwards to the group.
     */
    readonly forwarders: pulumi.Resource[];
    /** Policies and attachments of the tier's role (secret reads, SSM, image pulls). */
    readonly permissions: pulumi.Resource[];
    /**
     * The tier security group's ingress and egress rules and the load balancer's egress to the
     * tier. The provider removes AWS's default allow-all egress rule from a group it creates
     * (terraform-provider-aws website/docs/r/security_group.html.markdown), so until the rules
     * exist the tier reaches nothing and the load balancer's health checks do not reach it.
     */
    readonly securityRules: pulumi.Resource[];
    /**
     * The private subnets' route tables and associations and the VPC endpoints: without them a
     * NAT-less tier has no path to Secrets Manager, ECR, SSM or the package repositories.
     */
    readonly network: pulumi.Resource[];
    /** Secret versions the tier reads at boot: the secret exists before its value does. */
    readonly secretValues: pulumi.Resource[];
}

/** Everything in a TierBootDependencies, for `dependsOn`. */
export function bootDependencyList(d: TierBootDependencies): pulumi.Resource[] {
    return [...d.forwarders, ...d.permissions, ...d.securityRules, ...d.network, ...d.secretValues];
}

/** What both backend tiers (EC2 and ECS) are given by the stack. */
export interface TierArgs {
    /** Private subnets, one per AZ; the tier never gets a public address. No default. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The tier's security group (backend port from the load balancer only). No default. */
    readonly securityGroupId: pulumi.Input<string>;
    /** HTTPS target group the instances or tasks register with. No default. */
    readonly targetGroupArn: pulumi.Input<string>;
    /** Identity whose role reads the backend secret. No default. */
    readonly identity: TierIdentity;
    /** Secret holding the backend certificate, chain and key. No default. */
    readonly secretArn: pulumi.Input<string>;
    /** SNS topic the refresh agent reports a refused or failing renewal to (EC2 tier). Defaults to none. */
    readonly alertTopicArn?: pulumi.Input<string>;
    /** Port of the TLS terminator (config `backendPort`). No default. */
    readonly backendPort: number;
    /** The application behind the terminator, validated (applicationOf). No default. */
    readonly application: Application;
    /** Fewest, most and desired instances or tasks. No defaults. */
    readonly minSize: number;
    readonly maxSize: number;
    readonly desiredSize: number;
    /** What the compute resource waits for before it starts anything. No default. */
    readonly bootDependencies: TierBootDependencies;
}
