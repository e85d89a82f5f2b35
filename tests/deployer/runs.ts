/**
 * The program's runs in every variant of each stack (offline/deployer-policy/policy.ts
 * variants()), run once per suite run and shared by the deployer-policy tests.
 */
import { PROJECT, runProgram } from "../../offline/engine/run-program";
import { ProgramRun } from "../../offline/engine/recorded";
import { Scope, stackPolicyScope, VariantRun, variants } from "../../offline/deployer-policy/policy";
import { ACCOUNT_ID } from "../../offline/engine/mocks";
import { sharedAll } from "../setup/shared-runs";
import { runKey } from "../program/support";

/** The stacks the committed stack files define. */
export const STACKS = ["dev", "prod"] as const;

/**
 * Every variant of a stack with its run. The runs are shared between the tests and test processes
 * (tests/setup/shared-runs.ts); each call gets fresh copies.
 */
export async function variantRuns(stack: string): Promise<VariantRun[]> {
    const all = variants(stack);
    const runs = await sharedAll(all.map(variant => ({ key: runKey(variant), compute: () => runProgram(variant) })));
    return all.map((variant, i) => ({ variant, run: runs[i] }));
}

/** The runs of every variant of a stack. */
export async function stackRuns(stack: string): Promise<ProgramRun[]> {
    return (await variantRuns(stack)).map(v => v.run);
}

/** The scope the runs were made in: the mocks' account and the stack files' region. */
export function mockScope(stack: string): Scope {
    return stackPolicyScope(PROJECT, stack, ACCOUNT_ID, "us-east-1");
}
