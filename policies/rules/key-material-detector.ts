/**
 * The key-material detector the secrets rules share: finds private keys and credentials in text,
 * looking through base64 and gzip layers (user data is often `base64(gzip(cloud-config))`, and
 * scripts carry keys as `echo <base64> | base64 -d`). It reports what it found and how it was
 * wrapped, never the matched text.
 */
import * as zlib from "zlib";

/** What {@link findKeyMaterial} found. Never carries the matched text: messages must not leak it. */
export interface KeyMaterial {
    /** What it is, e.g. `a PEM "RSA PRIVATE KEY" block`. */
    readonly kind: string;
    /** The encodings it was hidden under, outermost first, e.g. `["base64", "gzip"]`. */
    readonly wrappedIn: readonly string[];
}

export interface ScanOptions {
    /** Also report AWS access key IDs (`AKIA…`/`ASIA…`): the secret access key travels with them. */
    readonly awsAccessKeyIds: boolean;
}

const DEFAULT_SCAN: ScanOptions = { awsAccessKeyIds: true };

// RFC 7468 labels: "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA/EC/DSA/OPENSSH PRIVATE KEY",
// and "PGP PRIVATE KEY BLOCK". Public keys and certificates do not match.
const PEM_PRIVATE = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/i;
const SSH2_PRIVATE = /---- BEGIN SSH2 (?:ENCRYPTED )?PRIVATE KEY ----/i;
const PUTTY_PRIVATE = /PuTTY-User-Key-File-\d+:/;
const AWS_ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])/;
// A secret access key on its own: 40 base64 characters after a key-like name (`aws_secret_access_key
// = …`, `"SecretAccessKey": "…"`, `AWS_SECRET_ACCESS_KEY=…`, `aws configure set aws_secret_access_key …`).
// Bounded repetitions only, so the match stays linear in the text.
const AWS_SECRET_ACCESS_KEY = /(?:secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key)["']?(?:[ \t]{0,8}[:=][ \t]{0,8}|[ \t]{1,8})["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/i;
/** A name that holds a secret access key (an environment variable or a map key). */
export const SECRET_ACCESS_KEY_NAME = /^(?:aws[_-]?secret[_-]?(?:access[_-]?)?key|secret[_-]?access[_-]?key)$/i;
/** The shape of a secret access key value. */
export const SECRET_ACCESS_KEY_VALUE = /^[A-Za-z0-9/+]{40}$/;
// Base64 runs long enough to hold the smallest key we care about (an Ed25519 PKCS#8 key is 64
// characters). Wrapped base64 is scanned line by line; the first line carries the header.
const BASE64_RUN = /[A-Za-z0-9+/]{60,}={0,2}/g;
const WHOLE_BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

const MAX_DEPTH = 3;
const MAX_RUNS = 200;
const MAX_INFLATED = 4 * 1024 * 1024;

/**
 * The first private key or credential in `text`, looking through base64 and gzip layers (user
 * data is often `base64(gzip(cloud-config))`, and scripts carry keys as `echo <base64> | base64 -d`):
 * PEM private-key blocks of every RFC 7468 label, OpenSSH, SSH2 and PuTTY key files, unarmoured
 * DER keys (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8) and, by default, AWS access key IDs.
 * Certificates, CSRs and public keys are not key material.
 */
export function findKeyMaterial(text: string, options: ScanOptions = DEFAULT_SCAN): KeyMaterial | undefined {
    return scan(text, options, [], 0);
}

function scan(text: string, options: ScanOptions, wrappedIn: string[], depth: number): KeyMaterial | undefined {
    const pem = PEM_PRIVATE.exec(text);
    if (pem) {
        return { kind: `a PEM "${pem[1].toUpperCase()}" block`, wrappedIn };
    }
    if (SSH2_PRIVATE.test(text)) {
        return { kind: "an SSH2 private key file", wrappedIn };
    }
    if (PUTTY_PRIVATE.test(text)) {
        return { kind: "a PuTTY private key file", wrappedIn };
    }
    if (options.awsAccessKeyIds && AWS_ACCESS_KEY_ID.test(text)) {
        return { kind: "an AWS access key ID", wrappedIn };
    }
    if (AWS_SECRET_ACCESS_KEY.test(text)) {
        return { kind: "an AWS secret access key", wrappedIn };
    }
    if (depth >= MAX_DEPTH) {
        return undefined;
    }
    // A value that is base64 as a whole (launch template user data) is decoded in one piece, so
    // line wrapping does not split what it holds.
    const candidates = WHOLE_BASE64.test(text) && text.replace(/\s+/g, "").length >= 60
        ? [text.replace(/\s+/g, "")]
        : [];
    BASE64_RUN.lastIndex = 0;
    for (let m = BASE64_RUN.exec(text); m && candidates.length < MAX_RUNS; m = BASE64_RUN.exec(text)) {
        candidates.push(m[0]);
    }
    for (const candidate of candidates) {
        const found = scanBytes(Buffer.from(candidate, "base64"), options, [...wrappedIn, "base64"], depth + 1);
        if (found) {
            return found;
        }
    }
    return undefined;
}

/** Decoded bytes: gzip is inflated, DER keys recognised, anything else scanned as text. */
export function scanBytes(bytes: Buffer, options: ScanOptions, wrappedIn: string[], depth: number): KeyMaterial | undefined {
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        let inflated: Buffer;
        try {
            inflated = zlib.gunzipSync(bytes, { maxOutputLength: MAX_INFLATED });
        } catch {
            return undefined;
        }
        return scanBytes(inflated, options, [...wrappedIn, "gzip"], depth);
    }
    const der = derKeyKind(bytes);
    if (der) {
        return { kind: der, wrappedIn };
    }
    return scan(bytes.toString("latin1"), options, wrappedIn, depth);
}

/** Reads a DER length at `at`: `[length, headerEnd]`, or undefined. */
function derLength(bytes: Buffer, at: number): [number, number] | undefined {
    const first = bytes[at];
    if (first === undefined) {
        return undefined;
    }
    if (first < 0x80) {
        return [first, at + 1];
    }
    const count = first & 0x7f;
    if (count < 1 || count > 3 || at + count >= bytes.length) {
        return undefined;
    }
    let length = 0;
    for (let i = 1; i <= count; i++) {
        length = (length << 8) | bytes[at + i];
    }
    return [length, at + 1 + count];
}

// OID prefixes of password-based encryption schemes: PKCS#5 (1.2.840.113549.1.5) and PKCS#12
// PBE (1.2.840.113549.1.12.1). An EncryptedPrivateKeyInfo starts with one of them.
const PKCS5_OID = Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05]);
const PKCS12_PBE_OID = Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01]);

/**
 * Recognises the structure of an unarmoured DER private key. A certificate starts
 * SEQUENCE{SEQUENCE{[0] version…}}, a public key SEQUENCE{SEQUENCE{rsaEncryption…}}: neither matches.
 */
function derKeyKind(bytes: Buffer): string | undefined {
    if (bytes.length < 16 || bytes[0] !== 0x30) {
        return undefined;
    }
    const outer = derLength(bytes, 1);
    if (!outer) {
        return undefined;
    }
    const [length, body] = outer;
    // Either the whole value, or the first line of a wrapped one (declared longer than present).
    if (body + length < bytes.length) {
        return undefined;
    }
    if (bytes[body] === 0x02 && bytes[body + 1] === 0x01) {
        const version = bytes[body + 2];
        const next = bytes[body + 3];
        if (version === 0x00 && next === 0x02) {
            return "a DER RSA (PKCS#1) or DSA private key";
        }
        if ((version === 0x00 || version === 0x01) && next === 0x30) {
            return "a DER PKCS#8 private key";
        }
        if (version === 0x01 && next === 0x04) {
            return "a DER EC (SEC1) private key";
        }
        return undefined;
    }
    if (bytes[body] === 0x30) {
        const algorithm = derLength(bytes, body + 1);
        if (algorithm && bytes[algorithm[1]] === 0x06) {
            const oidLength = bytes[algorithm[1] + 1];
            const oid = bytes.subarray(algorithm[1] + 2, algorithm[1] + 2 + oidLength);
            if (startsWith(oid, PKCS5_OID) || startsWith(oid, PKCS12_PBE_OID)) {
                return "a DER encrypted PKCS#8 private key";
            }
        }
    }
    return undefined;
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
    return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}

/** `a PEM "RSA PRIVATE KEY" block (base64, gzip encoded)`. */
export function describeKeyMaterial(found: KeyMaterial): string {
    return found.wrappedIn.length === 0 ? found.kind : `${found.kind} (${found.wrappedIn.join(", ")} encoded)`;
}
