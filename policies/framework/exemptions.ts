/**
 * Exemptions with reasons: every policy takes an `exemptions` config key, a list of entries that
 * each name exactly one selector (a resource URN, a stack, or a tag) and a reason, the shape of
 * cdk-nag's `NagSuppressions` (`{ id, reason }`, reason at least 10 characters; cdk-nag README,
 * "Suppressing a Rule"). A URN names project and stack, so it cannot collide across stacks the way
 * a logical name does.
 *
 * A finding an exemption suppresses is not dropped silently: it is recorded here while the pack
 * analyses the stack, and the advisory policy `policy-exemptions-applied` (last of the pack)
 * reports each one with its reason at `AnalyzeStack`, which the engine calls once after every
 * resource's `Analyze` in the same analyzer process. The exempted finding cannot be re-sent at
 * its own policy's level (a mandatory policy can only report mandatory findings), so the reason
 * shows as an advisory line that never fails a preview.
 */
import { describeResource } from "./messages";
import { Param, param } from "./config";

/** The selectors an exemption can name, in the order a message names them. */
export const EXEMPTION_SELECTORS = ["urn", "stack", "tag"] as const;
export type ExemptionSelector = (typeof EXEMPTION_SELECTORS)[number];

/** Shortest reason accepted, as cdk-nag requires of a suppression's reason. */
export const MIN_REASON_LENGTH = 10;

/** One exemption entry of a policy's config. */
export interface Exemption {
    /** A resource's full URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
    readonly urn?: string;
    /** A stack name (`dev`), or `<project>/<stack>`. */
    readonly stack?: string;
    /** A tag `key`, with `value` when only that value exempts (read from `tags`, map or list form). */
    readonly tag?: { readonly key: string; readonly value?: string };
    /** Why the finding is accepted: who reviewed it, until when. */
    readonly reason: string;
}

/** The `exemptions` key every policy declares (default: none). */
export const EXEMPTIONS_KEY = "exemptions";

export const exemptionsParam: Param<Exemption[]> = param<Exemption[]>([], {
    type: "array",
    description: "Reviewed exceptions: each entry names exactly one of urn, stack or tag, and a reason " +
        `(at least ${MIN_REASON_LENGTH} characters) that the report prints.`,
    items: {
        type: "object",
        additionalProperties: false,
        required: ["reason"],
        minProperties: 2,
        maxProperties: 2,
        properties: {
            urn: { type: "string", pattern: "^urn:pulumi:" },
            stack: { type: "string", minLength: 1 },
            tag: {
                type: "object",
                additionalProperties: false,
                required: ["key"],
                properties: { key: { type: "string", minLength: 1 }, value: { type: "string" } },
            },
            reason: { type: "string", minLength: MIN_REASON_LENGTH },
        },
    },
});

/** What an exemption is matched against. */
export interface Subject {
    readonly urn: string;
    readonly props?: Record<string, any>;
}

/** `urn:pulumi:<stack>::<project>::…` → stack and project. */
function stackOf(urn: string): { stack: string; project: string } {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    return { stack: m?.[1] ?? "", project: m?.[2] ?? "" };
}

/** The resource's tags as a map: `tags` as a map (aws) or a list of `{key, value}` (aws-native). */
function tagsOf(props: Record<string, any> | undefined): Map<string, unknown> {
    const tags = props?.tags;
    if (Array.isArray(tags)) {
        return new Map(tags.filter((t) => t && typeof t === "object").map((t) => [t.key ?? t.Key, t.value ?? t.Value]));
    }
    return tags && typeof tags === "object" ? new Map(Object.entries(tags)) : new Map();
}

/** The one selector of a well-formed entry, or `undefined` (a malformed entry exempts nothing). */
function selectorOf(e: unknown): ExemptionSelector | undefined {
    if (!e || typeof e !== "object") return undefined;
    const entry = e as Record<string, unknown>;
    const named = EXEMPTION_SELECTORS.filter((s) => entry[s] !== undefined);
    const reasoned = typeof entry.reason === "string" && entry.reason.trim().length >= MIN_REASON_LENGTH;
    return named.length === 1 && reasoned ? named[0] : undefined;
}

/** `urn …`, `stack "dev"`, `tag owner=platform`: how a message names the entry. */
export function describeSelector(e: Exemption): string {
    if (e.urn !== undefined) return `urn ${e.urn}`;
    if (e.stack !== undefined) return `stack "${e.stack}"`;
    return e.tag!.value === undefined ? `tag ${e.tag!.key}` : `tag ${e.tag!.key}=${e.tag!.value}`;
}

/** The first entry of `entries` that exempts `subject`. Fails closed: malformed entries never match. */
export function matchExemption(entries: unknown, subject: Subject): Exemption | undefined {
    if (!Array.isArray(entries)) return undefined;
    const { stack, project } = stackOf(subject.urn);
    for (const entry of entries) {
        const selector = selectorOf(entry);
        const e = entry as Exemption;
        if (selector === "urn" && e.urn === subject.urn) return e;
        if (selector === "stack" && (e.stack === stack || e.stack === `${project}/${stack}`)) return e;
        if (selector === "tag" && e.tag && typeof e.tag.key === "string") {
            const tags = tagsOf(subject.props);
            if (tags.has(e.tag.key) && (e.tag.value === undefined || tags.get(e.tag.key) === e.tag.value)) return e;
        }
    }
    return undefined;
}

/** A finding an exemption suppressed. */
export interface AppliedExemption {
    readonly policy: string;
    readonly resource: { readonly type: string; readonly name: string; readonly urn: string };
    readonly exemption: Exemption;
    /** The suppressed message, as the policy would have reported it. */
    readonly message: string;
}

const applied = new Map<string, AppliedExemption>();

/** Records a suppressed finding (once, however often the engine asks). */
export function recordExemption(a: AppliedExemption): void {
    applied.set(`${a.policy}\u0000${a.resource.urn}\u0000${a.message}`, a);
}

/** The findings suppressed since the last call, in the order they were found; clears the record. */
export function takeExemptions(): AppliedExemption[] {
    const all = [...applied.values()];
    applied.clear();
    return all;
}

/** The prefix of every exemption message, for readers of the diagnostics (offline report, SARIF). */
export const EXEMPTED_PREFIX = "exempted: ";

/** `exempted: <policy> on Listener "web" by stack "dev": <reason>. Suppressed: <message>` */
export function exemptionMessage(a: AppliedExemption): string {
    return `${EXEMPTED_PREFIX}${a.policy} on ${describeResource(a.resource)} by ${describeSelector(a.exemption)}: ` +
        `${a.exemption.reason.trim()} Suppressed: ${a.message}`;
}

/**
 * The policy, selector and reason an exemption message names (the SDK puts the policy's
 * description on the line before), or `undefined` for any other message.
 */
export function parseExemptionMessage(message: string): { policy: string; selector: string; reason: string } | undefined {
    const m = /^exempted: (\S+) on .+? by (urn \S+|stack "[^"]*"|tag \S+): (.*?) Suppressed: /m.exec(message);
    return m ? { policy: m[1], selector: m[2], reason: m[3] } : undefined;
}
