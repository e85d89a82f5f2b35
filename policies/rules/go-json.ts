/**
 * JSON read the way Go's encoding/json reads it into the AWS Load Balancer Controller's types, so
 * the pack sees the annotation the controller acts on rather than the one JavaScript would:
 *
 * - An object's keys are matched to a struct's fields case-insensitively ("preferring an exact
 *   match but also accepting a case-insensitive match", encoding/json Unmarshal docs; decode.go
 *   object() looks a key up by exact name, then by foldName), under Unicode simple case folding
 *   (fold.go foldRune: the smallest rune of the unicode.SimpleFold orbit): the Kelvin sign matches
 *   `k`, the long s `s`.
 * - Keys are applied in order, so of two keys naming one field the last wins, whatever their case.
 * - `null` into a pointer, slice or map sets it to nil; into any other field it "has no effect".
 * - A value of the wrong JSON type, or a number that is not an integer of the field's width,
 *   makes Unmarshal return an error, and the controller then refuses the annotation (it builds
 *   nothing: pkg/ingress/model_build_listener.go, computeIngressListenPorts and
 *   computeIngressMutualAuthentication wrap the error and return it).
 * - A map's keys are not folded: `map[string]int32` keeps `"https"` and `"HTTPS"` apart.
 *
 * Parsing keeps every key of an object in order (JSON.parse keeps one per spelling), which is what
 * the rules above need.
 */

/** A JSON value with objects as ordered key-value pairs (duplicates kept). */
export type GoJson = null | boolean | string | { readonly number: string } | GoJson[] | GoObject;

/** A JSON object: its members in order, duplicates kept. */
export interface GoObject {
    readonly members: readonly (readonly [string, GoJson])[];
}

/** True for a JSON object (an array is not one). */
export function isGoObject(v: GoJson | undefined): v is GoObject {
    return typeof v === "object" && v !== null && !Array.isArray(v) && "members" in v;
}

/** Parses JSON text; `undefined` when it is not JSON (the controller refuses it). */
export function parseGoJson(text: string): GoJson | undefined {
    let at = 0;
    const ws = () => {
        while (at < text.length && " \t\n\r".includes(text[at])) at++;
    };
    const fail = (): never => {
        throw new SyntaxError(`not JSON at ${at}`);
    };
    const value = (depth: number): GoJson => {
        if (depth > 10_000) fail(); // encoding/json's own nesting limit
        ws();
        const c = text[at];
        if (c === "{") {
            at++;
            const members: [string, GoJson][] = [];
            ws();
            if (text[at] === "}") {
                at++;
                return { members };
            }
            for (;;) {
                ws();
                if (text[at] !== '"') fail();
                const key = string();
                ws();
                if (text[at++] !== ":") fail();
                members.push([key, value(depth + 1)]);
                ws();
                const next = text[at++];
                if (next === "}") return { members };
                if (next !== ",") fail();
            }
        }
        if (c === "[") {
            at++;
            const items: GoJson[] = [];
            ws();
            if (text[at] === "]") {
                at++;
                return items;
            }
            for (;;) {
                items.push(value(depth + 1));
                ws();
                const next = text[at++];
                if (next === "]") return items;
                if (next !== ",") fail();
            }
        }
        if (c === '"') return string();
        for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
            if (text.startsWith(word, at)) {
                at += word.length;
                return v;
            }
        }
        const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
        if (!m) fail();
        at += m![0].length;
        return { number: m![0] };
    };
    const string = (): string => {
        const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(at));
        if (!m) fail();
        at += m![0].length;
        return JSON.parse(m![0]) as string;
    };
    try {
        const v = value(0);
        ws();
        return at === text.length ? v : undefined;
    } catch {
        return undefined;
    }
}

/**
 * A field name under Go's simple case folding, for the ASCII names of the controller's structs:
 * the two non-ASCII runes whose SimpleFold orbit holds an ASCII letter (U+212A KELVIN SIGN with
 * k and K, U+017F LATIN SMALL LETTER LONG S with s and S; Unicode CaseFolding.txt, status C/S)
 * are mapped, ASCII letters lower-cased. Any other non-ASCII rune (dotted İ and dotless ı
 * included: their folds are not simple) folds onto no ASCII field name and stays as it is.
 */
export function foldName(name: string): string {
    return name.replace(/[\u212a\u017f]/g, (c) => (c === "\u212a" ? "k" : "s")).replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The Go type of a field, as far as the rules read it. */
export type GoKind = "string" | "*string" | "*bool" | "int32";

/** A decode result: the value, or the reason Unmarshal fails. */
export type Decoded<T> = { readonly ok: T } | { readonly error: string };

const INT32 = /^-?(0|[1-9]\d*)$/;

/** One value into a field of `kind`; `undefined` for a `null` that leaves the field as it is. */
function field(kind: GoKind, v: GoJson): Decoded<unknown> | undefined {
    if (v === null) {
        return kind.startsWith("*") ? { ok: undefined } : undefined;
    }
    if ((kind === "string" || kind === "*string") && typeof v === "string") return { ok: v };
    if (kind === "*bool" && typeof v === "boolean") return { ok: v };
    if (kind === "int32" && typeof v === "object" && !Array.isArray(v) && "number" in v && INT32.test(v.number)) {
        const n = Number(v.number);
        if (n >= -(2 ** 31) && n < 2 ** 31) return { ok: n === 0 ? 0 : n };
    }
    return { error: `cannot unmarshal ${JSON.stringify(toPlain(v))} into Go value of type ${kind}` };
}

/**
 * A JSON object into a struct of `fields` (JSON name → Go kind): keys folded, applied in order
 * (the last of a field's keys wins), unknown keys ignored. `{}` for a JSON `null`.
 */
export function decodeStruct<F extends Record<string, GoKind>>(v: GoJson, fields: F): Decoded<{ [K in keyof F]?: unknown }> {
    if (v === null) return { ok: {} };
    if (!isGoObject(v)) return { error: "not a JSON object" };
    const byFold = new Map(Object.keys(fields).map((name) => [foldName(name), name]));
    const out: Record<string, unknown> = {};
    for (const [key, value] of v.members) {
        const name = byFold.get(foldName(key));
        if (name === undefined) continue;
        const d = field(fields[name], value);
        if (d && "error" in d) return d;
        if (d) out[name] = d.ok;
    }
    return { ok: out as { [K in keyof F]?: unknown } };
}

/** A JSON array into a slice, each item by `item`; `[]` for a JSON `null`. */
export function decodeSlice<T>(v: GoJson | undefined, item: (v: GoJson) => Decoded<T>): Decoded<T[]> {
    if (v === undefined) return { error: "not JSON" };
    if (v === null) return { ok: [] };
    if (!Array.isArray(v)) return { error: "not a JSON array" };
    const out: T[] = [];
    for (const x of v) {
        const d = item(x);
        if ("error" in d) return d;
        out.push(d.ok);
    }
    return { ok: out };
}

/** A JSON object into a `map[string]<kind>`: keys exact, the last of equal keys wins. */
export function decodeMap(v: GoJson, kind: GoKind): Decoded<Map<string, unknown>> {
    if (v === null) return { ok: new Map() };
    if (!isGoObject(v)) return { error: "not a JSON object" };
    const out = new Map<string, unknown>();
    for (const [key, value] of v.members) {
        const d = field(kind, value);
        if (d && "error" in d) return d;
        // A null map value sets the element to its zero value (encoding/json decodes null into a
        // fresh element); for int32 that is 0, which the controller then refuses as a port.
        out.set(key, d ? d.ok : kind === "int32" ? 0 : "");
    }
    return { ok: out };
}

/** The value as plain JSON, for messages (objects keep the last of equal keys). */
export function toPlain(v: GoJson): unknown {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(toPlain);
    if ("number" in v) return Number(v.number);
    return Object.fromEntries(v.members.map(([k, x]) => [k, toPlain(x)]));
}
