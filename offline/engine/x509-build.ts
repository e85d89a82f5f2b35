/**
 * What the two offline stand-ins share (offline/engine/mock-tls.ts for @pulumi/tls, offline/engine/mock-private-ca.ts
 * for AWS Private CA): @peculiar/x509 bound to Node's WebCrypto, loading keys as the provider does,
 * WebCrypto signers, parsing certificates and CSRs, signing a certificate with a random serial, key
 * identifiers, the key usage tables, and the check that rejects inputs a stand-in does not model.
 *
 * Every key is throwaway and lives only in this process (and in the mock state it returns).
 */
// @peculiar/x509 resolves its algorithm classes through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { createPrivateKey, createPublicKey, KeyObject, randomBytes, webcrypto } from "crypto";
import { isUnknown } from "@pulumi/pulumi/output";

x509.cryptoProvider.set(webcrypto as any);
/** @peculiar/x509 bound to Node's WebCrypto, for tests that build certificates of their own. */
export { x509 };

export type State = Record<string, any>;
export interface MockResult { id: string; state: State }

/** The provider's `allowedUses` names for key usage bits (Go's x509.KeyUsage values). */
export const KEY_USAGES: Record<string, number> = {
    digital_signature: 1, content_commitment: 2, key_encipherment: 4, data_encipherment: 8, key_agreement: 16,
    cert_signing: 32, crl_signing: 64, encipher_only: 128, decipher_only: 256,
};
/** The provider's `allowedUses` names for extended key usages, with their OIDs. */
export const EXTENDED_KEY_USAGES: Record<string, string> = {
    any_extended: "2.5.29.37.0",
    server_auth: "1.3.6.1.5.5.7.3.1",
    client_auth: "1.3.6.1.5.5.7.3.2",
    code_signing: "1.3.6.1.5.5.7.3.3",
    email_protection: "1.3.6.1.5.5.7.3.4",
    ipsec_end_system: "1.3.6.1.5.5.7.3.5",
    ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
    ipsec_user: "1.3.6.1.5.5.7.3.7",
    timestamping: "1.3.6.1.5.5.7.3.8",
    ocsp_signing: "1.3.6.1.5.5.7.3.9",
    microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
    netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
    microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
    microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

/** Go writes PrintableString when every character allows it, UTF8String otherwise. */
export function directoryString(value: string): x509.JsonAttributeObject {
    return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value) ? { printableString: value } : { utf8String: value };
}

export interface LoadedKey {
    algorithm: "RSA" | "ECDSA" | "ED25519";
    curve?: string;
    privateKey: KeyObject;
    publicKey: KeyObject;
}

export const CURVES: Record<string, { webcrypto: string; hash: string; ssh: string }> = {
    prime256v1: { webcrypto: "P-256", hash: "SHA-256", ssh: "nistp256" },
    secp384r1: { webcrypto: "P-384", hash: "SHA-384", ssh: "nistp384" },
    secp521r1: { webcrypto: "P-521", hash: "SHA-512", ssh: "nistp521" },
};

/** Parses a private key PEM as the provider does: PKCS#1, SEC 1 or PKCS#8, unencrypted. */
export function loadPrivateKey(where: string, field: string, pem: unknown): LoadedKey {
    const label = typeof pem === "string" ? /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1] : undefined;
    if (!label || !["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"].includes(label)) {
        throw new Error(`mock-tls: ${where}: ${field} is not an unencrypted RSA, EC or PKCS#8 private key PEM.`);
    }
    const privateKey = createPrivateKey(pem as string);
    const publicKey = createPublicKey(privateKey);
    switch (privateKey.asymmetricKeyType) {
        case "rsa": return { algorithm: "RSA", privateKey, publicKey };
        case "ed25519": return { algorithm: "ED25519", privateKey, publicKey };
        case "ec": {
            const curve = privateKey.asymmetricKeyDetails?.namedCurve ?? "";
            if (!CURVES[curve]) throw new Error(`mock-tls: ${where}: ${field} is an EC key on ${curve}, which cannot sign here; use P-256, P-384 or P-521.`);
            return { algorithm: "ECDSA", curve, privateKey, publicKey };
        }
        default: throw new Error(`mock-tls: ${where}: ${field} is a ${privateKey.asymmetricKeyType} key; use RSA, ECDSA or ED25519.`);
    }
}

function webcryptoParams(key: LoadedKey, hash?: string): { importAlg: any; signAlg: any } {
    switch (key.algorithm) {
        case "RSA": {
            const h = hash ?? "SHA-256";
            return { importAlg: { name: "RSASSA-PKCS1-v1_5", hash: h }, signAlg: { name: "RSASSA-PKCS1-v1_5", hash: h } };
        }
        case "ECDSA": {
            const c = CURVES[key.curve!];
            return { importAlg: { name: "ECDSA", namedCurve: c.webcrypto }, signAlg: { name: "ECDSA", hash: hash ?? c.hash } };
        }
        default: return { importAlg: { name: "Ed25519" }, signAlg: { name: "Ed25519" } };
    }
}

/** The signature Go picks for the signer's key (SHA-256 for RSA, curve-sized for ECDSA) unless `hash` is given. */
export async function webcryptoSigner(key: LoadedKey, hash?: string): Promise<{ key: any; algorithm: any }> {
    const { importAlg, signAlg } = webcryptoParams(key, hash);
    const der = key.privateKey.export({ type: "pkcs8", format: "der" });
    return { key: await webcrypto.subtle.importKey("pkcs8", der, importAlg, false, ["sign"]), algorithm: signAlg };
}

export async function webcryptoPublicKey(key: LoadedKey, hash?: string): Promise<any> {
    const { importAlg } = webcryptoParams(key, hash);
    return webcrypto.subtle.importKey("spki", key.publicKey.export({ type: "spki", format: "der" }), importAlg, true, ["verify"]);
}

export function parseCertificate(where: string, field: string, pem: unknown): x509.X509Certificate {
    if (typeof pem !== "string" || !pem.includes("-----BEGIN CERTIFICATE-----")) {
        throw new Error(`mock-tls: ${where}: ${field} is not a certificate PEM.`);
    }
    return new x509.X509Certificate(pem);
}

export async function parseCsr(where: string, field: string, pem: unknown): Promise<x509.Pkcs10CertificateRequest> {
    if (typeof pem !== "string" || !pem.includes("-----BEGIN CERTIFICATE REQUEST-----")) {
        throw new Error(`mock-tls: ${where}: ${field} is not a certificate request PEM.`);
    }
    const csr = new x509.Pkcs10CertificateRequest(pem);
    if (!(await csr.verify())) throw new Error(`mock-tls: ${where}: ${field} has a bad signature.`);
    return csr;
}

export function csrSans(csr: x509.Pkcs10CertificateRequest): x509.JsonGeneralName[] {
    const ext = csr.getExtension("2.5.29.17");
    return ext ? new x509.SubjectAlternativeNameExtension(ext.rawData).names.toJSON() : [];
}

export function requireKeyMatchesCertificate(where: string, key: LoadedKey, cert: x509.X509Certificate): void {
    const spki = key.publicKey.export({ type: "spki", format: "der" });
    if (!spki.equals(Buffer.from(cert.publicKey.rawData))) {
        throw new Error(`mock-tls: ${where}: the private key does not match the certificate's public key.`);
    }
}

/** RFC 5280 method 1 (SHA-1 of the subjectPublicKey bits), as Go and the provider compute it. */
export async function keyIdentifier(spki: Buffer): Promise<string> {
    return Buffer.from(await new x509.PublicKey(spki).getKeyIdentifier()).toString("hex");
}

/**
 * The environment variable that fixes the instant the mocks issue certificates at (ISO 8601). The
 * test suite sets one for its whole run (tests/setup/shared-runs.ts): runs of the program shared
 * between test processes are computed seconds apart, and the validity they register, and the
 * alert schedules derived from it (`at(…)`, to the second), must be the same in each. Unset: now,
 * as the providers do.
 */
export const ISSUE_TIME_ENV = "E2E_TLS_MOCK_ISSUE_TIME";

/** When a mock certificate's validity starts: {@link ISSUE_TIME_ENV}'s instant, or now. */
export function issueTime(): Date {
    const fixed = process.env[ISSUE_TIME_ENV];
    if (fixed === undefined || fixed === "") return new Date();
    const at = new Date(fixed);
    if (Number.isNaN(at.getTime())) throw new Error(`mock-tls: ${ISSUE_TIME_ENV}="${fixed}" is not an ISO 8601 instant (e.g. 2026-12-07T20:00:00.000Z)`);
    return at;
}

export interface IssuedCert { pem: string; serial: string; notBefore: Date; notAfter: Date }

/** Signs a certificate for `spki` with a fresh random serial; the serial comes back in decimal, as the provider reports it. */
export async function sign(
    r: { subject: x509.Name; issuer: x509.Name; signer: LoadedKey }, spki: Buffer, extensions: x509.Extension[],
    notBefore: Date, notAfter: Date, hash?: string,
): Promise<IssuedCert> {
    const serial = serialNumber();
    const signer = await webcryptoSigner(r.signer, hash);
    const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial, subject: r.subject, issuer: r.issuer, notBefore, notAfter,
        publicKey: new x509.PublicKey(spki), signingKey: signer.key, signingAlgorithm: signer.algorithm, extensions,
    });
    return { pem: cert.toString("pem") + "\n", serial: BigInt(`0x${serial}`).toString(10), notBefore, notAfter };
}


/** A positive random serial below 2^128, minimally DER-encoded, as hex. */
function serialNumber(): string {
    let bytes = randomBytes(16);
    while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
    const hex = bytes.toString("hex");
    return bytes[0] & 0x80 ? `00${hex}` : hex;
}

/** Rejects inputs this stand-in does not know, and values still unknown (preview). */
export function checkInputs(where: string, inputs: State, known: string[]): void {
    for (const [k, v] of Object.entries(inputs)) {
        if (v === undefined) continue;
        if (!known.includes(k)) {
            throw new Error(`mock-tls: ${where}: input "${k}" is not modelled by this stand-in (modelled: ${known.join(", ")}).`);
        }
        if (containsUnknown(v)) {
            throw new Error(`mock-tls: ${where}: input "${k}" is unknown (a preview value); real keys need known inputs.`);
        }
    }
}

function containsUnknown(v: unknown): boolean {
    if (isUnknown(v)) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}
