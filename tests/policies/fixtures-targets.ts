/**
 * Builders for the path rule's attachment tests (stack-path-attachments.test.ts,
 * stack-path-addresses.test.ts): the tier's front with two security groups, and targets
 * registered in its target group, in the aws and aws-native token families.
 */
import { NATIVE, TOKENS } from "../../policies/shared/tokens";
import { find, StackResource, webStack } from "./fixtures-stack";

export type Family = "aws" | "aws-native";
export const FAMILIES: readonly Family[] = ["aws", "aws-native"];

export const INSTANCE_ID = "i-0aaaaaaaaaaaaaaa1";
export const BASTION_ID = "i-0aaaaaaaaaaaaaaa2";
export const ENI_ID = "eni-0bbbbbbbbbbbbbbb1";
export const PRIMARY_ENI_ID = "eni-0ccccccccccccccc1";
export const LT_ID = "lt-0ddddddddddddddd1";
export const BASE_LT_ID = "lt-0ddddddddddddddd2";
export const LT_NAME = "web-template";
export const LC_NAME = "web-launch-config";
export const PRIVATE_IP = "10.0.1.25";
export const PORT = 8443;

/** The key of an entry of attachments.ts: `<shape>#<path>`, a join by one of its `onto` paths. */
export const key = (shape: string, path: string) => `${shape}#${path}`;

/** The security group a case attaches: one open to a private range on the backend port, or one open to the load balancer's group only. */
export interface Group {
    readonly name: string;
    readonly id: string;
    readonly groupName: string;
}

export const OPEN: Group = { name: "open-sg", id: "sg-0eeeeeeeeeeeeeee1", groupName: "web-open" };
export const CLOSED: Group = { name: "closed-sg", id: "sg-0eeeeeeeeeeeeeee2", groupName: "web-closed" };

/** The tier's front (load balancer, listeners, HTTPS target group) with the two groups and nothing registered. */
export function front(): StackResource[] {
    const stack = webStack({ compute: "ecs" }).filter((r) => r.name !== "web-service");
    const albSg = find(stack, "alb-sg").props.id;
    const group = (g: Group, ingress: Record<string, unknown>): StackResource => ({
        type: TOKENS.securityGroup, name: g.name,
        props: { id: g.id, name: g.groupName, arn: `arn:aws:ec2:us-east-1:123456789012:security-group/${g.id}`, vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: PORT, toPort: PORT, ...ingress }] },
    });
    return [...stack, group(OPEN, { cidrBlocks: ["10.0.0.0/8"] }), group(CLOSED, { securityGroups: [albSg] })];
}

export const TG = () => find(front(), "web-tg").props.arn as string;

export const native = (family: Family) => family === "aws-native";

export function instance(family: Family, props: Record<string, any> = {}, deps: Record<string, string[]> = {}, name = "web-1", id = INSTANCE_ID): StackResource {
    return native(family)
        ? { type: "aws-native:ec2:Instance", name, props: { instanceId: id, imageId: "ami-1", ...props }, deps }
        : { type: TOKENS.instance, name, props: { id, ami: "ami-1", ...props }, deps };
}

/** web-1 registered in web-tg by instance id. */
export function registered(family: Family, props: Record<string, any> = {}, deps: Record<string, string[]> = {}): StackResource[] {
    return [instance(family, props, deps), {
        type: "aws:lb/targetGroupAttachment:TargetGroupAttachment", name: "web-1-attach",
        props: { targetGroupArn: TG(), targetId: INSTANCE_ID, port: PORT }, deps: { targetGroupArn: ["web-tg"], targetId: ["web-1"] },
    }];
}

/** The instance's own groups, in its family's property. */
export const ownGroups = (family: Family, g: Group): Record<string, string[]> => ({ [native(family) ? "securityGroupIds" : "vpcSecurityGroupIds"]: [g.id] });
export const ownGroupDeps = (family: Family, g: Group): Record<string, string[]> => ({ [native(family) ? "securityGroupIds" : "vpcSecurityGroupIds"]: [g.name] });

export function eni(family: Family, g: Group, extra: Record<string, any> = {}, extraDeps: Record<string, string[]> = {}): StackResource {
    return native(family)
        ? { type: "aws-native:ec2:NetworkInterface", name: "web-eni", props: { awsId: ENI_ID, subnetId: "subnet-a", groupSet: [g.id], ...extra }, deps: { groupSet: [g.name], ...extraDeps } }
        : { type: TOKENS.networkInterface, name: "web-eni", props: { id: ENI_ID, subnetId: "subnet-a", securityGroups: [g.id], ...extra }, deps: { securityGroups: [g.name], ...extraDeps } };
}

/** A launch template whose data is `data` (aws:ec2 names; translated for aws-native). */
export function template(family: Family, data: Record<string, any>, deps: Record<string, string[]>, name = "web-lt", id = LT_ID, ltName = LT_NAME): StackResource {
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
export function group(family: Family, props: Record<string, any>, deps: Record<string, string[]>): StackResource {
    return native(family)
        ? { type: "aws-native:autoscaling:AutoScalingGroup", name: "web-asg", props: { targetGroupArns: [TG()], minSize: "1", maxSize: "2", ...props }, deps: { targetGroupArns: ["web-tg"], ...deps } }
        : { type: TOKENS.autoscalingGroup, name: "web-asg", props: { targetGroupArns: [TG()], minSize: 1, maxSize: 2, ...props }, deps: { targetGroupArns: ["web-tg"], ...deps } };
}

/** The ASG's launch template specification by id or name, in the family's names. */
export const spec = (family: Family, by: "id" | "name") => (native(family)
    ? (by === "id" ? { launchTemplateId: LT_ID, version: "1" } : { launchTemplateName: LT_NAME, version: "1" })
    : (by === "id" ? { id: LT_ID, version: "1" } : { name: LT_NAME, version: "1" }));

export const ecs = (family: Family, g: Group, taskSet: boolean): StackResource => {
    const loadBalancers = [{ targetGroupArn: TG(), containerName: "tls", containerPort: PORT }];
    const network = native(family)
        ? { [taskSet ? "awsVpcConfiguration" : "awsvpcConfiguration"]: { subnets: ["subnet-a"], securityGroups: [g.id], assignPublicIp: "DISABLED" } }
        : { subnets: ["subnet-a"], securityGroups: [g.id], assignPublicIp: false };
    const type = native(family) ? (taskSet ? "aws-native:ecs:TaskSet" : "aws-native:ecs:Service") : (taskSet ? TOKENS.ecsTaskSet : TOKENS.ecsService);
    const extra = taskSet ? { cluster: "web", service: "web", taskDefinition: "web:1" } : { name: "web", launchType: "FARGATE" };
    return { type, name: taskSet ? "web-blue" : "web-service", props: { ...extra, loadBalancers, networkConfiguration: network }, deps: { loadBalancers: ["web-tg"], networkConfiguration: [g.name] } };
};

/** A subnet of each kind the pack reads, giving public addresses at launch (`on`) or not. */
export function subnet(type: string, on: boolean): StackResource {
    const id = "subnet-0fffffffffffffff1";
    return type === NATIVE.subnet
        ? { type, name: "public-a", props: { subnetId: id, vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: on } }
        : { type, name: "public-a", props: { id, arn: `arn:aws:ec2:us-east-1:123456789012:subnet/${id}`, vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: on } };
}


export const SUBNET_ID = "subnet-0fffffffffffffff1";
