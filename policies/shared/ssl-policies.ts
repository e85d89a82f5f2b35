/**
 * ELB security policies by the lowest TLS version they accept, from the AWS tables
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
 * The program's config validation and the pack's
 * allow-list rule both read this one table, so they cannot drift apart.
 */
/** TLS versions, oldest first: the one ordering of TLS versions of the pack and the program. */
export const TLS_VERSIONS = ["1.0", "1.1", "1.2", "1.3"] as const;
export type MinTlsVersion = (typeof TLS_VERSIONS)[number];

/** True when `version` is `min` or newer. */
export function tlsAtLeast(version: MinTlsVersion, min: MinTlsVersion): boolean {
    return TLS_VERSIONS.indexOf(version) >= TLS_VERSIONS.indexOf(min);
}

export interface SslPolicyInfo {
    readonly name: string;
    readonly minTls: MinTlsVersion;
    /** Negotiates TLS 1.3 as well as its minimum. */
    readonly tls13: boolean;
    readonly fips: boolean;
    /** Offers hybrid post-quantum key exchange. */
    readonly postQuantum: boolean;
}

const P = "ELBSecurityPolicy-";

function entry(suffix: string, minTls: MinTlsVersion, tls13: boolean): SslPolicyInfo {
    return { name: P + suffix, minTls, tls13, fips: suffix.includes("FIPS"), postQuantum: suffix.includes("-PQ-") };
}

export const SSL_POLICIES: readonly SslPolicyInfo[] = [
    ...["TLS13-1-3-2021-06", "TLS13-1-3-FIPS-2023-04", "TLS13-1-3-PQ-2025-09", "TLS13-1-3-FIPS-PQ-2025-09"]
        .map(s => entry(s, "1.3", true)),
    ...["TLS13-1-2-2021-06", "TLS13-1-2-Res-2021-06", "TLS13-1-2-Ext1-2021-06", "TLS13-1-2-Ext2-2021-06",
        "TLS13-1-2-FIPS-2023-04", "TLS13-1-2-Res-FIPS-2023-04", "TLS13-1-2-Ext0-FIPS-2023-04",
        "TLS13-1-2-Ext1-FIPS-2023-04", "TLS13-1-2-Ext2-FIPS-2023-04",
        "TLS13-1-2-PQ-2025-09", "TLS13-1-2-Res-PQ-2025-09", "TLS13-1-2-Ext1-PQ-2025-09", "TLS13-1-2-Ext2-PQ-2025-09",
        "TLS13-1-2-FIPS-PQ-2025-09", "TLS13-1-2-Res-FIPS-PQ-2025-09", "TLS13-1-2-Ext0-FIPS-PQ-2025-09",
        "TLS13-1-2-Ext1-FIPS-PQ-2025-09", "TLS13-1-2-Ext2-FIPS-PQ-2025-09"]
        .map(s => entry(s, "1.2", true)),
    ...["TLS-1-2-2017-01", "TLS-1-2-Ext-2018-06", "FS-1-2-2019-08", "FS-1-2-Res-2019-08", "FS-1-2-Res-2020-10"]
        .map(s => entry(s, "1.2", false)),
    ...["TLS13-1-1-2021-06", "TLS13-1-1-FIPS-2023-04"].map(s => entry(s, "1.1", true)),
    ...["TLS-1-1-2017-01", "FS-1-1-2019-08"].map(s => entry(s, "1.1", false)),
    ...["TLS13-1-0-2021-06", "TLS13-1-0-FIPS-2023-04", "TLS13-1-0-PQ-2025-09"].map(s => entry(s, "1.0", true)),
    ...["2016-08", "2015-05", "FS-2018-06", "TLS-1-0-2015-04"].map(s => entry(s, "1.0", false)),
];

/** The policy's entry, or undefined for a name AWS does not publish. Exact match only. */
export function sslPolicyInfo(name: string): SslPolicyInfo | undefined {
    return SSL_POLICIES.find(p => p.name === name);
}

/** Names of the policies whose lowest accepted version is at least `min`. */
export function policiesAtLeast(min: MinTlsVersion): string[] {
    return SSL_POLICIES.filter(p => tlsAtLeast(p.minTls, min)).map(p => p.name);
}

/** The policy used when `sslPolicy` is left out of config or fixed by remediation. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
