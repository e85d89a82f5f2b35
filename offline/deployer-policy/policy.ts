/**
 * The deploying role's least-privilege policy for one stack, derived from what the program
 * registers and looks up under mocks: every variant of the stack is run (variants()), the type
 * and function tokens and the inputs it used are mapped to calls (actions.ts), and the calls are
 * grouped into statements scoped to the stack: its account, region and hosted zone; the names
 * Pulumi gives its resources; the IAM path and permissions boundary of its roles; and the stack
 * tag (`e2etls:stack`) the program puts on everything it creates (components/security/stack-scope.ts).
 * Explicit denies keep the holder from escaping: no role write without the stack's boundary, no
 * change to the boundary policy, no retagging of another stack's resources. The same runs and the
 * stack's configuration give the boundary policy itself (boundary.ts), which must cover what every
 * run grants its roles.
 */
import type { ProgramRun } from "../engine/recorded";
import { ACCOUNT_ID } from "../engine/mocks";
import { loadStackConfig } from "../engine/run-program";
import { boundaryGaps, buildBoundary } from "./boundary";
import { stackPolicyScope } from "./scope";
import type { Scope, Variant } from "./scope";
import { buildStatements } from "./statements";
import type { NamedPolicy, PolicyDocument, Statement } from "./statements";
import { sorted } from "./usage";

export { applicationReferences, stackPolicyScope, variants } from "./scope";
export type { ApplicationReferences, Scope, Variant } from "./scope";
export { BOUNDED_ROLE_WRITES, buildStatements, POLICY_CHANGES } from "./statements";
export type { NamedPolicy, PolicyDocument, Statement } from "./statements";
export {
    callsAws, inputsSet, invokeTokens, missingEntries, programTagKeys, resourceTypes, serviceLinkedRoles, trustedServices, usedActions,
} from "./usage";

/** What the generator writes: the managed policies for the deploying role, and the roles' boundary. */
export interface DeployerPolicies {
    readonly description: string;
    readonly scope: Scope;
    readonly policies: NamedPolicy[];
    /** The permissions boundary every role of the stack carries: one managed policy. */
    readonly boundary: NamedPolicy;
}

/**
 * A customer managed policy holds at most 6,144 characters, whitespace not counted:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** Characters IAM counts against the size quota (whitespace excluded). */
export function policySize(doc: PolicyDocument): number {
    return JSON.stringify(doc).length;
}

/** Packs statements into as few managed policies as the size quota allows, in order. */
export function packPolicies(statements: readonly Statement[], max = MANAGED_POLICY_MAX_CHARS): PolicyDocument[] {
    const docs: PolicyDocument[] = [];
    let current: Statement[] = [];
    for (const statement of statements) {
        const candidate = { Version: "2012-10-17" as const, Statement: [...current, statement] };
        if (current.length > 0 && policySize(candidate) > max) {
            docs.push({ Version: "2012-10-17", Statement: current });
            current = [statement];
        } else {
            current = candidate.Statement;
        }
        if (policySize({ Version: "2012-10-17", Statement: [statement] }) > max) {
            throw new Error(`statement ${statement.Sid} alone is over the ${max}-character managed-policy quota; split it in policy.ts`);
        }
    }
    if (current.length > 0) docs.push({ Version: "2012-10-17", Statement: current });
    return docs;
}

/** A run of the program and the variant it ran. */
export interface VariantRun {
    readonly variant: Variant;
    readonly run: ProgramRun;
}

/**
 * Refuses a boundary that would cut what a run grants its roles: for each variant, the boundary
 * the generator writes for that variant's configuration (its application's secrets and images),
 * in the account and region the runs were made in, must allow every grant of its run. A variant
 * that keeps the stack's own application is judged by the stack's own boundary; an application
 * secret the configuration does not name is a gap, never a wider boundary.
 */
export function checkBoundaries(runs: readonly VariantRun[], project: string): void {
    const all = runs.map(r => r.run);
    const gaps = runs.flatMap(({ variant, run }) => {
        const region = loadStackConfig(variant.stack, variant.config)["aws:region"] ?? "us-east-1";
        const scope = stackPolicyScope(project, variant.stack, ACCOUNT_ID, region, variant.config);
        return boundaryGaps(buildBoundary(all, scope), [run], region, ACCOUNT_ID).map(g => `${variant.label}: ${g}`);
    });
    if (gaps.length > 0) {
        throw new Error(`the roles' boundary would not cover what the program grants them:\n  ${gaps.join("\n  ")}\n`
            + "An application secret, parameter or image must be in the stack's configuration (appSecrets, appImage, terminatorImage) "
            + "when the boundary is generated: set it, generate the policies again and update the boundary policy before `pulumi up` (docs/deploying.md, \"4. The deploying role\"). "
            + "Anything else needs a rule in offline/deployer-policy/boundary.ts.");
    }
}

/** The deploying role's policies and the roles' boundary for the runs of one stack. */
export function deployerPolicies(variantRuns: readonly VariantRun[], scope: Scope): DeployerPolicies {
    const runs = variantRuns.map(v => v.run);
    const stacks = sorted(runs.map(r => r.stack));
    if (stacks.length !== 1 || stacks[0] !== scope.stack) {
        throw new Error(`the policy is generated per stack: runs of ${stacks.join(", ")} for the scope of ${scope.stack}`);
    }
    checkBoundaries(variantRuns, scope.project);
    const docs = packPolicies(buildStatements(runs, scope));
    const boundary = buildBoundary(runs, scope);
    const size = policySize(boundary);
    if (size > MANAGED_POLICY_MAX_CHARS) throw new Error(`the boundary policy is ${size} characters, over ${MANAGED_POLICY_MAX_CHARS}`);
    const prefix = `${scope.project}-${scope.stack}-deployer`;
    return {
        description: `Least-privilege policies for the role that runs \`pulumi preview\`, \`up\`, \`refresh\` and \`destroy\` on the ${scope.project} stack ${scope.stack}, `
            + "and the permissions boundary every role of the stack carries: generated by `npm run -s deployer-policy` from the resource types, inputs and look-ups "
            + "the program uses in every variant of the stack (offline/deployer-policy/). An administrator creates the boundary policy first, under its name, "
            + "then the deployer policies, and attaches every one of those to the deploying role. Regenerate, do not edit.",
        scope,
        policies: docs.map((doc, i) => ({ PolicyName: `${prefix}-${i + 1}`, PolicyDocument: doc })),
        boundary: { PolicyName: scope.boundaryArn.split("/").pop()!, PolicyDocument: boundary },
    };
}
