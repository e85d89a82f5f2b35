/**
 * Transpiles each TypeScript file once per suite run instead of once per load.
 *
 * Every offline run of the program clears the program's modules from require's cache and loads
 * index.ts afresh (offline/engine/run-program.ts), and the command tests start each command as a
 * user does, a new `ts-node` process that would load TypeScript and transpile every module again.
 * This keeps ts-node's output for each file while its source text is the same: in memory for the
 * process, and, during `npm test`, in the suite run's folder (tests/setup/shared-runs.ts), which
 * the test processes and the commands they start preload this file from (NODE_OPTIONS). What runs
 * is still the file on disk, loaded fresh; the folder is removed when the run ends. Stack traces
 * keep pointing at the TypeScript lines: output read from the folder is handed to the
 * source-map support ts-node installs.
 *
 * Plain JavaScript: a process preloads it before ts-node exists, and it wraps ts-node's compiler
 * as ts-node registers it.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** The environment variable naming the suite run's folder (tests/setup/shared-runs.ts). */
const DIR_ENV = "E2E_TLS_SHARED_RUNS";
const REGISTERED = Symbol.for("ts-node.register.instance");
const SOURCE_MAPS = Symbol.for("source-map-support/sharedData");

/** Output this process took from the folder, by file: what the source-map support reads. */
const fromFolder = new Map();
/** Output this process has, by file, with the source text it came from. */
const outputs = new Map();

function cachedOutput(dir, fileName, code) {
    const file = path.join(dir, "transpiled", crypto.createHash("sha256").update(`${fileName}\0${code}`).digest("hex"));
    try {
        return { file, output: fs.readFileSync(file, "utf8") };
    } catch {
        return { file, output: undefined };
    }
}

function wrap(service) {
    if (!service || service.__transpileCache) return;
    const compile = service.compile.bind(service);
    const sourceMaps = globalThis[SOURCE_MAPS];
    if (sourceMaps) sourceMaps.retrieveFileHandlers.push((p) => fromFolder.get(p.trim()) || null);
    service.compile = (code, fileName, lineOffset) => {
        if (lineOffset) return compile(code, fileName, lineOffset);
        const kept = outputs.get(fileName);
        if (kept && kept.code === code) return kept.output;
        const dir = process.env[DIR_ENV];
        let output;
        if (dir && fs.existsSync(dir)) {
            const cached = cachedOutput(dir, fileName, code);
            output = cached.output;
            if (output !== undefined) {
                fromFolder.set(fileName, output);
            } else {
                output = compile(code, fileName);
                fs.mkdirSync(path.dirname(cached.file), { recursive: true });
                fs.writeFileSync(`${cached.file}.${process.pid}`, output);
                fs.renameSync(`${cached.file}.${process.pid}`, cached.file);
            }
        } else {
            output = compile(code, fileName);
        }
        outputs.set(fileName, { code, output });
        return output;
    };
    Object.defineProperty(service, "__transpileCache", { value: true });
}

if (process[REGISTERED]) {
    wrap(process[REGISTERED]);
} else {
    let registered;
    Object.defineProperty(process, REGISTERED, {
        configurable: true,
        enumerable: false,
        get: () => registered,
        set: (service) => {
            registered = service;
            wrap(service);
        },
    });
}
