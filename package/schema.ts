/**
 * The package schema as Pulumi's codegen reads it, completed where inference from the TypeScript
 * types cannot say: defaults, integers, secrets and the descriptions of named types.
 */
import { CONFIG_KEYS, INPUT_PATHS, StackConfig } from "../config/keys";
import { WebTier } from "../components/web-tier";
import { Declarations } from "./declarations";

/** The subset of a Pulumi package schema (https://www.pulumi.com/docs/iac/guides/building-extending/packages/schema/) read here. */
export interface PropertySpec {
    type?: string;
    $ref?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    description?: string;
    default?: string | number | boolean;
    secret?: boolean;
    plain?: boolean;
    optional?: boolean;
}

export interface TypeSpec {
    type: string;
    description?: string;
    properties?: Record<string, PropertySpec>;
    required?: string[];
    enum?: { name?: string; value: string | number; description?: string }[];
}

export interface ResourceSpec {
    description?: string;
    isComponent?: boolean;
    inputProperties: Record<string, PropertySpec>;
    requiredInputs?: string[];
    properties: Record<string, PropertySpec>;
    required?: string[];
}

export interface PackageSchema {
    name: string;
    version?: string;
    description?: string;
    resources: Record<string, ResourceSpec>;
    types: Record<string, TypeSpec>;
    [other: string]: unknown;
}

/**
 * WebTier's inputs and outputs whose values are secrets, which the schema marks `secret` so every
 * SDK keeps them encrypted. None today: the inputs are choices, names, CIDRs, certificate signing
 * requests and ARNs, and the outputs are ARNs, names, serial numbers and public certificates. The
 * private keys stay secrets of the child resources, in Secrets Manager and the stack's state, and
 * never reach WebTier's outputs (tests/package/schema-committed.test.ts checks the runtime agrees).
 */
export const SECRET_PROPERTIES: readonly string[] = [];

/** A literal default stated in a description's last sentence: `Defaults to 8080.`, `Defaults to "asg".` */
const STATED_DEFAULT = /(?:^|\s)Defaults to ((?:"[^"]*")|-?\d+(?:\.\d+)?|true|false|\[[^\]]*\]|\{[^}]*\})\.\s*$/;

/** The literal default a description states, if it states one (`Defaults to "asg".`). */
export function statedDefault(description: string | undefined): { value: unknown } | undefined {
    const m = description === undefined ? null : STATED_DEFAULT.exec(description);
    return m ? { value: JSON.parse(m[1]) } : undefined;
}

/** A description without its `Defaults to <literal>.` sentence, for places that give the default apart. */
export function withoutStatedDefault(description: string): string {
    return description.replace(STATED_DEFAULT, "").trim();
}

/** Doc comments wrap at the source's line length; a schema description is Markdown: one line per paragraph. */
export function unwrap(text: string): string {
    return text.split(/\n\s*\n/).map(p => p.replace(/\s*\n\s*/g, " ").trim()).join("\n\n");
}

const isScalar = (v: unknown): v is string | number | boolean => ["string", "number", "boolean"].includes(typeof v);

/**
 * Completes a property from the one home of each fact: a default from CONFIG_KEYS for an input a
 * stack config key sets (what the program applies), else the literal default its doc comment
 * states (a nested input no key sets, whose component applies it); "integer" for a property
 * declared `Integer`. Pulumi schema defaults are booleans, numbers and strings only
 * (pulumi/pulumi pkg/codegen/schema/bind.go, bindConstValue): a list's default stays in its
 * description.
 */
function completeProperty(prop: PropertySpec, owner: string, name: string, declarations: Declarations, configKey?: keyof StackConfig): void {
    if (prop.description !== undefined) prop.description = unwrap(prop.description);
    if (declarations.integers.has(`${owner}.${name}`)) {
        if (prop.type !== "number") throw new Error(`${owner}.${name} is declared Integer but inferred as ${prop.type ?? prop.$ref}`);
        prop.type = "integer";
    }
    const value = configKey ? CONFIG_KEYS[configKey].default : statedDefault(prop.description)?.value;
    if (isScalar(value)) prop.default = value;
}

/** The config key that sets each property, as `Owner.property` (WebTierArgs.sslPolicy, ApplicationArgs.port). */
function configKeysByProperty(schema: PackageSchema, argsName: string): Map<string, keyof StackConfig> {
    const out = new Map<string, keyof StackConfig>();
    const inputs = schema.resources[WebTier.TOKEN].inputProperties;
    for (const key of Object.keys(CONFIG_KEYS) as (keyof StackConfig)[]) {
        const path = (INPUT_PATHS[key] ?? key).split(".");
        let owner = argsName;
        let props: Record<string, PropertySpec> | undefined = inputs;
        for (const step of path.slice(0, -1)) {
            const ref: string | undefined = props?.[step]?.$ref?.replace(/^#\/types\//, "");
            owner = ref?.split(":")[2] ?? "";
            props = ref ? schema.types[ref]?.properties : undefined;
        }
        out.set(`${owner}.${path[path.length - 1]}`, key);
    }
    return out;
}

/** The schema `ComponentProvider.getSchema` inferred, completed: see {@link completeProperty} and {@link SECRET_PROPERTIES}. */
export function enrichSchema(inferred: PackageSchema, declarations: Declarations): PackageSchema {
    const schema: PackageSchema = JSON.parse(JSON.stringify(inferred));
    const token = WebTier.TOKEN;
    const tier = schema.resources[token];
    if (!tier) throw new Error(`the inferred schema has no ${token}`);
    const className = token.split(":")[2];
    const argsName = declarations.componentArgs.get(className);
    if (!argsName) throw new Error(`no constructor args interface found for ${className}`);
    if (tier.description !== undefined) tier.description = unwrap(tier.description);
    const configKeys = configKeysByProperty(schema, argsName);
    for (const [name, prop] of Object.entries(tier.inputProperties)) {
        completeProperty(prop, argsName, name, declarations, configKeys.get(`${argsName}.${name}`));
        if (SECRET_PROPERTIES.includes(name)) prop.secret = true;
    }
    for (const [name, prop] of Object.entries(tier.properties)) {
        if (prop.description !== undefined) prop.description = unwrap(prop.description);
        if (SECRET_PROPERTIES.includes(name)) prop.secret = true;
    }
    for (const [typeToken, type] of Object.entries(schema.types)) {
        const typeName = typeToken.split(":")[2];
        const doc = declarations.docs.get(typeName);
        if (doc !== undefined) type.description = unwrap(doc);
        for (const member of type.enum ?? []) {
            if (member.description !== undefined) member.description = unwrap(member.description);
        }
        for (const [name, prop] of Object.entries(type.properties ?? {})) completeProperty(prop, typeName, name, declarations, configKeys.get(`${typeName}.${name}`));
    }
    return schema;
}
