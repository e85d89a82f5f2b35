/**
 * The program's runs in every variant of each stack (offline/deployer-policy/policy.ts
 * variants()), run once per test process and shared by the deployer-policy tests.
 */
import { PROJECT, runProgram } from "../../offline/engine/run-program";
import { ProgramRun } from "../../offline/engine/recorded";
import { Scope, stackPolicyScope, variants } from "../../offline/deployer-policy/policy";
import { ACCOUNT_ID } from "../../offline/engine/mocks";

/** The stacks the committed stack files define. */
export const STACKS = ["dev", "prod"] as const;

const cache = new Map<string, Promise<ProgramRun[]>>();

export function stackRuns(stack: string): Promise<ProgramRun[]> {
    if (!cache.has(stack)) {
        cache.set(stack, (async () => {
            const runs: ProgramRun[] = [];
            for (const v of variants(stack)) runs.push(await runProgram(v));
            return runs;
        })());
    }
    return cache.get(stack)!;
}

/** The scope the runs were made in: the mocks' account and the stack files' region. */
export function mockScope(stack: string): Scope {
    return stackPolicyScope(PROJECT, stack, ACCOUNT_ID, "us-east-1");
}
