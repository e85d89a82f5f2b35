/**
 * The one adapter between token families: a resource of another family (../shared/tokens/
 * SHAPE_OF, today `aws-native`'s CloudFormation shapes) is read in the shape of the `@pulumi/aws`
 * resource rules are written against, and the property paths rules report are written back in the
 * resource's own names. The framework applies it to every resource rule and to the stack index, so
 * a rule names the shape it judges and never a family.
 *
 * Property names are those of the aws-native schema, which camel-cases CloudFormation's
 * (https://github.com/pulumi/pulumi-aws-native, sdk/nodejs/<module>/<resource>.ts; CloudFormation
 * user guide AWS::ElasticLoadBalancingV2::*, AWS::EC2::*, AWS::ECS::*, AWS::ACMPCA::*). Values the
 * adapter cannot see stay unknown, so no rule makes them mandatory.
 */
import { NATIVE, SHAPE_OF } from "../shared/tokens";
import { UNKNOWN } from "../shared/wire";
import { asArray, asBoolean, isKnown, isUnknown } from "./values";

// ------------------------------------------------------------------------------------------------
// Reading a value of another family's shape: mapped when known, passed on while unknown, absent when absent
// ------------------------------------------------------------------------------------------------

type Props = Record<string, any>;

/** `f(value)` for a known value, the value itself when unknown, `undefined` when absent. */
function known<T>(value: unknown, f: (v: any) => T): T | string | undefined {
    return value === undefined || value === null ? undefined : isUnknown(value) ? (value as string) : f(value);
}

/**
 * A CloudFormation LaunchTemplateSpecification (`LaunchTemplateId`, `LaunchTemplateName`, `Version`)
 * in the shape of @pulumi/aws's `launchTemplate` (`id`, `name`, `version`).
 */
function launchTemplateRef(value: unknown): unknown {
    return known(value, (lt) => ({ ...lt, id: lt.launchTemplateId, name: lt.launchTemplateName }));
}

/** `list` mapped item by item; an unknown list or item stays unknown. */
function each(list: unknown, f: (item: Props) => Props): unknown {
    return known(list, (l) => asArray(l).map((item) => (isUnknown(item) || typeof item !== "object" || item === null ? item : f(item))));
}

/** `[value]` for one known value, `[]` for none, the unknown itself while unknown. */
const listOf = (v: unknown) => (v === undefined || v === null ? [] : isUnknown(v) ? v : [v]);

// ------------------------------------------------------------------------------------------------
// EC2
// ------------------------------------------------------------------------------------------------

/*
 * The EC2 side of the adapter: CloudFormation's security group entries, launch
 * template data, instances and launch configurations read in the aws:ec2 shapes (CloudFormation
 * user guide AWS::EC2::SecurityGroup, AWS::EC2::LaunchTemplate, AWS::EC2::Instance,
 * AWS::AutoScaling::LaunchConfiguration; property names camel-cased as aws-native does).
 */
/** A CloudFormation security group ingress entry as an aws:ec2 inline `ingress` block. */
function ingressBlock(r: Props): Props {
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
function launchTemplate(p: Props): Props {
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
function launchTemplatePaths(p: Props): [string, string][] {
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
function blockDevicePaths(p: Props): [string, string][] {
    if (isUnknown(p.blockDeviceMappings)) {
        return [];
    }
    const { root, others } = volumesOf(p.blockDeviceMappings);
    const own = (i: number) => `blockDeviceMappings[${i}].ebs`;
    return [...(root !== undefined ? [["rootBlockDevice", own(root)] as [string, string]] : []), ...others.map((at, j) => [`ebsBlockDevices[${j}]`, own(at)] as [string, string])];
}

/** Paths of the block devices while no mapping names them (a missing root volume). */
const BLOCK_DEVICE_PATHS = [["rootBlockDevice", "blockDeviceMappings"], ["ebsBlockDevices", "blockDeviceMappings"]] as const;

/**
 * An AWS::EC2::Instance as aws:ec2/instance: base64 `userData` is `userDataBase64`, security groups
 * and the public address sit on the network interfaces, volumes in `blockDeviceMappings`, the
 * launch template is `{ launchTemplateId, launchTemplateName }`. It has no MetadataOptions: IMDS
 * settings come from a launch template, or stay EC2's default (IMDSv1 allowed).
 */
function instance(p: Props): Props {
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
function launchConfiguration(p: Props): Props {
    return { ...p, name: p.name ?? p.launchConfigurationName, userData: undefined, userDataBase64: p.userData, ...blockDevices(p.blockDeviceMappings) };
}

// ------------------------------------------------------------------------------------------------
// The adapter
// ------------------------------------------------------------------------------------------------

type Paths = readonly (readonly [string, string])[];

/** One family's resource: how its properties read in the shape, and how shape paths read in its own names. */
interface Adapter {
    readonly props: (p: Props) => Props;
    /** `[shape path prefix, own path prefix]`, most specific first. */
    readonly paths?: Paths;
    /** Prefix entries that depend on the resource's own properties (list indexes), tried before {@link paths}. */
    readonly ownPaths?: (own: Props) => Paths;
}

/** A CloudFormation ELBv2 action (`redirectConfig`, `forwardConfig.targetGroups[].targetGroupArn`) as an aws:lb action. */
function action(a: Props): Props {
    return {
        ...a,
        redirect: a.redirectConfig,
        fixedResponse: a.fixedResponseConfig,
        forward: known(a.forwardConfig, (fc) => ({ ...fc, targetGroups: each(fc.targetGroups, (tg) => ({ ...tg, arn: tg.targetGroupArn })) })),
    };
}

const ACTION_PATHS = [[".redirect.", ".redirectConfig."], [".forward.targetGroups", ".forwardConfig.targetGroups"], [".arn", ".targetGroupArn"]] as const;

/** Attributes of a CloudFormation `loadBalancerAttributes: [{ key, value }]` list; all unknown when the list is. */
function attributes(list: unknown): (key: string) => unknown {
    if (isUnknown(list)) {
        return () => UNKNOWN;
    }
    const entries = asArray(list);
    const found = new Map<string, unknown>(entries.filter((a) => a && typeof a === "object").map((a) => [a.key, a.value]));
    // An unknown entry may carry any key: only keys found stay known.
    const missing = entries.some(isUnknown) ? UNKNOWN : undefined;
    return (key) => (found.has(key) ? found.get(key) : missing);
}

/**
 * A CloudFormation ECS `NetworkConfiguration` as aws:ecs's: the awsvpc block's SecurityGroups and
 * Subnets, and AssignPublicIp, "ENABLED" or "DISABLED" (default DISABLED), as a boolean.
 */
function awsvpc(nc: unknown, key: "awsvpcConfiguration" | "awsVpcConfiguration"): unknown {
    return known(nc, (c) => known(c[key], (vpc) => ({ ...vpc, assignPublicIp: known(vpc.assignPublicIp, (v) => String(v).toUpperCase() === "ENABLED") })));
}

/** Load balancer attribute keys (ELBv2 API reference, LoadBalancerAttribute). */
const LB_ATTRIBUTES = {
    dropInvalidHeaderFields: "routing.http.drop_invalid_header_fields.enabled",
    desyncMitigationMode: "routing.http.desync_mitigation_mode",
    accessLogsEnabled: "access_logs.s3.enabled",
    accessLogsBucket: "access_logs.s3.bucket",
    enableDeletionProtection: "deletion_protection.enabled",
} as const;

const attributePath = (key: string) => `loadBalancerAttributes[${key}]`;

/**
 * A target group's flat health check fields as an aws:lb `healthCheck` block. CloudFormation has no
 * provider-side default, so an omitted protocol is the API's (HTTP for ALB target groups, TCP for
 * NLB ones; CreateTargetGroup HealthCheckProtocol), which the rules read for a target group
 * without a block: the block is made only for a given protocol or a disabled check.
 */
function healthCheck(p: Props): Props | undefined {
    if (isUnknown(p.healthCheckProtocol) || isUnknown(p.healthCheckEnabled)) {
        return UNKNOWN as unknown as Props;
    }
    if (p.healthCheckProtocol !== undefined && p.healthCheckProtocol !== null) {
        const hc: Props = { protocol: p.healthCheckProtocol, enabled: p.healthCheckEnabled, port: p.healthCheckPort, path: p.healthCheckPath };
        return Object.fromEntries(Object.entries(hc).filter(([, v]) => v !== undefined));
    }
    return asBoolean(p.healthCheckEnabled) === false ? { enabled: p.healthCheckEnabled } : undefined;
}

const ADAPTERS: { readonly [token: string]: Adapter } = {
    [NATIVE.loadBalancer]: {
        props: (p) => {
            const attr = attributes(p.loadBalancerAttributes);
            const logsEnabled = attr(LB_ATTRIBUTES.accessLogsEnabled);
            const logsBucket = attr(LB_ATTRIBUTES.accessLogsBucket);
            return {
                ...p,
                arn: p.arn ?? p.loadBalancerArn,
                loadBalancerType: p.type,
                dropInvalidHeaderFields: attr(LB_ATTRIBUTES.dropInvalidHeaderFields),
                desyncMitigationMode: attr(LB_ATTRIBUTES.desyncMitigationMode),
                accessLogs: isUnknown(logsEnabled) ? UNKNOWN : logsEnabled === undefined && logsBucket === undefined ? undefined : { enabled: logsEnabled, bucket: logsBucket },
                enableDeletionProtection: attr(LB_ATTRIBUTES.enableDeletionProtection),
            };
        },
        paths: [
            ["loadBalancerType", "type"],
            ["accessLogs.enabled", attributePath(LB_ATTRIBUTES.accessLogsEnabled)],
            ["accessLogs.bucket", attributePath(LB_ATTRIBUTES.accessLogsBucket)],
            ["accessLogs", "loadBalancerAttributes"],
            ...(["dropInvalidHeaderFields", "desyncMitigationMode", "enableDeletionProtection"] as const).map((k) => [k, attributePath(LB_ATTRIBUTES[k])] as const),
        ],
    },
    [NATIVE.listener]: {
        props: (p) => ({
            ...p,
            arn: p.arn ?? p.listenerArn,
            certificateArn: known(p.certificates, (list) => asArray(list).map((c) => (isUnknown(c) ? c : c?.certificateArn)).find((a) => a !== undefined)),
            defaultActions: each(p.defaultActions, action),
        }),
        paths: [["certificateArn", "certificates[0].certificateArn"], ...ACTION_PATHS],
    },
    [NATIVE.listenerRule]: { props: (p) => ({ ...p, arn: p.arn ?? p.ruleArn, actions: each(p.actions, action) }), paths: ACTION_PATHS },
    [NATIVE.targetGroup]: {
        props: (p) => ({ ...p, arn: p.arn ?? p.targetGroupArn, healthCheck: healthCheck(p) }),
        paths: [["healthCheck.protocol", "healthCheckProtocol"], ["healthCheck.enabled", "healthCheckEnabled"], ["healthCheck.port", "healthCheckPort"], ["healthCheck", "healthCheckProtocol"]],
    },
    [NATIVE.securityGroup]: {
        props: (p) => ({ ...p, id: p.id ?? p.groupId, name: p.groupName, ingress: each(p.securityGroupIngress, ingressBlock), egress: each(p.securityGroupEgress, ingressBlock) }),
        paths: [["ingress", "securityGroupIngress"], [".cidrBlocks[0]", ".cidrIp"], [".ipv6CidrBlocks[0]", ".cidrIpv6"], [".protocol", ".ipProtocol"]],
    },
    [NATIVE.securityGroupIngress]: {
        props: (p) => ({ ...p, securityGroupId: p.groupId, cidrIpv4: p.cidrIp, referencedSecurityGroupId: p.sourceSecurityGroupId, prefixListId: p.sourcePrefixListId }),
        paths: [["securityGroupId", "groupId"], ["cidrIpv4", "cidrIp"], ["referencedSecurityGroupId", "sourceSecurityGroupId"], ["prefixListId", "sourcePrefixListId"]],
    },
    [NATIVE.instance]: {
        props: instance,
        paths: [["userDataBase64", "userData"], ["vpcSecurityGroupIds", "securityGroupIds"], ["associatePublicIpAddress", "networkInterfaces[0].associatePublicIpAddress"], ...BLOCK_DEVICE_PATHS],
        ownPaths: blockDevicePaths,
    },
    [NATIVE.trustStore]: { props: (p) => ({ ...p, arn: p.arn ?? p.trustStoreArn }) },
    [NATIVE.launchTemplate]: {
        props: launchTemplate,
        paths: [["vpcSecurityGroupIds", "launchTemplateData.securityGroupIds"], ["", "launchTemplateData."]],
        ownPaths: launchTemplatePaths,
    },
    [NATIVE.launchConfiguration]: { props: launchConfiguration, paths: [["userDataBase64", "userData"], ...BLOCK_DEVICE_PATHS], ownPaths: blockDevicePaths },
    [NATIVE.autoscalingGroup]: {
        props: (p) => ({
            ...p,
            name: p.name ?? p.autoScalingGroupName,
            vpcZoneIdentifiers: p.vpcZoneIdentifier,
            launchTemplate: launchTemplateRef(p.launchTemplate),
            launchConfiguration: p.launchConfigurationName,
        }),
        paths: [["vpcZoneIdentifiers", "vpcZoneIdentifier"], ["launchConfiguration", "launchConfigurationName"]],
    },
    // AWS::ECS::Service's NetworkConfiguration.AwsvpcConfiguration, AWS::ECS::TaskSet's .AwsVpcConfiguration.
    [NATIVE.ecsService]: { props: (p) => ({ ...p, networkConfiguration: awsvpc(p.networkConfiguration, "awsvpcConfiguration") }), paths: [["networkConfiguration.", "networkConfiguration.awsvpcConfiguration."]] },
    [NATIVE.ecsTaskSet]: {
        props: (p) => ({ ...p, id: p.id ?? p.awsId, networkConfiguration: awsvpc(p.networkConfiguration, "awsVpcConfiguration") }),
        paths: [["networkConfiguration.", "networkConfiguration.awsVpcConfiguration."]],
    },
    // AWS::EC2::NetworkInterface: GroupSet, PrivateIpAddress, PrivateIpAddresses[].PrivateIpAddress; its id is the CloudFormation Id (awsId).
    [NATIVE.networkInterface]: {
        props: (p) => ({
            ...p,
            id: p.id ?? p.awsId,
            securityGroups: p.groupSet,
            privateIp: p.privateIpAddress ?? p.primaryPrivateIpAddress,
            privateIps: known(p.privateIpAddresses, (l) => asArray(l).map((a) => (isUnknown(a) ? a : a?.privateIpAddress))),
        }),
        paths: [["securityGroups", "groupSet"], ["privateIp", "privateIpAddress"]],
    },
    // AWS::EC2::EIP associates by InstanceId only; AWS::EC2::EIPAssociation names the address EIP (publicIp in aws:ec2).
    [NATIVE.eip]: { props: (p) => ({ ...p, instance: p.instanceId }), paths: [["instance", "instanceId"]] },
    [NATIVE.eipAssociation]: { props: (p) => ({ ...p, publicIp: p.publicIp ?? p.eip }), paths: [["publicIp", "eip"]] },
    [NATIVE.ecsTaskDefinition]: {
        // aws:ecs/taskDefinition takes the container definitions as one JSON string.
        props: (p) => ({ ...p, containerDefinitions: known(p.containerDefinitions, (c) => (typeof c === "string" ? c : JSON.stringify(c))) }),
    },
    // CloudFormation's KeyPolicy and ResourcePolicy are JSON objects (or strings); @pulumi/aws's `policy` a JSON string.
    [NATIVE.kmsKey]: { props: (p) => ({ ...p, customerMasterKeySpec: p.customerMasterKeySpec ?? p.keySpec, policy: p.keyPolicy }), paths: [["customerMasterKeySpec", "keySpec"], ["policy", "keyPolicy"]] },
    [NATIVE.kmsReplicaKey]: { props: (p) => ({ ...p, policy: p.keyPolicy }), paths: [["policy", "keyPolicy"]] },
    [NATIVE.secretsManagerResourcePolicy]: { props: (p) => ({ ...p, policy: p.resourcePolicy, secretArn: p.secretId }), paths: [["policy", "resourcePolicy"], ["secretArn", "secretId"]] },
    [NATIVE.acmpcaCertificateAuthority]: {
        props: (p) => ({ ...p, certificateAuthorityConfiguration: { keyAlgorithm: p.keyAlgorithm, signingAlgorithm: p.signingAlgorithm, subject: p.subject } }),
        paths: [["certificateAuthorityConfiguration.", ""]],
    },
};

/** The family a token belongs to, by its package: `aws`, `aws-native`, `tls`, …. */
export function familyOf(token: string): string {
    const colon = token.indexOf(":");
    return colon < 0 ? token : token.slice(0, colon);
}

/** `props` of a resource of `token` in the shape its rules read (unchanged for a token of no other family). */
export function adaptProps(token: string, props: Props): Props {
    const adapter = ADAPTERS[token];
    return adapter && props && typeof props === "object" ? adapter.props(props) : props;
}

/**
 * A property path a rule wrote against the shape, in the names of the resource of `token`: the
 * first matching prefix entry is rewritten, then every infix entry (those starting with ".").
 * `own`, the resource's own properties, gives the entries that depend on them (list indexes).
 */
export function ownPath(token: string, path: string, own?: Props): string {
    const adapter = ADAPTERS[token];
    const paths = [...(own && typeof own === "object" && adapter?.ownPaths ? adapter.ownPaths(own) : []), ...(adapter?.paths ?? [])];
    const under = (p: string, prefix: string) => prefix === "" || p === prefix || p.startsWith(prefix.endsWith(".") ? prefix : `${prefix}.`) || p.startsWith(`${prefix}[`);
    const hit = paths.find(([shape]) => !shape.startsWith(".") && under(path, shape));
    let out = hit ? hit[1] + path.slice(hit[0].length) : path;
    for (const [shape, own] of paths.filter(([s]) => s.startsWith("."))) {
        out = out.split(shape).join(own);
    }
    return out;
}

/** True when `token` is read through an adapter or a {@link SHAPE_OF} entry. */
export function isAdapted(token: string): boolean {
    return SHAPE_OF[token] !== undefined;
}
