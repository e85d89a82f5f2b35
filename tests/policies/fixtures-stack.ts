/**
 * A whole compliant web tier as AnalyzeStack sees it (state with ARNs and ids, dependencies), for
 * the end-to-end path rule. Each builder returns resources a test can change one at a time.
 */
import { ResourceInput, urnOf } from "../../offline/analyzer/harness";
import { arn, CERT_ARN, Family, GOOD_POLICY, token, UNKNOWN } from "./fixtures";

export type Compute = "asg" | "ecs" | "instance";

export interface StackOptions {
    readonly family?: Family;
    readonly compute?: Compute;
    readonly backendPort?: number;
}

/** A mutable stack resource: props are state, `deps` maps input properties to the names they came from. */
export interface StackResource {
    type: string;
    name: string;
    props: Record<string, any>;
    deps?: Record<string, string[]>;
    /** Names of explicit `dependsOn` resources (dependencies without a property). */
    dependsOn?: string[];
}

const SG_IDS = { alb: "sg-0a1b2c3d4e5f6a7b8", tier: "sg-0f9e8d7c6b5a4f3e2" };
const LB_ARN = arn("elasticloadbalancing", "loadbalancer/app/web/1234567890abcdef");
const TG_ARN = arn("elasticloadbalancing", "targetgroup/web-tg/abcdef1234567890");
const LISTENER_ARN = arn("elasticloadbalancing", "listener/app/web/1234567890abcdef/0011223344556677");
const TS_ARN = arn("elasticloadbalancing", "truststore/clients/8899aabbccddeeff");
const LT_ID = "lt-0123456789abcdef0";
const INSTANCE_ID = "i-0123456789abcdef0";

/** The compliant tier: ALB with HTTPS+mTLS and redirect listeners, HTTPS target group, and the chosen compute. */
export function webStack(opts: StackOptions = {}): StackResource[] {
    const family = opts.family ?? "lb";
    const port = opts.backendPort ?? 8443;
    const resources: StackResource[] = [
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "alb-sg", props: { id: SG_IDS.alb, arn: arn("ec2", `security-group/${SG_IDS.alb}`), vpcId: "vpc-1" } },
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "tier-sg", props: { id: SG_IDS.tier, arn: arn("ec2", `security-group/${SG_IDS.tier}`), vpcId: "vpc-1" } },
        {
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "alb-https-in",
            props: { securityGroupId: SG_IDS.alb, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, deps: { securityGroupId: ["alb-sg"] },
        },
        {
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "tier-from-alb",
            props: { securityGroupId: SG_IDS.tier, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: SG_IDS.alb },
            deps: { securityGroupId: ["tier-sg"], referencedSecurityGroupId: ["alb-sg"] },
        },
        {
            type: token(family, "loadBalancer"), name: "web-alb",
            props: { arn: LB_ARN, id: LB_ARN, loadBalancerType: "application", securityGroups: [SG_IDS.alb], dropInvalidHeaderFields: true },
            deps: { securityGroups: ["alb-sg"] },
        },
        { type: "aws:lb/trustStore:TrustStore", name: "clients", props: { arn: TS_ARN, id: TS_ARN, caCertificatesBundleS3Bucket: "pki", caCertificatesBundleS3Key: "ca.pem" } },
        {
            type: token(family, "targetGroup"), name: "web-tg",
            props: { arn: TG_ARN, id: TG_ARN, port, protocol: "HTTPS", targetType: compute(opts) === "ecs" ? "ip" : "instance", healthCheck: { protocol: "HTTPS", path: "/healthz", port: "traffic-port" } },
        },
        {
            type: token(family, "listener"), name: "web-https",
            props: {
                arn: LISTENER_ARN, id: LISTENER_ARN, loadBalancerArn: LB_ARN, port: 443, protocol: "HTTPS", sslPolicy: GOOD_POLICY, certificateArn: CERT_ARN,
                mutualAuthentication: { mode: "verify", trustStoreArn: TS_ARN }, defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }],
            },
            deps: { loadBalancerArn: ["web-alb"], mutualAuthentication: ["clients"], defaultActions: ["web-tg"] },
        },
        {
            type: token(family, "listener"), name: "web-http",
            props: {
                loadBalancerArn: LB_ARN, port: 80, protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            },
            deps: { loadBalancerArn: ["web-alb"] },
        },
    ];
    switch (compute(opts)) {
        case "asg":
            resources.push(
                {
                    type: "aws:ec2/launchTemplate:LaunchTemplate", name: "web-lt",
                    props: { id: LT_ID, arn: arn("ec2", `launch-template/${LT_ID}`), networkInterfaces: [{ associatePublicIpAddress: "false", securityGroups: [SG_IDS.tier] }] },
                    deps: { networkInterfaces: ["tier-sg"] },
                },
                {
                    type: "aws:autoscaling/group:Group", name: "web-asg",
                    props: { name: "web-asg-1234", launchTemplate: { id: LT_ID, version: "1" }, targetGroupArns: [TG_ARN], minSize: 1, maxSize: 2 },
                    deps: { launchTemplate: ["web-lt"], targetGroupArns: ["web-tg"] },
                },
            );
            break;
        case "ecs":
            resources.push({
                type: "aws:ecs/service:Service", name: "web-service",
                props: {
                    name: "web", launchType: "FARGATE",
                    networkConfiguration: { subnets: ["subnet-a"], securityGroups: [SG_IDS.tier], assignPublicIp: false },
                    loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "tls-terminator", containerPort: port }],
                },
                deps: { networkConfiguration: ["tier-sg"], loadBalancers: ["web-tg"] },
            });
            break;
        case "instance":
            resources.push(
                {
                    type: "aws:ec2/instance:Instance", name: "web-1",
                    props: { id: INSTANCE_ID, arn: arn("ec2", `instance/${INSTANCE_ID}`), vpcSecurityGroupIds: [SG_IDS.tier] }, deps: { vpcSecurityGroupIds: ["tier-sg"] },
                },
                {
                    type: token(family, "targetGroupAttachment"), name: "web-1-attach",
                    props: { targetGroupArn: TG_ARN, targetId: INSTANCE_ID, port },
                    deps: { targetGroupArn: ["web-tg"], targetId: ["web-1"] },
                },
            );
            break;
    }
    return resources;
}

function compute(opts: StackOptions): Compute {
    return opts.compute ?? "asg";
}

/** The named resource of a stack (throws when absent, so a typo fails the test). */
export function find(stack: StackResource[], name: string): StackResource {
    const r = stack.find((x) => x.name === name);
    if (!r) {
        throw new Error(`no resource "${name}" in the fixture stack`);
    }
    return r;
}

const IDENTITY_KEYS = new Set(["arn", "id", "securityGroupId", "referencedSecurityGroupId", "loadBalancerArn", "targetGroupArn", "trustStoreArn", "listenerArn", "targetId"]);

/** Replaces every id and ARN (and references to them) with the preview unknown, keeping dependencies. */
export function asPreview(stack: StackResource[]): StackResource[] {
    const known = new Set<string>();
    for (const r of stack) {
        for (const k of ["arn", "id"]) {
            if (typeof r.props[k] === "string") {
                known.add(r.props[k]);
            }
        }
        if (typeof r.props.arn === "string" && r.props.arn.includes(":ec2:")) {
            known.add(r.props.arn.split("/").pop()!);
        }
    }
    const blank = (v: any, key?: string): any => {
        if (typeof v === "string") {
            return known.has(v) || (key !== undefined && IDENTITY_KEYS.has(key)) ? UNKNOWN : v;
        }
        if (Array.isArray(v)) {
            return v.map((x) => blank(x));
        }
        if (v && typeof v === "object") {
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blank(x, k)]));
        }
        return v;
    };
    return stack.map((r) => ({ ...r, props: blank(r.props) }));
}

/** Converts to harness resources: URNs from names, propertyDependencies and dependencies from `deps`. */
export function toResources(stack: StackResource[]): ResourceInput[] {
    const urns = new Map(stack.map((r) => [r.name, urnOf(r.type, r.name)]));
    const urn = (name: string) => {
        const u = urns.get(name);
        if (!u) {
            throw new Error(`dependency on unknown fixture "${name}"`);
        }
        return u;
    };
    return stack.map((r) => {
        const propertyDependencies = Object.fromEntries(Object.entries(r.deps ?? {}).map(([k, names]) => [k, names.map(urn)]));
        return {
            type: r.type, name: r.name, urn: urn(r.name), props: r.props,
            propertyDependencies, dependencies: [...new Set([...Object.values(propertyDependencies).flat(), ...(r.dependsOn ?? []).map(urn)])],
        };
    });
}
