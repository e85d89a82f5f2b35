/**
 * The benchmark's worst cases: a stack shaped for the path rule's former quadratic walk (many
 * target groups behind one security group with many ingress rules), measured at growing sizes to
 * give the growth exponent, and the adversarial values of adversarial.ts sent as user data, one
 * Analyze call each.
 */
import { adversarialInputs } from "./adversarial";
import { PackHandle, ResourceInput, urnOf } from "./harness";
import { DEFAULT_SSL_POLICY } from "../../policies/shared/ssl-policies";
import { ELBV2, TOKENS } from "../../policies/shared/tokens";

const arn = (res: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:${res}`;

/**
 * `count` resources: one load balancer whose listener rules forward to `count / 4` target groups,
 * each served by an ECS service in the same security group, which has `count / 4` ingress rules.
 */
export function sharedSecurityGroupStack(count: number): ResourceInput[] {
    const out: ResourceInput[] = [];
    const add = (type: string, name: string, props: Record<string, any>, deps: Record<string, string[]> = {}) => {
        out.push({ type, name, urn: urnOf(type, name), props, propertyDependencies: deps, dependencies: [...new Set(Object.values(deps).flat())] });
        return urnOf(type, name);
    };
    const uAlbSg = add(TOKENS.securityGroup, "alb-sg", { id: "sg-alb", vpcId: "vpc-1", description: "alb" });
    const uTierSg = add(TOKENS.securityGroup, "tier-sg", { id: "sg-tier", vpcId: "vpc-1", description: "tier" });
    const lbArn = arn("loadbalancer/app/web/1");
    const lisArn = arn("listener/app/web/1/1");
    const uLb = add(ELBV2.lb.loadBalancer, "web", { arn: lbArn, loadBalancerType: "application", securityGroups: ["sg-alb"] }, { securityGroups: [uAlbSg] });
    const uLis = add(ELBV2.lb.listener, "web-https", {
        arn: lisArn, loadBalancerArn: lbArn, port: 443, protocol: "HTTPS", sslPolicy: DEFAULT_SSL_POLICY,
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/1", defaultActions: [{ type: "fixed-response" }],
    }, { loadBalancerArn: [uLb] });
    const quarter = Math.max(1, Math.floor((count - out.length) / 4));
    for (let i = 0; i < quarter; i++) {
        add(TOKENS.securityGroupIngressRule, `tier-in-${i}`, { securityGroupId: "sg-tier", ipProtocol: "tcp", fromPort: 8443, toPort: 8443, referencedSecurityGroupId: "sg-alb" },
            { securityGroupId: [uTierSg], referencedSecurityGroupId: [uAlbSg] });
    }
    for (let i = 0; out.length + 3 <= count; i++) {
        const tgArn = arn(`targetgroup/web-${i}/${i}`);
        const uTg = add(ELBV2.lb.targetGroup, `tg-${i}`, { arn: tgArn, port: 8443, protocol: "HTTPS", targetType: "ip", healthCheck: { protocol: "HTTPS" } });
        add(ELBV2.lb.listenerRule, `rule-${i}`, { listenerArn: lisArn, priority: i + 1, actions: [{ type: "forward", targetGroupArn: tgArn }] }, { listenerArn: [uLis], actions: [uTg] });
        add(TOKENS.ecsService, `svc-${i}`, {
            name: `svc-${i}`, launchType: "FARGATE", networkConfiguration: { subnets: ["subnet-a"], securityGroups: ["sg-tier"], assignPublicIp: false },
            loadBalancers: [{ targetGroupArn: tgArn, containerName: "tls", containerPort: 8443 }],
        }, { networkConfiguration: [uTierSg], loadBalancers: [uTg] });
    }
    return out;
}

/** AnalyzeStack milliseconds of the shared-security-group shape at each size, and the growth exponent between the extremes. */
export async function measureSharedSecurityGroup(pack: PackHandle, sizes: readonly number[], progress: (line: string) => void = () => undefined): Promise<{ sizes: { resources: number; ms: number; usPerResource: number }[]; exponent: number }> {
    const out: { resources: number; ms: number; usPerResource: number }[] = [];
    for (const n of sizes) {
        progress(`shared security group: AnalyzeStack over ${n} resources`);
        const stack = sharedSecurityGroupStack(n);
        const started = process.hrtime.bigint();
        await pack.analyzeStack(stack);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        out.push({ resources: stack.length, ms, usPerResource: (ms * 1000) / stack.length });
    }
    const [a, b] = [out[0], out[out.length - 1]];
    return { sizes: out, exponent: Math.log(b.ms / a.ms) / Math.log(b.resources / a.resources) };
}

/** Milliseconds of one Analyze call per adversarial input, sent as a launch template's user data, and what the pack said. */
export async function measureAdversarial(pack: PackHandle, progress: (line: string) => void = () => undefined): Promise<{ name: string; bytes: number; ms: number; policies: string[] }[]> {
    const out: { name: string; bytes: number; ms: number; policies: string[] }[] = [];
    for (const input of adversarialInputs()) {
        progress(`adversarial user data: ${input.name}`);
        const r: ResourceInput = { type: TOKENS.launchTemplate, name: "adversarial", urn: urnOf(TOKENS.launchTemplate, "adversarial"), props: { userData: input.value } };
        const started = process.hrtime.bigint();
        const result = await pack.analyze(r);
        out.push({ name: input.name, bytes: input.value.length, ms: Number(process.hrtime.bigint() - started) / 1e6, policies: result.diagnostics.map((d) => d.policyName) });
    }
    return out;
}
