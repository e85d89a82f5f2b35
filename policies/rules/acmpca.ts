/**
 * AWS Private CA algorithms (the "aws-private-ca" mode of the program): keys and signatures the
 * ALB's mutual TLS accepts, and signatures of the key's own family.
 */
import { Policies } from "@pulumi/policy";
import { TOKENS } from "../shared/tokens";
import { isKnown, isUnknown, oneOf, resourceRule, strings } from "../framework";

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

const knownString = (v: unknown): v is string => typeof v === "string" && !isUnknown(v);

export const acmpcaStrongAlgorithms = resourceRule({
    name: "acmpca-strong-algorithms",
    description: "AWS Private CA authorities and certificates must use RSA 2048+ or NIST P-256/P-384/P-521 keys " +
        "and SHA-256+ signatures that match the key: other algorithms (ML-DSA, SM2) are refused by ALB mTLS " +
        "for client certificates, and a CA's algorithms cannot be changed after creation.",
    enforcementLevel: "mandatory",
    severity: "high",
    appliesTo: [TOKENS.acmpcaCertificateAuthority, TOKENS.acmpcaCertificate],
    config: {
        allowedKeyAlgorithms: strings("Accepted certificateAuthorityConfiguration.keyAlgorithm values.",
            ["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]),
        allowedSigningAlgorithms: strings("Accepted signingAlgorithm values (CA configuration and issued certificates).", [
            "SHA256WITHRSA", "SHA384WITHRSA", "SHA512WITHRSA",
            "SHA256WITHECDSA", "SHA384WITHECDSA", "SHA512WITHECDSA",
        ]),
    },
    check: ({ resource, props, config, report }) => {
        const checkSigning = (property: string, value: unknown) => {
            if (knownString(value) && !config.allowedSigningAlgorithms.includes(value)) {
                report({
                    property, value,
                    problem: "is not an accepted signature algorithm (SHA-256 or stronger with RSA or ECDSA)",
                    fix: `set ${property} to ${oneOf(config.allowedSigningAlgorithms)}`,
                });
                return false;
            }
            return true;
        };
        if (resource.type === TOKENS.acmpcaCertificate) {
            checkSigning("signingAlgorithm", props.signingAlgorithm);
            return;
        }
        const ca = props.certificateAuthorityConfiguration;
        if (!isKnown(ca) || typeof ca !== "object") {
            return;
        }
        const { keyAlgorithm, signingAlgorithm } = ca as Record<string, unknown>;
        let keyOk = true;
        if (knownString(keyAlgorithm) && !config.allowedKeyAlgorithms.includes(keyAlgorithm)) {
            keyOk = false;
            report({
                property: "certificateAuthorityConfiguration.keyAlgorithm", value: keyAlgorithm,
                problem: "is not an accepted CA key algorithm (RSA 2048+ or a NIST P-256/P-384/P-521 curve)",
                fix: `set keyAlgorithm to ${oneOf(config.allowedKeyAlgorithms)}; it cannot change after creation`,
            });
        }
        const signingOk = checkSigning("certificateAuthorityConfiguration.signingAlgorithm", signingAlgorithm);
        if (keyOk && signingOk && knownString(keyAlgorithm) && knownString(signingAlgorithm) && family(keyAlgorithm) !== family(signingAlgorithm)) {
            const rsa = family(keyAlgorithm) === "RSA";
            report({
                property: "certificateAuthorityConfiguration.signingAlgorithm", value: signingAlgorithm,
                problem: `does not match the ${keyAlgorithm} key (an ${rsa ? "RSA" : "EC"} key signs with *WITH${rsa ? "RSA" : "ECDSA"})`,
                fix: `use a signing algorithm of the key's family, e.g. "${rsa ? "SHA256WITHRSA" : "SHA256WITHECDSA"}"`,
            });
        }
    },
});

export const policies: Policies = [acmpcaStrongAlgorithms];
