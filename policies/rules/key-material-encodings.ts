/**
 * The encodings the key-material detector looks through, as pure functions over text and bytes:
 * where base64 and hex hide in a value (at any line width, with or without separators), which
 * compressed format a byte string starts with, how to inflate what Node's zlib can read, and how
 * UTF-16 text is told from other bytes. The detector (./key-material-detector.ts) charges the
 * work to its budget; nothing here loops over more than its input once.
 */
import * as zlib from "zlib";

/** A piece of a value worth decoding, and how. */
export interface Candidate {
    readonly encoding: "base64" | "hex";
    readonly text: string;
}

/** The shortest encoded run worth decoding: an Ed25519 PKCS#8 key, the smallest key, is 48 bytes (64 base64 characters). */
export const MIN_RUN = 60;
const MIN_HEX_BYTES = 32;

const LINE_BREAK = /\r\n|\r|\n|\\r\\n|\\n/;
// A line that is base64 (or base64url) and nothing else, indentation and quotes aside.
const PURE_LINE = /^[A-Za-z0-9+/_-]+={0,2}$/;
const ALL_HEX = /^[0-9A-Fa-f]+$/;
const BASE64_RUN = /[A-Za-z0-9+/]{60,}={0,2}/g;
const BASE64URL_RUN = /[A-Za-z0-9_-]{60,}={0,2}/g;
const URL_ONLY = /[-_]/;
const TAIL_RUN = /[A-Za-z0-9+/_-]+$/;
const HEAD_RUN = /^[A-Za-z0-9+/_-]+={0,2}/;

/** A line without its indentation and the quotes around it (`"MIIE…",`). */
function bare(line: string): string {
    let l = line.trim();
    const first = l.charCodeAt(0);
    if (first === 0x22 || first === 0x27) l = l.slice(1);
    if (l.endsWith(",")) l = l.slice(0, -1);
    const last = l.charCodeAt(l.length - 1);
    if (last === 0x22 || last === 0x27) l = l.slice(0, -1);
    return l;
}

/** `text` as a candidate: hex when it is nothing but an even number of hex digits, else base64. */
function candidate(text: string): Candidate {
    return ALL_HEX.test(text) && text.length % 2 === 0 && text.length >= 2 * MIN_HEX_BYTES ? { encoding: "hex", text } : { encoding: "base64", text };
}

/**
 * The base64 and hex pieces of `text` worth decoding, each once, outermost first: the whole value
 * when it is nothing but base64 or hex (user data, `contentBase64`); each block of consecutive
 * lines that are nothing but base64 or hex, however wide (a PEM body wrapped at 64, `base64 -w 20`,
 * `xxd -p`), with the start of the next line and, as a second candidate, the end of the line
 * before it (`KEY="MIIE…` wrapped over lines); runs of 60 or more base64 or base64url characters
 * inside other lines (`echo <base64> | base64 -d`); and hex written with separators or escapes.
 */
export function candidates(text: string): Candidate[] {
    const out: Candidate[] = [];
    const seen = new Set<string>();
    const add = (c: Candidate) => {
        if (c.text.length >= MIN_RUN && !seen.has(c.text)) {
            seen.add(c.text);
            out.push(c);
        }
    };
    const lines = text.split(LINE_BREAK).map(bare);
    const pure = lines.map((l) => l.length > 0 && PURE_LINE.test(l));
    if (pure.every((p, i) => p || lines[i] === "")) {
        add(candidate(lines.join("")));
    }
    for (let i = 0; i < lines.length; ) {
        if (!pure[i]) {
            // ANCHORED_RUN's class holds both runs' classes: a line without 60 of it in a row has neither run.
            if (lines[i].length >= MIN_RUN && ANCHORED_RUN.test(lines[i])) {
                for (const m of lines[i].matchAll(BASE64_RUN)) add(candidate(m[0]));
                for (const m of lines[i].matchAll(BASE64URL_RUN)) if (URL_ONLY.test(m[0])) add(candidate(m[0]));
            }
            i++;
            continue;
        }
        let end = i;
        let width = 0;
        for (; end < lines.length && pure[end]; end++) width = Math.max(width, lines[end].length);
        // Short words before the wrapped lines ("fi", "EOF") would shift every 4-character group.
        let start = i;
        while (lines[start].length < width) start++;
        const head = end < lines.length ? (HEAD_RUN.exec(lines[end])?.[0] ?? "") : "";
        const body = lines.slice(start, end).join("") + head;
        add(candidate(body));
        const tail = start === i && i > 0 && !pure[i - 1] ? TAIL_RUN.exec(lines[i - 1])?.[0] : undefined;
        if (tail) add(candidate(tail + body));
        i = end;
    }
    for (const digits of hexRuns(text)) {
        if (!seen.has(digits)) {
            seen.add(digits);
            out.push({ encoding: "hex", text: digits });
        }
    }
    return out;
}

// Character classes for the hex scan, by char code (ASCII; anything else is a separator).
const HEX = 1;
const ALNUM = 2;
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 122; c++) {
    const ch = String.fromCharCode(c);
    if (/[0-9A-Fa-f]/.test(ch)) CLASS[c] = HEX | ALNUM;
    else if (/[A-Za-z]/.test(ch)) CLASS[c] = ALNUM;
}
CLASS[37] = ALNUM; // `%` starts a pair, never separates one
CLASS[92] = ALNUM; // and so does `\`
const classOf = (c: number) => (c < 128 ? CLASS[c] : 0);
const MAX_SEPARATOR = 6;
// 64 characters in a row none of which is a letter a hex run cannot hold (any but a-f and the x
// of `\x30`, `0x30`): where a run of 32 pairs can be at all. One pass that skips most text
// (base64 and words have those letters every few characters) before the scan by hand; a loop by
// hand, as a regular expression's search cost several times as much a character.
const REGION = 64;
const NOT_IN_HEX = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    if (/[g-wyzG-WYZ]/.test(ch)) NOT_IN_HEX[c] = 1;
}

/**
 * True when `text` has {@link REGION} characters in a row none of which a hex run cannot hold.
 * Each window is read from its end back: the first character there that no hex run holds moves the
 * window past it, so text that has such a character every few places is read about once every
 * {@link REGION} characters; characters already known to fit are not read again, so no character
 * is read twice.
 */
export function hasHexRegion(text: string): boolean {
    let start = 0;
    // [start, fits) is known to hold only characters a hex run can hold.
    let fits = 0;
    while (start + REGION <= text.length) {
        let j = start + REGION - 1;
        for (; j >= fits; j--) {
            const c = text.charCodeAt(j);
            if (c < 128 && NOT_IN_HEX[c] === 1) break;
        }
        if (j < fits) return true;
        fits = start + REGION;
        start = j + 1;
    }
    return false;
}

/**
 * The hex byte runs of `text`, as digits: 32 byte pairs or more, contiguous (`308187…`, `xxd -p`
 * wrapped over lines) or separated by up to six other characters (`30:81:…` as OpenSSL prints
 * it, wrapped after a colon; `30 81`; `0x30, 0x81` in a C array), each pair optionally written
 * `\x30`, `0x30` or `%30`. One pass over the text by hand, a table lookup a character: a regular
 * expression for all of these either backtracked exponentially or cost thirty steps a character.
 * `first` stops at the first run.
 */
export function hexRuns(text: string, first = false): string[] {
    const runs: string[] = [];
    if (!hasHexRegion(text)) {
        return runs;
    }
    // The run so far: its contiguous stretches of digits, and the stretch being extended.
    let parts: string[] = [];
    let pairs = 0;
    let from = -1;
    let to = -1;
    const n = text.length;
    let i = 0;
    while (i < n) {
        let j = i;
        const c = text.charCodeAt(i);
        const next = text.charCodeAt(i + 1) | 0x20;
        if (c === 92 && next === 0x78) j = i + 2; // \x
        else if (c === 48 && next === 0x78 && (classOf(text.charCodeAt(i + 2)) & HEX)) j = i + 2; // 0x
        else if (c === 37) j = i + 1; // %
        if ((classOf(text.charCodeAt(j)) & HEX) && (classOf(text.charCodeAt(j + 1)) & HEX)) {
            if (j !== to) {
                if (from >= 0) parts.push(text.slice(from, to));
                from = j;
            }
            to = j + 2;
            pairs++;
            i = j + 2;
            for (let k = 0; k < MAX_SEPARATOR && i < n && !(classOf(text.charCodeAt(i)) & ALNUM); k++) i++;
            continue;
        }
        if (pairs > 0) {
            if (pairs >= MIN_HEX_BYTES) {
                runs.push(parts.join("") + text.slice(from, to));
                if (first) return runs;
            }
            parts = [];
            pairs = 0;
            from = to = -1;
        }
        i++;
    }
    if (pairs >= MIN_HEX_BYTES) runs.push(parts.join("") + text.slice(from, to));
    return runs;
}

// Several lines (a wrapped block), 60 base64 characters in a row: what {@link candidates} needs
// besides a hex run. The run is anchored on the character before it, so the search never restarts
// inside a run (unanchored, a value of long words cost its length times the length of its words).
const LINE_BREAKS = /[\r\n]|\\n/;
const ANCHORED_RUN = /(?:^|[^A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{60}/;

/**
 * False when `text` holds nothing {@link candidates} would decode. Most values (names, ARNs,
 * settings) hold nothing, and are read by a few tests rather than split and searched.
 */
export function mayBeEncoded(text: string): boolean {
    return text.length >= MIN_RUN && (LINE_BREAKS.test(text) || ANCHORED_RUN.test(text) || hexRuns(text, true).length > 0);
}

/** The bytes a candidate stands for. */
export function decode(c: Candidate): Buffer {
    return Buffer.from(c.text, c.encoding);
}

/** A compressed format, by its magic bytes. */
export interface Compression {
    readonly name: string;
    /** How Node's zlib reads it; absent for formats Node cannot decode. */
    readonly inflate?: (bytes: Buffer, maxOutputLength: number) => Buffer;
    /** Where the deflate stream starts, to read a damaged stream as far as it goes. */
    readonly deflateAt?: (bytes: Buffer) => number | undefined;
}

const SYNC = { finishFlush: zlib.constants.Z_SYNC_FLUSH };

/** The deflate stream of a gzip member starts after its header (RFC 1952, 2.3.1: FEXTRA, FNAME, FCOMMENT, FHCRC). */
function gzipBody(bytes: Buffer): number | undefined {
    const flags = bytes[3];
    let at = 10;
    if (flags & 0x04) at += 2 + (bytes[10] | (bytes[11] << 8));
    for (const flag of [0x08, 0x10]) {
        if (flags & flag) {
            const zero = bytes.indexOf(0, at);
            if (zero < 0) return undefined;
            at = zero + 1;
        }
    }
    if (flags & 0x02) at += 2;
    return at < bytes.length ? at : undefined;
}

/**
 * What `bytes` start with: gzip (RFC 1952: 1f 8b, method 8), zlib (RFC 1950: method 8, no preset
 * dictionary, header check a multiple of 31), which Node's zlib inflates; bzip2 ("BZh1"-"BZh9",
 * then a block or end-of-stream magic), xz (fd 37 7a 58 5a 00), zstd (28 b5 2f fd) and LZ4 frames
 * (04 22 4d 18), which it cannot. Raw deflate has no magic: see {@link inflateRaw}.
 */
export function compressionOf(bytes: Buffer): Compression | undefined {
    const [b0, b1, b2, b3] = bytes;
    if (bytes.length < 6) return undefined;
    if (b0 === 0x1f && b1 === 0x8b && b2 === 0x08) {
        return { name: "gzip", inflate: (b, max) => zlib.gunzipSync(b, { maxOutputLength: max }), deflateAt: gzipBody };
    }
    if ((b0 & 0x0f) === 8 && b0 >> 4 <= 7 && (b1 & 0x20) === 0 && ((b0 << 8) | b1) % 31 === 0) {
        return { name: "zlib", inflate: (b, max) => zlib.inflateSync(b, { maxOutputLength: max }), deflateAt: () => 2 };
    }
    if (b0 === 0x42 && b1 === 0x5a && b2 === 0x68 && b3 >= 0x31 && b3 <= 0x39 && bytes.length >= 10) {
        const block = bytes.subarray(4, 10).toString("hex");
        if (block === "314159265359" || block === "177245385090") return { name: "bzip2" };
    }
    if (bytes.subarray(0, 6).equals(XZ_MAGIC)) return { name: "xz" };
    if (b0 === 0x28 && b1 === 0xb5 && b2 === 0x2f && b3 === 0xfd) return { name: "zstd" };
    if (b0 === 0x04 && b1 === 0x22 && b2 === 0x4d && b3 === 0x18) return { name: "LZ4" };
    return undefined;
}

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

/**
 * A damaged stream read as far as it goes: the deflate data alone, without the trailer whose
 * checksum or length failed and whatever garbage follows it, to the end of the last complete
 * block (Z_SYNC_FLUSH keeps a truncated stream's output). What `zcat` shows of it a reader has.
 */
export function inflateDamaged(bytes: Buffer, at: number, maxOutputLength: number): Buffer {
    return zlib.inflateRawSync(bytes.subarray(at), { ...SYNC, maxOutputLength });
}

/** Raw deflate, which has no magic: tried on binary bytes nothing else explains. */
export function inflateRaw(bytes: Buffer, maxOutputLength: number): Buffer {
    return zlib.inflateRawSync(bytes, { ...SYNC, maxOutputLength });
}

const SAMPLE = 512;

/**
 * The byte order of UTF-16 text: by its byte order mark, or, without one, by where the zero
 * bytes of ASCII characters fall (PowerShell's `-EncodedCommand` is base64 of UTF-16LE).
 */
export function utf16Of(bytes: Buffer): "UTF-16LE" | "UTF-16BE" | undefined {
    if (bytes.length < 8) return undefined;
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return "UTF-16LE";
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return "UTF-16BE";
    const n = Math.min(bytes.length - (bytes.length % 2), SAMPLE);
    let zeroEven = 0;
    let zeroOdd = 0;
    for (let i = 0; i < n; i += 2) {
        if (bytes[i] === 0) zeroEven++;
        if (bytes[i + 1] === 0) zeroOdd++;
    }
    const pairs = n / 2;
    if (zeroOdd >= 0.8 * pairs && zeroEven <= 0.1 * pairs) return "UTF-16LE";
    if (zeroEven >= 0.8 * pairs && zeroOdd <= 0.1 * pairs) return "UTF-16BE";
    return undefined;
}

/** UTF-16 bytes as text, without their byte order mark. */
export function decodeUtf16(bytes: Buffer, order: "UTF-16LE" | "UTF-16BE"): string {
    const even = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
    if (order === "UTF-16BE") even.swap16();
    const text = even.toString("utf16le");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** True when most of the first bytes are printable ASCII or whitespace: text, not binary. */
export function looksLikeText(bytes: Buffer): boolean {
    const n = Math.min(bytes.length, SAMPLE);
    let printable = 0;
    for (let i = 0; i < n; i++) {
        const b = bytes[i];
        if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d) printable++;
    }
    return n > 0 && printable >= 0.9 * n;
}
