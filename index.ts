import * as pulumi from "@pulumi/pulumi";
import { COMPUTE_MODES, hasNatRoute, loadConfig, StackConfig } from "./config/index";
import { Network } from "./components/network/network";
import { TierSecurityGroups } from "./components/network/security-groups";
import { SecureLoadBalancer } from "./components/edge/load-balancer";
import { CertificateAuthority, caName } from "./components/pki/ca";
import { partnerCertificates } from "./components/pki/partner-certificate";
import { SecretsKey } from "./components/security/secrets-key";
import { TierIdentity } from "./components/security/tier-identity";
import { StoredCertificate } from "./components/pki/stored-certificate";
import { FrontDoor } from "./components/edge/front-door";
import { TrustStore } from "./components/edge/trust-store";
import { SecureListeners } from "./components/edge/listeners";
import { Ec2Tier } from "./components/compute/ec2-tier";
import { EcsTier } from "./components/compute/ecs-tier";
import { TierArgs } from "./components/compute/tier";
import { AlertTopic } from "./components/observability/alert-topic";
import { CertificateAlarms } from "./components/observability/certificate-alarms";
import { alertTargetOf } from "./config/validate/observability";

// Every key is validated here, before the first resource is registered.
const cfg = loadConfig();
const mode = COMPUTE_MODES[cfg.compute];
const name = "web";

const network = new Network(name, {
    cidr: cfg.vpcCidr,
    azCount: cfg.azCount,
    natGateways: cfg.natGateways,
    interfaceEndpoints: [...mode.interfaceEndpoints],
    flowLogs: cfg.flowLogs,
    logRetentionDays: cfg.logRetentionDays,
});
const groups = new TierSecurityGroups(name, {
    vpcId: network.vpcId,
    vpcCidr: cfg.vpcCidr,
    allowedCidrs: cfg.allowedCidrs,
    backendPort: cfg.backendPort,
    natEgress: hasNatRoute(cfg.natGateways),
});
const lb = new SecureLoadBalancer(name, {
    subnetIds: network.publicSubnetIds,
    securityGroupId: groups.loadBalancerGroupId,
    deletionProtection: cfg.deletionProtection,
    retainAccessLogs: cfg.retainAccessLogs,
    accessLogRetentionDays: cfg.logRetentionDays,
});

const ca = new CertificateAuthority(caName(name, cfg.caGeneration), { pki: cfg.pki, validityHours: cfg.caValidityHours });
// During a CA rotation the previous CA stays, unchanged, only to be trusted (README, CA rotation).
const trustedCas = cfg.retiringCaGeneration === undefined ? [ca] : [ca,
    new CertificateAuthority(caName(name, cfg.retiringCaGeneration), { pki: cfg.pki, validityHours: cfg.caValidityHours })];
const key = new SecretsKey(name);
const identity = new TierIdentity(name, { mode });
const validity = { validityHours: cfg.certValidityHours, earlyRenewalHours: cfg.certEarlyRenewalHours };
const backendCert = new StoredCertificate(`${name}-backend`, {
    ca, usage: "server", commonName: cfg.backendDnsName, dnsNames: [cfg.backendDnsName], ...validity,
    kmsKeyArn: key.keyArn, readerRoleArns: [identity.readerRoleArn], adminPrincipalArns: cfg.adminPrincipalArns,
});
const readBackendSecret = identity.grantSecretRead(`${name}-read-backend-secret`, backendCert.secretArn, key.keyArn);
const clients = cfg.mtlsClients.map(client => new StoredCertificate(`${name}-client-${client}`, {
    ca, usage: "client", commonName: client, clientName: client, ...validity, kmsKeyArn: key.keyArn,
    adminPrincipalArns: cfg.adminPrincipalArns,
}));
const partners = partnerCertificates(`${name}-partner`, cfg.mtlsClientCsrs, ca, validity);

const front = new FrontDoor(name, {
    loadBalancer: lb,
    domainName: cfg.domainName, hostedZoneId: cfg.hostedZoneId, ca, ...validity,
});
const trustStore = cfg.mtlsMode === "verify" ? new TrustStore(name, {
    caCertificatesPem: trustedCas.map(c => c.certificatePem),
    revocationListsPem: cfg.revokedSerials.length > 0 ? trustedCas.map(c => c.revocationList(cfg.revokedSerials)) : undefined,
}) : undefined;
const listeners = new SecureListeners(name, {
    loadBalancerArn: lb.arn,
    vpcId: network.vpcId,
    sslPolicy: cfg.sslPolicy,
    certificateArn: front.certificateArn,
    mtlsMode: cfg.mtlsMode,
    trustStoreArn: trustStore?.arn,
    backendPort: cfg.backendPort,
    targetType: mode.targetType,
});

const alerts = new AlertTopic(name, { target: alertTargetOf(cfg.alertTarget) });
new CertificateAlarms(name, {
    topicArn: alerts.topicArn,
    topicKeyArn: alerts.keyArn,
    frontCertificateArn: front.certificateArn,
    certificates: [
        { label: "backend", certificatePem: backendCert.certificatePem },
        ...clients.map((c, i) => ({ label: `client ${cfg.mtlsClients[i]}`, certificatePem: c.certificatePem })),
    ],
    clientSecretArns: clients.map(c => c.secretArn),
    earlyRenewalHours: cfg.certEarlyRenewalHours,
});
// The refresh agent (EC2 only; ECS reads the secret at task start) reports a refused renewal here.
const agentAlerts = mode.reader === "instance-role" ? [alerts.grantPublish(`${name}-agent-alerts`, identity.readerRoleName)] : [];

const tierArgs: TierArgs = {
    subnetIds: network.privateSubnetIds,
    securityGroupId: groups.tierGroupId,
    targetGroupArn: listeners.targetGroupArn,
    identity,
    secretArn: backendCert.secretArn,
    alertTopicArn: alerts.topicArn,
    backendPort: cfg.backendPort,
    appPort: cfg.appPort,
    minSize: cfg.minSize,
    maxSize: cfg.maxSize,
    desiredSize: cfg.desiredSize,
    bootDependencies: {
        forwarders: listeners.forwarders,
        permissions: [...identity.grants, readBackendSecret, ...agentAlerts],
        securityRules: groups.tierRules,
        network: network.tierPaths,
        secretValues: [backendCert.secretValue],
    },
};
/** The tier of each compute mode; a Record, so a new mode cannot be left without one. */
const TIERS: Record<StackConfig["compute"], () => pulumi.ComponentResource> = {
    asg: () => new Ec2Tier(name, { ...tierArgs, instanceType: cfg.instanceType, amiId: cfg.amiId }),
    ecs: () => new EcsTier(name, {
        ...tierArgs,
        secretVersionId: backendCert.secretVersionId,
        cpu: cfg.taskCpu,
        memory: cfg.taskMemory,
        terminatorImage: cfg.terminatorImage,
        appImage: cfg.appImage,
        pullThroughCache: hasNatRoute(cfg.natGateways),
        logRetentionDays: cfg.logRetentionDays,
    }),
};
TIERS[cfg.compute]();

export const url = front.url;
export const albDnsName = lb.dnsName;
export const trustStoreArn = trustStore?.arn;
/** The CA certificate clients and the tier trust: public. */
export const caBundlePem = trustStore?.bundlePem ?? ca.certificatePem;
export const backendSecretArn = backendCert.secretArn;
export const clientSecretArns = pulumi.output(Object.fromEntries(clients.map((c, i) => [cfg.mtlsClients[i], c.secretArn])));
/** What to put in `revokedSerials` to cut a client off. */
export const clientCertificateSerials = pulumi.output(Object.fromEntries([
    ...clients.map((c, i) => [cfg.mtlsClients[i], c.serialNumber] as const),
    ...Object.entries(partners).map(([client, p]) => [client, p.serialNumber] as const),
]));
/** Certificates of the clients that brought their own key (mtlsClientCsrs): public, for the partner. */
export const partnerCertificatesPem = pulumi.output(Object.fromEntries(Object.entries(partners).map(([client, p]) => [client, p.certificatePem])));
export const accessLogBucket = lb.accessLogBucket;
/** Where certificate alerts go. */
export const alertTopicArn = alerts.topicArn;
