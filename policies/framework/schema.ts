/**
 * The JSON-schema check the Pulumi CLI applies to a policy's config before it starts a pack:
 * `ReconcilePolicyPackConfig` merges the schema defaults with the given config and refuses the run
 * when `validatePolicyPackConfig` reports errors; each policy's properties are validated with
 * gojsonschema against `{ type: "object", properties, required }` (pulumi/pulumi
 * sdk/go/common/resource/analyzer/config.go, `convertSchema` / `validatePolicyConfig`). Not
 * `additionalProperties: false`: the CLI lets unknown keys through (the offline harness refuses
 * them on top). Only the keywords the pack's schemas use are implemented; any other keyword is
 * refused, so a schema this module cannot read fails closed instead of passing everything.
 * `format` is gojsonschema's: its default format checkers include `date`, a `YYYY-MM-DD` that
 * Go's `time.Parse("2006-01-02", …)` accepts, so a day that does not exist is refused
 * (xeipuuv/gojsonschema format_checkers.go, `DateFormatChecker`); formats apply to strings only.
 */
/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not): JSON Schema's `date` format as gojsonschema reads it. */
export function isIsoDate(value: unknown): value is string {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        return false;
    }
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The keywords understood here: those the pack's schemas use (see tests/policies/config-validation.test.ts). */
const KEYWORDS = new Set([
    "type", "description", "default", "enum", "items", "minItems", "maxItems", "minimum", "maximum",
    "minLength", "maxLength", "pattern", "format", "properties", "required", "additionalProperties", "minProperties", "maxProperties",
]);

/** The formats understood here (see the module comment); any other fails closed. */
const FORMATS: Record<string, (value: string) => boolean> = { date: isIsoDate };

/** The JSON-schema type of `value` as gojsonschema names it (`integer` for whole numbers). */
function jsonType(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/** Every way `value` breaks `schema`, each naming where (`key`, `key[1]`) and the rule broken. */
export function schemaErrors(schema: Record<string, any>, value: unknown, at: string): string[] {
    const unknown = Object.keys(schema).filter((k) => !KEYWORDS.has(k));
    if (unknown.length > 0) {
        return [`${at}: the schema uses ${unknown.join(", ")}, which this validator does not implement`];
    }
    const type = jsonType(value);
    if (schema.type !== undefined && !(schema.type === type || (schema.type === "number" && type === "integer"))) {
        return [`${at} is ${show(value)}: invalid type, expected ${schema.type}, given ${type}`];
    }
    const errors: string[] = [];
    if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => show(e) === show(value))) {
        errors.push(`${at} is ${show(value)}: must be one of ${schema.enum.map(show).join(", ")}`);
    }
    if (typeof value === "number") {
        if (typeof schema.minimum === "number" && value < schema.minimum) {
            errors.push(`${at} is ${value}: must be greater than or equal to ${schema.minimum}`);
        }
        if (typeof schema.maximum === "number" && value > schema.maximum) {
            errors.push(`${at} is ${value}: must be less than or equal to ${schema.maximum}`);
        }
    }
    if (typeof value === "string") {
        // JSON Schema counts characters (code points), as gojsonschema does with utf8.RuneCountInString.
        const length = [...value].length;
        if (typeof schema.minLength === "number" && length < schema.minLength) {
            errors.push(`${at} is ${show(value)}: must be at least ${schema.minLength} characters long`);
        }
        if (typeof schema.maxLength === "number" && length > schema.maxLength) {
            errors.push(`${at} is ${show(value)}: must be at most ${schema.maxLength} characters long`);
        }
        if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
            errors.push(`${at} is ${show(value)}: does not match the pattern ${schema.pattern}`);
        }
        if (schema.format !== undefined && !(FORMATS[schema.format]?.(value) ?? false)) {
            errors.push(FORMATS[schema.format]
                ? `${at} is ${show(value)}: does not match format "${schema.format}"${schema.format === "date" ? " (a calendar date, YYYY-MM-DD)" : ""}`
                : `${at}: the schema uses format "${schema.format}", which this validator does not implement`);
        }
    }
    if (type === "object") {
        const object = value as Record<string, unknown>;
        const keys = Object.keys(object);
        for (const key of Array.isArray(schema.required) ? schema.required : []) {
            if (!(key in object)) errors.push(`${at}.${key} is required`);
        }
        if (typeof schema.minProperties === "number" && keys.length < schema.minProperties) {
            errors.push(`${at} has ${keys.length} properties: must have at least ${schema.minProperties}`);
        }
        if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) {
            errors.push(`${at} has ${keys.length} properties: must have at most ${schema.maxProperties}`);
        }
        const properties: Record<string, any> = schema.properties ?? {};
        for (const key of keys) {
            if (properties[key]) {
                errors.push(...schemaErrors(properties[key], object[key], `${at}.${key}`));
            } else if (schema.additionalProperties === false) {
                errors.push(`${at}.${key} is not allowed: the schema names only ${Object.keys(properties).join(", ")}`);
            }
        }
    }
    if (Array.isArray(value)) {
        if (typeof schema.minItems === "number" && value.length < schema.minItems) {
            errors.push(`${at} has ${value.length} items: must have at least ${schema.minItems}`);
        }
        if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
            errors.push(`${at} has ${value.length} items: must have at most ${schema.maxItems}`);
        }
        if (schema.items) {
            value.forEach((item, i) => errors.push(...schemaErrors(schema.items, item, `${at}[${i}]`)));
        }
    }
    return errors;
}

/** The errors of a policy's config `properties` against its schema's `properties` and `required`. */
export function configErrors(schema: { properties?: Record<string, any>; required?: string[] }, properties: Record<string, unknown>): string[] {
    const errors: string[] = [];
    for (const key of schema.required ?? []) {
        if (properties[key] === undefined) {
            errors.push(`${key} is required`);
        }
    }
    for (const [key, value] of Object.entries(properties)) {
        const property = schema.properties?.[key];
        if (property !== undefined && value !== undefined) {
            errors.push(...schemaErrors(property, value, key));
        }
    }
    return errors;
}
