/**
 * The SDK's mock monitor, recording what each registration carried: the one recorder of the
 * program runs (run-program.ts) and of WebTier's construct path (run-construct.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { RecordedAlias, RecordedInvoke, RecordedResource } from "./recorded";
import { FUNCTIONS, TOKENS } from "../../policies/shared/tokens";
import { RESOURCE_REFERENCE_SIG, SECRET_SIG, SPECIAL_SIG_KEY } from "../../policies/shared/wire";

// The mock monitor is not part of the SDK's typed surface; its module is stable across 3.x.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");

/**
 * The aliases a registration carries, as the SDK sends them: alias specs, the engine computing
 * their URNs (pulumi/pulumi sdk/nodejs/runtime/resource.ts, mapAliasesForRequest, when the monitor
 * supports "aliasSpecs", as the mock monitor does), or URNs the SDK computed itself (older engines).
 */
function recordedAliases(req: any): RecordedAlias[] {
    const specs: RecordedAlias[] = req.getAliasesList().map((a: any): RecordedAlias => {
        if (a.hasUrn()) return { urn: a.getUrn() };
        const s = a.getSpec();
        return {
            ...(s.getName() ? { name: s.getName() } : {}),
            ...(s.getType() ? { type: s.getType() } : {}),
            ...(s.getProject() ? { project: s.getProject() } : {}),
            ...(s.getStack() ? { stack: s.getStack() } : {}),
            ...(s.hasParenturn() ? { parentUrn: s.getParenturn() } : {}),
            ...(s.hasNoparent() && s.getNoparent() ? { noParent: true } : {}),
        };
    });
    return [...specs, ...req.getAliasurnsList().map((urn: string) => ({ urn }))];
}

/** Unwraps Pulumi's wire form: secrets to their values, resource references to id or URN. */
export function plain(v: any): any {
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === "object") {
        if (v[SPECIAL_SIG_KEY] === SECRET_SIG) return plain(v.value);
        if (v[SPECIAL_SIG_KEY] === RESOURCE_REFERENCE_SIG) return v.id || v.urn;
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    }
    return v;
}

/** Whether a wire value is, or holds, a secret. */
export function hasSecret(v: any): boolean {
    if (Array.isArray(v)) return v.some(hasSecret);
    if (v && typeof v === "object") {
        return v[SPECIAL_SIG_KEY] === SECRET_SIG || Object.values(v).some(hasSecret);
    }
    return false;
}

/** Wraps the SDK's mock monitor to record what each registration carried. */
export class RecordingMonitor extends MockMonitor {
    readonly records: RecordedResource[] = [];
    readonly invokes: RecordedInvoke[] = [];
    stackOutputs: Record<string, any> = {};
    stackUrn = "";

    constructor(mocks: pulumi.runtime.Mocks) {
        super(mocks);
    }

    async registerResource(req: any, callback: (err: any, resp: any) => void) {
        const raw = req.getObject()?.toJavaScript() ?? {};
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps: any, prop: string) => {
            propertyDependencies[prop] = deps.getUrnsList();
        });
        await super.registerResource(req, (err: any, resp: any) => {
            if (!err) {
                const urn: string = resp.getUrn();
                if (req.getType() === TOKENS.stack) this.stackUrn = urn;
                this.records.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn,
                    parent: req.getParent() || undefined,
                    id: resp.getId() || undefined,
                    custom: req.getCustom(),
                    inputs: plain(raw),
                    outputs: plain(resp.getObject()?.toJavaScript() ?? {}),
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    secretInputs: Object.keys(raw).filter(k => hasSecret(raw[k])),
                    aliases: recordedAliases(req),
                    options: {
                        protect: req.getProtect() === true,
                        retainOnDelete: req.getRetainondelete() === true,
                        deleteBeforeReplace: req.getDeletebeforereplace() === true,
                        deleteBeforeReplaceDefined: req.getDeletebeforereplacedefined() === true,
                        ignoreChanges: req.getIgnorechangesList(),
                        ...(req.hasReplacementTrigger() ? { replacementTrigger: plain(req.getReplacementTrigger().toJavaScript()) } : {}),
                    },
                });
            }
            callback(err, resp);
        });
    }

    async invoke(req: any, callback: (err: any, resp: any) => void) {
        // pulumi:pulumi:getResource is the engine's own look-up, not a provider call.
        if (req.getTok() !== FUNCTIONS.getResource) {
            this.invokes.push({ token: req.getTok(), inputs: plain(req.getArgs()?.toJavaScript() ?? {}) });
        }
        // The SDK reports a failed invoke by the gRPC `details` field only; a look-up the mocks
        // refuse (as the provider would) keeps its message that way.
        await super.invoke(req, (err: any, resp: any) =>
            callback(err instanceof Error ? Object.assign(err, { details: `Invoke of '${req.getTok()}' failed: ${err.message}` }) : err, resp));
    }

    registerResourceOutputs(req: any, callback: (err: any, resp: any) => void) {
        if (req.getUrn() === this.stackUrn) {
            // The stack's state is its outputs, as the engine records them and policies see them.
            const raw = req.getOutputs()?.toJavaScript() ?? {};
            this.stackOutputs = raw;
            const i = this.records.findIndex(r => r.urn === this.stackUrn);
            if (i >= 0) {
                this.records[i] = {
                    ...this.records[i],
                    outputs: plain(raw),
                    secretInputs: Object.keys(raw).filter(k => hasSecret(raw[k])),
                };
            }
        }
        return super.registerResourceOutputs(req, callback);
    }
}
