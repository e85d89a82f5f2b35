/**
 * The rule reference, docs/rules.md, generated whole by `npm run docs` from the pack's specs: every
 * policy the pack serves (policies/rules/), grouped by the rule module that declares it (as
 * offline/analyzer/rule-modules.ts reads the modules), with its description, levels (the default
 * and each config of policies/config/, reconciled as the Pulumi CLI does), severity, token
 * families, mirrored control, fix and config keys with their defaults.
 */
import * as fs from "fs";
import * as path from "path";
import { Policy } from "@pulumi/policy";
import { allPolicies } from "../../policies/rules";
import { claimedFamilies, EXEMPTIONS_KEY, exemptionsParam } from "../../policies/framework";
import { packIdentity, DEFAULT_PACK_DIR } from "../analyzer/build";
import { AnalyzerInfo, EnforcementLevel, PolicyPackConfigInput, reconcileConfig } from "../analyzer/config";
import { ruleModules } from "../analyzer/rule-modules";
import { code } from "../report/escape";
import { configValue, DocsError, prose, table } from "./docs-blocks";

/** The rule reference, relative to the pages' root. */
export const RULES_PAGE = "docs/rules.md";
/** What regenerates the generated pages and blocks. */
export const REGENERATE = "npm run docs";

/** The pack's policy config files (policies/config/*.json), by name without `.json`. */
export function packConfigs(packDir: string = DEFAULT_PACK_DIR): Record<string, PolicyPackConfigInput> {
    const dir = path.join(packDir, "config");
    return Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
        .map((f) => [f.replace(/\.json$/, ""), JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"))]));
}

/** The pack as `GetAnalyzerInfo` would describe it, from its specs (no pack started). */
function analyzerInfo(policies: readonly Policy[]): AnalyzerInfo {
    const { name, version } = packIdentity();
    return {
        name, version, supportsConfig: true,
        policies: policies.map((p) => ({
            name: p.name, displayName: p.name, description: p.description,
            enforcementLevel: (p.enforcementLevel ?? "advisory") as EnforcementLevel,
            policyType: "validateStack" in p ? "stack" : "resource",
            configSchema: p.configSchema ? { properties: p.configSchema.properties, required: p.configSchema.required ?? [] } : undefined,
        })),
    };
}

/** Each policy's level under the default config ("default") and under each of the pack's config files, by policy name. */
export function levelsByConfig(policies: readonly Policy[] = allPolicies): Record<string, Record<string, EnforcementLevel>> {
    const info = analyzerInfo(policies);
    const configs: Record<string, PolicyPackConfigInput> = { default: {}, ...packConfigs() };
    return Object.fromEntries(Object.entries(configs).map(([name, config]) => {
        const reconciled = reconcileConfig(info, config);
        return [name, Object.fromEntries(Object.entries(reconciled).map(([p, c]) => [p, c.enforcementLevel]))];
    }));
}

/** A JSON-schema property's type as the page shows it: `array of string`, `string (one of …)`, bounds. */
function schemaType(s: Record<string, any>): string {
    const base = s.type === "array" && s.items?.type ? `array of ${s.items.type}` : String(s.type ?? "any");
    const notes = [
        ...(s.enum ? [`one of ${s.enum.map((e: unknown) => code(String(e))).join(", ")}`] : []),
        ...(s.minimum !== undefined ? [`≥ ${s.minimum}`] : []),
        ...(s.maximum !== undefined ? [`≤ ${s.maximum}`] : []),
    ];
    return notes.length > 0 ? `${base} (${notes.join(", ")})` : base;
}

/** The policies of the pack grouped by rule module, modules in the order of their first policy in the pack. */
function groups(policies: readonly Policy[]): { module: string; policies: Policy[] }[] {
    const moduleOf = new Map<string, string>();
    for (const m of ruleModules()) for (const p of m.policies) moduleOf.set(p.name, m.name);
    const out: { module: string; policies: Policy[] }[] = [];
    for (const p of policies) {
        const module = moduleOf.get(p.name);
        if (!module) throw new DocsError(`policy ${p.name} is in the pack but in no module of policies/rules/ that exports it`);
        const group = out.find((g) => g.module === module) ?? (out.push({ module, policies: [] }), out[out.length - 1]);
        group.policies.push(p);
    }
    return out;
}

const anchor = (name: string) => name.toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-");

/** docs/rules.md: every policy of the pack, from its spec. */
export function renderRulesPage(policies: readonly Policy[] = allPolicies): string {
    const { name, version } = packIdentity();
    const levels = levelsByConfig(policies);
    const configNames = Object.keys(levels);
    const byModule = groups(policies);
    const levelCell = (p: Policy) => configNames.map((c) => `${c}: ${levels[c][p.name]}`).join(", ");
    const control = (p: Policy) => p.framework && p.url ? `[Security Hub ${p.framework.reference}](${p.url})` : "—";
    const families = (p: Policy) => claimedFamilies(p).map(code).join(", ") || "— (reads the other policies' findings)";
    const out: string[] = [
        `<!-- Generated by \`${REGENERATE}\` from the pack's specs (policies/rules/): do not edit; change the spec and run it again. -->`,
        "",
        `# Rule reference: ${name} ${version}`,
        "",
        `The ${policies.length} policies of the pack, grouped by the module of policies/rules/ that declares them, in the order the pack serves them. ` +
        `Each policy's level is its default, then the level each config of policies/config/ gives it (${configNames.filter((c) => c !== "default").map((c) => code(`${c}.json`)).join(", ")}). ` +
        `Families are the type-token families the policy judges or reads; a policy that mirrors an AWS Security Hub control links it.`,
        "",
        `Every policy also takes ${code(EXEMPTIONS_KEY)} (${schemaType(exemptionsParam.schema)}, default ${configValue(exemptionsParam.default)}): ${prose(exemptionsParam.schema.description ?? "")}`,
        "",
        "## Summary",
        "",
        table(["policy", "default level", "severity", "families", "control"],
            policies.map((p) => [`[${code(p.name)}](#${anchor(p.name)})`, p.enforcementLevel ?? "advisory", p.severity ?? "—", families(p), control(p)])),
    ];
    for (const g of byModule) {
        out.push("", `## ${g.module} (${code(`policies/rules/${g.module}.ts`)})`);
        for (const p of g.policies) {
            out.push("", `### ${p.name}`, "", prose(p.description), "");
            out.push(`- **Level**: ${levelCell(p)}`);
            out.push(`- **Severity**: ${p.severity ?? "—"}`);
            out.push(`- **Kind**: ${"validateStack" in p ? "stack policy (reads the whole stack)" : "resource policy"}`);
            out.push(`- **Families**: ${families(p)}`);
            if (p.framework && p.url) out.push(`- **Control**: ${control(p)}: ${prose(p.framework.specification)}`);
            if (p.remediationSteps) out.push(`- **Fix**: ${prose(p.remediationSteps)}`);
            const keys = Object.entries(p.configSchema?.properties ?? {}).filter(([k]) => k !== EXEMPTIONS_KEY);
            if (keys.length > 0) {
                out.push("", table(["config key", "type", "default", "meaning"],
                    keys.map(([k, s]) => [code(k), schemaType(s as Record<string, any>), configValue((s as any).default), prose((s as any).description ?? "")])));
            }
        }
    }
    return out.join("\n") + "\n";
}
