/**
 * Deployability, AWS Private CA: certificates the CA cannot sign, and end-entity certificates whose
 * replacement revokes them while clients still rely on a CRL or OCSP.
 */
import { Policies } from "@pulumi/policy";
import { TOKENS } from "../shared/tokens";
import { describeResource, isKnown, isToken, stackRule } from "../framework";
import { family } from "./acmpca";
import { one } from "./deploy-graph";

const isCa = isToken(TOKENS.acmpcaCertificateAuthority);

export const privateCaSigningAlgorithmMatchesKey = stackRule({
    name: "private-ca-signing-algorithm-matches-key",
    description: "An aws:acmpca Certificate's signingAlgorithm is of its issuing CA's key family (SHA*WITHRSA for RSA_* keys, SHA*WITHECDSA for EC_* keys): IssueCertificate refuses a signing algorithm of another family than the CA key (ACM PCA API reference, IssueCertificate, SigningAlgorithm). " +
        "The CA's own keyAlgorithm/signingAlgorithm pair is checked per resource by acmpca-strong-algorithms; this rule follows certificateAuthorityArn to the CA.",
    enforcementLevel: "advisory",
    severity: "medium",
    onlyWith: TOKENS.acmpcaCertificate,
    reads: [TOKENS.acmpcaCertificate, TOKENS.acmpcaCertificateAuthority],
    check: ({ index, report }) => {
        for (const cert of index.ofType(TOKENS.acmpcaCertificate)) {
            const ca = one(index, cert, "certificateAuthorityArn", cert.props.certificateAuthorityArn, isCa);
            const key = ca?.props.certificateAuthorityConfiguration?.keyAlgorithm;
            const signing = cert.props.signingAlgorithm;
            if (!ca || !isKnown(key) || !isKnown(signing) || typeof key !== "string" || typeof signing !== "string") {
                continue;
            }
            const keyFamily = family(key);
            const signingFamily = family(signing);
            if (keyFamily && signingFamily && keyFamily !== signingFamily) {
                report(cert, {
                    property: "signingAlgorithm", value: signing,
                    problem: `does not match the ${key} key of ${describeResource(ca)}, which can only sign with *WITH${keyFamily === "RSA" ? "RSA" : "ECDSA"}`,
                    fix: `set signingAlgorithm to "${keyFamily === "RSA" ? "SHA256WITHRSA" : "SHA384WITHECDSA"}" (or another of the CA's family)`,
                });
            }
        }
    },
});

/** The CA's revocation: CRL or OCSP enabled, as far as known. */
function publishesRevocation(ca: Record<string, any>): "CRL" | "OCSP" | undefined {
    const rc = ca.revocationConfiguration;
    if (!isKnown(rc)) {
        return undefined;
    }
    if (rc.crlConfiguration?.enabled === true) {
        return "CRL";
    }
    return rc.ocspConfiguration?.enabled === true ? "OCSP" : undefined;
}

export const privateCaCertificateRevokesOnReplace = stackRule({
    name: "private-ca-certificate-revokes-on-replace",
    description: "An end-entity aws:acmpca Certificate issued by a CA that publishes a CRL or OCSP is revoked when it is replaced or destroyed: the provider's Delete calls RevokeCertificate and every argument forces replacement " +
        "(hashicorp/terraform-provider-aws internal/service/acmpca/certificate.go), so each renewal cuts clients off before they hold the new certificate. " +
        "The analyzer protocol does not carry retainOnDelete (PolicyResourceOptions), which is how a program keeps old certificates until they expire: exempt such certificates by URN in this policy's exemptions, with the reason and an expiry. CA certificates (templates *CACertificate*) are not checked.",
    enforcementLevel: "advisory",
    severity: "high",
    onlyWith: TOKENS.acmpcaCertificate,
    reads: [TOKENS.acmpcaCertificate, TOKENS.acmpcaCertificateAuthority],
    check: ({ index, report }) => {
        for (const cert of index.ofType(TOKENS.acmpcaCertificate)) {
            const template = cert.props.templateArn;
            if (typeof template === "string" && /CACertificate/.test(template)) {
                continue;
            }
            const ca = one(index, cert, "certificateAuthorityArn", cert.props.certificateAuthorityArn, isCa);
            const published = ca ? publishesRevocation(ca.props) : undefined;
            if (!ca || !published) {
                continue;
            }
            report(cert, {
                property: "certificateAuthorityArn", value: cert.props.certificateAuthorityArn,
                problem: `names ${describeResource(ca)}, which publishes revocation by ${published}; replacing or destroying this certificate revokes it (the provider deletes by RevokeCertificate), so a renewal cuts off clients still using it`,
                fix: "create the certificate with retainOnDelete: true so replaced certificates expire instead, and have the pack's config exempt it by URN (the analyzer cannot see retainOnDelete)",
            });
        }
    },
});

export const policies: Policies = [privateCaSigningAlgorithmMatchesKey, privateCaCertificateRevokesOnReplace];
