/**
 * Pulumi.yaml's `config:` declarations, written from the package schema: a stack's config keys are
 * WebTier's inputs, so each key's type, description and default are the input's. `npm run schema`
 * writes them; tests/package/schema-committed.test.ts fails when the file is stale.
 */
import * as yaml from "js-yaml";
import { CONFIG_KEYS, INPUT_PATHS, KeyType } from "../config/keys";
import { WebTier } from "../components/web-tier";
import { PackageSchema, PropertySpec, SECRET_PROPERTIES, withoutStatedDefault } from "./schema";

/** A Pulumi.yaml config type (https://www.pulumi.com/docs/iac/concepts/projects/project-file/#config-options). */
function configType(key: string, prop: PropertySpec, schema: PackageSchema): string {
    if (prop.$ref) {
        const target = schema.types[prop.$ref.replace(/^#\/types\//, "")];
        if (!target) throw new Error(`config key ${key}: unknown type ${prop.$ref}`);
        return target.enum ? target.type : "object";
    }
    if (prop.type === "number") throw new Error(`config key ${key} is a number: Pulumi config has integers only, declare the input Integer`);
    if (prop.type === "object" || prop.additionalProperties) return "object";
    return prop.type!;
}

const scalar = (v: unknown): string => yaml.dump(v, { lineWidth: -1, flowLevel: 0 }).trimEnd();

/** The schema property a config key sets: the input of its name, or the nested input its path names. */
export function inputOf(key: string, schema: PackageSchema, paths: Readonly<Record<string, string | undefined>> = INPUT_PATHS): PropertySpec | undefined {
    const [first, ...rest] = (paths[key] ?? key).split(".");
    let prop: PropertySpec | undefined = schema.resources[WebTier.TOKEN].inputProperties[first];
    for (const name of rest) prop = prop?.$ref ? schema.types[prop.$ref.replace(/^#\/types\//, "")]?.properties?.[name] : undefined;
    return prop;
}

/** The `config:` block: every config key, in the order WebTier declares the inputs they set. */
export function renderConfigBlock(
    schema: PackageSchema,
    keys: Readonly<Record<string, { type: KeyType; default?: unknown }>> = CONFIG_KEYS,
    paths: Readonly<Record<string, string | undefined>> = INPUT_PATHS,
): string {
    const missing = Object.keys(keys).filter(k => !inputOf(k, schema, paths));
    if (missing.length > 0) throw new Error(`config keys that set no WebTier input: ${missing.join(", ")} (name the input in INPUT_PATHS, config/keys.ts)`);
    const order = Object.keys(schema.resources[WebTier.TOKEN].inputProperties);
    const rank = (k: string) => order.indexOf((paths[k] ?? k).split(".")[0]);
    const lines = ["config:"];
    for (const key of Object.keys(keys).sort((a, b) => rank(a) - rank(b))) {
        const prop = inputOf(key, schema, paths)!;
        const type = configType(key, prop, schema);
        lines.push(`  ${key}:`, `    type: ${type}`);
        if (type === "array") lines.push("    items:", `      type: ${configType(`${key}[]`, prop.items!, schema)}`);
        lines.push(`    description: ${JSON.stringify(withoutStatedDefault(prop.description ?? ""))}`);
        if (SECRET_PROPERTIES.includes(key)) lines.push("    secret: true");
        const value = keys[key].default;
        if (Array.isArray(value) && value.length > 0) lines.push("    default:", ...value.map(v => `      - ${scalar(v)}`));
        else if (value !== undefined) lines.push(`    default: ${scalar(value)}`);
    }
    return `${lines.join("\n")}\n`;
}

/** Pulumi.yaml with its `config:` block, the file's last, replaced by `block`. */
export function withConfigBlock(pulumiYaml: string, block: string): string {
    const at = pulumiYaml.search(/^config:\s*$/m);
    if (at < 0) throw new Error("Pulumi.yaml has no config: block");
    const after = pulumiYaml.slice(at).split("\n").slice(1);
    if (after.some(line => /^[^\s#]/.test(line))) throw new Error("Pulumi.yaml's config: block must be its last top-level key");
    return pulumiYaml.slice(0, at) + block;
}
