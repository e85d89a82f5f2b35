/**
 * Certificate rules, for the two CA modes of the program (`@pulumi/tls` "self-managed" and AWS
 * Private CA) and for ACM certificates: how long a certificate lives, whether `pulumi up` renews it
 * in time, and the key of an ACM certificate. The ALB accepts expired and long-lived target
 * certificates, so these rules are the only check.
 */
import { Policies } from "@pulumi/policy";
import { ACM_DEFAULT_KEY_ALGORITHM, ACM_REQUESTABLE_KEY_ALGORITHMS } from "../shared/aws-defaults";
import { NATIVE, TOKENS } from "../shared/tokens";
import { asNumber, integer, isKnown, isUnknown, knownString, oneOf, resourceRule, securityHub, strings } from "../framework";
import { certificateFacts, rsaBits } from "./x509";

const TLS_CERTIFICATES = [TOKENS.tlsSelfSignedCert, TOKENS.tlsLocallySignedCert];

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

/** Milliseconds since the epoch of an END_DATE: RFC 3339 in @pulumi/aws, or the API's GeneralizedTime or UTCTime digits. */
function endDate(value: string): number {
    // ACM PCA API reference, Validity: YYYYMMDDHHMMSS or YYMMDDHHMMSS, a YY of 50 or more being 19YY.
    const digits = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
    if (!digits) {
        return Date.parse(value);
    }
    const [year, month, day, hour, minute, second] = digits.slice(1).map(Number);
    const fullYear = digits[1].length === 4 ? year : year >= 50 ? 1900 + year : 2000 + year;
    return Date.UTC(fullYear, month - 1, day, hour, minute, second);
}

/**
 * The longest an AWS Private CA validity can last, in hours. Months and years are calendar units,
 * so they are counted at their longest rather than guessed short. Absolute and end-date validities
 * are measured from `now`. The value is read as each family gives it: a string in @pulumi/aws
 * (`"90"`), a number in CloudFormation's AWS::ACMPCA::Certificate Validity (`90`, or
 * `20301231235959` for END_DATE).
 */
export function acmpcaValidityHours(validity: { type?: unknown; value?: unknown }, now: Date = new Date()): number | undefined {
    const type = typeof validity.type === "string" ? validity.type.toUpperCase() : undefined;
    const value = validity.value;
    const text = typeof value === "number" && Number.isInteger(value) ? String(value) : knownString(value);
    const count = asNumber(value);
    if (!type || text === undefined) {
        return undefined;
    }
    if (type === "END_DATE") {
        const end = endDate(text);
        return Number.isNaN(end) ? undefined : (end - now.getTime()) / 3_600_000;
    }
    if (count === undefined) {
        return undefined;
    }
    switch (type) {
        case "DAYS":
            return count * HOURS_PER_DAY;
        case "MONTHS":
            return Number.isInteger(count) ? longestMonthsInDays(count) * HOURS_PER_DAY : undefined;
        case "YEARS":
            return Number.isInteger(count) ? longestMonthsInDays(count * 12) * HOURS_PER_DAY : undefined;
        case "ABSOLUTE":
            return (count * 1000 - now.getTime()) / 3_600_000;
        default:
            return undefined;
    }
}

function describeHours(hours: number): string {
    const rounded = Math.round(hours);
    return `${rounded} hours (${Math.round(rounded / HOURS_PER_DAY)} days)`;
}

/** An imported ACM certificate's lifetime against the limits: ACM does not renew what it imported. */
function importedValidity(props: Record<string, any>, config: { maxLeafValidityHours: number; maxCaValidityHours: number }, report: (p: { property: string; value: unknown; problem: string; fix: string }) => void): void {
    const body = knownString(props.certificateBody);
    const facts = body ? certificateFacts(body) : undefined;
    if (!facts) {
        return;
    }
    const hours = (facts.notAfter.getTime() - facts.notBefore.getTime()) / 3_600_000;
    const max = facts.isCa ? config.maxCaValidityHours : config.maxLeafValidityHours;
    if (hours > max) {
        report({
            property: "certificateBody", value: `a certificate valid from ${facts.notBefore.toISOString()} to ${facts.notAfter.toISOString()}`,
            problem: `lasts ${describeHours(hours)}, more than the ${describeHours(max)} the pack allows a generated ${facts.isCa ? "CA" : "leaf"} certificate`,
            fix: `import a certificate valid at most ${Math.floor(max / HOURS_PER_DAY)} days, and renew it by re-importing before it expires`,
        });
    }
}

/**
 * The tokens judged, named one by one: an aws-native ACM certificate (AWS::CertificateManager::
 * Certificate) is only ever requested, and ACM sets and renews the lifetime of what it issues.
 */
const VALIDITY_TOKENS = [...TLS_CERTIFICATES, TOKENS.acmpcaCertificate, NATIVE.acmpcaCertificate, TOKENS.acmCertificate];

export const certificateValidityBounded = resourceRule({
    name: "certificate-validity-bounded",
    description: "Certificates must have a bounded lifetime: leaf (backend, client) certificates at most " +
        "90 days and CA certificates at most 10 years by default. The ALB accepts expired and long-lived " +
        "target certificates, so a leaked backend key stays useful for as long as its certificate lives. " +
        "A certificate imported into ACM (certificateBody) is held to the same limits: ACM does not renew imported certificates (ACM user guide, \"Importing certificates\").",
    enforcementLevel: "mandatory",
    severity: "medium",
    appliesTo: VALIDITY_TOKENS,
    otherFamilies: false,
    config: {
        maxLeafValidityHours: integer(2160, "Longest accepted lifetime of a leaf certificate, in hours (2160 = 90 days).", { minimum: 1 }),
        // Ten calendar years, leap days included (3,653 days).
        maxCaValidityHours: integer(87672, "Longest accepted lifetime of a CA certificate, in hours (87672 = 10 calendar years with their leap days).", { minimum: 1 }),
    },
    check: ({ resource, props, config, report }) => {
        if (resource.type === TOKENS.acmCertificate) {
            importedValidity(props, config, report);
            return;
        }
        if (resource.type !== TOKENS.acmpcaCertificate) {
            const hours = props.validityPeriodHours;
            if (isUnknown(props.isCaCertificate) || typeof hours !== "number") {
                return;
            }
            const isCa = props.isCaCertificate === true;
            const max = isCa ? config.maxCaValidityHours : config.maxLeafValidityHours;
            if (hours > max) {
                report({
                    property: "validityPeriodHours", value: hours,
                    problem: `exceeds the ${describeHours(max)} allowed for a ${isCa ? "CA" : "leaf"} certificate`,
                    fix: `set validityPeriodHours to at most ${max}, with earlyRenewalHours so that \`pulumi up\` renews it in time`,
                });
            }
            return;
        }
        const validity = props.validity;
        const template = props.templateArn;
        if (!isKnown(validity) || typeof validity !== "object" || isUnknown(template)) {
            return;
        }
        // CA certificates are issued with a *CACertificate* template (RootCACertificate/V1, ...).
        const isCa = typeof template === "string" && /CACertificate/.test(template);
        const hours = acmpcaValidityHours(validity as { type?: unknown; value?: unknown });
        const max = isCa ? config.maxCaValidityHours : config.maxLeafValidityHours;
        const days = Math.floor(max / HOURS_PER_DAY);
        if (hours !== undefined && hours > max) {
            report({
                property: "validity", value: validity,
                problem: `lasts up to ${describeHours(hours)}, more than the ${describeHours(max)} allowed ` +
                    `for a ${isCa ? "CA" : "leaf"} certificate`,
                // Spelled as the resource takes it: a string in @pulumi/aws, a number in aws-native.
                fix: `set validity to { type: "DAYS", value: ${JSON.stringify(typeof validity.value === "number" ? days : String(days))} } or less`,
            });
        }
    },
});

export const tlsCertificateEarlyRenewalWindow = resourceRule({
    name: "tls-certificate-early-renewal-window",
    description: "@pulumi/tls certificates must set earlyRenewalHours above zero and below validityPeriodHours: " +
        "the provider renews only during a `pulumi up` inside that window, so without one the certificate " +
        "simply expires, and with one as long as the lifetime it is replaced on every update.",
    enforcementLevel: "mandatory",
    severity: "medium",
    appliesTo: TLS_CERTIFICATES,
    config: {
        minEarlyRenewalHours: integer(24, "Shortest accepted renewal window, in hours: time for a scheduled `pulumi up` to run.", { minimum: 1 }),
    },
    check: ({ props, config, report }) => {
        const early = props.earlyRenewalHours;
        const validity = props.validityPeriodHours;
        if (isUnknown(early) || isUnknown(validity)) {
            return;
        }
        const { minEarlyRenewalHours } = config;
        const window = typeof early === "number" ? early : 0;
        if (window < minEarlyRenewalHours) {
            report({
                property: "earlyRenewalHours", value: early,
                problem: `gives ${window === 0 ? "no" : "too short a"} renewal window (at least ${minEarlyRenewalHours} hours ` +
                    "is needed for a scheduled `pulumi up` to replace the certificate before it expires)",
                fix: typeof validity === "number"
                    ? `set earlyRenewalHours between ${minEarlyRenewalHours} and ${validity - 1}, e.g. ${Math.max(minEarlyRenewalHours, Math.floor(validity / 3))} (a third of the lifetime)`
                    : `set earlyRenewalHours to at least ${minEarlyRenewalHours}`,
            });
        } else if (typeof validity === "number" && window >= validity) {
            report({
                property: "earlyRenewalHours", value: early,
                problem: `is not below validityPeriodHours (${validity}), so the certificate is due for renewal ` +
                    "as soon as it is issued and is replaced on every update",
                fix: `set earlyRenewalHours below ${validity}, e.g. ${Math.max(minEarlyRenewalHours, Math.floor(validity / 3))}`,
            });
        }
    },
});

/**
 * The key algorithms ACM imports (ACM user guide, "Prerequisites for importing ACM certificates":
 * RSA_1024, RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1, EC_secp521r1; "Application
 * Load Balancer supports all of the algorithms available from ACM"), less RSA_1024, which Security
 * Hub ACM.2 refuses. ACM requests fewer (ACM_REQUESTABLE_KEY_ALGORITHMS); any other curve or key
 * type (secp256k1, Ed25519) ACM does not import at all.
 */
const ACM_KEY_ALGORITHMS = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"];

export const acmCertificateKeyStrength = resourceRule({
    name: "acm-certificate-key-strength",
    description: "ACM certificates use a key of an allowed algorithm: requested ones by keyAlgorithm (ACM's default RSA_2048 when omitted), imported ones by the key of certificateBody. " +
        "RSA under 2048 bits is breakable and fails Security Hub ACM.2, though ACM imports RSA_1024 and ALB serves it; curves and key types other than P-256, P-384 and P-521 are refused by ACM, so the ALB never gets them " +
        "(ACM user guide, \"Prerequisites for importing ACM certificates\"; ACM API RequestCertificate KeyAlgorithm).",
    enforcementLevel: "mandatory",
    severity: "high",
    control: securityHub("ACM.2", "RSA certificates managed by ACM should use a key length of at least 2,048 bits"),
    appliesTo: [TOKENS.acmCertificate],
    config: {
        allowedKeyAlgorithms: strings("Accepted key algorithms, in ACM's names (RSA_<bits>, EC_<curve>).", ACM_KEY_ALGORITHMS),
    },
    check: ({ props, config, report }) => {
        const body = props.certificateBody;
        if (isUnknown(body) || (body === undefined && isUnknown(props.keyAlgorithm))) {
            return;
        }
        const imported = knownString(body) !== undefined && body !== "";
        const facts = imported ? certificateFacts(body) : undefined;
        if (imported && !facts) {
            return; // Not a certificate: ACM refuses the import.
        }
        const algorithm = facts?.keyAlgorithm ?? knownString(props.keyAlgorithm) ?? ACM_DEFAULT_KEY_ALGORITHM;
        if (config.allowedKeyAlgorithms.includes(algorithm)) {
            return;
        }
        const bits = rsaBits(algorithm);
        const problem = bits !== undefined && bits < 2048
            ? `has a ${bits}-bit RSA key, below the 2048 bits Security Hub ACM.2 requires: breakable, though ACM imports it and ALB serves it`
            : "has a key of an algorithm the allow-list does not accept (ACM imports only RSA 1024-4096 and ECDSA P-256, P-384 and P-521)";
        report({
            property: imported ? "certificateBody" : "keyAlgorithm",
            value: imported ? `a certificate with an ${algorithm} key` : props.keyAlgorithm,
            problem: imported ? problem : `${props.keyAlgorithm === undefined ? `lets ACM use ${algorithm}, which ` : ""}${problem.replace(/^has a /, "is a ").replace(/^is a key of an algorithm/, "is an algorithm")}`,
            fix: imported ? `issue the certificate for a key of ${oneOf(config.allowedKeyAlgorithms)} and import that` : `set keyAlgorithm to ${oneOf(config.allowedKeyAlgorithms.filter((a) => ACM_REQUESTABLE_KEY_ALGORITHMS.includes(a)))}`,
        });
    },
});

export const policies: Policies = [certificateValidityBounded, tlsCertificateEarlyRenewalWindow, acmCertificateKeyStrength];
