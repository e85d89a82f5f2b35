/**
 * Every policy goes through the one framework: it carries a severity, its published control (if
 * any) is well formed, and the README's rule tables say the same as the pack.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Policy, Severity } from "@pulumi/policy";
import { allPolicies } from "../../policies/rules";
import { claimedFamilies } from "../../policies/framework";
import { familiesOf, LB_KINDS, LB_TOKENS, tokensOfShapes } from "../../policies/shared/tokens";
import { ruleModules, RULES } from "./names";

const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];
const README = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");

const RULES_SECTION = README.slice(README.indexOf("### Rules"), README.indexOf("### Config keys"));

/** The rows of the README's "### Rules" tables, by policy name, with cells by header; a `families` cell "as above" is the previous row's of its table. */
function readmeRows(): Map<string, Record<string, string>> {
    const rows = new Map<string, Record<string, string>>();
    let header: string[] = [];
    let previous: Record<string, string> | undefined;
    for (const line of RULES_SECTION.split("\n")) {
        const cells = line.split(" | ").map((c) => c.replace(/^\| ?| ?\|$/g, "").trim());
        if (cells[0] === "policy") {
            header = cells;
            previous = undefined;
        } else if (/^`[a-z0-9-]+`$/.test(cells[0])) {
            assert.strictEqual(cells.length, header.length, `README row of ${cells[0]} has ${cells.length} cells, its table ${header.length}`);
            const row: Record<string, string> = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
            if (row.families === "as above") {
                assert.ok(previous, `README row of ${cells[0]}: "as above" in the first row of its table`);
                row.families = previous.families;
            }
            rows.set(cells[0].slice(1, -1), row);
            previous = row;
        }
    }
    return rows;
}

/** What "ELBv2" in a families cell stands for: the families of every ELBv2 token, from the code. */
const ELBV2_FAMILIES = familiesOf(tokensOfShapes(LB_KINDS.flatMap((k) => LB_TOKENS[k])));

/** The families a README `families` cell names: each backquoted family, plus the ELBv2 families for the word ELBv2 (parenthesised notes carry no backquotes). */
function familiesInCell(cell: string): string[] {
    const quoted = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const elbv2 = /\bELBv2\b/.test(cell.replace(/`[^`]*`/g, "")) ? ELBV2_FAMILIES : [];
    return [...new Set([...quoted, ...elbv2])].sort();
}

/** How the README names the control a policy mirrors. */
const mirrors = (p: Policy) => (p.framework ? `Security Hub ${p.framework.reference}` : "—");

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

    it("lists every policy of the pack in the README's rule tables, with its level, severity and the control it mirrors", () => {
        const rows = readmeRows();
        assert.deepStrictEqual([...rows.keys()].sort(), allPolicies.map((p) => p.name).sort());
        for (const p of allPolicies) {
            const row = rows.get(p.name)!;
            assert.ok(row["default level"].startsWith(p.enforcementLevel!), `${p.name}: README says level ${row["default level"]}, the pack ${p.enforcementLevel}`);
            assert.strictEqual(row.severity, p.severity, `${p.name}: severity`);
            assert.strictEqual(row.mirrors, mirrors(p), `${p.name}: mirrored control`);
        }
    });

    it("lists in each README row's families cell exactly the token families the policy claims", () => {
        const rows = readmeRows();
        const wrong = allPolicies.map((p) => ({ p, cell: rows.get(p.name)?.families ?? "(no families cell)" }))
            .filter(({ p, cell }) => familiesInCell(cell).join(" ") !== claimedFamilies(p).join(" "))
            .map(({ p, cell }) => `${p.name}: the README says "${cell}" (read as [${familiesInCell(cell).join(", ")}]), the code claims [${claimedFamilies(p).join(", ")}]`);
        assert.deepStrictEqual(wrong, []);
    });

    it("spells out in the README what ELBv2 stands for in a families cell, as the code has the ELBv2 families", () => {
        const line = RULES_SECTION.split("\n").find((l) => l.startsWith("ELBv2 in a families cell stands for "));
        assert.ok(line, "the README's rule section does not say what ELBv2 stands for");
        assert.deepStrictEqual(familiesInCell(line.replace(/^ELBv2/, "")), ELBV2_FAMILIES);
    });

    it("reads a families cell by its backquoted families and the ELBv2 shorthand only", () => {
        assert.deepStrictEqual(familiesInCell("`tls`, `aws:acmpca` (v5 and older)"), ["aws:acmpca", "tls"]);
        assert.deepStrictEqual(familiesInCell("— (reads the other policies' findings)"), []);
        assert.deepStrictEqual(familiesInCell("ELBv2, `aws:ecs`"), [...ELBV2_FAMILIES, "aws:ecs"].sort());
        assert.ok(!familiesInCell("ELBv2").includes("aws:elb"), "the classic load balancer is not an ELBv2 family");
    });
});
