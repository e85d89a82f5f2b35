/**
 * The one command-line parser of the offline commands. Each command declares its flags as data
 * (name, type, doc, validation) and gets, from here: `--help` (usage on stdout, exit 0); exit 2
 * with a message naming the flag and the value for an unknown flag, a missing or bad value; the
 * same error as JSON on stdout when the command's JSON flag is on; and outputs that are refused
 * before the run when they cannot be written.
 *
 * Built on Node's `util.parseArgs` in strict mode, which throws ERR_PARSE_ARGS_UNKNOWN_OPTION for a
 * flag not declared, ERR_PARSE_ARGS_INVALID_OPTION_VALUE for a string flag without a value (also
 * when the next argument starts with "-", "argument is ambiguous") or a boolean flag given one, and
 * ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL for a bare argument (https://nodejs.org/api/util.html#utilparseargsconfig,
 * https://nodejs.org/api/errors.html#err_parse_args_unknown_option). A repeated flag without
 * `multiple` keeps its last value.
 *
 * JSON usage error, on stdout: `{ "error": { "kind": "usage", "flag": "--rate", "value": "0", "message": "…" } }`
 * (`flag` and `value` when the error has them).
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { missingStack, stackNames } from "../engine/stack-file";
import { MissingProgramError } from "../loopback/programs";

/** A command line that cannot be run; the message names the flag and the value. */
export class UsageError extends Error {
    constructor(message: string, readonly flag?: string, readonly value?: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** An output that cannot be written, before or after the run; the message names the flag and the path. */
export class OutputError extends Error {
    constructor(message: string, readonly flag: string, readonly file: string) {
        super(message);
        this.name = "OutputError";
    }
}

export interface ParseContext {
    /** Directory relative paths resolve against: npm runs scripts from the package root, so the caller's (INIT_CWD). */
    readonly cwd: string;
    /** Folder whose Pulumi.<stack>.yaml files `--stack` accepts. Defaults to the repository root. */
    readonly stackDir?: string;
}

/** One flag of a command. */
export interface Flag {
    readonly type: "string" | "boolean";
    /** The value's placeholder in the usage, e.g. "<file>". String flags only. */
    readonly arg?: string;
    readonly doc: string;
    /** One letter alias, e.g. "h". */
    readonly short?: string;
    /** Repeatable; the values are collected in order. Defaults to false (the last one wins). */
    readonly multiple?: boolean;
    /** The value when the flag is absent (already parsed). */
    readonly default?: unknown;
    /** A path resolved against the caller's directory; "file"/"dir" outputs are checked before the run. */
    readonly path?: "input" | "file" | "dir";
    /** Turns the raw value into the option's value; throws a UsageError (see {@link invalid}) for a bad one. */
    readonly parse?: (raw: string, flag: string, ctx: ParseContext) => unknown;
}

/** A command: its usage line, its flags, and what its exit codes mean. */
export interface CommandSpec {
    /** How to run it, e.g. `npm run rehearse:rotation -- [options]`. */
    readonly usage: string;
    readonly summary: string;
    readonly flags: Readonly<Record<string, Flag>>;
    /** Flags without a default that must be given. */
    readonly required?: readonly string[];
    readonly exitCodes: string;
    /** The boolean flag that makes the command speak JSON on stdout, usage errors included. */
    readonly jsonFlag?: string;
}

const HELP: Flag = { type: "boolean", short: "h", doc: "show this help" };

/** The usage text: the command line, one line per flag, the exit codes. */
export function usage(spec: CommandSpec): string {
    const flags = { ...spec.flags, help: HELP };
    const left = (name: string, f: Flag) => `--${name}${f.arg ? ` ${f.arg}` : ""}`;
    const width = Math.max(...Object.entries(flags).map(([n, f]) => left(n, f).length)) + 2;
    const lines = Object.entries(flags).map(([n, f]) => `  ${left(n, f).padEnd(width)}${f.doc}${f.multiple ? " (repeatable)" : ""}`);
    return [`usage: ${spec.usage}`, "", spec.summary, "", ...lines, "", `exit codes: ${spec.exitCodes}`].join("\n");
}

/** A UsageError for a value a flag does not accept: `--rate is "0": use …`. */
export function invalid(flag: string, raw: string, allowed: string): UsageError {
    return new UsageError(`${flag} is ${JSON.stringify(raw)}: ${allowed}`, flag, raw);
}

/** A whole number from `min` to `max`. */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): Flag["parse"] {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    return (raw, flag) => {
        const n = Number(raw);
        if (!/^\d+$/.test(raw) || n < min || n > max) throw invalid(flag, raw, `use a whole number ${range}`);
        return n;
    };
}

/**
 * `--stack`: any stack of the project, i.e. any Pulumi.<name>.yaml next to Pulumi.yaml (or in the
 * context's `stackDir`), looked up when the command line is parsed; another name is refused naming
 * the file looked for and the stacks found.
 */
export function stackFlag(defaultStack?: string): Flag {
    return {
        type: "string", arg: "<name>", default: defaultStack,
        doc: `stack whose Pulumi.<name>.yaml is loaded (here: ${stackNames().join(", ")})${defaultStack ? ` (default: ${defaultStack})` : ""}`,
        parse: (raw, flag, ctx) => {
            const why = missingStack(raw, ctx.stackDir);
            if (why) throw invalid(flag, raw, why);
            return raw;
        },
    };
}

/** Why `file` cannot be written as a file (or, for "dir", created and filled as a folder), or undefined. */
export function unwritable(file: string, kind: "file" | "dir"): string | undefined {
    const stat = (p: string) => { try { return fs.statSync(p); } catch { return undefined; } };
    const writable = (p: string) => { try { fs.accessSync(p, fs.constants.W_OK); return true; } catch { return false; } };
    const own = stat(file);
    if (own) {
        if (kind === "file" && own.isDirectory()) return "it is a directory";
        if (kind === "dir" && !own.isDirectory()) return "it is not a directory";
        return writable(file) ? undefined : "it is not writable";
    }
    if (kind === "file") {
        const parent = stat(path.dirname(file));
        if (!parent) return "its folder does not exist";
        if (!parent.isDirectory()) return "its folder is not a directory";
        return writable(path.dirname(file)) ? undefined : "its folder is not writable";
    }
    // A folder is created with its parents: the nearest existing ancestor decides.
    let up = path.dirname(file);
    while (!stat(up) && path.dirname(up) !== up) up = path.dirname(up);
    if (!stat(up)!.isDirectory()) return `${up} is not a directory`;
    return writable(up) ? undefined : `${up} is not writable`;
}

/** Throws an OutputError naming the flag and the path when the output cannot be written. */
export function checkOutput(flag: string, file: string, kind: "file" | "dir"): void {
    const why = unwritable(file, kind);
    if (why) throw new OutputError(`${flag} ${file} cannot be written: ${why}`, flag, file);
}

/** Writes an output file; a failure is an OutputError naming the flag and the path. */
export function writeOutput(flag: string, file: string, content: string): void {
    try {
        fs.writeFileSync(file, content);
    } catch (e) {
        throw new OutputError(`${flag} ${file} cannot be written: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, flag, file);
    }
}

const PARSE_ERRORS: Record<string, (flag: string, arg: string) => string> = {
    ERR_PARSE_ARGS_UNKNOWN_OPTION: (flag) => `unknown flag ${flag}`,
    ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL: (_, arg) => `unexpected argument ${JSON.stringify(arg)}: every value follows its flag`,
};

/** util.parseArgs' error as a UsageError naming the flag (its message quotes it). */
function fromParseArgs(e: NodeJS.ErrnoException, spec: CommandSpec): UsageError {
    const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? "";
    const flag = quoted.split(" ")[0];
    const known = PARSE_ERRORS[e.code ?? ""];
    if (known) return known === PARSE_ERRORS.ERR_PARSE_ARGS_UNKNOWN_OPTION ? new UsageError(known(flag, quoted), flag) : new UsageError(known(flag, quoted), undefined, quoted);
    const decl = spec.flags[flag.replace(/^--?/, "")];
    if (decl?.type === "boolean") return new UsageError(`${flag} takes no value`, flag);
    return new UsageError(`${flag} needs a value${/ambiguous/.test(e.message) ? ` (to give one starting with "-", write ${flag}=<value>)` : ""}`, flag);
}

/**
 * `--rate -5` as `--rate=-5`: util.parseArgs refuses a separate value starting with "-" as
 * ambiguous; a negative number is a value, to be refused by the flag's own check naming it.
 */
function negativeValuesJoined(argv: readonly string[], flags: Record<string, Flag>): string[] {
    const out: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const name = argv[i].startsWith("--") ? argv[i].slice(2) : undefined;
        if (name && flags[name]?.type === "string" && /^-\d/.test(argv[i + 1] ?? "")) out.push(`${argv[i]}=${argv[++i]}`);
        else out.push(argv[i]);
    }
    return out;
}

/** The parsed options: each flag's value (parsed, defaulted, paths resolved), and whether --help was asked. */
export type Parsed = Record<string, any> & { readonly help: boolean };

/** Parses argv (without node and the script) against the command's flags. */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[], ctx: ParseContext = { cwd: process.cwd() }): Parsed {
    const flags: Record<string, Flag> = { ...spec.flags, help: HELP };
    const options = Object.fromEntries(Object.entries(flags).map(([n, f]) =>
        [n, { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) }]));
    let parsed: { values: Record<string, unknown>; tokens?: { kind: string; name?: string }[] };
    try {
        parsed = parseArgs({ args: negativeValuesJoined(argv, flags), options, strict: true, allowPositionals: false, tokens: true });
    } catch (e) {
        throw fromParseArgs(e as NodeJS.ErrnoException, spec);
    }
    const values = parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>;
    const seen = new Set<string>();
    for (const t of parsed.tokens ?? []) {
        if (t.kind !== "option" || !t.name || flags[t.name]?.multiple) continue;
        if (seen.has(t.name)) throw new UsageError(`--${t.name} is given twice`, `--${t.name}`);
        seen.add(t.name);
    }
    if (values.help === true) return { help: true };
    const out: Record<string, unknown> = { help: false };
    for (const [name, f] of Object.entries(spec.flags)) {
        const flag = `--${name}`;
        const given = values[name];
        if (given === undefined) {
            if (spec.required?.includes(name)) throw new UsageError(`${flag} is required`, flag);
            out[name] = f.default ?? (f.type === "boolean" ? false : f.multiple ? [] : undefined);
            continue;
        }
        const one = (raw: string | boolean): unknown => {
            if (typeof raw === "boolean") return raw;
            if (raw === "") throw new UsageError(`${flag} needs a value`, flag, raw);
            const v = f.parse ? f.parse(raw, flag, ctx) : raw;
            return f.path && typeof v === "string" ? path.resolve(ctx.cwd, v) : v;
        };
        out[name] = Array.isArray(given) ? given.map(one) : one(given);
        if (f.path === "file" || f.path === "dir") checkOutput(flag, out[name] as string, f.path);
    }
    return out as Parsed;
}

/** What a command's main returns: its exit code and what goes to stdout. */
export interface Outcome {
    readonly code: number;
    readonly stdout?: string;
}

export interface RunHooks {
    /** The JSON error's `kind` for a failure (defaults: "usage", "output", "failure"). */
    readonly errorKind?: (e: unknown) => string | undefined;
    /** Exit code of a failure that is not a usage or output error. Defaults to 2. */
    readonly failureCode?: number;
    /** Called with a failure before exiting (a result line, a failure report); errors it throws are reported too. */
    readonly onFailure?: (e: unknown, opts: Parsed | undefined) => void | Promise<void>;
    /** Extra fields of the JSON error document. */
    readonly jsonError?: (e: unknown, opts: Parsed | undefined) => Record<string, unknown>;
}

/** The JSON document of an error: `{ error: { kind, flag?, value?, message } }`. */
export function errorDocument(e: unknown, kind?: string): { error: Record<string, unknown> } {
    const message = e instanceof Error ? e.message : String(e);
    const k = kind ?? (e instanceof UsageError ? "usage" : e instanceof OutputError ? "output" : e instanceof MissingProgramError ? "missing-program" : "failure");
    const flag = e instanceof UsageError || e instanceof OutputError ? e.flag : undefined;
    const value = e instanceof UsageError ? e.value : e instanceof OutputError ? e.file : undefined;
    return { error: { kind: k, ...(flag ? { flag } : {}), ...(value !== undefined ? { value } : {}), message } };
}

/**
 * Runs a command's main with the parsed options and exits with its code. Usage and output
 * errors, and a program the command needs that is not on PATH, exit 2 with the message (and, for a
 * usage error, the usage) on stderr; in JSON mode the error document goes to stdout as well. Other
 * failures exit with `failureCode`.
 */
export function runCommand(spec: CommandSpec, main: (opts: Parsed) => Promise<Outcome>, hooks: RunHooks = {}, argv = process.argv.slice(2)): void {
    let opts: Parsed | undefined;
    let failing = false;
    const json = () => !!spec.jsonFlag && (opts ? opts[spec.jsonFlag] === true : argv.includes(`--${spec.jsonFlag}`));
    const fail = async (e: unknown): Promise<void> => {
        if (failing) return;
        failing = true;
        const message = e instanceof Error ? e.message : String(e);
        process.stderr.write(`error: ${message}\n`);
        if (e instanceof UsageError) process.stderr.write(`\n${usage(spec)}\n`);
        try {
            await hooks.onFailure?.(e, opts);
        } catch (again) {
            process.stderr.write(`error: ${again instanceof Error ? again.message : String(again)}\n`);
        }
        if (json()) process.stdout.write(JSON.stringify({ ...hooks.jsonError?.(e, opts), ...errorDocument(e, hooks.errorKind?.(e)) }, null, 2) + "\n");
        const code = e instanceof UsageError || e instanceof OutputError || e instanceof MissingProgramError ? 2 : hooks.failureCode ?? 2;
        process.stdout.write("", () => process.exit(code));
    };
    // An error raised inside an Output's apply reaches these handlers rather than main's promise.
    process.on("unhandledRejection", (e) => void fail(e));
    process.on("uncaughtException", (e) => void fail(e));
    (async () => {
        opts = parseCommandLine(spec, argv, { cwd: process.env.INIT_CWD ?? process.cwd() });
        if (opts.help) return { code: 0, stdout: usage(spec) + "\n" };
        return main(opts);
    })().then(
        ({ code, stdout }) => { if (!failing) process.stdout.write(stdout ?? "", () => process.exit(code)); },
        (e) => void fail(e),
    );
}
