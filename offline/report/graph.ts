/**
 * Follows references between recorded resources: first through the property dependencies the
 * engine records (exact), then, for inputs that carry a plain ARN or id (a fixture, a value typed
 * by hand), by matching the value against other resources' ARN, id or name.
 */
import { RecordedResource } from "../engine/recorded";

/** The subset of a recorded resource the preview reads; fixtures may leave the rest out. */
export type ResourceLike = Pick<RecordedResource, "type" | "name" | "urn" | "inputs"> &
    Partial<Pick<RecordedResource, "parent" | "custom" | "outputs" | "dependencies" | "propertyDependencies" | "secretInputs">>;

export class ResourceGraph {
    private readonly byUrn = new Map<string, ResourceLike>();
    private readonly byValue = new Map<string, ResourceLike>();

    constructor(readonly resources: readonly ResourceLike[]) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            for (const k of ["arn", "id", "name"]) {
                const v = r.outputs?.[k];
                // Names are weak keys (two types may share one): the first ARN-like or id wins.
                if (typeof v === "string" && v !== "" && !this.byValue.has(v)) this.byValue.set(v, r);
            }
        }
    }

    get(urn: string | undefined): ResourceLike | undefined {
        return urn === undefined ? undefined : this.byUrn.get(urn);
    }

    ofType(...types: string[]): ResourceLike[] {
        return this.resources.filter(r => types.includes(r.type));
    }

    /** Resources `r.inputs[prop]` refers to, optionally only those of the given types. */
    refs(r: ResourceLike, prop: string, ...types: string[]): ResourceLike[] {
        const keep = (x: ResourceLike | undefined): x is ResourceLike => !!x && (types.length === 0 || types.includes(x.type));
        const deps = r.propertyDependencies?.[prop];
        if (deps && deps.length > 0) {
            const found = deps.map(u => this.byUrn.get(u)).filter(keep);
            if (found.length > 0) return unique(found);
        }
        return unique(strings(r.inputs[prop]).map(v => this.byValue.get(v)).filter(keep));
    }

    /** The first resource `r.inputs[prop]` refers to. */
    ref(r: ResourceLike, prop: string, ...types: string[]): ResourceLike | undefined {
        return this.refs(r, prop, ...types)[0];
    }

    /** True when `r.inputs[prop]` refers to `target` (by dependency, else by value). */
    refersTo(r: ResourceLike, prop: string, target: ResourceLike): boolean {
        return this.refs(r, prop).includes(target);
    }

    /** Every resource `r` depends on, through any property or explicit dependency. */
    allRefs(r: ResourceLike, ...types: string[]): ResourceLike[] {
        const urns = new Set<string>(r.dependencies ?? []);
        for (const deps of Object.values(r.propertyDependencies ?? {})) deps.forEach(u => urns.add(u));
        const out = [...urns].map(u => this.byUrn.get(u)).filter((x): x is ResourceLike => !!x);
        const byValue = strings(r.inputs).map(v => this.byValue.get(v)).filter((x): x is ResourceLike => !!x && x !== r);
        return unique([...out, ...byValue]).filter(x => types.length === 0 || types.includes(x.type));
    }
}

/** Every string inside a value, at any depth. */
export function strings(v: unknown): string[] {
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) return v.flatMap(strings);
    if (v && typeof v === "object") return Object.values(v).flatMap(strings);
    return [];
}

function unique<T>(xs: T[]): T[] {
    return [...new Set(xs)];
}

/**
 * A type token as `pulumi preview` prints it: `aws:ec2/vpc:Vpc` becomes `aws:ec2:Vpc` when the
 * module's last segment is the type's name in lower camel case.
 */
export function displayType(type: string): string {
    const m = /^([^:]+):([^:/]+)\/([^:]+):([^:]+)$/.exec(type);
    if (!m) return type;
    const [, pkg, mod, sub, name] = m;
    return sub === name.charAt(0).toLowerCase() + name.slice(1) ? `${pkg}:${mod}:${name}` : type;
}
