/**
 * The offline preview's modules called directly: the TLS path, the cost
 * estimate, redaction and the renderers. Program runs come from the shared runner; the policy
 * report is a fixture (the CLI tests start the real pack).
 */
import { strict as assert } from "assert";
import { estimateCost, PRICES, sampleArchitectureCost } from "../../offline/report/cost";
import { renderMarkdown } from "../../offline/report/markdown";
import { ForwardAction, PolicyReport, PreviewReport } from "../../offline/report/model";
import { buildReport, redact } from "../../offline/report/report";
import { tlsPaths } from "../../offline/report/tls-path";
import { colourWanted, paint, renderText, resourceTree } from "../../offline/report/text";
import { ProgramRun } from "../../offline/engine/recorded";
import { programRun } from "../program/support";

const CLEAN: PolicyReport = { pack: "e2e-tls-guard", version: "0.1.0", policiesEvaluated: 28, violations: [], remediations: [] };

function withViolation(level: "mandatory" | "advisory"): PolicyReport {
    return {
        ...CLEAN,
        violations: [{
            policy: "alb-listener-mtls-required",
            level,
            urn: "urn:pulumi:dev::e2e-tls::e2etls:edge:SecureListeners$aws:lb/listener:Listener::web-https",
            message: "HTTPS listeners authenticate clients.\nListener \"web-https\": mutualAuthentication.mode is \"off\" | pipe. Fix: set mode \"verify\".",
        }],
    };
}

function forward(report: PreviewReport | ReturnType<typeof tlsPaths>, port = 443): ForwardAction {
    const paths = Array.isArray(report) ? report : report.tlsPaths;
    return paths[0].listeners.find(l => l.port === port)!.action as ForwardAction;
}

describe("offline preview: modules over the real program", function () {
    this.timeout(60_000);
    let dev: ProgramRun;
    let prod: ProgramRun;

    before(async () => {
        dev = await programRun({ stack: "dev", preview: true });
        prod = await programRun({ stack: "prod", preview: true });
    });

    it("traces dev from a verify-mode HTTPS listener through an HTTPS target group to EC2 with a self-managed certificate", () => {
        const [path] = tlsPaths(dev.resources, dev.outputs);
        assert.equal(path.loadBalancer.scheme, "internet-facing");
        assert.equal(path.loadBalancer.zones, 2);
        const https = path.listeners.find(l => l.port === 443)!;
        assert.equal(https.sslPolicy?.minTls, "1.2");
        assert.equal(https.mtls?.mode, "verify");
        assert.equal(https.mtls?.trustStore?.ca?.kind, "self-managed");
        assert.deepEqual(https.mtls?.clients, ["ci-smoke"]);
        assert.equal(https.certificate?.source, "acm-imported");
        const [tg] = forward([path]).targetGroups;
        assert.equal(tg.protocol, "HTTPS");
        assert.equal(tg.healthCheck.protocol, "HTTPS");
        const [tier] = tg.tiers;
        assert.equal(tier.kind, "ec2-asg");
        assert.equal(tier.port, 8443);
        assert.equal(tier.upstream, "http://127.0.0.1:8080");
        assert.equal(tier.certificate?.secret.name, "web-backend-secret");
        assert.equal(tier.certificate?.signedBy?.kind, "self-managed");
        const http = path.listeners.find(l => l.port === 80)!;
        assert.deepEqual(http.action, { type: "redirect", protocol: "HTTPS", port: "443", statusCode: "HTTP_301" });
    });

    it("traces prod to Fargate with certificates from a general-purpose AWS Private CA and a DNS-validated front certificate", () => {
        const paths = tlsPaths(prod.resources, prod.outputs);
        const https = paths[0].listeners.find(l => l.port === 443)!;
        assert.equal(https.certificate?.source, "acm-dns-validated");
        assert.equal(https.certificate?.domainName, "app.example.com");
        assert.equal(https.mtls?.trustStore?.ca?.kind, "aws-private-ca");
        assert.deepEqual(https.mtls?.clients, ["partner-a", "partner-b"]);
        const [tier] = forward(paths).targetGroups[0].tiers;
        assert.equal(tier.kind, "ecs-fargate");
        assert.equal(tier.architecture, "arm64");
        assert.equal(tier.certificate?.signedBy?.kind, "aws-private-ca");
        assert.equal(tier.certificate?.signedBy?.usageMode, "GENERAL_PURPOSE");
    });

    it("reports the plaintext health check AWS applies when a target group leaves the protocol out", () => {
        const resources = dev.resources.map(r => r.type === "aws:lb/targetGroup:TargetGroup"
            ? { ...r, inputs: { ...r.inputs, healthCheck: { path: "/healthz" } } } : r);
        assert.equal(forward(tlsPaths(resources)).targetGroups[0].healthCheck.protocol, "HTTP");
    });

    it("reports a TLS target group without a healthCheck block as AWS checks it, by TCP connect, not as plaintext", () => {
        const resources = dev.resources.map(r => r.type === "aws:lb/targetGroup:TargetGroup"
            ? { ...r, inputs: { ...r.inputs, protocol: "TLS", healthCheck: undefined } } : r);
        const [tg] = forward(tlsPaths(resources)).targetGroups;
        assert.equal(tg.healthCheck.protocol, "TCP");
        const text = renderText(buildReport({ ...dev, resources }, CLEAN), paint(false));
        assert.match(text, /health check TCP traffic-port/);
        assert.match(text, /health checks are TCP connects \(AWS's default here\): no request is sent/);
        assert.doesNotMatch(text, /health checks travel in plaintext/);
    });

    it("prices each line as quantity × unit price × hours and sums the lines", () => {
        for (const cost of [estimateCost(dev.resources, "dev"), estimateCost(prod.resources, "prod")]) {
            const sum = cost.lines.reduce((n, l) => n + l.monthlyUsd, 0);
            assert.ok(Math.abs(sum - cost.monthlyUsd) < 0.01);
            const alb = cost.lines.find(l => l.item === "Application Load Balancer")!;
            assert.equal(alb.monthlyUsd, Math.round(PRICES.albHour.usd * PRICES.hoursPerMonth * 100) / 100);
            assert.equal(cost.pricesAsOf, PRICES.asOf);
        }
    });

    it("counts what drives each stack's cost: no Private CA in dev, a general-purpose one in prod, endpoints per AZ without NAT, a NAT gateway per AZ with it", () => {
        const d = estimateCost(dev.resources, "dev");
        const p = estimateCost(prod.resources, "prod");
        assert.equal(d.lines.some(l => l.item.startsWith("AWS Private CA")), false);
        assert.equal(p.lines.find(l => l.item.startsWith("AWS Private CA"))?.monthlyUsd, 400);
        assert.equal(d.lines.find(l => l.item === "Interface VPC endpoints")?.quantity, 5 * 2, "secretsmanager, ssm, ssmmessages, ec2messages and sns in two AZs");
        assert.equal(p.lines.some(l => l.item === "Interface VPC endpoints"), false, "with NAT the program creates no interface endpoints");
        assert.equal(p.lines.find(l => l.item === "NAT gateway")?.quantity, 3);
        assert.equal(p.lines.find(l => l.item === "Elastic IP addresses (NAT)")?.quantity, 3);
        assert.equal(d.lines.some(l => l.item === "NAT gateway"), false);
        assert.equal(p.lines.find(l => l.item.startsWith("Fargate"))?.quantity, 3);
        assert.ok(d.monthlyUsd < p.monthlyUsd);
    });

    it("prices dev at under a quarter of the public AWS sample, which pays for three NAT gateways and a general-purpose Private CA", () => {
        const sample = sampleArchitectureCost();
        assert.equal(sample.lines.find(l => l.item === "NAT gateway")?.quantity, 3);
        assert.equal(sample.lines.find(l => l.item.startsWith("AWS Private CA"))?.monthlyUsd, 400);
        assert.equal(sample.lines.some(l => l.item.startsWith("Public IPv4 addresses of the ALB")), false, "the sample's ALB is internal");
        assert.ok(estimateCost(dev.resources, "dev").monthlyUsd < sample.monthlyUsd / 4);
    });

    it("shows secret inputs and any PEM private key as [secret]", () => {
        const report = buildReport(dev, CLEAN);
        const json = JSON.stringify(report);
        assert.doesNotMatch(json, /PRIVATE KEY-----/);
        const version = report.resources.find(r => r.type === "aws:secretsmanager/secretVersion:SecretVersion")!;
        assert.equal(version.inputs.secretString, "[secret]");
        const armour = `-----BEGIN ${"EC PRIVATE"} KEY-----\nx`; // built, so no key-shaped text is committed
        assert.deepEqual(redact({ a: { pem: armour }, b: "ok" }, []), { a: { pem: "[secret]" }, b: "ok" });
    });

    it("sets the exit code from mandatory violations only", () => {
        assert.equal(buildReport(dev, CLEAN).exitCode, 0);
        assert.equal(buildReport(dev, withViolation("advisory")).exitCode, 0);
        assert.equal(buildReport(dev, withViolation("mandatory")).exitCode, 1);
    });

    it("warns of prod's placeholder domain, zone and alert address, which a real deploy refuses, in the report, the text and the Markdown, and of nothing in dev", () => {
        const report = buildReport(prod, CLEAN);
        assert.deepEqual(report.warnings.map(w => w.split(" is ")[0]), ["e2e-tls:domainName", "e2e-tls:hostedZoneId", "e2e-tls:alertTarget"]);
        assert.equal(report.exitCode, 0, "a warning is not a policy violation");
        const text = renderText(report, paint(false));
        for (const w of report.warnings) assert.ok(text.includes(`WARNING: ${w}`), text.slice(0, 600));
        assert.match(renderMarkdown(report), /> ⚠️ \*\*WARNING:\*\* e2e-tls:hostedZoneId is "Z0123456789EXAMPLE"/);
        assert.deepEqual(buildReport(dev, CLEAN).warnings, []);
        assert.doesNotMatch(renderText(buildReport(dev, CLEAN), paint(false)), /WARNING/);
    });

    it("draws the tree with every resource under its parent, as pulumi preview does", () => {
        const rows = resourceTree(buildReport(dev, CLEAN).resources);
        assert.equal(rows.length, dev.resources.length);
        assert.equal(rows[0].resource.type, "pulumi:pulumi:Stack");
        assert.equal(rows[0].prefix, "");
        const tier = rows.find(r => r.resource.type === "e2etls:index:WebTier")!;
        assert.match(tier.prefix, /^└─ $/);
        const listeners = rows.find(r => r.resource.type === "e2etls:edge:SecureListeners")!;
        assert.match(listeners.prefix, /^   [├└]─ $/);
        const https = rows.find(r => r.resource.name === "web-https")!;
        assert.match(https.prefix, /^   │  [├└]─ $/);
    });

    it("writes Markdown with a Mermaid flowchart of the TLS path, the violations table and the cost", () => {
        const md = renderMarkdown(buildReport(dev, withViolation("mandatory"), { compareSample: true }));
        assert.match(md, /```mermaid\nflowchart LR\n[\s\S]*HTTPS:443 web-https[\s\S]*```/);
        assert.match(md, /mTLS verify/);
        assert.match(md, /❌ \*\*1 mandatory policy violation\(s\)\*\*/);
        assert.match(md, /\| ❌ mandatory \| `alb-listener-mtls-required` \| web-https \(aws:lb:Listener\) \|/);
        assert.match(md, /"off" \\\| pipe/, "a pipe in a message does not break the table");
        assert.match(md, /AWS sample: mTLS with ALB in Amazon ECS/);
        const mermaid = /```mermaid\n([\s\S]*?)```/.exec(md)![1];
        assert.doesNotMatch(mermaid.replace(/"[^"]*"/g, ""), /[<>]{2}|"/, "labels are quoted and carry no raw quotes");
    });

    it("prints colour only for a terminal without NO_COLOR", () => {
        assert.equal(colourWanted({ isTTY: true }, {}), true);
        assert.equal(colourWanted({ isTTY: true }, { NO_COLOR: "1" }), false);
        assert.equal(colourWanted({ isTTY: false }, {}), false);
        const text = renderText(buildReport(dev, withViolation("mandatory")), paint(false));
        assert.doesNotMatch(text, /\x1b\[/);
        assert.match(text, /mandatory \(1\)\n {4}✗ alb-listener-mtls-required {2}web-https/);
        assert.match(text, /Result: 1 mandatory policy violation/);
    });
});
