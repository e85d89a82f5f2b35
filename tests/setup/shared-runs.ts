/**
 * Runs shared between tests, and between the processes of a parallel `npm test`.
 *
 * A run of the program under mocks, of the component's construct path, or of the schema inference
 * takes seconds; many files ask for the same one. {@link shared} computes each once per suite
 * run, keyed by its inputs, and hands every caller a fresh copy (structured-clone bytes,
 * deserialised per call), so one test's mutation never reaches another and each test can still
 * fail on its own. Mocha's parallel workers share through a folder this module creates for the
 * suite run (global setup, in mocha's main process, before the workers start) and removes after:
 * nothing outlives the run, so a change to the code is always run afresh. A worker that finds a
 * run claimed by the other one goes on with what is unclaimed ({@link sharedAll}) and waits only
 * at the end.
 *
 * Only values that structured clone keeps whole belong here (plain data: records, strings,
 * numbers, arrays, maps); a rejected run is not shared across processes, only within one.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as v8 from "v8";
import { ISSUE_TIME_ENV } from "../../offline/engine/x509-build";

/** The environment variable naming the suite run's folder, set by the global setup below. */
const DIR_ENV = "E2E_TLS_SHARED_RUNS";
/** How long a worker waits for a run the other one claimed before computing it itself. */
const WAIT_MS = 180_000;

const local = new Map<string, Promise<Buffer>>();

function folder(): string | undefined {
    const dir = process.env[DIR_ENV];
    return dir && fs.existsSync(dir) ? dir : undefined;
}

function fileOf(dir: string, key: string): string {
    return path.join(dir, createHash("sha256").update(key).digest("hex"));
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Computes and publishes the run (atomically: the other process sees all of it or none). */
async function computeAndPublish<T>(file: string | undefined, compute: () => Promise<T>): Promise<Buffer> {
    try {
        const bytes = v8.serialize(await compute());
        if (file) {
            fs.writeFileSync(`${file}.${process.pid}.tmp`, bytes);
            fs.renameSync(`${file}.${process.pid}.tmp`, `${file}.run`);
        }
        return bytes;
    } catch (err) {
        if (file) fs.writeFileSync(`${file}.failed`, "");
        throw err;
    }
}

/** Claims the run for this process (true), or finds it published or claimed by another (false). */
function claim(file: string): boolean {
    if (fs.existsSync(`${file}.run`)) return false;
    try {
        fs.mkdirSync(`${file}.claim`);
        return true;
    } catch (err: any) {
        if (err.code === "EEXIST") return false;
        throw err;
    }
}

/** The published run, waiting for the process that claimed it; computed here if it failed there. */
async function published<T>(file: string, compute: () => Promise<T>): Promise<Buffer> {
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
        if (fs.existsSync(`${file}.run`)) return fs.readFileSync(`${file}.run`);
        if (fs.existsSync(`${file}.failed`)) break;
        await sleep(100);
    }
    return computeAndPublish(undefined, compute);
}

function start<T>(key: string, compute: () => Promise<T>, mayWait: boolean): Promise<Buffer> | undefined {
    const kept = local.get(key);
    if (kept) return kept;
    const dir = folder();
    const file = dir && fileOf(dir, key);
    let bytes: Promise<Buffer>;
    if (!file) bytes = computeAndPublish(undefined, compute);
    else if (fs.existsSync(`${file}.run`)) bytes = Promise.resolve(fs.readFileSync(`${file}.run`));
    else if (claim(file)) bytes = computeAndPublish(file, compute);
    else if (mayWait) bytes = published(file, compute);
    else return undefined;
    // A rejected run is kept too: every test that asks sees the same error, as with one promise.
    local.set(key, bytes);
    return bytes;
}

/** A fresh copy of the run `key` names, computed by `compute` once per suite run. */
export async function shared<T>(key: string, compute: () => Promise<T>): Promise<T> {
    return v8.deserialize(await start(key, compute, true)!) as T;
}

/**
 * Fresh copies of several runs, in order. Runs another process has claimed are waited for only
 * after this process has computed every run nobody had claimed, so two workers that need the same
 * runs at once compute about half each. `compute` is called one run at a time.
 */
export async function sharedAll<T>(runs: readonly { key: string; compute: () => Promise<T> }[]): Promise<T[]> {
    const bytes: (Buffer | undefined)[] = [];
    const deferred: number[] = [];
    for (const [i, r] of runs.entries()) {
        const started = start(r.key, r.compute, false);
        if (started) bytes[i] = await started;
        else deferred.push(i);
    }
    for (const i of deferred) bytes[i] = await start(runs[i].key, runs[i].compute, true)!;
    return bytes.map((b) => v8.deserialize(b!) as T);
}

/** Preloaded by every Node.js process the suite starts: one transpilation per file and suite run. */
const TRANSPILE_CACHE = `--require=${JSON.stringify(path.join(__dirname, "transpile-cache.js"))}`;
let nodeOptions: string | undefined;
let issueTimeSet = false;

/**
 * Mocha global setup (main process, before any worker starts): the suite run's folder, the
 * transpile cache preloaded by the workers and the commands the tests start (tests/setup/transpile-cache.js),
 * and one instant the mocks issue every certificate at (offline/engine/x509-build.ts
 * `ISSUE_TIME_ENV`): a shared run and a fresh one, computed seconds apart, register the same
 * validity and the same alert schedules, so comparing them finds only real differences.
 */
export function mochaGlobalSetup(): void {
    process.env[DIR_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-tls-shared-runs-"));
    if (!process.env[ISSUE_TIME_ENV]) {
        process.env[ISSUE_TIME_ENV] = new Date().toISOString();
        issueTimeSet = true;
    }
    nodeOptions = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = [nodeOptions, TRANSPILE_CACHE].filter(Boolean).join(" ");
}

/** Mocha global teardown: nothing outlives the suite run. */
export function mochaGlobalTeardown(): void {
    const dir = process.env[DIR_ENV];
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    delete process.env[DIR_ENV];
    if (issueTimeSet) delete process.env[ISSUE_TIME_ENV];
    if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = nodeOptions;
}
