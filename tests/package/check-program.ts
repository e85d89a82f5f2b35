/**
 * Checks a consumer's program against the package schema, as `pulumi package add` and the
 * generated SDKs would hold it: the resource type exists, every property it sets exists with a
 * value of its type, required ones are present, enum values are the enum's, outputs read exist.
 */
import { PackageSchema, PropertySpec } from "../../package/schema";

const refOf = (p: PropertySpec) => p.$ref?.replace("#/types/", "");

/** The problems of `value` as the property `prop` (at `where`). */
export function checkValue(where: string, value: unknown, prop: PropertySpec, schema: PackageSchema): string[] {
    const ref = refOf(prop);
    if (ref) {
        const type = schema.types[ref];
        if (!type) return [`${where}: unknown type ${ref}`];
        if (type.enum) {
            const values = type.enum.map(m => m.value);
            return values.includes(value as string | number) ? [] : [`${where}: ${JSON.stringify(value)} is not one of ${values.join(", ")}`];
        }
        return checkObject(where, value, type.properties ?? {}, type.required ?? [], schema);
    }
    const is: Record<string, (v: unknown) => boolean> = {
        string: v => typeof v === "string", boolean: v => typeof v === "boolean", integer: v => Number.isInteger(v),
        number: v => typeof v === "number", array: v => Array.isArray(v), object: v => !!v && typeof v === "object" && !Array.isArray(v),
    };
    if (!is[prop.type!]?.(value)) return [`${where}: ${JSON.stringify(value)} is not a${prop.type === "integer" || prop.type === "array" || prop.type === "object" ? "n" : ""} ${prop.type}`];
    if (prop.type === "array") return (value as unknown[]).flatMap((v, i) => checkValue(`${where}[${i}]`, v, prop.items!, schema));
    if (prop.type === "object" && prop.additionalProperties) {
        return Object.entries(value as object).flatMap(([k, v]) => checkValue(`${where}.${k}`, v, prop.additionalProperties!, schema));
    }
    return [];
}

/** The problems of an object of properties `props`, `required` among them. */
export function checkObject(where: string, value: unknown, props: Record<string, PropertySpec>, required: string[], schema: PackageSchema): string[] {
    if (!value || typeof value !== "object" || Array.isArray(value)) return [`${where}: ${JSON.stringify(value)} is not an object`];
    const given = value as Record<string, unknown>;
    return [
        ...required.filter(k => !(k in given)).map(k => `${where}.${k} is required`),
        ...Object.entries(given).flatMap(([k, v]) => props[k] ? checkValue(`${where}.${k}`, v, props[k], schema) : [`${where}.${k} is not a property`]),
    ];
}

/** The full token of a type a YAML program names (`pkg:Type` is short for `pkg:index:Type`). */
const fullToken = (type: string) => (type.split(":").length === 2 ? type.replace(":", ":index:") : type);

/** The problems of a Pulumi YAML program's use of the package's resources. */
export function checkYamlProgram(doc: any, schema: PackageSchema): string[] {
    const problems: string[] = [];
    const mine = new Map<string, string>();
    for (const [name, res] of Object.entries<any>(doc.resources ?? {})) {
        const token = fullToken(String(res.type));
        if (!token.startsWith(`${schema.name}:`)) continue;
        const spec = schema.resources[token];
        if (!spec) { problems.push(`${name}: ${res.type} is not a resource of the package`); continue; }
        mine.set(name, token);
        problems.push(...checkObject(name, res.properties ?? {}, spec.inputProperties, spec.requiredInputs ?? [], schema));
    }
    for (const [out, expr] of Object.entries<any>(doc.outputs ?? {})) {
        for (const m of String(expr).matchAll(/\$\{(\w+)\.(\w+)\}/g)) {
            const token = mine.get(m[1]);
            if (token && !schema.resources[token].properties[m[2]]) problems.push(`output ${out}: ${m[1]} has no output ${m[2]}`);
        }
    }
    return problems;
}

/** A schema name as the Python SDK spells it (pulumi/pulumi pkg/codegen/python/python.go, PyName): snake_case. */
export const pythonName = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
