import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { COMPUTE_MODES, hasNatRoute, resolveConfig, StackConfig, tierInterfaceEndpoints } from "../config/index";
import { Network } from "./network/network";
import { TierSecurityGroups } from "./network/security-groups";
import { SecureLoadBalancer } from "./edge/load-balancer";
import { CertificateAuthority, caName } from "./pki/ca";
import { partnerCertificates } from "./pki/partner-certificate";
import { SecretsKey } from "./security/secrets-key";
import { TierIdentity } from "./security/tier-identity";
import { StoredCertificate } from "./pki/stored-certificate";
import { FrontDoor } from "./edge/front-door";
import { TrustStore } from "./edge/trust-store";
import { SecureListeners } from "./edge/listeners";
import { Ec2Tier } from "./compute/ec2-tier";
import { EcsTier } from "./compute/ecs-tier";
import { TierArgs } from "./compute/tier";
import { AlertTopic } from "./observability/alert-topic";
import { CertificateAlarms } from "./observability/certificate-alarms";
import { alertTargetOf } from "../config/validate/observability";
import { checkBoundaryAccount } from "../config/validate/security";
import { defaultBoundaryPolicyName, stackOwnership, stackScope } from "./security/stack-scope";
import { custodians } from "./security/custodians";
import { WebTierArgs } from "./web-tier-args";
import { applicationOf, applicationSummary, ApplicationSummary } from "./compute/application";
import { secretReferences } from "./security/application-access";
import { SecretService } from "./compute/secret-references";

export { WebTierArgs } from "./web-tier-args";

/**
 * A web tier encrypted from the client to the process that serves the request: a VPC, an
 * Application Load Balancer with an HTTPS listener on a TLS 1.2+ policy, mutual TLS against a trust
 * store and a port-80 listener that only redirects, HTTPS target groups and health checks, and an
 * EC2 Auto Scaling group or an ECS Fargate service whose TLS terminator serves a certificate from
 * the stack's CA, kept in Secrets Manager under a customer KMS key.
 */
export class WebTier extends pulumi.ComponentResource {
    /** The type token: package `e2etls`, module `index` (a component package serves its components from there), `WebTier`. */
    public static readonly TOKEN = "e2etls:index:WebTier";

    /** The service's URL: https:// and the domain name, or the load balancer's DNS name. */
    public readonly url: pulumi.Output<string>;
    /** DNS name of the load balancer. */
    public readonly albDnsName: pulumi.Output<string>;
    /** ARN of the trust store the HTTPS listener verifies client certificates against (mtlsMode verify). */
    public readonly trustStoreArn?: pulumi.Output<string>;
    /** The CA certificates clients and the tier trust (PEM): public. */
    public readonly caBundlePem: pulumi.Output<string>;
    /** ARN of the secret holding the backend certificate, chain and private key. */
    public readonly backendSecretArn: pulumi.Output<string>;
    /** ARN of each mTLS client's secret (certificate, chain and private key), by client name. */
    public readonly clientSecretArns: pulumi.Output<Record<string, string>>;
    /** Serial number of each client's certificate, by client name: what to put in revokedSerials. */
    public readonly clientCertificateSerials: pulumi.Output<Record<string, string>>;
    /** Certificates of the clients that brought their own key (mtlsClientCsrs), by client name: public. */
    public readonly partnerCertificatesPem: pulumi.Output<Record<string, string>>;
    /** Name of the load balancer's access-log bucket. */
    public readonly accessLogBucket: pulumi.Output<string>;
    /** ARN of the SNS topic certificate alerts go to. */
    public readonly alertTopicArn: pulumi.Output<string>;
    /**
     * The application the tier serves: its source ("demo", "image" or "start-command"), image or
     * start command, port, health check, and the ARN each secret is read from (never a value).
     */
    public readonly application: pulumi.Output<ApplicationSummary>;

    constructor(name: string, args: WebTierArgs, opts?: pulumi.ComponentResourceOptions) {
        // Every input is validated here, before the first resource (this one included) is registered.
        const cfg = resolveConfig(args);
        const scope = stackScope(pulumi.getProject(), pulumi.getStack());
        // Known once the provider answers (below); the transformation runs for each child, after that.
        let permissionsBoundary: pulumi.Output<string> | undefined;
        super(WebTier.TOKEN, name, {}, {
            ...opts,
            // The stack tag on everything that takes tags, and the stack's path and permissions
            // boundary on every role: the deploying role's policy relies on both.
            transformations: [stackOwnership({ ...scope, permissionsBoundary: pulumi.output(undefined).apply(() => permissionsBoundary!) }),
                ...(opts?.transformations ?? [])],
        });
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        permissionsBoundary = pulumi.all([account, partition]).apply(([a, p]) => cfg.permissionsBoundaryArn === undefined
            ? `arn:${p}:iam::${a}:policy/${defaultBoundaryPolicyName(pulumi.getProject(), pulumi.getStack())}`
            : checkBoundaryAccount(cfg.permissionsBoundaryArn, a));
        // Who deploys the stack: the key policies let them administer the stack's keys.
        const deployers = pulumi.all([custodians(this).deployerArn, ...cfg.adminPrincipalArns]);
        // Until this component existed its children were the stack's own: the alias keeps their URNs.
        const child: pulumi.ComponentResourceOptions = { parent: this, aliases: [{ parent: pulumi.rootStackResource }] };
        const mode = COMPUTE_MODES[cfg.compute];
        const app = applicationOf(cfg);

        const network = new Network(name, {
            cidr: cfg.vpcCidr,
            azCount: cfg.azCount,
            natGateways: cfg.natGateways,
            interfaceEndpoints: tierInterfaceEndpoints(cfg.compute, {
                pullsImage: app.image !== undefined,
                readsParameters: secretReferences(app.secrets).some(r => r.service === SecretService.parameterStore),
            }),
            flowLogs: cfg.flowLogs,
            logRetentionDays: cfg.logRetentionDays,
        }, child);
        const groups = new TierSecurityGroups(name, {
            vpcId: network.vpcId,
            vpcCidr: cfg.vpcCidr,
            allowedCidrs: cfg.allowedCidrs,
            backendPort: cfg.backendPort,
            natEgress: hasNatRoute(cfg.natGateways),
        }, child);
        const lb = new SecureLoadBalancer(name, {
            subnetIds: network.publicSubnetIds,
            securityGroupId: groups.loadBalancerGroupId,
            deletionProtection: cfg.deletionProtection,
            retainAccessLogs: cfg.retainAccessLogs,
            accessLogRetentionDays: cfg.logRetentionDays,
        }, child);

        const ca = new CertificateAuthority(caName(name, cfg.caGeneration), { pki: cfg.pki, validityHours: cfg.caValidityHours }, child);
        // During a CA rotation the previous CA stays, unchanged, only to be trusted (docs/operations.md, CA rotation).
        const trustedCas = cfg.retiringCaGeneration === undefined ? [ca] : [ca,
            new CertificateAuthority(caName(name, cfg.retiringCaGeneration), { pki: cfg.pki, validityHours: cfg.caValidityHours }, child)];
        // The identity first: the key's policy names the role that decrypts with it.
        const identity = new TierIdentity(name, { mode }, child);
        const key = new SecretsKey(name, { deployers, readerRoleArns: [identity.readerRoleArn] }, child);
        const validity = { validityHours: cfg.certValidityHours, earlyRenewalHours: cfg.certEarlyRenewalHours };
        const backendCert = new StoredCertificate(`${name}-backend`, {
            ca, usage: "server", commonName: cfg.backendDnsName, dnsNames: [cfg.backendDnsName], ...validity,
            kmsKeyArn: key.keyArn, readerRoleArns: [identity.readerRoleArn], adminPrincipalArns: cfg.adminPrincipalArns,
        }, child);
        const readBackendSecret = identity.grantSecretRead(`${name}-read-backend-secret`, backendCert.secretArn, key.keyArn);
        const clients = cfg.mtlsClients.map(client => new StoredCertificate(`${name}-client-${client}`, {
            ca, usage: "client", commonName: client, clientName: client, ...validity, kmsKeyArn: key.keyArn,
            adminPrincipalArns: cfg.adminPrincipalArns,
        }, child));
        const partners = partnerCertificates(`${name}-partner`, cfg.mtlsClientCsrs, ca, validity, child);

        const front = new FrontDoor(name, {
            loadBalancer: lb,
            domainName: cfg.domainName, hostedZoneId: cfg.hostedZoneId, ca, ...validity,
        }, child);
        const trustStore = cfg.mtlsMode === "verify" ? new TrustStore(name, {
            caCertificatesPem: trustedCas.map(c => c.certificatePem),
            revocationListsPem: cfg.revokedSerials.length > 0 ? trustedCas.map(c => c.revocationList(cfg.revokedSerials)) : undefined,
        }, child) : undefined;
        const listeners = new SecureListeners(name, {
            loadBalancerArn: lb.arn,
            vpcId: network.vpcId,
            sslPolicy: cfg.sslPolicy,
            certificateArn: front.certificateArn,
            mtlsMode: cfg.mtlsMode,
            trustStoreArn: trustStore?.arn,
            backendPort: cfg.backendPort,
            targetType: mode.targetType,
            healthCheckPath: app.healthCheckPath,
            healthCheckCodes: app.healthCheckCodes,
        }, child);

        const alerts = new AlertTopic(name, { target: alertTargetOf(cfg.alertTarget), deployers }, child);
        new CertificateAlarms(name, {
            topicArn: alerts.topicArn,
            topicKeyArn: alerts.keyArn,
            frontCertificateArn: front.certificateArn,
            certificates: [
                { label: "backend", certificatePem: backendCert.certificatePem },
                ...clients.map((c, i) => ({ label: `client ${cfg.mtlsClients[i]}`, certificatePem: c.certificatePem })),
                ...Object.entries(partners).map(([client, p]) => ({ label: `partner ${client}`, certificatePem: p.certificatePem })),
            ],
            clientSecretArns: clients.map(c => c.secretArn),
            partnerParameterNames: Object.values(partners).map(p => p.parameterName),
            earlyRenewalHours: cfg.certEarlyRenewalHours,
        }, child);
        // The refresh agent (EC2 only; ECS reads the secret at task start) reports a refused renewal here.
        const agentAlerts = mode.reader === "instance-role" ? [alerts.grantPublish(`${name}-agent-alerts`, identity.readerRoleName)] : [];
        // The application's secrets: ECS fetches them with the execution role, EC2's start script with the instance role.
        const readAppSecrets = identity.grantApplicationSecrets(`${name}-read-app-secrets`, app.secrets);

        const tierArgs: TierArgs = {
            subnetIds: network.privateSubnetIds,
            securityGroupId: groups.tierGroupId,
            targetGroupArn: listeners.targetGroupArn,
            identity,
            secretArn: backendCert.secretArn,
            alertTopicArn: alerts.topicArn,
            backendPort: cfg.backendPort,
            application: app,
            minSize: cfg.minSize,
            maxSize: cfg.maxSize,
            desiredSize: cfg.desiredSize,
            bootDependencies: {
                forwarders: listeners.forwarders,
                permissions: [...identity.grants, readBackendSecret, ...agentAlerts, ...(readAppSecrets ? [readAppSecrets] : [])],
                securityRules: groups.tierRules,
                network: network.tierPaths,
                secretValues: [backendCert.secretValue],
            },
        };
        /** The tier of each compute mode; a Record, so a new mode cannot be left without one. */
        const TIERS: Record<StackConfig["compute"], () => pulumi.ComponentResource> = {
            asg: () => new Ec2Tier(name, { ...tierArgs, instanceType: cfg.instanceType, amiId: cfg.amiId }, child),
            ecs: () => new EcsTier(name, {
                ...tierArgs,
                secretVersionId: backendCert.secretVersionId,
                cpu: cfg.taskCpu,
                memory: cfg.taskMemory,
                terminatorImage: cfg.terminatorImage,
                pullThroughCache: hasNatRoute(cfg.natGateways),
                logRetentionDays: cfg.logRetentionDays,
            }, child),
        };
        TIERS[cfg.compute]();

        this.url = front.url;
        this.albDnsName = lb.dnsName;
        this.trustStoreArn = trustStore?.arn;
        this.caBundlePem = trustStore?.bundlePem ?? ca.certificatePem;
        this.backendSecretArn = backendCert.secretArn;
        this.clientSecretArns = pulumi.output(Object.fromEntries(clients.map((c, i) => [cfg.mtlsClients[i], c.secretArn])));
        this.clientCertificateSerials = pulumi.output(Object.fromEntries([
            ...clients.map((c, i) => [cfg.mtlsClients[i], c.serialNumber] as const),
            ...Object.entries(partners).map(([client, p]) => [client, p.serialNumber] as const),
        ]));
        this.partnerCertificatesPem = pulumi.output(Object.fromEntries(Object.entries(partners).map(([client, p]) => [client, p.certificatePem])));
        this.accessLogBucket = lb.accessLogBucket;
        this.alertTopicArn = alerts.topicArn;
        this.application = pulumi.output(applicationSummary(app));
        this.registerOutputs({
            url: this.url,
            albDnsName: this.albDnsName,
            trustStoreArn: this.trustStoreArn,
            caBundlePem: this.caBundlePem,
            backendSecretArn: this.backendSecretArn,
            clientSecretArns: this.clientSecretArns,
            clientCertificateSerials: this.clientCertificateSerials,
            partnerCertificatesPem: this.partnerCertificatesPem,
            accessLogBucket: this.accessLogBucket,
            alertTopicArn: this.alertTopicArn,
            application: this.application,
        });
    }
}
