/**
 * What `npm run docs` generates: the rule reference (docs/rules.md, ./docs-rules.ts) and the
 * generated blocks of README.md and docs/*.md (./docs-blocks.ts), from the code and from real runs
 * of the offline preview, and which of them is stale. Nothing here is a second list: the config
 * keys are Pulumi.yaml's (which `npm run schema` writes from CONFIG_KEYS and WebTier's inputs), the
 * outputs' descriptions WebTier's doc comments (schema.json), the figures the preview's own
 * functions' (offline/report/).
 */
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../../policies/rules";
import { CONFIG_KEYS } from "../../config/keys";
import { packIdentity } from "../analyzer/build";
import { EnforcementLevel } from "../analyzer/config";
import type { ProgramRun } from "../engine/recorded";
import { estimateCost } from "../report/cost";
import { CostEstimate, PolicyReport } from "../report/model";
import { buildReport } from "../report/report";
import { formatPrice, formatQuantity, formatUsd, paint, renderText } from "../report/text";
import { code, fence } from "../report/escape";
import { projectConfig, stackNames } from "../engine/stack-file";
import { blockContent, configValue, DocsError, fillBlocks, findBlocks, prose, table } from "./docs-blocks";
import { levelsByConfig, renderRulesPage, RULES_PAGE } from "./docs-rules";

export { REGENERATE, RULES_PAGE } from "./docs-rules";

/** The project's folder: where the code, Pulumi.yaml and schema.json are. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** The stack the quick start previews. */
const QUICK_START_STACK = "dev";

/** What the generator needs from the offline preview: a stack's run and the pack's verdict on a run. */
export interface PreviewSources {
    /** The program's run for a stack, as `npm run preview:offline -- --stack <stack>` makes it. */
    run(stack: string): Promise<ProgramRun>;
    /** The pack's verdict on a run, with its default config, as the preview evaluates it. */
    policy(run: ProgramRun): Promise<PolicyReport>;
}

/**
 * The preview's own functions, in this process: each stack run once, as a preview (dry run), and
 * judged by the pack started once, as `npm run preview:offline` starts it. `close` stops the pack.
 */
export function previewSources(): PreviewSources & { close(): Promise<void> } {
    // Loaded here: the Pulumi SDK and the pack's harness, which a usage error does not need.
    const { runProgram } = require("../engine/run-program") as typeof import("../engine/run-program");
    const { evaluatePolicies, startConfiguredPack } = require("../report/policy") as typeof import("../report/policy");
    const runs = new Map<string, Promise<ProgramRun>>();
    const verdicts = new Map<ProgramRun, Promise<PolicyReport>>();
    let pack: ReturnType<typeof startConfiguredPack> | undefined;
    return {
        run(stack) {
            if (!runs.has(stack)) runs.set(stack, runProgram({ stack, preview: true }));
            return runs.get(stack)!;
        },
        policy(run) {
            if (!verdicts.has(run)) {
                pack ??= startConfiguredPack({});
                verdicts.set(run, pack.then((p) => evaluatePolicies(p, run.resources, {})));
            }
            return verdicts.get(run)!;
        },
        async close() {
            await pack?.then((p) => p.close(), () => undefined);
        },
    };
}

/** One page `npm run docs` writes: its content now, and what of it is stale. */
export interface DocsPage {
    /** Relative to the pages' root. */
    readonly file: string;
    readonly content: string;
    /** The stale parts: the file itself (rules page, or a missing file) or `<file>: generated:<name>` per block. */
    readonly stale: readonly string[];
}

export interface DocsResult {
    readonly pages: readonly DocsPage[];
    /** Known blocks no page has. */
    readonly warnings: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The blocks

interface BlockContext {
    readonly sources: PreviewSources;
    /** The page the block is on, relative to the pages' root: links are relative to it. */
    readonly page: string;
}

/** Pulumi.yaml's config declarations, checked against CONFIG_KEYS. */
function configDeclarations(): [string, Record<string, any>][] {
    const declared = Object.entries(projectConfig(PROJECT_ROOT)) as [string, Record<string, any>][];
    const names = declared.map(([k]) => k).sort().join(" ");
    if (names !== Object.keys(CONFIG_KEYS).sort().join(" ")) {
        throw new DocsError("Pulumi.yaml's config block does not declare exactly the keys of CONFIG_KEYS (config/keys.ts): run `npm run schema` first");
    }
    return declared;
}

function configTable(): string {
    const rows = configDeclarations().map(([key, d]) => [
        code(key),
        d.type === "array" && d.items?.type ? `array of ${d.items.type}` : String(d.type),
        configValue(d.default),
        prose(String(d.description ?? "")) + (d.secret ? " (secret)" : ""),
    ]);
    return table(["key", "type", "default", "meaning"], rows);
}

/** The preview's text report of a stack, as `npm run preview:offline -- --stack <stack>` prints it without colour. */
async function previewText(ctx: BlockContext, stack: string): Promise<string> {
    const run = await ctx.sources.run(stack);
    return renderText(buildReport(run, await ctx.sources.policy(run)), paint(false));
}

/** The preview's summary lines (counts, pack, verdict, cost total), with `…` where lines are left out. */
export function summaryLines(text: string): string[] {
    const lines = text.split("\n");
    const keep = new Set<number>();
    lines.forEach((l, i) => {
        if (/^(Previewing |WARNING: |Result: |Monthly cost estimate: )/.test(l) || /^ {2}total /.test(l)) keep.add(i);
        if (l === "Resources:") keep.add(i).add(i + 1);
        if (l.startsWith("Policies: ")) {
            keep.add(i);
            // The levels and each finding's first line; its message and paths are left out.
            for (let j = i + 1; j < lines.length && lines[j].startsWith("  "); j++) if (/^ {2}\S|^ {4}\S/.test(lines[j])) keep.add(j);
        }
    });
    const out: string[] = [];
    let last = -1;
    for (const i of [...keep].sort((a, b) => a - b)) {
        if (i >= lines.length || lines[i] === "") continue;
        if (last >= 0 && i > last + 1) out.push("…");
        out.push(lines[i].replace(/^( {2}total) +/, "$1  "));
        last = i;
    }
    return out;
}

async function quickStart(ctx: BlockContext): Promise<string> {
    const command = `$ npm run preview:offline -- --stack ${QUICK_START_STACK}`;
    return fence([command, ...summaryLines(await previewText(ctx, QUICK_START_STACK))], "text").join("\n");
}

/**
 * The outputs of the package's component (WebTier) as schema.json describes them: their
 * descriptions are the component's doc comments. The package serves one component (found here by
 * the schema, so this module needs no token of the program's).
 */
function webTierOutputs(): Record<string, { description?: string }> {
    const schema = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "schema.json"), "utf8"));
    const components = Object.entries<any>(schema.resources ?? {}).filter(([, r]) => r.isComponent);
    if (components.length !== 1) {
        throw new DocsError(`schema.json describes ${components.length} components (${components.map(([t]) => t).join(", ") || "none"}), not one: run \`npm run schema\` first`);
    }
    return components[0][1].properties ?? {};
}

async function outputs(ctx: BlockContext): Promise<string> {
    const described = webTierOutputs();
    const names = new Set<string>();
    for (const stack of stackNames()) for (const k of Object.keys((await ctx.sources.run(stack)).outputs)) names.add(k);
    const undescribed = [...names].filter((n) => !described[n]?.description);
    if (undescribed.length > 0) {
        throw new DocsError(`stack output(s) ${undescribed.join(", ")} have no description: export WebTier outputs, each with a doc comment on the component (components/web-tier.ts), and run \`npm run schema\``);
    }
    const rows = Object.entries(described).filter(([n]) => names.has(n)).map(([n, p]) => [code(n), prose(p.description!)]);
    return table(["output", "what it holds"], rows);
}

async function cost(ctx: BlockContext): Promise<string> {
    const stacks = stackNames();
    const estimates: CostEstimate[] = [];
    for (const s of stacks) estimates.push(estimateCost((await ctx.sources.run(s)).resources, s));
    // One row per item and unit price, in the order the estimates list them.
    const keys: string[] = [];
    const rows = new Map<string, { item: string; unit: string; price: number; per: (readonly [number, number] | undefined)[] }>();
    estimates.forEach((e, i) => {
        for (const l of e.lines) {
            const key = JSON.stringify([l.item, l.unit, l.unitPriceUsd]);
            if (!rows.has(key)) {
                keys.push(key);
                rows.set(key, { item: l.item, unit: l.unit, price: l.unitPriceUsd, per: stacks.map(() => undefined) });
            }
            rows.get(key)!.per[i] = [l.quantity, l.monthlyUsd];
        }
    });
    const header = ["item", "unit", "$/unit", ...stacks.flatMap((s) => [`${s} qty`, `${s} $/month`])];
    const body = keys.map((k) => rows.get(k)!).map((r) => [prose(r.item), prose(r.unit), formatPrice(r.price),
        ...r.per.flatMap((q) => (q ? [formatQuantity(q[0]), formatUsd(q[1])] : ["—", "—"]))]);
    body.push(["**total**", "", "", ...estimates.flatMap((e) => ["", `**${formatUsd(e.monthlyUsd)}**`])]);
    const first = estimates[0];
    return [
        `Monthly cost of each stack as its ${code("Pulumi.<stack>.yaml")} configures it, from the offline preview's estimate (${first.region} list prices as of ${first.pricesAsOf}, ${first.hoursPerMonth} h/month; ${code("offline/report/cost.ts")}):`,
        "",
        table(header, body),
        "",
        `Not estimated (usage-based): ${first.notEstimated.map(prose).join("; ")}.`,
    ].join("\n");
}

/** Levels from the strictest, as the pack-summary table shows them. */
const LEVEL_ORDER: readonly EnforcementLevel[] = ["mandatory", "remediate", "advisory", "disabled"];

function packSummary(ctx: BlockContext): string {
    const { name, version } = packIdentity();
    const levels = levelsByConfig();
    const rows = Object.entries(levels).map(([config, byPolicy]) => [
        config === "default" ? "default (no config)" : code(`policies/config/${config}.json`),
        ...LEVEL_ORDER.map((l) => String(Object.values(byPolicy).filter((x) => x === l).length)),
    ]);
    return [
        `${code(name)} ${version}: ${allPolicies.length} policies (reference: [${RULES_PAGE}](${path.posix.relative(path.posix.dirname(ctx.page), RULES_PAGE)})).`,
        "",
        table(["config", ...LEVEL_ORDER], rows),
    ].join("\n");
}

/** Every block `npm run docs` fills, by name. */
export const BLOCKS: Readonly<Record<string, (ctx: BlockContext) => string | Promise<string>>> = {
    "config-table": configTable,
    "quick-start": quickStart,
    outputs,
    cost,
    "pack-summary": packSummary,
};

// ---------------------------------------------------------------------------------------------
// The pages

/** The hand-written pages that may hold blocks: README.md and docs/*.md but the rule reference. */
export function blockPages(root: string): string[] {
    const docs = path.join(root, "docs");
    const pages = fs.existsSync(docs) ? fs.readdirSync(docs).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`) : [];
    return [...(fs.existsSync(path.join(root, "README.md")) ? ["README.md"] : []), ...pages.filter((f) => f !== RULES_PAGE)];
}

/**
 * What every generated page and block holds now, under `root` (the repository, or a scratch copy),
 * and what of it is stale. Throws a DocsError for an unknown block name or one used twice.
 */
export async function generateDocs(root: string, sources: PreviewSources): Promise<DocsResult> {
    const read = (f: string) => (fs.existsSync(path.join(root, f)) ? fs.readFileSync(path.join(root, f), "utf8") : undefined);
    const found = blockPages(root).map((file) => {
        const text = read(file)!;
        return { file, text, blocks: findBlocks(file, text) };
    });
    const where = new Map<string, string>();
    for (const { file, blocks } of found) {
        for (const b of blocks) {
            if (!(b.name in BLOCKS)) throw new DocsError(`${file}:${b.open + 1}: unknown generated block "${b.name}" (known: ${Object.keys(BLOCKS).join(", ")})`);
            const at = `${file}:${b.open + 1}`;
            if (where.has(b.name)) throw new DocsError(`${at}: generated block "${b.name}" is used twice (also at ${where.get(b.name)})`);
            where.set(b.name, at);
        }
    }
    const contents: Record<string, string> = {};
    for (const name of Object.keys(BLOCKS).filter((n) => where.has(n))) {
        const page = where.get(name)!.replace(/:\d+$/, "");
        contents[name] = (await BLOCKS[name]({ sources, page })).replace(/\n+$/, "");
    }

    const rules = renderRulesPage();
    const pages: DocsPage[] = [{ file: RULES_PAGE, content: rules, stale: read(RULES_PAGE) === rules ? [] : [RULES_PAGE] }];
    for (const { file, text, blocks } of found) {
        if (blocks.length === 0) continue;
        const content = fillBlocks(text, blocks, contents);
        const stale = blocks.filter((b) => blockContent(text, b) !== contents[b.name]).map((b) => `${file}: generated:${b.name}`);
        pages.push({ file, content, stale });
    }
    const warnings = Object.keys(BLOCKS).filter((n) => !where.has(n))
        .map((n) => `no page has the generated block "${n}" (<!-- generated:${n} --> … <!-- /generated:${n} -->)`);
    return { pages, warnings };
}

/** The stale parts of every page, in order. */
export function staleParts(result: DocsResult): string[] {
    return result.pages.flatMap((p) => p.stale);
}

/** Writes the stale pages under `root`; returns the files written. */
export function writeDocs(root: string, result: DocsResult): string[] {
    const written: string[] = [];
    for (const p of result.pages.filter((x) => x.stale.length > 0)) {
        fs.mkdirSync(path.dirname(path.join(root, p.file)), { recursive: true });
        fs.writeFileSync(path.join(root, p.file), p.content);
        written.push(p.file);
    }
    return written;
}
