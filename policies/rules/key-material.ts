/**
 * Key strength rules for the keys `@pulumi/tls` makes (the "self-managed" CA mode of the program)
 * and for the keys of ACM certificates, requested or imported.
 *
 * The ALB does not validate target certificates, so nothing on AWS's side stops a weak backend
 * key: these rules are the only check. The limits follow what the ALB accepts for mTLS client
 * certificates (RSA 2048-8192, ECDSA P-256/P-384/P-521, SHA-256+), which is also what ACM imports
 * and Security Hub ACM.2 require.
 */
import { Policies } from "@pulumi/policy";
import { ACM_DEFAULT_KEY_ALGORITHM, TLS_PROVIDER_DEFAULT_ECDSA_CURVE, TLS_PROVIDER_DEFAULT_RSA_BITS } from "../shared/aws-defaults";
import { TOKENS } from "../shared/tokens";
import { integer, isKnown, isUnknown, oneOf, resourceRule, securityHub, strings } from "../framework";
import { coercedNumber, knownString } from "./hop-values";
import { certificateFacts, rsaBits } from "./x509";

// Provider defaults, applied when the program leaves the field out.
const TLS_DEFAULT_RSA_BITS = TLS_PROVIDER_DEFAULT_RSA_BITS;
const TLS_DEFAULT_ECDSA_CURVE = TLS_PROVIDER_DEFAULT_ECDSA_CURVE;

export const tlsPrivateKeyStrength = resourceRule({
    name: "tls-private-key-strength",
    description: "Private keys made with @pulumi/tls must be RSA of at least 2048 bits or ECDSA on P-256, " +
        "P-384 or P-521: weaker keys are breakable or refused by ALB mTLS and ACM. Omitting ecdsaCurve " +
        "gives P-224, the provider's default.",
    enforcementLevel: "mandatory",
    severity: "high",
    appliesTo: [TOKENS.tlsPrivateKey],
    config: {
        minRsaBits: integer(2048, "Smallest accepted rsaBits.", { minimum: 1024 }),
        allowedEcdsaCurves: strings("Accepted ecdsaCurve values.", ["P256", "P384", "P521"], { type: "string", enum: ["P224", "P256", "P384", "P521"] }),
    },
    check: ({ props, config, report }) => {
        const algorithm = props.algorithm;
        if (algorithm === "RSA") {
            const bits = props.rsaBits ?? TLS_DEFAULT_RSA_BITS;
            // The provider coerces a numeric string ("1024") as it would the number.
            const n = coercedNumber(bits);
            if (n !== undefined && n < config.minRsaBits) {
                report({
                    property: "rsaBits", value: bits,
                    problem: `is below the ${config.minRsaBits}-bit minimum for RSA keys`,
                    fix: `set rsaBits to ${config.minRsaBits} or more (3072 for keys meant to last past 2030)`,
                });
            }
        } else if (algorithm === "ECDSA") {
            const curve = props.ecdsaCurve;
            if (isUnknown(curve)) {
                return;
            }
            const effective = curve ?? TLS_DEFAULT_ECDSA_CURVE;
            if (!config.allowedEcdsaCurves.includes(effective)) {
                report({
                    property: "ecdsaCurve", value: curve,
                    problem: `${curve === undefined ? `makes the provider use its default ${TLS_DEFAULT_ECDSA_CURVE}, which is` : "is"} ` +
                        `not one of the accepted curves (ALB mTLS and ACM accept only P-256, P-384 and P-521)`,
                    fix: `set ecdsaCurve to ${oneOf(config.allowedEcdsaCurves)}`,
                });
            }
        }
    },
});

/**
 * Advisory by default: Ed25519 is a strong algorithm, the problem is compatibility. ALB mTLS
 * rejects Ed25519 client certificates and ACM cannot import Ed25519 keys, so such a key breaks the
 * design at deploy or handshake time rather than weakening it. Raise it to mandatory when every
 * @pulumi/tls key in the stack feeds the ALB path.
 */
export const tlsPrivateKeyAlbCompatibleAlgorithm = resourceRule({
    name: "tls-private-key-alb-compatible-algorithm",
    description: "Keys for certificates on the ALB path should be RSA or ECDSA: ALB mutual TLS accepts only " +
        "RSA and ECDSA client certificates and ACM imports only RSA and ECDSA keys, so an ED25519 key " +
        "fails at handshake or import time.",
    enforcementLevel: "advisory",
    severity: "low",
    appliesTo: [TOKENS.tlsPrivateKey],
    config: {
        allowedAlgorithms: strings("Accepted algorithm values.", ["RSA", "ECDSA"], { type: "string", enum: ["RSA", "ECDSA", "ED25519"] }),
    },
    check: ({ props, config, report }) => {
        const algorithm = props.algorithm;
        if (isKnown(algorithm) && !config.allowedAlgorithms.includes(algorithm)) {
            report({
                property: "algorithm", value: algorithm,
                problem: "is not accepted by ALB mutual TLS for client certificates nor by ACM for imported certificates",
                fix: `set algorithm to ${oneOf(config.allowedAlgorithms)} (ECDSA with ecdsaCurve "P256" is the cheapest handshake)`,
            });
        }
    },
});

/**
 * The key algorithms ACM imports (ACM user guide, "Prerequisites for importing ACM certificates":
 * RSA_1024, RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1, EC_secp521r1; "Application
 * Load Balancer supports all of the algorithms available from ACM"), less RSA_1024, which Security
 * Hub ACM.2 refuses. ACM requests only RSA_2048, EC_prime256v1 and EC_secp384r1 (RequestCertificate
 * KeyAlgorithm); any other curve or key type (secp256k1, Ed25519) ACM does not import at all.
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
            fix: imported ? `issue the certificate for a key of ${oneOf(config.allowedKeyAlgorithms)} and import that` : `set keyAlgorithm to ${oneOf(config.allowedKeyAlgorithms.filter((a) => ["RSA_2048", "EC_prime256v1", "EC_secp384r1"].includes(a)))}`,
        });
    },
});

export const policies: Policies = [tlsPrivateKeyStrength, tlsPrivateKeyAlbCompatibleAlgorithm, acmCertificateKeyStrength];
