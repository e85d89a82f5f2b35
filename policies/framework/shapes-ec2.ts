/**
 * The EC2 side of the adapter (./shapes.ts): CloudFormation's security group entries, launch
 * template data, instances and launch configurations read in the aws:ec2 shapes (CloudFormation
 * user guide AWS::EC2::SecurityGroup, AWS::EC2::LaunchTemplate, AWS::EC2::Instance,
 * AWS::AutoScaling::LaunchConfiguration; property names camel-cased as aws-native does).
 */
import { UNKNOWN } from "../shared/wire";
import { each, known, launchTemplateRef, listOf, Props } from "./shape-values";
import { asArray, isKnown, isUnknown } from "./values";

/** A CloudFormation security group ingress entry as an aws:ec2 inline `ingress` block. */
export function ingressBlock(r: Props): Props {
    return {
        protocol: r.ipProtocol,
        fromPort: r.fromPort,
        toPort: r.toPort,
        cidrBlocks: listOf(r.cidrIp),
        ipv6CidrBlocks: listOf(r.cidrIpv6),
        securityGroups: listOf(r.sourceSecurityGroupId),
        prefixListIds: listOf(r.sourcePrefixListId),
        description: r.description,
    };
}

/** A launch template's `launchTemplateData` flattened to aws:ec2/launchTemplate's top level (and no longer nested, so each value reads once). */
export function launchTemplate(p: Props): Props {
    const data = p.launchTemplateData;
    if (isUnknown(data)) {
        return { ...p, metadataOptions: UNKNOWN, userData: UNKNOWN, networkInterfaces: UNKNOWN, blockDeviceMappings: UNKNOWN, vpcSecurityGroupIds: UNKNOWN };
    }
    const d: Props = data ?? {};
    return {
        ...p,
        ...d,
        launchTemplateData: undefined,
        id: p.id ?? p.launchTemplateId,
        name: p.launchTemplateName,
        vpcSecurityGroupIds: d.securityGroupIds,
        securityGroupNames: d.securityGroups,
        networkInterfaces: each(d.networkInterfaces, (ni) => ({ ...ni, securityGroups: ni.groups })),
    };
}

/** The launch template's own top-level properties (`launchTemplateName`, `versionDescription`), which keep their paths. */
export function launchTemplatePaths(p: Props): [string, string][] {
    const data = p.launchTemplateData;
    const nested = data && typeof data === "object" ? data : {};
    return Object.keys(p).filter((k) => k !== "launchTemplateData" && !(k in nested)).map((k) => [k, k]);
}

/** Root device names of the Amazon Linux and Ubuntu AMIs (EC2 user guide, "Device names on Linux instances"). */
export const ROOT_DEVICES: ReadonlySet<string> = new Set(["/dev/xvda", "/dev/sda1"]);

/**
 * Where the EBS volumes of a CloudFormation `blockDeviceMappings` list sit (`{ deviceName, ebs }`,
 * the same shape in AWS::EC2::Instance and AWS::AutoScaling::LaunchConfiguration BlockDeviceMapping):
 * the index of the root device's, and the indexes of the others. A mapping without `ebs` (an
 * instance store `virtualName`, a `noDevice`) is no EBS volume; `unsure` when an unknown mapping or
 * device name may be the root's.
 */
function volumesOf(list: unknown): { root?: number; others: number[]; unsure: boolean } {
    const found = { root: undefined as number | undefined, others: [] as number[], unsure: false };
    asArray(list).forEach((m, i) => {
        if (isUnknown(m) || isUnknown(m?.deviceName)) {
            found.unsure = true;
        } else if (m && typeof m === "object" && ((isKnown(m.ebs) && typeof m.ebs === "object") || isUnknown(m.ebs))) {
            if (ROOT_DEVICES.has(m.deviceName) && found.root === undefined) {
                found.root = i;
            } else {
                found.others.push(i);
            }
        }
    });
    return found;
}

/** CloudFormation block device mappings as aws:ec2's `rootBlockDevice` and `ebsBlockDevices`. */
function blockDevices(list: unknown): Props {
    if (isUnknown(list)) {
        return { rootBlockDevice: UNKNOWN, ebsBlockDevices: UNKNOWN };
    }
    const mappings = asArray(list);
    const { root, others, unsure } = volumesOf(list);
    const volume = (i: number) => (isUnknown(mappings[i].ebs) ? UNKNOWN : { deviceName: mappings[i].deviceName, ...mappings[i].ebs });
    return { rootBlockDevice: root !== undefined ? volume(root) : unsure ? UNKNOWN : undefined, ebsBlockDevices: others.map(volume) };
}

/** Shape paths of {@link blockDevices}' volumes in the mappings' own names, by index (`blockDeviceMappings[2].ebs`). */
export function blockDevicePaths(p: Props): [string, string][] {
    if (isUnknown(p.blockDeviceMappings)) {
        return [];
    }
    const { root, others } = volumesOf(p.blockDeviceMappings);
    const own = (i: number) => `blockDeviceMappings[${i}].ebs`;
    return [...(root !== undefined ? [["rootBlockDevice", own(root)] as [string, string]] : []), ...others.map((at, j) => [`ebsBlockDevices[${j}]`, own(at)] as [string, string])];
}

/** Paths of the block devices while no mapping names them (a missing root volume). */
export const BLOCK_DEVICE_PATHS = [["rootBlockDevice", "blockDeviceMappings"], ["ebsBlockDevices", "blockDeviceMappings"]] as const;

/**
 * An AWS::EC2::Instance as aws:ec2/instance: base64 `userData` is `userDataBase64`, security groups
 * and the public address sit on the network interfaces, volumes in `blockDeviceMappings`, the
 * launch template is `{ launchTemplateId, launchTemplateName }`. It has no MetadataOptions: IMDS
 * settings come from a launch template, or stay EC2's default (IMDSv1 allowed).
 */
export function instance(p: Props): Props {
    const nis = p.networkInterfaces;
    return {
        ...p,
        id: p.id ?? p.instanceId,
        userData: undefined,
        userDataBase64: p.userData,
        vpcSecurityGroupIds: p.securityGroupIds,
        launchTemplate: launchTemplateRef(p.launchTemplate),
        networkInterfaces: each(nis, (ni) => ({ ...ni, securityGroups: ni.groupSet })),
        associatePublicIpAddress: known(nis, (l) => asArray(l).map((ni) => (isUnknown(ni) ? ni : ni?.associatePublicIpAddress)).find((v) => v !== undefined)),
        ...blockDevices(p.blockDeviceMappings),
    };
}

/**
 * An AWS::AutoScaling::LaunchConfiguration as aws:ec2/launchConfiguration: its UserData is base64
 * (`userDataBase64`), its volumes `blockDeviceMappings` as an instance's, its name
 * `launchConfigurationName` (what an Auto Scaling group quotes).
 */
export function launchConfiguration(p: Props): Props {
    return { ...p, name: p.name ?? p.launchConfigurationName, userData: undefined, userDataBase64: p.userData, ...blockDevices(p.blockDeviceMappings) };
}
