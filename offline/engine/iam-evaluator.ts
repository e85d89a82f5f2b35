/**
 * An evaluator of IAM policy documents: enough of AWS's policy evaluation logic to decide the
 * requests the tests make of the policies this project writes or generates (the deploying role's
 * policies and the roles' boundary, offline/deployer-policy/; the secrets' resource policies and the
 * KMS key policies, components/), no more. One evaluator for every suite that judges a policy.
 *
 * - A request is an action on one resource by one caller (an IAM principal, or an AWS service
 *   principal), with a request context (condition keys to values).
 * - An explicit Deny in any policy that applies wins over every Allow ("an explicit deny in any
 *   policy overrides any allows"); otherwise an Allow is needed: in an identity policy (and, when
 *   the principal has a permissions boundary, in the boundary too), or in the resource's own policy
 *   for the principal
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * - A KMS key policy is the key's authority: the identity policies count only where the key policy
 *   allows the account (its root principal) for the action
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html).
 * - Principal: "*" (or AWS "*") is everyone, AWS services included; AWS names ARNs or account ids
 *   (the root ARN and the account id mean the account); Service names service principals
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 * - Action and NotAction take `*` and `?` wildcards, case-insensitively; Resource and NotResource
 *   match ARNs part by part, a wildcard never reaching across the colons of the first five parts
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 * - Condition: every operator of a block must hold, every key of an operator, any value of a key.
 *   A key absent from the request makes a positive operator false and a negated one (…Not…)
 *   true; `IfExists` makes a missing key true; Null tests presence; ForAllValues holds for an
 *   absent or empty key, ForAnyValue does not
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
 *   An operator it does not know is an error, so a statement never passes or fails by omission.
 */

export type ContextValue = string | boolean | readonly string[];

export interface Request {
    readonly action: string;
    readonly resource: string;
    /** Condition keys (any case) to values; a multi-valued key is an array. */
    readonly context: Readonly<Record<string, ContextValue | undefined>>;
}

export interface Statement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: unknown;
    readonly Action?: string | readonly string[];
    readonly NotAction?: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly NotResource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface Policy {
    readonly Statement: readonly Statement[] | Statement;
}

const list = <T>(v: T | readonly T[] | undefined): readonly T[] => v === undefined ? [] : Array.isArray(v) ? v as readonly T[] : [v as T];

/** `*` and `?` as IAM reads them in a string, anchored. */
function glob(pattern: string, value: string, caseInsensitive = false): boolean {
    const re = new RegExp(`^${pattern.split("").map(c => c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")).join("")}$`, caseInsensitive ? "is" : "s");
    return re.test(value);
}

/** An ARN pattern against an ARN: the first five parts one by one, the resource part whole. */
export function arnMatches(pattern: string, arn: string): boolean {
    if (pattern === "*") return true;
    const split = (s: string) => {
        const parts = s.split(":");
        return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
    };
    const p = split(pattern);
    const a = split(arn);
    if (!p || !a) return glob(pattern, arn);
    return p.every((part, i) => glob(part, a[i]));
}

function actionMatches(pattern: string, action: string): boolean {
    return glob(pattern, action, true);
}

function lookup(context: Request["context"], key: string): ContextValue | undefined {
    const found = Object.keys(context).find(k => k.toLowerCase() === key.toLowerCase());
    return found === undefined ? undefined : context[found];
}

type Compare = (policyValue: string, requestValue: string) => boolean;

const COMPARE: Record<string, Compare> = {
    StringEquals: (p, v) => p === v,
    StringLike: (p, v) => glob(p, v),
    StringEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
    ArnEquals: (p, v) => p === v,
    ArnLike: (p, v) => arnMatches(p, v),
    Bool: (p, v) => p.toLowerCase() === v.toLowerCase(),
};

/** One operator of a Condition block, for one key. */
export function conditionHolds(operator: string, key: string, values: unknown, context: Request["context"]): boolean {
    const policyValues = list(values as string | readonly string[]).map(String);
    const present = lookup(context, key);
    if (operator === "Null") {
        const absent = present === undefined || (Array.isArray(present) && present.length === 0);
        return policyValues.some(v => (v === "true") === absent);
    }
    let op = operator;
    let set: "ForAllValues" | "ForAnyValue" | undefined;
    if (op.startsWith("ForAllValues:")) { set = "ForAllValues"; op = op.slice("ForAllValues:".length); }
    if (op.startsWith("ForAnyValue:")) { set = "ForAnyValue"; op = op.slice("ForAnyValue:".length); }
    const ifExists = op.endsWith("IfExists");
    if (ifExists) op = op.slice(0, -"IfExists".length);
    const negated = /^(String|Arn|Numeric|Date)Not/.test(op);
    const base = negated ? op.replace("Not", "") : op;
    const compare = COMPARE[base];
    if (!compare) throw new Error(`the evaluator does not know the condition operator ${operator}`);
    const requestValues = present === undefined ? [] : list(present as string | readonly string[]).map(String);
    if (set === "ForAllValues") {
        return requestValues.every(v => policyValues.some(p => compare(p, v)) !== negated);
    }
    if (set === "ForAnyValue") {
        return requestValues.some(v => policyValues.some(p => compare(p, v)) !== negated);
    }
    if (present === undefined) return ifExists || negated;
    const matched = requestValues.some(v => policyValues.some(p => compare(p, v)));
    return negated ? !matched : matched;
}

/** Whether a statement applies to a request (the principal not considered). */
export function statementApplies(s: Statement, req: Request): boolean {
    if (s.Action === undefined && s.NotAction === undefined) throw new Error(`statement ${s.Sid ?? "(no Sid)"} has neither Action nor NotAction`);
    const actions = s.Action !== undefined ? list(s.Action).some(a => actionMatches(a, req.action)) : !list(s.NotAction).some(a => actionMatches(a, req.action));
    if (!actions) return false;
    const resources = s.Resource !== undefined ? list(s.Resource).some(r => arnMatches(r, req.resource))
        : s.NotResource !== undefined ? !list(s.NotResource).some(r => arnMatches(r, req.resource)) : true;
    if (!resources) return false;
    for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
        for (const [key, values] of Object.entries(keys)) {
            if (!conditionHolds(operator, key, values, req.context)) return false;
        }
    }
    return true;
}

export const statementsOf = (p: Policy): readonly Statement[] => list(p.Statement as Statement | readonly Statement[]);

/** The principal a resource policy statement names: "*", AWS ARNs (or account ids), services. */
function principalsOf(s: Statement): { any: boolean; aws: string[]; services: string[] } {
    if (s.Principal === "*") return { any: true, aws: [], services: [] };
    const p = (s.Principal ?? {}) as { AWS?: string | string[]; Service?: string | string[] };
    const aws = list(p.AWS).map(String);
    return { any: aws.includes("*"), aws, services: list(p.Service).map(String) };
}

/** Who makes a request: an IAM principal (its ARN) or an AWS service principal. */
export interface Caller {
    /** The principal's ARN as aws:PrincipalArn carries it (an assumed role: the role). Unset for a service principal. */
    readonly arn?: string;
    /** An AWS service principal, e.g. "events.amazonaws.com", calling on its own behalf. */
    readonly service?: string;
    /** The caller's account (a service principal: the account it acts for, aws:SourceAccount). */
    readonly account: string;
}

/** The account root ARN a resource policy names to mean "the account". */
const rootOf = (account: string) => `arn:aws:iam::${account}:root`;

/** Whether a resource-policy statement's Principal names the caller; `accountCounts`: naming its account names it. */
function namesCaller(s: Statement, caller: Caller, accountCounts: boolean): boolean {
    const p = principalsOf(s);
    if (p.any) return true;
    if (caller.service !== undefined) return p.services.includes(caller.service);
    return (caller.arn !== undefined && p.aws.includes(caller.arn))
        || (accountCounts && (p.aws.includes(rootOf(caller.account)) || p.aws.includes(caller.account)));
}

/** The request as IAM sees it: the caller's own keys added to the context. */
function withCaller(caller: Caller, req: Request): Request {
    const own = caller.service !== undefined
        ? { "aws:PrincipalServiceName": caller.service }
        : { "aws:PrincipalArn": caller.arn, "aws:PrincipalAccount": caller.account };
    return { ...req, context: { ...own, ...req.context } };
}

export interface ResourcePolicy {
    readonly policy: Policy;
    /** A KMS key policy: the identity policies count only where it allows the account. */
    readonly kms?: boolean;
}

export type Decision = "allow" | "explicit deny" | "implicit deny";

export interface Access {
    /** The caller's identity policies (none for a service principal). */
    readonly identity: readonly Policy[];
    /** The principal's permissions boundary, if it has one. */
    readonly boundary?: Policy;
    readonly resourcePolicy?: ResourcePolicy;
    readonly caller: Caller;
}

/**
 * The Sids of the Deny statements of `policy` that apply to `req` made by `caller`: a resource
 * policy's only when its Principal names the caller (as in `evaluate`).
 */
export function explicitDenies(policy: Policy, req: Request, caller: Caller): string[] {
    const r = withCaller(caller, req);
    return statementsOf(policy).filter(s => s.Effect === "Deny" && (s.Principal === undefined || namesCaller(s, caller, true)) && statementApplies(s, r))
        .map(s => s.Sid ?? "(no Sid)");
}

/** The Sids of the Allow statements of a resource policy that name `caller` itself (not its account) and apply to `req`. */
export function directAllows(policy: Policy, req: Request, caller: Caller): string[] {
    const r = withCaller(caller, req);
    return statementsOf(policy).filter(s => s.Effect === "Allow" && namesCaller(s, caller, false) && statementApplies(s, r))
        .map(s => s.Sid ?? "(no Sid)");
}

/** The decision on a request, with the Sids that decided it. */
export function evaluate(access: Access, req: Request): { decision: Decision; by: string[] } {
    const { caller } = access;
    const r = withCaller(caller, req);
    const applies = (p: Policy, effect: "Allow" | "Deny") => statementsOf(p).filter(s => s.Effect === effect && statementApplies(s, r));
    const sids = (xs: readonly Statement[]) => xs.map(s => s.Sid ?? "(no Sid)");

    const denies = [
        ...access.identity.flatMap(p => applies(p, "Deny")),
        ...(access.boundary ? applies(access.boundary, "Deny") : []),
        ...(access.resourcePolicy ? applies(access.resourcePolicy.policy, "Deny").filter(s => namesCaller(s, caller, true)) : []),
    ];
    if (denies.length > 0) return { decision: "explicit deny", by: sids(denies) };

    const identityAllows = access.identity.flatMap(p => applies(p, "Allow"));
    const boundaryAllows = !access.boundary || applies(access.boundary, "Allow").length > 0;
    const identity = boundaryAllows ? identityAllows : [];
    if (access.resourcePolicy?.kms) {
        const keyAllows = applies(access.resourcePolicy.policy, "Allow");
        const direct = keyAllows.filter(s => namesCaller(s, caller, false));
        if (direct.length > 0) return { decision: "allow", by: sids(direct) };
        const delegated = caller.service === undefined
            && keyAllows.some(s => principalsOf(s).aws.some(a => a === rootOf(caller.account) || a === caller.account));
        return delegated && identity.length > 0 ? { decision: "allow", by: sids(identity) } : { decision: "implicit deny", by: [] };
    }
    const resource = access.resourcePolicy ? applies(access.resourcePolicy.policy, "Allow").filter(s => namesCaller(s, caller, false)) : [];
    const allows = [...identity, ...resource];
    return allows.length > 0 ? { decision: "allow", by: sids(allows) } : { decision: "implicit deny", by: [] };
}
