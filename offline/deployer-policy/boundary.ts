/**
 * The permissions boundary of every role the stack creates: the most any of them can do, whatever
 * inline policy the deploying role writes on it. Derived from the runs: the actions are those the
 * program grants its roles (their inline policies, and the AWS managed policies it attaches,
 * MANAGED_POLICY_ACTIONS); where each may act comes from one rule per service (BOUNDARY_RULES),
 * scoped to the stack's account and region, its tagged secrets and its log groups. A role grant of
 * a service without a rule, or of a managed policy without its actions here, stops the generator.
 *
 * An administrator creates this policy before the first `pulumi up`; the deploying role may not
 * change it (policy.ts denies it) and may write roles only with it as their boundary.
 */
import type { ProgramRun, RecordedResource } from "../engine/recorded";
import type { PolicyDocument, Scope, Statement } from "./policy";
import { TAG } from "../../policies/shared/tags";
import { TOKENS } from "../../policies/shared/tokens";

/**
 * The actions of the AWS managed policies the program attaches to its roles (each one statement,
 * Resource "*"), from the AWS managed policy reference.
 */
export const MANAGED_POLICY_ACTIONS: Readonly<Record<string, { readonly actions: readonly string[]; readonly source: string }>> = {
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

/** Where, per service, a role of the stack may act. */
export const BOUNDARY_RULES: Readonly<Record<string, (scope: Scope, runs: readonly ProgramRun[]) => Pick<Statement, "Resource" | "Condition">>> = {
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
        Resource: [...new Set(runs.flatMap(run => run.resources.filter(x => x.type === TOKENS.cloudwatchLogGroup))
            .flatMap(x => {
                const group = `arn:aws:logs:${s.region}:${s.account}:log-group:${typeof x.inputs.name === "string" ? x.inputs.name : `${x.name}-*`}`;
                return [group, `${group}:*`];
            }))].sort(),
    }),
    // Images of the account's registry in the stack's region (the pull-through cache's and the
    // private images ECS runs without NAT).
    ecr: (s) => ({ Resource: `arn:aws:ecr:${s.region}:${s.account}:repository/*` }),
    // The Systems Manager agent's own calls (Session Manager); they name no stack resource.
    ssm: () => ({ Resource: "*" }),
    ssmmessages: () => ({ Resource: "*" }),
    ec2messages: () => ({ Resource: "*" }),
};

/** The boundary policy document for the runs of one stack. */
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
        const scoped = [...set].filter(a => !NO_RESOURCE.has(a)).sort();
        const anywhere = [...set].filter(a => NO_RESOURCE.has(a)).sort();
        const name = service.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
        if (scoped.length > 0) statements.push({ Sid: `StackRoles${name}`, Effect: "Allow", Action: scoped, Resource: rule.Resource, ...(rule.Condition ? { Condition: rule.Condition } : {}) });
        if (anywhere.length > 0) statements.push({ Sid: `StackRoles${name}AnyResource`, Effect: "Allow", Action: anywhere, Resource: "*" });
    }
    return { Version: "2012-10-17", Statement: statements };
}
