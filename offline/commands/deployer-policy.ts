/**
 * `npm run -s deployer-policy -- [--stack dev|prod] [--account ID] [--region R] [--out FILE]`:
 * prints (or writes) the deploying role's least-privilege policies as JSON, derived from the
 * resource types and look-ups the program uses in every variant (offline/deployer-policy/policy.ts).
 */
import { CommandSpec, invalid, oneOf, runCommand, writeOutput } from "./cli";
import { ANY_SCOPE, deployerPolicies, Scope, STACKS, variants } from "../deployer-policy/policy";

export const DEPLOYER_POLICY: CommandSpec = {
    usage: `npm run -s deployer-policy -- [--stack ${STACKS.join("|")}] [--account <12 digits>] [--region <region>] [--out <file>]`,
    summary: "Prints the deploying role's least-privilege IAM policies, derived from what the program registers and looks up in every variant.",
    flags: {
        stack: { type: "string", arg: "<name>", parse: oneOf(STACKS), doc: `only this stack's variants (default: ${STACKS.join(" and ")})` },
        account: {
            type: "string", arg: "<id>", default: ANY_SCOPE.account, doc: 'the account id to put in every ARN (default: any account, "*")',
            parse: (raw, flag) => { if (raw !== "*" && !/^\d{12}$/.test(raw)) throw invalid(flag, raw, "use a 12-digit account id"); return raw; },
        },
        region: {
            type: "string", arg: "<region>", default: ANY_SCOPE.region, doc: 'the region to put in every ARN and aws:RequestedRegion (default: any region, "*")',
            parse: (raw, flag) => { if (raw !== "*" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(raw)) throw invalid(flag, raw, "use a region name such as eu-west-1"); return raw; },
        },
        out: { type: "string", arg: "<file>", path: "file", doc: "write the JSON to this file instead of stdout" },
    },
    exitCodes: "0 written, 2 a bad command line, an unwritable output or a program that fails",
};

/** The policies' JSON for these stacks and scope. */
export async function generate(stacks: readonly string[], scope: Scope): Promise<string> {
    // Loaded here: it pulls in the Pulumi SDK, which a usage error does not need.
    const { runProgram } = await import("../engine/run-program");
    const runs = [];
    for (const v of variants(stacks)) runs.push(await runProgram(v));
    return JSON.stringify(deployerPolicies(runs, scope), null, 2) + "\n";
}

if (require.main === module) {
    runCommand(DEPLOYER_POLICY, async (opts) => {
        const json = await generate(opts.stack ? [opts.stack] : STACKS, { account: opts.account, region: opts.region });
        if (!opts.out) return { code: 0, stdout: json };
        writeOutput("--out", opts.out, json);
        return { code: 0 };
    });
}
