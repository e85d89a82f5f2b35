/**
 * `npm run rehearse:rotation -- [--stack <name>] [--requests N] [--seconds S] [--rate R] [--out <file>]`:
 * the certificate rotation rehearsal on loopback (offline/loopback/rotation.ts). Its last line of
 * output is, exactly, `rotation: <N> requests, <F> failed, new certificate served: yes|no`; when a
 * program it needs is not on PATH, nothing is rehearsed: exit 2, the error on stderr, no such line.
 */
import { CommandSpec, integer, runCommand, stackFlag, UsageError, writeOutput } from "./cli";
import { MissingProgramError } from "../loopback/programs";
import { MAX_REQUESTS, MAX_SECONDS, rehearseRotation, ROTATION_PROGRAMS } from "../loopback/rotation";

// The library lives in offline/loopback/rotation.ts; this path keeps working for its callers.
export { rehearseRotation, STUB_AWS_DIR } from "../loopback/rotation";

const NOTHING_SERVED = "rotation: 0 requests, 0 failed, new certificate served: no";

export const REHEARSE_ROTATION: CommandSpec = {
    usage: "npm run rehearse:rotation -- [options]",
    summary: "Serves the stack's backend certificate with nginx on loopback, publishes a renewal under HTTPS load and checks that it is served without a failed request.",
    flags: {
        stack: stackFlag("dev"),
        requests: { type: "string", arg: "<n>", parse: integer(1, MAX_REQUESTS), doc: `requests at most, 1 to ${MAX_REQUESTS} (default: ${MAX_REQUESTS})` },
        seconds: { type: "string", arg: "<s>", parse: integer(1, MAX_SECONDS), doc: `seconds of load at most, 1 to ${MAX_SECONDS} (default: ${MAX_SECONDS})` },
        rate: { type: "string", arg: "<per-second>", parse: integer(1), doc: "requests per second, 1 or more (default: 100)" },
        out: { type: "string", arg: "<file>", path: "file", doc: "also write the result as JSON to this file" },
    },
    exitCodes: `0 no request failed and the new certificate is served, 1 otherwise, 2 a bad command line, an unwritable --out or a program it needs (${ROTATION_PROGRAMS.join(", ")}) not on PATH`,
};

if (require.main === module) {
    runCommand(REHEARSE_ROTATION, async (opts) => {
        const r = await rehearseRotation({
            stack: opts.stack, maxRequests: opts.requests, maxSeconds: opts.seconds, ratePerSecond: opts.rate,
            log: (line) => console.log(`rehearse-rotation: ${line}`),
        });
        // The result line stays the last line of output, even when --out then fails (exit 2).
        console.log(r.line);
        if (opts.out) writeOutput("--out", opts.out, JSON.stringify(r, null, 2) + "\n");
        return { code: r.failed === 0 && r.newCertificateServed ? 0 : 1 };
    }, {
        failureCode: 1,
        onFailure: (e) => {
            // A missing program is not a rehearsal that failed: nothing ran, and the error says why.
            if (!(e instanceof UsageError) && !(e instanceof MissingProgramError) && !(e instanceof Error && e.name === "OutputError")) console.log(NOTHING_SERVED);
        },
    });
}
