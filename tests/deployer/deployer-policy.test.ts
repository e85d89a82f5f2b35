/**
 * The deploying role's policy (offline/deployer-policy/) stays true to the program: every AWS type and
 * look-up any variant uses has an entry, the committed JSON is the generator's output, and the
 * documents keep to IAM's rules (size quota, no wildcard actions, "*" only where AWS needs it).
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runProgram } from "../../offline/engine/run-program";
import { ProgramRun } from "../../offline/engine/recorded";
import { ANY_RESOURCE_ACTIONS, INVOKE_ACTIONS, RESOURCE_ACTIONS } from "../../offline/deployer-policy/actions";
import {
    buildStatements, deployerPolicies, invokeTokens, MANAGED_POLICY_MAX_CHARS, missingEntries, policySize, resourceTypes, variants,
} from "../../offline/deployer-policy/policy";
import { DEPLOYER_POLICY } from "../../offline/commands/deployer-policy";
import { parseCommandLine, UsageError } from "../../offline/commands/cli";

const parseArgs = (argv: string[]) => parseCommandLine(DEPLOYER_POLICY, argv);

const ROOT = path.resolve(__dirname, "..", "..");
const COMMITTED = path.join(ROOT, "docs", "deployer-policy.json");
const REGENERATE = "npm run -s deployer-policy -- --out docs/deployer-policy.json";

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "offline/commands/deployer-policy.ts", ...args], {
            cwd: ROOT, env: { ...process.env, INIT_CWD: ROOT }, stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", d => (stderr += d));
        child.on("error", reject);
        child.on("close", code => resolve({ code, stderr }));
    });
}

/** A run that registered one resource of `type` and made one look-up `invoke`. */
function syntheticRun(type: string, invoke: string): ProgramRun {
    return {
        stack: "dev", outputs: {}, secretOutputs: [], warnings: [],
        resources: [{ type, name: "extra", urn: "urn:x", custom: true, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {}, secretInputs: [] }],
        invokes: [{ token: invoke, inputs: {} }],
    };
}

describe("deployer policy", function () {
    this.timeout(180000);
    let runs: ProgramRun[];

    before(async () => {
        runs = [];
        for (const v of variants()) runs.push(await runProgram(v));
    });

    it("has an entry for every AWS resource type and look-up the program uses, in every variant", () => {
        const missing = missingEntries(runs);
        assert.deepEqual(missing.resourceTypes, [],
            `these resource types have no entry in RESOURCE_ACTIONS (offline/deployer-policy/actions.ts): ${missing.resourceTypes.join(", ")}`);
        assert.deepEqual(missing.invokes, [],
            `these look-ups have no entry in INVOKE_ACTIONS (offline/deployer-policy/actions.ts): ${missing.invokes.join(", ")}`);
    });

    it("names the exact token that lacks an entry, and refuses to build a policy without it", () => {
        const extra = syntheticRun("aws:rds/instance:Instance", "aws:ec2/getAmi:getAmi");
        assert.deepEqual(missingEntries([extra]), { resourceTypes: ["aws:rds/instance:Instance"], invokes: ["aws:ec2/getAmi:getAmi"] });
        assert.throws(() => buildStatements([extra]), /no deployer-policy entry .*aws:rds\/instance:Instance, aws:ec2\/getAmi:getAmi/);
    });

    it("records the provider look-ups the program makes, not only its resources", () => {
        const tokens = invokeTokens(runs);
        for (const t of ["aws:index/getAvailabilityZones:getAvailabilityZones", "aws:iam/getSessionContext:getSessionContext"]) {
            assert.ok(tokens.includes(t), `expected the runs to record the look-up ${t}; recorded: ${tokens.join(", ")}`);
        }
    });

    it("keeps no entry that no variant uses", () => {
        const used = new Set([...resourceTypes(runs), ...invokeTokens(runs)]);
        const stale = [...Object.keys(RESOURCE_ACTIONS), ...Object.keys(INVOKE_ACTIONS)].filter(t => !used.has(t));
        assert.deepEqual(stale, [], `entries in offline/deployer-policy/actions.ts that no variant of the program uses: ${stale.join(", ")}`);
    });

    it("matches the committed docs/deployer-policy.json", () => {
        const expected = JSON.stringify(deployerPolicies(runs), null, 2) + "\n";
        const committed = fs.existsSync(COMMITTED) ? fs.readFileSync(COMMITTED, "utf8") : "(missing)";
        assert.ok(committed === expected, `docs/deployer-policy.json differs from the generator's output: run \`${REGENERATE}\` and commit it`);
    });

    it("keeps every document under IAM's managed-policy size quota", () => {
        for (const p of deployerPolicies(runs).policies) {
            const size = policySize(p.PolicyDocument);
            assert.ok(size <= MANAGED_POLICY_MAX_CHARS, `${p.PolicyName} is ${size} characters, over ${MANAGED_POLICY_MAX_CHARS}`);
        }
    });

    it("grants no wildcard action, and every action comes from an entry the program uses", () => {
        const used = new Set([...resourceTypes(runs).flatMap(t => RESOURCE_ACTIONS[t].actions), ...invokeTokens(runs).flatMap(t => INVOKE_ACTIONS[t].actions),
            "iam:CreateServiceLinkedRole"]);
        for (const s of buildStatements(runs)) {
            for (const a of s.Action) {
                assert.ok(!a.includes("*"), `${s.Sid} grants the wildcard action ${a}`);
                assert.ok(used.has(a), `${s.Sid} grants ${a}, which no entry of a used type or look-up lists`);
            }
        }
    });

    it("grants Resource \"*\" only to actions AWS authorizes on \"*\" alone", () => {
        for (const s of buildStatements(runs)) {
            if (s.Resource !== "*") continue;
            const scoped = s.Action.filter(a => !ANY_RESOURCE_ACTIONS.has(a));
            assert.deepEqual(scoped, [], `${s.Sid} grants on "*" actions that take a resource ARN: ${scoped.join(", ")}`);
        }
    });

    it("puts the given account and region in every regional ARN and condition", () => {
        const statements = buildStatements(runs, { account: "210987654321", region: "eu-central-1" });
        for (const s of statements) {
            for (const arn of [s.Resource].flat()) {
                if (arn === "*" || arn.startsWith("arn:aws:s3:::") || arn.startsWith("arn:aws:route53:::")) continue;
                const [, , service, region, account] = arn.split(":");
                if (service !== "iam") assert.equal(region, "eu-central-1", `${s.Sid}: ${arn} is not in eu-central-1`);
                if (!["ec2", "ssm"].includes(service) && !arn.includes(":aws:policy/")) {
                    assert.equal(account, "210987654321", `${s.Sid}: ${arn} is not in the given account`);
                }
            }
            const service = s.Action[0].split(":")[0];
            if (s.Resource === "*" && !["iam", "s3", "route53"].includes(service)) {
                assert.equal(s.Condition?.StringEquals?.["aws:RequestedRegion"], "eu-central-1", `${s.Sid} grants on "*" in every region`);
            }
        }
    });

    it("passes only the stack's own roles and attaches only the managed policies the program attaches", () => {
        const statements = buildStatements(runs);
        const pass = statements.find(s => s.Action.includes("iam:PassRole"))!;
        assert.deepEqual([pass.Resource].flat().filter(r => !/^arn:aws:iam::\*:role\/web-[a-z-]+-\*$/.test(r)), [],
            `iam:PassRole reaches beyond the stack's roles: ${JSON.stringify(pass.Resource)}`);
        const attach = statements.find(s => s.Action.includes("iam:AttachRolePolicy"))!;
        // The ECS execution role gets a scoped inline policy instead of AmazonECSTaskExecutionRolePolicy.
        assert.deepEqual(attach.Condition, { ArnEquals: { "iam:PolicyARN": [
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        ] } });
    });

    it("is documented in the README with a command line the generator accepts", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const lines = readme.split("\n").filter(l => l.startsWith("npm run -s deployer-policy --"));
        assert.ok(lines.length > 0, "the README shows no `npm run -s deployer-policy --` command");
        for (const line of lines) {
            const args = line.replace(/#.*/, "").trim().split(/\s+/).slice(5)
                .map(a => a === "<account-id>" ? "123456789012" : a === "<region>" ? "eu-west-1" : a);
            assert.doesNotThrow(() => parseArgs(args), `the README's \`${line}\` is refused`);
        }
    });

    describe("command line", () => {
        it("refuses an unknown option, naming it", () => {
            assert.throws(() => parseArgs(["--stacks", "dev"]), (e: Error) => e instanceof UsageError && e.message === "unknown flag --stacks");
        });

        it("refuses a stack, account or region it cannot use, naming the flag and the value", () => {
            assert.throws(() => parseArgs(["--stack", "qa"]), /--stack is "qa": use one of: dev, prod/);
            assert.throws(() => parseArgs(["--account", "12345"]), /--account is "12345": use a 12-digit account id/);
            assert.throws(() => parseArgs(["--region", "Europe"]), /--region is "Europe"/);
            assert.throws(() => parseArgs(["--out"]), /--out needs a value/);
            assert.throws(() => parseArgs(["--stack", "dev", "--stack", "prod"]), /--stack is given twice/);
        });

        it("refuses an output file whose folder does not exist, or that is a folder", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deployer-policy-"));
            assert.throws(() => parseArgs(["--out", path.join(dir, "missing", "p.json")]), /--out .*p\.json cannot be written: its folder does not exist/);
            assert.throws(() => parseArgs(["--out", dir]), /cannot be written: it is a directory/);
            assert.equal(parseArgs(["--out", path.join(dir, "p.json")]).out, path.join(dir, "p.json"));
        });

        it("exits 2 with the message on stderr for an unknown option and for an unwritable output", async () => {
            const unknown = await cli(["--bogus"]);
            assert.equal(unknown.code, 2);
            assert.match(unknown.stderr, /error: unknown flag --bogus/);
            const unwritable = await cli(["--out", "/nonexistent-folder/p.json"]);
            assert.equal(unwritable.code, 2);
            assert.match(unwritable.stderr, /error: --out \/nonexistent-folder\/p\.json cannot be written/);
        });
    });
});
