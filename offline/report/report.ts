/**
 * Assembles the report from a program run and the pack's verdict. Pure: the CLI and the tests call
 * it with whatever run and policy report they have.
 */
import { ProgramRun, RecordedResource } from "../engine/recorded";
import { alerting } from "./alerts";
import { applicationReport } from "./application";
import { estimateCost, sampleArchitectureCost } from "./cost";
import { policyWithPaths } from "./finding-paths";
import { PolicyReport, PreviewReport, PreviewResource, REPORT_SCHEMA_VERSION } from "./model";
import { mandatoryCount } from "./policy";
import { tlsPaths } from "./tls-path";
import { TOKENS } from "../../policies/shared/tokens";

export const SECRET_PLACEHOLDER = "[secret]";
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export interface BuildOptions {
    /** Add the AWS sample architecture's estimate for comparison. */
    readonly compareSample?: boolean;
}

export function buildReport(run: ProgramRun, policy: PolicyReport, options: BuildOptions = {}): PreviewReport {
    const project = /^urn:pulumi:[^:]+::([^:]+)::/.exec(run.resources[0]?.urn ?? "")?.[1] ?? "";
    const resources = run.resources.map(toPreviewResource);
    const paths = tlsPaths(run.resources, run.outputs);
    const application = applicationReport(run.resources, run.outputs);
    return {
        schemaVersion: REPORT_SCHEMA_VERSION,
        project,
        stack: run.stack,
        warnings: run.warnings,
        resources,
        summary: {
            create: resources.length,
            custom: resources.filter(r => r.custom).length,
            components: resources.filter(r => !r.custom && r.type !== TOKENS.stack).length,
        },
        // Each finding with the request paths its resource is on (finding-paths.ts).
        policy: policyWithPaths(policy, paths),
        tlsPaths: paths,
        alerts: alerting(run.resources),
        ...(application ? { application } : {}),
        cost: estimateCost(run.resources, `${project}/${run.stack}`),
        ...(options.compareSample ? { sampleCost: sampleArchitectureCost() } : {}),
        exitCode: mandatoryCount(policy) > 0 ? 1 : 0,
    };
}

function toPreviewResource(r: RecordedResource): PreviewResource {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        ...(r.parent ? { parent: r.parent } : {}),
        custom: r.custom,
        op: "create",
        inputs: redact(r.inputs, r.secretInputs),
        secretInputs: r.secretInputs,
        dependencies: r.dependencies,
    };
}

/**
 * Inputs fit to print: secret inputs become "[secret]", as `pulumi preview` shows them, and so does
 * any string holding a PEM private key, secret or not.
 */
export function redact(inputs: Record<string, any>, secretInputs: readonly string[]): Record<string, unknown> {
    const scrub = (v: any): any => {
        if (typeof v === "string") return PRIVATE_KEY_PEM.test(v) ? SECRET_PLACEHOLDER : v;
        if (Array.isArray(v)) return v.map(scrub);
        if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
        return v;
    };
    return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, secretInputs.includes(k) ? SECRET_PLACEHOLDER : scrub(v)]));
}
