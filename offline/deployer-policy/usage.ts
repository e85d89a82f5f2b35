/**
 * What the runs of the program use: the AWS resource types, the inputs set on each, the look-ups,
 * and so the calls (actions.ts); and the facts of the resources the statements are scoped by (tag
 * keys, roles' trusted services, service-linked roles).
 */
import type { ProgramRun, RecordedResource } from "../engine/recorded";
import { INVOKE_ACTIONS, RESOURCE_ACTIONS } from "./actions";
import { entryActions } from "./entry";
import { TOKENS } from "../../policies/shared/tokens";

/** The distinct strings, sorted. */
export function sorted(xs: Iterable<string>): string[] {
    return [...new Set(xs)].sort();
}

/** Only the AWS provider calls AWS: @pulumi/tls works locally; components and the stack are not provider resources. */
export function callsAws(token: string): boolean {
    return token.startsWith("aws:");
}

function awsResources(runs: readonly ProgramRun[]): RecordedResource[] {
    return runs.flatMap(r => r.resources.filter(x => x.custom && callsAws(x.type)));
}

/** AWS resource types the runs registered. */
export function resourceTypes(runs: readonly ProgramRun[]): string[] {
    return sorted(awsResources(runs).map(x => x.type));
}

/** AWS provider functions the runs invoked. */
export function invokeTokens(runs: readonly ProgramRun[]): string[] {
    return sorted(runs.flatMap(r => r.invokes.map(i => i.token).filter(callsAws)));
}

/** The inputs a resource was registered with (set to something). */
export function inputsSet(r: RecordedResource): string[] {
    return Object.keys(r.inputs).filter(k => r.inputs[k] !== undefined && r.inputs[k] !== null).sort();
}

/** Tokens the runs used that have no entry, and inputs set on a type whose entry has not reviewed them (`type.input`). */
export function missingEntries(runs: readonly ProgramRun[]): { resourceTypes: string[]; invokes: string[]; arguments: string[] } {
    const types = resourceTypes(runs);
    return {
        resourceTypes: types.filter(t => !(t in RESOURCE_ACTIONS)),
        invokes: invokeTokens(runs).filter(t => !(t in INVOKE_ACTIONS)),
        arguments: sorted(awsResources(runs).filter(r => r.type in RESOURCE_ACTIONS)
            .flatMap(r => inputsSet(r).filter(k => !(k in RESOURCE_ACTIONS[r.type].arguments)).map(k => `${r.type}.${k}`))),
    };
}

/** The inputs the runs set, by type. */
function argumentsUsed(runs: readonly ProgramRun[]): Map<string, string[]> {
    const used = new Map<string, Set<string>>();
    for (const r of awsResources(runs)) {
        const set = used.get(r.type) ?? new Set<string>();
        inputsSet(r).forEach(k => set.add(k));
        used.set(r.type, set);
    }
    return new Map([...used].map(([t, s]) => [t, [...s]]));
}

/** Every action the runs need: each used type's phases, tagging and dependent calls, the calls of the inputs set, and the look-ups'. */
export function usedActions(runs: readonly ProgramRun[]): string[] {
    const missing = missingEntries(runs);
    const all = [...missing.resourceTypes, ...missing.invokes, ...missing.arguments];
    if (all.length > 0) {
        throw new Error(`no deployer-policy entry in offline/deployer-policy/actions.ts for: ${all.join(", ")}`);
    }
    const used = argumentsUsed(runs);
    return sorted([
        ...[...used].flatMap(([t, args]) => entryActions(RESOURCE_ACTIONS[t], args)),
        ...invokeTokens(runs).flatMap(t => INVOKE_ACTIONS[t].actions),
        ...(serviceLinkedRoles(runs).length > 0 ? ["iam:CreateServiceLinkedRole"] : []),
    ]);
}

/** Service principals of the service-linked roles the used types need. */
export function serviceLinkedRoles(runs: readonly ProgramRun[]): string[] {
    return sorted(resourceTypes(runs).flatMap(t => RESOURCE_ACTIONS[t]?.serviceLinkedRole ? [RESOURCE_ACTIONS[t].serviceLinkedRole!.service] : []));
}

/** Tag keys the program sets, on any resource (the stack tag among them). */
export function programTagKeys(runs: readonly ProgramRun[]): string[] {
    return sorted(awsResources(runs).flatMap(r => {
        const tags = r.inputs.tags;
        if (Array.isArray(tags)) return tags.map((t: { key: string }) => t.key);
        return tags && typeof tags === "object" ? Object.keys(tags) : [];
    }));
}

/** The service principals a role trusts (its assume-role policy). */
export function trustedServices(role: RecordedResource): string[] {
    const doc = typeof role.inputs.assumeRolePolicy === "string" ? JSON.parse(role.inputs.assumeRolePolicy) : role.inputs.assumeRolePolicy;
    return sorted([doc?.Statement ?? []].flat().flatMap((s: any) => [s?.Principal?.Service ?? []].flat()));
}

/**
 * The stack's ECR repositories as the resource part of their ARNs: those of its pull-through cache
 * by the prefix its rule names them under (`web-prod/*`: an image it caches later is in it too),
 * any other by its name.
 */
export function stackRepositories(runs: readonly ProgramRun[]): string[] {
    const resources = awsResources(runs);
    const prefixes = sorted(resources.filter(x => x.type === TOKENS.ecrPullThroughCacheRule).map(x => String(x.inputs.ecrRepositoryPrefix)));
    return sorted(resources.filter(x => x.type === TOKENS.ecrRepository).map(x => {
        const name = typeof x.inputs.name === "string" && x.inputs.name !== "" ? x.inputs.name : `${x.name}-*`;
        const prefix = prefixes.find(p => name.startsWith(`${p}/`));
        return prefix ? `${prefix}/*` : name;
    }));
}
