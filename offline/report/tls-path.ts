/**
 * The TLS path of each load balancer, read from the recorded resources alone: client → listener
 * (protocol, security policy, certificate, mTLS) → target group (protocol, health check) → tier
 * (port, where its certificate comes from). Which listeners, target groups and tiers a path has is
 * the pack's own walk (policies/rules/stack-path.ts `requestPaths`, over the stack as the analyzer
 * sends it to the pack), so the report draws the paths alb-end-to-end-tls-path judges; this module
 * only describes each hop. It follows the references the program made, so it shows what would be
 * deployed, not what the program meant to deploy; what the stack exports about itself (its mTLS
 * clients, its backend secret) it reads from the stack's outputs.
 */
import {
    effectiveHealthCheckProtocol, effectiveListenerProtocol, effectiveSslPolicy, effectiveTargetGroupProtocol, OMITTED_CPU_ARCHITECTURE,
    OMITTED_HEALTH_CHECK_PORT, OMITTED_MTLS_MODE, OMITTED_TARGET_TYPE,
} from "../../policies/shared/aws-defaults";
import { instanceArchitecture } from "../../policies/shared/instance-architecture";
import { sslPolicyInfo } from "../../policies/shared/ssl-policies";
import { Node, StackIndex } from "../../policies/framework";
import { requestPaths } from "../../policies/rules/stack-path";
import { ResourceGraph, ResourceLike } from "./graph";
import { CaRef, ListenerHop, TargetGroupHop, TierHop, TlsPath } from "./model";
import { LB_TOKENS, TOKENS } from "../../policies/shared/tokens";
import { decodeUserData } from "../../components/compute/backend/user-data";

const BUCKET_OBJECTS = [TOKENS.s3BucketObjectV2, TOKENS.s3BucketObject];

/**
 * What the program exports about its TLS (index.ts): `clientSecretArns` keyed by mTLS client name,
 * `backendSecretArn`. A fixture without outputs has no named clients.
 */
export interface StackOutputs {
    readonly clientSecretArns?: Record<string, string>;
    readonly backendSecretArn?: string;
}

interface Context {
    readonly g: ResourceGraph;
    readonly outputs: StackOutputs;
    /** The pack's walk: what each target group has registered in it. */
    readonly registered: (tg: ResourceLike) => ResourceLike[];
    /** The pack's walk: the target groups an action of a listener forwards to. */
    readonly forwardsTo: (l: ResourceLike, action: number) => ResourceLike[];
}

/** The TLS path of every load balancer in the run, in registration order. */
export function tlsPaths(resources: readonly ResourceLike[], outputs: StackOutputs = {}): TlsPath[] {
    const g = new ResourceGraph(resources);
    // The stack as AnalyzeStack sends it to the pack: each resource's state (offline/analyzer/requests.ts).
    const index = StackIndex.ofRecords(resources.map(r => ({ type: r.type, name: r.name, urn: r.urn, props: r.outputs ?? r.inputs, propertyDependencies: r.propertyDependencies })));
    const walk = requestPaths(index);
    const likes = new Map(resources.map(r => [r.urn, r]));
    const like = (n: Node) => likes.get(n.urn)!;
    const nodes = new Map(index.nodes.map(n => [n.urn, n]));
    const listeners = new Map(walk.loadBalancers.flatMap(lb => lb.listeners.map(l => [l.listener.urn, l] as const)));
    const c: Context = {
        g, outputs,
        registered: tg => walk.graph.attachments(nodes.get(tg.urn)!).map(a => like(a.via)),
        forwardsTo: (l, i) => [...new Set((listeners.get(l.urn)?.defaultActions[i]?.targetGroups ?? []).map(like))],
    };
    const order = new Map(resources.map((r, i) => [r.urn, i]));
    return walk.loadBalancers.map(({ lb: node, listeners }) => ({ lb: like(node), listeners: listeners.map(l => like(l.listener)) }))
        .sort((a, b) => order.get(a.lb.urn)! - order.get(b.lb.urn)!)
        .map(({ lb, listeners }) => ({
            loadBalancer: {
                urn: lb.urn,
                name: lb.name,
                scheme: lb.inputs.internal === true ? "internal" : "internet-facing",
                zones: Array.isArray(lb.inputs.subnets) ? lb.inputs.subnets.length
                    : Array.isArray(lb.inputs.subnetMappings) ? lb.inputs.subnetMappings.length : 0,
            },
            // Registration order, then by port (highest first; a stable sort keeps ties in registration order).
            listeners: listeners
                .sort((a, b) => order.get(a.urn)! - order.get(b.urn)!)
                .sort((a, b) => Number(b.inputs.port ?? 0) - Number(a.inputs.port ?? 0))
                .map(l => listenerHop(c, l)),
        }));
}

function listenerHop(c: Context, l: ResourceLike): ListenerHop {
    const { g } = c;
    const i = l.inputs;
    const protocol = effectiveListenerProtocol(i.protocol);
    const secure = protocol === "HTTPS" || protocol === "TLS";
    const policyName = effectiveSslPolicy(protocol, i.sslPolicy);
    const info = policyName ? sslPolicyInfo(policyName) : undefined;
    return {
        urn: l.urn,
        name: l.name,
        protocol,
        port: Number(i.port ?? (secure ? 443 : 80)),
        sslPolicy: policyName ? {
            name: policyName,
            ...(info ? { minTls: info.minTls, tls13: info.tls13, fips: info.fips, postQuantum: info.postQuantum } : {}),
        } : undefined,
        certificate: secure ? frontCertificate(g, l) : undefined,
        mtls: secure ? mtls(c, l) : undefined,
        action: action(c, l),
    };
}

function frontCertificate(g: ResourceGraph, l: ResourceLike): ListenerHop["certificate"] {
    let cert = g.ref(l, "certificateArn", TOKENS.acmCertificate);
    const validation = cert ? undefined : g.ref(l, "certificateArn", TOKENS.acmCertificateValidation);
    if (validation) cert = g.ref(validation, "certificateArn", TOKENS.acmCertificate);
    if (!cert) return { source: "unknown" };
    if (cert.inputs.privateKey !== undefined || cert.inputs.certificateBody !== undefined) {
        const signer = g.ref(cert, "certificateBody", TOKENS.tlsLocallySignedCert, TOKENS.acmpcaCertificate);
        return { urn: cert.urn, name: cert.name, source: "acm-imported", signedBy: signer ? issuerOf(g, signer) : undefined };
    }
    return {
        urn: cert.urn,
        name: cert.name,
        source: cert.inputs.certificateAuthorityArn ? "unknown" : "acm-dns-validated",
        domainName: cert.inputs.domainName,
        signedBy: { kind: "acm-public" },
    };
}

function mtls({ g, outputs }: Context, l: ResourceLike): ListenerHop["mtls"] {
    const ma = l.inputs.mutualAuthentication ?? {};
    const mode = String(ma.mode ?? OMITTED_MTLS_MODE);
    const store = g.ref(l, "mutualAuthentication", ...LB_TOKENS.trustStore);
    let trustStore: NonNullable<ListenerHop["mtls"]>["trustStore"];
    if (store) {
        const s = store.inputs;
        const object = g.ref(store, "caCertificatesBundleS3Key", ...BUCKET_OBJECTS)
            ?? g.ofType(...BUCKET_OBJECTS).find(o => o.inputs.key === s.caCertificatesBundleS3Key);
        const caCert = object ? g.refs(object, "content", TOKENS.tlsSelfSignedCert, TOKENS.acmpcaCertificate)[0] : undefined;
        trustStore = {
            urn: store.urn,
            name: store.name,
            bundle: s.caCertificatesBundleS3Bucket && s.caCertificatesBundleS3Key
                ? `s3://${s.caCertificatesBundleS3Bucket}/${s.caCertificatesBundleS3Key}` : undefined,
            ca: caCert ? caOf(g, caCert) : undefined,
        };
    }
    return {
        mode,
        ignoreClientCertificateExpiry: mode === "verify" ? ma.ignoreClientCertificateExpiry === true : undefined,
        trustStore,
        // Only a verifying listener checks the stack's client certificates (passthrough forwards them unverified).
        clients: mode === "verify" ? Object.keys(outputs.clientSecretArns ?? {}) : [],
    };
}

function action(c: Context, l: ResourceLike): ListenerHop["action"] {
    const first = (l.inputs.defaultActions ?? [])[0] ?? {};
    if (first.type === "redirect") {
        const r = first.redirect ?? {};
        return { type: "redirect", protocol: String(r.protocol ?? "#{protocol}"), port: String(r.port ?? "#{port}"), statusCode: String(r.statusCode ?? "") };
    }
    if (first.type === "forward") {
        return { type: "forward", targetGroups: c.forwardsTo(l, 0).map(tg => targetGroupHop(c, tg)) };
    }
    return { type: String(first.type ?? "none") };
}

function targetGroupHop(c: Context, tg: ResourceLike): TargetGroupHop {
    const i = tg.inputs;
    const hc = i.healthCheck ?? {};
    const protocol = effectiveTargetGroupProtocol(i.protocol);
    // What is registered in the target group, as the pack's walk finds it: the tiers the program builds.
    const registered = c.registered(tg);
    const tiers: TierHop[] = [
        ...registered.filter(a => a.type === TOKENS.autoscalingGroup).map(a => ec2Tier(c, a, Number(i.port))),
        ...registered.filter(s => s.type === TOKENS.ecsService).map(s => ecsTier(c, s, tg)),
    ];
    return {
        urn: tg.urn,
        name: tg.name,
        protocol,
        port: Number(i.port),
        targetType: String(i.targetType ?? OMITTED_TARGET_TYPE),
        healthCheck: {
            protocol: effectiveHealthCheckProtocol(protocol, i.healthCheck),
            port: String(hc.port ?? OMITTED_HEALTH_CHECK_PORT),
            path: hc.path,
            matcher: hc.matcher,
        },
        tiers,
    };
}

function ec2Tier(c: Context, asg: ResourceLike, port: number): TierHop {
    const { g } = c;
    const lt = g.ref(asg, "launchTemplate", TOKENS.launchTemplate);
    const userData = typeof lt?.inputs.userData === "string" && /^[A-Za-z0-9+/=\s]+$/.test(lt.inputs.userData) ? decodeUserData(lt.inputs.userData) : "";
    const secret = lt ? backendSecret(c, lt) : undefined;
    const type = lt?.inputs.instanceType;
    return {
        urn: asg.urn,
        name: asg.name,
        kind: "ec2-asg",
        port,
        desired: asg.inputs.desiredCapacity ?? asg.inputs.minSize,
        min: asg.inputs.minSize,
        max: asg.inputs.maxSize,
        size: type,
        architecture: typeof type === "string" ? instanceArchitecture(type) : undefined,
        upstream: upstreamOf(userData),
        certificate: secret ? { secret: secretRef(secret), signedBy: secretSigner(g, secret) } : undefined,
    };
}

function ecsTier(c: Context, service: ResourceLike, tg: ResourceLike): TierHop {
    const { g } = c;
    const task = g.ref(service, "taskDefinition", TOKENS.ecsTaskDefinition);
    const entries: any[] = service.inputs.loadBalancers ?? [];
    const lbEntry = entries.find(e => e.targetGroupArn === tg.outputs?.arn) ?? entries[0] ?? {};
    let containers: any[] = [];
    try {
        containers = typeof task?.inputs.containerDefinitions === "string" ? JSON.parse(task.inputs.containerDefinitions) : task?.inputs.containerDefinitions ?? [];
    } catch {
        containers = [];
    }
    const env = containers.flatMap(c => c.environment ?? []).map((e: any) => String(e.value ?? ""));
    const upstream = env.map(v => upstreamOf(decodeBase64(v)) ?? upstreamOf(v)).find(u => u !== undefined);
    const secret = task ? backendSecret(c, task) : undefined;
    const scaling = g.ofType(TOKENS.appautoscalingTarget).find(t => g.allRefs(t).includes(service));
    return {
        urn: service.urn,
        name: service.name,
        kind: "ecs-fargate",
        port: Number(lbEntry.containerPort ?? tg.inputs.port),
        desired: service.inputs.desiredCount,
        min: scaling?.inputs.minCapacity,
        max: scaling?.inputs.maxCapacity,
        size: task ? `${task.inputs.cpu} CPU units / ${task.inputs.memory} MiB` : undefined,
        architecture: String(task?.inputs.runtimePlatform?.cpuArchitecture ?? OMITTED_CPU_ARCHITECTURE).toLowerCase(),
        upstream,
        certificate: secret ? { secret: secretRef(secret), signedBy: secretSigner(g, secret) } : undefined,
    };
}

/** The secret a tier reads its certificate from: the one the stack exports as backendSecretArn, among those it refers to. */
function backendSecret({ g, outputs }: Context, tier: ResourceLike): ResourceLike | undefined {
    const secrets = g.allRefs(tier, TOKENS.secretsManagerSecret);
    return secrets.find(s => outputs.backendSecretArn !== undefined && s.outputs?.arn === outputs.backendSecretArn) ?? secrets[0];
}

function secretRef(secret: ResourceLike) {
    return { urn: secret.urn, name: secret.name, arn: secret.outputs?.arn };
}

/** The CA behind the certificate stored in a secret (through its version's secretString). */
function secretSigner(g: ResourceGraph, secret: ResourceLike): CaRef | undefined {
    const version = g.ofType(TOKENS.secretsManagerSecretVersion).find(v => g.refersTo(v, "secretId", secret));
    const leaf = version ? g.refs(version, "secretString", TOKENS.tlsLocallySignedCert, TOKENS.acmpcaCertificate)[0] : undefined;
    return leaf ? issuerOf(g, leaf) : undefined;
}

/** The CA that signed a leaf certificate resource. */
function issuerOf(g: ResourceGraph, leaf: ResourceLike): CaRef {
    if (leaf.type === TOKENS.tlsLocallySignedCert) {
        const root = g.ref(leaf, "caCertPem", TOKENS.tlsSelfSignedCert, TOKENS.acmpcaCertificate);
        return root ? caOf(g, root) : { kind: "self-managed" };
    }
    const pca = g.ref(leaf, "certificateAuthorityArn", TOKENS.acmpcaCertificateAuthority);
    return pca ? privateCa(pca) : { kind: "aws-private-ca" };
}

/** The CA a CA certificate resource belongs to. */
function caOf(g: ResourceGraph, caCert: ResourceLike): CaRef {
    if (caCert.type === TOKENS.tlsSelfSignedCert) return { kind: "self-managed", name: caCert.name, urn: caCert.urn };
    const pca = g.ref(caCert, "certificateAuthorityArn", TOKENS.acmpcaCertificateAuthority);
    return pca ? privateCa(pca) : { kind: "aws-private-ca" };
}

function privateCa(pca: ResourceLike): CaRef {
    return { kind: "aws-private-ca", name: pca.name, urn: pca.urn, arn: pca.outputs?.arn, usageMode: pca.inputs.usageMode ?? "GENERAL_PURPOSE" };
}

function decodeBase64(s: string): string {
    if (!/^[A-Za-z0-9+/=\s]+$/.test(s)) return "";
    return Buffer.from(s, "base64").toString("utf8");
}

/** `http://127.0.0.1:8080` from an nginx config's proxy_pass, wherever it is embedded. */
function upstreamOf(text: string): string | undefined {
    return /proxy_pass\s+(https?:\/\/[^;\s]+)/.exec(text)?.[1];
}
