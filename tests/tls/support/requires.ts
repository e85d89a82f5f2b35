/**
 * Suites that need real programs (nginx, openssl, …) on the machine. On a developer's machine a
 * missing program skips the suite (mocha counts its tests as pending) and the run ends with one
 * notice naming every skipped suite and how to install what it needs; under CI (`CI=true`, as
 * `.ci/run` runs) a missing program fails the suite instead, so nothing is silently skipped there.
 */
import { haveCommand } from "../../../offline/loopback/processes";

/** What to do about a suite whose programs are missing: nothing, skip it, or fail it. */
export function missingToolsVerdict(suite: string, missing: readonly string[], env: NodeJS.ProcessEnv = process.env):
    { action: "run" } | { action: "skip" | "fail"; message: string } {
    if (missing.length === 0) return { action: "run" };
    const needs = `${suite} needs ${missing.join(", ")}, which ${missing.length === 1 ? "is" : "are"} not installed`;
    if (env.CI === "true") {
        return { action: "fail", message: `${needs}: CI runs every suite (.ci/run installs them with apt-get install nginx openssl python3)` };
    }
    return { action: "skip", message: needs };
}

const skipped: string[] = [];
let noticeRegistered = false;

function printNotice(): void {
    const tools = [...new Set(skipped.flatMap(s => s.replace(/^.* needs (.*), which .*$/, "$1").split(", ")))];
    process.stdout.write(`\nSkipped ${skipped.length} suite(s) that need programs this machine lacks:\n` +
        skipped.map(s => `  - ${s}\n`).join("") +
        `Install them to run everything (Debian: sudo apt-get install ${tools.join(" ")}); CI installs them and skips nothing.\n`);
}

/**
 * Call first in a suite's `before(function () { … })` (a function, not an arrow: it needs mocha's
 * context). Returns when every program is on PATH; otherwise skips or fails the suite as
 * {@link missingToolsVerdict} decides.
 */
export function requireTools(ctx: Mocha.Context, suite: string, programs: readonly string[]): void {
    const verdict = missingToolsVerdict(suite, programs.filter(p => !haveCommand(p)));
    if (verdict.action === "run") return;
    if (verdict.action === "fail") throw new Error(verdict.message);
    skipped.push(verdict.message);
    if (!noticeRegistered) {
        noticeRegistered = true;
        process.once("exit", printNotice);
    }
    ctx.skip();
}
