/**
 * EventBridge's event-pattern matching, for the patterns this program writes, so a test can show
 * which real events a rule takes and which it leaves (Amazon EventBridge user guide, "Event
 * patterns" and "Comparison operators for use in event patterns":
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html):
 *
 * - every field the pattern names must match; fields it does not name are ignored;
 * - a nested object in the pattern matches the event's object at the same path;
 * - a leaf is an array of alternatives, and matches when the event's value (or, for an array in
 *   the event, any of its elements) equals one of them or satisfies one of the operators modelled
 *   here: `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (values), `numeric`, `exists`.
 *
 * An operator it does not model is an error, so a pattern can never match by omission.
 */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
    if (!isObject(pattern)) throw new Error(`event-pattern: a pattern is an object, got ${JSON.stringify(pattern)}`);
    return matchObject(pattern, event);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function matchObject(pattern: Record<string, unknown>, event: unknown): boolean {
    return Object.entries(pattern).every(([field, expected]) => {
        const value = isObject(event) ? event[field] : undefined;
        if (Array.isArray(expected)) return matchLeaf(expected, value);
        if (isObject(expected)) return isObject(value) && matchObject(expected, value);
        throw new Error(`event-pattern: field ${field} must be an array of values or an object, got ${JSON.stringify(expected)}`);
    });
}

function matchLeaf(alternatives: unknown[], value: unknown): boolean {
    const exists = alternatives.find(a => isObject(a) && "exists" in a) as { exists: boolean } | undefined;
    if (exists) return (value !== undefined) === exists.exists;
    if (value === undefined) return false;
    const values = Array.isArray(value) ? value : [value];
    return alternatives.some(a => values.some(v => matchOne(a, v as Json)));
}

function matchOne(matcher: unknown, value: Json): boolean {
    if (!isObject(matcher)) return matcher === value;
    const [op, arg] = Object.entries(matcher)[0] ?? [];
    switch (op) {
        case "prefix": return typeof value === "string" && value.startsWith(String(arg));
        case "suffix": return typeof value === "string" && value.endsWith(String(arg));
        case "equals-ignore-case": return typeof value === "string" && value.toLowerCase() === String(arg).toLowerCase();
        case "anything-but": {
            if (isObject(arg)) throw new Error(`event-pattern: anything-but with ${JSON.stringify(arg)} is not modelled`);
            const excluded = Array.isArray(arg) ? arg : [arg];
            return !excluded.includes(value);
        }
        case "numeric": return typeof value === "number" && numeric(arg as unknown[], value);
        default: throw new Error(`event-pattern: operator ${JSON.stringify(op)} is not modelled`);
    }
}

function numeric(conditions: unknown[], value: number): boolean {
    for (let i = 0; i < conditions.length; i += 2) {
        const [op, n] = [conditions[i], Number(conditions[i + 1])];
        const ok = op === "<" ? value < n : op === "<=" ? value <= n : op === ">" ? value > n : op === ">=" ? value >= n : op === "=" ? value === n : undefined;
        if (ok === undefined) throw new Error(`event-pattern: numeric operator ${JSON.stringify(op)} is not modelled`);
        if (!ok) return false;
    }
    return true;
}
