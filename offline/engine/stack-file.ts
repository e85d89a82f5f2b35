/**
 * The one reader of the stack settings files, `Pulumi.<stack>.yaml`, for every offline command and
 * tool. It reads them as the Pulumi CLI does, and refuses what would make an offline run differ
 * from a deploy, naming the file and, where it can, the line:
 * - YAML that does not parse (js-yaml gives the line and column);
 * - a top-level key other than the five of a stack settings file (secretsprovider, encryptedkey,
 *   encryptionsalt, config, environment: https://www.pulumi.com/docs/iac/concepts/projects/stack-settings-file/,
 *   pulumi/pulumi sdk/go/common/workspace/project.go ProjectStack). The CLI ignores any other, so a
 *   misspelt `config:` would deploy the stack without its configuration: refused here.
 * - a config key without a namespace (`compute: ecs`) is the project's, as the CLI reads it
 *   (pulumi/pulumi sdk/go/common/workspace/loaders.go, stackConfigNamespacedWithProject): it used
 *   to be dropped unread offline. Given both bare and namespaced, it is refused, since the CLI then
 *   keeps one of the two in no set order.
 * Keys of other namespaces (`aws:region`) are the providers'; unknown keys of the project's own
 * namespace are refused by the config validator (config/validate/coerce.ts), which names them.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
// keys.ts only: the rest of config/ loads the Pulumi SDK, which a usage error does not need.
import { NAMESPACE } from "../../config/keys";

/** The repository root: Pulumi.yaml and the committed stack files. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The top-level keys of a stack settings file (https://www.pulumi.com/docs/iac/concepts/projects/stack-settings-file/). */
export const STACK_FILE_KEYS = ["secretsprovider", "encryptedkey", "encryptionsalt", "config", "environment"] as const;

/** A stack file that cannot be read as the Pulumi CLI reads it; the message names the file (and line). */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** `Pulumi.<stack>.yaml`. */
export function stackFileName(stack: string): string {
    return `Pulumi.${stack}.yaml`;
}

/** The stacks configured in `dir`: one Pulumi.<stack>.yaml each. */
export function stackNames(dir: string = PROJECT_DIR): string[] {
    return fs.readdirSync(dir).map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();
}

/** Why `stack` is not a stack of `dir` (naming the file looked for and the stacks there), or undefined. */
export function missingStack(stack: string, dir: string = PROJECT_DIR): string | undefined {
    if (/^[A-Za-z0-9_.-]+$/.test(stack) && fs.existsSync(path.join(dir, stackFileName(stack)))) return undefined;
    const names = stackNames(dir);
    const found = names.length === 0 ? "there is none" : `found ${names.map(stackFileName).join(", ")}`;
    return `there is no ${stackFileName(stack)} in ${dir} (${found}). Use one of: ${names.join(", ")}, or add ${stackFileName(stack)} next to Pulumi.yaml`;
}

/** Pulumi.yaml's `config` block in `dir`: each key's declaration (`{ type, description, default }`, or a bare value). */
export function projectConfig(dir: string = PROJECT_DIR): Record<string, unknown> {
    const project = yaml.load(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { config?: Record<string, unknown> } | null;
    return project?.config ?? {};
}

/**
 * The defaults Pulumi.yaml declares, by namespaced key (`e2e-tls:compute`): a declaration's
 * `default`, or a bare value, which the CLI reads as the value
 * (https://www.pulumi.com/docs/iac/concepts/projects/project-file/#config-options). A key without
 * a namespace is the project's, as in a stack file.
 */
export function projectDefaults(dir: string = PROJECT_DIR): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, decl] of Object.entries(projectConfig(dir))) {
        const key = k.includes(":") ? k : `${NAMESPACE}:${k}`;
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
            if ("default" in decl) out[key] = (decl as { default: unknown }).default;
        } else if (decl !== null && decl !== undefined) {
            out[key] = decl;
        }
    }
    return out;
}

/** 1-based line of the first line of `text` that `pattern` matches, as ":<line>", or "". */
function lineOf(text: string, pattern: RegExp): string {
    const i = text.split(/\r?\n/).findIndex((l) => pattern.test(l));
    return i < 0 ? "" : `:${i + 1}`;
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The `config` map of `dir`/Pulumi.<stack>.yaml, every key namespaced (a bare key is the
 * project's), values as YAML gave them (an absent or empty map is an empty object). Throws a
 * StackFileError for a file that is missing, is not YAML, has a top-level key a stack file does not
 * have, or sets a key both with and without the project's namespace.
 */
export function readStackFile(stack: string, dir: string = PROJECT_DIR): Record<string, unknown> {
    const why = missingStack(stack, dir);
    if (why) throw new StackFileError(why);
    const name = stackFileName(stack);
    const text = fs.readFileSync(path.join(dir, name), "utf8");
    let doc: unknown;
    try {
        doc = yaml.load(text, { filename: name });
    } catch (e) {
        const mark = (e as yaml.YAMLException).mark;
        const where = mark ? `:${mark.line + 1}:${mark.column + 1}` : "";
        throw new StackFileError(`${name}${where}: not valid YAML: ${(e as yaml.YAMLException).reason ?? (e as Error).message}`);
    }
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== "object" || Array.isArray(doc)) {
        throw new StackFileError(`${name}: the file is ${Array.isArray(doc) ? "a list" : JSON.stringify(doc)}. A stack file is a map with a config: section.`);
    }
    for (const k of Object.keys(doc)) {
        if (!(STACK_FILE_KEYS as readonly string[]).includes(k)) {
            const hint = k.toLowerCase().startsWith("conf") || k.toLowerCase().includes("config") ? " (did you mean config?)" : "";
            throw new StackFileError(`${name}${lineOf(text, new RegExp(`^["']?${escaped(k)}["']?\\s*:`))}: "${k}" is not a key of a stack settings file${hint}. `
                + `Use ${STACK_FILE_KEYS.join(", ")} (https://www.pulumi.com/docs/iac/concepts/projects/stack-settings-file/).`);
        }
    }
    const config = (doc as Record<string, unknown>).config;
    if (config === null || config === undefined) return {};
    if (typeof config !== "object" || Array.isArray(config)) {
        throw new StackFileError(`${name}${lineOf(text, /^config\s*:/)}: config is ${Array.isArray(config) ? "a list" : JSON.stringify(config)}. Give a map of <namespace>:<key> to values.`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) {
        const full = k.includes(":") ? k : `${NAMESPACE}:${k}`;
        if (full !== k && full in config) {
            const line = (key: string) => lineOf(text, new RegExp(`^\\s+["']?${escaped(key)}["']?\\s*:`));
            throw new StackFileError(`${name}${line(k)}: ${k} and ${full}${line(full).replace(":", " (line ")}${line(full) ? ")" : ""} are the same key: `
                + "a key without a namespace is the project's, and the CLI would keep either value. Keep one.");
        }
        out[full] = v;
    }
    return out;
}
