/**
 * The permissions boundary of every role the stack creates: the most any of them can do, whatever
 * inline policy the deploying role writes on it. Derived from the runs and the stack's
 * configuration: the actions are those the program grants its roles (their inline policies, and
 * the AWS managed policies it attaches, MANAGED_POLICY_ACTIONS); where each may act comes from one
 * rule per service (BOUNDARY_RULES), scoped to the stack's account and region, its tagged secrets,
 * its log groups and repositories, and from the application of the stack's configuration
 * (applicationStatements): exactly the secrets, parameters and repositories it names. A role
 * grant of a service without a rule, or of a managed policy without its actions here, stops the
 * generator, and so does a grant the boundary would not cover (boundaryGaps, policy.ts): an
 * application secret that is not in the configuration the boundary was generated for.
 *
 * An administrator creates this policy before the first `pulumi up`; the deploying role may not
 * change it (policy.ts denies it) and may write roles only with it as their boundary.
 */
import type { ProgramRun, RecordedResource } from "../engine/recorded";
import type { Scope } from "./scope";
import type { PolicyDocument, Statement } from "./statements";
import { Request, statementApplies } from "../engine/iam-evaluator";
import { TAG } from "../../components/facts";
import { TOKENS } from "../../policies/shared/tokens";
import { COMPUTE_MODES } from "../../config/compute-modes";
import { applicationSecretStatements } from "../../components/security/application-access";
import { sorted, stackRepositories } from "./usage";

/**
 * Reading a parameter: the application's parameters only (applicationStatements), never on "*".
 * AmazonSSMManagedInstanceCore grants both on "*"; Session Manager, what the tier uses it for,
 * needs neither ("Step 2: Verify or add instance permissions for Session Manager",
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-instance-profile.html,
 * and the policy it embeds for a role without the managed policy,
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-add-permissions-to-existing-profile.html).
 */
const PARAMETER_READS = ["ssm:GetParameter", "ssm:GetParameters"] as const;

/**
 * The actions of the AWS managed policies the program attaches to its roles (each one statement,
 * Resource "*"), from the AWS managed policy reference; `cut`: the ones the boundary does not
 * grant, because the program does not use them, with why.
 */
export const MANAGED_POLICY_ACTIONS: Readonly<Record<string, {
    readonly actions: readonly string[]; readonly source: string; readonly cut?: { readonly actions: readonly string[]; readonly why: string };
}>> = {
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore": {
        source: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html",
        actions: [
            "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest",
            "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory",
            "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus",
            "ssm:UpdateInstanceInformation",
            "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
            "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint",
            "ec2messages:GetMessages", "ec2messages:SendReply",
        ],
        cut: {
            actions: PARAMETER_READS,
            why: "Session Manager reads no parameter; on \"*\" they would let every role of the stack read every parameter of the account",
        },
    },
};

/** One grant the program gives a role: an inline policy statement, or an attached managed policy. */
export interface RoleGrant {
    /** The role's logical name. */
    readonly role: string;
    readonly actions: readonly string[];
    /** The statement's resources (ARNs from the run), or "*" for a managed policy. */
    readonly resources: readonly string[];
    readonly condition?: Record<string, Record<string, unknown>>;
    /** "inline <policy name>" or the managed policy ARN. */
    readonly from: string;
}

function findRole(resources: readonly RecordedResource[], ref: unknown): RecordedResource | undefined {
    return resources.find(x => x.type === TOKENS.iamRole && (x.outputs.name === ref || x.outputs.arn === ref || x.id === ref));
}

/** Every grant of every role of the runs. */
export function roleGrants(runs: readonly ProgramRun[]): RoleGrant[] {
    const out: RoleGrant[] = [];
    for (const run of runs) {
        for (const r of run.resources) {
            if (r.type === TOKENS.iamRolePolicy) {
                const role = findRole(run.resources, r.inputs.role)?.name ?? String(r.inputs.role);
                const doc = typeof r.inputs.policy === "string" ? JSON.parse(r.inputs.policy) : r.inputs.policy;
                for (const s of [doc.Statement].flat()) {
                    if (s.Effect !== "Allow") continue;
                    out.push({ role, actions: [s.Action].flat(), resources: [s.Resource].flat(), condition: s.Condition, from: `inline ${r.name}` });
                }
            }
            if (r.type === TOKENS.iamRolePolicyAttachment) {
                const arn = String(r.inputs.policyArn);
                const managed = MANAGED_POLICY_ACTIONS[arn];
                if (!managed) throw new Error(`the program attaches ${arn}: list its actions in MANAGED_POLICY_ACTIONS (offline/deployer-policy/boundary.ts)`);
                const role = findRole(run.resources, r.inputs.role)?.name ?? String(r.inputs.role);
                out.push({ role, actions: managed.actions, resources: ["*"], from: arn });
            }
        }
    }
    return out;
}

/** Actions that take no resource ARN (Service Authorization Reference), granted on "*" in the boundary. */
const NO_RESOURCE = new Set(["ecr:GetAuthorizationToken"]);

/** Where, per service, a role of the stack may act; `except`: actions the rule never grants (only the application's statements do). */
export const BOUNDARY_RULES: Readonly<Record<string, (scope: Scope, runs: readonly ProgramRun[]) =>
    Pick<Statement, "Resource" | "Condition"> & { readonly except?: readonly string[] }>> = {
    // Only the stack's secrets: the ones that carry its tag.
    secretsmanager: (s) => ({
        Resource: `arn:aws:secretsmanager:${s.region}:${s.account}:secret:*`,
        Condition: { StringEquals: { [`aws:ResourceTag/${TAG.stack}`]: s.tagValue } },
    }),
    // Keys only through Secrets Manager (reading a secret) and SNS (publishing to an encrypted
    // topic): a role cannot decrypt anything else with any key.
    kms: (s) => ({
        Resource: `arn:aws:kms:${s.region}:${s.account}:key/*`,
        Condition: { StringLike: { "kms:ViaService": [`secretsmanager.${s.region}.amazonaws.com`, `sns.${s.region}.amazonaws.com`] } },
    }),
    sns: (s) => ({ Resource: `arn:aws:sns:${s.region}:${s.account}:*` }),
    // The stack's log groups and their streams.
    logs: (s, runs) => ({
        Resource: sorted(resourcesOf(runs, TOKENS.cloudwatchLogGroup).flatMap(x => {
            const group = `arn:aws:logs:${s.region}:${s.account}:log-group:${typeof x.inputs.name === "string" ? x.inputs.name : `${x.name}-*`}`;
            return [group, `${group}:*`];
        })),
    }),
    // The stack's repositories (its pull-through cache's, by their prefix) and those of the
    // configuration's private images.
    ecr: (s, runs) => ({
        Resource: sorted([...stackRepositories(runs).map(p => `arn:aws:ecr:${s.region}:${s.account}:repository/${p}`), ...s.application.repositories]),
    }),
    // The Systems Manager agent's own calls (Session Manager); they name no stack resource.
    ssm: () => ({ Resource: "*", except: PARAMETER_READS }),
    ssmmessages: () => ({ Resource: "*" }),
    ec2messages: () => ({ Resource: "*" }),
};

function resourcesOf(runs: readonly ProgramRun[], type: string): RecordedResource[] {
    return runs.flatMap(run => run.resources.filter(x => x.type === type));
}

/**
 * What the application of the stack's configuration adds: the statements its roles get for its
 * secrets and parameters (components/security/application-access.ts), for the reader of either
 * compute mode, with exactly those ARNs and conditions.
 */
export function applicationStatements(scope: Scope): Statement[] {
    const merged = new Map<string, Statement>();
    for (const reader of [...new Set(Object.values(COMPUTE_MODES).map(m => m.reader))].sort()) {
        for (const s of applicationSecretStatements(scope.application.secrets, reader)) {
            const sid = `StackRoles${s.Sid}`;
            const actions = sorted([...(merged.get(sid)?.Action ?? []), ...[s.Action].flat()]);
            merged.set(sid, { Sid: sid, Effect: "Allow", Action: actions, Resource: [s.Resource].flat() as string[], ...(s.Condition ? { Condition: s.Condition } : {}) });
        }
    }
    return [...merged.values()];
}

/** The boundary policy document for the runs of one stack and the application of its configuration. */
export function buildBoundary(runs: readonly ProgramRun[], scope: Scope): PolicyDocument {
    const byService = new Map<string, Set<string>>();
    for (const grant of roleGrants(runs)) {
        for (const action of grant.actions) {
            const service = action.split(":")[0];
            if (!(service in BOUNDARY_RULES)) {
                throw new Error(`a role of the stack is granted ${action} (${grant.from}): add a rule for ${service} to BOUNDARY_RULES (offline/deployer-policy/boundary.ts)`);
            }
            byService.set(service, (byService.get(service) ?? new Set()).add(action));
        }
    }
    const statements: Statement[] = [];
    for (const [service, set] of [...byService].sort(([x], [y]) => x.localeCompare(y))) {
        const rule = BOUNDARY_RULES[service](scope, runs);
        const granted = [...set].filter(a => !(rule.except ?? []).includes(a));
        const scoped = granted.filter(a => !NO_RESOURCE.has(a)).sort();
        const anywhere = granted.filter(a => NO_RESOURCE.has(a)).sort();
        const name = service.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
        if (scoped.length > 0 && [rule.Resource].flat().length > 0) {
            statements.push({ Sid: `StackRoles${name}`, Effect: "Allow", Action: scoped, Resource: rule.Resource, ...(rule.Condition ? { Condition: rule.Condition } : {}) });
        }
        if (anywhere.length > 0) statements.push({ Sid: `StackRoles${name}AnyResource`, Effect: "Allow", Action: anywhere, Resource: "*" });
    }
    return { Version: "2012-10-17", Statement: [...statements, ...applicationStatements(scope)] };
}

/**
 * The grants of the runs' roles the boundary does not allow, each as "<role>: <action> on
 * <resource> (<where from>)": a grant is tried as the request it is made for (its resource, the
 * tags of the resource it names, the values of its own conditions; a managed policy's "*" on
 * the stack's resource it is used on), in the account and region of the runs. The actions a
 * managed policy's `cut` lists are left out: the boundary withholds them on purpose.
 */
export function boundaryGaps(boundary: PolicyDocument, runs: readonly ProgramRun[], region: string, account: string): string[] {
    const resources = runs.flatMap(r => r.resources);
    const statements = boundary.Statement.filter(s => s.Effect === "Allow");
    const gaps: string[] = [];
    for (const grant of roleGrants(runs)) {
        const cut = MANAGED_POLICY_ACTIONS[grant.from]?.cut?.actions ?? [];
        for (const action of grant.actions.filter(a => !cut.includes(a))) {
            for (const resource of grant.resources) {
                for (const req of grantRequests(action, resource, grant.condition, resources, region, account)) {
                    if (!statements.some(s => statementApplies(s, req))) gaps.push(`${grant.role}: ${action} on ${req.resource} (${grant.from})`);
                }
            }
        }
    }
    return sorted(gaps);
}

/** The requests one action of a grant on one of its resources is made as. */
function grantRequests(action: string, resource: string, condition: RoleGrant["condition"], resources: readonly RecordedResource[],
    region: string, account: string): Request[] {
    const target = resource === "*" ? usedOn(action, resources, region, account) : resource.replace(/[*?]/g, "x");
    const owner = resources.find(x => x.outputs.arn === target || (typeof x.outputs.arn === "string" && target.startsWith(`${x.outputs.arn}:`)));
    const tags = Object.fromEntries(Object.entries(tagsOf(owner)).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    // KMS is used through the service that holds what the key protects: SNS for a topic's key, else Secrets Manager.
    const via = `${resources.some(x => x.type === TOKENS.snsTopic && x.inputs.kmsMasterKeyId === target) ? "sns" : "secretsmanager"}.${region}.amazonaws.com`;
    // Each key of the grant's own positive conditions takes each of its values, in every combination.
    let contexts: Record<string, string>[] = [action.startsWith("kms:") ? { "kms:ViaService": via } : {}];
    for (const [operator, keys] of Object.entries(condition ?? {})) {
        if (/Not|^Null$|^ForAllValues:/.test(operator)) continue;
        for (const [key, values] of Object.entries(keys)) {
            const concrete = [values].flat().map(v => String(v)).map(v => !v.includes("*") ? v : key === "kms:ViaService" ? via : v.replace(/\*/g, "x"));
            contexts = contexts.flatMap(c => concrete.map(v => ({ ...c, [key]: v })));
        }
    }
    return contexts.map(c => ({ action: action.replace(/\*$/, ""), resource: target, context: { "aws:RequestedRegion": region, ...tags, ...c } }));
}

/** What a grant on "*" is used on in the stack: its log group's streams, its repositories, or nothing nameable. */
function usedOn(action: string, resources: readonly RecordedResource[], region: string, account: string): string {
    if (action.startsWith("logs:")) return `${resources.find(r => r.type === TOKENS.cloudwatchLogGroup)?.outputs.arn}:log-stream:tls/1`;
    if (action.startsWith("ecr:") && !NO_RESOURCE.has(action)) {
        return resources.find(r => r.type === TOKENS.ecrRepository)?.outputs.arn ?? `arn:aws:ecr:${region}:${account}:repository/nginx`;
    }
    return "*";
}

/** A resource's tags as a map (an Auto Scaling group's list too). */
export function tagsOf(r: RecordedResource | undefined): Record<string, string> {
    const tags = r?.inputs.tags;
    if (Array.isArray(tags)) return Object.fromEntries(tags.map((t: { key: string; value: string }) => [t.key, t.value]));
    return tags && typeof tags === "object" ? tags : {};
}
