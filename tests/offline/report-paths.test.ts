/**
 * Each finding with the request paths its resource is on (offline/report/finding-paths.ts): the
 * project's dev run with its target group switched to HTTP and its KMS key left unrotated, put
 * through the offline preview's evaluation (the real pack, over the analyzer protocol) and report
 * building, then rendered as text, Markdown and SARIF.
 */
import { strict as assert } from "assert";
import { PackHandle } from "../../offline/analyzer/harness";
import { ProgramRun, RecordedResource } from "../../offline/engine/recorded";
import { programRun } from "../program/support";
import { renderMarkdown } from "../../offline/report/markdown";
import { PolicyReport, PolicyViolation, PreviewReport } from "../../offline/report/model";
import { evaluatePolicies, startConfiguredPack } from "../../offline/report/policy";
import { buildReport } from "../../offline/report/report";
import { toSarif } from "../../offline/report/sarif";
import { Paint, renderText } from "../../offline/report/text";
import { ELBV2, TOKENS } from "../../policies/shared/tokens";

const HOSTILE = "evil\n```\n<script>alert(1)</script> | `tick` [link](http://x) \x1b[31mred";
const PLAIN: Paint = { bold: s => s, dim: s => s, green: s => s, yellow: s => s, red: s => s };
const PATH_THROUGH_TG = 'LoadBalancer "web" → Listener "web-https" (HTTPS:443) → TargetGroup "web-tg" (HTTP:8443) → Group "web-asg"';

/** A copy of the run with the resources of one type changed alike in inputs and state. */
function change(run: ProgramRun, type: string, props: Record<string, unknown>): ProgramRun {
    const edit = (r: RecordedResource) => ({ ...r, inputs: { ...r.inputs, ...props }, outputs: { ...r.outputs, ...props } });
    return { ...run, resources: run.resources.map(r => (r.type === type ? edit(r) : r)) };
}

/** The one finding of a policy, in the report built (with paths) or in the pack's verdict (without). */
function finding(from: PreviewReport | PolicyReport, policy: string): PolicyViolation {
    const violations = "violations" in from ? from.violations : from.policy.violations;
    const found = violations.find(v => v.policy === policy);
    assert.ok(found, `a ${policy} finding among ${violations.map(v => v.policy).join(", ")}`);
    return found;
}

describe("offline preview: each finding with the request paths its resource is on", function () {
    this.timeout(180_000);
    let pack: PackHandle;
    let run: ProgramRun;
    let policy: PolicyReport;
    let report: PreviewReport;

    before(async function () {
        this.timeout(300_000);
        const starting = startConfiguredPack({});
        const dev = await programRun({ stack: "dev", preview: true });
        run = change(change(dev, ELBV2.lb.targetGroup, { protocol: "HTTP" }), TOKENS.kmsKey, { enableKeyRotation: false });
        pack = await starting;
        policy = await evaluatePolicies(pack, run.resources, {});
        report = buildReport(run, policy);
    });

    after(async () => {
        await pack?.close();
    });

    it("gives the alb-target-group-https finding the path through that target group, its message as the pack wrote it", () => {
        const tg = finding(report, "alb-target-group-https");
        assert.deepEqual(tg.paths, [PATH_THROUGH_TG]);
        assert.equal(tg.message, finding(policy, "alb-target-group-https").message);
        assert.equal(finding(policy, "alb-target-group-https").paths, undefined, "the pack's verdict itself carries no paths");
    });

    it("gives a load balancer's finding every path through it, the redirecting listener's included", () => {
        assert.deepEqual(finding(report, "alb-deletion-protection-enabled").paths, [
            PATH_THROUGH_TG,
            'LoadBalancer "web" → Listener "web-http" (HTTP:80, redirect to HTTPS:443)',
        ]);
    });

    it("leaves paths off a finding whose resource is on no path (the KMS key)", () => {
        const kms = finding(report, "kms-key-rotation-enabled");
        assert.ok(!("paths" in kms), JSON.stringify(kms));
    });

    it("leaves paths off the path rule's own finding, whose message names the path already", async () => {
        const config = { "alb-end-to-end-tls-path": { reportOwnedHops: true } };
        await pack.configure(config);
        try {
            const path = finding(buildReport(run, await evaluatePolicies(pack, run.resources, config)), "alb-end-to-end-tls-path");
            assert.ok(!("paths" in path), JSON.stringify(path));
            assert.match(path.message, /Listener "web-https" \(HTTPS[^)]*\) → TargetGroup "web-tg" \(HTTP:8443/);
        } finally {
            await pack.configure({});
        }
    });

    it("prints the path under the finding in the text and in the finding's Markdown table cell", () => {
        const lines = renderText(report, PLAIN).split("\n");
        const at = lines.findIndex(l => l.includes("✗ alb-target-group-https"));
        assert.ok(at >= 0);
        assert.match(lines[at + 1], /protocol is "HTTP"/);
        assert.equal(lines[at + 2], `        on path ${PATH_THROUGH_TG}`);
        const row = renderMarkdown(report).split("\n").find(l => l.includes("`alb-target-group-https`"))!;
        assert.ok(row.endsWith(`<br/>_on path_ ${PATH_THROUGH_TG} |`), row);
        const kmsRow = renderMarkdown(report).split("\n").find(l => l.includes("`kms-key-rotation-enabled`"))!;
        assert.doesNotMatch(kmsRow, /on path/);
    });

    it("lists the paths as SARIF relatedLocations naming each hop's URN, with the result's message and fingerprint unchanged", () => {
        const results = toSarif(report.policy, { stack: "dev", tlsPaths: report.tlsPaths }).runs[0].results as any[];
        const before = toSarif(policy, { stack: "dev" }).runs[0].results as any[];
        const at = results.findIndex(r => r.ruleId === "alb-target-group-https");
        const result = results[at];
        const hops = ["loadBalancer", "listener", "targetGroup"].map(kind => run.resources.find(r => r.type === (ELBV2.lb as any)[kind] && (kind !== "listener" || r.name === "web-https"))!.urn);
        hops.push(run.resources.find(r => r.type === TOKENS.autoscalingGroup)!.urn);
        assert.deepEqual(result.relatedLocations.map((l: any) => [l.id, l.message.text, l.logicalLocations.map((x: any) => x.fullyQualifiedName)]), [[0, PATH_THROUGH_TG, hops]]);
        assert.deepEqual(result.relatedLocations[0].physicalLocation, result.locations[0].physicalLocation, "a location GitHub reads has a physical location");
        assert.deepEqual(result.partialFingerprints, before[at].partialFingerprints);
        assert.deepEqual(result.message, before[at].message);
        assert.ok(!("relatedLocations" in results.find(r => r.ruleId === "kms-key-rotation-enabled")), "no related locations without a path");
        assert.ok(before.every(r => !("relatedLocations" in r)), "a verdict without paths has none");
    });

    it("escapes a hostile resource name in a path, in the text and the Markdown", () => {
        const renamed = { ...run, resources: run.resources.map(r => (r.type === ELBV2.lb.targetGroup ? { ...r, name: `web-tg${HOSTILE}` } : r)) };
        const hostile = buildReport(renamed, policy);
        assert.ok(finding(hostile, "alb-target-group-https").paths![0].includes(`TargetGroup "web-tg${HOSTILE}"`));
        const text = renderText(hostile, PLAIN);
        assert.doesNotMatch(text, /\x1b/);
        assert.ok(text.includes('on path LoadBalancer "web" → Listener "web-https" (HTTPS:443) → TargetGroup "web-tgevil\\n```\\n<script>'), "one line, controls visible");
        const row = renderMarkdown(hostile).split("\n").find(l => l.includes("`alb-target-group-https`"))!;
        assert.equal((row.match(/(?<!\\)\|/g) ?? []).length, 5, `row broken: ${row}`);
        assert.ok(row.includes("_on path_ LoadBalancer \"web\" → Listener \"web-https\" (HTTPS:443) → TargetGroup \"web-tgevil \\`\\`\\` &lt;script&gt;"), row);
        assert.doesNotMatch(row, /<script>|\x1b|(?<!\\)\]\(http/);
    });
});
