/**
 * What the pack reads of a PEM certificate a resource imports (ACM's `certificateBody`): its key
 * algorithm in ACM's names and its validity. Node's own X.509 parser (crypto.X509Certificate,
 * https://nodejs.org/api/crypto.html#class-x509certificate), so the pack takes no dependency; the
 * certificate is public, so nothing secret is read.
 */
import { X509Certificate } from "crypto";

/** What a certificate says about its key and lifetime. */
export interface CertificateFacts {
    /**
     * The key as ACM names it (ACM API ImportCertificate / CertificateDetail KeyAlgorithm:
     * RSA_1024 … RSA_4096, EC_prime256v1, EC_secp384r1, EC_secp521r1), or the key type Node
     * reports for any other (`RSA_1536`, `EC_secp256k1`, `ED25519`).
     */
    readonly keyAlgorithm: string;
    readonly notBefore: Date;
    readonly notAfter: Date;
    /** The basic constraints mark it a CA. */
    readonly isCa: boolean;
}

/** The facts of the first certificate of `pem`, or `undefined` when it is not one (ACM would refuse the import). */
export function certificateFacts(pem: string): CertificateFacts | undefined {
    let cert: X509Certificate;
    try {
        cert = new X509Certificate(pem);
    } catch {
        return undefined;
    }
    const key = cert.publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    const type = key.asymmetricKeyType ?? "unknown";
    const keyAlgorithm = type === "rsa" || type === "rsa-pss" ? `RSA_${details.modulusLength}` : type === "ec" ? `EC_${details.namedCurve}` : type.toUpperCase();
    return { keyAlgorithm, notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo), isCa: cert.ca };
}

/** The bits of an `RSA_<bits>` name, or `undefined` for any other algorithm. */
export function rsaBits(keyAlgorithm: string): number | undefined {
    const m = /^RSA_(\d+)$/.exec(keyAlgorithm);
    return m ? Number(m[1]) : undefined;
}
