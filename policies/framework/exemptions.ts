/**
 * Exemptions, decided only by whoever owns the pack's configuration. Every policy takes an
 * `exemptions` config key: a list of entries, each naming what it exempts, why, and until when.
 *
 * - What: `urn`, a resource's URN (exact, or with `*` wildcards after its stack and project), or
 *   `stack`, a project-qualified stack (`<project>/<stack>`). Both are matched against the URN the
 *   engine gives the resource, `urn:pulumi:<stack>::<project>::…`: the engine builds it from the
 *   stack and project it runs (a program chooses only the type, parent and name at the end), so
 *   the audited program cannot name itself into an exemption. A bare stack name (`dev`) is refused:
 *   it would match every project's `dev`. Nothing is read from the resource's own properties (a
 *   tag exemption let a team exempt itself by tagging its resources), nor from the stack's tags,
 *   which the stack's own team sets (`pulumi stack tag set`, `pulumi:tags`).
 *   @pulumi/policy 1.21 hands a policy no project or stack of its own: `ConfigureStack` carries
 *   them, but the policy server keeps only the stack tags (server.js `configureStack`); the URN is
 *   what each `Analyze` and `AnalyzeStack` request carries.
 * - Why: a `reason` of at least 10 characters, the shape of cdk-nag's `NagSuppressions`
 *   (`{ id, reason }`; cdk-nag README, "Suppressing a Rule").
 * - Until when: `expires`, an ISO date (`YYYY-MM-DD`), the last day (UTC) the entry applies. After
 *   it the entry stops applying: the finding is reported again at its own policy's level, and its
 *   message names the expired entry, so whoever reads the failed preview knows what to renew or fix.
 *
 * A finding an entry suppresses is never hidden: the framework reports it in the same response as
 * the check that suppressed it, as an advisory line under the name `policy-exemptions-applied`
 * (../rules/exemptions.ts declares that policy). The line cannot travel at the exempted policy's
 * own level (a mandatory policy may only report mandatory findings, which would fail the preview),
 * so it uses @pulumi/policy's object form of `reportViolation`, which sets the diagnostic's policy
 * name and level (pulumi/pulumi-policy sdk/nodejs/policy/server.ts `makeReportViolationFun`, since
 * v1.20.0; the pack pins 1.21.0). Because the line comes from the policy that applied the
 * exemption, nothing in the config can keep one without the other: disabling or exempting
 * `policy-exemptions-applied` changes nothing (the policy server never consults its level for
 * these lines), and disabling the exempted policy stops its findings and its exemptions alike.
 */
import { ReportViolation } from "@pulumi/policy";
import { describeResource } from "./messages";
import { Param, param } from "./config";
import { schemaErrors } from "./schema";

/** Shortest reason accepted, as cdk-nag requires of a suppression's reason. */
export const MIN_REASON_LENGTH = 10;

/**
 * A stack or project name as Pulumi allows it: alphanumerics, hyphens, underscores and periods
 * (pulumi/pulumi sdk/go/common/tokens `IsName`, `ValidateProjectName`; the backends' stack names).
 */
const NAME = "[A-Za-z0-9_.-]+";

/** `urn:pulumi:<stack>::<project>::<rest>`: stack and project literal, `*` wildcards in the rest only. */
export const URN_PATTERN = `^urn:pulumi:${NAME}::${NAME}::[^\\s]+$`;

/** `<project>/<stack>`: a bare stack name would match every project's stack of that name. */
export const STACK_PATTERN = `^${NAME}/${NAME}$`;

/** One exemption entry of a policy's config. */
export interface Exemption {
    /** A resource's URN (`urn:pulumi:<stack>::<project>::<type>::<name>`), exact or with `*` after the project. */
    readonly urn?: string;
    /** A project-qualified stack, `<project>/<stack>`. */
    readonly stack?: string;
    /** Why the finding is accepted: who reviewed it, which ticket. */
    readonly reason: string;
    /** The last day the entry applies, `YYYY-MM-DD` (UTC). */
    readonly expires: string;
}

/** The `exemptions` key every policy declares (default: none). */
export const EXEMPTIONS_KEY = "exemptions";

export const exemptionsParam: Param<Exemption[]> = param<Exemption[]>([], {
    type: "array",
    description: "Reviewed exceptions, decided by the owner of this config: each entry names exactly one of urn (exact, or with * after " +
        "the stack and project) or stack (\"<project>/<stack>\"), a reason (at least " + `${MIN_REASON_LENGTH} characters) and expires ` +
        "(YYYY-MM-DD, the last day it applies). Each suppressed finding is reported as an advisory policy-exemptions-applied line; " +
        "after its expiry the finding is reported again, naming the expired entry.",
    items: {
        type: "object",
        additionalProperties: false,
        required: ["reason", "expires"],
        minProperties: 3,
        maxProperties: 3,
        properties: {
            urn: { type: "string", pattern: URN_PATTERN },
            stack: { type: "string", pattern: STACK_PATTERN },
            reason: { type: "string", minLength: MIN_REASON_LENGTH },
            expires: { type: "string", format: "date" },
        },
    },
});

/** `urn:pulumi:<stack>::<project>::…` → `<project>/<stack>`, or `undefined` for anything else. */
function projectStackOf(urn: string): string | undefined {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    return m ? `${m[2]}/${m[1]}` : undefined;
}

/** Today in UTC, `YYYY-MM-DD`: the date an entry's `expires` is compared with. */
export function todayUtc(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

/**
 * True when `entry` is what the config schema accepts (exactly one selector of the right form, a
 * reason, a real expiry date: `exemptionsParam`), with a reason that is not mostly spaces. A config
 * that skipped the CLI's check exempts nothing with a malformed entry.
 */
function wellFormed(e: unknown): e is Exemption {
    return schemaErrors(exemptionsParam.schema.items as Record<string, any>, e, "").length === 0 &&
        (e as Exemption).reason.trim().length >= MIN_REASON_LENGTH;
}

/** An exact URN, or a pattern whose `*` matches any run of characters. */
function urnMatches(pattern: string, urn: string): boolean {
    if (!pattern.includes("*")) {
        return pattern === urn;
    }
    const re = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${re}$`, "s").test(urn);
}

/** `urn …` or `stack "shop/dev"`: how a message names the entry. */
export function describeSelector(e: Exemption): string {
    return e.urn !== undefined ? `urn ${e.urn}` : `stack "${e.stack}"`;
}

/** What the entries of a policy decide for one resource. */
export type ExemptionDecision =
    /** An entry in force suppresses the finding. */
    | { readonly applies: Exemption; readonly expired?: undefined }
    /** Only expired entries match: the finding is reported, naming the entry. */
    | { readonly applies?: undefined; readonly expired: Exemption }
    | undefined;

/**
 * What `entries` decide for the resource of `urn` on `today` (UTC, `YYYY-MM-DD`): the first entry
 * in force that matches, else the first expired one that matches. Fails closed: a malformed entry
 * never matches.
 */
export function matchExemption(entries: unknown, urn: string, today: string = todayUtc()): ExemptionDecision {
    if (!Array.isArray(entries)) return undefined;
    const projectStack = projectStackOf(urn);
    let expired: Exemption | undefined;
    for (const entry of entries) {
        if (!wellFormed(entry)) continue;
        const hit = entry.urn !== undefined ? urnMatches(entry.urn, urn) : projectStack !== undefined && entry.stack === projectStack;
        if (!hit) continue;
        if (entry.expires >= today) return { applies: entry };
        expired ??= entry;
    }
    return expired ? { expired } : undefined;
}

/** The name, description and severity of the advisory lines that list applied exemptions. */
export const EXEMPTIONS_REPORT = {
    name: "policy-exemptions-applied",
    description: "Lists every finding of this pack that an exemptions entry (by URN or project-qualified stack, with a reason and an expiry) suppressed, " +
        "the way cdk-nag reports its NagSuppressions. Advisory: an exemption is a reviewed decision, so it is shown, never enforced. " +
        "Each line is reported by the policy that applied the exemption, in the same response as its check, so neither this policy's level nor an " +
        "exemption of it can hide one (@pulumi/policy's reportViolation object form sets the line's policy name and level).",
    severity: "low",
} as const;

/** A finding an exemption suppressed. */
export interface AppliedExemption {
    readonly policy: string;
    readonly resource: { readonly type: string; readonly name: string; readonly urn: string };
    readonly exemption: Exemption;
    /** The suppressed message, as the policy would have reported it. */
    readonly message: string;
}

/** The prefix of every exemption line, for readers of the diagnostics (offline report, SARIF). */
export const EXEMPTED_PREFIX = "exempted: ";

/** `exempted: <policy> on Listener "web" by stack "shop/dev" until 2027-06-30: <reason> Suppressed: <message>` */
export function exemptionMessage(a: AppliedExemption): string {
    return `${EXEMPTED_PREFIX}${a.policy} on ${describeResource(a.resource)} by ${describeSelector(a.exemption)} until ${a.exemption.expires}: ` +
        `${a.exemption.reason.trim()} Suppressed: ${a.message}`;
}

/** A finding an expired entry no longer suppresses, naming the entry. */
export function expiredMessage(message: string, e: Exemption): string {
    return `${message}\nThe exemption by ${describeSelector(e)} expired on ${e.expires} ("${e.reason.trim()}"): ` +
        "the finding applies again; fix it, or have the owner of the pack's config renew the entry with a new expiry.";
}

/**
 * Reports an applied exemption as an advisory `policy-exemptions-applied` line, through the policy
 * that applied it (see the module comment). The message starts with the description, as the string
 * form of `reportViolation` writes every other diagnostic.
 */
export function reportExemption(reportViolation: ReportViolation, a: AppliedExemption): void {
    const line = {
        name: EXEMPTIONS_REPORT.name,
        description: EXEMPTIONS_REPORT.description,
        message: `${EXEMPTIONS_REPORT.description}\n${exemptionMessage(a)}`,
        urn: a.resource.urn,
        enforcementLevel: "advisory",
        severity: EXEMPTIONS_REPORT.severity,
    };
    // The SDK's type names only the string form; the object form is implemented and tested upstream (server.spec.ts).
    (reportViolation as unknown as (args: typeof line) => void)(line);
}

/**
 * How a policy's finding about `resource` goes out, once `decision` is taken: an entry in force
 * suppresses it and reports it as an advisory line, an expired one lets it through naming the
 * entry, and without an entry it goes out as it is. Resource and stack rules both send through it.
 */
export function findingSender(policy: string, decision: ExemptionDecision, resource: AppliedExemption["resource"],
    reportViolation: ReportViolation): (message: string) => void {
    if (decision?.applies) {
        const exemption = decision.applies;
        return (message) => reportExemption(reportViolation, { policy, resource, exemption, message });
    }
    const expired = decision?.expired;
    return expired
        ? (message) => reportViolation(expiredMessage(message, expired), resource.urn)
        : (message) => reportViolation(message, resource.urn);
}

/**
 * The policy, selector, expiry and reason an exemption line names (the SDK puts the description
 * on the line before), or `undefined` for any other message.
 */
export function parseExemptionMessage(message: string): { policy: string; selector: string; expires: string; reason: string } | undefined {
    const m = /^exempted: (\S+) on .+? by (urn \S+|stack "[^"]*") until (\d{4}-\d{2}-\d{2}): (.*?) Suppressed: /m.exec(message);
    return m ? { policy: m[1], selector: m[2], expires: m[3], reason: m[4] } : undefined;
}
