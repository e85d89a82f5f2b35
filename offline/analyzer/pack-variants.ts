/**
 * Packs the benchmark and the tests run beside the real one, written to a temp folder as the CLI
 * would find them (PulumiPolicy.yaml, package.json `main`, compiled JavaScript) and resolving
 * @pulumi/policy from the repository, as a pack inside it would:
 * - the trivial pack: one no-op resource policy and one no-op stack policy, the least any pack
 *   pays for the protocol and the policy server;
 * - the pack as @pulumi/policy runs it by itself: the same compiled rules (policies/bin/rules),
 *   the same name and version, without the entry point's one-decode-per-request
 *   (policies/framework/decode-once.ts), so the server decodes the properties once per policy.
 *   Its findings must be the real pack's; its cost is what the pack cost before;
 * - the floor pack: as many policies as the pack, each keeping its arguments and nothing else,
 *   with the same decode once per request: what @pulumi/policy's loop costs for them.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_PACK_DIR, ensurePackBuilt, packIdentity } from "./build";

const REPO_NODE_MODULES = path.resolve(__dirname, "..", "..", "node_modules");

/** Writes a pack of `files` (name → content) plus a node_modules link to the repository's, and returns its folder. */
function writePack(prefix: string, files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    for (const [name, content] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), content);
    }
    fs.symlinkSync(REPO_NODE_MODULES, path.join(dir, "node_modules"), "dir");
    return dir;
}

/** The trivial pack's folder (remove it with {@link removePack}). */
export function writeTrivialPack(): string {
    return writePack("trivial-pack-", {
        "PulumiPolicy.yaml": "runtime: nodejs\nname: trivial\ndescription: one no-op policy of each kind\n",
        "package.json": JSON.stringify({ name: "trivial", version: "0.0.1", main: "index.js" }, null, 2),
        "index.js": [
            `const { PolicyPack } = require("@pulumi/policy");`,
            `new PolicyPack("trivial", { policies: [`,
            `  { name: "noop-resource", description: "does nothing", enforcementLevel: "mandatory", validateResource: () => {} },`,
            `  { name: "noop-stack", description: "does nothing", enforcementLevel: "mandatory", validateStack: () => {} },`,
            `] });`,
            "",
        ].join("\n"),
    });
}

/**
 * The folder of the pack's rules served by @pulumi/policy alone, decoding per policy (remove it
 * with {@link removePack}). Builds the real pack first when its output is stale.
 */
export function writePerPolicyDecodingPack(packDir: string = DEFAULT_PACK_DIR): string {
    ensurePackBuilt(packDir);
    const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
    const rules = path.join(packDir, path.dirname(pkg.main ?? "bin/index.js"), "rules");
    return writePack("per-policy-decoding-pack-", {
        "PulumiPolicy.yaml": fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8"),
        "package.json": JSON.stringify({ name: pkg.name, version: pkg.version, main: "index.js" }, null, 2),
        "index.js": [
            `const { PolicyPack } = require("@pulumi/policy");`,
            `const { allPolicies } = require(${JSON.stringify(rules)});`,
            `new PolicyPack(${JSON.stringify(packIdentity(packDir).name)}, { policies: allPolicies });`,
            "",
        ].join("\n"),
    });
}

/**
 * The folder of the floor pack (remove it with {@link removePack}): as many resource and stack
 * policies as the pack serves, each doing nothing but keep the arguments the server built for it
 * (so none of that work can be optimised away), with the pack's one decode per request
 * (policies/framework/decode-once.ts). What @pulumi/policy's loop costs for the pack's number of
 * policies before any rule runs: the part of the pack's cost that no rule can remove.
 */
export function writeFloorPack(packDir: string = DEFAULT_PACK_DIR): string {
    ensurePackBuilt(packDir);
    const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
    const bin = path.join(packDir, path.dirname(pkg.main ?? "bin/index.js"));
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { allPolicies } = require(path.join(bin, "rules")) as { allPolicies: { validateResource?: unknown; validateStack?: unknown }[] };
    const count = (kind: "validateResource" | "validateStack") => allPolicies.filter((p) => p[kind] !== undefined).length;
    return writePack("floor-pack-", {
        "PulumiPolicy.yaml": "runtime: nodejs\nname: floor\ndescription: as many policies as the pack, each keeping its arguments\n",
        "package.json": JSON.stringify({ name: "floor", version: "0.0.1", main: "index.js" }, null, 2),
        "index.js": [
            `const { PolicyPack } = require("@pulumi/policy");`,
            `require(${JSON.stringify(path.join(bin, "framework", "decode-once"))}).decodeOncePerRequest();`,
            `let kept;`,
            `const policies = [];`,
            `for (let i = 0; i < ${count("validateResource")}; i++) policies.push({ name: "floor-resource-" + i, description: "keeps its arguments", enforcementLevel: "mandatory", validateResource: (args, report) => { kept = [args, report]; } });`,
            `for (let i = 0; i < ${count("validateStack")}; i++) policies.push({ name: "floor-stack-" + i, description: "keeps its arguments", enforcementLevel: "mandatory", validateStack: (args, report) => { kept = [args, report]; } });`,
            `new PolicyPack("floor", { policies });`,
            "",
        ].join("\n"),
    });
}

/** Removes a folder written here. */
export function removePack(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
}
