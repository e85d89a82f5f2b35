/**
 * The benchmark's synthetic stack: web tiers of linked ELBv2 resources as the program builds them,
 * the unrelated resources a real account's stack holds, and the hops beyond ELBv2 that issue 10's
 * rules judge (Classic ELB with its SSL negotiation policy, CloudFront, API Gateway custom domains,
 * Kubernetes Ingresses and LoadBalancer Services), so that those rules are measured on resources
 * they read, not only on ones they skip. Every resource passes the pack.
 */
import { ResourceInput, urnOf } from "./harness";
import { ALB, SVC } from "../../policies/rules/kubernetes";
import { DEFAULT_SSL_POLICY, SSL_POLICIES } from "../../policies/shared/ssl-policies";
import { ELBV2, HOP_TOKENS, TOKENS } from "../../policies/shared/tokens";

const arn = (svc: string, res: string) => `arn:aws:${svc}:us-east-1:123456789012:${res}`;

/**
 * The Classic ELB's negotiation policy: TLS 1.2 only and without TLS 1.3, which the Classic Load
 * Balancer's predefined policies do not offer (ELB Classic user guide, "Predefined SSL security
 * policies for Classic Load Balancers": TLS 1.2, 1.1 and 1.0 columns only).
 */
const CLASSIC_POLICY = SSL_POLICIES.find((p) => p.minTls === "1.2" && !p.tls13 && !p.fips)!.name;

/** A boot script of about 1.6 KB, base64 as a launch template carries it: fetches its key at boot, holds none. */
function userData(t: number): string {
    const secret = arn("secretsmanager", `secret:web-${t}/tls-key-AbCdEf`);
    const lines = [
        "#!/bin/bash", "set -euo pipefail", "exec > >(tee /var/log/boot.log) 2>&1",
        "dnf install -y nginx awscli jq", "install -d -m 0700 /etc/pki/web",
        `aws secretsmanager get-secret-value --secret-id ${secret} --query SecretString --output text > /etc/pki/web/key.pem`,
        "chmod 0600 /etc/pki/web/key.pem",
        `aws s3 cp s3://pki-${t}/chain.pem /etc/pki/web/chain.pem`,
        "cat > /etc/nginx/conf.d/web.conf <<'CONF'",
        "server {", "  listen 8443 ssl;", "  ssl_certificate /etc/pki/web/chain.pem;", "  ssl_certificate_key /etc/pki/web/key.pem;",
        "  ssl_protocols TLSv1.2 TLSv1.3;", "  location /healthz { return 200 'ok'; }", "  location / { proxy_pass http://127.0.0.1:8080; }", "}", "CONF",
        ...Array.from({ length: 12 }, (_, i) => `echo "tuning step ${i}: net.core.somaxconn=4096" >> /var/log/boot-steps.log`),
        "systemctl enable --now nginx", "echo boot complete",
    ];
    return Buffer.from(lines.join("\n") + "\n").toString("base64");
}

type Add = (type: string, name: string, props: Record<string, any>, deps?: Record<string, string[]>, dependsOn?: string[]) => string;

/** One web tier: 14 linked resources (ALB, two listeners, rule, target group, two security groups and their rules, launch template, Auto Scaling group, trust store, task definition, ECS service) and 3 unrelated ones (bucket, role, key). */
function webTier(add: Add, t: number): void {
    const albSg = `sg-${t.toString(16).padStart(8, "0")}a`;
    const tierSg = `sg-${t.toString(16).padStart(8, "0")}b`;
    const lbArn = arn("elasticloadbalancing", `loadbalancer/app/web-${t}/${t}`);
    const tgArn = arn("elasticloadbalancing", `targetgroup/web-${t}/${t}`);
    const tsArn = arn("elasticloadbalancing", `truststore/clients-${t}/${t}`);
    const lisArn = arn("elasticloadbalancing", `listener/app/web-${t}/${t}/1`);
    const tdArn = arn("ecs", `task-definition/web-${t}:1`);
    const lt = `lt-${t.toString(16).padStart(12, "0")}`;
    const uAlbSg = add(TOKENS.securityGroup, `alb-sg-${t}`, { id: albSg, arn: arn("ec2", `security-group/${albSg}`), vpcId: "vpc-1", description: "alb" });
    const uTierSg = add(TOKENS.securityGroup, `tier-sg-${t}`, { id: tierSg, arn: arn("ec2", `security-group/${tierSg}`), vpcId: "vpc-1", description: "tier" });
    add(TOKENS.securityGroupIngressRule, `alb-in-${t}`, { securityGroupId: albSg, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [uAlbSg] });
    add(TOKENS.securityGroupIngressRule, `tier-in-${t}`, { securityGroupId: tierSg, ipProtocol: "tcp", fromPort: 8443, toPort: 8443, referencedSecurityGroupId: albSg }, { securityGroupId: [uTierSg], referencedSecurityGroupId: [uAlbSg] });
    const uLb = add(ELBV2.lb.loadBalancer, `web-${t}`, {
        arn: lbArn, id: lbArn, loadBalancerType: "application", securityGroups: [albSg], dropInvalidHeaderFields: true, desyncMitigationMode: "strictest",
        enableDeletionProtection: true, accessLogs: { bucket: `logs-${t}`, enabled: true }, subnets: ["subnet-a", "subnet-b"],
    }, { securityGroups: [uAlbSg] });
    const uTs = add(ELBV2.lb.trustStore, `clients-${t}`, { arn: tsArn, id: tsArn, caCertificatesBundleS3Bucket: `pki-${t}`, caCertificatesBundleS3Key: "ca.pem" });
    const uTg = add(ELBV2.lb.targetGroup, `web-tg-${t}`, {
        arn: tgArn, id: tgArn, port: 8443, protocol: "HTTPS", targetType: "instance", vpcId: "vpc-1",
        healthCheck: { enabled: true, protocol: "HTTPS", path: "/healthz", port: "traffic-port", matcher: "200" },
    });
    const uLis = add(ELBV2.lb.listener, `web-https-${t}`, {
        arn: lisArn, id: lisArn, loadBalancerArn: lbArn, port: 443, protocol: "HTTPS", sslPolicy: DEFAULT_SSL_POLICY,
        certificateArn: arn("acm", `certificate/${t}`), mutualAuthentication: { mode: "verify", trustStoreArn: tsArn },
        defaultActions: [{ type: "forward", targetGroupArn: tgArn }],
    }, { loadBalancerArn: [uLb], mutualAuthentication: [uTs], defaultActions: [uTg] });
    add(ELBV2.lb.listener, `web-http-${t}`, {
        loadBalancerArn: lbArn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    }, { loadBalancerArn: [uLb] });
    add(ELBV2.lb.listenerRule, `api-${t}`, {
        listenerArn: lisArn, priority: 10, actions: [{ type: "forward", targetGroupArn: tgArn }], conditions: [{ pathPattern: { values: ["/api/*"] } }],
    }, { listenerArn: [uLis], actions: [uTg] });
    const uLt = add(TOKENS.launchTemplate, `web-lt-${t}`, {
        id: lt, arn: arn("ec2", `launch-template/${lt}`), imageId: "ami-1", instanceType: "t4g.nano", userData: userData(t),
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        networkInterfaces: [{ associatePublicIpAddress: "false", securityGroups: [tierSg] }],
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 8 } }],
    }, { networkInterfaces: [uTierSg] });
    add(TOKENS.autoscalingGroup, `web-asg-${t}`, { name: `web-asg-${t}`, launchTemplate: { id: lt, version: "1" }, targetGroupArns: [tgArn], minSize: 1, maxSize: 2 }, { launchTemplate: [uLt], targetGroupArns: [uTg] });
    const uTd = add(TOKENS.ecsTaskDefinition, `web-td-${t}`, {
        arn: tdArn, family: `web-${t}`, networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512",
        containerDefinitions: JSON.stringify([{
            name: "tls", image: "public.ecr.aws/nginx/nginx:1.27", essential: true, portMappings: [{ containerPort: 8443, protocol: "tcp" }],
            environment: [{ name: "LISTEN_PORT", value: "8443" }, { name: "UPSTREAM", value: "http://127.0.0.1:8080" }],
            secrets: [{ name: "TLS_KEY", valueFrom: arn("secretsmanager", `secret:web-${t}/tls-key-AbCdEf`) }],
            logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": `/ecs/web-${t}`, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "tls" } },
        }]),
    });
    add(TOKENS.ecsService, `web-svc-${t}`, {
        name: `web-${t}`, launchType: "FARGATE", taskDefinition: tdArn, networkConfiguration: { subnets: ["subnet-a"], securityGroups: [tierSg], assignPublicIp: false },
        loadBalancers: [{ targetGroupArn: tgArn, containerName: "tls", containerPort: 8443 }],
    }, { taskDefinition: [uTd], networkConfiguration: [uTierSg], loadBalancers: [uTg] }, [uLis]); // CreateService needs the forwarding listener first.
    add(TOKENS.s3BucketV2, `logs-${t}`, { bucket: `logs-${t}`, arn: `arn:aws:s3:::logs-${t}` });
    add(TOKENS.iamRole, `role-${t}`, { name: `role-${t}`, assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) });
    add(TOKENS.kmsKey, `key-${t}`, { arn: arn("kms", `key/${t}`), enableKeyRotation: true, description: "secrets" });
}

/**
 * The hops beyond ELBv2 of one tier, 6 resources: a Classic ELB re-encrypting to its instances
 * with its SSL negotiation policy, a CloudFront distribution in front of the tier's ALB, an API
 * Gateway custom domain (REST on even tiers, HTTP API on odd ones), an ALB Ingress and an NLB
 * LoadBalancer Service of the AWS Load Balancer Controller.
 */
function newFamilies(add: Add, t: number): void {
    const cert = arn("acm", `certificate/${t}`);
    const uElb = add(HOP_TOKENS.classicLoadBalancer[0], `legacy-${t}`, {
        name: `legacy-${t}`, subnets: ["subnet-a", "subnet-b"], securityGroups: [`sg-${t.toString(16).padStart(8, "0")}a`],
        listeners: [{ lbProtocol: "HTTPS", lbPort: 443, instanceProtocol: "HTTPS", instancePort: 8443, sslCertificateId: cert }],
        healthCheck: { target: "HTTPS:8443/healthz", interval: 30, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
    });
    add(HOP_TOKENS.classicSslNegotiationPolicy[0], `legacy-tls-${t}`, {
        name: `legacy-tls-${t}`, loadBalancer: `legacy-${t}`, lbPort: 443, attributes: [{ name: "Reference-Security-Policy", value: CLASSIC_POLICY }],
    }, { loadBalancer: [uElb] });
    const behavior = (policy: string) => ({ targetOriginId: "alb", viewerProtocolPolicy: policy, allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] });
    add(HOP_TOKENS.cloudfrontDistribution[0], `cdn-${t}`, {
        enabled: true, aliases: [`www${t}.example.com`],
        origins: [{ domainName: `web-${t}-123.us-east-1.elb.amazonaws.com`, originId: "alb", customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] } }],
        defaultCacheBehavior: behavior("redirect-to-https"), orderedCacheBehaviors: [{ pathPattern: "/api/*", ...behavior("https-only") }],
        viewerCertificate: { acmCertificateArn: cert, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
        restrictions: { geoRestriction: { restrictionType: "none" } },
    });
    if (t % 2 === 0) {
        add(HOP_TOKENS.apiGatewayDomainName[0], `api-domain-${t}`, { domainName: `api${t}.example.com`, regionalCertificateArn: cert, endpointConfiguration: { types: ["REGIONAL"] }, securityPolicy: "TLS_1_2" });
    } else {
        add(HOP_TOKENS.apiGatewayV2DomainName[0], `api-domain-${t}`, { domainName: `api${t}.example.com`, domainNameConfiguration: { certificateArn: cert, endpointType: "REGIONAL", securityPolicy: "TLS_1_2" } });
    }
    add(HOP_TOKENS.k8sIngress[0], `ingress-${t}`, {
        apiVersion: "networking.k8s.io/v1", kind: "Ingress",
        metadata: {
            name: `web-${t}`, namespace: "web",
            annotations: {
                [`${ALB}listen-ports`]: '[{"HTTP": 80}, {"HTTPS": 443}]', [`${ALB}ssl-redirect`]: "443", [`${ALB}certificate-arn`]: cert,
                [`${ALB}ssl-policy`]: DEFAULT_SSL_POLICY, [`${ALB}backend-protocol`]: "HTTPS", [`${ALB}healthcheck-protocol`]: "HTTPS",
                [`${ALB}mutual-authentication`]: JSON.stringify([{ port: 443, mode: "verify", trustStore: arn("elasticloadbalancing", `truststore/clients-${t}/${t}`) }]),
            },
        },
        spec: { ingressClassName: "alb", rules: [{ host: `k8s${t}.example.com`, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 8443 } } } }] } }] },
    });
    add(HOP_TOKENS.k8sService[0], `nlb-svc-${t}`, {
        apiVersion: "v1", kind: "Service",
        metadata: {
            name: `web-nlb-${t}`, namespace: "web",
            annotations: { [`${SVC}type`]: "external", [`${SVC}ssl-cert`]: cert, [`${SVC}ssl-negotiation-policy`]: DEFAULT_SSL_POLICY, [`${SVC}backend-protocol`]: "ssl" },
        },
        spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ name: "https", port: 443, targetPort: 8443, protocol: "TCP" }] },
    });
}

/** Resources per tier: {@link webTier}'s and {@link newFamilies}', counted by building one of each. */
export const TIER_SIZE = (() => {
    const count = (build: (add: Add, t: number) => void) => {
        let n = 0;
        build(() => `${n++}`, 0);
        return n;
    };
    return { web: count(webTier), newFamilies: count(newFamilies) };
})();

/** `count` resources: tiers of {@link TIER_SIZE} resources, cut at `count`. */
export function syntheticStack(count: number): ResourceInput[] {
    const out: ResourceInput[] = [];
    const add: Add = (type, name, props, deps = {}, dependsOn = []) => {
        out.push({ type, name, urn: urnOf(type, name), props, propertyDependencies: deps, dependencies: [...new Set([...Object.values(deps).flat(), ...dependsOn])] });
        return urnOf(type, name);
    };
    for (let t = 0; out.length < count; t++) {
        webTier(add, t);
        newFamilies(add, t);
    }
    return out.slice(0, count);
}

/** How many resources of each type the stack holds, and how many are of the families beyond ELBv2 (HOP_TOKENS). */
export function stackComposition(resources: readonly ResourceInput[]): { total: number; hops: number; byType: Record<string, number> } {
    const hopTokens = new Set<string>(Object.values(HOP_TOKENS).flat());
    const byType: Record<string, number> = {};
    for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
    return { total: resources.length, hops: resources.filter((r) => hopTokens.has(r.type)).length, byType };
}

/** The composition as lines: the families beyond ELBv2 first, then the rest, most frequent first. */
export function formatComposition(c: ReturnType<typeof stackComposition>): string[] {
    const hopTokens = new Set<string>(Object.values(HOP_TOKENS).flat());
    const entries = Object.entries(c.byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const list = (es: [string, number][]) => es.map(([t, n]) => `${n} ${t}`).join(", ");
    return [
        `stack: ${c.total} resources; ${c.hops} (${((100 * c.hops) / c.total).toFixed(0)}%) of the families beyond ELBv2: ${list(entries.filter(([t]) => hopTokens.has(t)))}`,
        `  the rest: ${list(entries.filter(([t]) => !hopTokens.has(t)))}`,
    ];
}
