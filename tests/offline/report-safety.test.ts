/**
 * The report says what the stack exports and what AWS does, and prints hostile text as text: the
 * mTLS clients come from the stack's outputs, a TLS target group is not drawn as plaintext and its
 * health check is the TCP connect AWS makes, and a name or message with newlines, backticks, `|`,
 * HTML or control characters cannot close a fence, break a table row or inject markup.
 */
import { strict as assert } from "assert";
import { renderMarkdown } from "../../offline/report/markdown";
import { PolicyReport, PreviewReport } from "../../offline/report/model";
import { buildReport } from "../../offline/report/report";
import { tlsPaths } from "../../offline/report/tls-path";
import { Paint, renderText } from "../../offline/report/text";
import { ProgramRun } from "../../offline/engine/recorded";
import { programRun } from "../program/support";
import { ELBV2 } from "../../policies/shared/tokens";

const CLEAN: PolicyReport = { pack: "e2e-tls-guard", version: "0.1.0", policiesEvaluated: 28, violations: [], remediations: [] };
const HOSTILE = "evil\n```\n<script>alert(1)</script> | `tick` [link](http://x) \x1b[31mred";

/** Paint that marks colour, so a test can see what is drawn red. */
const MARK: Paint = { bold: s => s, dim: s => s, green: s => s, yellow: s => `{yellow:${s}}`, red: s => `{red:${s}}` };

function withTargetGroup(run: ProgramRun, inputs: Record<string, unknown>): ProgramRun {
    return { ...run, resources: run.resources.map(r => r.type === ELBV2.lb.targetGroup ? { ...r, inputs: { ...r.inputs, ...inputs } } : r) };
}

/** Lines outside fenced code blocks, checking that every fence opened is closed by a fence at least as long. */
function outsideFences(markdown: string): string[] {
    const out: string[] = [];
    let open: string | undefined;
    for (const line of markdown.split("\n")) {
        const f = /^(`{3,})/.exec(line)?.[1];
        if (open === undefined && f) open = f;
        else if (open !== undefined && f && /^`+$/.test(line) && line.length >= open.length) open = undefined;
        else if (open === undefined) out.push(line);
    }
    assert.equal(open, undefined, "a fence is left open");
    return out;
}

/** Pipes that separate table cells (not escaped). */
const cellPipes = (line: string) => (line.match(/(?<!\\)\|/g) ?? []).length;

describe("offline preview: what the report reads and how it prints it", function () {
    this.timeout(60_000);
    let dev: ProgramRun;

    before(async () => {
        dev = await programRun({ stack: "dev", preview: true });
    });

    it("names the mTLS clients the stack exports in clientSecretArns, not what tags or certificate uses suggest", () => {
        const https = (outputs: Record<string, unknown>) => tlsPaths(dev.resources, outputs)[0].listeners.find(l => l.port === 443)!;
        assert.deepEqual(https(dev.outputs).mtls?.clients, Object.keys(dev.outputs.clientSecretArns));
        assert.deepEqual(https({ ...dev.outputs, clientSecretArns: { "from-outputs": "arn:aws:secretsmanager:x" } }).mtls?.clients, ["from-outputs"]);
        assert.deepEqual(buildReport(dev, CLEAN).tlsPaths[0].listeners.find(l => l.port === 443)!.mtls?.clients, ["ci-smoke"]);
    });

    it("draws the hop to a TLS target group as TLS and its health check as the TCP connect AWS makes, in the text and the Markdown", () => {
        const report = buildReport(withTargetGroup(dev, { protocol: "TLS", healthCheck: undefined }), CLEAN);
        const text = renderText(report, MARK);
        assert.match(text, /─TLS─▶ target group web-[\w-]+: TLS:8443 .*health check TCP traffic-port/);
        assert.doesNotMatch(text, /\{red:TLS\}/, "a TLS hop is not drawn red");
        assert.match(text, /health checks are TCP connects \(AWS's default here\): no request is sent, the target's TLS is not checked/);
        const md = renderMarkdown(report);
        assert.match(md, /_lb -- "TLS, re-encrypted" --> lb0_l\d_tg0/);
        assert.doesNotMatch(md, /_lb -- "plaintext" -->/);
        assert.match(md, /\| target group \| .*TLS:8443.*health check TCP traffic-port.*<br\/>health checks are TCP connects/);
        assert.match(md, /health check TCP"\]/, "the flowchart's target group node names the TCP health check");
    });

    it("draws a TCP target group as passed through and an HTTP one as plaintext, in red", () => {
        const tcp = buildReport(withTargetGroup(dev, { protocol: "TCP", healthCheck: undefined }), CLEAN);
        assert.match(renderMarkdown(tcp), /_lb -- "TCP, passed through as sent" -->/);
        assert.doesNotMatch(renderText(tcp, MARK), /\{red:TCP\}/);
        const http = buildReport(withTargetGroup(dev, { protocol: "HTTP", healthCheck: { path: "/" } }), CLEAN);
        assert.match(renderMarkdown(http), /_lb -- "plaintext" -->/);
        assert.match(renderText(http, MARK), /─\{red:HTTP\}─▶ target group/);
        assert.match(renderText(http, MARK), /\{yellow:health checks travel in plaintext\}/);
    });

    describe("with hostile names, messages and warnings", () => {
        let report: PreviewReport;
        before(() => {
            const base = buildReport(dev, {
                ...CLEAN,
                violations: [{ policy: `rule${HOSTILE}`, level: "mandatory", urn: `urn:pulumi:dev::e2e-tls::${ELBV2.lb.listener}::${HOSTILE}`, message: `The rule.\n${HOSTILE}` }],
                remediations: [{ policy: HOSTILE, urn: "urn:x", description: HOSTILE }],
            });
            const rename = (name: string) => (name === "web-https" || name.startsWith("web-backend") ? `${name}${HOSTILE}` : name);
            const renamed = JSON.parse(JSON.stringify(base), (k, v) => (k === "name" && typeof v === "string" ? rename(v) : v));
            report = { ...renamed, warnings: [HOSTILE] };
        });

        it("keeps Markdown fences closed, table rows whole and markup out", () => {
            const md = renderMarkdown(report);
            const outside = outsideFences(md);
            // A code span prints its content literally: what could be markup is what lies outside them.
            const prose = outside.join("\n").replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, "");
            assert.doesNotMatch(prose, /<script>/, "HTML outside code is printed as entities");
            assert.doesNotMatch(prose, /(?<!\\)\]\(http/, "no link is formed");
            assert.doesNotMatch(md, /\x1b/, "no control character reaches the Markdown");
            const tables = outside.filter(l => l.startsWith("|"));
            const header = (l: string) => l.startsWith("| level ") ? 5 : l.startsWith("| hop ") ? 3 : l.startsWith("| item ") ? 7 : l.startsWith("| what ") ? 4 : undefined;
            let expected = 0;
            for (const row of tables) {
                expected = header(row) ?? expected;
                assert.equal(cellPipes(row), expected, `row broken: ${row}`);
            }
            assert.ok(tables.some(r => r.includes("evil") && r.startsWith("| ❌ mandatory")), "the hostile violation is in the table");
            assert.ok(outside.every(l => !l.startsWith("<script") && l !== "```"), "no hostile line starts a block");
            const mermaid = /````*mermaid\n([\s\S]*?)\n```/.exec(md)![1];
            assert.doesNotMatch(mermaid.replace(/"[^"]*"/g, ""), /[<>]{2}|"|`/, "labels are quoted: no raw quote, bracket pair or backtick outside them");
            assert.doesNotMatch(mermaid, /<script|```/, "no label carries HTML or a fence");
        });

        it("prints every name on its own line with control characters visible in the text", () => {
            const text = renderText(report, MARK);
            assert.doesNotMatch(text, /\x1b/, "no control sequence from a name reaches the terminal");
            assert.ok(text.includes("web-httpsevil\\n```\\n<script>"), "the name is printed escaped on one line");
            assert.ok(text.split("\n").every(l => l !== "```"), "no name breaks a line");
            assert.match(text, /WARNING: evil\\n```/);
        });
    });
});
