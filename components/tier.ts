import * as pulumi from "@pulumi/pulumi";
import { TierIdentity } from "./tier-identity";

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
    /** Port of the TLS terminator (config `backendPort`). No default. */
    readonly backendPort: number;
    /** Loopback port of the application (config `appPort`). No default. */
    readonly appPort: number;
    /** Fewest, most and desired instances or tasks. No defaults. */
    readonly minSize: number;
    readonly maxSize: number;
    readonly desiredSize: number;
}
