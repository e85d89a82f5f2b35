/**
 * The report's "who is told, when" and the alerting rows of the cost table, for dev and prod, and a
 * passthrough listener shown as verifying no one.
 */
import { strict as assert } from "assert";
import { estimateCost, PRICES } from "../../offline/report/cost";
import { renderMarkdown } from "../../offline/report/markdown";
import { PolicyReport } from "../../offline/report/model";
import { buildReport } from "../../offline/report/report";
import { tlsPaths } from "../../offline/report/tls-path";
import { paint, renderText } from "../../offline/report/text";
import { ProgramRun } from "../../offline/engine/recorded";
import { TOKENS } from "../../policies/shared/tokens";
import { partnerCsrPem, programRun } from "../program/support";

const CLEAN: PolicyReport = { pack: "e2e-tls-guard", version: "0.1.0", policiesEvaluated: 1, violations: [], remediations: [] };

describe("offline report: who is told, when, and what the alerts cost", function () {
    this.timeout(120_000);
    let dev: ProgramRun;
    let prod: ProgramRun;

    before(async () => {
        dev = await programRun({ stack: "dev" });
        prod = await programRun({ stack: "prod" });
    });

    it("names the topic and its subscriber, or says nobody is subscribed, in the text and the Markdown", () => {
        const devText = renderText(buildReport(dev, CLEAN), paint(false));
        assert.match(devText, /who is told, when\n {4}topic web-alerts \(KMS-encrypted\): nobody subscribed \(set e2e-tls:alertTarget\)/);
        const prodReport = buildReport(prod, CLEAN);
        assert.deepEqual(prodReport.alerts.subscribers, ["email tls-oncall@example.com (must confirm the subscription first)"]);
        assert.match(renderText(prodReport, paint(false)), /topic web-alerts \(KMS-encrypted\): email tls-oncall@example\.com \(must confirm the subscription first\)/);
        assert.match(renderMarkdown(prodReport), /#### Who is told, when\n\ntopic web-alerts \(KMS-encrypted\): email tls-oncall@example\.com/);
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`lists, for ${stack}, the front certificate's alarm and event, one deadline per served certificate with its time, the client renewal notice and, on EC2 only, the refresh agent`, () => {
            const run = stack === "dev" ? dev : prod;
            const { routes } = buildReport(run, CLEAN).alerts;
            const clients = Object.keys(run.outputs.clientSecretArns);
            assert.ok(routes.some(r => r.via === "CloudWatch alarm web-front-expiry" && /DaysToExpiry .* under 15 days/.test(r.when)), JSON.stringify(routes));
            assert.ok(routes.some(r => r.via === "EventBridge rule web-front-expiring" && /daily expiry event with under 15 days left/.test(r.when)));
            assert.ok(routes.some(r => r.via === "EventBridge rule web-front-recovered" && /from ALARM back to OK/.test(r.when)), "the recovery is told after ALARM only");
            assert.ok(!routes.some(r => /told again when it recovers/.test(r.when)), "the alarm itself sends no OK");
            for (const label of ["backend", ...clients.map(c => `client ${c}`)]) {
                const deadline = routes.find(r => r.what.startsWith(`the ${label} certificate (serial `));
                assert.ok(deadline, `${label}: ${JSON.stringify(routes)}`);
                assert.match(deadline.when, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2} UTC, unless a renewal moves the schedule first$/);
            }
            assert.ok(routes.some(r => r.what === `a client certificate is renewed (${clients.length} client secret(s))` && /CloudTrail trail/.test(r.when)));
            assert.equal(routes.some(r => r.what.startsWith("the refresh agent")), stack === "dev", "dev runs EC2 (the agent), prod ECS");
            const md = renderMarkdown(buildReport(run, CLEAN));
            assert.match(md, /\| what \| when \| sent by \|/);
            assert.ok(routes.every(r => md.includes(r.via)), "every alert is in the Markdown table");
        });

        it(`prices ${stack}'s alarm, deadlines, rules and topic at the dated list prices`, () => {
            const run = stack === "dev" ? dev : prod;
            const cost = estimateCost(run.resources, stack);
            const row = (item: string) => cost.lines.find(l => l.item === item)!;
            assert.deepEqual([row("CloudWatch alarms (certificate expiry)").quantity, row("CloudWatch alarms (certificate expiry)").monthlyUsd], [1, PRICES.cloudwatchAlarmMonth.usd]);
            const schedules = run.resources.filter(r => r.type === TOKENS.schedulerSchedule).length;
            assert.equal(schedules, 1 + Object.keys(run.outputs.clientSecretArns).length);
            assert.deepEqual([row("EventBridge Scheduler deadlines").quantity, row("EventBridge Scheduler deadlines").monthlyUsd], [schedules, 0]);
            assert.deepEqual([row("EventBridge rules and SNS topic (alerts)").quantity, row("EventBridge rules and SNS topic (alerts)").monthlyUsd], [4, 0],
                "rules on ACM's expiry event, the alarm's recovery and the client renewals, and the topic");
            assert.ok(cost.notEstimated.some(n => n.startsWith("SNS notifications")));
        });
    }

    it("says how the refresh agent's alerts leave the VPC: through the sns interface endpoint without NAT, through NAT with it", async () => {
        const agent = (run: ProgramRun) => buildReport(run, CLEAN).alerts.routes.find(r => r.what.startsWith("the refresh agent"));
        assert.match(agent(dev)!.via, /^sns:Publish from the EC2 instances, through the interface endpoint web-sns$/);
        const nat = await programRun({ stack: "dev", config: { "e2e-tls:natGateways": "single" } });
        assert.match(agent(nat)!.via, /^sns:Publish from the EC2 instances, through NAT gateway web-nat-1$/);
        assert.deepEqual(buildReport(nat, CLEAN).alerts.undeliverable, []);
    });

    it("never prints a route the tier cannot use: without NAT and without the sns endpoint the agent's alerts are named undeliverable, in the text and the Markdown", () => {
        const resources = dev.resources.filter(r => !(r.type === TOKENS.vpcEndpoint && String(r.inputs.serviceName).endsWith(".sns")));
        assert.equal(resources.length, dev.resources.length - 1, "the fixture removes exactly the sns endpoint");
        const report = buildReport({ ...dev, resources }, CLEAN);
        assert.equal(report.alerts.routes.some(r => r.what.startsWith("the refresh agent")), false);
        assert.deepEqual(report.alerts.undeliverable.map(u => u.what), ["the refresh agent refuses a renewed certificate or fails to install it"]);
        assert.match(report.alerts.undeliverable[0].why, /no NAT route and no sns interface endpoint/);
        assert.match(renderText(report, paint(false)), /✗ undeliverable: the refresh agent refuses .*: the instances of web-asg have no NAT route and no sns interface endpoint/);
        assert.match(renderMarkdown(report), /\*\*Undeliverable\*\*: the refresh agent refuses/);
    });

    it("lists a bring-your-own-key partner's deadline and renewal notice", async () => {
        const run = await programRun({ stack: "dev", config: { "e2e-tls:mtlsClientCsrs": JSON.stringify([await partnerCsrPem("partner-c")]) } });
        const { routes } = buildReport(run, CLEAN).alerts;
        assert.ok(routes.some(r => r.what.startsWith("the partner partner-c certificate (serial ")), JSON.stringify(routes));
        assert.ok(routes.some(r => r.via === "EventBridge rule web-partner-renewed" && r.what === "a bring-your-own-key partner's certificate is issued or renewed (1 partner(s))"));
    });

    it("never lists client certificates as checked on a passthrough listener, and says no one verifies them", () => {
        const resources = dev.resources.map(r => r.type === "aws:lb/listener:Listener" && r.inputs.protocol === "HTTPS"
            ? { ...r, inputs: { ...r.inputs, mutualAuthentication: { mode: "passthrough" } } } : r);
        const https = tlsPaths(resources, dev.outputs)[0].listeners.find(l => l.protocol === "HTTPS")!;
        assert.deepEqual(https.mtls?.clients, [], "passthrough checks no client certificate");
        const report = buildReport({ ...dev, resources }, CLEAN);
        assert.match(renderText(report, paint(false)), /mTLS {4}passthrough: client certificates are forwarded in a header and verified by no one/);
        assert.doesNotMatch(renderMarkdown(report), /TLS \+ client cert/);
    });
});
