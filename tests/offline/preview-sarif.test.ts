/**
 * `npm run preview:sarif` (offline/commands/preview-sarif.ts, offline/report/preview-events.ts):
 * a real preview's JSON events turned into the pack's verdict, SARIF from the project's writer
 * and Markdown, with exit codes a workflow can act on.
 *
 * tests/offline/fixtures/preview-events.jsonl is a stream in the shape the Pulumi CLI 3.248.0
 * prints with `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json --color raw`: the
 * event payloads and field names of sdk/go/common/apitype/events.go, laid out as the CLI's own
 * recorded streams are (pkg/engine/lifecycletest/testdata/output/*\/eventstream.json: policy
 * messages wrapped in colour directives, `PolicyPacks` in PascalCase, a failed result), holding
 * the messages this pack reported for the fixture tier made insecure (an HTTP listener that
 * forwards, invalid header fields kept, a backend port open to 10.0.0.0/8). No CLI ran here.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderVerdictMarkdown } from "../../offline/report/markdown";
import { EventsError, readPreviewEvents, verdictOf } from "../../offline/report/preview-events";
import { toSarif } from "../../offline/report/sarif";
import { packIdentity } from "../../offline/analyzer/build";
import { exemptionMessage } from "../../policies/framework";
import { exemptionsApplied } from "../../policies/rules/exemptions";
import { allPolicies } from "../../policies/rules";
import { runOfflineCommand } from "./spawn";

const SAMPLE = fs.readFileSync(path.join(__dirname, "fixtures", "preview-events.jsonl"), "utf8");
const PACK = packIdentity();
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "preview-sarif-"));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

type Event = Record<string, any>;
const events = (text = SAMPLE): Event[] => text.trim().split("\n").map((l) => JSON.parse(l));
const stream = (list: Event[]) => list.map((e) => JSON.stringify(e)).join("\n") + "\n";
const read = (list: Event[]) => readPreviewEvents(stream(list), "test", PACK);
/** The sample with `summaryEvent` changed and the events `drop` picks left out. */
const variant = (summary: Event | undefined, drop: (e: Event) => boolean = () => false) =>
    events().filter((e) => !drop(e)).flatMap((e) => (e.summaryEvent ? (summary ? [{ ...e, summaryEvent: { ...e.summaryEvent, ...summary } }] : []) : [e]));
const file = (name: string, text: string) => {
    const f = path.join(TMP, name);
    fs.writeFileSync(f, text);
    return f;
};

describe("preview:sarif: reading a preview's events", () => {
    it("takes the pack's findings from the recorded stream: levels, URNs, messages without colour directives, the evaluated policies, the failed result", () => {
        const run = readPreviewEvents(SAMPLE, "sample", PACK);
        assert.equal(run.result, "failed");
        assert.deepEqual(run.errors, []);
        assert.equal(run.policy.pack, "e2e-tls-guard");
        assert.equal(run.policy.version, PACK.version);
        assert.equal(run.policy.policiesEvaluated, 56, "every policy of the recording's pack (56) ran, by its summaries");
        assert.deepEqual(run.policy.violations.map((v) => `${v.level} ${v.policy}`), [
            "mandatory alb-drop-invalid-header-fields", "mandatory alb-end-to-end-tls-path", "mandatory alb-listener-https-only", "mandatory ebs-volumes-encrypted",
            "mandatory ec2-imdsv2-required", "advisory alb-access-logs-enabled", "advisory alb-deletion-protection-enabled", "advisory alb-listener-mtls-fields-valid",
        ]);
        const https = run.policy.violations.find((v) => v.policy === "alb-listener-https-only")!;
        assert.equal(https.urn, "urn:pulumi:dev::shop::aws:lb/listener:Listener::web-https");
        assert.ok(https.message.startsWith(`${allPolicies.find((p) => p.name === https.policy)!.description.slice(0, 40)}`), "the policy's description first, as the SDK writes it");
        assert.match(https.message, /\nListener "web-https" \(aws:lb\/listener:Listener\): defaultActions\[0\]\.type is "forward"/);
        assert.ok(run.policy.violations.every((v) => !v.message.includes("<{%") && !v.message.endsWith("\n")));
        assert.equal(verdictOf(run), 1);
    });

    it("passes a preview that succeeded with advisory findings only, and fails one that failed, was cancelled or ended before its summary without a mandatory violation", () => {
        const mandatory = (e: Event) => e.policyEvent?.enforcementLevel === "mandatory";
        assert.equal(verdictOf(read(variant({ result: "succeeded" }, mandatory))), 0);
        assert.equal(verdictOf(read(variant({ result: "failed" }, mandatory))), 3);
        assert.equal(verdictOf(read(variant({ result: "canceled" }, mandatory))), 3);
        assert.equal(verdictOf(read(variant(undefined, mandatory))), 3, "no summary: cut short");
        const crashed = read([...variant(undefined, (e) => !!e.policyEvent), {
            sequence: 99, timestamp: 1, diagnosticEvent: { prefix: "<{%fg 1%}>error: <{%reset%}>", message: "<{%reset%}>an unhandled error occurred: Program exited with non-zero exit code: 1<{%reset%}>\n", color: "raw", severity: "error" },
        }, { sequence: 100, timestamp: 1, summaryEvent: { maybeCorrupt: false, durationSeconds: 3, resourceChanges: {}, PolicyPacks: {}, isPreview: true, result: "failed" } }]);
        assert.deepEqual(crashed.errors, ["an unhandled error occurred: Program exited with non-zero exit code: 1"]);
        assert.equal(verdictOf(crashed), 3);
    });

    it("counts a finding at the remediate level as mandatory, as the engine reports it, so it fails the verdict", () => {
        const base = variant({ result: "succeeded" }, (e) => e.policyEvent?.enforcementLevel === "mandatory");
        const first = base.findIndex((e) => e.policyEvent);
        const remediate = base.map((e, i) => (i === first ? { ...e, policyEvent: { ...e.policyEvent, enforcementLevel: "remediate" } } : e));
        assert.equal(verdictOf(read(base)), 0);
        assert.equal(verdictOf(read(remediate)), 1);
    });

    it("reads pulumi policy analyze --json (plain messages, no resource events), and keeps another pack's findings out of the report while failing on its mandatory ones", () => {
        const analyze: Event[] = events().filter((e) => e.policyEvent || e.summaryEvent).map((e) => (e.policyEvent
            ? { ...e, policyEvent: { ...e.policyEvent, message: e.policyEvent.message.replace(/<\{%[^%]*%\}>/g, "") } }
            : { ...e, summaryEvent: { ...e.summaryEvent, isPreview: false } }));
        const other = { sequence: 7, timestamp: 1, policyEvent: { resourceUrn: "urn:pulumi:dev::shop::aws:s3/bucketV2:BucketV2::logs", message: "no public buckets", color: "raw", policyName: "s3-private", policyPackName: "org-baseline", policyPackVersion: "3", policyPackVersionTag: "3", enforcementLevel: "mandatory" } };
        const run = read([...analyze, other]);
        assert.equal(run.policy.violations.length, 8);
        assert.deepEqual(run.otherPacks, { "org-baseline": { findings: 1, mandatory: 1 } });
        const clean = read([...analyze.filter((e) => e.policyEvent?.enforcementLevel !== "mandatory").map((e) => (e.summaryEvent ? { ...e, summaryEvent: { ...e.summaryEvent, result: "succeeded" } } : e)), other]);
        assert.equal(verdictOf(clean), 3, "the other pack's mandatory finding fails the preview too");
        assert.match(renderVerdictMarkdown("dev", clean, 3), /policy pack `org-baseline` \(not in this report or its SARIF\): 1 finding\(s\), 1 mandatory/);
    });

    it("lists an exemption line of the pack apart, with its reason, and as a suppressed SARIF result", () => {
        const urn = "urn:pulumi:dev::shop::aws:lb/loadBalancer:LoadBalancer::web-alb";
        const message = `${exemptionsApplied.description}\n${exemptionMessage({
            policy: "alb-access-logs-enabled", resource: { type: "aws:lb/loadBalancer:LoadBalancer", name: "web-alb", urn },
            exemption: { urn, reason: "logs go to the account's CloudTrail lake", expires: "2099-12-31" } as any, message: "accessLogs is not set",
        })}`;
        const run = read([...events(), { sequence: 98, timestamp: 1, policyEvent: { resourceUrn: urn, message, color: "raw", policyName: exemptionsApplied.name, policyPackName: PACK.name, policyPackVersion: PACK.version, policyPackVersionTag: PACK.version, enforcementLevel: "advisory" } }]);
        assert.deepEqual(run.policy.exemptions?.map(({ policy, urn: u, reason }) => ({ policy, urn: u, reason })), [{ policy: "alb-access-logs-enabled", urn, reason: "logs go to the account's CloudTrail lake" }]);
        assert.ok(run.policy.exemptions![0].selector.startsWith(`urn ${urn}`), run.policy.exemptions![0].selector);
        assert.ok(!run.policy.violations.some((v) => v.policy === exemptionsApplied.name));
        const suppressed = toSarif(run.policy, { stack: "dev" }).runs[0].results.filter((r: any) => r.suppressions);
        assert.deepEqual(suppressed.map((r: any) => r.suppressions[0].justification), ["logs go to the account's CloudTrail lake"]);
    });

    it("refuses the digest of pulumi preview --json, which leaves policy events out, a line that is not JSON, an empty file and JSON that holds no events", () => {
        const digest = JSON.stringify({ steps: [], diagnostics: [], duration: 1, changeSummary: { create: 3 } }, null, 4);
        assert.throws(() => readPreviewEvents(digest, "digest.json", PACK), /digest.json is the digest `pulumi preview --json` prints, which leaves policy events out: run the preview with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true/);
        assert.throws(() => readPreviewEvents(SAMPLE.replace("\n", "\nwarning: A new version of Pulumi is available\n"), "e.jsonl", PACK), /e\.jsonl line 2 is not JSON: "warning: A new version/);
        assert.throws(() => readPreviewEvents(" \n", "e.jsonl", PACK), (e: Error) => e instanceof EventsError && /e\.jsonl is empty/.test(e.message));
        assert.throws(() => readPreviewEvents('{"a":1}\n{"b":2}\n', "e.jsonl", PACK), /e\.jsonl holds no engine events/);
        assert.throws(() => readPreviewEvents('{"sequence":1}\n[1]\n', "e.jsonl", PACK), /e\.jsonl line 2 is not an engine event/);
    });

    it("keeps Markdown, HTML, mentions and line breaks of a message as text in the Markdown, and terminal control characters out of stdout", async () => {
        const hostile = "</details><img src=x onerror=alert(1)> | @org/team `x` **bold**\u001b[31m";
        const list = events().map((e) => (e.policyEvent?.policyName === "alb-listener-https-only" ? { ...e, policyEvent: { ...e.policyEvent, message: `desc\n${hostile}` } } : e));
        const md = renderVerdictMarkdown("dev", read(list), 1);
        assert.ok(!md.includes("<img") && !md.includes("</details>") && !md.includes("\u001b"), md);
        assert.match(md, /&lt;\/details&gt;&lt;img src=x onerror=alert\(1\)&gt; \\\| @org\/team \\`x\\` \\\*\\\*bold\\\*\\\*/);
        const out = await runOfflineCommand("preview-sarif", ["--events", file("hostile.jsonl", stream(list)), "--stack", "dev"]);
        assert.equal(out.code, 1, out.stderr);
        assert.ok(!out.stdout.includes("\u001b") && out.stdout.includes("\\x1b[31m"), out.stdout);
    });
});

describe("preview:sarif: the command", function () {
    this.timeout(60_000);

    it("writes the SARIF of the project's writer and the Markdown verdict, and exits 1 on the recorded mandatory violations", async () => {
        const [sarif, md] = [path.join(TMP, "a.sarif"), path.join(TMP, "a.md")];
        const out = await runOfflineCommand("preview-sarif", ["--events", file("sample.jsonl", SAMPLE), "--stack", "acme/shop/dev", "--stack-file", "infra/Pulumi.dev.yaml", "--sarif", sarif, "--markdown", md]);
        assert.equal(out.code, 1, out.stderr);
        assert.match(out.stdout, /^e2e-tls-guard \S+ on acme\/shop\/dev: 5 mandatory, 3 advisory, 0 exempted; preview failed\n/);
        const log = JSON.parse(fs.readFileSync(sarif, "utf8"));
        const run = readPreviewEvents(SAMPLE, "sample", PACK);
        assert.deepEqual(log, JSON.parse(JSON.stringify(toSarif(run.policy, { stack: "acme/shop/dev", stackFile: "infra/Pulumi.dev.yaml" }))));
        const results = log.runs[0].results;
        assert.equal(results.filter((r: any) => r.level === "error").length, 5);
        assert.equal(results[0].locations[0].physicalLocation.artifactLocation.uri, "infra/Pulumi.dev.yaml");
        assert.equal(log.runs[0].automationDetails.id, "e2e-tls-guard/acme/shop/dev/", "one code-scanning category per stack");
        assert.match(fs.readFileSync(md, "utf8"), /^### `acme\/shop\/dev`\n\n❌ \*\*Mandatory policy violation\(s\): the preview fails\*\* · 5 mandatory · 3 advisory/);
    });

    it("exits 0 on a completed preview without a mandatory violation and 3 on one cut short, writing its outputs either way; the stack file defaults to Pulumi.<stack>.yaml", async () => {
        const pass = file("pass.jsonl", stream(variant({ result: "succeeded" }, (e) => e.policyEvent?.enforcementLevel === "mandatory")));
        const cut = file("cut.jsonl", stream(variant(undefined, (e) => e.policyEvent?.enforcementLevel === "mandatory")));
        const [ok, short] = await Promise.all([
            runOfflineCommand("preview-sarif", ["--events", pass, "--stack", "org/prod", "--sarif", path.join(TMP, "ok.sarif"), "--json"]),
            runOfflineCommand("preview-sarif", ["--events", cut, "--stack", "dev", "--markdown", path.join(TMP, "cut.md")]),
        ]);
        assert.equal(ok.code, 0, ok.stderr);
        assert.equal(JSON.parse(ok.stdout).verdict, 0);
        assert.equal(JSON.parse(fs.readFileSync(path.join(TMP, "ok.sarif"), "utf8")).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, "Pulumi.prod.yaml");
        assert.equal(short.code, 3, short.stderr);
        assert.match(fs.readFileSync(path.join(TMP, "cut.md"), "utf8"), /❌ \*\*The preview failed or did not finish\*\*.* · preview ended before its summary/);
    });

    it("exits 2 naming the file when the events cannot be read or are the digest, with a JSON error of kind events under --json", async () => {
        const digest = file("digest.json", JSON.stringify({ steps: [], changeSummary: {} }));
        const [missing, json] = await Promise.all([
            runOfflineCommand("preview-sarif", ["--events", path.join(TMP, "nope.jsonl"), "--stack", "dev"]),
            runOfflineCommand("preview-sarif", ["--events", digest, "--stack", "dev", "--json"]),
        ]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /^error: --events \S+nope\.jsonl cannot be read: ENOENT\n/);
        assert.equal(json.code, 2);
        assert.match(JSON.parse(json.stdout).error.message, /digest\.json is the digest `pulumi preview --json` prints/);
        assert.equal(JSON.parse(json.stdout).error.kind, "events");
    });

    it("exits 2, not the verdict, when the SARIF cannot be written after the events were read", async function () {
        // /dev/full passes every check before the run (it exists and is writable) and fails every write (ENOSPC).
        if (!fs.existsSync("/dev/full")) this.skip();
        const r = await runOfflineCommand("preview-sarif", ["--events", file("late.jsonl", SAMPLE), "--stack", "dev", "--sarif", "/dev/full"]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /^error: --sarif \/dev\/full cannot be written: ENOSPC/);
    });
});
