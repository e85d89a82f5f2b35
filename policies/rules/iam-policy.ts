/**
 * Reading a resource policy (a KMS key policy, a Secrets Manager secret policy) for one question:
 * which statements let a principal outside the owner's account perform a given action. The IAM
 * JSON policy grammar (IAM user guide, "IAM JSON policy element reference" and "Grammar of the IAM
 * JSON policy language"): Statement is an object or an array; Action, NotAction, Resource and the
 * principal lists are a string or an array; `"Principal": "*"` and `{"AWS": "*"}` are everyone;
 * an Allow with NotPrincipal applies to everyone not listed; actions match case-insensitively with
 * `*` and `?` wildcards.
 *
 * Read to fail closed: element names match in any case, and an element given twice counts every
 * value (a second "Effect" or "Principal" can only widen what the statement is read to allow; a
 * Condition pins only if every copy of it pins).
 */
import { GoJson, isGoObject, parseGoJson, toPlain } from "./go-json";

/**
 * Condition keys that tie the caller to an account, organization or principal
 * (IAM user guide, "AWS global condition context keys"; kms:CallerAccount in the KMS developer
 * guide, "Condition keys for AWS KMS"). A statement conditioned on one of them with a positive
 * operator opens nothing beyond the values it names.
 */
const PINNING_KEYS = new Set([
    "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:principalarn", "aws:userid",
    "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourcearn", "aws:sourceowner", "kms:calleraccount",
]);

/**
 * Operators that hold only when the key is present and matches (IAM user guide, "IAM JSON policy
 * elements: Condition operators"). Not the `…IfExists` forms (true when the key is absent), nor
 * `ForAllValues:` (true for an absent or empty key), nor the negated ones.
 */
const POSITIVE_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"]);

/** Who a statement opens an action to, beyond the owner. */
export type Audience = { readonly kind: "anyone" } | { readonly kind: "accounts"; readonly accounts: readonly string[] };

/** A statement that opens an action beyond the owner, for the report. */
export interface OpenStatement {
    readonly index: number;
    readonly action: string;
    readonly audience: Audience;
    readonly statement: unknown;
}

/** The members of `o` named `name` in any case. */
function members(o: GoJson, name: string): GoJson[] {
    if (!isGoObject(o)) return [];
    return o.members.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

const strings = (v: GoJson): string[] => (typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** IAM's wildcard match, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    return re.test(action);
}

/** The account of an account id or an IAM ARN (`arn:aws:iam::123456789012:root`), or `undefined`. */
export function accountOf(principal: string): string | undefined {
    if (/^\d{12}$/.test(principal)) return principal;
    const account = principal.split(":")[4];
    return principal.startsWith("arn:") && /^\d{12}$/.test(account ?? "") ? account : undefined;
}

/** The principals of a statement: `anyone`, or the accounts named; service and federated principals name none. */
function principals(st: GoJson): Audience {
    const accounts: string[] = [];
    if (members(st, "NotPrincipal").length > 0) {
        return { kind: "anyone" };
    }
    for (const p of members(st, "Principal")) {
        if (p === "*") return { kind: "anyone" };
        for (const aws of members(p, "AWS")) {
            for (const v of strings(aws)) {
                if (v === "*") return { kind: "anyone" };
                const account = accountOf(v);
                if (account) accounts.push(account);
            }
        }
    }
    return { kind: "accounts", accounts: [...new Set(accounts)] };
}

/** The accounts a Condition ties callers to, `"any"` when it ties them to none, `"pinned"` when to an organization or a principal id. */
function conditionAccounts(condition: GoJson): string[] | "any" | "pinned" {
    let pinned: string[] | "pinned" | undefined;
    for (const [operator, block] of isGoObject(condition) ? condition.members : []) {
        const op = operator.toLowerCase().replace(/^foranyvalue:/, "");
        if (!POSITIVE_OPERATORS.has(op) || !isGoObject(block)) continue;
        for (const [key, values] of block.members) {
            const list = strings(values);
            if (!PINNING_KEYS.has(key.toLowerCase()) || list.length === 0) continue;
            const accounts = list.map((v) => accountOf(v));
            if (accounts.every((a) => a !== undefined)) {
                pinned = [...new Set([...(Array.isArray(pinned) ? pinned : []), ...(accounts as string[])])];
            } else if (list.every((v) => !/[*?]/.test(v.split(":")[4] ?? v))) {
                pinned ??= "pinned"; // an organization, an org path or a principal id without wildcards
            }
        }
    }
    return pinned ?? "any";
}

/**
 * The Allow statements of `policy` (a JSON string or object) that open one of `actions` to a
 * principal outside `own` (the owner's account, when known) and `trusted`. `undefined` when the
 * policy is not JSON (AWS refuses it).
 */
export function openStatements(policy: unknown, actions: readonly string[], own: string | undefined, trusted: readonly string[]): OpenStatement[] | undefined {
    const doc = typeof policy === "string" ? parseGoJson(policy) : parseGoJson(JSON.stringify(policy));
    if (doc === undefined) return undefined;
    const statements = members(doc, "Statement").flatMap((s) => (Array.isArray(s) ? s : [s]));
    const insider = (account: string) => account === own || trusted.includes(account);
    const out: OpenStatement[] = [];
    statements.forEach((st, index) => {
        if (!members(st, "Effect").some((e) => typeof e === "string" && e.toLowerCase() === "allow")) return;
        const conditions = members(st, "Condition").map(conditionAccounts);
        const pin = conditions.length > 0 && conditions.every((c) => c !== "any") ? conditions : undefined;
        let audience = principals(st);
        if (pin) {
            // Every copy of the Condition must hold: the caller's account is in each pinned list.
            const lists = pin.filter((c): c is string[] => Array.isArray(c));
            if (lists.length < pin.length && audience.kind === "anyone") return; // an organization or principal pin
            const allowed = lists.reduce<string[] | undefined>((acc, l) => (acc ? acc.filter((a) => l.includes(a)) : l), undefined) ?? [];
            audience = audience.kind === "anyone" ? { kind: "accounts", accounts: allowed } : { kind: "accounts", accounts: audience.accounts.filter((a) => lists.length === 0 || allowed.includes(a)) };
        }
        const outside = audience.kind === "anyone" ? audience : { kind: "accounts" as const, accounts: audience.accounts.filter((a) => !insider(a) && own !== undefined) };
        if (outside.kind === "accounts" && outside.accounts.length === 0) return;
        const allow = members(st, "Action").flatMap(strings);
        const notAllow = members(st, "NotAction").flatMap(strings);
        const hasNot = members(st, "NotAction").length > 0;
        const action = actions.find((a) => allow.some((p) => actionMatches(p, a)) || (hasNot && !notAllow.some((p) => actionMatches(p, a))));
        if (action) out.push({ index, action, audience: outside, statement: toPlain(st) });
    });
    return out;
}

/** `any principal of any account` / `account 111122223333`: the audience for a message. */
export function describeAudience(a: Audience): string {
    return a.kind === "anyone" ? "any principal of any account" : `${a.accounts.length === 1 ? "account" : "accounts"} ${a.accounts.join(", ")}`;
}
