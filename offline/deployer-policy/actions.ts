/**
 * The calls the AWS provider (@pulumi/aws 7.48, bridging terraform-provider-aws v6) makes for
 * every resource type this program registers, phase by phase, in the form and from the sources
 * entry.ts describes: one table per area of the program in entries/, the look-ups in lookups.ts.
 * `policy.ts` turns the entries of the types and arguments a stack uses into the deploying role's
 * policy, and tests/deployer/deployer-policy.test.ts fails when the program registers a type, or
 * sets an input, that has no entry here.
 *
 * How to add a type: put its entry in the entries/ file of its area. Run the program, read the resource's file in terraform-provider-aws
 * (internal/service/<service>/<resource>.go) for Create, Read, Update, Delete and every waiter
 * and finder they call, its `@Tags` annotation for the tagging calls, and the Service
 * Authorization Reference page of the service for dependent actions; list every input the
 * program sets under `arguments`, with the calls it adds.
 *
 * `checked`: "read" means the file was read for this revision; "reviewed" means the lists were
 * compared with the file's functions as the previous audit recorded them and corrected where this
 * revision's findings (issue 17) showed a gap, without re-reading the whole file.
 */
import type { ResourceEntry } from "./entry";
import { ALERTS_ACTIONS } from "./entries/alerts";
import { COMPUTE_ACTIONS } from "./entries/compute";
import { EDGE_ACTIONS } from "./entries/edge";
import { NETWORK_ACTIONS } from "./entries/network";
import { SECURITY_ACTIONS } from "./entries/security";
import { STORAGE_ACTIONS } from "./entries/storage";

export type { ResourceEntry } from "./entry";

const AREAS = [NETWORK_ACTIONS, COMPUTE_ACTIONS, EDGE_ACTIONS, SECURITY_ACTIONS, STORAGE_ACTIONS, ALERTS_ACTIONS];

/** Resource types, keyed by the type token the engine records. A type has one entry, in one area. */
export const RESOURCE_ACTIONS: Readonly<Record<string, ResourceEntry>> = (() => {
    const all: Record<string, ResourceEntry> = {};
    for (const area of AREAS) {
        for (const [token, entry] of Object.entries(area)) {
            if (token in all) throw new Error(`${token} has an entry in two areas of offline/deployer-policy/entries/`);
            all[token] = entry;
        }
    }
    return all;
})();

export { ANY_RESOURCE_ACTIONS, INVOKE_ACTIONS } from "./lookups";
