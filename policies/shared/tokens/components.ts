/** This program's component tokens, `e2etls:<area>:<Name>`, and their areas (see ./index.ts). */

/** Areas of this program's components: the middle segment of their type tokens, and the folders of components/. */
export const AREAS = ["network", "edge", "pki", "security", "compute", "storage", "observability"] as const;
export type Area = (typeof AREAS)[number];

/** This program's component resources, `e2etls:<area>:<Name>`. */
export const COMPONENTS = {
    /** The top-level component others consume; a component package serves it from its `index` module. */
    webTier: "e2etls:index:WebTier",
    network: "e2etls:network:Network",
    tierSecurityGroups: "e2etls:network:TierSecurityGroups",
    secureLoadBalancer: "e2etls:edge:SecureLoadBalancer",
    secureListeners: "e2etls:edge:SecureListeners",
    frontDoor: "e2etls:edge:FrontDoor",
    trustStore: "e2etls:edge:TrustStore",
    certificateAuthority: "e2etls:pki:CertificateAuthority",
    storedCertificate: "e2etls:pki:StoredCertificate",
    tlsSecret: "e2etls:pki:TlsSecret",
    partnerCertificate: "e2etls:pki:PartnerCertificate",
    secretsKey: "e2etls:security:SecretsKey",
    tierIdentity: "e2etls:security:TierIdentity",
    ec2Tier: "e2etls:compute:Ec2Tier",
    ecsTier: "e2etls:compute:EcsTier",
    privateBucket: "e2etls:storage:PrivateBucket",
    alertTopic: "e2etls:observability:AlertTopic",
    certificateAlarms: "e2etls:observability:CertificateAlarms",
} as const;

/** The area a component token names (`e2etls:<area>:<Name>`), or undefined for any other token. */
export function areaOf(token: string): Area | undefined {
    const [pkg, area] = token.split(":");
    return pkg === "e2etls" && (AREAS as readonly string[]).includes(area) ? (area as Area) : undefined;
}

/**
 * A type no resource has: a policy that only declares findings other policies send
 * (`policy-exemptions-applied`) names it as the one type it applies to, so the policy server
 * skips it on every stack instead of unmarshalling the stack for a check with nothing to do.
 */
export const NO_RESOURCE_TYPE = "e2etls:pack:NoResource";
