/**
 * Every string of a resource's properties, at any depth, with where it sits: the walk the
 * key-material rules scan with. It reads the properties as the engine sent them
 * (../framework/wire-props.ts), so it knows which values are marked secret; reads the text of
 * string assets; reads JSON held in a string (ECS container definitions, Batch container
 * properties, policies) as the structure it is, so a key in it is named by its place; and names a
 * `{ name, value }` pair's value by its name (`environment[1] (TLS_KEY)`). Iterative, each node
 * visited once, paths built only for what is reported: linear in the size of the properties.
 */
import { isUnknown } from "../framework";
import { ARCHIVE_SIG, ASSET_SIG, SECRET_SIG, SPECIAL_SIG_KEY } from "../shared/wire";

/** One string value of the properties. */
export interface Leaf {
    readonly text: string;
    /** The top-level property it sits under. */
    readonly field: string;
    /** The name it is stored under: its map key, or the name of the `{ name, value }` pair it is the value of. */
    readonly name?: string;
    /** True when it, or a value it sits in, is marked secret. */
    readonly secret: boolean;
    /** True when it sits in environment variables (`environment`, `variables`, `env`, …). */
    readonly env: boolean;
    /** True when it is a map key rather than a value. */
    readonly isKey: boolean;
    /** `containerDefinitions[0] ("nginx").environment[1] (TLS_KEY)`: where it is, in the resource's own names. */
    path(): string;
    /** The property names from the top-level property down (`["containerDefinitions", "environment"]`). */
    keys(): string[];
}

interface Node {
    readonly value: unknown;
    readonly parent?: Node;
    /** What this node adds to its parent's path: `.name`, `[0]`, ` (NAME)`, or the top-level name. */
    readonly step: string;
    /** The property name this node is under, if it is under one (not an array element). */
    readonly key?: string;
    readonly field: string;
    readonly name?: string;
    readonly secret: boolean;
    readonly env: boolean;
    readonly json: number;
}

// Where a name's value is an environment variable: ECS, Batch and Kubernetes `environment`/`env`,
// Lambda `environment.variables`, CodeBuild `environmentVariables`, App Runner `runtimeEnvironmentVariables`.
const ENV_KEYS = new Set(["environment", "environmentvariables", "runtimeenvironmentvariables", "env", "variables"]);
const NAME_KEYS = ["name", "Name", "key", "Key"];
const VALUE_KEYS = new Set(["value", "Value"]);
/** JSON strings within JSON strings read as structure, this deep. */
const MAX_JSON_DEPTH = 3;
// A name shown in a path: short and plain, so a path never carries the text of a long or odd key.
const SHOWN_NAME = /^[\w.\-/:@ ]{1,64}$/;

const shown = (name: string) => (SHOWN_NAME.test(name) ? name : "…");

function pathOf(node: Node): string {
    const steps: string[] = [];
    for (let n: Node | undefined = node; n; n = n.parent) steps.push(n.step);
    return steps.reverse().join("");
}

function keysOf(node: Node): string[] {
    const keys: string[] = [];
    for (let n: Node | undefined = node; n; n = n.parent) if (n.key !== undefined && (keys.length === 0 || keys[keys.length - 1] !== n.key)) keys.push(n.key);
    return keys.reverse();
}

/** The name of a `{ name, value }` (or `{ key, value }`, `{ Name, Value }`) pair, if `object` is one. */
function pairName(object: Record<string, unknown>): string | undefined {
    if (!Object.keys(object).some((k) => VALUE_KEYS.has(k))) return undefined;
    for (const k of NAME_KEYS) {
        if (typeof object[k] === "string") return object[k] as string;
    }
    return undefined;
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

/**
 * Calls `visit` with every known string of `props` (unknowns are skipped), in document order,
 * and with every map key long enough to hold something (`minKeyLength`).
 */
export function walkStrings(props: Record<string, unknown>, visit: (leaf: Leaf) => void, minKeyLength: number): void {
    const stack: Node[] = [];
    const push = (parent: Node | undefined, value: unknown, step: string, key: string | undefined, name: string | undefined, more: Partial<Node> = {}) => {
        const field = parent?.field ?? key ?? step;
        const env = (parent?.env ?? false) || (key !== undefined && ENV_KEYS.has(key.toLowerCase()));
        stack.push({ value, parent, step, key, field, name, secret: parent?.secret ?? false, env, json: parent?.json ?? 0, ...more });
    };
    const leaf = (node: Node, text: string, isKey: boolean): Leaf => ({
        text, field: node.field, name: node.name, secret: node.secret, env: node.env, isKey,
        path: () => (isKey ? `${pathOf(node)} (a key)` : pathOf(node)),
        keys: () => keysOf(node),
    });
    const entries = Object.entries(props);
    for (let i = entries.length - 1; i >= 0; i--) {
        if (entries[i][0] !== SPECIAL_SIG_KEY) push(undefined, entries[i][1], entries[i][0], entries[i][0], entries[i][0]);
    }
    while (stack.length > 0) {
        const node = stack.pop()!;
        const value = node.value;
        if (typeof value === "string") {
            if (isUnknown(value)) continue;
            const parsed = node.json < MAX_JSON_DEPTH ? jsonOf(value) : undefined;
            if (parsed) {
                stack.push({ ...node, value: parsed, json: node.json + 1 });
            } else {
                visit(leaf(node, value, false));
            }
            continue;
        }
        if (value === null || typeof value !== "object") continue;
        if (Array.isArray(value)) {
            for (let i = value.length - 1; i >= 0; i--) {
                const item = value[i];
                const label = item !== null && typeof item === "object" && !Array.isArray(item) && typeof (item as Record<string, unknown>).name === "string" &&
                    pairName(item as Record<string, unknown>) === undefined ? ` ("${shown((item as Record<string, string>).name)}")` : "";
                push(node, item, `[${i}]${label}`, undefined, node.name);
            }
            continue;
        }
        const object = value as Record<string, unknown>;
        const sig = object[SPECIAL_SIG_KEY];
        if (sig === SECRET_SIG) {
            stack.push({ ...node, value: object.value, secret: true });
            continue;
        }
        if (sig === ASSET_SIG || sig === ARCHIVE_SIG) {
            // A string asset's text is read; file and remote assets are not where the pack runs.
            const inner = sig === ASSET_SIG ? object.text : object.assets;
            if (inner !== undefined) stack.push({ ...node, value: inner });
            continue;
        }
        const pair = pairName(object);
        const keys = Object.keys(object);
        for (let i = keys.length - 1; i >= 0; i--) {
            const k = keys[i];
            if (k === SPECIAL_SIG_KEY) continue;
            if (pair !== undefined && VALUE_KEYS.has(k)) {
                push(node, object[k], ` (${shown(pair)})`, undefined, pair);
            } else {
                push(node, object[k], `.${shown(k)}`, k, k);
            }
        }
        for (const k of keys) {
            if (k.length >= minKeyLength && k !== SPECIAL_SIG_KEY) visit(leaf(node, k, true));
        }
    }
}
