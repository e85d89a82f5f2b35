/**
 * The cases of the path rule's attachment tests: one or more per entry of
 * policies/rules/attachments.ts, each over the token families that have it, and the entries one
 * family has no counterpart of.
 */
import { TOKENS, tokensOfShapes } from "../../policies/shared/tokens";
import { StackResource } from "./fixtures-stack";
import {
    BASE_LT_ID, CLOSED, ecs, eni, ENI_ID, Family, FAMILIES, Group, group, INSTANCE_ID, BASTION_ID, instance, key, LC_NAME, LT_ID, LT_NAME, native, ownGroupDeps, ownGroups,
    PRIMARY_ENI_ID, registered, spec, SUBNET_ID, template,
} from "./fixtures-targets";

/** What a case builds around the front: the target registered in web-tg, and the group `g` attached to it through the entry. */
export type Build = (g: Group, family: Family) => StackResource[];

export interface Case {
    readonly title: string;
    /** The entries of attachments.ts the case goes through. */
    readonly entries: readonly string[];
    readonly families: readonly Family[];
    readonly build: Build;
}

export const CASES: readonly Case[] = [
    {
        title: "an instance's own security group ids", entries: [key(TOKENS.instance, "vpcSecurityGroupIds")], families: FAMILIES,
        build: (g, f) => registered(f, ownGroups(f, g), ownGroupDeps(f, g)),
    },
    {
        title: "an instance's security group names", entries: [key(TOKENS.instance, "securityGroups")], families: FAMILIES,
        build: (g, f) => registered(f, { securityGroups: [g.groupName] }, { securityGroups: [g.name] }),
    },
    {
        title: "the groups of an instance's network interface block", entries: [key(TOKENS.instance, "networkInterfaces[].securityGroups")], families: ["aws-native"],
        build: (g, f) => registered(f, { networkInterfaces: [{ deviceIndex: "0", subnetId: "subnet-a", groupSet: [g.id] }] }, { networkInterfaces: [g.name] }),
    },
    {
        title: "a network interface resource an instance names in its network interfaces",
        entries: [key(TOKENS.instance, "networkInterfaces[].networkInterfaceId"), key(TOKENS.networkInterface, "securityGroups")], families: FAMILIES,
        build: (g, f) => [eni(f, g), ...registered(f, { networkInterfaces: [{ deviceIndex: native(f) ? "0" : 0, networkInterfaceId: ENI_ID }] }, { networkInterfaces: ["web-eni"] })],
    },
    {
        title: "a network interface resource as an instance's primary network interface", entries: [key(TOKENS.instance, "primaryNetworkInterface.networkInterfaceId")], families: ["aws"],
        build: (g, f) => [eni(f, g), ...registered(f, { primaryNetworkInterface: { networkInterfaceId: ENI_ID } }, { primaryNetworkInterface: ["web-eni"] })],
    },
    ...(["id", "name"] as const).map((by): Case => ({
        title: `the launch template an instance is launched from, by ${by}`, entries: [key(TOKENS.instance, `launchTemplate.${by}`)], families: FAMILIES,
        build: (g, f) => [template(f, { vpcSecurityGroupIds: [g.id] }, { vpcSecurityGroupIds: [g.name] }),
            ...registered(f, { launchTemplate: native(f) ? (by === "id" ? { launchTemplateId: LT_ID } : { launchTemplateName: LT_NAME }) : { [by]: by === "id" ? LT_ID : LT_NAME } }, { launchTemplate: ["web-lt"] })],
    })),
    {
        title: "a security group attachment onto an instance's primary network interface",
        entries: [key(TOKENS.networkInterfaceSecurityGroupAttachment, "networkInterfaceId")], families: ["aws"],
        build: (g, f) => [...registered(f, { ...ownGroups(f, CLOSED), primaryNetworkInterfaceId: PRIMARY_ENI_ID }, ownGroupDeps(f, CLOSED)), {
            type: TOKENS.networkInterfaceSecurityGroupAttachment, name: "extra-group",
            props: { securityGroupId: g.id, networkInterfaceId: PRIMARY_ENI_ID }, deps: { securityGroupId: [g.name], networkInterfaceId: ["web-1"] },
        }],
    },
    {
        title: "a network interface attached to an instance by a network interface attachment",
        entries: [key(TOKENS.networkInterfaceAttachment, "instanceId")], families: FAMILIES,
        build: (g, f) => [eni(f, g), ...registered(f, ownGroups(f, CLOSED), ownGroupDeps(f, CLOSED)), {
            type: native(f) ? "aws-native:ec2:NetworkInterfaceAttachment" : TOKENS.networkInterfaceAttachment, name: "web-eni-attach",
            props: { instanceId: INSTANCE_ID, networkInterfaceId: ENI_ID, deviceIndex: native(f) ? "1" : 1 }, deps: { instanceId: ["web-1"], networkInterfaceId: ["web-eni"] },
        }],
    },
    {
        title: "a network interface whose own attachment names the instance", entries: [key(TOKENS.networkInterface, "attachments[].instance")], families: ["aws"],
        build: (g, f) => [eni(f, g, { attachments: [{ instance: INSTANCE_ID, deviceIndex: 1 }] }, { attachments: ["web-1"] }), ...registered(f, ownGroups(f, CLOSED), ownGroupDeps(f, CLOSED))],
    },
    {
        title: "a security group attachment onto a network interface attached to the instance",
        entries: [key(TOKENS.networkInterfaceSecurityGroupAttachment, "networkInterfaceId"), key(TOKENS.networkInterfaceAttachment, "instanceId")], families: ["aws"],
        build: (g, f) => [eni(f, CLOSED), ...registered(f, ownGroups(f, CLOSED), ownGroupDeps(f, CLOSED)), {
            type: TOKENS.networkInterfaceAttachment, name: "web-eni-attach", props: { instanceId: INSTANCE_ID, networkInterfaceId: ENI_ID, deviceIndex: 1 }, deps: { instanceId: ["web-1"], networkInterfaceId: ["web-eni"] },
        }, {
            type: TOKENS.networkInterfaceSecurityGroupAttachment, name: "extra-group", props: { securityGroupId: g.id, networkInterfaceId: ENI_ID }, deps: { securityGroupId: [g.name], networkInterfaceId: ["web-eni"] },
        }],
    },
    {
        title: "a launch template's security group ids, by an Auto Scaling group's template id",
        entries: [key(TOKENS.launchTemplate, "vpcSecurityGroupIds"), key(TOKENS.autoscalingGroup, "launchTemplate.id")], families: FAMILIES,
        build: (g, f) => [template(f, { vpcSecurityGroupIds: [g.id] }, { vpcSecurityGroupIds: [g.name] }), group(f, { launchTemplate: spec(f, "id") }, { launchTemplate: ["web-lt"] })],
    },
    {
        title: "a launch template's security group names, by an Auto Scaling group's template name",
        entries: [key(TOKENS.launchTemplate, "securityGroupNames"), key(TOKENS.autoscalingGroup, "launchTemplate.name")], families: FAMILIES,
        build: (g, f) => [template(f, { securityGroupNames: [g.groupName] }, { securityGroupNames: [g.name] }), group(f, { launchTemplate: spec(f, "name") }, { launchTemplate: ["web-lt"] })],
    },
    {
        title: "a launch template's network interface groups", entries: [key(TOKENS.launchTemplate, "networkInterfaces[].securityGroups")], families: FAMILIES,
        build: (g, f) => [template(f, { networkInterfaces: [{ deviceIndex: 0, securityGroups: [g.id] }] }, { networkInterfaces: [g.name] }), group(f, { launchTemplate: spec(f, "id") }, { launchTemplate: ["web-lt"] })],
    },
    {
        title: "a network interface resource a launch template names", entries: [key(TOKENS.launchTemplate, "networkInterfaces[].networkInterfaceId")], families: FAMILIES,
        build: (g, f) => [eni(f, g), template(f, { networkInterfaces: [{ deviceIndex: 0, networkInterfaceId: ENI_ID }] }, { networkInterfaces: ["web-eni"] }),
            group(f, { launchTemplate: spec(f, "id") }, { launchTemplate: ["web-lt"] })],
    },
    {
        title: "a launch configuration's security groups, by an Auto Scaling group's launch configuration",
        entries: [key(TOKENS.launchConfiguration, "securityGroups"), key(TOKENS.autoscalingGroup, "launchConfiguration")], families: FAMILIES,
        build: (g, f) => native(f)
            ? [{ type: "aws-native:autoscaling:LaunchConfiguration", name: "web-lc", props: { launchConfigurationName: LC_NAME, imageId: "ami-1", instanceType: "t4g.nano", securityGroups: [g.id] }, deps: { securityGroups: [g.name] } },
                group(f, { launchConfigurationName: LC_NAME }, { launchConfigurationName: ["web-lc"] })]
            : [{ type: TOKENS.launchConfiguration, name: "web-lc", props: { name: LC_NAME, imageId: "ami-1", instanceType: "t4g.nano", securityGroups: [g.id] }, deps: { securityGroups: [g.name] } },
                group(f, { launchConfiguration: LC_NAME }, { launchConfiguration: ["web-lc"] })],
    },
    ...(["launchTemplateId", "launchTemplateName"] as const).map((by): Case => ({
        title: `a mixed instances policy's launch template, by ${by}`,
        entries: [key(TOKENS.autoscalingGroup, `mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.${by}`)], families: FAMILIES,
        build: (g, f) => [template(f, { vpcSecurityGroupIds: [g.id] }, { vpcSecurityGroupIds: [g.name] }),
            group(f, { mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { [by]: by === "launchTemplateId" ? LT_ID : LT_NAME, version: "1" } } } }, { mixedInstancesPolicy: ["web-lt"] })],
    })),
    ...(["launchTemplateId", "launchTemplateName"] as const).map((by): Case => ({
        title: `a mixed instances policy override's own launch template, by ${by}`,
        entries: [key(TOKENS.autoscalingGroup, `mixedInstancesPolicy.launchTemplate.overrides[].launchTemplateSpecification.${by}`)], families: FAMILIES,
        build: (g, f) => [
            template(f, { vpcSecurityGroupIds: [CLOSED.id] }, { vpcSecurityGroupIds: [CLOSED.name] }, "base-lt", BASE_LT_ID, "base-template"),
            template(f, { vpcSecurityGroupIds: [g.id] }, { vpcSecurityGroupIds: [g.name] }),
            group(f, {
                mixedInstancesPolicy: {
                    launchTemplate: {
                        launchTemplateSpecification: { launchTemplateId: BASE_LT_ID, version: "1" },
                        overrides: [{ instanceType: "t4g.small" }, { instanceType: "m7g.large", launchTemplateSpecification: { [by]: by === "launchTemplateId" ? LT_ID : LT_NAME, version: "1" } }],
                    },
                },
            }, { mixedInstancesPolicy: ["base-lt", "web-lt"] }),
        ],
    })),
    {
        title: "an ECS service's awsvpc security groups", entries: [key(TOKENS.ecsService, "networkConfiguration.securityGroups")], families: FAMILIES,
        build: (g, f) => [ecs(f, g, false)],
    },
    {
        title: "an ECS task set's awsvpc security groups", entries: [key(TOKENS.ecsTaskSet, "networkConfiguration.securityGroups")], families: FAMILIES,
        build: (g, f) => [ecs(f, g, true)],
    },
];

/** A public address attached to a target, or (`onBastion`) to an instance outside the path. */
export interface AddressCase {
    readonly title: string;
    readonly entry: string;
    readonly families: readonly Family[];
    readonly property: string;
    readonly build: (family: Family, onBastion: boolean) => StackResource[];
}

/** web-1 registered in web-tg with closed-sg, and a bastion that is registered nowhere. */
export const targetAndBastion = (f: Family, extra: StackResource[] = []) => [
    ...registered(f, ownGroups(f, CLOSED), ownGroupDeps(f, CLOSED)),
    instance(f, ownGroups(f, CLOSED), ownGroupDeps(f, CLOSED), "bastion", BASTION_ID),
    ...extra,
];

/** A network interface on the target (`onBastion`: on the bastion), attached by a network interface attachment. */
export const eniOn = (f: Family, onBastion: boolean): StackResource[] => [eni(f, CLOSED), {
    type: native(f) ? "aws-native:ec2:NetworkInterfaceAttachment" : TOKENS.networkInterfaceAttachment, name: "web-eni-attach",
    props: { instanceId: onBastion ? BASTION_ID : INSTANCE_ID, networkInterfaceId: ENI_ID, deviceIndex: native(f) ? "1" : 1 },
    deps: { instanceId: [onBastion ? "bastion" : "web-1"], networkInterfaceId: ["web-eni"] },
}];

export const ADDRESS_CASES: readonly AddressCase[] = [
    {
        title: "an EIP association with the instance", entry: key(TOKENS.eipAssociation, "instanceId"), families: FAMILIES, property: "instanceId",
        build: (f, bastion) => targetAndBastion(f, [{
            type: native(f) ? "aws-native:ec2:EipAssociation" : TOKENS.eipAssociation, name: "web-eip",
            props: { allocationId: "eipalloc-0123", instanceId: bastion ? BASTION_ID : INSTANCE_ID }, deps: { instanceId: [bastion ? "bastion" : "web-1"] },
        }]),
    },
    {
        title: "an EIP association with a network interface of the instance", entry: key(TOKENS.eipAssociation, "networkInterfaceId"), families: FAMILIES, property: "networkInterfaceId",
        build: (f, bastion) => targetAndBastion(f, [...eniOn(f, bastion), {
            type: native(f) ? "aws-native:ec2:EipAssociation" : TOKENS.eipAssociation, name: "web-eip",
            props: { allocationId: "eipalloc-0123", networkInterfaceId: ENI_ID }, deps: { networkInterfaceId: ["web-eni"] },
        }]),
    },
    {
        title: "an Elastic IP naming the instance", entry: key(TOKENS.eip, "instance"), families: FAMILIES, property: "instance",
        build: (f, bastion) => targetAndBastion(f, [native(f)
            ? { type: "aws-native:ec2:Eip", name: "web-eip", props: { domain: "vpc", instanceId: bastion ? BASTION_ID : INSTANCE_ID }, deps: { instanceId: [bastion ? "bastion" : "web-1"] } }
            : { type: TOKENS.eip, name: "web-eip", props: { domain: "vpc", instance: bastion ? BASTION_ID : INSTANCE_ID }, deps: { instance: [bastion ? "bastion" : "web-1"] } }]),
    },
    {
        title: "an Elastic IP naming a network interface of the instance", entry: key(TOKENS.eip, "networkInterface"), families: ["aws"], property: "networkInterface",
        build: (f, bastion) => targetAndBastion(f, [...eniOn(f, bastion), { type: TOKENS.eip, name: "web-eip", props: { domain: "vpc", networkInterface: ENI_ID }, deps: { networkInterface: ["web-eni"] } }]),
    },
];


/** A target launched into a subnet that gives it a public address unless the launch (`optOut`) says no. */
export interface SubnetCase {
    readonly title: string;
    readonly entry: string;
    readonly families: readonly Family[];
    /** The property of the finding, in the placing resource's own names. */
    readonly property: (family: Family) => string;
    readonly build: (family: Family, optOut: boolean) => StackResource[];
}


export const SUBNET_CASES: readonly SubnetCase[] = [
    {
        title: "an Auto Scaling group whose launch template leaves the address to the subnet", entry: key(TOKENS.autoscalingGroup, "vpcZoneIdentifiers"), families: FAMILIES,
        property: (f) => (native(f) ? "vpcZoneIdentifier[0]" : "vpcZoneIdentifiers[0]"),
        build: (f, optOut) => [
            template(f, { vpcSecurityGroupIds: [CLOSED.id], ...(optOut ? { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: [CLOSED.id] }] } : {}) }, { vpcSecurityGroupIds: [CLOSED.name] }),
            group(f, { launchTemplate: spec(f, "id"), [native(f) ? "vpcZoneIdentifier" : "vpcZoneIdentifiers"]: [SUBNET_ID] }, { launchTemplate: ["web-lt"], [native(f) ? "vpcZoneIdentifier" : "vpcZoneIdentifiers"]: ["public-a"] }),
        ],
    },
    {
        title: "an Auto Scaling group whose launch configuration leaves the address to the subnet", entry: key(TOKENS.autoscalingGroup, "vpcZoneIdentifiers"), families: FAMILIES,
        property: (f) => (native(f) ? "vpcZoneIdentifier[0]" : "vpcZoneIdentifiers[0]"),
        build: (f, optOut) => {
            const lc = { imageId: "ami-1", instanceType: "t4g.nano", securityGroups: [CLOSED.id], ...(optOut ? { associatePublicIpAddress: false } : {}) };
            return native(f)
                ? [{ type: "aws-native:autoscaling:LaunchConfiguration", name: "web-lc", props: { launchConfigurationName: LC_NAME, ...lc } },
                    group(f, { launchConfigurationName: LC_NAME, vpcZoneIdentifier: [SUBNET_ID] }, { launchConfigurationName: ["web-lc"], vpcZoneIdentifier: ["public-a"] })]
                : [{ type: TOKENS.launchConfiguration, name: "web-lc", props: { name: LC_NAME, ...lc } },
                    group(f, { launchConfiguration: LC_NAME, vpcZoneIdentifiers: [SUBNET_ID] }, { launchConfiguration: ["web-lc"], vpcZoneIdentifiers: ["public-a"] })];
        },
    },
    {
        title: "an instance in the subnet", entry: key(TOKENS.instance, "subnetId"), families: FAMILIES, property: () => "subnetId",
        build: (f, optOut) => registered(f, { ...ownGroups(f, CLOSED), subnetId: SUBNET_ID, ...(optOut && !native(f) ? { associatePublicIpAddress: false } : {}),
            ...(optOut && native(f) ? { networkInterfaces: [{ deviceIndex: "0", associatePublicIpAddress: false, groupSet: [CLOSED.id] }], securityGroupIds: undefined } : {}) }, { ...ownGroupDeps(f, CLOSED), subnetId: ["public-a"] }),
    },
    {
        title: "an instance whose network interface is in the subnet", entry: key(TOKENS.instance, "networkInterfaces[].subnetId"), families: ["aws-native"], property: () => "networkInterfaces[0].subnetId",
        build: (f, optOut) => registered(f, { networkInterfaces: [{ deviceIndex: "0", subnetId: SUBNET_ID, groupSet: [CLOSED.id], ...(optOut ? { associatePublicIpAddress: false } : {}) }] }, { networkInterfaces: ["public-a", CLOSED.name] }),
    },
];

/** The entries one family has no counterpart of, and why. */
export const ONLY: Record<string, { family: Family; why: string }> = {
    [key(TOKENS.instance, "networkInterfaces[].securityGroups")]: { family: "aws-native", why: "aws:ec2/instance's networkInterfaces block names no groups" },
    [key(TOKENS.instance, "primaryNetworkInterface.networkInterfaceId")]: { family: "aws", why: "AWS::EC2::Instance has no PrimaryNetworkInterface" },
    [key(TOKENS.networkInterfaceSecurityGroupAttachment, "networkInterfaceId")]: { family: "aws", why: "CloudFormation has no such resource" },
    [key(TOKENS.networkInterface, "attachments[].instance")]: { family: "aws", why: "AWS::EC2::NetworkInterface has no Attachment" },
    [key(TOKENS.eip, "networkInterface")]: { family: "aws", why: "AWS::EC2::EIP associates by InstanceId only" },
    [key(TOKENS.instance, "networkInterfaces[].subnetId")]: { family: "aws-native", why: "aws:ec2/instance's networkInterfaces are existing interfaces, with no subnet" },
};

/** The families an entry must be proven over: aws, and aws-native where a token of that family is read in the shape. */
export function familiesOf(shape: string, entry: string): Family[] {
    if (ONLY[entry]) return [ONLY[entry].family];
    return tokensOfShapes([shape]).some((t) => t.startsWith("aws-native:")) ? ["aws", "aws-native"] : ["aws"];
}

