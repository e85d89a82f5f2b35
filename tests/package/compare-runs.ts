/**
 * Compares what two ways of building the tier register. Two runs of the same program differ in
 * fresh key material and in clock-derived times (the mock providers make new keys, certificates
 * carry the time of the run), so `same` compares every input exactly where two runs of the
 * program agree, and only its presence where they do not.
 */
import { RecordedResource } from "../../offline/engine/recorded";
import { TOKENS } from "../../policies/shared/tokens";

const json = (v: unknown) => JSON.stringify(v);
const sorted = (v: string[]) => [...v].sort();

/** The differences between `candidate` and `reference` (the program, run twice: `reference` and `again`). */
export function differences(reference: RecordedResource[], again: RecordedResource[], candidate: RecordedResource[]): string[] {
    const withoutStack = (rs: RecordedResource[]) => new Map(rs.filter(r => r.type !== TOKENS.stack).map(r => [r.urn, r]));
    const [ref, ref2, cand] = [withoutStack(reference), withoutStack(again), withoutStack(candidate)];
    const out: string[] = [];
    for (const urn of ref.keys()) if (!cand.has(urn)) out.push(`missing ${urn}`);
    for (const urn of cand.keys()) if (!ref.has(urn)) out.push(`extra ${urn}`);
    for (const [urn, a] of ref) {
        const c = cand.get(urn);
        const b = ref2.get(urn);
        if (!c || !b) continue;
        const fields: [string, unknown, unknown][] = [
            ["type", a.type, c.type], ["name", a.name, c.name], ["parent", a.parent, c.parent], ["custom", a.custom, c.custom],
            ["options", a.options, c.options], ["aliases", a.aliases, c.aliases],
            ["dependencies", sorted(a.dependencies), sorted(c.dependencies)],
            ["propertyDependencies", Object.fromEntries(Object.entries(a.propertyDependencies).map(([k, v]) => [k, sorted(v)]).sort()),
                Object.fromEntries(Object.entries(c.propertyDependencies).map(([k, v]) => [k, sorted(v)]).sort())],
            ["secretInputs", sorted(a.secretInputs), sorted(c.secretInputs)],
        ];
        for (const [field, x, y] of fields) if (json(x) !== json(y)) out.push(`${urn} ${field}: ${json(y)}, the program's ${json(x)}`);
        for (const k of new Set([...Object.keys(a.inputs), ...Object.keys(c.inputs)])) {
            if (!(k in c.inputs) || !(k in a.inputs)) out.push(`${urn} input ${k}: only in ${k in a.inputs ? "the program" : "the construct path"}`);
            else if (json(a.inputs[k]) === json(b.inputs[k]) && json(a.inputs[k]) !== json(c.inputs[k])) out.push(`${urn} input ${k} differs`);
        }
    }
    return out;
}
