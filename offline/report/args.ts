/**
 * Command line of `npm run preview:offline`. Pure, so tests parse without spawning anything.
 */
import * as path from "path";

export const USAGE = `usage: npm run preview:offline -- --stack <name> [options]

  --stack <name>             stack whose Pulumi.<name>.yaml is loaded (required)
  --config <ns:key>=<value>  override a config value, as \`pulumi config set\` would (repeatable;
                             a key without a namespace belongs to the project)
  --json                     print one JSON document instead of the report
  --markdown <file>          also write the report as Markdown (PR comment, job summary)
  --policy-config <file>     policy pack config, as \`pulumi preview --policy-pack-config\` takes it
  --emit-pki <dir>           write the run's CA bundle, backend and client certificates and keys
  --compare-sample           add the AWS sample architecture's cost for comparison
  --help                     show this help

exit codes: 0 no mandatory policy violation, 1 at least one, 2 the program, its config or the
command line failed`;

export interface PreviewOptions {
    readonly stack: string;
    /** Overrides keyed `namespace:key`. */
    readonly config: Record<string, string>;
    readonly json: boolean;
    readonly markdown?: string;
    readonly policyConfig?: string;
    readonly emitPki?: string;
    readonly compareSample: boolean;
    readonly help: boolean;
}

/** A command line that cannot be run; the message says why. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

const STACK = /^[A-Za-z0-9_.-]+$/;

/**
 * Parses argv (without node and the script). Relative paths resolve against `cwd`: npm runs
 * scripts from the package root, so the CLI passes the caller's directory (INIT_CWD).
 */
export function parseArgs(argv: readonly string[], project: string, cwd: string = process.cwd()): PreviewOptions {
    const config: Record<string, string> = {};
    let stack: string | undefined;
    let json = false;
    let compareSample = false;
    let help = false;
    let markdown: string | undefined;
    let policyConfig: string | undefined;
    let emitPki: string | undefined;

    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
        const flag = eq > 0 ? arg.slice(0, eq) : arg;
        const value = (): string => {
            if (eq > 0) return arg.slice(eq + 1);
            const v = argv[i + 1];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
            i++;
            return v;
        };
        switch (flag) {
            case "--stack": stack = value(); break;
            case "--config": {
                const pair = value();
                const at = pair.indexOf("=");
                if (at <= 0) throw new UsageError(`--config ${pair}: use <namespace:key>=<value>, e.g. --config e2e-tls:compute=ecs`);
                const key = pair.slice(0, at);
                config[key.includes(":") ? key : `${project}:${key}`] = pair.slice(at + 1);
                break;
            }
            case "--json": json = true; break;
            case "--compare-sample": compareSample = true; break;
            case "--markdown": markdown = path.resolve(cwd, value()); break;
            case "--policy-config": policyConfig = path.resolve(cwd, value()); break;
            case "--emit-pki": emitPki = path.resolve(cwd, value()); break;
            case "--help": case "-h": help = true; break;
            default: throw new UsageError(`unknown argument ${arg}`);
        }
    }
    if (!help && stack === undefined) throw new UsageError("--stack is required, e.g. --stack dev");
    if (stack !== undefined && !STACK.test(stack)) throw new UsageError(`--stack ${JSON.stringify(stack)}: use letters, digits, "-", "_" or "."`);
    return { stack: stack ?? "", config, json, markdown, policyConfig, emitPki, compareSample, help };
}
