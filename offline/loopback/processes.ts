/**
 * Loopback processes for the TLS tests and the rotation rehearsal: free ports, a plaintext app,
 * and nginx run as the current user from a private prefix. Everything listens on 127.0.0.1 and is
 * stopped by the caller (and, as a last resort, when this process exits).
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { onPath } from "./programs";

export const LOOPBACK = "127.0.0.1";

const running = new Set<ChildProcess>();
process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
});

/** A port nothing listens on right now (the kernel's pick, released before returning). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, LOOPBACK, () => {
            const { port } = srv.address() as net.AddressInfo;
            srv.close(() => resolve(port));
        });
    });
}

/** Resolves once something accepts TCP connections on the port; rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const ok = await new Promise<boolean>(resolve => {
            const s = net.connect({ host: LOOPBACK, port }, () => { s.destroy(); resolve(true); });
            s.on("error", () => resolve(false));
        });
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`nothing listens on ${LOOPBACK}:${port} after ${timeoutMs} ms`);
        await new Promise(r => setTimeout(r, 50));
    }
}

/** A private temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface App { port: number; close: () => Promise<void> }

/** The tiny plaintext application the terminator proxies to: answers `ok <n>` to every request. */
export async function startApp(port: number): Promise<App> {
    let n = 0;
    const server = http.createServer((_req, res) => {
        const body = `ok ${++n}\n`;
        res.writeHead(200, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) });
        res.end(body);
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, LOOPBACK, resolve);
    });
    return {
        port,
        close: () => new Promise(resolve => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

/** nginx arguments that keep it inside `runtimeDir` (prefix, config and its early error log). */
export function nginxArgs(runtimeDir: string, confPath: string): string[] {
    return ["-p", runtimeDir, "-c", confPath, "-e", path.join(runtimeDir, "error.log")];
}

/** `nginx -t` on a config: status and nginx's own words. */
export function nginxTest(runtimeDir: string, confPath: string): { ok: boolean; output: string } {
    const r = spawnSync("nginx", ["-t", ...nginxArgs(runtimeDir, confPath)], { encoding: "utf8", timeout: 15_000 });
    if (r.error) throw r.error;
    return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

export interface Nginx {
    pid: number;
    /** `nginx -s reload` through the pid file, as a RELOAD_CMD would. */
    reloadCommand: string;
    /** `nginx -t -q`, as a CHECK_CMD would. */
    checkCommand: string;
    stop: () => Promise<void>;
}

/**
 * Starts nginx in the foreground on a rendered config and waits for its TLS port. When this runs
 * as root, the runtime directory is opened up for nginx's unprivileged workers (keys stay 0600:
 * the master reads them).
 */
export async function startNginx(runtimeDir: string, confPath: string, port: number): Promise<Nginx> {
    if (process.getuid?.() === 0) fs.chmodSync(runtimeDir, 0o755);
    const args = nginxArgs(runtimeDir, confPath);
    const child = spawn("nginx", [...args, "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
    running.add(child);
    let stderr = "";
    child.stderr!.on("data", d => { stderr += d; });
    const exited = new Promise<void>(resolve => child.once("exit", () => { running.delete(child); resolve(); }));
    try {
        await Promise.race([
            waitForPort(port),
            exited.then(() => { throw new Error(`nginx exited at start: ${stderr || readLog(runtimeDir)}`); }),
        ]);
    } catch (e) {
        child.kill("SIGKILL");
        throw e;
    }
    return {
        pid: child.pid!,
        reloadCommand: ["nginx", ...args, "-s", "reload"].join(" "),
        checkCommand: ["nginx", "-t", "-q", ...args].join(" "),
        stop: async () => {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGTERM");
                const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
                await exited;
                clearTimeout(timer);
            }
        },
    };
}

function readLog(runtimeDir: string): string {
    try {
        return fs.readFileSync(path.join(runtimeDir, "error.log"), "utf8");
    } catch {
        return "(no error log)";
    }
}

/** Whether a command is on PATH (tests that need nginx/openssl say so instead of failing obscurely). */
export function haveCommand(cmd: string): boolean {
    return onPath(cmd);
}
