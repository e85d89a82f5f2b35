/**
 * A small evaluator of IAM policy documents, for the deployer-policy tests: enough of AWS's policy
 * evaluation logic to decide the requests the tests make, no more.
 *
 * - A request is an action on one resource with a request context (condition keys to values).
 * - An explicit Deny in any policy wins; otherwise an Allow is needed: in an identity policy (and,
 *   when the principal has a permissions boundary, in the boundary too), or in the resource's own
 *   policy for the principal
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * - A KMS key policy is the key's authority: the identity policies count only where the key policy
 *   allows the account (its root principal) for the action
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html).
 * - Action and NotAction take `*` and `?` wildcards, case-insensitively; Resource and NotResource
 *   match ARNs part by part, a wildcard never reaching across the colons of the first five parts
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 * - Condition: every operator of a block must hold, every key of an operator, any value of a key.
 *   A key absent from the request makes a positive operator false and a negated one (…Not…)
 *   true; `IfExists` makes a missing key true; Null tests presence; ForAllValues holds for an
 *   absent or empty key, ForAnyValue does not
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
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

const statements = (p: Policy) => list(p.Statement as Statement | readonly Statement[]);

/** The principal a resource policy statement names: "*", AWS ARNs (or account ids), services. */
function principalsOf(s: Statement): { any: boolean; aws: string[]; services: string[] } {
    if (s.Principal === "*") return { any: true, aws: [], services: [] };
    const p = (s.Principal ?? {}) as { AWS?: string | string[]; Service?: string | string[] };
    const aws = list(p.AWS).map(String);
    return { any: aws.includes("*"), aws, services: list(p.Service).map(String) };
}

export interface Caller {
    /** The principal's ARN as aws:PrincipalArn carries it (an assumed role: the role). */
    readonly arn: string;
    readonly account: string;
}

/** The account root ARN a resource policy names to mean "the account". */
const rootOf = (account: string) => `arn:aws:iam::${account}:root`;

export interface ResourcePolicy {
    readonly policy: Policy;
    /** A KMS key policy: the identity policies count only where it allows the account. */
    readonly kms?: boolean;
}

export type Decision = "allow" | "explicit deny" | "implicit deny";

export interface Access {
    readonly identity: readonly Policy[];
    /** The principal's permissions boundary, if it has one. */
    readonly boundary?: Policy;
    readonly resourcePolicy?: ResourcePolicy;
    readonly caller: Caller;
}

/** The decision on a request, with the Sids that decided it. */
export function evaluate(access: Access, req: Request): { decision: Decision; by: string[] } {
    const context = { "aws:PrincipalArn": access.caller.arn, "aws:PrincipalAccount": access.caller.account, ...req.context };
    const r: Request = { ...req, context };
    const applies = (p: Policy, effect: "Allow" | "Deny") => statements(p).filter(s => s.Effect === effect && statementApplies(s, r));
    const namesPrincipal = (s: Statement, accountCounts: boolean) => {
        const p = principalsOf(s);
        return p.any || p.aws.includes(access.caller.arn) || (accountCounts && (p.aws.includes(rootOf(access.caller.account)) || p.aws.includes(access.caller.account)));
    };
    const sids = (xs: Statement[]) => xs.map(s => s.Sid ?? "(no Sid)");

    const denies = [
        ...access.identity.flatMap(p => applies(p, "Deny")),
        ...(access.boundary ? applies(access.boundary, "Deny") : []),
        ...(access.resourcePolicy ? applies(access.resourcePolicy.policy, "Deny").filter(s => namesPrincipal(s, true)) : []),
    ];
    if (denies.length > 0) return { decision: "explicit deny", by: sids(denies) };

    const identityAllows = access.identity.flatMap(p => applies(p, "Allow"));
    const boundaryAllows = !access.boundary || applies(access.boundary, "Allow").length > 0;
    const identity = boundaryAllows ? identityAllows : [];
    if (access.resourcePolicy?.kms) {
        const keyAllows = applies(access.resourcePolicy.policy, "Allow");
        const direct = keyAllows.filter(s => namesPrincipal(s, false));
        if (direct.length > 0) return { decision: "allow", by: sids(direct) };
        const delegated = keyAllows.some(s => principalsOf(s).aws.some(a => a === rootOf(access.caller.account) || a === access.caller.account));
        return delegated && identity.length > 0 ? { decision: "allow", by: sids(identity) } : { decision: "implicit deny", by: [] };
    }
    const resource = access.resourcePolicy ? applies(access.resourcePolicy.policy, "Allow").filter(s => namesPrincipal(s, false)) : [];
    const allows = [...identity, ...resource];
    return allows.length > 0 ? { decision: "allow", by: sids(allows) } : { decision: "implicit deny", by: [] };
}
