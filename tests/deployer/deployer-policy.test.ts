/**
 * The deploying role's policy (offline/deployer-policy/) stays true to the program: every AWS type,
 * look-up and input any variant of either stack uses has a reviewed entry, the issue-17 calls are
 * in it, the committed JSON is the generator's output, the documents keep to IAM's rules (size
 * quota, no wildcard actions, "*" only where AWS needs it) and follow the stack: its account,
 * region, hosted zone, roles' path and boundary.
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT, runProgram } from "../../offline/engine/run-program";
import { ProgramRun } from "../../offline/engine/recorded";
import { ANY_RESOURCE_ACTIONS, INVOKE_ACTIONS, RESOURCE_ACTIONS } from "../../offline/deployer-policy/actions";
import { entryActions } from "../../offline/deployer-policy/entry";
import {
    buildStatements, deployerPolicies, invokeTokens, MANAGED_POLICY_MAX_CHARS, missingEntries, policySize, resourceTypes,
    stackPolicyScope, Statement, trustedServices, usedActions, VariantRun,
} from "../../offline/deployer-policy/policy";
import { DEPLOYER_POLICY } from "../../offline/commands/deployer-policy";
import { parseCommandLine, UsageError } from "../../offline/commands/cli";
import { TOKENS } from "../../policies/shared/tokens";
import { mockScope, stackRuns, STACKS, variantRuns } from "./runs";

const parseArgs = (argv: string[]) => parseCommandLine(DEPLOYER_POLICY, argv);

const ROOT = path.resolve(__dirname, "..", "..");
const COMMITTED = path.join(ROOT, "docs", "deployer-policy.json");
/** The committed sample: prod, the stack with a hosted zone, for any account and region. */
const SAMPLE_STACK = "prod";
const REGENERATE = `npm run -s deployer-policy -- --stack ${SAMPLE_STACK} --out docs/deployer-policy.json`;

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

/** A run that registered one resource of `type` with `inputs` and made one look-up `invoke`. */
function syntheticRun(type: string, invoke: string, inputs: Record<string, unknown> = {}): ProgramRun {
    return {
        stack: "dev", outputs: {}, secretOutputs: [], warnings: [],
        resources: [{ type, name: "extra", urn: "urn:x", custom: true, inputs, outputs: {}, dependencies: [], propertyDependencies: {}, secretInputs: [] }],
        invokes: [{ token: invoke, inputs: {} }],
    };
}

const statementsOf = (policies: { PolicyDocument: { Statement: Statement[] } }[]) => policies.flatMap(p => p.PolicyDocument.Statement);

describe("deployer policy", function () {
    this.timeout(300_000);
    const runs: Record<string, ProgramRun[]> = {};
    const vruns: Record<string, VariantRun[]> = {};

    before(async () => {
        for (const stack of STACKS) {
            vruns[stack] = await variantRuns(stack);
            runs[stack] = await stackRuns(stack);
        }
    });

    it("has a reviewed entry for every AWS resource type, look-up and input the program uses, in every variant of both stacks", () => {
        for (const stack of STACKS) {
            const missing = missingEntries(runs[stack]);
            assert.deepEqual(missing.resourceTypes, [], `${stack}: types without an entry in offline/deployer-policy/actions.ts: ${missing.resourceTypes.join(", ")}`);
            assert.deepEqual(missing.invokes, [], `${stack}: look-ups without an entry in INVOKE_ACTIONS (actions.ts): ${missing.invokes.join(", ")}`);
            assert.deepEqual(missing.arguments, [], `${stack}: inputs the program sets that their type's entry has not reviewed (arguments): ${missing.arguments.join(", ")}`);
        }
    });

    it("names the exact token or input that lacks an entry, and refuses to build a policy without it", () => {
        const extra = syntheticRun("aws:rds/instance:Instance", "aws:ec2/getAmi:getAmi");
        assert.deepEqual(missingEntries([extra]), { resourceTypes: ["aws:rds/instance:Instance"], invokes: ["aws:ec2/getAmi:getAmi"], arguments: [] });
        assert.throws(() => usedActions([extra]), /no deployer-policy entry .*aws:rds\/instance:Instance, aws:ec2\/getAmi:getAmi/);
        // An argument that adds calls (an ECS service's deployment alarms) is refused until its entry reviews it.
        const unreviewed = syntheticRun(TOKENS.ecsService, "aws:index/getRegion:getRegion", { cluster: "c", alarms: { enable: true } });
        assert.deepEqual(missingEntries([unreviewed]).arguments, [`${TOKENS.ecsService}.alarms`]);
        assert.throws(() => usedActions([unreviewed]), /aws:ecs\/service:Service\.alarms/);
    });

    it("adds an argument's calls only when the program sets it", () => {
        const service = RESOURCE_ACTIONS[TOKENS.ecsService];
        assert.ok(!entryActions(service, ["cluster"]).includes("ecs:ListServiceDeployments"));
        assert.ok(entryActions(service, ["cluster", "waitForSteadyState"]).includes("ecs:ListServiceDeployments"));
    });

    it("records the provider look-ups the program makes, not only its resources", () => {
        const tokens = invokeTokens(runs.dev);
        for (const t of ["aws:index/getAvailabilityZones:getAvailabilityZones", "aws:iam/getSessionContext:getSessionContext"]) {
            assert.ok(tokens.includes(t), `expected the runs to record the look-up ${t}; recorded: ${tokens.join(", ")}`);
        }
    });

    it("keeps no entry that no variant of either stack uses", () => {
        const all = STACKS.flatMap(s => runs[s]);
        const used = new Set([...resourceTypes(all), ...invokeTokens(all)]);
        const stale = [...Object.keys(RESOURCE_ACTIONS), ...Object.keys(INVOKE_ACTIONS)].filter(t => !used.has(t));
        assert.deepEqual(stale, [], `entries in offline/deployer-policy/ that no variant of the program uses: ${stale.join(", ")}`);
    });

    it("cites a source for every entry and records what was checked, and spells every action service:Action", () => {
        for (const [token, e] of Object.entries(RESOURCE_ACTIONS)) {
            assert.ok(e.source.length > 0 && e.source.every(s => /^(terraform-provider-aws internal\/service\/\S+\.go|https:\/\/)/.test(s)), `${token}: source ${e.source.join(", ")}`);
            assert.ok(e.checked.length > 0, `${token}: nothing recorded as checked`);
            for (const a of entryActions(e)) assert.match(a, /^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/, `${token}: ${a}`);
        }
        for (const [token, e] of Object.entries(INVOKE_ACTIONS)) assert.ok(e.source.length > 0, `${token}: no source`);
    });

    it("allows what issue 17 found missing: the ECS steady-state waiter's deployments, trust-store associations, the pull-through-cache role, Elastic IP disassociation", () => {
        const prod = statementsOf(deployerPolicies(vruns.prod, mockScope("prod")).policies).filter(s => s.Effect === "Allow");
        const granted = (action: string) => prod.filter(s => s.Action.includes(action));
        for (const action of ["ecs:ListServiceDeployments", "ecs:DescribeServiceDeployments", "elasticloadbalancing:DescribeTrustStoreAssociations", "ec2:DisassociateAddress"]) {
            assert.ok(granted(action).length > 0, `${action} is not granted`);
        }
        const linked = granted("iam:CreateServiceLinkedRole")[0];
        assert.ok([linked.Condition?.StringEquals?.["iam:AWSServiceName"]].flat().includes("pullthroughcache.ecr.amazonaws.com"));
    });

    it("matches the committed docs/deployer-policy.json", () => {
        const expected = JSON.stringify(deployerPolicies(vruns[SAMPLE_STACK], stackPolicyScope(PROJECT, SAMPLE_STACK)), null, 2) + "\n";
        const committed = fs.existsSync(COMMITTED) ? fs.readFileSync(COMMITTED, "utf8") : "(missing)";
        assert.ok(committed === expected, `docs/deployer-policy.json differs from the generator's output: run \`${REGENERATE}\` and commit it`);
    });

    it("keeps every deployer document and the boundary, a single policy, under IAM's managed-policy size quota", () => {
        for (const stack of STACKS) {
            const generated = deployerPolicies(vruns[stack], stackPolicyScope(PROJECT, stack));
            for (const p of [...generated.policies, generated.boundary]) {
                const size = policySize(p.PolicyDocument);
                assert.ok(size <= MANAGED_POLICY_MAX_CHARS, `${stack} ${p.PolicyName} is ${size} characters, over ${MANAGED_POLICY_MAX_CHARS}`);
            }
            assert.ok(generated.policies.length <= 9, `${stack}: ${generated.policies.length} policies and the role's quota of 10 managed policies`);
        }
    });

    it("grants no wildcard action, and every action it grants comes from an entry or look-up the stack uses", () => {
        for (const stack of STACKS) {
            const used = new Set(usedActions(runs[stack]));
            for (const s of buildStatements(runs[stack], mockScope(stack)).filter(x => x.Effect === "Allow")) {
                for (const a of s.Action) {
                    assert.ok(!a.includes("*"), `${stack} ${s.Sid} grants the wildcard action ${a}`);
                    assert.ok(used.has(a), `${stack} ${s.Sid} grants ${a}, which no entry of a used type, input or look-up lists`);
                }
            }
        }
    });

    it("grants Resource \"*\" only to actions AWS authorizes on \"*\" alone, or to creates that must carry the stack tag", () => {
        for (const stack of STACKS) {
            for (const s of buildStatements(runs[stack], mockScope(stack)).filter(x => x.Effect === "Allow" && x.Resource === "*")) {
                const scoped = s.Action.filter(a => !ANY_RESOURCE_ACTIONS.has(a));
                if (scoped.length > 0) assert.ok(JSON.stringify(s.Condition).includes("aws:RequestTag/e2etls:stack"), `${s.Sid} grants on "*" actions that take a resource ARN: ${scoped.join(", ")}`);
            }
        }
    });

    it("puts the given account and region in every regional ARN and condition", () => {
        const scope = stackPolicyScope(PROJECT, "prod", "210987654321", "eu-central-1");
        for (const s of buildStatements(runs.prod, scope)) {
            for (const arn of [s.Resource].flat()) {
                if (arn === "*" || arn.startsWith("arn:aws:s3:::") || arn.startsWith("arn:aws:route53:::")) continue;
                const [, , service, region, account] = arn.split(":");
                if (service !== "iam") assert.equal(region, "eu-central-1", `${s.Sid}: ${arn} is not in eu-central-1`);
                if (!["ec2", "ssm"].includes(service) && !arn.includes(":aws:policy/")) assert.equal(account, "210987654321", `${s.Sid}: ${arn} is not in the given account`);
            }
            const service = s.Action[0].split(":")[0];
            if (s.Effect === "Allow" && s.Resource === "*" && !["iam", "s3", "route53"].includes(service)) {
                assert.equal(s.Condition?.StringEquals?.["aws:RequestedRegion"], "eu-central-1", `${s.Sid} grants on "*" in every region`);
            }
        }
        assert.equal(scope.boundaryArn, "arn:aws:iam::210987654321:policy/e2e-tls-prod-role-boundary");
    });

    it("follows the stack's own hosted zone and refuses records of another zone", async () => {
        const zone = { "e2e-tls:domainName": "api.corp-one.net", "e2e-tls:hostedZoneId": "Z0999FOLLOWS" };
        const run = await runProgram({ stack: "prod", config: zone });
        const scope = stackPolicyScope(PROJECT, "prod", "*", "*", zone);
        const route53 = buildStatements([run], scope).filter(s => s.Action.includes("route53:ChangeResourceRecordSets"));
        assert.deepEqual(route53.map(s => s.Resource), [["arn:aws:route53:::hostedzone/Z0999FOLLOWS"]]);
        assert.throws(() => buildStatements([run], stackPolicyScope(PROJECT, "prod")), /records in hosted zones other than the stack's Z0123456789EXAMPLE: Z0999FOLLOWS/);
    });

    it("scopes roles to the stack's IAM path and passes each only to the service its trust policy names", () => {
        for (const stack of STACKS) {
            const scope = mockScope(stack);
            const statements = buildStatements(runs[stack], scope);
            const roles = runs[stack].flatMap(r => r.resources).filter(r => r.type === TOKENS.iamRole);
            for (const s of statements.filter(x => x.Action.includes("iam:PassRole"))) {
                const service = Object.values(s.Condition ?? {}).map(c => c["iam:PassedToService"]).find(Boolean);
                for (const arn of [s.Resource].flat()) {
                    assert.ok(arn.startsWith(`arn:aws:iam::${scope.account}:role${scope.iamPath}`), `${s.Sid}: ${arn} is outside ${scope.iamPath}`);
                    const role = roles.find(r => arn === `arn:aws:iam::${scope.account}:role${scope.iamPath}${r.name}-*`)!;
                    assert.deepEqual(trustedServices(role), [service], `${s.Sid}: ${role.name} is passed to ${service}`);
                }
            }
            const attach = statements.find(s => s.Effect === "Allow" && s.Action.includes("iam:AttachRolePolicy"))!;
            assert.deepEqual(attach.Condition?.ArnEquals, { "iam:PolicyARN": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"] });
        }
    });

    it("is documented in the deploying guide and the README with command lines the generator accepts", () => {
        for (const page of ["docs/deploying.md", "README.md"]) {
            const text = fs.readFileSync(path.join(ROOT, page), "utf8");
            const lines = [...text.matchAll(/npm run -s deployer-policy --[^`\n]*/g)].map(m => m[0]);
            assert.ok(lines.length > 0, `${page} shows no \`npm run -s deployer-policy --\` command`);
            for (const line of lines) {
                const args = line.replace(/#.*/, "").trim().split(/\s+/).slice(5)
                    .map(a => a === "<account-id>" ? "123456789012" : a === "<region>" ? "eu-west-1" : a === "<stack>" ? "prod" : a);
                assert.doesNotThrow(() => parseArgs(args), `${page}: \`${line}\` is refused`);
            }
        }
    });

    describe("command line", () => {
        it("refuses an unknown option, naming it, and a missing --stack", () => {
            assert.throws(() => parseArgs(["--stacks", "dev"]), (e: Error) => e instanceof UsageError && e.message === "unknown flag --stacks");
            assert.throws(() => parseArgs([]), /--stack is required/);
        });

        it("refuses a stack, account or region it cannot use, naming the flag and the value", () => {
            assert.throws(() => parseArgs(["--stack", "qa"]), /--stack is "qa": there is no Pulumi\.qa\.yaml in \S+ \(found Pulumi\.dev\.yaml, Pulumi\.prod\.yaml\)\. Use one of: dev, prod/);
            assert.throws(() => parseArgs(["--stack", "dev", "--account", "12345"]), /--account is "12345": use a 12-digit account id/);
            assert.throws(() => parseArgs(["--stack", "dev", "--region", "Europe"]), /--region is "Europe"/);
            assert.throws(() => parseArgs(["--stack", "dev", "--out"]), /--out needs a value/);
            assert.throws(() => parseArgs(["--stack", "dev", "--stack", "prod"]), /--stack is given twice/);
        });

        it("refuses an output file whose folder does not exist, or that is a folder", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deployer-policy-"));
            assert.throws(() => parseArgs(["--stack", "dev", "--out", path.join(dir, "missing", "p.json")]), /--out .*p\.json cannot be written: its folder does not exist/);
            assert.throws(() => parseArgs(["--stack", "dev", "--out", dir]), /cannot be written: it is a directory/);
            assert.equal(parseArgs(["--stack", "dev", "--out", path.join(dir, "p.json")]).out, path.join(dir, "p.json"));
        });

        it("exits 2 with the message on stderr for an unknown option and for an unwritable output", async () => {
            const unknown = await cli(["--bogus"]);
            assert.equal(unknown.code, 2);
            assert.match(unknown.stderr, /error: unknown flag --bogus/);
            const unwritable = await cli(["--stack", "dev", "--out", "/nonexistent-folder/p.json"]);
            assert.equal(unwritable.code, 2);
            assert.match(unwritable.stderr, /error: --out \/nonexistent-folder\/p\.json cannot be written/);
        });
    });
});
