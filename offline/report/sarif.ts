/**
 * The preview's policy verdict as SARIF 2.1.0 for GitHub code scanning (`--sarif <file>`).
 *
 * Shape as GitHub's "SARIF support for code scanning" reference asks for it
 * (docs.github.com/code-security/reference/code-scanning/sarif-files/sarif-support): one run whose
 * `tool.driver.rules` describe every policy (id, shortDescription, fullDescription, help, helpUri,
 * `properties.tags` and `properties.security-severity`, a score GitHub maps to critical > 9.0,
 * high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9, and only reads when the tags include "security";
 * `properties.families`, the token families the rule judges, is the pack's own property-bag entry);
 * one result per violation with `ruleId`, `ruleIndex`, `level`, `message.text`, a physical location
 * (the stack's `Pulumi.<stack>.yaml`: a stack has no source line per resource) and a logical
 * location carrying the URN; `partialFingerprints` so the same finding stays one alert across
 * runs. Exempted findings are results with a SARIF `suppressions` entry whose justification is
 * the exemption's reason (SARIF 2.1.0 §3.35).
 *
 * A finding whose resource is on request paths (PolicyViolation.paths, finding-paths.ts) lists
 * them in `relatedLocations` (§3.27.22: unique location objects, each with an `id` unique in the
 * result and a `message`): one location per path, its message the path, its logical locations
 * the URN of each hop, and the same physical location as the result, which GitHub's reference
 * marks required on a location. The message and the fingerprint do not change with the paths.
 * GitHub's reference says code scanning links the related locations a result's message embeds;
 * these messages embed none (they stay as the pack wrote them), so GitHub may not show the paths.
 */
import { createHash } from "crypto";
import { Policy } from "@pulumi/policy";
import { allPolicies } from "../../policies/rules";
import { claimedFamilies } from "../../policies/framework";
import { requestPaths } from "./finding-paths";
import { Level, PolicyReport, TlsPath } from "./model";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** `security-severity` scores, one inside each of GitHub's bands. */
const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/** SARIF `level` of a finding at an enforcement level: only mandatory findings fail a preview. */
const SARIF_LEVEL: Record<Level, "error" | "warning" | "note"> = { mandatory: "error", remediate: "warning", advisory: "warning", disabled: "note" };

export interface SarifOptions {
    readonly stack: string;
    /** The stack file's path from the repository root, e.g. `infra/Pulumi.dev.yaml` (default `Pulumi.<stack>.yaml`). */
    readonly stackFile?: string;
    /** The report's TLS paths, which name the hops of each finding's paths (relatedLocations). */
    readonly tlsPaths?: readonly TlsPath[];
}

function rule(p: Policy) {
    const severity = p.severity ?? "medium";
    return {
        id: p.name,
        name: p.name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
        shortDescription: { text: p.description.split(/(?<=[.:])\s/)[0].slice(0, 1000) },
        fullDescription: { text: p.description },
        help: { text: p.remediationSteps ?? p.description },
        ...(p.url ? { helpUri: p.url } : {}),
        defaultConfiguration: { level: SARIF_LEVEL[(p.enforcementLevel ?? "advisory") as Level] },
        properties: {
            tags: ["security", "pulumi-crossguard", ...(p.tags ?? [])],
            "security-severity": SECURITY_SEVERITY[severity] ?? SECURITY_SEVERITY.medium,
            precision: "high",
            // The token families the rule judges or reads, as the rule reference (docs/rules.md) lists them.
            families: claimedFamilies(p),
        },
    };
}

const fingerprint = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
const logicalName = (urn: string) => urn.split("::").pop() ?? urn;

/** The SARIF log of a policy report. */
export function toSarif(policy: PolicyReport, options: SarifOptions) {
    const rules = allPolicies.map(rule);
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const uri = options.stackFile ?? `Pulumi.${options.stack}.yaml`;
    const physicalLocation = { artifactLocation: { uri, uriBaseId: "%SRCROOT%" }, region: { startLine: 1 } };
    const resource = (urn: string) => ({ name: logicalName(urn), fullyQualifiedName: urn, kind: "resource" });
    const hops = new Map(requestPaths(options.tlsPaths ?? []).map((p) => [p.text, p.hops]));
    const related = (paths: readonly string[] | undefined) => (paths && paths.length > 0 ? {
        relatedLocations: paths.map((text, id) => ({
            id,
            message: { text },
            physicalLocation,
            logicalLocations: (hops.get(text) ?? []).map((h) => resource(h.urn)),
        })),
    } : {});
    const result = (ruleId: string, level: Level, urn: string, text: string, paths?: readonly string[]) => ({
        ruleId,
        ...(index.has(ruleId) ? { ruleIndex: index.get(ruleId) } : {}),
        level: SARIF_LEVEL[level],
        message: { text },
        locations: [{ physicalLocation, logicalLocations: [resource(urn)] }],
        ...related(paths),
        partialFingerprints: { "e2eTlsGuardFinding/v1": fingerprint(ruleId, urn, text) },
    });
    const results = [
        ...policy.violations.map((v) => result(v.policy, v.level, v.urn, v.message, v.paths)),
        ...(policy.exemptions ?? []).map((e) => ({
            ...result(e.policy, "advisory", e.urn, `Exempted by ${e.selector}: ${e.reason}`),
            suppressions: [{ kind: "external", status: "accepted", justification: e.reason }],
        })),
    ];
    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: policy.pack, version: policy.version, semanticVersion: policy.version.replace(/^v/, ""), rules } },
            automationDetails: { id: `${policy.pack}/${options.stack}/` },
            invocations: [{ executionSuccessful: true }],
            results,
        }],
    };
}
