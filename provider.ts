/**
 * The entry of the Pulumi plugin package (PulumiPlugin.yaml): serves WebTier, e2etls:index:WebTier,
 * to programs in any Pulumi language. The engine starts it through the Node.js language host,
 * which runs `node @pulumi/pulumi/cmd/run-plugin <this folder> <engine address>`; run-plugin
 * requires the folder, that is package.json `main`, this file (pulumi/pulumi
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go, RunPlugin; sdk/nodejs/cmd/run-plugin/run.ts;
 * "Exporting the class from the module named by main in package.json", in
 * https://www.pulumi.com/docs/iac/guides/building-extending/packages/source-based-plugin/). A
 * `main` in PulumiPlugin.yaml would change nothing for Node.js: the engine hands the language host
 * the plugin's folder (sdk/go/common/resource/plugin/plugin.go, NewProgramInfo(pluginDir, pluginDir, ".")).
 * It exports no component class: run-plugin offers exported ones to componentProviderHost itself,
 * named after the npm package (e2e-tls), not the component's package (e2etls). The program's own
 * entry is index.ts (Pulumi.yaml `main`).
 */
import { main } from "@pulumi/pulumi/provider";
import { WebTierProvider } from "./package/provider";

main(new WebTierProvider(), process.argv.slice(2));
