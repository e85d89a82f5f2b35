/**
 * Which statements of a policy document explicitly deny a request: the part of IAM's evaluation
 * that no Allow anywhere can override ("an explicit deny in any policy overrides any allows",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), for
 * the resource and key policies this program writes. Modelled: Action and NotAction with `*` and
 * `?`, Principal "*", and the condition operators those policies use; `...IfExists` is not used
 * and anything else is an error, so a statement never passes by omission.
 */
export interface Request {
    /** `service:Action`. */
    readonly action: string;
    /** The caller's `aws:PrincipalArn`: a role ARN (not the session), a user ARN or the account root. */
    readonly principalArn: string;
    /** Other condition keys of the request, e.g. `{ "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" }`. */
    readonly context?: Readonly<Record<string, string>>;
}

interface Statement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: unknown;
    readonly Action?: string | string[];
    readonly NotAction?: string | string[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** The Sids (or indexes) of the Deny statements that apply to `request`. */
export function explicitDenies(document: { Statement: Statement[] }, request: Request): string[] {
    return document.Statement.flatMap((s, i) => s.Effect === "Deny" && applies(s, request) ? [s.Sid ?? String(i)] : []);
}

/** The Sids (or indexes) of the Allow statements whose principal is `principal` and whose action matches. */
export function allowsFor(document: { Statement: Statement[] }, principal: string, action: string): string[] {
    return document.Statement.flatMap((s, i) => s.Effect === "Allow"
        && [(s.Principal as any)?.AWS].flat().includes(principal) && actionMatches(s, action) ? [s.Sid ?? String(i)] : []);
}

function applies(s: Statement, request: Request): boolean {
    if (s.Principal !== "*" && JSON.stringify(s.Principal) !== JSON.stringify({ AWS: "*" })) {
        throw new Error(`explicit-deny: statement ${s.Sid}: only Principal "*" is modelled for Deny`);
    }
    return actionMatches(s, request.action) && conditionsHold(s, request);
}

function actionMatches(s: Statement, action: string): boolean {
    const list = (v: string | string[] | undefined) => v === undefined ? undefined : [v].flat();
    const actions = list(s.Action);
    const notActions = list(s.NotAction);
    if (actions) return actions.some(a => like(a, action, true));
    if (notActions) return !notActions.some(a => like(a, action, true));
    throw new Error(`explicit-deny: statement ${s.Sid} has neither Action nor NotAction`);
}

function conditionsHold(s: Statement, request: Request): boolean {
    const value = (key: string): string | undefined => key === "aws:PrincipalArn" ? request.principalArn : request.context?.[key];
    return Object.entries(s.Condition ?? {}).every(([operator, block]) => Object.entries(block).every(([key, expected]) => {
        const patterns = [expected].flat();
        const v = value(key);
        switch (operator) {
            // A negated operator holds when the key is absent (IAM user guide, condition operators).
            case "ArnNotLike": return v === undefined || !patterns.some(p => like(p, v, false));
            case "ArnLike": return v !== undefined && patterns.some(p => like(p, v, false));
            case "StringNotEquals": return v === undefined || !patterns.includes(v);
            case "StringEquals": return v !== undefined && patterns.includes(v);
            case "StringNotLike": return v === undefined || !patterns.some(p => like(p, v, false));
            case "StringLike": return v !== undefined && patterns.some(p => like(p, v, false));
            default: throw new Error(`explicit-deny: condition operator ${operator} is not modelled`);
        }
    }));
}

/** `*` and `?` wildcards over the whole string (actions case-insensitively, as IAM compares them). */
function like(pattern: string, value: string, caseInsensitive: boolean): boolean {
    const re = new RegExp(`^${pattern.split("").map(c => c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")).join("")}$`, caseInsensitive ? "i" : "");
    return re.test(value);
}
