/**
 * The key-material detector the secrets rules share: finds private keys and credentials in text,
 * looking through the encodings of ./key-material-encodings.ts (base64 and hex at any line width,
 * gzip, zlib and raw deflate, UTF-16) nested within a budget: user data is often
 * `base64(gzip(cloud-config))`, scripts carry keys as `echo <base64> | base64 -d`, PowerShell as
 * base64 of UTF-16. It reports what it found and how it was wrapped, never the matched text, and
 * says when it could not read a value to the end.
 */
import { Candidate, candidates, compressionOf, Compression, decode, decodeUtf16, inflateDamaged, inflateRaw, looksLikeText, mayBeEncoded, utf16Of } from "./key-material-encodings";

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

export const DEFAULT_SCAN: ScanOptions = { awsAccessKeyIds: true };

// ------------------------------------------------------------------------------------------------
// The budget
// ------------------------------------------------------------------------------------------------

/*
 * What inspecting a value for key material may cost: a budget per
 * value, and an allowance per resource that all its values draw on. A policy pack runs in every
 * `pulumi preview`, so a value shaped to make the detector decode, inflate or re-scan without end
 * must end in "could not inspect", never in a hung preview, and a resource of many such values
 * must cost a bounded multiple of its size.
 */
/**
 * How much work one value may cost. The limits are far above what AWS accepts in the fields that
 * carry scripts and configuration (EC2 user data: 16 KB,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html; a Lambda function's
 * environment variables: 4 KB, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export interface ScanBudget {
    /** Characters run through the patterns, all layers together. */
    readonly maxScannedChars: number;
    /** Bytes produced by decoding and inflation, all layers together. */
    readonly maxDecodedBytes: number;
    /** Base64 and hex candidates decoded, all layers together. */
    readonly maxCandidates: number;
    /** Base64 or hex layers looked through (`base64(gzip(base64(…)))` is 2). */
    readonly maxDepth: number;
    /** Compression layers (gzip, zlib, raw deflate) looked through, all paths together. */
    readonly maxCompressionLayers: number;
}

export const DEFAULT_BUDGET: ScanBudget = {
    maxScannedChars: 4 * 1024 * 1024,
    maxDecodedBytes: 4 * 1024 * 1024,
    maxCandidates: 256,
    maxDepth: 3,
    maxCompressionLayers: 8,
};

/**
 * What the values of one resource may cost together beyond reading them once, counted down as
 * they are inspected: many small values each at its own budget (a thousand small gzip bombs)
 * would otherwise cost a thousand budgets, and the work would no longer be linear in the input.
 */
export interface Allowance {
    decodedBytes: number;
    candidates: number;
}

/** A fresh {@link Allowance} for one resource: four values' worth of decoding. */
export function resourceAllowance(budget: ScanBudget = DEFAULT_BUDGET): Allowance {
    return { decodedBytes: 4 * budget.maxDecodedBytes, candidates: 4 * budget.maxCandidates };
}

/** The work one inspection did, against its {@link ScanBudget}. */
export interface ScanWork {
    scannedChars: number;
    decodedBytes: number;
    candidates: number;
    compressionLayers: number;
    deepestLayer: number;
}

// ------------------------------------------------------------------------------------------------
// The detector
// ------------------------------------------------------------------------------------------------

/** What {@link inspectKeyMaterial} made of one value. */
export interface Inspection {
    /** The first key material found, in whatever part was inspected. */
    readonly found?: KeyMaterial;
    /** Why part of the value was not inspected (a budget ran out, a format it cannot decode), when it was not. */
    readonly incomplete?: string;
    /** True when {@link incomplete} is the resource's {@link Allowance} running out, not the value itself. */
    readonly allowanceSpent?: boolean;
    readonly work: Readonly<ScanWork>;
}

// RFC 7468 labels: "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA/EC/DSA/OPENSSH PRIVATE KEY",
// and "PGP PRIVATE KEY BLOCK". Public keys and certificates do not match. Every pattern is linear
// in its input: no quantified group whose class overlaps what follows it (`[A-Z0-9]+ ` ends in a
// space the class excludes).
const PEM_PRIVATE = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/i;
const SSH2_PRIVATE = /---- BEGIN SSH2 (?:ENCRYPTED )?PRIVATE KEY ----/i;
const PUTTY_PRIVATE = /PuTTY-User-Key-File-\d+:/;
const AWS_ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])/;
// A secret access key on its own: 40 base64 characters after a key-like name (`aws_secret_access_key
// = …`, `"SecretAccessKey": "…"`, `AWS_SECRET_ACCESS_KEY=…`, `aws configure set aws_secret_access_key …`).
// Bounded repetitions only, so the match stays linear in the text.
const AWS_SECRET_ACCESS_KEY = /(?:secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key)["']?(?:[ \t]{0,8}[:=][ \t]{0,8}|[ \t]{1,8})["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/i;
/** The shortest text any pattern matches (an access key ID); shorter values are not inspected. */
export const MIN_KEY_TEXT = 20;
// What any of the patterns above starts with: one test decides whether the five are worth running.
const SUSPECT = /-----BEGIN|---- BEGIN|PuTTY-User-Key-File|AKIA|ASIA|secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key/i;
/** What the first tests of a value found: a pattern's start ({@link SUSPECT}), and something encoded ({@link mayBeEncoded}). */
const SUSPECT_AT = 1;
const ENCODED = 2;

/**
 * The first tests of `text`, remembered for the last value: the walk asks whether a value is worth
 * visiting, the scan whether it holds anything, and the detector's first layer the same two
 * questions again, of the same string one after the other. Each test reads the whole value.
 */
let lastText: string | undefined;
let lastTraits = 0;
function traitsOf(text: string): number {
    if (text !== lastText) {
        lastTraits = (SUSPECT.test(text) ? SUSPECT_AT : 0) | (mayBeEncoded(text) ? ENCODED : 0);
        lastText = text;
    }
    return lastTraits;
}

/** False when `text` cannot hold anything the detector finds: no pattern's start, no NUL, nothing encoded. */
export function mayHoldKeyMaterial(text: string): boolean {
    if (text.length < MIN_KEY_TEXT) {
        return false;
    }
    return traitsOf(text) !== 0 || text.includes("\u0000");
}

const NUL = /\u0000/g;
const MAX_INFLATED = 4 * 1024 * 1024;

class BudgetExceeded extends Error {}

/** One inspection's state: the options, the budget and the work done so far. */
class Scan {
    readonly work: ScanWork = { scannedChars: 0, decodedBytes: 0, candidates: 0, compressionLayers: 0, deepestLayer: 0 };
    incomplete: string | undefined;
    allowanceSpent = false;

    constructor(readonly options: ScanOptions, readonly budget: ScanBudget, readonly allowance?: Allowance) {}

    /** Records that part of the value is left out, and why; `stop` ends the whole inspection. */
    skip(reason: string, stop = false): void {
        this.incomplete ??= reason;
        if (stop) {
            throw new BudgetExceeded(reason);
        }
    }

    charge(key: "scannedChars" | "decodedBytes" | "candidates", amount: number, what: string): void {
        const limit = { scannedChars: this.budget.maxScannedChars, decodedBytes: this.budget.maxDecodedBytes, candidates: this.budget.maxCandidates }[key];
        if (this.work[key] + amount > limit) {
            this.skip(`${what} would exceed the budget of ${limit}`, true);
        }
        if (this.allowance && key !== "scannedChars") {
            if (this.allowance[key] < amount) {
                this.allowanceSpent = this.incomplete === undefined;
                this.skip(`${what} would exceed what the resource's values may cost together`, true);
            }
            this.allowance[key] -= amount;
        }
        this.work[key] += amount;
    }

    /** What is left of the decoding budget, for an inflation's output limit, and whether the resource's allowance set it. */
    room(): { bytes: number; byAllowance: boolean } {
        const own = Math.min(MAX_INFLATED, this.budget.maxDecodedBytes - this.work.decodedBytes);
        const left = this.allowance?.decodedBytes ?? Infinity;
        return left < own ? { bytes: Math.max(left, 0), byAllowance: true } : { bytes: own, byAllowance: false };
    }

    text(text: string, wrappedIn: string[], depth: number): KeyMaterial | undefined {
        this.charge("scannedChars", text.length, `scanning ${text.length} more characters`);
        this.work.deepestLayer = Math.max(this.work.deepestLayer, wrappedIn.length);
        const traits = traitsOf(text);
        const direct = traits & SUSPECT_AT ? this.patterns(text, wrappedIn) : undefined;
        if (direct) {
            return direct;
        }
        // ASCII read as UTF-16 without a decode layer (NUL between characters) reads after the NULs go.
        if (text.includes("\u0000")) {
            const stripped = text.replace(NUL, "");
            if (stripped.length <= text.length / 2 + 1) {
                const found = this.text(stripped, [...wrappedIn, "UTF-16"], depth);
                if (found) {
                    return found;
                }
            }
        }
        if (!(traits & ENCODED)) {
            return undefined;
        }
        const pieces = candidates(text);
        if (pieces.length === 0) {
            return undefined;
        }
        if (depth >= this.budget.maxDepth) {
            this.skip(`${pieces[0].encoding} nested deeper than ${this.budget.maxDepth} layers`);
            return undefined;
        }
        for (const piece of pieces) {
            this.charge("candidates", 1, `decoding ${piece.encoding} run ${this.work.candidates + 1}`);
            const found = this.bytes(this.decode(piece), [...wrappedIn, piece.encoding], depth + 1);
            if (found) {
                return found;
            }
        }
        return undefined;
    }

    patterns(text: string, wrappedIn: string[]): KeyMaterial | undefined {
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
        if (this.options.awsAccessKeyIds && AWS_ACCESS_KEY_ID.test(text)) {
            return { kind: "an AWS access key ID", wrappedIn };
        }
        if (AWS_SECRET_ACCESS_KEY.test(text)) {
            return { kind: "an AWS secret access key", wrappedIn };
        }
        return undefined;
    }

    decode(piece: Candidate): Buffer {
        const bytes = piece.encoding === "hex" ? piece.text.length / 2 : Math.ceil(piece.text.length * 3 / 4);
        this.charge("decodedBytes", bytes, `decoding ${piece.text.length} ${piece.encoding} characters`);
        return decode(piece);
    }

    /** Decoded bytes: compression inflated, DER keys recognised, UTF-16 read as text, anything else scanned as text. */
    bytes(bytes: Buffer, wrappedIn: string[], depth: number): KeyMaterial | undefined {
        const compression = compressionOf(bytes);
        if (compression) {
            return this.compressed(bytes, compression, wrappedIn, depth);
        }
        const der = derKeyKind(bytes);
        if (der) {
            return { kind: der, wrappedIn };
        }
        const order = utf16Of(bytes);
        if (order) {
            return this.text(decodeUtf16(bytes, order), [...wrappedIn, order], depth);
        }
        if (bytes.length >= 16 && this.work.compressionLayers < this.budget.maxCompressionLayers && !looksLikeText(bytes)) {
            const found = this.rawDeflate(bytes, wrappedIn, depth);
            if (found) {
                return found;
            }
        }
        return this.text(bytes.toString("latin1"), wrappedIn, depth);
    }

    compressed(bytes: Buffer, format: Compression, wrappedIn: string[], depth: number): KeyMaterial | undefined {
        if (!format.inflate) {
            this.skip(`a layer of ${format.name}, which Node.js cannot decode`);
            return undefined;
        }
        if (this.work.compressionLayers >= this.budget.maxCompressionLayers) {
            this.skip(`more than ${this.budget.maxCompressionLayers} compression layers`);
            return undefined;
        }
        this.work.compressionLayers++;
        const room = this.room();
        let inflated = this.inflate(format.name, room, () => format.inflate!(bytes, Math.max(room.bytes, 1)));
        if (inflated === undefined) {
            const at = format.deflateAt?.(bytes);
            inflated = at === undefined ? undefined : this.inflate(format.name, room, () => inflateDamaged(bytes, at, Math.max(room.bytes, 1)));
        }
        if (!inflated || inflated.length === 0) {
            // Three magic bytes rarely open random data: a gzip member nothing reads is unreadable, not absent.
            if (format.name === "gzip") {
                this.skip("a gzip layer that does not inflate");
            }
            return undefined;
        }
        this.charge("decodedBytes", inflated.length, `inflating ${inflated.length} bytes`);
        return this.bytes(inflated, [...wrappedIn, format.name], depth);
    }

    /**
     * `run`'s output; undefined when the data is not what it seemed, a stop when it inflates past
     * `room`, whose bytes were produced and count against the resource's allowance all the same.
     */
    inflate(name: string, room: { bytes: number; byAllowance: boolean }, run: () => Buffer): Buffer | undefined {
        try {
            return run();
        } catch (e) {
            if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
                if (this.allowance) {
                    this.allowance.decodedBytes -= room.bytes;
                }
                if (room.byAllowance) {
                    this.allowanceSpent = this.incomplete === undefined;
                    this.skip(`a ${name} layer inflates past what the resource's values may cost together`, true);
                }
                this.skip(`a ${name} layer inflates past the remaining budget of ${room.bytes} bytes`, true);
            }
            return undefined;
        }
    }

    rawDeflate(bytes: Buffer, wrappedIn: string[], depth: number): KeyMaterial | undefined {
        const room = this.room();
        const inflated = this.inflate("deflate", room, () => inflateRaw(bytes, Math.max(room.bytes, 1)));
        if (!inflated || inflated.length === 0) {
            return undefined;
        }
        this.work.compressionLayers++;
        this.charge("decodedBytes", inflated.length, `inflating ${inflated.length} bytes`);
        return this.bytes(inflated, [...wrappedIn, "deflate"], depth);
    }
}

function run(options: ScanOptions, budget: ScanBudget, allowance: Allowance | undefined, body: (scan: Scan) => KeyMaterial | undefined): Inspection {
    const scan = new Scan(options, budget, allowance);
    let found: KeyMaterial | undefined;
    try {
        found = body(scan);
    } catch (e) {
        if (!(e instanceof BudgetExceeded)) {
            throw e;
        }
    }
    const work = { ...scan.work };
    if (found) {
        return { found, work };
    }
    return scan.incomplete === undefined ? { work } : { incomplete: scan.incomplete, allowanceSpent: scan.allowanceSpent, work };
}

/**
 * The first private key or credential in `text`, looking through encoded and compressed layers:
 * PEM private-key blocks of every RFC 7468 label, OpenSSH, SSH2 and PuTTY key files, unarmoured
 * DER keys (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8), AWS secret access keys after a key-like name
 * and, by default, AWS access key IDs. Certificates, CSRs and public keys are not key material.
 * Bounded by `budget`, and by `allowance` when the value is one of a resource's: what it could not
 * look at is `incomplete`.
 */
export function inspectKeyMaterial(text: string, options: ScanOptions = DEFAULT_SCAN, budget: ScanBudget = DEFAULT_BUDGET, allowance?: Allowance): Inspection {
    return run(options, budget, allowance, (scan) => scan.text(text, [], 0));
}

/** The key material {@link inspectKeyMaterial} finds, if any. */
export function findKeyMaterial(text: string, options: ScanOptions = DEFAULT_SCAN): KeyMaterial | undefined {
    return inspectKeyMaterial(text, options).found;
}

/** `a PEM "RSA PRIVATE KEY" block (base64, gzip encoded)`. */
export function describeKeyMaterial(found: KeyMaterial): string {
    return found.wrappedIn.length === 0 ? found.kind : `${found.kind} (${found.wrappedIn.join(", ")} encoded)`;
}

// ------------------------------------------------------------------------------------------------
// Unarmoured DER private keys
// ------------------------------------------------------------------------------------------------

/*
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
