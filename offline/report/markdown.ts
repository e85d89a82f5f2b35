/**
 * The report as Markdown for a pull-request comment or a job summary: verdict first, the TLS path
 * as a Mermaid flowchart, the policy report, the cost table, and the resource tree folded away.
 * Every name, message and value goes through escape.ts (md, code, fence, mermaidLabel).
 */
import { describeApplication } from "./application";
import { code, fence, md, mermaidLabel as label } from "./escape";
import { CaRef, CostEstimate, PolicyReport, PreviewReport, TargetGroupHop, TlsPath } from "./model";
import type { PreviewEvents } from "./preview-events";
import { mandatoryCount } from "./policy";
import {
    describeAlertTarget, describeFrontCertificate, describeMtls, describePolicy, describeTargetGroup, describeTier, describeTierCertificate,
    formatPrice, formatQuantity, formatUsd, healthCheckNote, paint, renderTree, resourceOfUrn, targetGroupWire, violationDetail,
} from "./text";

export function renderMarkdown(report: PreviewReport): string {
    const mandatory = report.policy.violations.filter(v => v.level === "mandatory").length;
    const advisory = report.policy.violations.filter(v => v.level === "advisory").length;
    const out: string[] = [];
    out.push(`## Offline preview: ${code(`${report.project}/${report.stack}`)}`, "");
    out.push(`${mandatory > 0 ? `❌ **${mandatory} mandatory policy violation(s)**` : "✅ **No mandatory policy violation**"}`
        + ` · ${advisory} advisory · ${report.summary.create} resources to create`
        + ` · policy pack ${code(report.policy.pack)} ${md(report.policy.version)} (${report.policy.policiesEvaluated} policies)`
        + ` · about **$${formatUsd(report.cost.monthlyUsd)}/month**`, "");
    out.push("_Run under mock providers: no cloud account was used. Values that only exist after `pulumi up` (ARNs, ids) are stand-ins._", "");
    for (const w of report.warnings) out.push(`> ⚠️ **WARNING:** ${md(w)}`, "");

    out.push("### TLS path", "");
    if (report.tlsPaths.length === 0) out.push("No load balancer.", "");
    report.tlsPaths.forEach((path, i) => out.push(...mermaid(path, i), "", ...hopTable(path), ""));
    if (report.application) {
        const a = report.application;
        out.push("#### The application", "", `${a.source === "demo" ? "⚠️ " : ""}${md(describeApplication(a))}`, "");
        if (a.secrets.length > 0) {
            out.push(`Secrets, read by ${md(a.secretsReadBy ?? "")}:`, "", "| variable | read from |", "| --- | --- |",
                ...a.secrets.map(s => `| ${code(s.name)} | ${md(s.from)} |`), "");
        }
    }
    out.push("#### Who is told, when", "", md(describeAlertTarget(report.alerts)), "");
    if (report.alerts.routes.length > 0) {
        out.push("| what | when | sent by |", "| --- | --- | --- |", ...report.alerts.routes.map(r => `| ${md(r.what)} | ${md(r.when)} | ${md(r.via)} |`), "");
    }
    for (const u of report.alerts.undeliverable) out.push(`> ❌ **Undeliverable**: ${md(u.what)}: ${md(u.why)}`, "");

    out.push("### Policy report", "", ...policyMarkdown(report.policy));

    out.push("### Monthly cost estimate", "", ...costTable(report.cost), "");
    if (report.sampleCost) {
        out.push(`Compared with the public AWS sample under the same prices:`, "", ...costTable(report.sampleCost), "");
    }

    out.push(`<details><summary>${report.summary.create} resources to create</summary>`, "");
    out.push(...fence(renderTree(report, paint(false))));
    out.push("", "</details>", "");
    return out.join("\n");
}

/** The policy report's findings as a table, then its remediations and exemptions. */
export function policyMarkdown(policy: PolicyReport): string[] {
    const out: string[] = [];
    if (policy.violations.length === 0) {
        out.push("No violations.", "");
    } else {
        out.push("| level | policy | resource | what is wrong and the fix |", "| --- | --- | --- | --- |");
        for (const v of policy.violations) {
            out.push(`| ${v.level === "mandatory" ? "❌ mandatory" : v.level === "advisory" ? "⚠️ advisory" : v.level} | ${code(v.policy)} | ${md(resourceOfUrn(v.urn))} | ${[md(violationDetail(v)), ...(v.paths ?? []).map(path => `_on path_ ${md(path)}`)].join("<br/>")} |`);
        }
        out.push("");
    }
    for (const r of policy.remediations) out.push(`- remediated by ${code(r.policy)} on ${md(resourceOfUrn(r.urn))}: ${md(r.description)}`);
    for (const e of policy.exemptions ?? []) out.push(`- exempted from ${code(e.policy)}: ${md(resourceOfUrn(e.urn))} by ${md(e.selector)}: ${md(e.reason)}`);
    return out;
}

const VERDICT_LINE = {
    0: "✅ **No mandatory policy violation**",
    1: "❌ **Mandatory policy violation(s): the preview fails**",
    3: "❌ **The preview failed or did not finish**, with no mandatory violation of the pack",
} as const;

/**
 * A real preview's verdict on one stack (preview-events.ts), for a pull-request comment or a job
 * summary: the verdict, the pack's findings, what else failed the run, other packs' findings.
 */
export function renderVerdictMarkdown(stack: string, run: PreviewEvents, verdict: 0 | 1 | 3): string {
    const mandatory = mandatoryCount(run.policy);
    const out = [`### ${code(stack)}`, ""];
    out.push(`${VERDICT_LINE[verdict]} · ${mandatory} mandatory · ${run.policy.violations.length - mandatory} advisory`
        + ` · policy pack ${code(run.policy.pack)} ${md(run.policy.version)} (${run.policy.policiesEvaluated} policies)`
        + ` · preview ${run.result === undefined ? "ended before its summary" : md(run.result)}`, "");
    out.push(...policyMarkdown(run.policy), "");
    if (run.errors.length > 0) out.push("The run reported these errors:", "", ...fence(run.errors.flatMap((e) => e.split(/\r?\n/))), "");
    for (const [name, o] of Object.entries(run.otherPacks)) {
        out.push(`- policy pack ${code(name)} (not in this report or its SARIF): ${o.findings} finding(s), ${o.mandatory} mandatory`);
    }
    return out.join("\n").replace(/\n*$/, "\n");
}

/** Markdown for a run that failed before a report existed (exit 2). */
export function renderFailureMarkdown(project: string, stack: string, message: string): string {
    return [`## Offline preview: ${code(`${project}/${stack}`)}`, "", "❌ **The program failed before any policy ran.**", "", ...fence(message.split(/\r?\n/)), ""].join("\n");
}

/** How the load balancer's hop to a target group travels, as the flowchart labels it. */
const WIRE_LABEL = { tls: "TLS, re-encrypted", passthrough: "TCP, passed through as sent", plaintext: "plaintext" } as const;

function mermaid(path: TlsPath, index: number): string[] {
    const p = `lb${index}`;
    const lines = ["```mermaid", "flowchart LR"];
    const cas = new Map<string, { id: string; ca: CaRef }>();
    const caNode = (ca: CaRef | undefined): string | undefined => {
        if (!ca || ca.kind === "unknown" || ca.kind === "acm-public") return undefined;
        const key = ca.urn ?? ca.kind;
        if (!cas.has(key)) {
            const id = `${p}_ca${cas.size}`;
            cas.set(key, { id, ca });
            lines.push(`    ${id}{{${label(ca.kind === "self-managed" ? "self-managed CA" : "AWS Private CA", ca.name, ca.usageMode?.toLowerCase().replace(/_/g, "-"))}}}`);
        }
        return cas.get(key)!.id;
    };
    const clients = [...new Set(path.listeners.flatMap(l => l.mtls?.clients ?? []))];
    lines.push(`    ${p}_client([${label("client", clients.length > 0 ? `client certs: ${clients.join(", ")}` : undefined)}])`);
    lines.push(`    ${p}_lb[${label(`load balancer ${path.loadBalancer.name}`, `${path.loadBalancer.scheme}, ${path.loadBalancer.zones} AZs`)}]`);
    path.listeners.forEach((l, li) => {
        const id = `${p}_l${li}`;
        if (l.action.type === "redirect") {
            const a = l.action as { protocol: string; port: string; statusCode: string };
            lines.push(`    ${id}[${label(`${l.protocol}:${l.port} ${l.name}`, `redirect ${a.statusCode.replace("HTTP_", "")} to ${a.protocol}:${a.port}`)}]`);
            lines.push(`    ${p}_client -- ${label(l.protocol)} --> ${id}`);
            lines.push(`    ${id} -. ${label("redirect")} .-> ${p}_client`);
            return;
        }
        const policy = l.sslPolicy;
        lines.push(`    ${id}[${label(`${l.protocol}:${l.port} ${l.name}`, policy?.name, policy?.minTls ? `TLS ${policy.minTls}+${policy.tls13 ? ", 1.3" : ""}` : undefined, l.mtls ? `mTLS ${l.mtls.mode}` : undefined)}]`);
        const secure = l.protocol === "HTTPS" || l.protocol === "TLS";
        lines.push(`    ${p}_client -- ${label(secure ? (l.mtls?.mode === "verify" ? "TLS + client cert" : "TLS") : "plaintext")} --> ${id}`);
        lines.push(`    ${id} --- ${p}_lb`);
        const store = l.mtls?.trustStore;
        if (store) {
            const sid = `${id}_ts`;
            lines.push(`    ${sid}[(${label(`trust store ${store.name}`)})]`);
            lines.push(`    ${sid} -. ${label("verifies clients")} .-> ${id}`);
            const ca = caNode(store.ca);
            if (ca) lines.push(`    ${ca} -. ${label("CA bundle")} .-> ${sid}`);
        }
        const frontCa = caNode(l.certificate?.signedBy);
        if (frontCa) lines.push(`    ${frontCa} -. ${label("signs listener cert")} .-> ${id}`);
        if (l.action.type !== "forward") return;
        (l.action as { targetGroups: TargetGroupHop[] }).targetGroups.forEach((tg, ti) => {
            const tid = `${id}_tg${ti}`;
            lines.push(`    ${tid}[${label(`target group ${tg.name}`, `${tg.protocol}:${tg.port}`, `health check ${tg.healthCheck.protocol}${tg.healthCheck.path ? ` ${tg.healthCheck.path}` : ""}`)}]`);
            lines.push(`    ${p}_lb -- ${label(WIRE_LABEL[targetGroupWire(tg.protocol)])} --> ${tid}`);
            tg.tiers.forEach((t, xi) => {
                const xid = `${tid}_t${xi}`;
                lines.push(`    ${xid}[${label(t.kind === "ec2-asg" ? `EC2 ASG ${t.name}` : `ECS Fargate ${t.name}`, t.size, `nginx on :${t.port}`)}]`);
                lines.push(`    ${tid} -- ${label(`${tg.protocol} :${t.port}`)} --> ${xid}`);
                if (t.upstream) {
                    lines.push(`    ${xid}_app[${label("app", t.upstream)}]`);
                    lines.push(`    ${xid} -- ${label("loopback")} --> ${xid}_app`);
                }
                if (t.certificate) {
                    const sec = `${xid}_secret`;
                    lines.push(`    ${sec}[(${label(`secret ${t.certificate.secret.name}`, "Secrets Manager, KMS")})]`);
                    lines.push(`    ${sec} -. ${label("cert + key")} .-> ${xid}`);
                    const ca = caNode(t.certificate.signedBy);
                    if (ca) lines.push(`    ${ca} -. ${label("signs")} .-> ${sec}`);
                }
            });
        });
    });
    lines.push("```");
    return lines;
}

function hopTable(path: TlsPath): string[] {
    const rows: [string, string][] = [];
    for (const l of path.listeners) {
        const hop = `listener ${code(`${l.protocol}:${l.port}`)} ${md(l.name)}`;
        if (l.action.type === "redirect") {
            const a = l.action as { protocol: string; port: string; statusCode: string };
            rows.push([hop, md(`redirect ${a.statusCode.replace("HTTP_", "")} to ${a.protocol}:${a.port}; nothing forwarded`)]);
            continue;
        }
        rows.push([hop, [describePolicy(l), l.certificate ? `certificate ${describeFrontCertificate(l)}` : "", l.mtls ? `mTLS ${describeMtls(l)}` : ""].filter(Boolean).map(md).join("<br/>")]);
        if (l.action.type !== "forward") continue;
        for (const tg of (l.action as { targetGroups: TargetGroupHop[] }).targetGroups) {
            rows.push(["target group", [describeTargetGroup(tg), healthCheckNote(tg)].filter((x): x is string => !!x).map(md).join("<br/>")]);
            for (const t of tg.tiers) rows.push(["tier", `${md(describeTier(t))}<br/>${md(`certificate ${describeTierCertificate(t)}`)}`]);
        }
    }
    return ["| hop | detail |", "| --- | --- |", ...rows.map(([a, b]) => `| ${a} | ${b} |`)];
}

function costTable(cost: CostEstimate): string[] {
    return [
        `**${md(cost.label)}**: ${md(cost.region)} list prices as of ${md(cost.pricesAsOf)}, ${cost.hoursPerMonth} h/month.`,
        "",
        "| item | quantity | unit | $/unit | $/month | assumption |",
        "| --- | ---: | --- | ---: | ---: | --- |",
        ...cost.lines.map(l => `| ${md(l.item)} | ${formatQuantity(l.quantity)} | ${md(l.unit)} | ${formatPrice(l.unitPriceUsd)} | ${formatUsd(l.monthlyUsd)} | ${md(l.assumption)} |`),
        `| **total** | | | | **${formatUsd(cost.monthlyUsd)}** | |`,
        "",
        `Not estimated (usage-based): ${cost.notEstimated.map(md).join("; ")}.`,
    ];
}
