/**
 * The component provider the plugin package serves (entry: ../provider.ts): WebTier to every
 * Pulumi language, with the schema its SDKs are generated from.
 */
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { WebTier } from "../components/web-tier";
import { readDeclarations } from "./declarations";
import { enrichSchema } from "./schema";

/** The package's name, the first segment of its component's type token: `e2etls`, as in `e2etls:index:WebTier`. */
export const PACKAGE_NAME = WebTier.TOKEN.split(":")[0];

/** The plugin's folder: PulumiPlugin.yaml, package.json (whose `main` is the entry) and tsconfig.json. */
export const PLUGIN_DIR = path.resolve(__dirname, "..");

/** The plugin's entry file, package.json `main`: where the schema inference starts reading. */
export function pluginEntry(dir: string = PLUGIN_DIR): string {
    const main: string = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).main;
    return path.resolve(dir, main);
}

/**
 * `componentProviderHost` (@pulumi/pulumi provider/experimental/provider.ts) serves a
 * ComponentProvider whose schema is inferred from the TypeScript types (analyzer.ts), and a type
 * cannot carry what a schema must: a default, a secret marker, "integer" (TypeScript has only
 * number); its schema generator also drops the descriptions of enums and object types
 * (schema.ts, generateSchema). This subclass completes the inferred schema from the one home of
 * each fact (package/schema.ts) and is otherwise the SDK's own: the same construct path, served by
 * the SDK's provider `main`, as componentProviderHost serves its ComponentProvider.
 */
export class WebTierProvider extends ComponentProvider {
    private completed?: Promise<string>;

    constructor(dir: string = PLUGIN_DIR) {
        super({ name: PACKAGE_NAME, components: [WebTier], dirname: dir });
    }

    getSchema(): Promise<string> {
        this.completed ??= super.getSchema().then(inferred =>
            JSON.stringify(enrichSchema(JSON.parse(inferred), readDeclarations(pluginEntry(this.options.dirname)))));
        return this.completed;
    }
}
