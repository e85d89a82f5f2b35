/**
 * Certificate signing requests a partner brings (config `mtlsClientCsrs`): read once, at config
 * validation, so that a request the CA or the load balancer would refuse is refused before any
 * resource is registered. Synchronous, as config validation is.
 */
// @peculiar/x509 resolves its algorithm classes through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import * as crypto from "crypto";
import * as x509 from "@peculiar/x509";
import type { LeafKeyAlgorithm } from "./ca";

/** What the stack needs of a request it accepted. */
export interface CsrFacts {
    /** The request, PEM, as given (trimmed, one trailing newline). */
    readonly pem: string;
    readonly commonName: string;
    readonly keyAlgorithm: LeafKeyAlgorithm;
    /** The key in words, e.g. "ECDSA P-256" or "RSA 3072". */
    readonly key: string;
}

/**
 * Client keys ALB mTLS accepts: RSA 2048 to 8192 bits, ECDSA P-256, P-384 or P-521, no Ed25519
 * (ALB user guide, "Mutual authentication with TLS": certificate requirements,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html).
 * Node names the curves by their OpenSSL names.
 */
const EC_CURVES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };
const RSA_BITS = { min: 2048, max: 8192 } as const;
/** Signature hashes ALB accepts on client certificates; the request is signed the same way. */
const HASHES = ["SHA-256", "SHA-384", "SHA-512"] as const;
/** RFC 5280 appendix A.1, ub-common-name. */
const MAX_CN = 64;
const CN = /^[A-Za-z0-9][A-Za-z0-9 .@_-]*$/;

/** Parses and checks a PEM CSR. Returns its facts, or a sentence saying what is wrong. */
export function inspectCsr(pem: unknown): { csr: CsrFacts } | { problem: string } {
    if (typeof pem !== "string" || !/^-----BEGIN CERTIFICATE REQUEST-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE REQUEST-----$/.test(pem.trim())) {
        return { problem: "is not a PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----)" };
    }
    let csr: x509.Pkcs10CertificateRequest;
    try {
        csr = new x509.Pkcs10CertificateRequest(pem.trim());
    } catch (e) {
        return { problem: `does not parse as PKCS#10 (${(e as Error).message})` };
    }
    const publicKey = crypto.createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: "der", type: "spki" });
    const details = publicKey.asymmetricKeyDetails ?? {};
    let keyAlgorithm: LeafKeyAlgorithm;
    let key: string;
    if (publicKey.asymmetricKeyType === "ec" && details.namedCurve && EC_CURVES[details.namedCurve]) {
        keyAlgorithm = "ECDSA";
        key = `ECDSA ${EC_CURVES[details.namedCurve]}`;
    } else if (publicKey.asymmetricKeyType === "rsa" && details.modulusLength! >= RSA_BITS.min && details.modulusLength! <= RSA_BITS.max) {
        keyAlgorithm = "RSA";
        key = `RSA ${details.modulusLength}`;
    } else {
        const what = [publicKey.asymmetricKeyType, details.namedCurve ?? details.modulusLength].filter(Boolean).join(" ");
        return { problem: `has a key ALB mTLS refuses (${what}): use RSA ${RSA_BITS.min} to ${RSA_BITS.max} bits or ECDSA P-256, P-384 or P-521` };
    }
    const algorithm = csr.signatureAlgorithm as { name: string; hash?: { name: string } };
    const hash = algorithm.hash?.name;
    const expected = keyAlgorithm === "RSA" ? "RSASSA-PKCS1-v1_5" : "ECDSA";
    if (algorithm.name !== expected || !(HASHES as readonly (string | undefined)[]).includes(hash)) {
        return { problem: `is signed with ${algorithm.name}${hash ? `/${hash}` : ""}: use ${expected} with ${HASHES.join(", ")}` };
    }
    const { tbs, signature } = signedParts(Buffer.from(csr.rawData));
    if (!crypto.verify(hash!.replace("-", "").toLowerCase(), tbs, publicKey, signature)) {
        return { problem: "has a bad signature: it was not signed by the key it carries" };
    }
    const names = csr.subjectName.getField("CN");
    if (names.length !== 1 || names[0].length > MAX_CN || !CN.test(names[0])) {
        return { problem: `has subject common name(s) ${JSON.stringify(names)}: use exactly one, at most ${MAX_CN} characters of letters, digits, space, ".", "@", "_" and "-"` };
    }
    const san = csr.getExtension("2.5.29.17");
    const sans = san ? new x509.SubjectAlternativeNameExtension(san.rawData).names.toJSON() : [];
    const odd = sans.filter(n => n.type !== "dns" || !/^[a-z0-9.-]{1,253}$/i.test(n.value));
    if (odd.length) {
        return { problem: `asks for subject alternative name(s) ${JSON.stringify(odd.map(n => `${n.type}:${n.value}`))}: a client certificate takes DNS names only` };
    }
    return { csr: { pem: pem.trim() + "\n", commonName: names[0], keyAlgorithm, key } };
}

/**
 * The signed bytes and the signature of a DER CertificationRequest: SEQUENCE { info SEQUENCE,
 * algorithm SEQUENCE, signature BIT STRING } (RFC 2986 section 4.2).
 */
function signedParts(der: Buffer): { tbs: Buffer; signature: Buffer } {
    const outer = tlv(der, 0);
    const info = tlv(der, outer.body);
    const algorithm = tlv(der, info.end);
    const bits = tlv(der, algorithm.end);
    // The first octet of a BIT STRING counts its unused bits: zero for a signature.
    return { tbs: der.subarray(info.start, info.end), signature: der.subarray(bits.body + 1, bits.end) };
}

function tlv(der: Buffer, start: number): { start: number; body: number; end: number } {
    let at = start + 1;
    let length = der[at++];
    if (length & 0x80) {
        const octets = length & 0x7f;
        length = 0;
        for (let i = 0; i < octets; i++) length = length * 256 + der[at++];
    }
    if (at + length > der.length) throw new Error("truncated DER");
    return { start, body: at, end: at + length };
}
