/**
 * Values shaped to make a key-material detector hang: decompression bombs, base64 fan-out over
 * nested gzip layers, deep nesting, and long runs that made the former patterns backtrack.
 * Generated in code (nothing big is committed); the tests and the benchmark share them.
 */
import * as zlib from "zlib";

/** One adversarial value and what it attacks. */
export interface AdversarialInput {
    readonly name: string;
    readonly attacks: string;
    readonly value: string;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const gz = (s: string | Buffer) => zlib.gzipSync(Buffer.from(s), { level: 9 });

/**
 * `base64(gzip(…))` of `fan` base64 runs, each the gzip of a just-under-4-MiB base64 run: every
 * run inflates to the former per-layer limit and decodes twice more, `fan` times over.
 */
function fanOut(fan: number): string {
    const run = b64(gz("QUFB".repeat(1000 * 1000)));
    return b64(gz(Array(fan).fill(run).join(" ")));
}

/** Every adversarial input, small enough to build in a few milliseconds. */
export function adversarialInputs(): AdversarialInput[] {
    let deep = "plain text";
    for (let i = 0; i < 12; i++) {
        deep = b64(deep);
    }
    let gzips: Buffer = Buffer.from("plain text");
    for (let i = 0; i < 12; i++) {
        gzips = gz(gzips);
    }
    return [
        { name: "gzip bomb", attacks: "inflation: 64 MiB of base64-looking text from a few KB", value: b64(gz("QUFB".repeat(16 * 1024 * 1024))) },
        { name: "base64/gzip fan-out", attacks: "work multiplied per layer: 200 runs, each inflating to 4 MB of base64 that decodes twice more", value: fanOut(200) },
        { name: "deep base64", attacks: "depth: 12 nested base64 layers", value: deep },
        { name: "deep gzip", attacks: "depth: 12 nested gzip layers under one base64", value: b64(gzips) },
        { name: "long whitespace", attacks: "backtracking: 1 MiB of whitespace before a non-base64 character", value: " ".repeat(1024 * 1024) + "!" },
        { name: "long base64 run", attacks: "size: a 1 MiB base64 run that decodes to base64 again", value: "QUFB".repeat(256 * 1024) },
        // Distinct runs: the detector decodes a repeated run once.
        { name: "many short runs", attacks: "candidates: distinct 60-character runs by the thousand", value: Array.from({ length: 20000 }, (_, i) => "QUFB".repeat(14) + i.toString(36).padStart(4, "A")).join(" ") },
        { name: "hex-like pairs", attacks: "backtracking: 31 %-escaped byte pairs at a time, one short of a hex run, 20,000 times", value: Array(20000).fill("%aa".repeat(31)).join("!!!!!!!!") },
        { name: "PEM header words", attacks: "backtracking: a BEGIN line with 256k words and no PRIVATE KEY", value: "-----BEGIN " + "A ".repeat(256 * 1024) + "-----" },
    ];
}
