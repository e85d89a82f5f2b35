/**
 * The program's runs in every variant of each stack (offline/deployer-policy/policy.ts
 * variants()), run once per test process and shared by the deployer-policy tests.
 */
import { PROJECT, runProgram } from "../../offline/engine/run-program";
import { ProgramRun } from "../../offline/engine/recorded";
import { Scope, stackPolicyScope, VariantRun, variants } from "../../offline/deployer-policy/policy";
import { ACCOUNT_ID } from "../../offline/engine/mocks";

/** The stacks the committed stack files define. */
export const STACKS = ["dev", "prod"] as const;

const cache = new Map<string, Promise<VariantRun[]>>();

/** Every variant of a stack with its run. */
export function variantRuns(stack: string): Promise<VariantRun[]> {
    if (!cache.has(stack)) {
        cache.set(stack, (async () => {
            const runs: VariantRun[] = [];
            for (const variant of variants(stack)) runs.push({ variant, run: await runProgram(variant) });
            return runs;
        })());
    }
    return cache.get(stack)!;
}

/** The runs of every variant of a stack. */
export async function stackRuns(stack: string): Promise<ProgramRun[]> {
    return (await variantRuns(stack)).map(v => v.run);
}

/** The scope the runs were made in: the mocks' account and the stack files' region. */
export function mockScope(stack: string): Scope {
    return stackPolicyScope(PROJECT, stack, ACCOUNT_ID, "us-east-1");
}
