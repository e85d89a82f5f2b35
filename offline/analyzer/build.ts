/**
 * Builds a TypeScript policy pack before it is started, as `npm run build:policies` would, when
 * its compiled output is older than its sources: the CLI runs the pack's package.json `main`, and
 * for this pack that is compiled JavaScript (policies/bin/index.js).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The repository's policy pack folder. */
export const DEFAULT_PACK_DIR = path.resolve(__dirname, "..", "..", "policies");

/** The pack's name (its PulumiPolicy.yaml `name`) and version (its package.json `version`, which the CLI publishes). */
export function packIdentity(packDir: string = DEFAULT_PACK_DIR): { readonly name: string; readonly version: string } {
    const m = /^name:\s*(\S+)\s*$/m.exec(fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8"));
    if (!m) throw new Error(`${packDir}/PulumiPolicy.yaml has no name`);
    return { name: m[1], version: JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")).version };
}

function newestMtime(dir: string, exts: string[], skip: Set<string>): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (!skip.has(entry.name)) {
                newest = Math.max(newest, newestMtime(full, exts, skip));
            }
        } else if (exts.some((e) => entry.name.endsWith(e))) {
            newest = Math.max(newest, fs.statSync(full).mtimeMs);
        }
    }
    return newest;
}

function sleepSync(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Compiles a TypeScript pack whose package.json `main` is compiled output (e.g. `bin/index.js`)
 * when any `.ts` source or its tsconfig is newer than that output. A lock folder serialises
 * concurrent test runs in the same tree. Packs whose `main` is a `.ts` or hand-written `.js`
 * file are left alone.
 */
export function ensurePackBuilt(packDir: string = DEFAULT_PACK_DIR): void {
    const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
    const tsconfig = path.join(packDir, "tsconfig.json");
    const main = path.join(packDir, pkg.main ?? "index.js");
    if (!main.endsWith(".js") || !fs.existsSync(tsconfig)) {
        return;
    }
    const outDir = path.dirname(main);
    const isStale = () => {
        const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
        const sources = Math.max(newestMtime(packDir, [".ts"], new Set(["node_modules", "bin"])), fs.statSync(tsconfig).mtimeMs);
        return built < sources;
    };
    if (!isStale()) {
        return;
    }
    fs.mkdirSync(outDir, { recursive: true });
    const lock = path.join(outDir, ".build-lock");
    const deadline = Date.now() + 120_000;
    for (;;) {
        try {
            fs.mkdirSync(lock);
            break;
        } catch (e: any) {
            if (e.code !== "EEXIST") {
                throw e;
            }
            // A lock older than two minutes belongs to a build that died.
            if (Date.now() > deadline || Date.now() - fs.statSync(lock).mtimeMs > 120_000) {
                fs.rmSync(lock, { recursive: true, force: true });
                continue;
            }
            sleepSync(200);
        }
    }
    try {
        if (isStale()) {
            const tsc = require.resolve("typescript/bin/tsc");
            try {
                execFileSync(process.execPath, [tsc, "-p", tsconfig], { cwd: packDir, stdio: "pipe" });
            } catch (e: any) {
                // Exit status 2: type errors, but JavaScript was emitted. The type-check step of
                // `npm test` reports them; the protocol tests can still run on what was emitted.
                if (e.status !== 2 || !fs.existsSync(main)) {
                    throw new Error(`building the policy pack failed (tsc -p ${tsconfig}):\n${e.stdout ?? ""}${e.stderr ?? ""}`);
                }
                process.stderr.write(`warning: the policy pack has type errors (tsc -p ${tsconfig}):\n${e.stdout ?? ""}`);
            }
            // tsc leaves an unchanged file's mtime alone only with incremental builds; touch main so
            // the staleness check sees this build.
            const now = new Date();
            fs.utimesSync(main, now, now);
        }
    } finally {
        fs.rmSync(lock, { recursive: true, force: true });
    }
}
