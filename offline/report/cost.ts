/**
 * A rough monthly cost estimate from the recorded resources and a dated price table: what a stack
 * costs standing still (hourly and monthly charges), with the traffic-dependent charges named but
 * left out. The same table prices the public AWS sample for ALB mTLS on ECS, for comparison.
 */
import { OMITTED_CPU_ARCHITECTURE, OMITTED_LOAD_BALANCER_TYPE } from "../../policies/shared/aws-defaults";
import { endpointService, ResourceGraph, ResourceLike } from "./graph";
import { CostEstimate, CostLine } from "./model";
import { ELBV2, LB_TOKENS, TOKENS } from "../../policies/shared/tokens";

/**
 * us-east-1 on-demand list prices in USD. Checked on the date below against the AWS pricing page
 * each `source` names (and published transcriptions of those pages); `verified: false` marks a
 * price we could not confirm from a source at that date. Update the date with the prices.
 */
export const PRICES = {
    asOf: "2026-11-22",
    region: "us-east-1",
    hoursPerMonth: 730,
    albHour: { usd: 0.0225, source: "aws.amazon.com/elasticloadbalancing/pricing" },
    albLcuHour: { usd: 0.008, source: "aws.amazon.com/elasticloadbalancing/pricing" },
    /** ELB bills each trust store associated with a load balancer by the hour. */
    trustStoreHour: { usd: 0.0056, source: "aws.amazon.com/elasticloadbalancing/pricing", verified: false },
    natGatewayHour: { usd: 0.045, source: "aws.amazon.com/vpc/pricing" },
    publicIpv4Hour: { usd: 0.005, source: "aws.amazon.com/vpc/pricing (public IPv4 addresses, since 2024-02)" },
    interfaceEndpointAzHour: { usd: 0.01, source: "aws.amazon.com/privatelink/pricing" },
    privateCaMonth: {
        GENERAL_PURPOSE: { usd: 400, source: "aws.amazon.com/private-ca/pricing" },
        SHORT_LIVED_CERTIFICATE: { usd: 50, source: "aws.amazon.com/private-ca/pricing" },
    },
    /** General-purpose mode, first 1,000 certificates a month. */
    privateCaCertificate: { usd: 0.75, source: "aws.amazon.com/private-ca/pricing" },
    kmsKeyMonth: { usd: 1, source: "aws.amazon.com/kms/pricing" },
    secretMonth: { usd: 0.4, source: "aws.amazon.com/secrets-manager/pricing" },
    /**
     * Linux on demand (aws.amazon.com/ec2/pricing/on-demand). T4g is priced linearly by size (each
     * size doubles memory and price); dev runs t4g.small, 2 GiB (components: DEFAULT_INSTANCE_TYPE).
     */
    ec2Hour: {
        "t4g.nano": 0.0042, "t4g.micro": 0.0084, "t4g.small": 0.0168, "t4g.medium": 0.0336,
        "t3.nano": 0.0052, "t3.micro": 0.0104, "t3.small": 0.0208, "t3.medium": 0.0416,
    } as Record<string, number>,
    gp3GbMonth: { usd: 0.08, source: "aws.amazon.com/ebs/pricing" },
    /** About 7 metrics per instance at the custom-metric rate of $0.30 each. */
    ec2DetailedMonitoringMonth: { usd: 2.1, source: "aws.amazon.com/cloudwatch/pricing" },
    /** Standard resolution; the free tier's 10 alarms are not counted. */
    cloudwatchAlarmMonth: { usd: 0.1, source: "aws.amazon.com/cloudwatch/pricing (via published transcriptions)", verified: false },
    /** $1.00 per million invocations after 14 million free a month; a deadline schedule fires at most once. */
    schedulerInvocation: { usd: 0.000001, source: "aws.amazon.com/eventbridge/pricing (Scheduler)" },
    /** Rules on AWS service events of the default bus: no charge; SNS: no charge per topic, e-mail $2.00 per 100,000 after 1,000 free. */
    awsServiceEventRule: { usd: 0, source: "aws.amazon.com/eventbridge/pricing, aws.amazon.com/sns/pricing" },
    fargate: {
        X86_64: { vcpuHour: 0.04048, gbHour: 0.004445 },
        ARM64: { vcpuHour: 0.03238, gbHour: 0.00356 },
        source: "aws.amazon.com/fargate/pricing (Linux; ARM64 is 20% below x86)",
    },
} as const;

const H = PRICES.hoursPerMonth;

/** Charges every estimate leaves out: they depend on traffic, storage or API calls. */
const USAGE_BASED = [
    "ALB LCUs beyond the one assumed (with mTLS an LCU holds 1,500 instead of 3,000 active connections per minute)",
    "data processed by NAT gateways ($0.045/GB) and interface endpoints ($0.01/GB); data transfer out",
    "CloudWatch Logs ingestion and storage (access, flow and container logs), Container Insights metrics",
    "S3 storage and requests (access logs, trust-store bundle), ECR storage (the pull-through cache's copies of the images)",
    "KMS and Secrets Manager API requests",
    "SNS notifications (e-mail: the first 1,000 a month free, then $2.00 per 100,000)",
];

function line(item: string, quantity: number, unit: string, unitPriceUsd: number, hoursOrMonths: number, assumption: string, resources: string[]): CostLine {
    return { item, quantity, unit, unitPriceUsd, monthlyUsd: round(quantity * unitPriceUsd * hoursOrMonths), assumption, resources };
}

function round(usd: number): number {
    return Math.round(usd * 100) / 100;
}

/** The monthly estimate of a set of recorded resources (a program run, or a fixture). */
export function estimateCost(resources: readonly ResourceLike[], label: string): CostEstimate {
    const g = new ResourceGraph(resources);
    const lines: CostLine[] = [];
    const names = (rs: ResourceLike[]) => rs.map(r => r.name);
    const add = (l: CostLine) => { if (l.quantity > 0) lines.push(l); };

    const albs = g.ofType(...LB_TOKENS.loadBalancer)
        .filter(lb => (lb.inputs.loadBalancerType ?? OMITTED_LOAD_BALANCER_TYPE) === "application");
    add(line("Application Load Balancer", albs.length, "ALB-hour", PRICES.albHour.usd, H, `${H} h/month`, names(albs)));
    add(line("ALB capacity (LCU)", albs.length, "LCU-hour", PRICES.albLcuHour.usd, H, "1 LCU per ALB around the clock: light traffic", names(albs)));
    const publicAlbs = albs.filter(lb => lb.inputs.internal !== true);
    const albAddresses = publicAlbs.reduce((n, lb) => n + zonesOf(lb), 0);
    add(line("Public IPv4 addresses of the ALB", albAddresses, "address-hour", PRICES.publicIpv4Hour.usd, H, "an internet-facing ALB holds one per AZ", names(publicAlbs)));

    const stores = g.ofType(...LB_TOKENS.trustStore);
    add(line("ALB trust store (mTLS)", stores.length, "trust-store-hour", PRICES.trustStoreHour.usd, H,
        "associated with a listener around the clock; price not confirmed at the table's date", names(stores)));

    const nats = g.ofType(TOKENS.natGateway);
    // With NAT the program creates no interface endpoints (network.ts): the tier's AWS API calls
    // and image pulls go through the gateways, whose data processing is usage-based.
    add(line("NAT gateway", nats.length, "gateway-hour", PRICES.natGatewayHour.usd, H, `${H} h/month, data processing (image pulls, AWS API calls) not included`, names(nats)));
    const eips = g.ofType(TOKENS.eip);
    add(line("Elastic IP addresses (NAT)", eips.length, "address-hour", PRICES.publicIpv4Hour.usd, H, "public IPv4 address charge", names(eips)));

    const endpoints = g.ofType(TOKENS.vpcEndpoint).filter(e => e.inputs.vpcEndpointType === "Interface");
    const endpointAzs = endpoints.reduce((n, e) => n + Math.max(1, (e.inputs.subnetIds ?? []).length), 0);
    const services = endpoints.map(e => endpointService(e.inputs.serviceName) || e.name);
    add(line("Interface VPC endpoints", endpointAzs, "endpoint-AZ-hour", PRICES.interfaceEndpointAzHour.usd, H,
        `${endpoints.length} endpoint(s) (${services.join(", ")}) × their AZs; gateway endpoints are free`, names(endpoints)));

    for (const ca of g.ofType(TOKENS.acmpcaCertificateAuthority)) {
        const mode = (ca.inputs.usageMode ?? "GENERAL_PURPOSE") as keyof typeof PRICES.privateCaMonth;
        const price = (PRICES.privateCaMonth[mode] ?? PRICES.privateCaMonth.GENERAL_PURPOSE).usd;
        add(line(`AWS Private CA (${mode.toLowerCase().replace(/_/g, "-")})`, 1, "CA-month", price, 1,
            "the first CA in a region has a 30-day free trial, not counted", [ca.name]));
    }
    const issued = g.ofType(TOKENS.acmpcaCertificate).filter(c => !/RootCACertificate|SubordinateCACertificate/.test(String(c.inputs.templateArn ?? "")));
    if (issued.length > 0) {
        const days = Math.min(...issued.map(c => Number(c.inputs.validity?.value ?? 365)));
        add(line("Private CA certificates", round(issued.length * 30.42 / days), "certificate issued", PRICES.privateCaCertificate.usd, 1,
            `${issued.length} certificate(s) re-issued every ${days} days at most, spread per month`, names(issued)));
    }

    const keys = g.ofType(TOKENS.kmsKey);
    add(line("KMS customer managed keys", keys.length, "key-month", PRICES.kmsKeyMonth.usd, 1, "first year; each of the first two yearly rotations adds $1/month", names(keys)));
    const secrets = g.ofType(TOKENS.secretsManagerSecret);
    add(line("Secrets Manager secrets", secrets.length, "secret-month", PRICES.secretMonth.usd, 1, "one secret per certificate", names(secrets)));

    const alarms = g.ofType(TOKENS.cloudwatchMetricAlarm);
    add(line("CloudWatch alarms (certificate expiry)", alarms.length, "alarm-month", PRICES.cloudwatchAlarmMonth.usd, 1,
        "standard resolution; the first 10 alarms of an account are free, not counted", names(alarms)));
    const schedules = g.ofType(TOKENS.schedulerSchedule);
    add(line("EventBridge Scheduler deadlines", schedules.length, "invocation", PRICES.schedulerInvocation.usd, 1,
        "one-time schedules: each fires at most once, and only if its certificate was not renewed; 14 million invocations a month free", names(schedules)));
    const rules = g.ofType(TOKENS.cloudwatchEventRule, TOKENS.snsTopic);
    add(line("EventBridge rules and SNS topic (alerts)", rules.length, "rule or topic", PRICES.awsServiceEventRule.usd, 1,
        "AWS service events on the default bus and SNS topics carry no standing charge; notifications are usage-based", names(rules)));

    for (const asg of g.ofType(TOKENS.autoscalingGroup)) {
        const lt = g.ref(asg, "launchTemplate", TOKENS.launchTemplate);
        const count = Number(asg.inputs.desiredCapacity ?? asg.inputs.minSize ?? 0);
        const type = String(lt?.inputs.instanceType ?? "unknown");
        const hourly = PRICES.ec2Hour[type];
        add(line(`EC2 ${type} (on demand)`, count, "instance-hour", hourly ?? 0, H,
            hourly === undefined ? `no price for ${type} in the table: add it` : `desired capacity ${count}, ${H} h/month`, [asg.name]));
        const gb = (lt?.inputs.blockDeviceMappings ?? []).reduce((n: number, b: any) => n + Number(b.ebs?.volumeSize ?? 0), 0);
        add(line("EBS gp3 root volumes", count * gb, "GB-month", PRICES.gp3GbMonth.usd, 1, `${gb} GB per instance`, [asg.name]));
        if (lt?.inputs.monitoring?.enabled === true) {
            add(line("EC2 detailed monitoring", count, "instance-month", PRICES.ec2DetailedMonitoringMonth.usd, 1, "1-minute metrics: about 7 metrics × $0.30", [asg.name]));
        }
    }
    for (const service of g.ofType(TOKENS.ecsService)) {
        const task = g.ref(service, "taskDefinition", TOKENS.ecsTaskDefinition);
        const count = Number(service.inputs.desiredCount ?? 0);
        const vcpu = Number(task?.inputs.cpu ?? 256) / 1024;
        const gb = Number(task?.inputs.memory ?? 512) / 1024;
        const arch = String(task?.inputs.runtimePlatform?.cpuArchitecture ?? OMITTED_CPU_ARCHITECTURE).toUpperCase() === "ARM64" ? "ARM64" : "X86_64";
        const p = PRICES.fargate[arch];
        add(line(`Fargate tasks (${arch === "ARM64" ? "ARM64" : "x86_64"}, ${vcpu} vCPU / ${gb} GB)`, count, "task-hour",
            vcpu * p.vcpuHour + gb * p.gbHour, H,
            `desired count ${count}; $${p.vcpuHour}/vCPU-h + $${p.gbHour}/GB-h; 20 GB ephemeral storage included`, [service.name]));
    }
    for (const instance of g.ofType(TOKENS.instance)) {
        const type = String(instance.inputs.instanceType ?? "unknown");
        add(line(`EC2 ${type} (on demand)`, 1, "instance-hour", PRICES.ec2Hour[type] ?? 0, H,
            PRICES.ec2Hour[type] === undefined ? `no price for ${type} in the table: add it` : `${H} h/month`, [instance.name]));
    }

    return {
        label,
        region: PRICES.region,
        currency: "USD",
        hoursPerMonth: H,
        pricesAsOf: PRICES.asOf,
        lines,
        monthlyUsd: round(lines.reduce((n, l) => n + l.monthlyUsd, 0)),
        notEstimated: USAGE_BASED,
    };
}

function zonesOf(lb: ResourceLike): number {
    const n = Array.isArray(lb.inputs.subnets) ? lb.inputs.subnets.length
        : Array.isArray(lb.inputs.subnetMappings) ? lb.inputs.subnetMappings.length : 2;
    return Math.max(n, 1);
}

/**
 * The public AWS sample "mTLS with Application Load Balancer in Amazon ECS"
 * (github.com/aws-samples/mTLS-with-Application-Load-Balancer-in-Amazon-ECS, apg-infra.yaml and
 * README), as resources this estimator can price. Assumptions, from that template:
 * - three AZs, a NAT gateway and an Elastic IP in each;
 * - an internal ALB (no public IPv4 addresses) with two HTTPS listeners and one trust store;
 * - a general-purpose AWS Private CA (the README's first step) issuing the ALB's private ACM
 *   certificate and one client certificate, each valid a year;
 * - two ECS services of one Fargate task each, 256 CPU units / 512 MiB, x86_64 (the task
 *   definitions set no runtime platform), launch type FARGATE (on demand);
 * - one KMS key (CloudWatch Logs); S3, ECR and logs are usage-based.
 */
export function sampleArchitectureResources(): ResourceLike[] {
    const r = (type: string, name: string, inputs: Record<string, any>, outputs: Record<string, any> = {}): ResourceLike =>
        ({ type, name, urn: `urn:pulumi:sample::aws-sample::${type}::${name}`, inputs, outputs });
    const azs = [1, 2, 3];
    return [
        ...azs.map(i => r(TOKENS.eip, `NatGatewayEIP${i}`, { domain: "vpc" })),
        ...azs.map(i => r(TOKENS.natGateway, `PrivateNat${"ABC"[i - 1]}`, {})),
        r(ELBV2.lb.loadBalancer, "InternalALB", { loadBalancerType: "application", internal: true, subnets: ["a", "b", "c"] }),
        r(ELBV2.lb.trustStore, "TrustStore", {}),
        r(TOKENS.acmpcaCertificateAuthority, "PrivateCA", { usageMode: "GENERAL_PURPOSE" }, { arn: "arn:sample:pca" }),
        r(TOKENS.acmpcaCertificate, "AlbPrivateCertificate", { certificateAuthorityArn: "arn:sample:pca", validity: { type: "DAYS", value: "365" } }),
        r(TOKENS.acmpcaCertificate, "ClientCertificate", { certificateAuthorityArn: "arn:sample:pca", validity: { type: "DAYS", value: "365" } }),
        r(TOKENS.kmsKey, "CloudWatchLogsKMSKey", {}),
        ...[1, 2].flatMap(i => [
            r(TOKENS.ecsTaskDefinition, `TaskDefinition${i}`, { cpu: "256", memory: "512" }, { arn: `arn:sample:task${i}` }),
            r(TOKENS.ecsService, `Service${i}`, { desiredCount: 1, launchType: "FARGATE", taskDefinition: `arn:sample:task${i}` }),
        ]),
    ];
}

export function sampleArchitectureCost(): CostEstimate {
    return estimateCost(sampleArchitectureResources(), "AWS sample: mTLS with ALB in Amazon ECS");
}
