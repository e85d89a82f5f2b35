/**
 * `npm run docs -- [--check]`: writes the generated documentation. The rule reference,
 * docs/rules.md, is generated whole from the pack's specs; README.md and docs/*.md keep their prose
 * and get the content of each generated block (`<!-- generated:NAME -->` … `<!-- /generated:NAME -->`)
 * from the code and from real runs of the offline preview (./docs-content.ts). `--check` writes
 * nothing and exits 1 naming each stale file or block; a test runs the same check.
 */
import { CommandSpec, runCommand } from "./cli";

export const DOCS: CommandSpec = {
    usage: "npm run docs -- [--check]",
    summary: "Writes docs/rules.md from the pack's specs and fills the generated blocks of README.md and docs/*.md "
        + "(config-table, quick-start, outputs, cost, pack-summary) from the code and the offline preview.",
    flags: {
        check: { type: "boolean", doc: "write nothing; exit 1 naming each stale file or block" },
    },
    exitCodes: "0 written (or up to date with --check), 1 stale with --check, 2 a bad command line, an unknown or repeated block, or a failure",
};

if (require.main === module) {
    runCommand(DOCS, async (opts) => {
        // Loaded here: the pack's specs and the preview, which a usage error does not need.
        const { generateDocs, previewSources, PROJECT_ROOT, REGENERATE, staleParts, writeDocs } = await import("./docs-content");
        const preview = previewSources();
        // Progress on stderr: the blocks that need the preview wait for whole runs of it.
        const started = Date.now();
        const progress = (m: string) => process.stderr.write(`› ${m} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
        const ran = new Set<string>();
        const sources: typeof preview = {
            ...preview,
            run: (stack) => {
                if (!ran.has(stack)) progress(`running index.ts for stack ${stack} under mock providers`);
                ran.add(stack);
                return preview.run(stack);
            },
        };
        try {
            const result = await generateDocs(PROJECT_ROOT, sources);
            if (ran.size > 0) progress("done");
            for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
            const stale = staleParts(result);
            if (opts.check) {
                if (stale.length === 0) return { code: 0, stdout: "the generated docs are up to date\n" };
                process.stderr.write(`stale:\n${stale.map((s) => `  ${s}\n`).join("")}run \`${REGENERATE}\`\n`);
                return { code: 1 };
            }
            const written = writeDocs(PROJECT_ROOT, result);
            return { code: 0, stdout: written.length === 0 ? "already up to date\n" : `wrote ${stale.join(", ")}\n` };
        } finally {
            await preview.close();
        }
    });
}
