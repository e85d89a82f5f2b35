/**
 * The report for a person at a terminal: the resource tree as `pulumi preview` draws it, the TLS
 * path of each load balancer, the policy verdict (mandatory first) and the monthly cost. Every
 * string of the report is made terminal-safe first (escape.ts): a name cannot break a line or
 * send a control sequence.
 */
import { healthCheckWire } from "../../policies/shared/aws-defaults";
import { terminalSafeReport } from "./escape";
import { displayType } from "./graph";
import { describeApplication } from "./application";
import { Alerting, ApplicationReport, CaRef, CostEstimate, ListenerHop, PolicyViolation, PreviewReport, PreviewResource, TargetGroupHop, TierHop, TlsPath } from "./model";

export interface Paint {
    bold(s: string): string;
    dim(s: string): string;
    green(s: string): string;
    yellow(s: string): string;
    red(s: string): string;
}

const CODES = { bold: [1, 22], dim: [2, 22], green: [32, 39], yellow: [33, 39], red: [31, 39] } as const;

export function paint(enabled: boolean): Paint {
    const wrap = ([on, off]: readonly [number, number]) => (s: string) => (enabled ? `\x1b[${on}m${s}\x1b[${off}m` : s);
    return { bold: wrap(CODES.bold), dim: wrap(CODES.dim), green: wrap(CODES.green), yellow: wrap(CODES.yellow), red: wrap(CODES.red) };
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
    return !!stream.isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}

export interface TreeRow {
    readonly prefix: string;
    readonly resource: PreviewResource;
}

/** Resources in parent-child order with the box-drawing prefix `pulumi preview` uses. */
export function resourceTree(resources: readonly PreviewResource[]): TreeRow[] {
    const urns = new Set(resources.map(r => r.urn));
    const children = new Map<string | undefined, PreviewResource[]>();
    for (const r of resources) {
        const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const rows: TreeRow[] = [];
    // Children's continuation depends on whether their parent was the last sibling.
    const visit = (r: PreviewResource, lead: string, isRoot: boolean, isLast: boolean) => {
        rows.push({ prefix: isRoot ? "" : lead + (isLast ? "└─ " : "├─ "), resource: r });
        const kids = children.get(r.urn) ?? [];
        const nextLead = isRoot ? "" : lead + (isLast ? "   " : "│  ");
        kids.forEach((k, i) => visit(k, nextLead, false, i === kids.length - 1));
    };
    for (const root of children.get(undefined) ?? []) visit(root, "", true, true);
    return rows;
}

export function renderText(unsafe: PreviewReport, p: Paint): string {
    const report = terminalSafeReport(unsafe);
    const out: string[] = [];
    out.push(`Previewing ${p.bold(`${report.project}/${report.stack}`)} offline (mock providers, no cloud calls)`, "");
    for (const w of report.warnings) out.push(p.yellow(`WARNING: ${w}`));
    if (report.warnings.length > 0) out.push("");
    out.push(...renderTree(report, p), "");
    out.push(p.bold("TLS path"));
    if (report.tlsPaths.length === 0) out.push("  no load balancer");
    for (const path of report.tlsPaths) out.push(...renderTlsPath(path, p));
    if (report.application) out.push(...renderApplication(report.application, p));
    out.push(...renderAlerts(report.alerts, p));
    out.push("");
    out.push(...renderPolicy(report, p), "");
    out.push(...renderCost(report.cost, p));
    if (report.sampleCost) out.push("", ...renderCost(report.sampleCost, p), "", ...renderComparison(report.cost, report.sampleCost));
    out.push("");
    const mandatory = report.policy.violations.filter(v => v.level === "mandatory").length;
    out.push(mandatory > 0
        ? p.red(p.bold(`Result: ${mandatory} mandatory policy violation(s): \`pulumi preview\` would fail (exit 1)`))
        : p.green(`Result: no mandatory policy violation (exit 0)`));
    return out.join("\n") + "\n";
}

/** The resource tree and the counts, as `pulumi preview` prints them. */
export function renderTree(report: PreviewReport, p: Paint): string[] {
    const rows = resourceTree(report.resources).map(r => ({
        type: r.prefix + displayType(r.resource.type),
        name: r.resource.name,
    }));
    const typeWidth = Math.max(4, ...rows.map(r => [...r.type].length));
    const nameWidth = Math.max(4, ...rows.map(r => r.name.length));
    const pad = (s: string, w: number) => s + " ".repeat(Math.max(0, w - [...s].length));
    const lines = [`     ${pad("Type", typeWidth)}  ${pad("Name", nameWidth)}  Plan`];
    for (const r of rows) lines.push(` ${p.green("+")}   ${pad(r.type, typeWidth)}  ${pad(r.name, nameWidth)}  ${p.green("create")}`);
    lines.push("", "Resources:", `    ${p.green(`+ ${report.summary.create} to create`)}`);
    return lines;
}

export function describeCa(ca: CaRef | undefined): string {
    if (!ca) return "an unknown CA";
    switch (ca.kind) {
        case "self-managed": return `self-managed CA${ca.name ? ` ${ca.name}` : ""} (@pulumi/tls, key in stack state)`;
        case "aws-private-ca": return `AWS Private CA${ca.name ? ` ${ca.name}` : ""} (${(ca.usageMode ?? "GENERAL_PURPOSE").toLowerCase().replace(/_/g, "-")}${ca.arn ? `, ${ca.arn}` : ""})`;
        case "acm-public": return "Amazon's public CA (ACM)";
        default: return "an unknown CA";
    }
}

export function describePolicy(l: ListenerHop): string {
    const s = l.sslPolicy;
    if (!s) return "";
    if (!s.minTls) return `${s.name} (not an ELB security policy AWS publishes)`;
    const traits = [`TLS ${s.minTls}+`, s.tls13 ? "TLS 1.3" : "no TLS 1.3", ...(s.fips ? ["FIPS"] : []), ...(s.postQuantum ? ["post-quantum"] : [])];
    return `${s.name} (${traits.join(", ")})`;
}

export function describeFrontCertificate(l: ListenerHop): string {
    const c = l.certificate;
    if (!c) return "";
    if (c.source === "acm-dns-validated") return `${c.name}: ACM public certificate for ${c.domainName}, DNS-validated, renewed by ACM`;
    if (c.source === "acm-imported") return `${c.name}: imported into ACM, signed by ${describeCa(c.signedBy)}; renewed by \`pulumi up\``;
    return `${c.name ?? "unknown"}: source not recognised`;
}

export function describeMtls(l: ListenerHop): string {
    const m = l.mtls;
    if (!m) return "";
    if (m.mode === "off") return "off: any client may connect";
    // The ALB forwards the chain in X-Amzn-Mtls-Clientcert unverified: nothing is checked.
    if (m.mode === "passthrough") return "passthrough: client certificates are forwarded in a header and verified by no one";
    const parts = [m.mode];
    if (m.trustStore) {
        parts.push(`trust store ${m.trustStore.name}${m.trustStore.bundle ? ` (${m.trustStore.bundle})` : ""}${m.trustStore.ca ? ` trusting ${describeCa(m.trustStore.ca)}` : ""}`);
    } else if (m.mode === "verify") {
        parts.push("no trust store");
    }
    if (m.ignoreClientCertificateExpiry) parts.push("expired client certificates accepted");
    parts.push(m.clients.length > 0 ? `clients: ${m.clients.join(", ")}` : "no client certificates issued by the stack");
    return parts.join("; ");
}

/** Who is told, when: the alert topic, its subscribers, then one line per alert. */
export function describeAlertTarget(a: Alerting): string {
    if (a.topic === undefined) return "no alert topic: nobody is told";
    const subscribers = a.subscribers.length > 0 ? a.subscribers.join(", ") : "nobody subscribed (set e2e-tls:alertTarget)";
    return `topic ${a.topic}${a.encrypted ? " (KMS-encrypted)" : ""}: ${subscribers}`;
}

/** The application behind the terminator and where each of its secrets is read from. */
export function renderApplication(a: ApplicationReport, p: Paint): string[] {
    const out = ["  the application", `    ${a.source === "demo" ? p.yellow(describeApplication(a)) : describeApplication(a)}`];
    if (a.secrets.length === 0) out.push("    secrets: none");
    else out.push(`    secrets, read by ${a.secretsReadBy}:`, ...a.secrets.map(s => `    - ${s.name} ← ${s.from}`));
    return out;
}

function renderAlerts(a: Alerting, p: Paint): string[] {
    const out = ["  who is told, when", `    ${a.subscribers.length === 0 ? p.yellow(describeAlertTarget(a)) : describeAlertTarget(a)}`];
    for (const r of a.routes) out.push(`    - ${r.what}: ${r.when} ${p.dim(`(${r.via})`)}`);
    for (const u of a.undeliverable) out.push(`    ${p.red(`✗ undeliverable: ${u.what}: ${u.why}`)}`);
    return out;
}

export function describeTargetGroup(tg: TargetGroupHop): string {
    const hc = tg.healthCheck;
    return `${tg.name}: ${tg.protocol}:${tg.port} (${tg.targetType} targets), health check ${hc.protocol} ${hc.port}${hc.path ? ` ${hc.path}` : ""}${hc.matcher ? ` → ${hc.matcher}` : ""}`;
}

/**
 * How the load balancer's traffic to a target group travels: HTTPS and TLS target groups
 * re-encrypt; a TCP one passes the client's bytes through (TLS if the client sent TLS); HTTP,
 * UDP and the rest are plaintext.
 */
export function targetGroupWire(protocol: string): "tls" | "passthrough" | "plaintext" {
    const p = protocol.toUpperCase();
    return p === "HTTPS" || p === "TLS" ? "tls" : p === "TCP" ? "passthrough" : "plaintext";
}

/** What the target group's health checks put on the wire, when it is not TLS. */
export function healthCheckNote(tg: TargetGroupHop): string | undefined {
    const wire = healthCheckWire(tg.healthCheck.protocol);
    if (wire === "plaintext") return "health checks travel in plaintext";
    if (wire === "connect-only") return "health checks are TCP connects (AWS's default here): no request is sent, the target's TLS is not checked";
    return undefined;
}

export function describeTier(t: TierHop): string {
    const kind = t.kind === "ec2-asg" ? "EC2 Auto Scaling group" : "ECS Fargate service";
    const count = t.desired !== undefined ? ` × ${t.desired}${t.min !== undefined && t.max !== undefined ? ` (${t.min}–${t.max})` : ""}` : "";
    const size = [t.size, t.architecture].filter(Boolean).join(" ");
    return `${t.name}: ${kind}, ${size}${count}; terminator on :${t.port}${t.upstream ? ` → app ${t.upstream}` : ""}`;
}

export function describeTierCertificate(t: TierHop): string {
    const c = t.certificate;
    if (!c) return "not found in the tier's launch template or task definition";
    return `secret ${c.secret.name}${c.secret.arn ? ` (${c.secret.arn})` : ""}, signed by ${describeCa(c.signedBy)}`;
}

function renderTlsPath(path: TlsPath, p: Paint): string[] {
    const lb = path.loadBalancer;
    const out = [`  load balancer ${p.bold(lb.name)} (${lb.scheme}, ${lb.zones} AZs)`];
    for (const l of path.listeners) {
        if (l.action.type === "redirect") {
            const a = l.action as { protocol: string; port: string; statusCode: string };
            out.push(`    client ─▶ ${l.protocol}:${l.port} ${l.name}: redirect ${a.statusCode.replace("HTTP_", "")} to ${a.protocol}:${a.port}, nothing forwarded`);
            continue;
        }
        const secure = l.protocol === "HTTPS" || l.protocol === "TLS";
        out.push(`    client ─${secure ? "TLS" : p.red("plaintext")}─▶ ${p.bold(`${l.protocol}:${l.port}`)} ${l.name}`);
        if (l.sslPolicy) out.push(`        policy  ${describePolicy(l)}`);
        if (l.certificate) out.push(`        cert    ${describeFrontCertificate(l)}`);
        if (l.mtls) out.push(`        mTLS    ${l.mtls.mode === "off" ? p.yellow(describeMtls(l)) : describeMtls(l)}`);
        if (l.action.type !== "forward") {
            out.push(`      ─▶ ${l.action.type}`);
            continue;
        }
        for (const tg of (l.action as { targetGroups: TargetGroupHop[] }).targetGroups) {
            const plain = targetGroupWire(tg.protocol) === "plaintext";
            out.push(`      ─${plain ? p.red(tg.protocol) : tg.protocol}─▶ target group ${describeTargetGroup(tg)}`);
            const note = healthCheckNote(tg);
            if (note) out.push(`        ${healthCheckWire(tg.healthCheck.protocol) === "plaintext" ? p.yellow(note) : note}`);
            for (const t of tg.tiers) {
                out.push(`      ─${tg.protocol}─▶ tier ${describeTier(t)}`);
                out.push(`        cert    ${describeTierCertificate(t)}`);
            }
            if (tg.tiers.length === 0) out.push("        no tier registers with this target group");
        }
    }
    return out;
}

/** The pack's message without its first line (the policy's description), on one line. */
export function violationDetail(v: PolicyViolation): string {
    const lines = v.message.split("\n").map(l => l.trim()).filter(Boolean);
    return (lines.length > 1 ? lines.slice(1) : lines).join(" ");
}

/** `type::name` of a URN, or the URN itself. */
export function resourceOfUrn(urn: string): string {
    const m = /::([^:]+(?::[^:]+)*)::([^:]+)$/.exec(urn);
    if (!m) return urn;
    const type = m[1].split("$").pop() ?? m[1];
    return `${m[2]} (${displayType(type)})`;
}

function renderPolicy(report: PreviewReport, p: Paint): string[] {
    const pol = report.policy;
    const out = [p.bold(`Policies: ${pol.pack} ${pol.version}, ${pol.policiesEvaluated} evaluated${pol.configFile ? `, config ${pol.configFile}` : ""}`)];
    const levels = ["mandatory", "remediate", "advisory"] as const;
    for (const level of levels) {
        const vs = pol.violations.filter(v => v.level === level);
        if (level === "remediate" && vs.length === 0) continue;
        if (vs.length === 0) {
            out.push(`  ${level}: none`);
            continue;
        }
        const colour = level === "mandatory" ? p.red : p.yellow;
        out.push(`  ${colour(`${level} (${vs.length})`)}`);
        for (const v of vs) {
            out.push(`    ${colour(level === "mandatory" ? "✗" : "!")} ${p.bold(v.policy)}  ${resourceOfUrn(v.urn)}`);
            out.push(`        ${violationDetail(v)}`, ...(v.paths ?? []).map(path => `        ${p.dim("on path")} ${path}`));
        }
    }
    for (const r of pol.remediations) out.push(`  remediated by ${r.policy}: ${resourceOfUrn(r.urn)}: ${r.description}`);
    for (const e of pol.exemptions ?? []) out.push(`  exempted from ${e.policy}: ${resourceOfUrn(e.urn)} by ${e.selector}: ${e.reason}`);
    return out;
}

export function formatUsd(n: number): string {
    return n.toFixed(2);
}

export function formatPrice(n: number): string {
    if (n >= 1) return n.toFixed(2);
    return String(Number(n.toPrecision(4)));
}

export function formatQuantity(n: number): string {
    return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function renderCost(cost: CostEstimate, p: Paint): string[] {
    const header = ["item", "qty", "unit", "$/unit", "$/month", "assumption"];
    const rows = cost.lines.map(l => [l.item, formatQuantity(l.quantity), l.unit, formatPrice(l.unitPriceUsd), formatUsd(l.monthlyUsd), l.assumption]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
    const right = new Set([1, 3, 4]);
    const fmt = (r: string[]) => "  " + r.map((c, i) => (i === r.length - 1 ? c : right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
    return [
        p.bold(`Monthly cost estimate: ${cost.label} (${cost.region} list prices as of ${cost.pricesAsOf}, ${cost.hoursPerMonth} h/month)`),
        p.dim(fmt(header)),
        ...rows.map(r => fmt(r).replace(/\s+$/, "").replace(r[5], p.dim(r[5]))),
        "  " + "total".padEnd(widths[0] + widths[1] + widths[2] + widths[3] + 6) + "  " + p.bold(`$${formatUsd(cost.monthlyUsd)}`.padStart(widths[4])),
        p.dim(`  not estimated (usage-based): ${cost.notEstimated.join("; ")}`),
    ];
}

function renderComparison(stack: CostEstimate, sample: CostEstimate): string[] {
    const ratio = sample.monthlyUsd > 0 ? stack.monthlyUsd / sample.monthlyUsd : 0;
    return [`  ${stack.label}: $${formatUsd(stack.monthlyUsd)}/month, ${Math.round(ratio * 100)}% of the AWS sample's $${formatUsd(sample.monthlyUsd)}/month`];
}
