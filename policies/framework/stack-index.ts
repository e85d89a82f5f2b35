/**
 * The stack as stack rules read it (`StackCheckContext.index`): every resource indexed by kind and type, and references
 * between resources answered by the shared resolver (../shared/resolver.ts), whose precedence is
 * documented there (a known ARN, id or name first, then the property's recorded dependencies).
 */
import { PolicyResource } from "@pulumi/policy";
import { ReferenceIndex, ResourceRecord, Resolved } from "../shared/resolver";
import { isType, LB_TOKENS, LbKind, shapeOf, TOKENS } from "../shared/tokens";
import { adaptProps, isAdapted, ownPath } from "./shapes";
import { raw } from "./values";

/**
 * One resource of the stack with its plain properties, read in its shape (../framework/shapes.ts):
 * `type` is the shape's token, `token` the resource's own.
 */
export interface Node extends ResourceRecord {
    readonly res: PolicyResource;
    readonly token: string;
    readonly props: Record<string, any>;
}

/** A resolved reference: the nodes it names (possibly several when only dependencies tell). */
export type Ref = Resolved<Node>;

function nodeOf(res: PolicyResource): Node {
    // Once per resource of every AnalyzeStack: loops, not entries/map/fromEntries.
    const propertyDependencies: Record<string, string[]> = {};
    const given = res.propertyDependencies ?? {};
    for (const k of Object.keys(given)) {
        const deps = given[k] ?? [];
        const urns = new Array<string>(deps.length);
        for (let i = 0; i < deps.length; i++) urns[i] = deps[i].urn;
        propertyDependencies[k] = urns;
    }
    return { res, type: shapeOf(res.type), token: res.type, name: res.name, urn: res.urn, props: adaptProps(res.type, raw(res.props) ?? {}), propertyDependencies };
}

/**
 * `cache`'s entry for `key`, made by `make` the first time it is asked for: what the stack rules
 * derive from the index (closures, attachments, hop texts), asked for again by each path and rule
 * that reaches it. `make` must not return `undefined`.
 */
export function once<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
    let found = cache.get(key);
    if (found === undefined) {
        found = make();
        cache.set(key, found);
    }
    return found;
}

/** The last index built over a stack, by the first resource's decoded properties (see {@link StackIndex.of}). */
const built = new WeakMap<object, { readonly sources: readonly unknown[]; readonly index: StackIndex }>();

/** True when `resources` are those `seen` was built from (a loop: every stack policy of every AnalyzeStack asks, over every resource). */
function readsSame(seen: { readonly sources: readonly unknown[]; readonly index: StackIndex }, resources: PolicyResource[]): boolean {
    const nodes = seen.index.nodes;
    for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i];
        const r = resources[i];
        if (n.urn !== r.urn || n.token !== r.type || (n.res.props !== r.props && seen.sources[i] !== raw(r.props))) {
            return false;
        }
    }
    return true;
}

/** The stack's resources, indexed by kind and type, with the shared resolver over them. */
export class StackIndex {
    readonly nodes: Node[];
    private readonly refs: ReferenceIndex<Node>;
    private readonly byType = new Map<string, Node[]>();
    private readonly derivedBy = new Map<(index: StackIndex) => unknown, unknown>();

    constructor(resources: PolicyResource[]) {
        this.nodes = resources.map(nodeOf);
        this.refs = new ReferenceIndex(this.nodes);
        for (const n of this.nodes) {
            const sameType = this.byType.get(n.type) ?? [];
            sameType.push(n);
            this.byType.set(n.type, sameType);
        }
    }

    /**
     * The index of `resources`, built once per `AnalyzeStack`: each stack policy gets its own
     * `PolicyResource`s, but over the same decoded properties (./decode-once.ts), so an index whose
     * nodes were read from exactly those objects, with the same URNs and types in the same order,
     * reads the same stack. Where the properties are decoded per policy (a pack started without
     * ./decode-once.ts) nothing matches and each policy builds its own, as before. Rules only read
     * an index, so sharing it is safe. The check runs once per policy over the whole stack, so it
     * compares the properties' proxies first: decode-once hands every policy of a request the
     * same proxy of each resource, and only where they differ does it look behind them.
     */
    static of(resources: PolicyResource[]): StackIndex {
        const first = resources.length > 0 ? raw(resources[0].props) : undefined;
        if (first === null || typeof first !== "object") {
            return new StackIndex(resources);
        }
        const seen = built.get(first);
        if (seen && seen.sources.length === resources.length && readsSame(seen, resources)) {
            return seen.index;
        }
        const index = new StackIndex(resources);
        built.set(first, { sources: resources.map((r) => raw(r.props)), index });
        return index;
    }

    /**
     * The index of plain records (the offline preview's recorded resources, `props` being the state
     * AnalyzeStack would send), read as the analyzer's `PolicyResource`s are: dependencies by URN.
     */
    static ofRecords(records: readonly ResourceRecord[]): StackIndex {
        return new StackIndex(records.map((r) => ({
            type: r.type, name: r.name, urn: r.urn, props: r.props,
            propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) => [k, (urns ?? []).map((urn) => ({ urn }))])),
        }) as unknown as PolicyResource));
    }

    /**
     * What `make` derives from this index, made once per index: the stack policies of one
     * `AnalyzeStack` share the index (see {@link of}), so a structure several rules read (the
     * dependency closures, for one) is made once for all of them. `make` is the key: pass the same
     * function (a module-level one), never a new closure. What it makes must answer the same
     * whichever rule asks first (rules only read), and not be `undefined`.
     */
    derived<T>(make: (index: StackIndex) => T): T {
        return once(this.derivedBy, make, () => make(this)) as T;
    }

    ofKind(kind: LbKind): Node[] {
        return LB_TOKENS[kind].flatMap((t) => this.byType.get(t) ?? []);
    }

    ofType(token: string): Node[] {
        return this.byType.get(token) ?? [];
    }

    /** The node of a URN. */
    get(urn: string): Node | undefined {
        return this.refs.get(urn);
    }

    /** For each node some of `from` refer to (per `refersTo`), the nodes that do. */
    static invert(from: Node[], refersTo: (n: Node) => Node[]): Map<Node, Node[]> {
        const out = new Map<Node, Node[]>();
        for (const n of from) {
            for (const target of new Set(refersTo(n))) {
                const list = out.get(target) ?? [];
                list.push(n);
                out.set(target, list);
            }
        }
        return out;
    }

    /**
     * What `value` (found under top-level property `property` of `from`, in its shape's names)
     * refers to, among nodes `accept` takes. The engine records dependencies under the resource's
     * own property names, so a property of an adapted shape is looked up under its own top-level
     * name (`vpcSecurityGroupIds` of an aws-native launch template under `launchTemplateData`).
     */
    resolve(from: Node, property: string, value: unknown, accept: (n: Node) => boolean): Ref {
        return this.refs.resolve(from, ownTop(from, property), value, accept);
    }

    /** Every reference in a list property (a whole-list unknown resolves through dependencies). */
    resolveAll(from: Node, property: string, values: unknown, accept: (n: Node) => boolean): Ref[] {
        return this.refs.resolveAll(from, ownTop(from, property), values, accept);
    }
}

/** The top-level property `property` of `from`'s shape is read from, in `from`'s own names. */
function ownTop(from: Node, property: string): string {
    return isAdapted(from.token) ? ownPath(from.token, property, raw(from.res.props)).split(/[.[]/)[0] : property;
}

export const is = (kind: LbKind) => (n: Node) => isType(n.type, kind);
export const isToken = (...tokens: string[]) => (n: Node) => tokens.includes(n.type);
export const isSecurityGroup = isToken(TOKENS.securityGroup);
