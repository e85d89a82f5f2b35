import { CONFIG_KEYS, KeyType, StackConfig } from "../keys";
import { ConfigError, currentDoor, key, show } from "./check";

/**
 * Refuses keys the project does not declare, applies the defaults of unset (or empty) keys and
 * turns the strings the engine passes into each key's type. Values are checked by the area
 * validators afterwards.
 */
export function coerceConfig(raw: Record<string, unknown>): StackConfig {
    for (const k of Object.keys(raw)) {
        if (!(k in CONFIG_KEYS)) {
            throw new ConfigError(currentDoor() === "config"
                ? `${key(k)} is not a configuration key of this project. Known keys: ${Object.keys(CONFIG_KEYS).join(", ")}.`
                : `${key(k)} is not an input of WebTier. Known inputs: ${Object.keys(CONFIG_KEYS).join(", ")}.`);
        }
    }
    const v: Record<string, unknown> = {};
    for (const [k, spec] of Object.entries(CONFIG_KEYS)) {
        const given = raw[k];
        // null is how an SDK may send an input its program left out.
        v[k] = given === undefined || given === null || given === "" ? spec.default : coerce(k, spec.type, given);
    }
    return v as unknown as StackConfig;
}

function coerce(k: string, type: KeyType, given: unknown): unknown {
    if (type === "string") {
        if (typeof given !== "string") throw new ConfigError(`${key(k)} is ${show(given)}. Use a string.`);
        return given;
    }
    if (type === "integer") {
        const n = typeof given === "number" ? given : /^-?\d+$/.test(String(given)) ? Number(given) : NaN;
        if (!Number.isInteger(n)) throw new ConfigError(`${key(k)} is ${show(given)}. Use a whole number.`);
        return n;
    }
    if (type === "boolean") {
        if (given === true || given === "true") return true;
        if (given === false || given === "false") return false;
        throw new ConfigError(`${key(k)} is ${show(given)}. Use true or false.`);
    }
    if (type === "object") return coerceMap(k, given);
    let list = given;
    if (typeof given === "string") {
        try {
            list = JSON.parse(given);
        } catch {
            // The engine hands a list over as JSON text, so the JSON form works wherever a value
            // is given as text: `pulumi config set` and the offline preview's --config alike.
            throw new ConfigError(currentDoor() === "config"
                ? `${key(k)} is ${show(given)}. Use a list: as JSON, '${JSON.stringify([given])}' (\`pulumi config set ${key(k)} '${JSON.stringify([given])}'\`, or \`--config '${k}=${JSON.stringify([given])}'\` offline), or item by item, \`pulumi config set --path '${k}[0]' ${/^[\w.:-]+$/.test(given) ? given : "value"}\`.`
                : `${key(k)} is ${show(given)}. Use a list.`);
        }
    }
    if (!Array.isArray(list)) throw new ConfigError(`${key(k)} is ${show(given)}. Use a list.`);
    return list;
}

/**
 * A map of strings: the engine passes an object value as JSON text. Numbers and booleans become
 * their text (`pulumi config set --path 'k.NAME' 4` stores a number), as an environment carries
 * them; anything else is refused.
 */
function coerceMap(k: string, given: unknown): Record<string, string> {
    let map = given;
    if (typeof given === "string") {
        try {
            map = JSON.parse(given);
        } catch {
            map = undefined;
        }
    }
    if (map === null || typeof map !== "object" || Array.isArray(map)) {
        throw new ConfigError(`${key(k)} is ${show(given)}. Use a map of names to strings, e.g. \`pulumi config set --path '${k}.NAME' value\`.`);
    }
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(map)) {
        if (typeof value === "string") out[name] = value;
        else if (typeof value === "number" || typeof value === "boolean") out[name] = String(value);
        else throw new ConfigError(`${key(k)} has ${show(name)} set to ${show(value)}. Use a string.`);
    }
    return out;
}
