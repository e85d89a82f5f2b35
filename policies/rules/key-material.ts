/**
 * Key strength rules for the keys `@pulumi/tls` makes (the "self-managed" CA mode of the program).
 *
 * The ALB does not validate target certificates, so nothing on AWS's side stops a weak backend
 * key: these rules are the only check. The limits follow what the ALB accepts for mTLS client
 * certificates (RSA 2048-8192, ECDSA P-256/P-384/P-521, SHA-256+), which is also what ACM imports
 * and Security Hub ACM.2 require.
 */
import { Policies } from "@pulumi/policy";
import { TOKENS } from "../shared/tokens";
import { asNumber, integer, isKnown, isUnknown, oneOf, resourceRule, strings } from "../framework";

// Provider defaults, applied when the program leaves the field out.
const TLS_DEFAULT_RSA_BITS = 2048;
const TLS_DEFAULT_ECDSA_CURVE = "P224";

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
            const n = asNumber(bits);
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

export const policies: Policies = [tlsPrivateKeyStrength, tlsPrivateKeyAlbCompatibleAlgorithm];
