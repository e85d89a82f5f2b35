/**
 * `npm run -s deployer-policy -- --stack <stack> [--account ID] [--region R] [--out FILE]`: prints
 * (or writes) the deploying role's least-privilege policies for one stack and the permissions
 * boundary of the stack's roles, as JSON, derived from the resource types, inputs and look-ups the
 * program uses in every variant of the stack (offline/deployer-policy/policy.ts).
 */
import { CommandSpec, invalid, runCommand, stackFlag, writeOutput } from "./cli";

export const DEPLOYER_POLICY: CommandSpec = {
    usage: "npm run -s deployer-policy -- --stack <name> [--account <12 digits>] [--region <region>] [--out <file>]",
    summary: "Prints the deploying role's least-privilege IAM policies for one stack, and the permissions boundary of the stack's roles, derived from what the program registers and looks up in every variant of the stack.",
    flags: {
        stack: stackFlag(),
        account: {
            type: "string", arg: "<id>", default: "*", doc: 'the account id to put in every ARN (default: any account, "*")',
            parse: (raw, flag) => { if (raw !== "*" && !/^\d{12}$/.test(raw)) throw invalid(flag, raw, "use a 12-digit account id"); return raw; },
        },
        region: {
            type: "string", arg: "<region>", default: "*", doc: 'the region to put in every ARN and aws:RequestedRegion (default: any region, "*")',
            parse: (raw, flag) => { if (raw !== "*" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(raw)) throw invalid(flag, raw, "use a region name such as eu-west-1"); return raw; },
        },
        out: { type: "string", arg: "<file>", path: "file", doc: "write the JSON to this file instead of stdout" },
    },
    required: ["stack"],
    exitCodes: "0 written, 2 a bad command line, an unwritable output or a program that fails",
};

/** The policies' JSON for a stack in an account and region ("*": any). */
export async function generate(stack: string, account: string, region: string): Promise<string> {
    // Loaded here: they pull in the Pulumi SDK, which a usage error does not need.
    const { PROJECT, runProgram } = await import("../engine/run-program");
    const { deployerPolicies, stackPolicyScope, variants } = await import("../deployer-policy/policy");
    const runs = [];
    for (const variant of variants(stack)) runs.push({ variant, run: await runProgram(variant) });
    return JSON.stringify(deployerPolicies(runs, stackPolicyScope(PROJECT, stack, account, region)), null, 2) + "\n";
}

if (require.main === module) {
    runCommand(DEPLOYER_POLICY, async (opts) => {
        const json = await generate(opts.stack, opts.account, opts.region);
        if (!opts.out) return { code: 0, stdout: json };
        writeOutput("--out", opts.out, json);
        return { code: 0 };
    });
}
