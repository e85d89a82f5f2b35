/**
 * The shortcuts that keep the every-value scan cheap answer exactly what the long way answers:
 * the hex-region test that reads a window from its end and skips past the first character no hex
 * run holds, the detector's first tests remembered for the value asked about last, and the walk
 * that does not ask about strings shorter than anything the scan takes.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import { hasHexRegion, hexRuns } from "../../policies/rules/key-material-encodings";
import { findKeyMaterial, mayHoldKeyMaterial, MIN_KEY_TEXT } from "../../policies/rules/key-material-detector";
import { walkStrings } from "../../policies/rules/plain-values";

/** The region test read one character at a time: a run of 64 characters none of [g-wyzG-WYZ]. */
function regionByCharacter(text: string): boolean {
    let run = 0;
    for (const ch of text) {
        run = /[g-wyzG-WYZ]/.test(ch) ? 0 : run + 1;
        if (run >= 64) return true;
    }
    return false;
}

/** A deterministic generator (mulberry32), so a failure names an input that comes back. */
function random(seed: number): () => number {
    let a = seed;
    return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

describe("the key-material scan's shortcuts", () => {
    it("finds a hex region exactly where a character-by-character read finds one", () => {
        const next = random(7);
        const fits = "0123456789abcdefABCDEFx:\\% é";
        const breaks = "ghkmnqrstwzGHKZ";
        for (let i = 0; i < 20_000; i++) {
            const length = Math.floor(next() * 200);
            const breakRate = next() * 0.1;
            let text = "";
            for (let j = 0; j < length; j++) {
                text += next() < breakRate ? breaks[Math.floor(next() * breaks.length)] : fits[Math.floor(next() * fits.length)];
            }
            assert.strictEqual(hasHexRegion(text), regionByCharacter(text), JSON.stringify(text));
        }
    });

    it("finds a run of 32 hex pairs at every offset after text that moves the window", () => {
        const digits = crypto.randomBytes(40).toString("hex");
        for (let offset = 0; offset < 130; offset++) {
            // Characters a hex run may hold that form no pair, and one that no run holds: the window moves.
            const before = "g::xx  ::x".repeat(13).slice(0, offset);
            assert.deepStrictEqual(hexRuns(`${before} ${digits} k`), [digits], `offset ${offset}`);
        }
        // 63 hex characters between two that no run holds: no region, no run.
        assert.strictEqual(hasHexRegion(`g${"a".repeat(63)}g`), false);
        assert.strictEqual(hasHexRegion(`g${"a".repeat(64)}g`), true);
    });

    it("answers the first tests of each value, not the value asked about before it", () => {
        const key = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
        const plain = "an ordinary description of the web tier";
        for (const [text, expected] of [[key, true], [plain, false], [key, true], [`${plain}`.slice(0), false], [key.slice(0), true]] as const) {
            assert.strictEqual(mayHoldKeyMaterial(text), expected);
            assert.strictEqual(findKeyMaterial(text) !== undefined, expected);
        }
    });

    it("asks about every environment value and about no string shorter than the shortest it takes", () => {
        const asked: string[] = [];
        const visited: string[] = [];
        const short = "x".repeat(MIN_KEY_TEXT - 1);
        const long = "y".repeat(MIN_KEY_TEXT);
        walkStrings({ a: short, b: long, environment: { PORT: "1" }, tags: { [long]: 1, [short]: 2 } }, (_, text) => visited.push(text), (text) => {
            asked.push(text);
            return true;
        }, undefined, MIN_KEY_TEXT);
        assert.deepStrictEqual(asked.sort(), ["1", long, long].sort());
        assert.deepStrictEqual(visited.sort(), ["1", long, long].sort());
    });
});
