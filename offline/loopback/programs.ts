/**
 * The programs a loopback run needs on PATH, checked before it starts: a command that cannot run
 * says which program is missing, at once, instead of failing later in a way that reads like a
 * result (a rehearsal that reports a failed rotation when nginx was never there).
 */
import * as fs from "fs";
import * as path from "path";

/** Programs the run needs that are not on PATH; the message names them and how to install them. */
export class MissingProgramError extends Error {
    constructor(readonly programs: readonly string[], what: string) {
        super(`${what} needs ${programs.join(", ")}, which ${programs.length === 1 ? "is" : "are"} not on PATH. `
            + `Install ${programs.length === 1 ? "it" : "them"} (Debian: sudo apt-get install ${programs.join(" ")}) and run it again.`);
        this.name = "MissingProgramError";
    }
}

/** Whether an executable named `cmd` is in one of PATH's folders (as a shell would find it). */
export function onPath(cmd: string, envPath: string = process.env.PATH ?? ""): boolean {
    return envPath.split(path.delimiter).filter(Boolean).some((dir) => {
        try {
            const file = path.join(dir, cmd);
            fs.accessSync(file, fs.constants.X_OK);
            return fs.statSync(file).isFile();
        } catch {
            return false;
        }
    });
}

/** Throws a MissingProgramError naming every program of `programs` that is not on PATH. */
export function requirePrograms(programs: readonly string[], what: string): void {
    const missing = programs.filter((p) => !onPath(p));
    if (missing.length > 0) throw new MissingProgramError(missing, what);
}
