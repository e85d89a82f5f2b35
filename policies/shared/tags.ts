/**
 * The tag vocabulary this program writes on the resources it creates and the offline tools read
 * back: one home for the keys and their values.
 */

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
} as const;

/** Whose certificate a TLS secret holds: the tier's server certificate or an mTLS client's. */
export const SECRET_ROLES = ["backend", "client"] as const;
export type SecretRole = (typeof SECRET_ROLES)[number];

/** The subnet tiers of the VPC. */
export const SUBNET_TIERS = ["public", "private"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];
