/**
 * Runs an offline command as a user does, as a child process, so exit codes, stdout and stderr
 * are the real ones.
 */
import { spawn } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const TS_NODE = require.resolve("ts-node/dist/bin.js");

export interface CommandRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** `offline/commands/<script>.ts` with `args`, from the repository root, without colour. */
export function runOfflineCommand(script: string, args: readonly string[]): Promise<CommandRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [TS_NODE, "--transpile-only", `offline/commands/${script}.ts`, ...args], {
            cwd: ROOT, env: { ...process.env, NO_COLOR: "1", INIT_CWD: ROOT }, stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", d => (stdout += d));
        child.stderr.on("data", d => (stderr += d));
        child.on("error", reject);
        child.on("close", code => resolve({ code, stdout, stderr }));
    });
}
