/**
 * Evaluates the policy pack over the analyzer protocol, as `pulumi preview --policy-pack` does:
 * the pack is started the way the CLI starts it (offline/analyzer/harness.ts), configured with the
 * --policy-config file, asked to remediate each resource when a policy runs at the remediate
 * level, then `Analyze`d resource by resource and `AnalyzeStack`ed once for the whole stack.
 */
import * as fs from "fs";
import {
    analyzableResources, stackAnalysisResources, PackHandle, PolicyPackConfigInput, reconcileConfig, startPack,
} from "../analyzer/harness";
import { RecordedResource } from "../engine/recorded";
import { Level, PolicyExemption, PolicyRemediation, PolicyReport, PolicyViolation } from "./model";
import { parseExemptionMessage } from "../../policies/framework/exemptions";
import { exemptionsApplied } from "../../policies/rules/exemptions";
import { TOKENS } from "../../policies/shared/tokens";

/** A --policy-config file that cannot be read or does not fit the pack. */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

/** Reads a policy pack config file (the format of `pulumi preview --policy-pack-config`). */
export function readPolicyConfig(file: string): PolicyPackConfigInput {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e: any) {
        throw new PolicyConfigError(`--policy-config ${file} cannot be read: ${e.code ?? e.message}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e: any) {
        throw new PolicyConfigError(`--policy-config ${file} is not JSON: ${e.message}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new PolicyConfigError(`--policy-config ${file} must hold an object keyed by policy name (or "all")`);
    }
    return parsed as PolicyPackConfigInput;
}

/**
 * Starts the pack and configures it. Call early: the pack starts in its own process while the
 * program runs in this one.
 */
export async function startConfiguredPack(config: PolicyPackConfigInput, configFile?: string): Promise<PackHandle> {
    const pack = await startPack({ configure: false });
    try {
        await pack.configure(config);
    } catch (e: any) {
        await pack.close();
        // The harness refuses unknown policies and properties the way the CLI does.
        throw new PolicyConfigError(`--policy-config ${configFile ?? "(none)"}: ${e.details ?? e.message}`);
    }
    return pack;
}

const ORDER: Record<Level, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

/** Runs the pack over a program's resources and returns the report. */
export async function evaluatePolicies(pack: PackHandle, resources: readonly RecordedResource[], config: PolicyPackConfigInput, configFile?: string): Promise<PolicyReport> {
    const info = await pack.getAnalyzerInfo();
    const levels = reconcileConfig(info, config);
    const evaluated = Object.values(levels).filter(c => c.enforcementLevel !== "disabled").length;
    const remediating = Object.values(levels).some(c => c.enforcementLevel === "remediate");

    const violations: PolicyViolation[] = [];
    const remediations: PolicyRemediation[] = [];
    const analyzed: RecordedResource[] = [];
    for (const r of analyzableResources(resources)) {
        let inputs = r.inputs;
        if (remediating) {
            const { remediations: changes } = await pack.remediate(r);
            for (const c of changes) {
                remediations.push({ policy: c.policyName, urn: r.urn, description: c.diagnostic ?? c.description });
                if (c.properties) inputs = c.properties;
            }
        }
        const subject = inputs === r.inputs ? r : { ...r, inputs };
        analyzed.push(subject);
        const result = await pack.analyze(subject);
        violations.push(...result.diagnostics.map(d => ({ policy: d.policyName, level: d.enforcementLevel as Level, urn: d.urn || r.urn, message: d.message })));
    }
    const stack = resources.find(r => r.type === TOKENS.stack);
    const remediated = new Map(analyzed.map(r => [r.urn, r]));
    const stackResult = await pack.analyzeStack(stackAnalysisResources(resources).map(r => remediated.get(r.urn) ?? r));
    violations.push(...stackResult.diagnostics.map(d => ({
        policy: d.policyName, level: d.enforcementLevel as Level, urn: d.urn || stack?.urn || "", message: d.message,
    })));

    return policyReport({ pack: info.name, version: info.version, policiesEvaluated: evaluated, configFile, violations, remediations });
}

/**
 * The report of a run's findings, however they were collected (this harness, or a real preview's
 * events, preview-events.ts): the pack's exemption lines listed apart with their reasons, the rest
 * sorted mandatory first, then by policy and URN.
 */
export function policyReport(run: Omit<PolicyReport, "exemptions">): PolicyReport {
    // The pack reports each exemption as an advisory line: the report lists them apart, with their reasons.
    const exemptions: PolicyExemption[] = [];
    for (const v of run.violations.filter((x) => x.policy === exemptionsApplied.name)) {
        const parsed = parseExemptionMessage(v.message);
        if (parsed) exemptions.push({ policy: parsed.policy, urn: v.urn, selector: `${parsed.selector} until ${parsed.expires}`, reason: parsed.reason });
    }
    const reported = run.violations.filter((x) => x.policy !== exemptionsApplied.name || !parseExemptionMessage(x.message));
    reported.sort((a, b) => ORDER[a.level] - ORDER[b.level] || a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn));
    return { ...run, violations: reported, exemptions };
}

/** Mandatory violations: the ones that fail `pulumi preview`. */
export function mandatoryCount(report: PolicyReport): number {
    return report.violations.filter(v => v.level === "mandatory").length;
}
