/**
 * The key-material detector the secrets rules share: finds private keys and credentials in text,
 * looking through base64 and gzip layers (user data is often `base64(gzip(cloud-config))`, and
 * scripts carry keys as `echo <base64> | base64 -d`). It reports what it found and how it was
 * wrapped, never the matched text.
 */
import * as zlib from "zlib";
import { derKeyKind } from "./der-keys";

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

/**
 * How much work one value may cost. A policy pack runs in every `pulumi preview`: a value shaped
 * to make the detector decode, inflate or re-scan without end (nested base64/gzip, a gzip bomb)
 * must end in "could not inspect", never in a hung preview. The limits are far above what AWS
 * accepts in the fields scanned (EC2 user data: 16 KB; a Lambda environment: 4 KB).
 */
export interface ScanBudget {
    /** Characters run through the patterns, all layers together. */
    readonly maxScannedChars: number;
    /** Bytes produced by base64 decoding and gzip inflation, all layers together. */
    readonly maxDecodedBytes: number;
    /** Base64 candidates decoded, all layers together. */
    readonly maxCandidates: number;
    /** Base64 layers looked through (`base64(gzip(base64(…)))` is 2). */
    readonly maxDepth: number;
    /** Gzip layers looked through, all paths together. */
    readonly maxGzipLayers: number;
}

export const DEFAULT_BUDGET: ScanBudget = {
    maxScannedChars: 4 * 1024 * 1024,
    maxDecodedBytes: 4 * 1024 * 1024,
    maxCandidates: 256,
    maxDepth: 3,
    maxGzipLayers: 8,
};

/** The work one inspection did, against its {@link ScanBudget}. */
export interface ScanWork {
    scannedChars: number;
    decodedBytes: number;
    candidates: number;
    gzipLayers: number;
    deepestLayer: number;
}

/** What {@link inspectKeyMaterial} made of one value. */
export interface Inspection {
    /** The first key material found, in whatever part was inspected. */
    readonly found?: KeyMaterial;
    /** Why part of the value was not inspected (a budget ran out), when it was not. */
    readonly incomplete?: string;
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
/** A name that holds a secret access key (an environment variable or a map key). */
export const SECRET_ACCESS_KEY_NAME = /^(?:aws[_-]?secret[_-]?(?:access[_-]?)?key|secret[_-]?access[_-]?key)$/i;
/** The shape of a secret access key value. */
export const SECRET_ACCESS_KEY_VALUE = /^[A-Za-z0-9/+]{40}$/;
/**
 * Environment variable names that hold a credential whenever they hold a value: the variables
 * AWS Security Hub control ECS.8 looks for in container definitions
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-8).
 */
export const CREDENTIAL_ENVIRONMENT_NAMES: readonly string[] = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"];
// Base64 runs long enough to hold the smallest key we care about (an Ed25519 PKCS#8 key is 64
// characters). Wrapped base64 is scanned line by line; the first line carries the header.
const MIN_RUN = 60;
const BASE64_RUN = /[A-Za-z0-9+/]{60,}={0,2}/g;
// Tested on the value with whitespace removed: `[…]+` and `=` are disjoint, so no backtracking
// (the former `^[A-Za-z0-9+/\s]+={0,2}\s*$` was quadratic on long whitespace).
const WHOLE_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const WHITESPACE = /\s+/g;
const MAX_INFLATED = 4 * 1024 * 1024;

class BudgetExceeded extends Error {}

/** One inspection's state: the options, the budget and the work done so far. */
class Scan {
    readonly work: ScanWork = { scannedChars: 0, decodedBytes: 0, candidates: 0, gzipLayers: 0, deepestLayer: 0 };
    incomplete: string | undefined;

    constructor(readonly options: ScanOptions, readonly budget: ScanBudget) {}

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
        this.work[key] += amount;
    }

    text(text: string, wrappedIn: string[], depth: number): KeyMaterial | undefined {
        this.charge("scannedChars", text.length, `scanning ${text.length} more characters`);
        this.work.deepestLayer = Math.max(this.work.deepestLayer, wrappedIn.length);
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
        const candidates = base64Candidates(text);
        if (candidates.length === 0) {
            return undefined;
        }
        if (depth >= this.budget.maxDepth) {
            this.skip(`base64 nested deeper than ${this.budget.maxDepth} layers`);
            return undefined;
        }
        for (const candidate of candidates) {
            this.charge("candidates", 1, `decoding base64 run ${this.work.candidates + 1}`);
            const found = this.bytes(this.decode(candidate), [...wrappedIn, "base64"], depth + 1);
            if (found) {
                return found;
            }
        }
        return undefined;
    }

    decode(candidate: string): Buffer {
        this.charge("decodedBytes", Math.ceil(candidate.length * 3 / 4), `decoding ${candidate.length} base64 characters`);
        return Buffer.from(candidate, "base64");
    }

    /** Decoded bytes: gzip is inflated, DER keys recognised, anything else scanned as text. */
    bytes(bytes: Buffer, wrappedIn: string[], depth: number): KeyMaterial | undefined {
        if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
            if (this.work.gzipLayers >= this.budget.maxGzipLayers) {
                this.skip(`more than ${this.budget.maxGzipLayers} gzip layers`);
                return undefined;
            }
            this.work.gzipLayers++;
            const room = Math.min(MAX_INFLATED, this.budget.maxDecodedBytes - this.work.decodedBytes);
            let inflated: Buffer;
            try {
                inflated = zlib.gunzipSync(bytes, { maxOutputLength: Math.max(room, 1) });
            } catch (e) {
                if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
                    this.skip(`a gzip layer inflates past the remaining budget of ${room} bytes`, true);
                }
                return undefined; // Not gzip after all: corrupt data hides nothing readable.
            }
            this.charge("decodedBytes", inflated.length, `inflating ${inflated.length} bytes`);
            return this.bytes(inflated, [...wrappedIn, "gzip"], depth);
        }
        const der = derKeyKind(bytes);
        if (der) {
            return { kind: der, wrappedIn };
        }
        return this.text(bytes.toString("latin1"), wrappedIn, depth);
    }
}

/**
 * The base64 runs of `text` worth decoding. A value that is base64 as a whole (launch template
 * user data) comes first, decoded in one piece, so line wrapping does not split what it holds.
 */
function base64Candidates(text: string): string[] {
    const candidates: string[] = [];
    if (text.length >= MIN_RUN) {
        const joined = text.replace(WHITESPACE, "");
        if (joined.length >= MIN_RUN && WHOLE_BASE64.test(joined)) {
            candidates.push(joined);
        }
    }
    BASE64_RUN.lastIndex = 0;
    for (let m = BASE64_RUN.exec(text); m; m = BASE64_RUN.exec(text)) {
        if (m[0] !== candidates[0]) {
            candidates.push(m[0]);
        }
    }
    return candidates;
}

function run(options: ScanOptions, budget: ScanBudget, body: (scan: Scan) => KeyMaterial | undefined): Inspection {
    const scan = new Scan(options, budget);
    let found: KeyMaterial | undefined;
    try {
        found = body(scan);
    } catch (e) {
        if (!(e instanceof BudgetExceeded)) {
            throw e;
        }
    }
    const work = { ...scan.work };
    return found ? { found, work } : scan.incomplete ? { incomplete: scan.incomplete, work } : { work };
}

/**
 * The first private key or credential in `text`, looking through base64 and gzip layers (user
 * data is often `base64(gzip(cloud-config))`, and scripts carry keys as `echo <base64> | base64 -d`):
 * PEM private-key blocks of every RFC 7468 label, OpenSSH, SSH2 and PuTTY key files, unarmoured
 * DER keys (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8) and, by default, AWS access key IDs.
 * Certificates, CSRs and public keys are not key material. Bounded by `budget`: what it could not
 * look at is `incomplete`.
 */
export function inspectKeyMaterial(text: string, options: ScanOptions = DEFAULT_SCAN, budget: ScanBudget = DEFAULT_BUDGET): Inspection {
    return run(options, budget, (scan) => scan.text(text, [], 0));
}

/** {@link inspectKeyMaterial} of bytes already decoded from `wrappedIn` (`depth` base64 layers). */
export function inspectBytes(bytes: Buffer, options: ScanOptions, wrappedIn: string[], depth: number, budget: ScanBudget = DEFAULT_BUDGET): Inspection {
    return run(options, budget, (scan) => {
        scan.charge("decodedBytes", bytes.length, `decoding ${bytes.length} bytes`);
        return scan.bytes(bytes, wrappedIn, depth);
    });
}

/** The key material {@link inspectKeyMaterial} finds, if any. */
export function findKeyMaterial(text: string, options: ScanOptions = DEFAULT_SCAN): KeyMaterial | undefined {
    return inspectKeyMaterial(text, options).found;
}

/**
 * {@link findKeyMaterial} of a value stored under `name` (an environment variable, a map key): a
 * secret access key held by a key-like name (`AWS_SECRET_ACCESS_KEY`, `secretAccessKey`) is found
 * even though the name is not part of the text.
 */
export function findNamedKeyMaterial(name: string, text: string, options: ScanOptions = DEFAULT_SCAN): KeyMaterial | undefined {
    return secretAccessKeyUnder(name, text) ?? findKeyMaterial(text, options);
}

/** A secret access key by its name and shape: a key-like `name` holding 40 base64 characters. */
export function secretAccessKeyUnder(name: string, text: string): KeyMaterial | undefined {
    return SECRET_ACCESS_KEY_NAME.test(name) && SECRET_ACCESS_KEY_VALUE.test(text.trim())
        ? { kind: "an AWS secret access key", wrappedIn: [] }
        : undefined;
}

/** The key material {@link inspectBytes} finds, if any. */
export function scanBytes(bytes: Buffer, options: ScanOptions, wrappedIn: string[], depth: number): KeyMaterial | undefined {
    return inspectBytes(bytes, options, wrappedIn, depth).found;
}

/** `a PEM "RSA PRIVATE KEY" block (base64, gzip encoded)`. */
export function describeKeyMaterial(found: KeyMaterial): string {
    return found.wrappedIn.length === 0 ? found.kind : `${found.kind} (${found.wrappedIn.join(", ")} encoded)`;
}
