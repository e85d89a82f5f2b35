/**
 * The renewal workflow's schedule follows from the stacks' renewal windows: the committed cron is
 * the one derived from Pulumi.yaml and the stack files, and by simulation it never leaves more than
 * a third of the shortest window between two runs.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    allRenewalWindows, CADENCES, deriveSchedule, fireTimes, maxGapHours, parseCron, renewalWindows,
    RUNS_PER_WINDOW, stackConfig,
} from "../../offline/renewal/schedule";
import { PROJECT_DIR as ROOT, stackNames } from "../../offline/engine/stack-file";
import { workflow } from "./workflows-support";

function committedCrons(): string[] {
    return (workflow("renewal.yml").doc.on.schedule as { cron: string }[]).map(s => s.cron);
}

/** A copy of the project file with one stack file of the given config lines. */
function projectWith(stack: string, lines: string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "renewal-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), ["config:", "  aws:region: us-east-1", "  e2e-tls:mtlsClients: [ci-smoke]", ...lines.map(l => `  ${l}`), ""].join("\n"));
    return dir;
}

describe("renewal schedule", () => {
    it("commits exactly the cron derived from the stacks' renewal windows", () => {
        const derived = deriveSchedule(allRenewalWindows());
        assert.deepEqual(committedCrons(), [derived.cron],
            `renewal.yml must schedule "${derived.cron}" (${derived.window.what} of ${derived.window.stack}: ${derived.window.hours} h / ${RUNS_PER_WINDOW} runs = ${derived.boundHours} h)`);
    });

    it("leaves at most a third of the shortest renewal window between two runs of the committed cron, simulated over two years", () => {
        const shortest = Math.min(...allRenewalWindows().map(w => w.hours));
        for (const cron of committedCrons()) {
            const gap = maxGapHours(cron);
            assert.ok(gap * RUNS_PER_WINDOW <= shortest, `"${cron}" leaves up to ${gap} h between runs: ${RUNS_PER_WINDOW} of them do not fit in ${shortest} h`);
        }
    });

    it("renews every stack the repository configures, and reads their windows from Pulumi.yaml's defaults and each stack file", () => {
        assert.deepEqual(stackNames(), ["dev", "prod"]);
        assert.deepEqual(workflow("renewal.yml").doc.jobs.renew.strategy.matrix.stack, stackNames(), "the renewal matrix names every stack");
        const hours = (stack: string) => renewalWindows(stack, stackConfig(stack)).map(w => [w.what.split(" (")[0], w.hours]);
        assert.deepEqual(hours("dev"), [["backend, client and CA-signed front certificates", 720], ["self-managed root CA", 8760]]);
        assert.deepEqual(hours("prod"), [["backend, client and CA-signed front certificates", 720]], "AWS Private CA: no root window; ACM renews the DNS-validated front certificate");
    });

    it("derives a more frequent cron when a stack renews closer to expiry, and the stack file wins over Pulumi.yaml's default", () => {
        const root = projectWith("edge", ["e2e-tls:certValidityHours: 720", "e2e-tls:certEarlyRenewalHours: 200"]);
        const windows = stackNames(root).flatMap(s => renewalWindows(s, stackConfig(s, root)));
        assert.deepEqual(windows.map(w => w.hours), [200, 8760]);
        const derived = deriveSchedule(windows);
        assert.equal(derived.cron, "17 5 * * *", "200 h / 3 = 66.7 h: Monday-Wednesday-Friday (72 h) is too sparse, daily fits");
        assert.ok(derived.maxGapHours <= derived.boundHours);
    });

    it("takes a window from Pulumi.yaml's default when the stack file leaves it unset", () => {
        const root = projectWith("plain", []);
        const file = path.join(root, "Pulumi.yaml");
        const text = fs.readFileSync(file, "utf8");
        const edited = text.replace(/(certEarlyRenewalHours:\n(?:    .*\n)*?    default: )720/, "$1240");
        assert.notEqual(edited, text, "the fixture found the default in Pulumi.yaml");
        fs.writeFileSync(file, edited);
        assert.equal(stackConfig("plain", root).certEarlyRenewalHours, 240);
        assert.equal(deriveSchedule(renewalWindows("plain", stackConfig("plain", root))).cron, "17 5 * * 1,3,5", "240 h / 3 = 80 h");
    });

    it("lets a short self-managed root window decide when it is the shortest", () => {
        // caValidityHours 4320 (the least for 2160-hour leaves): its window is 432 h, under the leaves' 2000 h.
        const root = projectWith("longleaf", ["e2e-tls:certEarlyRenewalHours: 2000", "e2e-tls:caValidityHours: 4320"]);
        const derived = deriveSchedule(stackNames(root).flatMap(s => renewalWindows(s, stackConfig(s, root))));
        assert.match(derived.window.what, /root CA/);
        assert.equal(derived.window.hours, 432);
        assert.equal(derived.cron, "17 5 * * 1,4", "432 h / 3 = 144 h: weekly is too sparse, Monday and Thursday fit");
    });

    it("refuses a window too short for hourly runs, naming the stack, the certificates and the hours", () => {
        assert.throws(() => deriveSchedule([{ stack: "lab", what: "test certificates", hours: 2 }]),
            /the test certificates of stack lab renew 2 h before expiry: 3 runs in that window need a run every 0\.67 h/);
        assert.throws(() => deriveSchedule([]), /no stack to renew/);
    });

    it("refuses a stack file the program would refuse, with the program's message", () => {
        const root = projectWith("bad", ["e2e-tls:certEarlyRenewalHours: 3000"]);
        assert.throws(() => stackConfig("bad", root), /e2e-tls:certEarlyRenewalHours is 3000, which is not shorter than e2e-tls:certValidityHours 2160/);
    });

    it("declares for every cadence the longest gap its cron really leaves, most frequent first", () => {
        for (const c of CADENCES) assert.equal(maxGapHours(c.cron), c.maxGapHours, `"${c.cron}"`);
        const gaps = CADENCES.map(c => c.maxGapHours);
        assert.deepEqual(gaps, [...gaps].sort((a, b) => a - b));
        for (const c of CADENCES) assert.notEqual(parseCron(c.cron).sets[0].has(0), true, `"${c.cron}" avoids minute 0, GitHub's busiest`);
    });

    it("evaluates cron as GitHub does: UTC, month lengths, steps, lists, and day of month OR day of week", () => {
        assert.equal(maxGapHours("17 5 */10 * *"), 240, "days 1, 11, 21, 31: never more than 10 days apart");
        assert.equal(maxGapHours("0 0 1 * *"), 31 * 24, "monthly: up to 31 days");
        const jan = (cron: string) => fireTimes(cron, new Date(Date.UTC(2027, 0, 1)), new Date(Date.UTC(2027, 1, 1))).map(t => t.toISOString().slice(0, 16));
        assert.deepEqual(jan("0 0 1 * 1"), ["2027-01-01T00:00", "2027-01-04T00:00", "2027-01-11T00:00", "2027-01-18T00:00", "2027-01-25T00:00"],
            "both day fields restricted: the 1st (a Friday) or any Monday");
        assert.deepEqual(jan("30 23 * * 7"), jan("30 23 * * 0"), "7 is Sunday too");
        assert.deepEqual(jan("30 23 * * 0")[0], "2027-01-03T23:30", "times are UTC");
        assert.throws(() => maxGapHours("0 0 29 2 *"), /fires fewer than twice/, "the only 29 February in 2027-2028 is one run");
        assert.throws(() => parseCron("17 5 * * MON"), /day of week "MON" is not a number/);
        assert.throws(() => parseCron("17 5 * *"), /has 4 fields, not 5/);
        assert.throws(() => parseCron("61 5 * * *"), /minute "61" is outside 0-59/);
    });
});
