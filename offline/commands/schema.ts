/**
 * `npm run schema -- [--check]`: writes the package schema WebTier's provider serves (schema.json)
 * and the config declarations of Pulumi.yaml, both generated from WebTierArgs (names, types, doc
 * comments) and CONFIG_KEYS (defaults). Run it after adding or changing an input; `--check` writes
 * nothing and exits 1 naming the stale files.
 */
import * as fs from "fs";
import * as path from "path";
import { CommandSpec, runCommand } from "./cli";

export const SCHEMA: CommandSpec = {
    usage: "npm run schema -- [--check]",
    summary: "Writes schema.json (the WebTier package schema) and Pulumi.yaml's config declarations from the component's inputs.",
    flags: {
        check: { type: "boolean", doc: "write nothing; exit 1 if either file is stale" },
    },
    exitCodes: "0 written (or up to date with --check), 1 stale with --check, 2 a bad command line or a failure",
};

if (require.main === module) {
    runCommand(SCHEMA, async (opts) => {
        // Loaded here: the schema inference loads the TypeScript compiler, which a usage error does not need.
        const { generatedFiles, REGENERATE, staleFiles } = await import("../../package/committed");
        const { PLUGIN_DIR } = await import("../../package/provider");
        const { files } = await generatedFiles();
        const stale = staleFiles(files);
        if (opts.check) {
            if (stale.length === 0) return { code: 0, stdout: "schema.json and Pulumi.yaml are up to date\n" };
            process.stderr.write(`stale: ${stale.join(", ")}; run \`${REGENERATE}\`\n`);
            return { code: 1 };
        }
        for (const f of files) fs.writeFileSync(path.join(PLUGIN_DIR, f.file), f.content);
        return { code: 0, stdout: stale.length === 0 ? "already up to date\n" : `wrote ${stale.join(", ")}\n` };
    });
}
