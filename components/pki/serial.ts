/**
 * Certificate serial numbers as `revokedSerials` takes them and the revocation list writes them:
 * one parser, so a serial config accepts is a serial the CRL can carry.
 */

/**
 * At most 20 octets, 40 hexadecimal digits: "Conforming CAs MUST NOT use serialNumber values
 * longer than 20 octets" (RFC 5280 section 4.1.2.2, https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.2).
 */
export const MAX_SERIAL_DIGITS = 40;

/** What may be written: hex digits and `:` separators (as openssl prints them), after an optional `0x`. */
const WRITTEN = /^(0x)?[0-9a-f:]{1,59}$/i;

/**
 * The normal form of a serial: upper-case hexadecimal without `0x`, separators or leading zeros,
 * so "0x0a:1B" and "A1B" are one serial. Returns why it is not a serial number otherwise.
 */
export function parseSerial(written: unknown): { serial: string } | { problem: "not-hex" | "too-long" } {
    if (typeof written !== "string" || !WRITTEN.test(written)) return { problem: "not-hex" };
    const digits = written.replace(/^0x/i, "").replace(/:/g, "").toUpperCase();
    if (digits === "") return { problem: "not-hex" };
    const serial = digits.replace(/^0+(?=.)/, "");
    return serial.length > MAX_SERIAL_DIGITS ? { problem: "too-long" } : { serial };
}

/** The normal form of a serial the caller knows to be valid (config has checked it); throws otherwise. */
export function normalSerial(written: string): string {
    const parsed = parseSerial(written);
    if ("problem" in parsed) throw new Error(`not a certificate serial number: ${JSON.stringify(written)}`);
    return parsed.serial;
}
