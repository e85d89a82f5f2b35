/**
 * SARIF for GitHub code scanning (offline/report/sarif.ts, `preview --sarif`): the fields GitHub's
 * SARIF subset requires are there and consistent, levels follow enforcement, severities fall in
 * GitHub's bands, exemptions are suppressions with their reason; and the offline preview writes
 * it, listing each exemption that applied with its reason in every report form.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allPolicies } from "../../policies/rules";
import { claimedFamilies } from "../../policies/framework";
import { PolicyReport } from "../../offline/report/model";
import { toSarif } from "../../offline/report/sarif";
import { runOfflineCommand } from "./spawn";

const URN = "urn:pulumi:dev::e2e-tls::aws:lb/listener:Listener::web-https";
const REASON = "Dev stack has no deletion protection by design (ADR-7)";

/** The properties GitHub's SARIF support reference marks required, and their consistency. */
function assertGithubSarif(log: any): void {
    assert.equal(log.version, "2.1.0");
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(typeof run.tool.driver.name, "string");
    const ids = run.tool.driver.rules.map((r: any) => r.id);
    assert.equal(new Set(ids).size, ids.length, "rule ids are unique");
    for (const r of run.tool.driver.rules) {
        assert.ok(r.shortDescription.text && r.fullDescription.text && r.help.text, `${r.id}: descriptions and help`);
        assert.ok(r.properties.tags.includes("security"), `${r.id}: GitHub reads security-severity only with the "security" tag`);
        const score = Number(r.properties["security-severity"]);
        assert.ok(score > 0 && score <= 10, `${r.id}: security-severity ${r.properties["security-severity"]}`);
    }
    for (const res of run.results) {
        assert.ok(ids.includes(res.ruleId), `result names rule ${res.ruleId}`);
        assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId, "ruleIndex points at the rule");
        assert.ok(["error", "warning", "note"].includes(res.level));
        assert.ok(res.message.text.length > 0);
        assert.ok(res.locations.length >= 1 && res.locations.length <= 10);
        assert.equal(typeof res.locations[0].physicalLocation.artifactLocation.uri, "string");
        assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
        assert.match(res.locations[0].logicalLocations[0].fullyQualifiedName, /^urn:pulumi:/);
        assert.equal(Object.keys(res.partialFingerprints).length, 1);
    }
}

describe("SARIF output", () => {
    const report: PolicyReport = {
        pack: "e2e-tls-guard", version: "1.1.0", policiesEvaluated: 3,
        violations: [
            { policy: "alb-listener-mtls-required", level: "mandatory", urn: URN, message: "mTLS off" },
            { policy: "alb-access-logs-enabled", level: "advisory", urn: URN.replace("listener:Listener::web-https", "loadBalancer:LoadBalancer::web"), message: "no logs" },
        ],
        remediations: [],
        exemptions: [{ policy: "alb-deletion-protection-enabled", urn: URN, selector: 'stack "e2e-tls/dev" until 2099-12-31', reason: REASON }],
    };

    it("describes every policy of the pack as a rule, with its severity in GitHub's band, its control's page and its token families", () => {
        const log = toSarif(report, { stack: "dev" });
        assertGithubSarif(log);
        const rules = log.runs[0].tool.driver.rules;
        assert.deepEqual(rules.map((r) => r.id), allPolicies.map((p) => p.name));
        const band = { critical: [9, 10], high: [7, 8.9], medium: [4, 6.9], low: [0.1, 3.9] } as Record<string, number[]>;
        for (const p of allPolicies) {
            const r = rules.find((x) => x.id === p.name)!;
            const [lo, hi] = band[p.severity!];
            const score = Number(r.properties["security-severity"]);
            assert.ok(score >= lo && score <= hi, `${p.name}: ${p.severity} scored ${score}`);
            assert.equal((r as any).helpUri, p.url, `${p.name}: helpUri is the control's page`);
            assert.deepEqual(r.properties.families, claimedFamilies(p), `${p.name}: families`);
        }
    });

    it("makes mandatory findings errors and advisory ones warnings, located at the stack file with the URN", () => {
        const results = toSarif(report, { stack: "dev" }).runs[0].results;
        assert.deepEqual(results.map((r) => [r.ruleId, r.level]), [
            ["alb-listener-mtls-required", "error"], ["alb-access-logs-enabled", "warning"], ["alb-deletion-protection-enabled", "warning"],
        ]);
        assert.equal(results[0].locations[0].physicalLocation.artifactLocation.uri, "Pulumi.dev.yaml");
        assert.equal(results[0].locations[0].logicalLocations[0].fullyQualifiedName, URN);
        assert.equal(toSarif(report, { stack: "dev", stackFile: "infra/Pulumi.dev.yaml" }).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, "infra/Pulumi.dev.yaml");
        assert.notEqual(results[0].partialFingerprints["e2eTlsGuardFinding/v1"], results[1].partialFingerprints["e2eTlsGuardFinding/v1"]);
    });

    it("marks an exempted finding as a suppressed result whose justification is the exemption's reason", () => {
        const exempted = toSarif(report, { stack: "dev" }).runs[0].results[2] as any;
        assert.deepEqual(exempted.suppressions, [{ kind: "external", status: "accepted", justification: REASON }]);
        assert.match(exempted.message.text, /^Exempted by stack "e2e-tls\/dev" until 2099-12-31: /);
    });

    it("is written by the offline preview with --sarif, which lists the applied exemption with its reason in JSON, text and Markdown", async function () {
        this.timeout(180_000);
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-"));
        const config = path.join(tmp, "policy.json");
        fs.writeFileSync(config, JSON.stringify({
            "alb-listener-mtls-required": { enforcementLevel: "mandatory", requireVerify: true },
            "alb-deletion-protection-enabled": { exemptions: [{ stack: "e2e-tls/dev", reason: REASON, expires: "2099-12-31" }] },
        }));
        const [sarif, md] = [path.join(tmp, "out.sarif"), path.join(tmp, "out.md")];
        const json = await runOfflineCommand("preview", ["--stack", "dev", "--config", "mtlsMode=off", "--policy-config", config, "--json", "--sarif", sarif, "--markdown", md]);
        assert.equal(json.code, 1, json.stderr);
        const doc = JSON.parse(json.stdout);
        assert.deepEqual(doc.policy.exemptions.map((e: any) => [e.policy, e.selector, e.reason]), [["alb-deletion-protection-enabled", 'stack "e2e-tls/dev" until 2099-12-31', REASON]]);
        assert.deepEqual(doc.policy.violations.filter((v: any) => v.policy === "alb-deletion-protection-enabled" || v.policy === "policy-exemptions-applied"), [],
            "the exempted finding is neither a violation nor a second line");
        const log = JSON.parse(fs.readFileSync(sarif, "utf8"));
        assertGithubSarif(log);
        const results = log.runs[0].results;
        assert.ok(results.some((r: any) => r.ruleId === "alb-listener-mtls-required" && r.level === "error"), "the mandatory finding is an error");
        assert.ok(results.some((r: any) => r.ruleId === "alb-deletion-protection-enabled" && r.suppressions?.[0]?.justification === REASON));
        assert.match(fs.readFileSync(md, "utf8"), new RegExp(`exempted from \`alb-deletion-protection-enabled\`: .* by stack "e2e-tls/dev" until 2099-12-31: ${REASON.replace(/[()]/g, "\\$&")}`));
        const text = await runOfflineCommand("preview", ["--stack", "dev", "--policy-config", config]);
        assert.match(text.stdout, new RegExp(`exempted from alb-deletion-protection-enabled: .* by stack "e2e-tls/dev" until 2099-12-31: ${REASON.replace(/[()]/g, "\\$&")}`));
    });
});
