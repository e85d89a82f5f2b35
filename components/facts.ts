/**
 * The program's own vocabulary: the areas its components are grouped by and the tags it writes on
 * the resources it creates, which the offline tools read back. The pack reads none of it, so none
 * of it ships in the published pack (policies/); each component writes its own type token in its
 * `super(...)` call.
 */

/** Areas of this program's components: the middle segment of their type tokens, and the folders of components/. */
export const AREAS = ["network", "edge", "pki", "security", "compute", "storage", "observability"] as const;
export type Area = (typeof AREAS)[number];

/** The area a component token names (`e2etls:<area>:<Name>`), or undefined for any other token. */
export function areaOf(token: string): Area | undefined {
    const [pkg, area] = token.split(":");
    return pkg === "e2etls" && (AREAS as readonly string[]).includes(area) ? (area as Area) : undefined;
}

/** Tag keys, all under the project's `e2etls:` prefix. */
export const TAG = {
    /** On a TLS secret: whose certificate it holds, one of {@link SECRET_ROLES}. */
    role: "e2etls:role",
    /** On an mTLS client's secret: the client's name, as declared in `mtlsClients`. */
    client: "e2etls:client",
    /** On a subnet: which tier it is, one of {@link SUBNET_TIERS}. */
    tier: "e2etls:tier",
    /** On a bucket: what it holds (e.g. "trust-store", "access-logs"). */
    purpose: "e2etls:purpose",
    /**
     * On every AWS resource the stack creates that takes tags: which stack owns it, the value
     * {@link stackTagValue} gives. The deploying role's policy reaches the stack's secrets, CAs and
     * certificates only through it (offline/deployer-policy/).
     */
    stack: "e2etls:stack",
} as const;

/**
 * The value of {@link TAG.stack} for a project's stack: `<project>.<stack>`. Pulumi project and
 * stack names are letters, digits, `-`, `_` and `.`, and the separator is a `.` because every
 * service that takes the tag accepts those characters in a value, AWS Private CA included (it
 * refuses `/`: https://docs.aws.amazon.com/privateca/latest/userguide/PcaCaTagging.html).
 */
export function stackTagValue(project: string, stack: string): string {
    return `${project}.${stack}`;
}

/** Whose certificate a TLS secret holds: the tier's server certificate or an mTLS client's. */
export const SECRET_ROLES = ["backend", "client"] as const;
export type SecretRole = (typeof SECRET_ROLES)[number];

/** The subnet tiers of the VPC. */
export const SUBNET_TIERS = ["public", "private"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];
