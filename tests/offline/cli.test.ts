/**
 * The offline preview as a user runs it: a child process per case, so exit codes, stdout and
 * stderr are the real ones. Each run takes a few seconds (program, pack start, analysis), so the
 * cases are few and each checks several things.
 */
import { strict as assert } from "assert";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { programRun } from "../program/support";
import { runOfflineCommand } from "./spawn";


const previewOffline = (args: string[]) => runOfflineCommand("preview", args);

/** The documented JSON schema (docs/offline-preview.md, section "JSON"), checked field by field. */
function assertReportShape(doc: any): void {
    assert.equal(doc.schemaVersion, 1);
    assert.equal(typeof doc.stack, "string");
    assert.equal(typeof doc.project, "string");
    assert.ok(Array.isArray(doc.warnings) && doc.warnings.every((w: unknown) => typeof w === "string"));
    assert.ok(Array.isArray(doc.resources) && doc.resources.length > 0);
    for (const r of doc.resources) {
        assert.equal(typeof r.urn, "string");
        assert.equal(typeof r.type, "string");
        assert.equal(typeof r.name, "string");
        assert.equal(typeof r.custom, "boolean");
        assert.equal(r.op, "create");
        assert.equal(typeof r.inputs, "object");
        assert.ok(Array.isArray(r.secretInputs) && Array.isArray(r.dependencies));
    }
    assert.equal(doc.summary.create, doc.resources.length);
    assert.equal(typeof doc.policy.pack, "string");
    assert.equal(typeof doc.policy.version, "string");
    assert.ok(Number.isInteger(doc.policy.policiesEvaluated) && doc.policy.policiesEvaluated > 0);
    assert.ok(Array.isArray(doc.policy.remediations));
    for (const v of doc.policy.violations) {
        assert.deepEqual(Object.keys(v).filter(k => k !== "paths").sort(), ["level", "message", "policy", "urn"]);
        if ("paths" in v) assert.ok(Array.isArray(v.paths) && v.paths.length > 0 && v.paths.every((p: unknown) => typeof p === "string"), "paths: one string per request path");
        assert.ok(["mandatory", "advisory", "remediate"].includes(v.level));
    }
    assert.ok(Array.isArray(doc.tlsPaths));
    for (const p of doc.tlsPaths) {
        assert.equal(typeof p.loadBalancer.urn, "string");
        assert.ok(Array.isArray(p.listeners));
    }
    if ("application" in doc) {
        const a = doc.application;
        assert.ok(["demo", "image", "start-command"].includes(a.source), a.source);
        assert.ok(Number.isInteger(a.port) && typeof a.healthCheck.path === "string" && typeof a.healthCheck.codes === "string");
        for (const s of a.secrets) assert.deepEqual(Object.keys(s).sort(), ["arn", "from", "name"]);
    }
    assert.equal(doc.cost.currency, "USD");
    assert.equal(typeof doc.cost.pricesAsOf, "string");
    for (const l of doc.cost.lines) {
        for (const k of ["item", "unit", "assumption"]) assert.equal(typeof l[k], "string");
        for (const k of ["quantity", "unitPriceUsd", "monthlyUsd"]) assert.equal(typeof l[k], "number");
    }
    const sum = doc.cost.lines.reduce((n: number, l: any) => n + l.monthlyUsd, 0);
    assert.ok(Math.abs(sum - doc.cost.monthlyUsd) < 0.01, `total ${doc.cost.monthlyUsd} is the sum of its lines ${sum}`);
    assert.ok(doc.exitCode === 0 || doc.exitCode === 1);
}

describe("npm run preview:offline", function () {
    this.timeout(120_000);
    let tmp: string;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "preview-offline-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("exits 0 for dev, prints a JSON report that follows the schema and lists exactly what the program registers, and writes the Markdown", async () => {
        const md = path.join(tmp, "dev.md");
        const result = await previewOffline(["--stack", "dev", "--json", "--markdown", md]);
        assert.equal(result.code, 0, result.stderr);
        const doc = JSON.parse(result.stdout);
        assertReportShape(doc);
        assert.equal(doc.stack, "dev");
        assert.deepEqual(doc.warnings, [], "dev has no placeholder");
        assert.equal(doc.policy.violations.filter((v: any) => v.level === "mandatory").length, 0);

        const run = await programRun({ stack: "dev", preview: true });
        // Registration order depends on when each Output resolves: compare the sets.
        assert.deepEqual(doc.resources.map((r: any) => r.urn).sort(), run.resources.map(r => r.urn).sort());
        assert.doesNotMatch(result.stdout, /PRIVATE KEY-----/, "the JSON report carries no private key");

        const markdown = fs.readFileSync(md, "utf8");
        assert.match(markdown, /```mermaid\nflowchart LR\n/);
        assert.match(markdown, /### Policy report/);
        assert.match(markdown, /✅ \*\*No mandatory policy violation\*\*/);
        assert.match(markdown, /### Monthly cost estimate/);
        assert.match(result.stderr, /› done in/, "progress goes to stderr");
    });

    it("exits 0 for prod and its human report lists the resources the program registers, the TLS path and the cost", async () => {
        const result = await previewOffline(["--stack", "prod"]);
        assert.equal(result.code, 0, result.stderr);
        const run = await programRun({ stack: "prod", preview: true });
        assert.match(result.stdout, new RegExp(`\\+ ${run.resources.length} to create`));
        for (const r of run.resources.filter(x => x.type === "aws:lb/listener:Listener" || x.type.startsWith("e2etls:"))) {
            assert.ok(result.stdout.includes(r.name), `the tree names ${r.type} ${r.name}`);
        }
        assert.match(result.stdout, /mTLS {4}verify; trust store web .* AWS Private CA web-root/);
        assert.match(result.stdout, /tier web-service: ECS Fargate service/);
        assert.match(result.stdout, /AWS Private CA \(general-purpose\)/);
        // The committed placeholders, which a real deploy refuses, are shown rather than refused.
        assert.match(result.stdout, /^WARNING: e2e-tls:domainName is "app\.example\.com", a name under example\.com, .* refuses it\.$/m);
        assert.match(result.stdout, /^WARNING: e2e-tls:hostedZoneId is "Z0123456789EXAMPLE", a placeholder, .* refuses it\.$/m);
        assert.doesNotMatch(result.stdout, /\x1b\[/, "no colour when stdout is not a terminal");
    });

    it("exits 2 and names the key when the stack's config is invalid", async () => {
        const result = await previewOffline(["--stack", "dev", "--config", "e2e-tls:azCount=1"]);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /error: e2e-tls:azCount is 1\. Use a whole number from 2 to 6\./);
        assert.equal(result.stdout, "", "nothing but the error is printed");
    });

    it("exits 1 when a policy config makes mTLS mandatory on a stack that turns it off, and names the rule and the listener; with mTLS off, no runtime warning and --emit-pki writes the CA and the backend", async () => {
        const config = path.join(tmp, "mtls-mandatory.json");
        fs.writeFileSync(config, JSON.stringify({ "alb-listener-mtls-required": { enforcementLevel: "mandatory", requireVerify: true } }));
        const md = path.join(tmp, "strict.md");
        const pki = path.join(tmp, "pki-mtls-off");
        const result = await previewOffline(["--stack", "dev", "--config", "mtlsMode=off", "--policy-config", config, "--json", "--markdown", md, "--emit-pki", pki]);
        assert.equal(result.code, 1, result.stderr);
        assert.doesNotMatch(result.stderr, /\[runtime\]|Undefined value/, "no output is left undefined");
        const ca = new X509Certificate(fs.readFileSync(path.join(pki, "ca.pem")));
        assert.ok(new X509Certificate(fs.readFileSync(path.join(pki, "backend.crt"))).verify(ca.publicKey), "ca.pem is the CA that signed the backend");
        const doc = JSON.parse(result.stdout);
        assertReportShape(doc);
        const mandatory = doc.policy.violations.filter((v: any) => v.level === "mandatory");
        assert.deepEqual(mandatory.map((v: any) => v.policy), ["alb-listener-mtls-required"]);
        assert.match(mandatory[0].urn, /aws:lb\/listener:Listener::web-https$/);
        assert.match(mandatory[0].message, /mutualAuthentication\.mode is "off"/);
        assert.equal(doc.policy.violations[0].level, "mandatory", "mandatory violations come first");
        assert.match(fs.readFileSync(md, "utf8"), /❌ \*\*1 mandatory policy violation\(s\)\*\*/);
    });
});
