/**
 * How often the scheduled renewal (.github/workflows/renewal.yml) must run `pulumi refresh` and
 * `pulumi up`, derived from the stacks' own configuration: Pulumi.yaml's defaults, overlaid with
 * each Pulumi.<stack>.yaml, validated as the program validates them.
 */
import { NAMESPACE, StackConfig, validateConfig } from "../../config/index";
import { rootEarlyRenewalHours } from "../../components/pki/ca";
import { PROJECT_DIR, projectDefaults, readStackFile, stackNames } from "../engine/stack-file";


/** A certificate, or a family of them, that `pulumi up` renews inside a window before expiry. */
export interface RenewalWindow {
    readonly stack: string;
    /** Which certificates, and the config key the window comes from. */
    readonly what: string;
    /** How long before expiry `pulumi up` replaces them, in hours. */
    readonly hours: number;
}

/**
 * Runs that must fall inside every renewal window. GitHub delays scheduled runs under load and
 * may drop them ("Events that trigger workflows", schedule:
 * https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows#schedule),
 * and a run can fail on its own (AWS throttling, an expired token, a bad merge). With three runs in
 * every window, two lost or failed runs in a row still leave one that renews, and the first failure
 * opens an issue while two more chances remain.
 */
export const RUNS_PER_WINDOW = 3;

/** A schedule GitHub can express regularly, with the longest time between two of its runs. */
export interface Cadence {
    readonly cron: string;
    readonly maxGapHours: number;
}

/**
 * The schedules to choose from, most frequent first. Minute 17, never 0: the start of every hour is
 * GitHub's busiest time for scheduled runs (same page). Nothing coarser than weekly is needed: a
 * window is shorter than certValidityHours (at most 2160 h), so the bound stays under 720 h, and
 * a monthly cron leaves up to 744 h between runs. The gaps are checked by simulation in the tests.
 */
export const CADENCES: readonly Cadence[] = [
    { cron: "17 * * * *", maxGapHours: 1 },
    ...[2, 3, 4, 6, 8, 12].map(h => ({ cron: `17 */${h} * * *`, maxGapHours: h })),
    { cron: "17 5 * * *", maxGapHours: 24 },
    { cron: "17 5 * * 1,3,5", maxGapHours: 72 },
    { cron: "17 5 * * 1,4", maxGapHours: 96 },
    { cron: "17 5 * * 1", maxGapHours: 168 },
];

/** A stack's validated configuration: Pulumi.yaml's defaults, then Pulumi.<stack>.yaml's values. */
export function stackConfig(stack: string, root: string = PROJECT_DIR): StackConfig {
    const values = readStackFile(stack, root);
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries({ ...projectDefaults(root), ...values })) {
        if (k.startsWith(`${NAMESPACE}:`)) raw[k.slice(NAMESPACE.length + 1)] = v;
    }
    const region = typeof values["aws:region"] === "string" ? values["aws:region"] as string : undefined;
    return validateConfig(raw, { region, placeholders: "report" });
}

/**
 * The renewal windows of one stack. Left out, because `pulumi up` does not renew them: a
 * DNS-validated ACM front certificate (ACM renews it) and the AWS Private CA root (issue 11,
 * item 4, CA rotation). Private CA leaves have no window of their own, but the program asks for a
 * new one every certValidityHours - certEarlyRenewalHours (components/pki/ca.ts, renewalPeriod),
 * which leaves them the same window as the @pulumi/tls leaves.
 */
export function renewalWindows(stack: string, cfg: StackConfig): RenewalWindow[] {
    const windows: RenewalWindow[] = [{
        stack,
        what: "backend, client and CA-signed front certificates (certEarlyRenewalHours)",
        hours: cfg.certEarlyRenewalHours,
    }];
    if (cfg.pki === "self-managed") {
        windows.push({ stack, what: "self-managed root CA (a tenth of caValidityHours)", hours: rootEarlyRenewalHours(cfg.caValidityHours) });
    }
    return windows;
}

/** Every stack's renewal windows, read from the repository's stack files. */
export function allRenewalWindows(root: string = PROJECT_DIR): RenewalWindow[] {
    return stackNames(root).flatMap(stack => renewalWindows(stack, stackConfig(stack, root)));
}

export interface Schedule extends Cadence {
    /** The renewal window that decides it: the shortest of all. */
    readonly window: RenewalWindow;
    /** The longest gap between runs the window allows: window / RUNS_PER_WINDOW, in hours. */
    readonly boundHours: number;
}

/** The least frequent cadence that still puts RUNS_PER_WINDOW runs inside the shortest window. */
export function deriveSchedule(windows: readonly RenewalWindow[]): Schedule {
    if (windows.length === 0) throw new Error("no renewal windows: no stack to renew");
    const window = windows.reduce((a, b) => (b.hours < a.hours ? b : a));
    const boundHours = window.hours / RUNS_PER_WINDOW;
    const fits = CADENCES.filter(c => c.maxGapHours <= boundHours);
    if (fits.length === 0) {
        throw new Error(`the ${window.what} of stack ${window.stack} renew ${window.hours} h before expiry: ${RUNS_PER_WINDOW} runs in that window need a run every ${boundHours.toFixed(2)} h, more often than hourly`);
    }
    return { ...fits[fits.length - 1], window, boundHours };
}

const FIELDS = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12 },
    { name: "day of week", min: 0, max: 7 },
] as const;

interface ParsedCron {
    readonly sets: Set<number>[];
    /** Whether day of month and day of week are both restricted: cron then matches either. */
    readonly eitherDay: boolean;
}

/** Parses a five-field POSIX cron expression (numbers, `*`, ranges, steps and lists; no names). */
export function parseCron(cron: string): ParsedCron {
    const parts = cron.trim().split(/\s+/);
    if (parts.length !== 5) throw new Error(`cron "${cron}" has ${parts.length} fields, not 5`);
    const sets = parts.map((part, i) => {
        const { name, min, max } = FIELDS[i];
        const out = new Set<number>();
        for (const item of part.split(",")) {
            const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
            if (!m) throw new Error(`cron "${cron}": ${name} "${item}" is not a number, range, step or *`);
            const from = m[1] === "*" ? min : Number(m[2]);
            const to = m[1] === "*" ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
            const step = m[4] !== undefined ? Number(m[4]) : 1;
            if (from < min || to > max || from > to || step < 1) throw new Error(`cron "${cron}": ${name} "${item}" is outside ${min}-${max}`);
            for (let v = from; v <= to; v += step) out.add(i === 4 && v === 7 ? 0 : v);
        }
        return out;
    });
    return { sets, eitherDay: !parts[2].startsWith("*") && !parts[4].startsWith("*") };
}

/** The times a cron expression fires (UTC, as GitHub evaluates it) from `from` up to `to`. */
export function fireTimes(cron: string, from: Date, to: Date): Date[] {
    const { sets: [minutes, hours, days, months, weekdays], eitherDay } = parseCron(cron);
    const out: Date[] = [];
    const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
    for (; day.getTime() < to.getTime(); day.setUTCDate(day.getUTCDate() + 1)) {
        if (!months.has(day.getUTCMonth() + 1)) continue;
        const byDate = days.has(day.getUTCDate());
        const byWeekday = weekdays.has(day.getUTCDay());
        if (!(eitherDay ? byDate || byWeekday : byDate && byWeekday)) continue;
        for (const h of [...hours].sort((a, b) => a - b)) {
            for (const m of [...minutes].sort((a, b) => a - b)) {
                const t = new Date(day.getTime() + (h * 60 + m) * 60_000);
                if (t >= from && t < to) out.push(t);
            }
        }
    }
    return out;
}

/**
 * The longest time between two consecutive runs of a cron expression, in hours, over two calendar
 * years that include a leap day (month lengths decide the gaps of day-of-month steps).
 */
export function maxGapHours(cron: string, from = new Date(Date.UTC(2027, 0, 1)), to = new Date(Date.UTC(2029, 0, 1))): number {
    const times = fireTimes(cron, from, to);
    if (times.length < 2) throw new Error(`cron "${cron}" fires fewer than twice between ${from.toISOString()} and ${to.toISOString()}`);
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i].getTime() - times[i - 1].getTime());
    return gap / 3_600_000;
}
