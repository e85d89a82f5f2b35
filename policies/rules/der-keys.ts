/**
 * Unarmoured DER private keys as the key-material detector recognises them: PKCS#1/DSA, SEC1,
 * PKCS#8 and encrypted PKCS#8 (RFC 8017, RFC 5915, RFC 5958), told apart from certificates and
 * public keys by their first fields.
 */

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

// Bytes a key may be followed by: a closing word ("EOF") or padding decoded with the block. A
// certificate's or CRL's inner SEQUENCE is followed by its signature, far longer.
const MAX_TRAILING = 16;

// OID prefixes of password-based encryption schemes: PKCS#5 (1.2.840.113549.1.5) and PKCS#12
// PBE (1.2.840.113549.1.12.1). An EncryptedPrivateKeyInfo starts with one of them.
const PKCS5_OID = Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05]);
const PKCS12_PBE_OID = Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01]);

/**
 * Recognises the structure of an unarmoured DER private key. A certificate starts
 * SEQUENCE{SEQUENCE{[0] version…}}, a public key SEQUENCE{SEQUENCE{rsaEncryption…}}: neither matches.
 */
export function derKeyKind(bytes: Buffer): string | undefined {
    if (bytes.length < 16 || bytes[0] !== 0x30) {
        return undefined;
    }
    const outer = derLength(bytes, 1);
    if (!outer) {
        return undefined;
    }
    const [length, body] = outer;
    // The whole value, the first line of a wrapped one (declared longer than present), or a value
    // with a few bytes after it (the line that closes a wrapped block, decoded with it).
    if (body + length + MAX_TRAILING < bytes.length) {
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
