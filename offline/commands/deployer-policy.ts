/**
 * `npm run -s deployer-policy -- [--stack dev|prod] [--account ID] [--region R] [--out FILE]`:
 * prints (or writes) the deploying role's least-privilege policies as JSON, derived from the
 * resource types and look-ups the program uses in every variant (offline/deployer-policy/policy.ts).
 * Exit codes: 0 written, 2 a bad command line, an unwritable output or a program that fails.
 */
import * as fs from "fs";
import * as path from "path";
import { ANY_SCOPE, deployerPolicies, Scope, STACKS, variants } from "../deployer-policy/policy";

export const USAGE = `usage: npm run -s deployer-policy -- [--stack ${STACKS.join("|")}] [--account <12 digits>] [--region <region>] [--out <file>]

  --stack    only this stack's variants (default: ${STACKS.join(" and ")})
  --account  the account id to put in every ARN (default: any account, "*")
  --region   the region to put in every ARN and aws:RequestedRegion (default: any region, "*")
  --out      write the JSON to this file instead of stdout`;

export class UsageError extends Error {
    override name = "UsageError";
}

export interface CliOptions {
    readonly stacks: string[];
    readonly scope: Scope;
    readonly out?: string;
    readonly help: boolean;
}

export function parseArgs(argv: readonly string[], cwd = process.cwd()): CliOptions {
    const seen = new Map<string, string>();
    let help = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") { help = true; continue; }
        const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        if (!["--stack", "--account", "--region", "--out"].includes(flag)) throw new UsageError(`unknown option ${arg}`);
        const value = inline ?? argv[++i];
        if (value === undefined || value === "") throw new UsageError(`${flag} needs a value`);
        if (seen.has(flag)) throw new UsageError(`${flag} given twice`);
        seen.set(flag, value);
    }
    const stack = seen.get("--stack");
    if (stack !== undefined && !(STACKS as readonly string[]).includes(stack)) {
        throw new UsageError(`--stack is "${stack}". Use one of: ${STACKS.join(", ")}.`);
    }
    const account = seen.get("--account") ?? ANY_SCOPE.account;
    if (account !== "*" && !/^\d{12}$/.test(account)) throw new UsageError(`--account is "${account}". Use a 12-digit account id.`);
    const region = seen.get("--region") ?? ANY_SCOPE.region;
    if (region !== "*" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new UsageError(`--region is "${region}". Use a region name such as eu-west-1.`);
    const out = seen.get("--out");
    return { stacks: stack ? [stack] : [...STACKS], scope: { account, region }, out: out ? path.resolve(cwd, out) : undefined, help };
}

/** Refuses an output path that cannot be written, before any program runs. */
export function checkWritable(file: string): void {
    const dir = path.dirname(file);
    try {
        if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new Error("it is a directory");
        fs.accessSync(fs.existsSync(file) ? file : dir, fs.constants.W_OK);
    } catch (e) {
        const why = e instanceof Error && e.message === "it is a directory" ? e.message : `${fs.existsSync(dir) ? "not writable" : "its folder does not exist"}`;
        throw new UsageError(`--out ${file} cannot be written: ${why}`);
    }
}

export async function generate(opts: Pick<CliOptions, "stacks" | "scope">): Promise<string> {
    // Loaded here: it pulls in the Pulumi SDK, which a usage error does not need.
    const { runProgram } = await import("../engine/run-program");
    const runs = [];
    for (const v of variants(opts.stacks)) runs.push(await runProgram(v));
    return JSON.stringify(deployerPolicies(runs, opts.scope), null, 2) + "\n";
}

async function main(): Promise<void> {
    const opts = parseArgs(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
    if (opts.help) {
        process.stdout.write(USAGE + "\n");
        return;
    }
    if (opts.out) checkWritable(opts.out);
    const json = await generate(opts);
    if (opts.out) fs.writeFileSync(opts.out, json);
    else process.stdout.write(json);
}

if (require.main === module) {
    const fail = (e: unknown) => {
        process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
        if (e instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
        process.exit(2);
    };
    // An error inside an Output's apply can also surface as an unhandled rejection.
    process.on("unhandledRejection", fail);
    main().catch(fail);
}
