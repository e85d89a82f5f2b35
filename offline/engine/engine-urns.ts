/**
 * The URNs the Pulumi engine gives what a run registers, and how it matches them to the resources
 * of the previous deployment through aliases: what decides whether an update keeps a resource or
 * replaces it. Modelled on pulumi/pulumi:
 *  - pkg/resource/deploy/deployment.go, generateURN: a resource's qualified type is its parent's
 *    qualified type, `$`, its own type, except that the root stack's type is left out;
 *  - sdk/go/common/resource/alias.go, CreateURN, and urn/urn.go, New;
 *  - pkg/resource/deploy/step_generator.go: collapseAliasToUrn (an alias spec's empty fields come
 *    from the resource; `noParent`, or a parent that is the root stack, means none),
 *    generateAliases (a child also takes the aliases its parent matched, inheritedChildAlias, with
 *    the parent's old name in place of its new one as a prefix of the child's name), getOldResource
 *    (the URN first, then each alias in order; an old resource claimed twice is an error).
 * The SDK's mock monitor spells URNs otherwise (its parent type is only the parent's last type, and
 * it keeps the root stack's: @pulumi/pulumi runtime/mocks.ts, newUrn), so URNs are recomputed here.
 */
import { RecordedAlias, RecordedResource } from "./recorded";
import { TOKENS } from "../../policies/shared/tokens";

const PREFIX = "urn:pulumi:";

const parts = (urn: string) => urn.slice(PREFIX.length).split("::");
/** The chain of types of a URN (`parent$child`), its third segment. */
export const qualifiedType = (urn: string) => parts(urn)[2];
export const urnName = (urn: string) => parts(urn).slice(3).join("::");
const isRootStack = (urn: string) => urn !== "" && qualifiedType(urn) === TOKENS.stack;

/** urn.New: the parent's qualified type prefixes the type unless it is empty or the root stack's. */
function newUrn(stack: string, project: string, parentType: string, type: string, name: string): string {
    const typ = parentType !== "" && parentType !== TOKENS.stack ? `${parentType}$${type}` : type;
    return `${PREFIX}${stack}::${project}::${typ}::${name}`;
}

/** resource.CreateURN: an alias URN under `parent` (none: the stack's top level). */
function createUrn(name: string, type: string, parent: string, project: string, stack: string): string {
    const prefix = parent === "" ? `${PREFIX}${stack}::${project}::` : `${parent.slice(0, parent.lastIndexOf("::"))}$`;
    return `${prefix}${type}::${name}`;
}

/** The engine's URN of every recorded resource, by the URN the monitor recorded. */
export function engineUrns(resources: readonly RecordedResource[], stack: string, project: string): Map<string, string> {
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    const out = new Map<string, string>();
    const of = (r: RecordedResource): string => {
        const known = out.get(r.urn);
        if (known) return known;
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        // A parent that was not recorded is the consumer's root stack (the construct path).
        const parentType = parent ? qualifiedType(of(parent)) : "";
        const urn = newUrn(stack, project, parentType, r.type, r.name);
        out.set(r.urn, urn);
        return urn;
    };
    resources.forEach(of);
    return out;
}

export interface AliasResolution {
    /** Each old URN a new resource took over through an alias, to that resource's URN. */
    readonly aliased: Map<string, string>;
    /** Old URNs that a new resource has as its own URN. */
    readonly unchanged: Set<string>;
    /** New resources that match no old one: the engine creates them. */
    readonly created: string[];
    /** Old resources nothing matches: the engine deletes them. */
    readonly deleted: string[];
    /** What the engine would refuse: an old URN claimed twice, a URN registered twice. */
    readonly errors: string[];
}

/**
 * Which old resources the new run keeps, and how: a new resource claims the old one at its own URN
 * or, failing that, at the first of its aliases that exists, as getOldResource does.
 */
export function resolveAliases(resources: readonly RecordedResource[], olds: ReadonlySet<string>, stack: string, project: string): AliasResolution {
    const urns = engineUrns(resources, stack, project);
    const engineOf = (monitorUrn: string | undefined) => (monitorUrn === undefined ? "" : urns.get(monitorUrn) ?? monitorUrn);
    /** step_generator's sg.aliases: the old URN each new resource matched through an alias. */
    const matchedAlias = new Map<string, string>();
    const aliased = new Map<string, string>();
    const unchanged = new Set<string>();
    const seen = new Set<string>();
    const created: string[] = [];
    const errors: string[] = [];

    const collapse = (name: string, type: string, resParent: string, a: RecordedAlias): string => {
        if (a.urn) return a.urn;
        let parent = a.parentUrn !== undefined ? engineOf(a.parentUrn) : resParent;
        if (a.parentUrn !== undefined && matchedAlias.has(parent)) parent = matchedAlias.get(parent)!;
        if (a.noParent || isRootStack(parent)) parent = "";
        return createUrn(a.name ?? name, a.type ?? type, parent, a.project ?? project, a.stack ?? stack);
    };
    const inherited = (type: string, name: string, parentName: string, parentAlias: string): string =>
        newUrn(stack, project, qualifiedType(parentAlias), type, name.startsWith(parentName) ? urnName(parentAlias) + name.slice(parentName.length) : name);

    for (const r of resources) {
        const urn = engineOf(r.urn);
        const parent = engineOf(r.parent);
        if (seen.has(urn)) errors.push(`${urn} is registered twice`);
        if (aliased.has(urn)) errors.push(`${urn} is registered after another resource claimed it as an alias`);
        seen.add(urn);
        const aliases: string[] = [];
        const add = (u: string) => { if (!aliases.includes(u)) aliases.push(u); };
        for (const a of r.aliases ?? []) add(collapse(r.name, r.type, parent, a));
        const parentAlias = parent === "" ? undefined : matchedAlias.get(parent);
        if (parentAlias !== undefined) {
            add(inherited(r.type, r.name, urnName(parent), parentAlias));
            for (const a of r.aliases ?? []) {
                const own = collapse(r.name, r.type, parent, a);
                add(inherited(qualifiedType(own).split("$").pop()!, urnName(own), urnName(parent), parentAlias));
            }
        }
        const match = [urn, ...aliases].find(u => olds.has(u));
        if (match === undefined) created.push(urn);
        else if (match === urn) unchanged.add(urn);
        else {
            if (seen.has(match) && match !== urn) errors.push(`${urn} claims ${match}, which a resource registered as its own URN`);
            if (aliased.has(match)) errors.push(`${urn} claims ${match}, which ${aliased.get(match)} already claimed`);
            aliased.set(match, urn);
            matchedAlias.set(urn, match);
        }
    }
    const deleted = [...olds].filter(u => !unchanged.has(u) && !aliased.has(u));
    return { aliased, unchanged, created, deleted, errors };
}
