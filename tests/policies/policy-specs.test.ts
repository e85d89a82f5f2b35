/**
 * Every policy goes through the one framework: it carries a severity, and its published control (if
 * any) is well formed. The rule reference (docs/rules.md) is generated from these specs by
 * `npm run docs`, and its freshness test keeps it in step; no test here reads hand-written tables.
 */
import * as assert from "assert";
import { Severity } from "@pulumi/policy";
import { allPolicies } from "../../policies/rules";
import { ruleModules, RULES } from "./names";

const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

describe("the pack's policy specs", () => {
    it("gives every policy a severity of the SDK's scale", () => {
        const missing = allPolicies.filter((p) => !SEVERITIES.includes(p.severity as Severity)).map((p) => `${p.name}: ${p.severity}`);
        assert.deepStrictEqual(missing, []);
    });

    it("marks every policy that reads key material in plain stores as critical, and nothing else", () => {
        const critical = allPolicies.filter((p) => p.severity === "critical").map((p) => p.name);
        assert.deepStrictEqual(critical, allPolicies.filter((p) => p.name.startsWith("no-key-material-")).map((p) => p.name));
    });

    it("publishes each mirrored control with a complete framework, its Security Hub page and matching tags", () => {
        const mirrored = allPolicies.filter((p) => p.framework || p.url || p.tags);
        assert.ok(mirrored.length >= 10, `only ${mirrored.length} policies name a control`);
        for (const p of mirrored) {
            const f = p.framework;
            assert.ok(f && f.name && f.version && f.reference && f.specification, `${p.name}: incomplete framework ${JSON.stringify(f)}`);
            assert.match(f.reference, /^(ACM|CloudFront|EC2|ECS|ELB)\.\d+$/, `${p.name}: reference`);
            const [service, n] = f.reference.split(".");
            assert.strictEqual(p.url, `https://docs.aws.amazon.com/securityhub/latest/userguide/${service.toLowerCase()}-controls.html#${service.toLowerCase()}-${n}`, `${p.name}: url`);
            assert.deepStrictEqual(p.tags, ["aws-foundational-security-best-practices", `security-hub:${f.reference}`], `${p.name}: tags`);
            assert.ok(!/[.]$/.test(f.specification) && f.specification.length > 20, `${p.name}: specification is the control's title`);
        }
        const references = mirrored.map((p) => p.framework!.reference);
        assert.deepStrictEqual(references.filter((r, i) => references.indexOf(r) !== i), [], "one policy per control");
    });

    it("names in the tests' RULES exactly the policies of each rule module of the rules directory, in order", () => {
        const modules = ruleModules();
        assert.deepStrictEqual(Object.keys(RULES).sort(), modules.map((m) => m.name).sort());
        for (const m of modules) {
            assert.deepStrictEqual(Object.values(RULES[m.name as keyof typeof RULES]), m.policies.map((p) => p.name), `RULES["${m.name}"]`);
        }
    });
});
