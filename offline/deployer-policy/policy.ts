/**
 * The deploying role's least-privilege policy, derived from what the program registers and looks
 * up under mocks: every variant is run (offline/engine/run-program.ts), the type and function tokens it used
 * are mapped to actions (actions.ts), and the actions are grouped into statements scoped by ARN
 * pattern, by the physical-name prefixes Pulumi's auto-naming gives the stack's resources, and by
 * region.
 */
import type { ProgramRun, RecordedResource } from "../engine/recorded";
import { privateImageOverrides } from "../engine/run-program";
import { ANY_RESOURCE_ACTIONS, INVOKE_ACTIONS, RESOURCE_ACTIONS } from "./actions";
import { PARTNER_VARIANT_CSR } from "./partner-request";
import { FUNCTIONS, TOKENS } from "../../policies/shared/tokens";

/** The stacks and overrides whose union the policy covers: both stacks × both tiers × NAT or not. */
export interface Variant {
    readonly stack: string;
    readonly config: Record<string, string>;
}

export const STACKS = ["dev", "prod"] as const;

export function variants(stacks: readonly string[] = STACKS): Variant[] {
    const out: Variant[] = [];
    for (const stack of stacks) {
        for (const compute of ["asg", "ecs"]) {
            for (const natGateways of ["none", "single"]) {
                const config: Record<string, string> = { "e2e-tls:compute": compute, "e2e-tls:natGateways": natGateways };
                // ECS without NAT pulls only the account's private ECR images (config validation).
                if (compute === "ecs" && natGateways === "none") Object.assign(config, privateImageOverrides(stack));
                out.push({ stack, config });
            }
        }
        // A revoked serial adds the CRL object and the trust-store revocation (self-managed CA only);
        // a bring-your-own-key partner adds its certificate's SSM parameter and renewal rule.
        const partner = { "e2e-tls:mtlsClientCsrs": JSON.stringify([PARTNER_VARIANT_CSR]) };
        out.push({ stack, config: stack === "dev" ? { "e2e-tls:revokedSerials": JSON.stringify(["01"]), ...partner } : partner });
    }
    return out;
}

/** Where the policy applies. "*" leaves that part of every ARN open. */
export interface Scope {
    /** 12-digit account id, or "*". */
    readonly account: string;
    /** Region, e.g. "eu-west-1", or "*". */
    readonly region: string;
}

export const ANY_SCOPE: Scope = { account: "*", region: "*" };

export interface Statement {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Action: string[];
    readonly Resource: string | string[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: Statement[];
}

/** What the generator writes: one or more managed policies to attach to the deploying role. */
export interface DeployerPolicies {
    readonly description: string;
    readonly scope: Scope;
    readonly policies: { readonly PolicyName: string; readonly PolicyDocument: PolicyDocument }[];
}

/**
 * A customer managed policy holds at most 6,144 characters, whitespace not counted:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/**
 * Only the AWS provider calls AWS: @pulumi/tls works locally, and components and the stack are not
 * provider resources.
 */
export function callsAws(token: string): boolean {
    return token.startsWith("aws:");
}

/** AWS resource types the runs registered. */
export function resourceTypes(runs: readonly ProgramRun[]): string[] {
    return sorted(runs.flatMap(r => r.resources.filter(x => x.custom && callsAws(x.type)).map(x => x.type)));
}

/** AWS provider functions the runs invoked. */
export function invokeTokens(runs: readonly ProgramRun[]): string[] {
    return sorted(runs.flatMap(r => r.invokes.map(i => i.token).filter(callsAws)));
}

/** Tokens the runs used that have no entry in actions.ts. */
export function missingEntries(runs: readonly ProgramRun[]): { resourceTypes: string[]; invokes: string[] } {
    const types = resourceTypes(runs);
    const invokes = invokeTokens(runs);
    return {
        resourceTypes: [...types].filter(t => !(t in RESOURCE_ACTIONS)).sort(),
        invokes: [...invokes].filter(t => !(t in INVOKE_ACTIONS)).sort(),
    };
}

/** Services whose ARNs carry no region (their calls are all made in us-east-1 or are global). */
const GLOBAL_SERVICES = new Set(["iam", "route53", "s3", "sts"]);

/** Every ARN pattern a service's scoped actions may act on. */
function servicePatterns(service: string, s: Scope): string[] {
    const { account: a, region: r } = s;
    switch (service) {
        // AWS-owned resources a call names (AMIs with an empty account field, managed prefix lists
        // owned by "aws", endpoint services) are not in the deploying account: account left open.
        case "ec2": return [`arn:aws:ec2:${r}:*:*`];
        case "elasticloadbalancing": return [`arn:aws:elasticloadbalancing:${r}:${a}:*`];
        case "ecs": return [`arn:aws:ecs:${r}:${a}:*`];
        case "cloudwatch": return [`arn:aws:cloudwatch:${r}:${a}:alarm:*`];
        case "logs": return [`arn:aws:logs:${r}:${a}:log-group:*`];
        case "kms": return [`arn:aws:kms:${r}:${a}:key/*`, `arn:aws:kms:${r}:${a}:alias/*`];
        case "secretsmanager": return [`arn:aws:secretsmanager:${r}:${a}:secret:*`];
        case "acm": return [`arn:aws:acm:${r}:${a}:certificate/*`];
        case "acm-pca": return [`arn:aws:acm-pca:${r}:${a}:certificate-authority/*`];
        default: return [`arn:aws:${service}:${r}:${a}:*`];
    }
}

/** The physical name of a resource: the one the program set, or Pulumi's `<logical name>-<random>`. */
function namePattern(r: RecordedResource, property: string): string {
    const set = r.inputs[property];
    return typeof set === "string" && set !== "" ? set : `${r.name}-*`;
}

function sorted(xs: Iterable<string>): string[] {
    return [...new Set(xs)].sort();
}

function sid(text: string): string {
    return text.replace(/(^|[^A-Za-z0-9])([a-z])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, "");
}

/** The statements for the union of the runs. */
export function buildStatements(runs: readonly ProgramRun[], scope: Scope = ANY_SCOPE): Statement[] {
    const missing = missingEntries(runs);
    if (missing.resourceTypes.length + missing.invokes.length > 0) {
        throw new Error(`no deployer-policy entry in offline/deployer-policy/actions.ts for: ${[...missing.resourceTypes, ...missing.invokes].join(", ")}`);
    }
    const resources = runs.flatMap(r => r.resources.filter(x => x.custom));
    const ofType = (t: string) => resources.filter(x => x.type === t);
    const entries = [
        ...resourceTypes(runs).map(t => RESOURCE_ACTIONS[t]),
        ...invokeTokens(runs).map(t => INVOKE_ACTIONS[t]),
    ];
    const actions = new Set(entries.flatMap(e => e.actions));
    const linkedRoles = sorted(entries.flatMap(e => e.serviceLinkedRole ? [e.serviceLinkedRole] : []));
    const { account: a, region: r } = scope;
    const regionCondition = r === "*" ? undefined : { StringEquals: { "aws:RequestedRegion": r } };

    const roles = sorted(ofType(TOKENS.iamRole).map(x => `arn:aws:iam::${a}:role/${namePattern(x, "name")}`));
    const profiles = sorted(ofType(TOKENS.iamInstanceProfile).map(x => `arn:aws:iam::${a}:instance-profile/${namePattern(x, "name")}`));
    const buckets = sorted(ofType(TOKENS.s3Bucket).flatMap(x => {
        const arn = `arn:aws:s3:::${namePattern(x, "bucket")}`;
        return [arn, `${arn}/*`];
    }));
    const groups = sorted(ofType(TOKENS.autoscalingGroup).map(x =>
        `arn:aws:autoscaling:${r}:${a}:autoScalingGroup:*:autoScalingGroupName/${namePattern(x, "name")}`));
    const zones = sorted(ofType(TOKENS.route53Record).map(x => `arn:aws:route53:::hostedzone/${x.inputs.zoneId}`));
    const managedPolicies = sorted(ofType(TOKENS.iamRolePolicyAttachment).map(x => String(x.inputs.policyArn)));
    // The stack's own parameters (partners' certificates), by the path the program names them under,
    // so a partner added later needs no new policy; and the AMI parameters AWS publishes (no account).
    const ownParameters = sorted(ofType(TOKENS.ssmParameter).map(x =>
        `arn:aws:ssm:${r}:${a}:parameter${String(x.inputs.name).replace(/^\/?/, "/").replace(/\/[^/]*$/, "/*")}`));
    const parameters = sorted([
        ...runs.flatMap(run => run.invokes).filter(i => i.token === FUNCTIONS.getSsmParameter).map(i => `arn:aws:ssm:${r}::parameter${i.inputs.name}`),
        ...ownParameters,
    ]);

    const statements: Statement[] = [];
    const take = (pred: (action: string) => boolean): string[] => {
        const picked = sorted([...actions].filter(pred));
        picked.forEach(x => actions.delete(x));
        return picked;
    };
    const add = (name: string, list: string[], resource: string | string[], condition?: Statement["Condition"]) => {
        if (list.length === 0) return;
        statements.push({ Sid: sid(name), Effect: "Allow", Action: list, Resource: resource, ...(condition ? { Condition: condition } : {}) });
    };

    // IAM: only the stack's own roles and instance profiles; roles are passed only where the
    // program passes them, managed policies attached only from the list the program attaches.
    add("iam pass the stack roles", take(x => x === "iam:PassRole"), roles);
    add("iam attach the stack managed policies", take(x => x === "iam:AttachRolePolicy" || x === "iam:DetachRolePolicy"), roles,
        { ArnEquals: { "iam:PolicyARN": managedPolicies } });
    // getSessionContext reads the deploying role itself, whose name the stack does not know.
    add("iam read roles", take(x => x === "iam:GetRole"), `arn:aws:iam::${a}:role/*`);
    add("iam stack roles and instance profiles", take(x => x.startsWith("iam:")), [...roles, ...profiles]);
    if (linkedRoles.length > 0) {
        add("iam service linked roles", ["iam:CreateServiceLinkedRole"], `arn:aws:iam::${a}:role/aws-service-role/*`,
            { StringEquals: { "iam:AWSServiceName": linkedRoles } });
    }
    // The deployer encrypts and reads secret values only through Secrets Manager.
    add("kms secret values via secrets manager", take(x => x === "kms:GenerateDataKey" || x === "kms:Decrypt"),
        servicePatterns("kms", scope).slice(0, 1),
        r === "*" ? { StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" } }
            : { StringEquals: { "kms:ViaService": `secretsmanager.${r}.amazonaws.com` } });
    add("s3 stack buckets", take(x => x.startsWith("s3:")), buckets);
    add("autoscaling stack groups", take(x => x.startsWith("autoscaling:") && !ANY_RESOURCE_ACTIONS.has(x)), groups);
    add("route53 records", take(x => x.startsWith("route53:") && x !== "route53:GetChange"), zones);
    add("route53 changes", take(x => x === "route53:GetChange"), "arn:aws:route53:::change/*");
    add("ssm read parameters", take(x => x === "ssm:GetParameter"), parameters);
    add("ssm stack parameters", take(x => x.startsWith("ssm:") && !ANY_RESOURCE_ACTIONS.has(x)), ownParameters, regionCondition);

    const byService = new Map<string, string[]>();
    for (const action of sorted(actions)) {
        const service = action.split(":")[0];
        byService.set(service, [...(byService.get(service) ?? []), action]);
    }
    for (const [service, list] of byService) {
        const condition = GLOBAL_SERVICES.has(service) ? undefined : regionCondition;
        add(`${service} scoped`, list.filter(x => !ANY_RESOURCE_ACTIONS.has(x)), servicePatterns(service, scope), condition);
        add(`${service} any resource`, list.filter(x => ANY_RESOURCE_ACTIONS.has(x)), "*", condition);
    }
    return statements;
}

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

export function deployerPolicies(runs: readonly ProgramRun[], scope: Scope = ANY_SCOPE): DeployerPolicies {
    const docs = packPolicies(buildStatements(runs, scope));
    const stacks = sorted(runs.map(r => r.stack));
    return {
        description: `Least-privilege policies for the role that runs \`pulumi up\`, \`refresh\` and \`destroy\` on e2e-tls stacks ${stacks.join(", ")}: `
            + "generated by `npm run -s deployer-policy` from the resource types and look-ups the program uses (offline/deployer-policy/). "
            + "Attach every policy in the list. Regenerate, do not edit.",
        scope,
        policies: docs.map((doc, i) => ({ PolicyName: `e2e-tls-deployer-${i + 1}`, PolicyDocument: doc })),
    };
}
