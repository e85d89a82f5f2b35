/**
 * The path rule follows every way AWS attaches a security group or a public address to a target
 * (policies/rules/attachments.ts): for each entry, over each token family that has it, the target
 * reached through it is judged: a security group admitting the backend port from outside the load
 * balancer's group is refused, one admitting it only from the load balancer's group is accepted;
 * an Elastic IP on a target is refused, one on an instance outside the path is not. A table proves
 * that every entry of the data has its cases.
 */
import * as assert from "assert";
import { JOINS, LINKS, PLACEMENTS, SUBNETS } from "../../policies/rules/attachments";
import { NATIVE, TOKENS, tokensOfShapes } from "../../policies/shared/tokens";
import { Diagnostic } from "../../offline/analyzer/harness";
import { of, usePackPerTest } from "./fixtures";
import { asPreview, find, StackResource, toResources, webStack } from "./fixtures-stack";
import { RULES } from "./names";

const { PATH } = RULES["stack-path"];
const { PUBLIC_IP } = RULES.instances;

type Family = "aws" | "aws-native";
const FAMILIES: readonly Family[] = ["aws", "aws-native"];

const INSTANCE_ID = "i-0aaaaaaaaaaaaaaa1";
const BASTION_ID = "i-0aaaaaaaaaaaaaaa2";
const ENI_ID = "eni-0bbbbbbbbbbbbbbb1";
const PRIMARY_ENI_ID = "eni-0ccccccccccccccc1";
const LT_ID = "lt-0ddddddddddddddd1";
const BASE_LT_ID = "lt-0ddddddddddddddd2";
const LT_NAME = "web-template";
const LC_NAME = "web-launch-config";
const PRIVATE_IP = "10.0.1.25";
const PORT = 8443;

/** The key of an entry of attachments.ts: `<shape>#<path>`, a join by one of its `onto` paths. */
const key = (shape: string, path: string) => `${shape}#${path}`;

/** The security group a case attaches: one open to a private range on the backend port, or one open to the load balancer's group only. */
interface Group {
    readonly name: string;
    readonly id: string;
    readonly groupName: string;
}

const OPEN: Group = { name: "open-sg", id: "sg-0eeeeeeeeeeeeeee1", groupName: "web-open" };
const CLOSED: Group = { name: "closed-sg", id: "sg-0eeeeeeeeeeeeeee2", groupName: "web-closed" };

/** The tier's front (load balancer, listeners, HTTPS target group) with the two groups and nothing registered. */
function front(): StackResource[] {
    const stack = webStack({ compute: "ecs" }).filter((r) => r.name !== "web-service");
    const albSg = find(stack, "alb-sg").props.id;
    const group = (g: Group, ingress: Record<string, unknown>): StackResource => ({
        type: TOKENS.securityGroup, name: g.name,
        props: { id: g.id, name: g.groupName, arn: `arn:aws:ec2:us-east-1:123456789012:security-group/${g.id}`, vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: PORT, toPort: PORT, ...ingress }] },
    });
    return [...stack, group(OPEN, { cidrBlocks: ["10.0.0.0/8"] }), group(CLOSED, { securityGroups: [albSg] })];
}

const TG = () => find(front(), "web-tg").props.arn as string;

/** What a case builds around the front: the target registered in web-tg, and the group `g` attached to it through the entry. */
type Build = (g: Group, family: Family) => StackResource[];

interface Case {
    readonly title: string;
    /** The entries of attachments.ts the case goes through. */
    readonly entries: readonly string[];
    readonly families: readonly Family[];
    readonly build: Build;
}

const native = (family: Family) => family === "aws-native";

function instance(family: Family, props: Record<string, any> = {}, deps: Record<string, string[]> = {}, name = "web-1", id = INSTANCE_ID): StackResource {
    return native(family)
        ? { type: "aws-native:ec2:Instance", name, props: { instanceId: id, imageId: "ami-1", ...props }, deps }
        : { type: TOKENS.instance, name, props: { id, ami: "ami-1", ...props }, deps };
}

/** web-1 registered in web-tg by instance id. */
function registered(family: Family, props: Record<string, any> = {}, deps: Record<string, string[]> = {}): StackResource[] {
    return [instance(family, props, deps), {
        type: "aws:lb/targetGroupAttachment:TargetGroupAttachment", name: "web-1-attach",
        props: { targetGroupArn: TG(), targetId: INSTANCE_ID, port: PORT }, deps: { targetGroupArn: ["web-tg"], targetId: ["web-1"] },
    }];
}

/** The instance's own groups, in its family's property. */
const ownGroups = (family: Family, g: Group): Record<string, string[]> => ({ [native(family) ? "securityGroupIds" : "vpcSecurityGroupIds"]: [g.id] });
const ownGroupDeps = (family: Family, g: Group): Record<string, string[]> => ({ [native(family) ? "securityGroupIds" : "vpcSecurityGroupIds"]: [g.name] });

function eni(family: Family, g: Group, extra: Record<string, any> = {}, extraDeps: Record<string, string[]> = {}): StackResource {
    return native(family)
        ? { type: "aws-native:ec2:NetworkInterface", name: "web-eni", props: { awsId: ENI_ID, subnetId: "subnet-a", groupSet: [g.id], ...extra }, deps: { groupSet: [g.name], ...extraDeps } }
        : { type: TOKENS.networkInterface, name: "web-eni", props: { id: ENI_ID, subnetId: "subnet-a", securityGroups: [g.id], ...extra }, deps: { securityGroups: [g.name], ...extraDeps } };
}

/** A launch template whose data is `data` (aws:ec2 names; translated for aws-native). */
function template(family: Family, data: Record<string, any>, deps: Record<string, string[]>, name = "web-lt", id = LT_ID, ltName = LT_NAME): StackResource {
    if (!native(family)) {
        return { type: TOKENS.launchTemplate, name, props: { id, name: ltName, ...data }, deps };
    }
    const d: Record<string, any> = { ...data };
    if (d.vpcSecurityGroupIds) [d.securityGroupIds, d.vpcSecurityGroupIds] = [d.vpcSecurityGroupIds, undefined];
    if (d.securityGroupNames) [d.securityGroups, d.securityGroupNames] = [d.securityGroupNames, undefined];
    if (d.networkInterfaces) d.networkInterfaces = d.networkInterfaces.map((ni: any) => ({ ...ni, groups: ni.securityGroups, securityGroups: undefined }));
    return { type: "aws-native:ec2:LaunchTemplate", name, props: { launchTemplateId: id, launchTemplateName: ltName, launchTemplateData: d }, deps: Object.keys(deps).length > 0 ? { launchTemplateData: Object.values(deps).flat() } : {} };
}

/** An Auto Scaling group registered in web-tg with `props` naming what it launches. */
function group(family: Family, props: Record<string, any>, deps: Record<string, string[]>): StackResource {
    return native(family)
        ? { type: "aws-native:autoscaling:AutoScalingGroup", name: "web-asg", props: { targetGroupArns: [TG()], minSize: "1", maxSize: "2", ...props }, deps: { targetGroupArns: ["web-tg"], ...deps } }
        : { type: TOKENS.autoscalingGroup, name: "web-asg", props: { targetGroupArns: [TG()], minSize: 1, maxSize: 2, ...props }, deps: { targetGroupArns: ["web-tg"], ...deps } };
}

/** The ASG's launch template specification by id or name, in the family's names. */
const spec = (family: Family, by: "id" | "name") => (native(family)
    ? (by === "id" ? { launchTemplateId: LT_ID, version: "1" } : { launchTemplateName: LT_NAME, version: "1" })
    : (by === "id" ? { id: LT_ID, version: "1" } : { name: LT_NAME, version: "1" }));

const ecs = (family: Family, g: Group, taskSet: boolean): StackResource => {
    const loadBalancers = [{ targetGroupArn: TG(), containerName: "tls", containerPort: PORT }];
    const network = native(family)
        ? { [taskSet ? "awsVpcConfiguration" : "awsvpcConfiguration"]: { subnets: ["subnet-a"], securityGroups: [g.id], assignPublicIp: "DISABLED" } }
        : { subnets: ["subnet-a"], securityGroups: [g.id], assignPublicIp: false };
    const type = native(family) ? (taskSet ? "aws-native:ecs:TaskSet" : "aws-native:ecs:Service") : (taskSet ? TOKENS.ecsTaskSet : TOKENS.ecsService);
    const extra = taskSet ? { cluster: "web", service: "web", taskDefinition: "web:1" } : { name: "web", launchType: "FARGATE" };
    return { type, name: taskSet ? "web-blue" : "web-service", props: { ...extra, loadBalancers, networkConfiguration: network }, deps: { loadBalancers: ["web-tg"], networkConfiguration: [g.name] } };
};

const CASES: readonly Case[] = [
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
interface AddressCase {
    readonly title: string;
    readonly entry: string;
    readonly families: readonly Family[];
    readonly property: string;
    readonly build: (family: Family, onBastion: boolean) => StackResource[];
}

/** web-1 registered in web-tg with closed-sg, and a bastion that is registered nowhere. */
const targetAndBastion = (f: Family, extra: StackResource[] = []) => [
    ...registered(f, ownGroups(f, CLOSED), ownGroupDeps(f, CLOSED)),
    instance(f, ownGroups(f, CLOSED), ownGroupDeps(f, CLOSED), "bastion", BASTION_ID),
    ...extra,
];

/** A network interface on the target (`onBastion`: on the bastion), attached by a network interface attachment. */
const eniOn = (f: Family, onBastion: boolean): StackResource[] => [eni(f, CLOSED), {
    type: native(f) ? "aws-native:ec2:NetworkInterfaceAttachment" : TOKENS.networkInterfaceAttachment, name: "web-eni-attach",
    props: { instanceId: onBastion ? BASTION_ID : INSTANCE_ID, networkInterfaceId: ENI_ID, deviceIndex: native(f) ? "1" : 1 },
    deps: { instanceId: [onBastion ? "bastion" : "web-1"], networkInterfaceId: ["web-eni"] },
}];

const ADDRESS_CASES: readonly AddressCase[] = [
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

/** A subnet of each kind the pack reads, giving public addresses at launch (`on`) or not. */
function subnet(type: string, on: boolean): StackResource {
    const id = "subnet-0fffffffffffffff1";
    return type === NATIVE.subnet
        ? { type, name: "public-a", props: { subnetId: id, vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: on } }
        : { type, name: "public-a", props: { id, arn: `arn:aws:ec2:us-east-1:123456789012:subnet/${id}`, vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: on } };
}

/** A target launched into a subnet that gives it a public address unless the launch (`optOut`) says no. */
interface SubnetCase {
    readonly title: string;
    readonly entry: string;
    readonly families: readonly Family[];
    /** The property of the finding, in the placing resource's own names. */
    readonly property: (family: Family) => string;
    readonly build: (family: Family, optOut: boolean) => StackResource[];
}

const SUBNET_ID = "subnet-0fffffffffffffff1";

const SUBNET_CASES: readonly SubnetCase[] = [
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
const ONLY: Record<string, { family: Family; why: string }> = {
    [key(TOKENS.instance, "networkInterfaces[].securityGroups")]: { family: "aws-native", why: "aws:ec2/instance's networkInterfaces block names no groups" },
    [key(TOKENS.instance, "primaryNetworkInterface.networkInterfaceId")]: { family: "aws", why: "AWS::EC2::Instance has no PrimaryNetworkInterface" },
    [key(TOKENS.networkInterfaceSecurityGroupAttachment, "networkInterfaceId")]: { family: "aws", why: "CloudFormation has no such resource" },
    [key(TOKENS.networkInterface, "attachments[].instance")]: { family: "aws", why: "AWS::EC2::NetworkInterface has no Attachment" },
    [key(TOKENS.eip, "networkInterface")]: { family: "aws", why: "AWS::EC2::EIP associates by InstanceId only" },
    [key(TOKENS.instance, "networkInterfaces[].subnetId")]: { family: "aws-native", why: "aws:ec2/instance's networkInterfaces are existing interfaces, with no subnet" },
};

/** The families an entry must be proven over: aws, and aws-native where a token of that family is read in the shape. */
function familiesOf(shape: string, entry: string): Family[] {
    if (ONLY[entry]) return [ONLY[entry].family];
    return tokensOfShapes([shape]).some((t) => t.startsWith("aws-native:")) ? ["aws", "aws-native"] : ["aws"];
}

const messagesOf = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.message);

describe(`${PATH} follows every way a security group or a public address attaches to a target`, () => {
    const pack = usePackPerTest();
    const path = async (stack: StackResource[]) => of(await pack().analyzeStack(toResources(stack)), PATH);

    it("has a case for every entry of attachments.ts, over every family that has it", () => {
        const proven = new Set([...CASES.flatMap((c) => c.entries.flatMap((e) => c.families.map((f) => `${e} ${f}`))),
            ...[...ADDRESS_CASES, ...SUBNET_CASES].flatMap((c) => c.families.map((f) => `${c.entry} ${f}`))]);
        const expected = [
            ...LINKS.map((l) => ({ shape: l.from, entry: key(l.from, l.path) })),
            ...JOINS.flatMap((j) => j.onto.map((o) => ({ shape: j.resource, entry: key(j.resource, o.path) }))),
            ...PLACEMENTS.map((p) => ({ shape: p.from, entry: key(p.from, p.subnets) })),
        ].flatMap(({ shape, entry }) => familiesOf(shape, entry).map((f) => `${entry} ${f}`));
        assert.deepStrictEqual(expected.filter((e) => !proven.has(e)), []);
    });

    for (const c of CASES) {
        for (const family of c.families) {
            it(`refuses a backend port open beyond the load balancer through ${c.title}, and accepts it open to the load balancer only (${family})`, async () => {
                const open = messagesOf(await path([...front(), ...c.build(OPEN, family)]));
                assert.strictEqual(open.length, 1, open.join("\n---\n"));
                assert.ok(open[0].includes(`SecurityGroup "${OPEN.name}" ✗`) && open[0].includes(`ingress[0].cidrBlocks[0] is "10.0.0.0/8", which admits the backend port ${PORT}`), open[0]);
                assert.deepStrictEqual(messagesOf(await path([...front(), ...c.build(CLOSED, family)])), []);
            });

            it(`finds it in preview too, through the engine's dependencies, when the ids are unknown: ${c.title} (${family})`, async () => {
                const preview = messagesOf(await path(asPreview([...front(), ...c.build(OPEN, family)])));
                assert.ok(preview.some((m) => m.includes(`SecurityGroup "${OPEN.name}" ✗`)), preview.join("\n---\n"));
            });
        }
    }

    it("leaves out a launch template's groups that the instance's own groups replace", async () => {
        const stack = [...front(), template("aws", { vpcSecurityGroupIds: [OPEN.id] }, { vpcSecurityGroupIds: [OPEN.name] }),
            ...registered("aws", { vpcSecurityGroupIds: [CLOSED.id], launchTemplate: { id: LT_ID } }, { vpcSecurityGroupIds: [CLOSED.name], launchTemplate: ["web-lt"] })];
        assert.deepStrictEqual(messagesOf(await path(stack)), []);
    });

    for (const family of FAMILIES) {
        it(`follows an ip target to the instance that has the address, and an aws-native target group's own targets (${family})`, async () => {
            const byIp = [...front(), instance(family, { ...ownGroups(family, OPEN), privateIp: PRIVATE_IP }, ownGroupDeps(family, OPEN)), {
                type: "aws:lb/targetGroupAttachment:TargetGroupAttachment", name: "web-1-attach", props: { targetGroupArn: TG(), targetId: PRIVATE_IP, port: PORT }, deps: { targetGroupArn: ["web-tg"] },
            }];
            assert.strictEqual(messagesOf(await path(byIp)).filter((m) => m.includes(`SecurityGroup "${OPEN.name}" ✗`)).length, 1);
            const inline = [...front().map((r) => r.name !== "web-tg" ? r : {
                ...r, type: "aws-native:elasticloadbalancingv2:TargetGroup",
                props: { targetGroupArn: r.props.arn, port: PORT, protocol: "HTTPS", targetType: "instance", healthCheckProtocol: "HTTPS", targets: [{ id: INSTANCE_ID, port: PORT }] },
            }), instance(family, ownGroups(family, OPEN), ownGroupDeps(family, OPEN))];
            assert.strictEqual(messagesOf(await path(inline)).filter((m) => m.includes(`SecurityGroup "${OPEN.name}" ✗`)).length, 1);
        });
    }

    for (const c of ADDRESS_CASES) {
        for (const family of c.families) {
            it(`refuses a public address on a target by ${c.title}, and accepts it on an instance outside the path (${family})`, async () => {
                const found = messagesOf(await path([...front(), ...c.build(family, false)]));
                assert.strictEqual(found.length, 1, found.join("\n---\n"));
                const own = native(family) && c.property === "instance" ? "instanceId" : c.property;
                assert.ok(found[0].includes('Eip') && found[0].includes(`"web-eip" ✗`), found[0]);
                assert.ok(found[0].includes(`): ${own} is "`) && found[0].includes('Instance "web-1"') && found[0].includes("a public IPv4 address"), found[0]);
                assert.deepStrictEqual(messagesOf(await path([...front(), ...c.build(family, true)])), []);
            });
        }
    }

    for (const c of SUBNET_CASES) {
        for (const family of c.families) {
            it(`refuses ${c.title} that gives public addresses at launch, and accepts the launch that opts out or a subnet that does not (${family})`, async () => {
                const publicSubnet = subnet(native(family) ? NATIVE.subnet : TOKENS.subnet, true);
                const found = messagesOf(await path([...front(), publicSubnet, ...c.build(family, false)]));
                assert.strictEqual(found.length, 1, found.join("\n---\n"));
                assert.ok(found[0].includes(`): ${c.property(family)} is "${SUBNET_ID}"`) && found[0].includes('Subnet "public-a"') && found[0].includes("mapPublicIpOnLaunch gives each of them a public IPv4 address"), found[0]);
                assert.deepStrictEqual(messagesOf(await path([...front(), publicSubnet, ...c.build(family, true)])), []);
                assert.deepStrictEqual(messagesOf(await path([...front(), subnet(publicSubnet.type, false), ...c.build(family, false)])), []);
            });
        }
    }

    it("reads every subnet kind's mapPublicIpOnLaunch, a default subnet's too", async () => {
        for (const type of SUBNETS) {
            const found = messagesOf(await path([...front(), subnet(type, true), ...SUBNET_CASES[0].build("aws", false)]));
            assert.strictEqual(found.length, 1, `${type}: ${found.join("\n---\n")}`);
        }
    });

    for (const family of FAMILIES) {
        it(`refuses a public address on every task of an ECS task set, and accepts a task set without one (${family})`, async () => {
            const taskSet = ecs(family, CLOSED, true);
            const withIp = { ...taskSet.props, networkConfiguration: native(family) ? { awsVpcConfiguration: { ...taskSet.props.networkConfiguration.awsVpcConfiguration, assignPublicIp: "ENABLED" } } : { ...taskSet.props.networkConfiguration, assignPublicIp: true } };
            const urn = toResources([...front(), taskSet]).find((r) => r.name === taskSet.name)!.urn;
            const refused = of(await pack().analyze({ type: taskSet.type, name: taskSet.name, urn, props: withIp }), PUBLIC_IP);
            assert.strictEqual(refused.length, 1, JSON.stringify(refused));
            assert.ok(refused[0].message.includes(native(family) ? 'networkConfiguration.awsVpcConfiguration.assignPublicIp is "ENABLED"' : "networkConfiguration.assignPublicIp is true"), refused[0].message);
            assert.deepStrictEqual(of(await pack().analyze({ type: taskSet.type, name: taskSet.name, urn, props: taskSet.props }), PUBLIC_IP), []);
        });
    }
});
