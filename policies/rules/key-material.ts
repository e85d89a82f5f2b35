/**
 * Key material rules: how strong the keys are and how long the certificates live, for the two CA
 * modes of the program (`@pulumi/tls` "self-managed" and AWS Private CA).
 *
 * The ALB does not validate target certificates, so nothing on AWS's side stops a weak or
 * decade-long backend certificate: these rules are the only check. The limits follow what the ALB
 * accepts for mTLS client certificates (RSA 2048-8192, ECDSA P-256/P-384/P-521, SHA-256+), which is
 * also what ACM imports and Security Hub ACM.2 require.
 */
import { Policies, ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, isKnown, isUnknown, oneOf, raw, schemaWithDefaults, TOKENS, violation } from "./common";

const TLS = {
    privateKey: "tls:index/privateKey:PrivateKey",
    selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
    locallySignedCert: "tls:index/locallySignedCert:LocallySignedCert",
} as const;

const ACMPCA = {
    certificateAuthority: TOKENS.acmpcaCertificateAuthority,
    certificate: TOKENS.acmpcaCertificate,
} as const;

// Provider defaults, applied when the program leaves the field out.
const TLS_DEFAULT_RSA_BITS = 2048;
const TLS_DEFAULT_ECDSA_CURVE = "P224";

// ------------------------------------------------------------------------------------------------
// tls-private-key-strength
// ------------------------------------------------------------------------------------------------

interface StrengthConfig {
    minRsaBits: number;
    allowedEcdsaCurves: string[];
}

const strengthDefaults: StrengthConfig = { minRsaBits: 2048, allowedEcdsaCurves: ["P256", "P384", "P521"] };

export const tlsPrivateKeyStrength: ResourceValidationPolicy = {
    name: "tls-private-key-strength",
    description: "Private keys made with @pulumi/tls must be RSA of at least 2048 bits or ECDSA on P-256, " +
        "P-384 or P-521: weaker keys are breakable or refused by ALB mTLS and ACM. Omitting ecdsaCurve " +
        "gives P-224, the provider's default.",
    enforcementLevel: "mandatory",
    configSchema: schemaWithDefaults(strengthDefaults, {
        minRsaBits: { type: "integer", minimum: 1024, description: "Smallest accepted rsaBits." },
        allowedEcdsaCurves: {
            type: "array",
            items: { type: "string", enum: ["P224", "P256", "P384", "P521"] },
            description: "Accepted ecdsaCurve values.",
        },
    }),
    validateResource: (args, reportViolation) => {
        if (args.type !== TLS.privateKey) {
            return;
        }
        const props = raw(args.props);
        const algorithm = props.algorithm;
        if (isUnknown(algorithm)) {
            return;
        }
        const config = configOf(args, strengthDefaults);
        if (algorithm === "RSA") {
            const bits = props.rsaBits ?? TLS_DEFAULT_RSA_BITS;
            if (typeof bits === "number" && bits < config.minRsaBits) {
                reportViolation(violation({
                    resource: args, property: "rsaBits", value: bits,
                    problem: `is below the ${config.minRsaBits}-bit minimum for RSA keys`,
                    fix: `set rsaBits to ${config.minRsaBits} or more (3072 for keys meant to last past 2030)`,
                }));
            }
        } else if (algorithm === "ECDSA") {
            const curve = props.ecdsaCurve;
            if (isUnknown(curve)) {
                return;
            }
            const effective = curve ?? TLS_DEFAULT_ECDSA_CURVE;
            if (!config.allowedEcdsaCurves.includes(effective)) {
                reportViolation(violation({
                    resource: args, property: "ecdsaCurve", value: curve,
                    problem: `${curve === undefined ? `makes the provider use its default ${TLS_DEFAULT_ECDSA_CURVE}, which is` : "is"} ` +
                        `not one of the accepted curves (ALB mTLS and ACM accept only P-256, P-384 and P-521)`,
                    fix: `set ecdsaCurve to ${oneOf(config.allowedEcdsaCurves)}`,
                }));
            }
        }
    },
};

// ------------------------------------------------------------------------------------------------
// tls-private-key-alb-compatible-algorithm
// ------------------------------------------------------------------------------------------------

interface AlgorithmConfig {
    allowedAlgorithms: string[];
}

const algorithmDefaults: AlgorithmConfig = { allowedAlgorithms: ["RSA", "ECDSA"] };

/**
 * Advisory by default: Ed25519 is a strong algorithm, the problem is compatibility. ALB mTLS
 * rejects Ed25519 client certificates and ACM cannot import Ed25519 keys, so such a key breaks the
 * design at deploy or handshake time rather than weakening it. Raise it to mandatory when every
 * @pulumi/tls key in the stack feeds the ALB path.
 */
export const tlsPrivateKeyAlbCompatibleAlgorithm: ResourceValidationPolicy = {
    name: "tls-private-key-alb-compatible-algorithm",
    description: "Keys for certificates on the ALB path should be RSA or ECDSA: ALB mutual TLS accepts only " +
        "RSA and ECDSA client certificates and ACM imports only RSA and ECDSA keys, so an ED25519 key " +
        "fails at handshake or import time.",
    enforcementLevel: "advisory",
    configSchema: schemaWithDefaults(algorithmDefaults, {
        allowedAlgorithms: {
            type: "array",
            items: { type: "string", enum: ["RSA", "ECDSA", "ED25519"] },
            description: "Accepted algorithm values.",
        },
    }),
    validateResource: (args, reportViolation) => {
        if (args.type !== TLS.privateKey) {
            return;
        }
        const algorithm = raw(args.props).algorithm;
        if (!isKnown(algorithm)) {
            return;
        }
        const { allowedAlgorithms } = configOf(args, algorithmDefaults);
        if (!allowedAlgorithms.includes(algorithm)) {
            reportViolation(violation({
                resource: args, property: "algorithm", value: algorithm,
                problem: "is not accepted by ALB mutual TLS for client certificates nor by ACM for imported certificates",
                fix: `set algorithm to ${oneOf(allowedAlgorithms)} (ECDSA with ecdsaCurve "P256" is the cheapest handshake)`,
            }));
        }
    },
};

// ------------------------------------------------------------------------------------------------
// certificate-validity-bounded
// ------------------------------------------------------------------------------------------------

interface ValidityConfig {
    maxLeafValidityHours: number;
    maxCaValidityHours: number;
}

// 90 days for leaves; ten calendar years, leap days included (3,653 days), for CAs.
const validityDefaults: ValidityConfig = { maxLeafValidityHours: 2160, maxCaValidityHours: 87672 };

const HOURS_PER_DAY = 24;

/**
 * The most days `months` consecutive calendar months can span, over every starting month of a
 * four-year cycle (so a leap February is included): 3 months can be 92 days, 10 years 3,653.
 */
function longestMonthsInDays(months: number): number {
    let longest = 0;
    for (let start = 0; start < 48; start++) {
        const from = Date.UTC(2024, start, 1);
        const to = Date.UTC(2024, start + months, 1);
        longest = Math.max(longest, (to - from) / 86_400_000);
    }
    return longest;
}

/**
 * The longest an AWS Private CA validity can last, in hours. Months and years are calendar units,
 * so they are counted at their longest rather than guessed short. Absolute and end-date validities
 * are measured from `now`.
 */
export function acmpcaValidityHours(validity: { type?: unknown; value?: unknown }, now: Date = new Date()): number | undefined {
    const type = typeof validity.type === "string" ? validity.type.toUpperCase() : undefined;
    const value = validity.value;
    if (!type || typeof value !== "string" || isUnknown(value)) {
        return undefined;
    }
    const count = Number(value);
    switch (type) {
        case "DAYS":
            return count * HOURS_PER_DAY;
        case "MONTHS":
            return Number.isInteger(count) ? longestMonthsInDays(count) * HOURS_PER_DAY : undefined;
        case "YEARS":
            return Number.isInteger(count) ? longestMonthsInDays(count * 12) * HOURS_PER_DAY : undefined;
        case "ABSOLUTE":
            return (count * 1000 - now.getTime()) / 3_600_000;
        case "END_DATE": {
            // RFC 3339 in the provider; the AWS API's YYYYMMDDHHMMSS is accepted too.
            const compact = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
            const end = compact
                ? Date.UTC(+compact[1], +compact[2] - 1, +compact[3], +compact[4], +compact[5], +compact[6])
                : Date.parse(value);
            return Number.isNaN(end) ? undefined : (end - now.getTime()) / 3_600_000;
        }
        default:
            return undefined;
    }
}

function describeHours(hours: number): string {
    const rounded = Math.round(hours);
    return `${rounded} hours (${Math.round(rounded / HOURS_PER_DAY)} days)`;
}

export const certificateValidityBounded: ResourceValidationPolicy = {
    name: "certificate-validity-bounded",
    description: "Certificates must have a bounded lifetime: leaf (backend, client) certificates at most " +
        "90 days and CA certificates at most 10 years by default. The ALB accepts expired and long-lived " +
        "target certificates, so a leaked backend key stays useful for as long as its certificate lives.",
    enforcementLevel: "mandatory",
    configSchema: schemaWithDefaults(validityDefaults, {
        maxLeafValidityHours: {
            type: "integer", minimum: 1,
            description: "Longest accepted lifetime of a leaf certificate, in hours (2160 = 90 days).",
        },
        maxCaValidityHours: {
            type: "integer", minimum: 1,
            description: "Longest accepted lifetime of a CA certificate, in hours (87672 = 10 calendar years with their leap days).",
        },
    }),
    validateResource: (args, reportViolation) => {
        const props = raw(args.props);
        const config = configOf(args, validityDefaults);
        if (args.type === TLS.selfSignedCert || args.type === TLS.locallySignedCert) {
            const hours = props.validityPeriodHours;
            if (isUnknown(props.isCaCertificate) || typeof hours !== "number") {
                return;
            }
            const isCa = props.isCaCertificate === true;
            const max = isCa ? config.maxCaValidityHours : config.maxLeafValidityHours;
            if (hours > max) {
                reportViolation(violation({
                    resource: args, property: "validityPeriodHours", value: hours,
                    problem: `exceeds the ${describeHours(max)} allowed for a ${isCa ? "CA" : "leaf"} certificate`,
                    fix: `set validityPeriodHours to at most ${max}, with earlyRenewalHours so that \`pulumi up\` renews it in time`,
                }));
            }
        } else if (args.type === ACMPCA.certificate) {
            const validity = props.validity;
            const template = props.templateArn;
            if (!isKnown(validity) || typeof validity !== "object" || isUnknown(template)) {
                return;
            }
            // CA certificates are issued with a *CACertificate* template (RootCACertificate/V1, ...).
            const isCa = typeof template === "string" && /CACertificate/.test(template);
            const hours = acmpcaValidityHours(validity as { type?: unknown; value?: unknown });
            const max = isCa ? config.maxCaValidityHours : config.maxLeafValidityHours;
            if (hours !== undefined && hours > max) {
                reportViolation(violation({
                    resource: args, property: "validity", value: validity,
                    problem: `lasts up to ${describeHours(hours)}, more than the ${describeHours(max)} allowed ` +
                        `for a ${isCa ? "CA" : "leaf"} certificate`,
                    fix: `set validity to { type: "DAYS", value: "${Math.floor(max / HOURS_PER_DAY)}" } or less`,
                }));
            }
        }
    },
};

// ------------------------------------------------------------------------------------------------
// tls-certificate-early-renewal-window
// ------------------------------------------------------------------------------------------------

interface RenewalConfig {
    minEarlyRenewalHours: number;
}

const renewalDefaults: RenewalConfig = { minEarlyRenewalHours: 24 };

export const tlsCertificateEarlyRenewalWindow: ResourceValidationPolicy = {
    name: "tls-certificate-early-renewal-window",
    description: "@pulumi/tls certificates must set earlyRenewalHours above zero and below validityPeriodHours: " +
        "the provider renews only during a `pulumi up` inside that window, so without one the certificate " +
        "simply expires, and with one as long as the lifetime it is replaced on every update.",
    enforcementLevel: "mandatory",
    configSchema: schemaWithDefaults(renewalDefaults, {
        minEarlyRenewalHours: {
            type: "integer", minimum: 1,
            description: "Shortest accepted renewal window, in hours: time for a scheduled `pulumi up` to run.",
        },
    }),
    validateResource: (args, reportViolation) => {
        if (args.type !== TLS.selfSignedCert && args.type !== TLS.locallySignedCert) {
            return;
        }
        const props = raw(args.props);
        const early = props.earlyRenewalHours;
        const validity = props.validityPeriodHours;
        if (isUnknown(early) || isUnknown(validity)) {
            return;
        }
        const { minEarlyRenewalHours } = configOf(args, renewalDefaults);
        const window = typeof early === "number" ? early : 0;
        if (window < minEarlyRenewalHours) {
            reportViolation(violation({
                resource: args, property: "earlyRenewalHours", value: early,
                problem: `gives ${window === 0 ? "no" : "too short a"} renewal window (at least ${minEarlyRenewalHours} hours ` +
                    "is needed for a scheduled `pulumi up` to replace the certificate before it expires)",
                fix: typeof validity === "number"
                    ? `set earlyRenewalHours between ${minEarlyRenewalHours} and ${validity - 1}, e.g. ${Math.max(minEarlyRenewalHours, Math.floor(validity / 3))} (a third of the lifetime)`
                    : `set earlyRenewalHours to at least ${minEarlyRenewalHours}`,
            }));
        } else if (typeof validity === "number" && window >= validity) {
            reportViolation(violation({
                resource: args, property: "earlyRenewalHours", value: early,
                problem: `is not below validityPeriodHours (${validity}), so the certificate is due for renewal ` +
                    "as soon as it is issued and is replaced on every update",
                fix: `set earlyRenewalHours below ${validity}, e.g. ${Math.max(minEarlyRenewalHours, Math.floor(validity / 3))}`,
            }));
        }
    },
};

// ------------------------------------------------------------------------------------------------
// acmpca-strong-algorithms
// ------------------------------------------------------------------------------------------------

interface PcaConfig {
    allowedKeyAlgorithms: string[];
    allowedSigningAlgorithms: string[];
}

const pcaDefaults: PcaConfig = {
    allowedKeyAlgorithms: ["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"],
    allowedSigningAlgorithms: [
        "SHA256WITHRSA", "SHA384WITHRSA", "SHA512WITHRSA",
        "SHA256WITHECDSA", "SHA384WITHECDSA", "SHA512WITHECDSA",
    ],
};

/** `RSA` or `EC` for a key algorithm, `RSA` or `ECDSA` for a signing algorithm (others: undefined). */
export function family(algorithm: string): "RSA" | "EC" | undefined {
    if (/^RSA_/.test(algorithm) || /WITHRSA$/.test(algorithm)) {
        return "RSA";
    }
    if (/^EC_/.test(algorithm) || /WITHECDSA$/.test(algorithm)) {
        return "EC";
    }
    return undefined;
}

export const acmpcaStrongAlgorithms: ResourceValidationPolicy = {
    name: "acmpca-strong-algorithms",
    description: "AWS Private CA authorities and certificates must use RSA 2048+ or NIST P-256/P-384/P-521 keys " +
        "and SHA-256+ signatures that match the key: other algorithms (ML-DSA, SM2) are refused by ALB mTLS " +
        "for client certificates, and a CA's algorithms cannot be changed after creation.",
    enforcementLevel: "mandatory",
    configSchema: schemaWithDefaults(pcaDefaults, {
        allowedKeyAlgorithms: {
            type: "array", items: { type: "string" },
            description: "Accepted certificateAuthorityConfiguration.keyAlgorithm values.",
        },
        allowedSigningAlgorithms: {
            type: "array", items: { type: "string" },
            description: "Accepted signingAlgorithm values (CA configuration and issued certificates).",
        },
    }),
    validateResource: (args, reportViolation) => {
        const props = raw(args.props);
        const config = configOf(args, pcaDefaults);
        const checkSigning = (property: string, value: unknown) => {
            if (typeof value === "string" && !isUnknown(value) && !config.allowedSigningAlgorithms.includes(value)) {
                reportViolation(violation({
                    resource: args, property, value,
                    problem: "is not an accepted signature algorithm (SHA-256 or stronger with RSA or ECDSA)",
                    fix: `set ${property} to ${oneOf(config.allowedSigningAlgorithms)}`,
                }));
                return false;
            }
            return true;
        };
        if (args.type === ACMPCA.certificateAuthority) {
            const ca = props.certificateAuthorityConfiguration;
            if (!isKnown(ca) || typeof ca !== "object") {
                return;
            }
            const { keyAlgorithm, signingAlgorithm } = ca as Record<string, unknown>;
            let keyOk = true;
            if (typeof keyAlgorithm === "string" && !isUnknown(keyAlgorithm) && !config.allowedKeyAlgorithms.includes(keyAlgorithm)) {
                keyOk = false;
                reportViolation(violation({
                    resource: args, property: "certificateAuthorityConfiguration.keyAlgorithm", value: keyAlgorithm,
                    problem: "is not an accepted CA key algorithm (RSA 2048+ or a NIST P-256/P-384/P-521 curve)",
                    fix: `set keyAlgorithm to ${oneOf(config.allowedKeyAlgorithms)}; it cannot change after creation`,
                }));
            }
            const signingOk = checkSigning("certificateAuthorityConfiguration.signingAlgorithm", signingAlgorithm);
            if (keyOk && signingOk && typeof keyAlgorithm === "string" && typeof signingAlgorithm === "string" &&
                !isUnknown(keyAlgorithm) && !isUnknown(signingAlgorithm) &&
                family(keyAlgorithm) !== family(signingAlgorithm)) {
                reportViolation(violation({
                    resource: args, property: "certificateAuthorityConfiguration.signingAlgorithm", value: signingAlgorithm,
                    problem: `does not match the ${keyAlgorithm} key (an ${family(keyAlgorithm) === "RSA" ? "RSA" : "EC"} key signs with ` +
                        `*WITH${family(keyAlgorithm) === "RSA" ? "RSA" : "ECDSA"})`,
                    fix: `use a signing algorithm of the key's family, e.g. "${family(keyAlgorithm) === "RSA" ? "SHA256WITHRSA" : "SHA256WITHECDSA"}"`,
                }));
            }
        } else if (args.type === ACMPCA.certificate) {
            checkSigning("signingAlgorithm", props.signingAlgorithm);
        }
    },
};

export const policies: Policies = [
    tlsPrivateKeyStrength,
    tlsPrivateKeyAlbCompatibleAlgorithm,
    certificateValidityBounded,
    tlsCertificateEarlyRenewalWindow,
    acmpcaStrongAlgorithms,
];
