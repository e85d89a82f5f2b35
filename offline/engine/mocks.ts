import * as pulumi from "@pulumi/pulumi";
import { ELB_LOG_ACCOUNTS } from "../../config/regions";
import { checkAlerting, checkElbv2Names, checkUserData } from "./mock-limits";
import { mockPrivateCaResource } from "./mock-private-ca";
import { mockTlsResource } from "./mock-tls";
import { availabilityZonesLookup } from "./mock-zones";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../../policies/shared/wire";
import { ELBV2, FUNCTIONS, TOKENS } from "../../policies/shared/tokens";

/**
 * Mocks that behave like the AWS and TLS providers closely enough for the program's own logic:
 * look-ups answer as AWS would for the stack's Region (AZs and opted-in Local Zones, the AL2023 AMI
 * parameter, caller identity), and resources come back with the computed attributes the program
 * reads (ids, ARNs, DNS names, ACM validation options). Inputs are echoed into state unchanged, so
 * what a test reads is what the program asked for. Where AWS or the provider refuses an input at
 * apply time (ELBv2 names, user data size, `getServiceAccount` in newer Regions), so do the mocks.
 */

export const ACCOUNT_ID = "123456789012";

export interface MockOptions {
    /** Region the stack deploys to. Defaults to us-east-1. */
    readonly region?: string;
}

/** Outputs the providers' schemas mark secret. */
const SECRET_OUTPUTS = new Set(["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"]);

function isSecret(v: any): boolean {
    return !!v && typeof v === "object" && v[SPECIAL_SIG_KEY] === SECRET_SIG;
}

function secret(v: any): any {
    return isSecret(v) ? v : { [SPECIAL_SIG_KEY]: SECRET_SIG, value: v };
}

/** Replaces every wrapped secret, at any depth, by its value. */
export function unwrapSecrets(v: any): any {
    if (isSecret(v)) return unwrapSecrets(v.value);
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}

function slug(name: string): string {
    return name.replace(/[^a-zA-Z0-9-]/g, "-").toLowerCase();
}

function hex(seed: string, length: number): string {
    let h = 2166136261;
    let out = "";
    while (out.length < length) {
        for (const ch of seed + out.length) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
        out += h.toString(16).padStart(8, "0");
    }
    return out.slice(0, length);
}

export class AwsMocks implements pulumi.runtime.Mocks {
    private readonly region: string;

    constructor(opts: MockOptions = {}) {
        this.region = opts.region ?? "us-east-1";
    }

    async newResource(args: pulumi.runtime.MockResourceArgs): Promise<{ id: string | undefined; state: Record<string, any> }> {
        const { type, name } = args;
        // The monitor hands inputs over with secrets still wrapped; providers see plain values.
        const inputs = unwrapSecrets(args.inputs);
        let result: { id: string | undefined; state: Record<string, any> };
        if (type.startsWith("tls:")) result = await mockTlsResource(type, name, inputs);
        else if (type.startsWith("aws:acmpca/")) result = await mockPrivateCaResource(type, name, inputs);
        else if (!args.custom) result = { id: undefined, state: inputs };
        else {
            checkElbv2Names(type, name, inputs);
            checkUserData(type, name, inputs);
            checkAlerting(type, name, inputs);
            result = this.awsResource(type, name, inputs);
        }
        // As the engine does: an output is secret when its input was, or when the provider's
        // schema marks it secret (the private keys @pulumi/tls returns).
        // Bridged providers return the id among the outputs, as the engine's state records it.
        const state: Record<string, any> = args.custom && result.id ? { id: result.id } : {};
        for (const [k, v] of Object.entries(result.state)) {
            state[k] = isSecret(args.inputs[k]) || SECRET_OUTPUTS.has(k) ? secret(v) : v;
        }
        return { id: result.id, state };
    }

    private awsResource(type: string, name: string, inputs: Record<string, any>) {
        const r = this.region;
        const svc = type.split(":")[1]?.split("/")[0] ?? "svc";
        const kind = type.split(":")[2] ?? "Resource";
        const shortId = hex(`${type}/${name}`, 17);
        let id = `${slug(kind)}-${shortId}`;
        const state: Record<string, any> = { ...inputs };
        const arn = (service: string, resource: string, region = r) =>
            `arn:aws:${service}:${region}:${ACCOUNT_ID}:${resource}`;

        switch (type) {
            case TOKENS.vpc: id = `vpc-${shortId}`; state.arn = arn("ec2", `vpc/${id}`); state.defaultSecurityGroupId = `sg-${hex(name + "default", 17)}`; break;
            case TOKENS.subnet: id = `subnet-${shortId}`; state.arn = arn("ec2", `subnet/${id}`); break;
            case TOKENS.securityGroup: id = `sg-${shortId}`; state.arn = arn("ec2", `security-group/${id}`); break;
            case TOKENS.internetGateway: id = `igw-${shortId}`; break;
            case TOKENS.natGateway: id = `nat-${shortId}`; break;
            case TOKENS.eip: id = `eipalloc-${shortId}`; state.publicIp = "203.0.113.10"; break;
            case TOKENS.routeTable: id = `rtb-${shortId}`; break;
            case TOKENS.vpcEndpoint: id = `vpce-${shortId}`; break;
            case TOKENS.launchTemplate: id = `lt-${shortId}`; state.latestVersion = 1; state.arn = arn("ec2", `launch-template/${id}`); break;
            case TOKENS.flowLog: id = `fl-${shortId}`; break;
            case TOKENS.kmsKey: id = `${hex(name, 8)}-${hex(name + 1, 4)}-${hex(name + 2, 4)}-${hex(name + 3, 4)}-${hex(name + 4, 12)}`; state.arn = arn("kms", `key/${id}`); state.keyId = id; break;
            case TOKENS.kmsAlias: id = inputs.name; state.arn = arn("kms", inputs.name); break;
            case TOKENS.secretsManagerSecret: state.arn = arn("secretsmanager", `secret:${inputs.name ?? name}-${hex(name, 6)}`); id = state.arn; break;
            case TOKENS.secretsManagerSecretVersion: state.versionId = `${hex(name, 8)}-${hex(name + "v", 4)}-4${hex(name, 3)}-a${hex(name + "w", 3)}-${hex(name + "x", 12)}`; state.arn = inputs.secretId; id = `${inputs.secretId}|${state.versionId}`; break;
            case TOKENS.s3BucketV2:
            case TOKENS.s3Bucket: {
                const bucket = inputs.bucket ?? `${slug(name)}-${hex(name, 7)}`;
                id = bucket; state.bucket = bucket; state.arn = `arn:aws:s3:::${bucket}`;
                state.bucketRegionalDomainName = `${bucket}.s3.${r}.amazonaws.com`; break;
            }
            case TOKENS.s3BucketObjectV2: id = inputs.key; state.versionId = hex(name + "ver", 32); state.etag = hex(name + "etag", 32); break;
            case ELBV2.lb.loadBalancer: {
                const lbName = inputs.name ?? `${slug(name).slice(0, 24)}-${hex(name, 7)}`;
                state.arn = arn("elasticloadbalancing", `loadbalancer/app/${lbName}/${hex(name, 16)}`); id = state.arn;
                state.arnSuffix = `app/${lbName}/${hex(name, 16)}`; state.name = lbName;
                state.dnsName = `${lbName}-${parseInt(hex(name, 8), 16) % 1000000000}.${r}.elb.amazonaws.com`;
                state.zoneId = "Z35SXDOTRQ7X7K"; break;
            }
            case ELBV2.lb.targetGroup: {
                const tgName = inputs.name ?? `${slug(name).slice(0, 24)}-${hex(name, 7)}`;
                state.arn = arn("elasticloadbalancing", `targetgroup/${tgName}/${hex(name, 16)}`); id = state.arn;
                state.arnSuffix = `targetgroup/${tgName}/${hex(name, 16)}`; state.name = tgName; break;
            }
            case ELBV2.lb.listener: state.arn = arn("elasticloadbalancing", `listener/app/${slug(name)}/${hex(name, 16)}/${hex(name + "l", 16)}`); id = state.arn; break;
            case ELBV2.lb.trustStore: state.arn = arn("elasticloadbalancing", `truststore/${slug(name).slice(0, 32)}/${hex(name, 16)}`); id = state.arn; state.name = inputs.name ?? slug(name).slice(0, 32); break;
            case TOKENS.acmCertificate: {
                state.arn = arn("acm", `certificate/${hex(name, 8)}-${hex(name + 1, 4)}-${hex(name + 2, 4)}-${hex(name + 3, 4)}-${hex(name + 4, 12)}`); id = state.arn;
                if (inputs.validationMethod === "DNS" && inputs.domainName) {
                    const names = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])]
                        .filter((v: string, i: number, all: string[]) => all.indexOf(v) === i);
                    state.domainValidationOptions = names.map((d: string) => ({
                        domainName: d,
                        resourceRecordName: `_${hex(d, 32)}.${d}.`,
                        resourceRecordType: "CNAME",
                        resourceRecordValue: `_${hex(d + "v", 32)}.acm-validations.aws.`,
                    }));
                }
                state.status = inputs.privateKey ? "ISSUED" : "PENDING_VALIDATION"; break;
            }
            case TOKENS.acmCertificateValidation: id = inputs.certificateArn; break;
            // An IAM ARN carries the entity's path between the type and the name.
            case TOKENS.iamRole: state.name = inputs.name ?? `${slug(name)}-${hex(name, 7)}`; state.arn = `arn:aws:iam::${ACCOUNT_ID}:role${inputs.path ?? "/"}${state.name}`; id = state.name; break;
            case TOKENS.iamInstanceProfile: state.name = `${slug(name)}-${hex(name, 7)}`; state.arn = `arn:aws:iam::${ACCOUNT_ID}:instance-profile${inputs.path ?? "/"}${state.name}`; id = state.name; break;
            case TOKENS.iamPolicy: state.arn = `arn:aws:iam::${ACCOUNT_ID}:policy/${slug(name)}-${hex(name, 7)}`; id = state.arn; break;
            case TOKENS.cloudwatchLogGroup: state.name = inputs.name ?? `${slug(name)}-${hex(name, 7)}`; state.arn = arn("logs", `log-group:${state.name}`); id = state.name; break;
            case TOKENS.ecsCluster: state.name = inputs.name ?? `${slug(name)}-${hex(name, 7)}`; state.arn = arn("ecs", `cluster/${state.name}`); id = state.arn; break;
            case TOKENS.ecsTaskDefinition: state.revision = 1; state.arn = arn("ecs", `task-definition/${inputs.family}:1`); state.arnWithoutRevision = arn("ecs", `task-definition/${inputs.family}`); id = inputs.family; break;
            case TOKENS.ecsService: state.name = inputs.name ?? `${slug(name)}-${hex(name, 7)}`; id = arn("ecs", `service/${state.name}`); break;
            case TOKENS.autoscalingGroup: state.name = inputs.name ?? `${slug(name)}-${hex(name, 7)}`; state.arn = arn("autoscaling", `autoScalingGroup:${hex(name, 36)}:autoScalingGroupName/${state.name}`); id = state.name; break;
            case TOKENS.ecrPullThroughCacheRule: id = inputs.ecrRepositoryPrefix; state.registryId = ACCOUNT_ID; break;
            // repositoryUri as DescribeRepositories returns it (TF aws_ecr_repository repository_url).
            case TOKENS.ecrRepository: id = inputs.name; state.arn = arn("ecr", `repository/${inputs.name}`); state.registryId = ACCOUNT_ID; state.repositoryUrl = `${ACCOUNT_ID}.dkr.ecr.${r}.amazonaws.com/${inputs.name}`; break;
            case TOKENS.snsTopic: state.name = inputs.name ?? `${slug(name)}-${hex(name, 7)}`; state.arn = arn("sns", state.name); id = state.arn; break;
            // An e-mail subscription stays "pending confirmation" until the recipient confirms it.
            case TOKENS.snsTopicSubscription: state.pendingConfirmation = inputs.protocol === "email"; state.arn = `${inputs.topic}:${hex(name, 8)}-${hex(name + 1, 4)}`; id = state.arn; break;
            // arn:aws:cloudwatch:<region>:<account>:alarm:<name> (Service Authorization Reference, CloudWatch resource types).
            case TOKENS.cloudwatchMetricAlarm: state.name = inputs.name ?? `${slug(name)}-${hex(name, 7)}`; state.arn = arn("cloudwatch", `alarm:${state.name}`); id = state.name; break;
            // The provider's id is the parameter's name; its ARN is arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>.
            case TOKENS.ssmParameter: id = inputs.name; state.arn = arn("ssm", `parameter${inputs.name.startsWith("/") ? "" : "/"}${inputs.name}`); state.version = 1; break;
            // A rule on the default bus: arn:aws:events:<region>:<account>:rule/<name>; the provider's id is the name.
            case TOKENS.cloudwatchEventRule: state.name = inputs.name ?? `${slug(name)}-${hex(name, 7)}`; state.arn = arn("events", `rule/${state.name}`); id = state.name; break;
            case TOKENS.schedulerSchedule: state.name = inputs.name ?? `${slug(name).slice(0, 40)}-${hex(name, 7)}`; state.arn = arn("scheduler", `schedule/default/${state.name}`); id = `default/${state.name}`; break;
            case TOKENS.route53Record: id = `${inputs.zoneId}_${inputs.name}_${inputs.type}`; state.fqdn = inputs.name; break;
            default:
                if (!("arn" in state)) state.arn = arn(svc, `${slug(kind)}/${id}`);
        }
        return { id, state };
    }

    async call(args: pulumi.runtime.MockCallArgs): Promise<Record<string, any>> {
        const r = this.region;
        switch (args.token) {
            case FUNCTIONS.getAvailabilityZones:
                return availabilityZonesLookup(r, args.inputs);
            case FUNCTIONS.getRegion:
                return { id: r, name: r, region: r, description: "mock region", endpoint: `ec2.${r}.amazonaws.com` };
            case FUNCTIONS.getCallerIdentity:
                return {
                    id: ACCOUNT_ID, accountId: ACCOUNT_ID,
                    arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/deployer/session`, userId: "AROAEXAMPLE:session",
                };
            case FUNCTIONS.getPartition:
                return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
            case FUNCTIONS.getSessionContext:
                return {
                    id: args.inputs.arn, arn: args.inputs.arn,
                    issuerArn: `arn:aws:iam::${ACCOUNT_ID}:role/deployer`, issuerId: "AROAEXAMPLE", issuerName: "deployer",
                    sessionName: "session",
                };
            case FUNCTIONS.getSsmParameter: {
                const arch = String(args.inputs.name).includes("arm64") ? "arm64" : "x86_64";
                return {
                    id: args.inputs.name, name: args.inputs.name, type: "String",
                    value: `ami-0${hex(args.inputs.name, 16)}`, insecureValue: `ami-0${hex(args.inputs.name, 16)}`,
                    arn: `arn:aws:ssm:${r}::parameter${args.inputs.name}`, version: 1, withDecryption: true,
                    architecture: arch,
                };
            }
            case FUNCTIONS.getElbServiceAccount: {
                // The provider's fixed table (config/regions.ts holds the same accounts) and
                // its error elsewhere: TF internal/service/elb/service_account_data_source.go.
                const region: string = args.inputs.region ?? r;
                const account = ELB_LOG_ACCOUNTS[region as keyof typeof ELB_LOG_ACCOUNTS];
                if (!account) throw new Error(`unsupported AWS Region: ${region}`);
                return { id: account, arn: `arn:aws:iam::${account}:root`, region };
            }
            case FUNCTIONS.getManagedPrefixList:
                return { id: `pl-${hex(String(args.inputs.name), 8)}`, name: args.inputs.name };
            default:
                throw new Error(`mocks: no look-up for ${args.token}; add it to offline/engine/mocks.ts with the answer AWS would give`);
        }
    }
}
