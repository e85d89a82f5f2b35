/**
 * Every string of a resource's properties, at any depth, with where it sits: the walk the
 * key-material rules scan with. It reads JSON held in a string (ECS container definitions, Batch
 * container properties, documents, policies) as the structure it is, so a key in it is named by
 * its place; names a `{ name, value }` pair's value by its name (`environment[1] (TLS_KEY)`);
 * reads a string asset's text through `assetText`; and reads values written as the engine sends
 * them (secret, asset and archive signatures, ../shared/wire.ts) as what they hold. Iterative, each
 * node visited once, paths built only for what is reported: linear in the size of the properties.
 */
import { isUnknown } from "../framework";
import { ARCHIVE_SIG, ASSET_SIG, SECRET_SIG, SPECIAL_SIG_KEY } from "../shared/wire";

/** Where a string sits in the properties. */
export interface Place {
    readonly value: unknown;
    readonly parent?: Place;
    /** The property name or list index that leads here from the parent. */
    readonly seg: string | number;
    /** How the step reads in a path: a property, a list item, the value of a `{ name, value }` pair. */
    readonly kind: "property" | "item" | "pair";
    /** The top-level property it sits under. */
    readonly field: string;
    /** The name it is stored under: its property name, or the name of the pair it is the value of. */
    readonly name: string;
    /** True when it sits in environment variables (`environment`, `variables`, `env`, …). */
    readonly env: boolean;
    /** How many JSON strings it is inside. */
    readonly json: number;
    /** For a string: whether the walk's `wants` took it, once asked (a string that may be JSON is asked only if it does not parse). */
    readonly wanted?: boolean;
}

// Where a name's value is an environment variable: ECS, Batch and Kubernetes `environment`/`env`,
// Lambda `environment.variables`, CodeBuild `environmentVariables`, App Runner `runtimeEnvironmentVariables`.
const ENV_KEYS = new Set(["environment", "environmentvariables", "runtimeenvironmentvariables", "env", "variables"]);
/** The lengths of {@link ENV_KEYS}, by length: a property name of another length is not lowercased to be looked up. */
const ENV_KEY_LENGTH = new Uint8Array(Math.max(...[...ENV_KEYS].map((k) => k.length)) + 1);
for (const k of ENV_KEYS) ENV_KEY_LENGTH[k.length] = 1;
const isEnvKey = (seg: string | number) => typeof seg === "string" && ENV_KEY_LENGTH[seg.length] === 1 && ENV_KEYS.has(seg.toLowerCase());
const NAME_KEYS = ["name", "Name", "key", "Key"];
const VALUE_KEYS = new Set(["value", "Value"]);
/** JSON strings within JSON strings read as structure, this deep. */
const MAX_JSON_DEPTH = 3;
// A name shown in a path: short and plain, so a path never carries the text of a long or odd key.
const SHOWN_NAME = /^[\w.\-/:@ ]{1,64}$/;

const shown = (name: string) => (SHOWN_NAME.test(name) ? name : "…");

/** The name of a `{ name, value }` (or `{ key, value }`, `{ Name, Value }`) pair, if `object` is one. */
function pairName(object: Record<string, unknown>): string | undefined {
    let hasValue = false;
    for (const k in object) {
        if (VALUE_KEYS.has(k)) {
            hasValue = true;
            break;
        }
    }
    if (!hasValue) return undefined;
    for (const k of NAME_KEYS) {
        if (typeof object[k] === "string") return object[k] as string;
    }
    return undefined;
}

function step(place: Place): string {
    if (place.kind === "pair") return ` (${shown(place.name)})`;
    if (place.kind === "property") return place.parent ? `.${shown(String(place.seg))}` : String(place.seg);
    const item = place.value as Record<string, unknown> | null;
    const named = item !== null && typeof item === "object" && !Array.isArray(item) && typeof item.name === "string" && pairName(item) === undefined;
    return `[${place.seg}]${named ? ` ("${shown(item.name as string)}")` : ""}`;
}

/** `containerDefinitions[0] ("nginx").environment[1] (TLS_KEY)`: where a value is, in the resource's own names. */
export function pathOf(place: Place): string {
    const steps: string[] = [];
    for (let p: Place | undefined = place; p; p = p.parent) steps.push(step(p));
    return steps.reverse().join("");
}

/** The property names from the top-level property down (`["containerDefinitions", "environment"]`). */
export function keysOf(place: Place): string[] {
    const keys: string[] = [];
    for (let p: Place | undefined = place; p; p = p.parent) if (p.kind === "property") keys.push(String(p.seg));
    return keys.reverse();
}

/**
 * The property names and list indexes that lead to `place` in the request: to the JSON string it
 * sits in, when it sits in one (the request has the string, not its structure).
 */
export function wirePathOf(place: Place): (string | number)[] {
    const chain: Place[] = [];
    for (let p: Place | undefined = place; p; p = p.parent) chain.push(p);
    const segs: (string | number)[] = [];
    for (let i = chain.length - 1; i >= 0; i--) {
        segs.push(chain[i].seg);
        if (chain[i].json > 0) break;
    }
    return segs;
}

/** The JSON structure a string holds, or undefined when it holds none. */
function jsonOf(text: string): object | undefined {
    const t = text.trim();
    const open = t[0];
    const close = t[t.length - 1];
    if (!((open === "{" && close === "}") || (open === "[" && close === "]"))) return undefined;
    try {
        const parsed = JSON.parse(t);
        return parsed !== null && typeof parsed === "object" ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/** True for a string that may hold JSON: it opens with `{` or `[` (after spaces). */
function opensJson(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x7b || c === 0x5b) return true;
        if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    }
    return false;
}

/**
 * Calls `visit` with every known string of `props` that `wants` (unknowns are skipped), in
 * document order, and with every map key it wants (`isKey`). `wants` sees the text and whether it
 * sits in environment variables; a string it does not want costs no allocation, which is most of
 * them. `assetText` reads what an asset or archive the SDK deserialized holds (its text is a
 * promise there). `shortest`: what `wants` takes outside environment variables is never shorter,
 * so it is not asked about shorter strings and keys (most of them: names, ports, settings).
 */
export function walkStrings(props: Record<string, unknown>, visit: (place: Place, text: string, isKey: boolean) => void,
    wants: (text: string, env: boolean) => boolean, assetText: (place: Place) => unknown = () => undefined, shortest = 0): void {
    const stack: Place[] = [];
    const asks = (text: string, env: boolean) => (env || text.length >= shortest) && wants(text, env);
    const push = (parent: Place | undefined, value: unknown, seg: string | number, kind: Place["kind"], name: string) => {
        const env = (parent?.env ?? false) || (kind === "property" && isEnvKey(seg));
        // A string that may be JSON is asked about only if it does not parse (when it is popped).
        let want: boolean | undefined;
        if (typeof value === "string") {
            if (isUnknown(value)) return;
            if (!opensJson(value)) {
                want = asks(value, env);
                if (!want) return;
            }
        } else if (value === null || typeof value !== "object") {
            return;
        }
        stack.push({ value, parent, seg, kind, name, field: parent?.field ?? String(seg), env, json: parent?.json ?? 0, wanted: want });
    };
    // What push would drop at once, told without calling it: numbers, booleans, and strings shorter
    // than `shortest` outside environment variables that hold no JSON (most values of most resources).
    const dropped = (value: unknown, env: boolean) => typeof value === "string"
        ? value.length < shortest && !env && !opensJson(value)
        : value === null || typeof value !== "object";
    const keys = Object.keys(props);
    for (let i = keys.length - 1; i >= 0; i--) {
        if (keys[i] !== SPECIAL_SIG_KEY) push(undefined, props[keys[i]], keys[i], "property", keys[i]);
    }
    while (stack.length > 0) {
        const place = stack.pop()!;
        const value = place.value;
        if (typeof value === "string") {
            const parsed = place.json < MAX_JSON_DEPTH && value.length >= 2 ? jsonOf(value) : undefined;
            if (parsed) stack.push({ ...place, value: parsed, json: place.json + 1 });
            else if (place.wanted ?? asks(value, place.env)) visit(place, value, false);
            continue;
        }
        if (Array.isArray(value)) {
            for (let i = value.length - 1; i >= 0; i--) if (!dropped(value[i], place.env)) push(place, value[i], i, "item", place.name);
            continue;
        }
        const object = value as Record<string, unknown>;
        const sig = object[SPECIAL_SIG_KEY];
        if (sig === SECRET_SIG || sig === ASSET_SIG || sig === ARCHIVE_SIG) {
            // Written as the engine sends it: a secret's value, a string asset's text, an archive's assets.
            const inner = sig === SECRET_SIG ? object.value : sig === ASSET_SIG ? object.text : object.assets;
            if (inner !== undefined) push(place.parent, inner, place.seg, place.kind, place.name);
            continue;
        }
        if (object.__pulumiAsset === true || object.__pulumiArchive === true) {
            const inner = assetText(place);
            if (inner !== undefined) push(place.parent, inner, place.seg, place.kind, place.name);
            continue;
        }
        const pair = pairName(object);
        const names = Object.keys(object);
        for (let i = names.length - 1; i >= 0; i--) {
            const k = names[i];
            if (k === SPECIAL_SIG_KEY || (dropped(object[k], place.env) && !isEnvKey(k))) continue;
            if (pair !== undefined && VALUE_KEYS.has(k)) push(place, object[k], k, "pair", pair);
            else push(place, object[k], k, "property", k);
        }
        for (const k of names) {
            if (k !== SPECIAL_SIG_KEY && asks(k, false)) visit(place, k, true);
        }
    }
}
