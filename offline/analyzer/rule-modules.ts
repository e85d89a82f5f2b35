/**
 * The pack's rule modules as the offline tools name them: every module of policies/rules/ that
 * exports `policies`, by file name, read from the directory itself (no second list). The benchmark
 * disables a group of them by name to say what that group costs; the tests check the modules
 * against the policies the pack serves.
 */
import * as fs from "fs";
import * as path from "path";
import { Policy } from "@pulumi/policy";
import { DEFAULT_PACK_DIR } from "./build";
import { PolicyPackConfigInput } from "./config";

/** The pack's rules directory. */
export const RULES_DIR = path.join(DEFAULT_PACK_DIR, "rules");

/** One rule module: its file name without `.ts`, and the policies it exports. */
export interface RuleModule {
    readonly name: string;
    readonly policies: Policy[];
}

/** Every module of the rules directory that exports `policies`, in file-name order. */
export function ruleModules(): RuleModule[] {
    return fs.readdirSync(RULES_DIR).filter((f) => f.endsWith(".ts") && f !== "index.ts").sort().map((f) => f.replace(/\.ts$/, ""))
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        .map((name) => ({ name, policies: require(path.join(RULES_DIR, name)).policies }))
        .filter((m): m is RuleModule => Array.isArray(m.policies));
}

/**
 * The modules whose rules issue 10 added: the hops beyond ELBv2 (Classic ELB, CloudFront, API
 * Gateway, Kubernetes), forwards to other stacks' target groups (alb-forward-target-group-in-stack),
 * the exemptions report (policy-exemptions-applied) and the detector's safety valve
 * (key-material-inspection-complete, in secrets-inspection.ts).
 */
export const ISSUE_10_MODULES = ["classic-elb", "cloudfront", "api-gateway", "kubernetes", "external-targets", "exemptions", "secrets-inspection"] as const;

/** The modules named, in the order given; throws naming the first name that is not a rule module. */
export function modulesNamed(names: readonly string[], modules: readonly RuleModule[] = ruleModules()): RuleModule[] {
    return names.map((n) => {
        const m = modules.find((x) => x.name === n);
        if (!m) throw new Error(`"${n}" is not a rule module of ${RULES_DIR} (one of: ${modules.map((x) => x.name).join(", ")})`);
        return m;
    });
}

/** The policy pack config that disables every policy of `modules` and leaves the others at their defaults. */
export function disabledConfig(modules: readonly RuleModule[]): PolicyPackConfigInput {
    return Object.fromEntries(modules.flatMap((m) => m.policies.map((p) => [p.name, "disabled" as const])));
}
