/**
 * The files generated from the package schema and committed: schema.json, what `GetSchema`
 * serves, and Pulumi.yaml's config declarations. `npm run schema` writes them; a test fails when
 * either differs from what the code gives now.
 */
import * as fs from "fs";
import * as path from "path";
import { PLUGIN_DIR, WebTierProvider } from "./provider";
import { renderConfigBlock, withConfigBlock } from "./project-config";
import { PackageSchema } from "./schema";

/** The committed schema, beside PulumiPlugin.yaml. */
export const SCHEMA_FILE = "schema.json";
/** What regenerates the committed files. */
export const REGENERATE = "npm run schema";

export interface CommittedFile {
    /** Path relative to the plugin's folder. */
    readonly file: string;
    /** The content the code gives now. */
    readonly content: string;
}

/** The schema as the provider serves it, and the committed files it gives. */
export async function generatedFiles(dir: string = PLUGIN_DIR): Promise<{ schema: PackageSchema; files: CommittedFile[] }> {
    const schema: PackageSchema = JSON.parse(await new WebTierProvider(dir).getSchema());
    const project = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
    return {
        schema,
        files: [
            { file: SCHEMA_FILE, content: `${JSON.stringify(schema, null, 2)}\n` },
            { file: "Pulumi.yaml", content: withConfigBlock(project, renderConfigBlock(schema)) },
        ],
    };
}

/** The generated files whose committed content differs. */
export function staleFiles(files: readonly CommittedFile[], dir: string = PLUGIN_DIR): string[] {
    return files.filter(f => {
        const at = path.join(dir, f.file);
        return !fs.existsSync(at) || fs.readFileSync(at, "utf8") !== f.content;
    }).map(f => f.file);
}
