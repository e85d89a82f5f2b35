/**
 * Instance rules for the tier behind the load balancer: IMDSv2 only, no public address, encrypted
 * volumes. They read launch templates (what an Auto Scaling group launches), instances, launch
 * configurations and standalone EBS volumes.
 *
 * Launch template fields are strings in the provider (`"true"`), instance fields booleans; both
 * spellings are accepted.
 */
import { Policies } from "@pulumi/policy";
import { TOKENS } from "../shared/tokens";
import { asArray, asNumber, flag, integer, isKnown, isUnknown, oneOf, resourceRule, ROOT_DEVICES, securityHub } from "../framework";

/** `true` for `true` and `"true"`, `false` for any other known value, `undefined` while unknown. */
function truthy(value: unknown): boolean | undefined {
    if (isUnknown(value)) {
        return undefined;
    }
    return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

function usesLaunchTemplate(props: Record<string, any>): boolean {
    return props.launchTemplate !== undefined && props.launchTemplate !== null;
}

// ------------------------------------------------------------------------------------------------
// ec2-imdsv2-required
// ------------------------------------------------------------------------------------------------

const IMDS_TYPES = [TOKENS.launchTemplate, TOKENS.instance, TOKENS.launchConfiguration];

/**
 * Where the instance's metadata options live, or `undefined` when this resource does not decide
 * them (an instance launched from a template inherits the template's, which is checked itself).
 */
function metadataOptionsOf(type: string, props: Record<string, any>): { options: unknown } | undefined {
    if (type === TOKENS.instance && usesLaunchTemplate(props) && !isKnown(props.metadataOptions)) {
        return undefined;
    }
    return { options: props.metadataOptions };
}

export const ec2Imdsv2Required = resourceRule({
    name: "ec2-imdsv2-required",
    description: "Instances must require IMDSv2 session tokens (metadataOptions.httpTokens \"required\"): with " +
        "IMDSv1 a single SSRF in nginx or the app hands out the instance role's credentials, which can read " +
        "the TLS private keys in Secrets Manager. Omitted, launch templates and instances default to IMDSv1 allowed.",
    enforcementLevel: "mandatory",
    severity: "high",
    control: securityHub("EC2.8", "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)"),
    appliesTo: IMDS_TYPES,
    config: {
        maxHttpPutResponseHopLimit: integer(1, "Largest accepted metadataOptions.httpPutResponseHopLimit. 1 keeps tokens on the host " +
            "(AWS Control Tower CT.EC2.PR.2); raise to 2 for containers in bridge mode that need IMDS.", { minimum: 1, maximum: 64 }),
    },
    check: ({ resource, props, config, report }) => {
        const found = metadataOptionsOf(resource.type, props);
        if (!found || isUnknown(found.options)) {
            return;
        }
        const options = (isKnown(found.options) && typeof found.options === "object" ? found.options : {}) as Record<string, any>;
        // With the endpoint off there is no metadata service to steal from.
        if (options.httpEndpoint === "disabled" || isUnknown(options.httpEndpoint)) {
            return;
        }
        const tokens = options.httpTokens;
        if (!isUnknown(tokens) && tokens !== "required") {
            report({
                property: "metadataOptions.httpTokens", value: tokens,
                problem: "lets IMDSv1 GET requests (and so any SSRF) read the instance role's credentials",
                fix: "set metadataOptions.httpTokens to \"required\"",
            });
        }
        const { maxHttpPutResponseHopLimit } = config;
        const hops = options.httpPutResponseHopLimit;
        if ((asNumber(hops) ?? 0) > maxHttpPutResponseHopLimit) {
            report({
                property: "metadataOptions.httpPutResponseHopLimit", value: hops,
                problem: `lets IMDSv2 tokens travel more than ${maxHttpPutResponseHopLimit} network hop(s) from the instance`,
                fix: `set metadataOptions.httpPutResponseHopLimit to ${maxHttpPutResponseHopLimit}`,
            });
        }
    },
    remediate: ({ resource, props }) => {
        const found = metadataOptionsOf(resource.type, props);
        if (!found || isUnknown(found.options)) {
            return undefined;
        }
        if (!isKnown(found.options)) {
            props.metadataOptions = { httpTokens: "required" };
            return props;
        }
        const options = found.options as Record<string, any>;
        if (options.httpEndpoint === "disabled" || isUnknown(options.httpEndpoint) ||
            isUnknown(options.httpTokens) || options.httpTokens === "required") {
            return undefined;
        }
        options.httpTokens = "required";
        return props;
    },
});

// ------------------------------------------------------------------------------------------------
// ec2-no-public-ip
// ------------------------------------------------------------------------------------------------

/**
 * ECS services and task sets on awsvpc: `networkConfiguration.assignPublicIp` (boolean in
 * @pulumi/aws; terraform-provider-aws ecs_service and ecs_task_set `assign_public_ip`) or, in the
 * CloudFormation shape, `networkConfiguration.awsvpcConfiguration.assignPublicIp` ("ENABLED";
 * `awsVpcConfiguration` for a task set). A public address on a Fargate task is the same bypass of
 * the load balancer as on an instance.
 */
function checkEcsPublicIp(native: boolean, props: Record<string, any>, report: (parts: { property: string; value: unknown; problem: string; fix: string }) => void): void {
    // The framework reads an aws-native service in the @pulumi/aws shape (../framework/shapes.ts):
    // "ENABLED" arrives as true, and the report names the resource's own property and value.
    const value = props.networkConfiguration?.assignPublicIp;
    if (truthy(value) === true) {
        report({
            property: "networkConfiguration.assignPublicIp", value: native ? "ENABLED" : value,
            problem: "gives every task a public IPv4 address that bypasses the load balancer",
            fix: `set it to ${native ? '"DISABLED"' : "false"}, run the tasks in private subnets and reach them through the load balancer`,
        });
    }
}

export const ec2NoPublicIp = resourceRule({
    name: "ec2-no-public-ip",
    description: "Tier instances and ECS tasks (services and task sets) must not get a public IP address: the only way in is through the load " +
        "balancer, and a public address bypasses its TLS policy, mTLS and security group path.",
    enforcementLevel: "mandatory",
    severity: "high",
    // aws-native:ecs:Service and TaskSet come in through the family table and read as the aws:ecs shapes.
    appliesTo: [...IMDS_TYPES, TOKENS.ecsService, TOKENS.ecsTaskSet],
    check: ({ resource, family, props, report }) => {
        const fix = "set it to false (or leave it unset in a private subnet) and reach the instances through the load balancer or SSM Session Manager";
        if (resource.type === TOKENS.ecsService || resource.type === TOKENS.ecsTaskSet) {
            checkEcsPublicIp(family === "aws-native", props, report);
        } else if (resource.type === TOKENS.launchTemplate) {
            asArray(props.networkInterfaces).forEach((nic: any, i) => {
                if (nic && typeof nic === "object" && truthy(nic.associatePublicIpAddress) === true) {
                    report({
                        property: `networkInterfaces[${i}].associatePublicIpAddress`, value: nic.associatePublicIpAddress,
                        problem: "gives every instance launched from the template a public IPv4 address", fix,
                    });
                }
            });
        } else if (truthy(props.associatePublicIpAddress) === true) {
            report({ property: "associatePublicIpAddress", value: props.associatePublicIpAddress, problem: "gives the instance a public IPv4 address", fix });
        }
    },
});

// ------------------------------------------------------------------------------------------------
// ebs-volumes-encrypted
// ------------------------------------------------------------------------------------------------

const ENCRYPT_FIX = "set encrypted to true (optionally with kmsKeyId naming a customer-managed key)";
/** The root devices the adapter reads an aws-native volume list by, for messages. */
const ROOTS = oneOf([...ROOT_DEVICES]);

export const ebsVolumesEncrypted = resourceRule({
    name: "ebs-volumes-encrypted",
    description: "EBS volumes of the tier must be encrypted: nginx's private key is written to disk on the " +
        "instance, and snapshots of an unencrypted volume carry it in the clear. Encryption left to the AMI " +
        "snapshot or the account's EBS default cannot be seen in the program and is not accepted.",
    enforcementLevel: "mandatory",
    severity: "medium",
    appliesTo: [TOKENS.ebsVolume, ...IMDS_TYPES],
    config: {
        requireExplicitRootVolume: flag(true, "Require the root volume to be declared with encryption on (launch template " +
            "blockDeviceMappings, instance and launch configuration rootBlockDevice, or in aws-native the blockDeviceMappings " +
            `entry of ${[...ROOT_DEVICES].join(" or ")}) instead of inheriting the AMI's setting.`),
    },
    check: ({ resource, props, config, report, ownPath }) => {
        const { requireExplicitRootVolume } = config;
        const check = (property: string, value: unknown, what: string) => {
            if (truthy(value) === false) {
                report({
                    property, value,
                    problem: `leaves ${what} unencrypted (the EC2 default unless the account enables EBS encryption by default)`,
                    fix: ENCRYPT_FIX,
                });
            }
        };
        if (resource.type === TOKENS.ebsVolume) {
            check("encrypted", props.encrypted, "the volume");
        } else if (resource.type === TOKENS.launchTemplate) {
            if (isUnknown(props.blockDeviceMappings)) {
                return;
            }
            const mappings = asArray(props.blockDeviceMappings);
            let ebsMappings = 0;
            mappings.forEach((mapping: any, i) => {
                if (!mapping || typeof mapping !== "object" || isUnknown(mapping.ebs) || !isKnown(mapping.ebs)) {
                    return;
                }
                ebsMappings++;
                check(`blockDeviceMappings[${i}].ebs.encrypted`, mapping.ebs.encrypted,
                    `the volume on ${typeof mapping.deviceName === "string" ? mapping.deviceName : "this device"}`);
            });
            if (ebsMappings === 0 && requireExplicitRootVolume) {
                report({
                    property: "blockDeviceMappings", value: undefined,
                    problem: "leaves the root volume's encryption to the AMI snapshot and the account's EBS default",
                    fix: "add a blockDeviceMappings entry for the AMI's root device (e.g. \"/dev/xvda\") with ebs.encrypted \"true\"",
                });
            }
        } else {
            const root = props.rootBlockDevice;
            if (isKnown(root) && typeof root === "object") {
                check("rootBlockDevice.encrypted", (root as any).encrypted, "the root volume");
            } else if (!isUnknown(root) && requireExplicitRootVolume && !usesLaunchTemplate(props)) {
                // A resource that lists its volumes in blockDeviceMappings (aws-native) declares the root one there.
                const own = ownPath("rootBlockDevice");
                report({
                    property: "rootBlockDevice", value: undefined,
                    problem: "leaves the root volume's encryption to the AMI snapshot and the account's EBS default",
                    fix: own === "rootBlockDevice" ? "set rootBlockDevice to { encrypted: true }"
                        : `add a ${own} entry for the AMI's root device (${ROOTS}) with ebs.encrypted true`,
                });
            }
            if (!isUnknown(props.ebsBlockDevices)) {
                asArray(props.ebsBlockDevices).forEach((device: any, i) => {
                    if (device && typeof device === "object") {
                        check(`ebsBlockDevices[${i}].encrypted`, device.encrypted,
                            `the volume on ${typeof device.deviceName === "string" ? device.deviceName : "this device"}`);
                    }
                });
            }
        }
    },
    // Only launch templates are remediated: a template change creates a new version for future
    // launches, while flipping encryption on an instance or volume replaces it.
    remediate: ({ resource, props }) => {
        if (resource.type !== TOKENS.launchTemplate || isUnknown(props.blockDeviceMappings)) {
            return undefined;
        }
        let changed = false;
        for (const mapping of asArray(props.blockDeviceMappings)) {
            const ebs = mapping && typeof mapping === "object" ? mapping.ebs : undefined;
            if (isKnown(ebs) && typeof ebs === "object" && truthy(ebs.encrypted) === false) {
                ebs.encrypted = "true";
                changed = true;
            }
        }
        return changed ? props : undefined;
    },
});

export const policies: Policies = [ec2Imdsv2Required, ec2NoPublicIp, ebsVolumesEncrypted];
