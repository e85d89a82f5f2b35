/**
 * The findings of a real `pulumi preview --policy-pack` (or `pulumi policy analyze`), read from the
 * engine events the Pulumi CLI prints as JSON, into the offline report's {@link PolicyReport}, so
 * the same SARIF writer (sarif.ts) and Markdown (markdown.ts) serve the real run and the offline one.
 *
 * What the CLI prints (pulumi/pulumi at v3.248.0):
 * - `pulumi preview --json` prints one digest at the end, and leaves policy events out of it
 *   (pkg/backend/display/json.go, ShowPreviewDigest: policy events are skipped "at this point in
 *   time"). With `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true` it prints the engine's event stream
 *   instead, one JSON object per line (the flag's help, pulumi.com/docs/iac/cli/commands/pulumi_preview:
 *   "Set PULUMI_ENABLE_STREAMING_JSON_PREVIEW to stream JSON events instead"; pkg/backend/display/display.go).
 * - `pulumi policy analyze --json` prints the same events for a stack's current state
 *   (pkg/cmd/pulumi/policy/policy_analyze.go; pulumi.com/docs/iac/cli/commands/pulumi_policy_analyze).
 * Each line is an `apitype.EngineEvent` (sdk/go/common/apitype/events.go): `sequence`, `timestamp`
 * and one payload. This module reads three of them:
 * - `policyEvent`: `resourceUrn` (absent for a stack policy's finding without a resource),
 *   `message` (the pack's message; the preview wraps it in colour directives such as `<{%reset%}>`
 *   unless run with `--color never`), `policyName`, `policyPackName`, `policyPackVersion`,
 *   `enforcementLevel` (`advisory` or `mandatory`; remediate is reported as mandatory), `severity`;
 * - `policyRemediationEvent`: `resourceUrn`, `policyName`, `policyPackName`;
 * - `policyAnalyzeSummaryEvent` / `policyAnalyzeStackSummaryEvent`: `policyPackName`, `passed` and
 *   `failed` policy names, from which the evaluated policies are counted;
 * - `diagnosticEvent` with `severity: "error"`: what failed the run besides the policies;
 * - `summaryEvent`: `result` (`succeeded`, `failed`, `canceled`) and `PolicyPacks` (name → version,
 *   PascalCase in the JSON for compatibility, as events.go says). A stream without it was cut short.
 * The shapes match the CLI's own recorded streams (pkg/engine/lifecycletest/testdata/output/
 * TestSimpleAnalyzeResourceMultipleViolations/eventstream.json and TestBadResourceType).
 */
import { TOKENS } from "../../policies/shared/tokens";
import { Level, PolicyReport, PolicyViolation } from "./model";
import { mandatoryCount, policyReport } from "./policy";

/** What a preview's (or an analysis') events say. */
export interface PreviewEvents {
    /** The findings of the pack, as the offline report holds them. */
    readonly policy: PolicyReport;
    /** `summaryEvent.result`; undefined when the stream has no summary (cut short). */
    readonly result?: string;
    /** Error diagnostics of the run (the program or the engine failed), colour directives removed. */
    readonly errors: string[];
    /** Findings of other policy packs (the organisation's published packs also run), by pack. */
    readonly otherPacks: Record<string, { readonly findings: number; readonly mandatory: number }>;
}

/** Events that cannot be read as the CLI's JSON event stream. */
export class EventsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "EventsError";
    }
}

/** The CLI's colour directives (`<{%fg 1%}>`, `<{%reset%}>`), which `--color never` leaves out. */
const COLOR_DIRECTIVE = /<\{%[^%]*%\}>/g;

const plain = (s: unknown) => String(s ?? "").replace(COLOR_DIRECTIVE, "").replace(/\s+$/, "");

/** A finding's level: advisory as reported, anything else (remediate, or a level this reader does not know) mandatory. */
function levelOf(raw: unknown): Level {
    return raw === "advisory" ? raw : "mandatory";
}

/** Parses the lines of an event stream; a line that is not a JSON object fails naming it. */
function parseLines(text: string, source: string): Record<string, any>[] {
    const trimmed = text.trim();
    if (trimmed === "") {
        throw new EventsError(`${source} is empty: the preview printed no events (did it run with --json and PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true?)`);
    }
    try {
        const whole = JSON.parse(trimmed);
        if (whole && typeof whole === "object" && !Array.isArray(whole) && ("steps" in whole || "changeSummary" in whole || "diagnostics" in whole)) {
            throw new EventsError(`${source} is the digest \`pulumi preview --json\` prints, which leaves policy events out: ` +
                "run the preview with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true to print the event stream");
        }
    } catch (e) {
        if (e instanceof EventsError) throw e;
        // Not one JSON document: an event stream, one object per line.
    }
    return text.split("\n").map((line, i) => ({ line, n: i + 1 })).filter(({ line }) => line.trim() !== "").map(({ line, n }) => {
        let event: unknown;
        try {
            event = JSON.parse(line);
        } catch {
            throw new EventsError(`${source} line ${n} is not JSON: ${JSON.stringify(line.slice(0, 80))}`);
        }
        if (!event || typeof event !== "object" || Array.isArray(event)) {
            throw new EventsError(`${source} line ${n} is not an engine event (a JSON object)`);
        }
        return event as Record<string, any>;
    });
}

/** Reads the events of a run of `pack` (its name as the pack serves it). */
export function readPreviewEvents(text: string, source: string, pack: { readonly name: string; readonly version: string }): PreviewEvents {
    const events = parseLines(text, source);
    if (!events.some((e) => "sequence" in e || Object.keys(e).some((k) => k.endsWith("Event")))) {
        throw new EventsError(`${source} holds no engine events`);
    }
    const stackUrn = events.map((e) => e.resourcePreEvent?.metadata).find((m) => m?.type === TOKENS.stack)?.urn as string | undefined;
    const violations: PolicyViolation[] = [];
    const remediations: PolicyReport["remediations"][number][] = [];
    const evaluated = new Set<string>();
    const otherPacks: Record<string, { findings: number; mandatory: number }> = {};
    const errors: string[] = [];
    let version: string | undefined;
    let summary: Record<string, any> | undefined;
    for (const e of events) {
        const p = e.policyEvent;
        if (p) {
            const level = levelOf(p.enforcementLevel);
            if (p.policyPackName !== pack.name) {
                const other = (otherPacks[String(p.policyPackName)] ??= { findings: 0, mandatory: 0 });
                other.findings++;
                if (level === "mandatory") other.mandatory++;
                continue;
            }
            version ??= p.policyPackVersion || undefined;
            violations.push({ policy: String(p.policyName), level, urn: String(p.resourceUrn || stackUrn || ""), message: plain(p.message) });
        }
        const r = e.policyRemediationEvent;
        if (r && r.policyPackName === pack.name) {
            remediations.push({ policy: String(r.policyName), urn: String(r.resourceUrn ?? ""), description: "changed the resource's inputs before the policies checked them" });
        }
        for (const s of [e.policyAnalyzeSummaryEvent, e.policyAnalyzeStackSummaryEvent]) {
            if (s && s.policyPackName === pack.name) [...(s.passed ?? []), ...(s.failed ?? [])].forEach((n: string) => evaluated.add(n));
        }
        const d = e.diagnosticEvent;
        if (d && d.severity === "error" && !d.ephemeral) errors.push(plain(d.message));
        if (e.summaryEvent) summary = e.summaryEvent;
    }
    version ??= summary?.PolicyPacks?.[pack.name] ? String(summary.PolicyPacks[pack.name]).replace(/^v/, "") : pack.version;
    return {
        policy: policyReport({ pack: pack.name, version, policiesEvaluated: evaluated.size, violations, remediations }),
        result: summary?.result,
        errors,
        otherPacks,
    };
}

/**
 * The verdict as an exit code: 0 the run completed with no mandatory violation of the pack, 1 at
 * least one, 3 none but the run failed, was cancelled or ended before its summary (a preview
 * that did not finish has not passed).
 */
export function verdictOf(run: PreviewEvents): 0 | 1 | 3 {
    if (mandatoryCount(run.policy) > 0) return 1;
    const otherMandatory = Object.values(run.otherPacks).some((o) => o.mandatory > 0);
    return run.result === "succeeded" && run.errors.length === 0 && !otherMandatory ? 0 : 3;
}
