/**
 * The generated documentation is what `npm run docs` writes now: docs/rules.md from the pack's
 * specs, and every generated block of README.md and docs/*.md from the code and the offline
 * preview. The check runs in this process (offline/commands/docs-content.ts, the command's own
 * logic) on the program runs the program tests share. The block mechanics are proven on scratch
 * pages in a temporary folder.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allPolicies } from "../../policies/rules";
import { claimedFamilies } from "../../policies/framework";
import { CONFIG_KEYS } from "../../config/keys";
import { packIdentity } from "../../offline/analyzer/build";
import { PackHandle } from "../../offline/analyzer/harness";
import { ProgramRun } from "../../offline/engine/recorded";
import { estimateCost } from "../../offline/report/cost";
import { PolicyReport } from "../../offline/report/model";
import { evaluatePolicies, startConfiguredPack } from "../../offline/report/policy";
import { formatUsd } from "../../offline/report/text";
import { parseCommandLine, UsageError } from "../../offline/commands/cli";
import { DOCS } from "../../offline/commands/docs";
import { DocsError, findBlocks, prose, table } from "../../offline/commands/docs-blocks";
import { BLOCKS, generateDocs, PreviewSources, PROJECT_ROOT, staleParts, writeDocs } from "../../offline/commands/docs-content";
import { levelsByConfig, renderRulesPage, RULES_PAGE } from "../../offline/commands/docs-rules";
import { run } from "../program/support";

/** The cells of a generated table's row, split where GitHub splits them: at pipes not escaped. */
const cells = (row: string) => row.replace(/^\| | \|$/g, "").split(/(?<!\\)\|/).map((c) => c.trim());

/**
 * The preview's sources for the tests: the program runs the program tests share (tests/program/
 * support.ts; a dry run gives the same figures), judged by one pack started when first needed.
 */
function sharedSources(): PreviewSources & { close(): Promise<void> } {
    let pack: Promise<PackHandle> | undefined;
    const verdicts = new Map<ProgramRun, Promise<PolicyReport>>();
    return {
        run: (stack) => run(stack),
        policy(r) {
            pack ??= startConfiguredPack({});
            if (!verdicts.has(r)) verdicts.set(r, pack.then((p) => evaluatePolicies(p, r.resources, {})));
            return verdicts.get(r)!;
        },
        close: async () => { await pack?.then((p) => p.close(), () => undefined); },
    };
}

/** Sources for pages whose blocks need no preview: any call fails the test. */
const NO_PREVIEW: PreviewSources = {
    run: (stack) => Promise.reject(new Error(`ran stack ${stack}: this page needs no preview`)),
    policy: () => Promise.reject(new Error("evaluated the pack: this page needs no preview")),
};

/** A scratch pages' root with these files (relative path to content). */
function scratch(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "docs-fresh-"));
    for (const [f, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        fs.writeFileSync(path.join(root, f), text);
    }
    scratches.push(root);
    return root;
}
const scratches: string[] = [];
after(() => scratches.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const block = (name: string, content = "stale") => `<!-- generated:${name} -->\n${content}\n<!-- /generated:${name} -->`;

describe("the generated documentation", function () {
    this.timeout(180_000);
    const sources = sharedSources();
    after(() => sources.close());

    it("is fresh: docs/rules.md and every generated block of README.md and docs/*.md are what `npm run docs` writes", async () => {
        const stale = staleParts(await generateDocs(PROJECT_ROOT, sources));
        assert.deepStrictEqual(stale, [], `stale: ${stale.join(", ")}; run \`npm run docs\``);
    });

    it("notices a changed spec: a policy whose description changes gives another rule reference than the committed one", () => {
        const committed = fs.readFileSync(path.join(PROJECT_ROOT, RULES_PAGE), "utf8");
        assert.ok(renderRulesPage(allPolicies) === committed, "the committed page is stale: run `npm run docs`");
        // The spec itself, changed for the time of one rendering (a copy would lose the families the framework records per policy).
        const spec = allPolicies[0];
        const description = spec.description;
        try {
            spec.description = `${description} Changed.`;
            assert.notStrictEqual(renderRulesPage(allPolicies), committed);
        } finally {
            spec.description = description;
        }
    });

    it("gives every policy of the pack its section in the rule reference, with its levels, severity, families and control", () => {
        const page = renderRulesPage();
        const levels = levelsByConfig();
        const sections = new Map(page.split("\n### ").slice(1).map((s) => [s.split("\n")[0], s]));
        assert.deepStrictEqual([...sections.keys()], allPolicies.map((p) => p.name));
        for (const p of allPolicies) {
            const s = sections.get(p.name)!;
            assert.ok(s.includes(`- **Severity**: ${p.severity}\n`), `${p.name}: severity`);
            assert.ok(s.includes(`- **Level**: ${Object.keys(levels).map((c) => `${c}: ${levels[c][p.name]}`).join(", ")}\n`), `${p.name}: levels`);
            const families = claimedFamilies(p);
            assert.ok(s.includes(`- **Families**: ${families.length > 0 ? families.map((f) => `\`${f}\``).join(", ") : "—"}`), `${p.name}: families`);
            assert.strictEqual(s.includes(`[Security Hub ${p.framework?.reference}](${p.url})`), !!p.framework, `${p.name}: control`);
            for (const key of Object.keys(p.configSchema?.properties ?? {}).filter((k) => k !== "exemptions")) {
                assert.ok(s.includes(`| \`${key}\` |`), `${p.name}: config key ${key}`);
            }
        }
        const { name, version } = packIdentity();
        assert.ok(page.includes(`# Rule reference: ${name} ${version}\n`));
        assert.ok(page.startsWith("<!-- Generated by `npm run docs`"), "the page says it is generated");
    });

    it("lists in the config table every key of CONFIG_KEYS with its type and default", async () => {
        const rows = (await BLOCKS["config-table"]({ sources: NO_PREVIEW, page: "README.md" })).split("\n").slice(2).map(cells);
        assert.deepStrictEqual(rows.map((r) => r[0].replace(/`/g, "")).sort(), Object.keys(CONFIG_KEYS).sort());
        for (const [key, type, def] of rows) {
            const spec = CONFIG_KEYS[key.replace(/`/g, "") as keyof typeof CONFIG_KEYS];
            assert.strictEqual(type.split(" ")[0], spec.type, key);
            const expected = spec.default === undefined ? "unset" : `\`${typeof spec.default === "string" ? spec.default : JSON.stringify(spec.default)}\``;
            assert.strictEqual(def, expected, key);
        }
    });

    it("fills every known block on a page that has them all, with the figures of a real preview run", async () => {
        const names = Object.keys(BLOCKS);
        const root = scratch({ "README.md": `# Scratch\n\nprose kept\n\n${names.map((n) => block(n)).join("\n\nmore prose\n\n")}\n` });
        const result = await generateDocs(root, sources);
        assert.deepStrictEqual(result.warnings, []);
        assert.deepStrictEqual(staleParts(result), [RULES_PAGE, ...names.map((n) => `README.md: generated:${n}`)]);
        writeDocs(root, result);
        const page = fs.readFileSync(path.join(root, "README.md"), "utf8");
        assert.ok(page.startsWith("# Scratch\n\nprose kept\n\n") && page.split("more prose").length === names.length, "the prose around the blocks is kept");
        assert.deepStrictEqual(findBlocks("README.md", page).map((b) => b.name), names);
        assert.deepStrictEqual(staleParts(await generateDocs(root, sources)), [], "a second run finds nothing stale");

        const dev = await run("dev");
        const prod = await run("prod");
        const { name, version } = packIdentity();
        assert.ok(page.includes(`\n    + ${dev.resources.length} to create\n`), "quick start: resources to create");
        assert.ok(page.includes(`\nPolicies: ${name} ${version}, ${allPolicies.length} evaluated\n`), "quick start: pack and policies");
        assert.ok(page.includes(`\n  total  $${formatUsd(estimateCost(dev.resources, "dev").monthlyUsd)}\n`), "quick start: monthly cost");
        assert.ok(page.includes(`| **total** |  |  |  | **${formatUsd(estimateCost(dev.resources, "dev").monthlyUsd)}** |  | **${formatUsd(estimateCost(prod.resources, "prod").monthlyUsd)}** |`), "cost: totals of dev and prod");
        for (const output of Object.keys(dev.outputs)) assert.ok(page.includes(`| \`${output}\` | `), `outputs: ${output}`);
        assert.ok(page.includes(`\`${name}\` ${version}: ${allPolicies.length} policies`), "pack summary");
        assert.ok(!/\d{4}-\d\d-\d\dT\d\d:|\d+\.\d s\b/.test(page), "no timestamp or timing: the check must be stable");
    });

    describe("blocks", () => {
        it("refuses a block name it does not know, naming the file and the name", async () => {
            const root = scratch({ "README.md": "x\n", "docs/ops.md": `# Ops\n\n${block("costs")}\n` });
            await assert.rejects(generateDocs(root, NO_PREVIEW), (e: Error) => e instanceof DocsError && /^docs\/ops\.md:3: unknown generated block "costs"/.test(e.message));
        });

        it("refuses a block used twice, in one page or in two, naming both places", async () => {
            const one = scratch({ "README.md": `${block("pack-summary")}\n\n${block("pack-summary")}\n` });
            await assert.rejects(generateDocs(one, NO_PREVIEW), /README\.md:5: generated block "pack-summary" is used twice \(also at README\.md:1\)/);
            const two = scratch({ "README.md": `${block("config-table")}\n`, "docs/config.md": `# Config\n${block("config-table")}\n` });
            await assert.rejects(generateDocs(two, NO_PREVIEW), /docs\/config\.md:2: generated block "config-table" is used twice \(also at README\.md:1\)/);
        });

        it("refuses an unclosed, an unopened, a crossed or a misspelt marker, naming the line", () => {
            assert.throws(() => findBlocks("a.md", "<!-- generated:cost -->\ntext\n"), /a\.md:1: generated:cost is never closed/);
            assert.throws(() => findBlocks("a.md", "text\n<!-- /generated:cost -->\n"), /a\.md:2: \/generated:cost closes a block that was not opened/);
            assert.throws(() => findBlocks("a.md", "<!-- generated:cost -->\n<!-- /generated:outputs -->\n"), /a\.md:2: \/generated:outputs closes generated:cost/);
            assert.throws(() => findBlocks("a.md", "<!-- generated: cost -->\n"), /a\.md:1: malformed marker/);
        });

        it("reads markers inside a fenced code block or a sentence as text", () => {
            const page = "```markdown\n<!-- generated:anything -->\n```\n\n~~~\n<!-- /generated:cost -->\n~~~\n" + block("cost") +
                "\nA block is `<!-- generated:NAME -->` … `<!-- /generated:NAME -->`.\n";
            assert.deepStrictEqual(findBlocks("a.md", page).map((b) => [b.name, b.open]), [["cost", 7]]);
        });

        it("writes only the stale blocks of only the pages that have them, and warns of a known block no page has", async () => {
            const root = scratch({ "README.md": `# R\n${block("pack-summary")}\n`, "docs/plain.md": "# no blocks\n" });
            const first = await generateDocs(root, NO_PREVIEW);
            assert.deepStrictEqual(staleParts(first), [RULES_PAGE, "README.md: generated:pack-summary"]);
            assert.deepStrictEqual(first.warnings.map((w) => /"([a-z-]+)"/.exec(w)![1]), Object.keys(BLOCKS).filter((n) => n !== "pack-summary"));
            const written = writeDocs(root, first);
            assert.deepStrictEqual(written, [RULES_PAGE, "README.md"]);
            assert.strictEqual(fs.readFileSync(path.join(root, "docs/plain.md"), "utf8"), "# no blocks\n");
            const again = await generateDocs(root, NO_PREVIEW);
            assert.deepStrictEqual(staleParts(again), []);
            // --check names a hand edit inside a block as stale.
            fs.writeFileSync(path.join(root, "README.md"), fs.readFileSync(path.join(root, "README.md"), "utf8").replace("policies", "rules"));
            assert.deepStrictEqual(staleParts(await generateDocs(root, NO_PREVIEW)), ["README.md: generated:pack-summary"]);
        });
    });

    describe("escaping", () => {
        it("keeps a cell holding pipes, newlines and HTML to its column, and code spans as code", () => {
            const hostile = "a | b\nc <script>x</script> `p|q` *e*";
            const t = table(["one", "two"], [[prose(hostile), "z"]]);
            const rows = t.split("\n");
            assert.strictEqual(rows.length, 3, "a newline broke the row");
            assert.deepStrictEqual(cells(rows[2]).length, 2, `the row splits into more than two cells: ${rows[2]}`);
            assert.ok(!/<script>/.test(t), "HTML passed through");
            assert.ok(rows[2].includes("`p\\|q`"), "the code span is kept, its pipe escaped for the table");
            assert.ok(rows[2].includes("\\*e\\*"), "emphasis marks are text");
        });

        it("refuses a row with more or fewer cells than the header", () => {
            assert.throws(() => table(["a", "b"], [["1"]]), /a row of 1 cells in a table of 2 columns/);
        });
    });

    describe("the command line", () => {
        it("takes --check and --help, and refuses an unknown flag or a value given to --check", () => {
            assert.strictEqual(parseCommandLine(DOCS, ["--check"]).check, true);
            assert.strictEqual(parseCommandLine(DOCS, []).check, false);
            assert.strictEqual(parseCommandLine(DOCS, ["--help"]).help, true);
            assert.throws(() => parseCommandLine(DOCS, ["--bogus"]), (e: Error) => e instanceof UsageError && e.message === "unknown flag --bogus");
            assert.throws(() => parseCommandLine(DOCS, ["--check=yes"]), (e: Error) => e instanceof UsageError && e.message === "--check takes no value");
        });
    });
});

