import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { instanceArchitecture } from "../../policies/shared/instance-architecture";
import { encodeUserData, renderUserData } from "./backend/user-data";
import { bootDependencyList, TierArgs } from "./tier";
import { ApplicationSource } from "./application";
import { ecrRepositoryArn } from "./images";
import { imagePullStatements } from "../security/application-access";
import { DEFAULT_INSTANCE_TYPE } from "../../config/keys";

export interface Ec2TierArgs extends TierArgs {
    /** EC2 instance type; Graviton types get the arm64 AMI. Defaults to config `instanceType`'s default. */
    readonly instanceType?: string;
    /**
     * AMI to launch (config `amiId`), for the instance type's architecture. Defaults to the latest
     * Amazon Linux 2023 AMI at the first deploy, then kept: later AL2023 releases do not change
     * the launch template. Setting or changing it is the deliberate bump that rolls the group.
     */
    readonly amiId?: string;
}

const APPLICATION_DESCRIPTION: Record<ApplicationSource, string> = {
    demo: "demo application",
    image: "application container",
    "start-command": "application start command",
};

/**
 * The EC2 tier: an Auto Scaling group across the private subnets, launched from a deliberately
 * chosen AMI (pinned, or Amazon Linux 2023 as of the first deploy) with IMDSv2 only (hop limit 1,
 * so containers on the host cannot reach it), an encrypted root volume and no public address.
 * Each instance runs nginx as the TLS terminator on the backend port in front of the application
 * on loopback (the demo, the application's image under Docker, or its start command on a baked
 * AMI), and a refresh agent that reloads nginx when the certificate secret gets a new version, so
 * renewals need no new instances. The instance role may pull exactly the application's ECR
 * repository. A changed launch template rolls through the group
 * with an instance refresh. The group is created only after everything in `bootDependencies`.
 */
export class Ec2Tier extends pulumi.ComponentResource {
    public readonly autoScalingGroupName: pulumi.Output<string>;
    public readonly launchTemplateId: pulumi.Output<string>;

    constructor(name: string, args: Ec2TierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:compute:Ec2Tier", name, {}, opts);
        const instanceType = args.instanceType ?? DEFAULT_INSTANCE_TYPE;
        const arch = instanceArchitecture(instanceType);
        // A launch-template change starts an instance refresh (terraform-provider-aws
        // website/docs/r/autoscaling_group.html.markdown, instance_refresh), and the "latest"
        // parameter moves with every AL2023 release, so the looked-up AMI is held, as CDK's
        // ResolveSsmParameterAtLaunchImage `cachedInContext` holds its look-up.
        const imageId = args.amiId ?? aws.ssm.getParameterOutput({
            name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
        }, { parent: this }).value;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const app = args.application;
        const userData = pulumi.all([args.secretArn, region, args.alertTopicArn]).apply(([secretArn, r, alertTopicArn]) =>
            encodeUserData(renderUserData({ secretArn, region: r, alertTopicArn, backendPort: args.backendPort, application: app })));
        const repository = app.image !== undefined ? ecrRepositoryArn(app.image) : undefined;
        const pull = repository ? [args.identity.grant(`${name}-pull-app-image`, imagePullStatements([repository]))] : [];

        // The architecture is in the name: a held AMI cannot follow an instance type of another
        // architecture, so a change of architecture is a new template with a fresh look-up.
        const template = new aws.ec2.LaunchTemplate(`${name}-lt-${arch}`, {
            description: `e2e-tls backend: nginx TLS terminator and ${APPLICATION_DESCRIPTION[app.source]}`,
            imageId,
            instanceType,
            iamInstanceProfile: { name: args.identity.instanceProfileName! },
            metadataOptions: {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
                instanceMetadataTags: "disabled",
            },
            networkInterfaces: [{
                associatePublicIpAddress: "false",
                deleteOnTermination: "true",
                securityGroups: [args.securityGroupId],
            }],
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: { encrypted: "true", volumeType: "gp3", volumeSize: 8, deleteOnTermination: "true" },
            }],
            monitoring: { enabled: true },
            userData,
            updateDefaultVersion: true,
            tagSpecifications: [{ resourceType: "instance", tags: { Name: `${name}-backend` } }],
        }, { parent: this, ignoreChanges: args.amiId === undefined ? ["imageId"] : [] });

        const group = new aws.autoscaling.Group(`${name}-asg`, {
            vpcZoneIdentifiers: args.subnetIds,
            minSize: args.minSize,
            maxSize: args.maxSize,
            desiredCapacity: args.desiredSize,
            launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
            targetGroupArns: [args.targetGroupArn],
            healthCheckType: "ELB",
            healthCheckGracePeriod: 180,
            instanceRefresh: {
                strategy: "Rolling",
                preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "120" },
            },
            tags: [{ key: "Name", value: `${name}-backend`, propagateAtLaunch: true }],
        }, { parent: this, dependsOn: [...bootDependencyList(args.bootDependencies), ...pull] });

        this.autoScalingGroupName = group.name;
        this.launchTemplateId = template.id;
        this.registerOutputs({ autoScalingGroupName: this.autoScalingGroupName });
    }
}
