/**
 * What the deploying role's policy relies on is on everything the program creates: the stack tag
 * on every AWS resource whose type takes tags (the SDK's own list of each type's inputs decides
 * which do), and the stack's IAM path and permissions boundary on every role, in every variant,
 * whichever component creates it, and when the tier is constructed below another component. The
 * boundary is a customer managed policy of the deploying account.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { runProgram } from "../../offline/engine/run-program";
import { ProgramRun, RecordedResource } from "../../offline/engine/recorded";
import { ACCOUNT_ID } from "../../offline/engine/mocks";
import { TOKENS } from "../../policies/shared/tokens";
import { TAG } from "../../components/facts";
import { validateConfig } from "../../config/index";
import { tagsOf } from "./program-requests";
import { mockScope, stackRuns, STACKS } from "./runs";

/**
 * Whether a type takes a `tags` input, read from the @pulumi/aws module that defines it: its
 * constructor copies every input into `resourceInputs`.
 */
function takesTags(type: string): boolean {
    const [, module, file] = /^aws:([^/]+)\/([^:]+):/.exec(type)!;
    const source = fs.readFileSync(require.resolve(`@pulumi/aws/${module === "index" ? "" : `${module}/`}${file}.js`), "utf8");
    return /resourceInputs\["tags"\] = args\?\.tags/.test(source);
}

function untagged(runs: ProgramRun[], value: string): string[] {
    const aws = runs.flatMap(r => r.resources).filter((r: RecordedResource) => r.custom && r.type.startsWith("aws:"));
    const taggable = new Map<string, boolean>();
    return [...new Set(aws.filter(r => {
        if (!taggable.has(r.type)) taggable.set(r.type, takesTags(r.type));
        return taggable.get(r.type) && tagsOf(r)[TAG.stack] !== value;
    }).map(r => `${r.type} ${r.name}`))];
}

describe("stack ownership: the stack tag, path and boundary on everything the program creates", function () {
    this.timeout(300_000);

    it("reads which types take tags from the SDK, so a type cannot be left out by a list", () => {
        assert.equal(takesTags(TOKENS.secretsManagerSecret), true);
        assert.equal(takesTags(TOKENS.autoscalingGroup), true);
        assert.equal(takesTags(TOKENS.iamRolePolicy), false);
        assert.equal(takesTags(TOKENS.schedulerSchedule), false);
    });

    for (const stack of STACKS) {
        it(`${stack}: every AWS resource whose type takes tags carries the stack tag, in every variant`, async () => {
            const runs = await stackRuns(stack);
            assert.deepEqual(untagged(runs, mockScope(stack).tagValue), []);
            const group = runs.flatMap(r => r.resources).find(r => r.type === TOKENS.autoscalingGroup)!;
            assert.ok(group.inputs.tags.some((t: any) => t.key === TAG.stack && t.propagateAtLaunch === true), "the group's instances get the tag");
        });

        it(`${stack}: every role and instance profile is under the stack's path, every role carries the stack's boundary`, async () => {
            const runs = await stackRuns(stack);
            const scope = mockScope(stack);
            const all = runs.flatMap(r => r.resources);
            const roles = all.filter(r => r.type === TOKENS.iamRole);
            assert.ok(roles.length > 0);
            for (const role of roles) {
                assert.equal(role.inputs.path, scope.iamPath, role.name);
                assert.equal(role.inputs.permissionsBoundary, `arn:aws:iam::${ACCOUNT_ID}:policy/e2e-tls-${stack}-role-boundary`, role.name);
                assert.ok(role.outputs.arn.startsWith(`arn:aws:iam::${ACCOUNT_ID}:role${scope.iamPath}`), role.outputs.arn);
            }
            for (const profile of all.filter(r => r.type === TOKENS.iamInstanceProfile)) assert.equal(profile.inputs.path, scope.iamPath);
        });
    }

    for (const stack of STACKS) {
        it(`${stack}: the variants include what the alerts and the application add, and the tag reaches it: partner parameters, EventBridge rules, the ECR and SSM endpoints, the application's grants`, async () => {
            const all = (await stackRuns(stack)).flatMap(r => r.resources);
            const value = mockScope(stack).tagValue;
            const present = (what: string, pred: (r: RecordedResource) => boolean) => {
                const found = all.filter(pred);
                assert.ok(found.length > 0, `${stack}: no ${what} in any variant: the tag check would not reach it`);
                return found;
            };
            const tagged = [
                ...present("partner certificate parameter", r => r.type === TOKENS.ssmParameter),
                ...present("EventBridge rule", r => r.type === TOKENS.cloudwatchEventRule),
                ...present("alert topic", r => r.type === TOKENS.snsTopic),
                ...["ecr.api", "ecr.dkr", "ssm", "sns", "logs"].flatMap(service =>
                    present(`${service} interface endpoint`, r => r.type === TOKENS.vpcEndpoint && String(r.inputs.serviceName).endsWith(`.${service}`))),
            ];
            for (const r of tagged) assert.equal(tagsOf(r)[TAG.stack], value, `${r.type} ${r.name}`);
            // Types that take no tags are reached through what they belong to: a role's inline policy through the role.
            const grants = present("application grant", r => r.type === TOKENS.iamRolePolicy && /-(read-app-secrets|pull-app-image)$/.test(r.name));
            for (const grant of grants) {
                const role = all.find(r => r.type === TOKENS.iamRole && r.outputs.name === grant.inputs.role)!;
                assert.equal(tagsOf(role)[TAG.stack], value, `${grant.name}'s role`);
                assert.equal(role.inputs.permissionsBoundary, `arn:aws:iam::${ACCOUNT_ID}:policy/e2e-tls-${stack}-role-boundary`);
            }
            for (const target of present("EventBridge target", r => r.type === TOKENS.cloudwatchEventTarget)) {
                assert.ok(all.some(r => r.type === TOKENS.cloudwatchEventRule && r.outputs.name === target.inputs.rule && tagsOf(r)[TAG.stack] === value), `${target.name}'s rule`);
            }
        });
    }

    it("keeps the tag, path and boundary when the tier is constructed below another component with its own transformation", async () => {
        const run = await runProgram({ stack: "dev", program: path.join(__dirname, "fixtures", "nested-tier.ts") });
        assert.ok(run.resources.some(r => r.type === "fixture:index:Platform"));
        assert.deepEqual(untagged([run], "e2e-tls.dev"), []);
        for (const role of run.resources.filter(r => r.type === TOKENS.iamRole)) {
            assert.equal(role.inputs.permissionsBoundary, `arn:aws:iam::${ACCOUNT_ID}:policy/e2e-tls-dev-role-boundary`);
        }
    });

    it("puts a configured boundary on every role", async () => {
        const boundary = `arn:aws:iam::${ACCOUNT_ID}:policy/platform/web-tier-boundary`;
        const run = await runProgram({ stack: "dev", config: { "e2e-tls:permissionsBoundaryArn": boundary } });
        const roles = run.resources.filter(r => r.type === TOKENS.iamRole);
        assert.ok(roles.length > 0 && roles.every(r => r.inputs.permissionsBoundary === boundary));
    });

    it("refuses a boundary that is not a customer managed policy's ARN, naming the key and the value", () => {
        for (const bad of ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::12345:policy/b", "e2e-tls-prod-role-boundary", "arn:aws:iam::123456789012:role/b"]) {
            assert.throws(() => validateConfig({ mtlsClients: ["ci"], permissionsBoundaryArn: bad }), (e: Error) =>
                e.message.includes("e2e-tls:permissionsBoundaryArn") && e.message.includes(JSON.stringify(bad)));
        }
        assert.doesNotThrow(() => validateConfig({ mtlsClients: ["ci"], permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/path/to/boundary" }));
    });

    it("refuses a boundary of another account before any role exists", async () => {
        const other = "arn:aws:iam::999999999999:policy/e2e-tls-dev-role-boundary";
        const failed = await runProgram({ stack: "dev", config: { "e2e-tls:permissionsBoundaryArn": other } }).then(() => undefined, (e: Error & { registered?: RecordedResource[] }) => e);
        assert.ok(failed, "the run succeeded");
        assert.match(failed!.message, /e2e-tls:permissionsBoundaryArn is "arn:aws:iam::999999999999:policy\/e2e-tls-dev-role-boundary": a policy of account 999999999999, but the stack deploys to account 123456789012/);
        assert.deepEqual((failed!.registered ?? []).filter(r => r.type === TOKENS.iamRole), []);
    });
});
