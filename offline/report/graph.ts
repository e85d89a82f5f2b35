/**
 * Follows references between recorded resources with the resolver the pack's stack rules use
 * (policies/shared/resolver.ts, which documents the precedence): each string inside an input is
 * matched against other resources' ARN, id (and name, for the types quoted by name); what no
 * resource carries falls back to the property dependencies the engine records.
 */
import { ReferenceIndex, ResourceRecord } from "../../policies/shared/resolver";
import { RecordedResource } from "../engine/recorded";

/** The subset of a recorded resource the preview reads; fixtures may leave the rest out. */
export type ResourceLike = Pick<RecordedResource, "type" | "name" | "urn" | "inputs"> &
    Partial<Pick<RecordedResource, "parent" | "custom" | "outputs" | "dependencies" | "propertyDependencies" | "secretInputs">>;

/** A recorded resource as the resolver reads it: identities from its outputs. */
interface Indexed extends ResourceRecord {
    readonly like: ResourceLike;
}

export class ResourceGraph {
    private readonly index: ReferenceIndex<Indexed>;
    private readonly indexed = new Map<ResourceLike, Indexed>();

    constructor(readonly resources: readonly ResourceLike[]) {
        const records = resources.map((like): Indexed =>
            ({ type: like.type, name: like.name, urn: like.urn, props: like.outputs ?? {}, propertyDependencies: like.propertyDependencies, like }));
        records.forEach((x) => this.indexed.set(x.like, x));
        this.index = new ReferenceIndex(records);
    }

    get(urn: string | undefined): ResourceLike | undefined {
        return this.index.get(urn)?.like;
    }

    ofType(...types: string[]): ResourceLike[] {
        return this.resources.filter(r => types.includes(r.type));
    }

    /** Resources `r.inputs[prop]` refers to, optionally only those of the given types. */
    refs(r: ResourceLike, prop: string, ...types: string[]): ResourceLike[] {
        const from = this.indexed.get(r);
        if (!from) return [];
        const accept = (x: Indexed) => types.length === 0 || types.includes(x.type);
        // Known values first, then the property's dependencies: the resolver's precedence, applied to every string of the input.
        const hits = strings(r.inputs[prop]).flatMap(v => this.index.carrying(v).filter(accept));
        const found = hits.length > 0 ? hits : this.index.resolve(from, prop, undefined, accept).nodes;
        return unique(found.map(x => x.like));
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
        const out = [...urns].map(u => this.get(u)).filter((x): x is ResourceLike => !!x);
        const byValue = strings(r.inputs).flatMap(v => this.index.carrying(v).map(x => x.like)).filter(x => x !== r);
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

/** The AWS service of an endpoint's service name: `com.amazonaws.us-east-1.ecr.dkr` → `ecr.dkr`. */
export function endpointService(serviceName: unknown): string {
    return String(serviceName ?? "").split(".").slice(3).join(".");
}
