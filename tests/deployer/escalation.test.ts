/**
 * The deploying role's generated policy, evaluated (iam-evaluator.ts): it allows every call the
 * provider makes for what the program registers, in every variant of both stacks, on create,
 * refresh, update (the renewal workflow's `refresh` and `up`) and destroy, and nothing that lets
 * its holder become more than the stack's deployer or reach another team's keys, secrets, CAs or
 * certificates. The roles' permissions boundary covers what the program grants its roles.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ProgramRun } from "../../offline/engine/recorded";
import { ACCOUNT_ID } from "../../offline/engine/mocks";
import { ANY_RESOURCE_ACTIONS } from "../../offline/deployer-policy/actions";
import { DeployerPolicies, deployerPolicies, Statement } from "../../offline/deployer-policy/policy";
import { roleGrants } from "../../offline/deployer-policy/boundary";
import { TOKENS } from "../../policies/shared/tokens";
import { TAG } from "../../policies/shared/tags";
import { evaluate, Policy, Request, ResourcePolicy, statementApplies } from "../../offline/engine/iam-evaluator";
import { DEPLOYER_ARN, programRequests, tagsOf } from "./program-requests";
import { mockScope, stackRuns, STACKS } from "./runs";

const REGION = "us-east-1";
const ROOT = path.resolve(__dirname, "..", "..");
const caller = { arn: DEPLOYER_ARN, account: ACCOUNT_ID };

describe("deployer policy: what its holder can and cannot do", function () {
    this.timeout(300_000);
    const runs: Record<string, ProgramRun[]> = {};
    const generated: Record<string, DeployerPolicies> = {};
    const identity = (stack: string): Policy[] => generated[stack].policies.map(p => p.PolicyDocument);
    const decide = (stack: string, req: Request, resourcePolicy?: ResourcePolicy) =>
        evaluate({ identity: identity(stack), resourcePolicy, caller }, { ...req, context: { "aws:RequestedRegion": REGION, "kms:CallerAccount": ACCOUNT_ID, ...req.context } });

    before(async () => {
        for (const stack of STACKS) {
            runs[stack] = await stackRuns(stack);
            generated[stack] = deployerPolicies(runs[stack], mockScope(stack));
        }
    });

    for (const stack of STACKS) {
        it(`${stack}: allows every call of create, refresh, update (renewal) and destroy the provider makes for what the program registers, in every variant`, () => {
            const requests = programRequests(runs[stack], REGION);
            assert.ok(requests.length > 1000, `only ${requests.length} requests`);
            const refused = requests
                .map(q => ({ q, d: evaluate({ identity: identity(stack), resourcePolicy: q.resourcePolicy, caller }, q) }))
                .filter(x => x.d.decision !== "allow")
                .map(x => `${x.q.action} on ${x.q.resource} (${x.q.why}): ${x.d.decision}${x.d.by.length ? ` by ${x.d.by.join(", ")}` : ""}`);
            assert.deepEqual([...new Set(refused)], [], "the generated policy refuses calls the program makes");
        });
    }

    it("the renewal workflow's job runs only `pulumi refresh` and `pulumi up` with the stack's deploying role", () => {
        const workflow = fs.readFileSync(path.join(ROOT, ".github", "workflows", "renewal.yml"), "utf8");
        const commands = [...workflow.matchAll(/^\s+command:\s*(\S+)/gm)].map(m => m[1]);
        assert.deepEqual(commands, ["refresh", "up"]);
        assert.ok(!/\baws\s+(iam|kms|secretsmanager|acm|acm-pca)\b/.test(workflow), "the workflow makes AWS calls of its own");
    });

    it("grants no wide right: no wildcard action, PassRole only with PassedToService, role writes only with the boundary, no key grant, secrets, CAs and certificates only by the stack tag", () => {
        for (const stack of STACKS) {
            const all = identity(stack).flatMap(p => p.Statement as Statement[]);
            for (const s of all.filter(x => x.Effect === "Allow")) {
                const cond = JSON.stringify(s.Condition ?? {});
                for (const a of s.Action) {
                    assert.ok(!a.includes("*"), `${stack} ${s.Sid}: wildcard action ${a}`);
                    if (s.Resource === "*") assert.ok(ANY_RESOURCE_ACTIONS.has(a) || cond.includes(`aws:RequestTag/${TAG.stack}`), `${stack} ${s.Sid}: ${a} on "*"`);
                }
                if (s.Action.includes("iam:PassRole")) assert.match(cond, /"iam:PassedToService"/, `${stack} ${s.Sid}: PassRole without PassedToService`);
                for (const a of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary"]) {
                    if (s.Action.includes(a)) assert.match(cond, /"iam:PermissionsBoundary"/, `${stack} ${s.Sid}: ${a} without the boundary`);
                }
                const keyLevel = s.Action.filter(a => a.startsWith("kms:") && !["kms:CreateKey", "kms:ListAliases", "kms:TagResource", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"].includes(a));
                assert.deepEqual(keyLevel, [], `${stack} ${s.Sid}: key-level KMS actions belong in the keys' policies`);
                for (const prefix of ["secretsmanager:", "acm:", "acm-pca:"]) {
                    if (s.Action.some(a => a.startsWith(prefix))) assert.match(cond, /aws:(Resource|Request)Tag\/e2etls:stack/, `${stack} ${s.Sid}: ${prefix} without the stack tag`);
                }
            }
        }
    });

    describe("a simulated escalation is refused", () => {
        const stack = "prod";
        const scope = () => mockScope(stack);
        const role = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role${scope().iamPath}${name}`;
        const ours = () => ({ [`aws:RequestTag/${TAG.stack}`]: scope().tagValue, "aws:TagKeys": [TAG.stack] });
        const refused = (req: Request, resourcePolicy?: ResourcePolicy, on: string = stack) => {
            const d = decide(on, req, resourcePolicy);
            assert.notEqual(d.decision, "allow", `${req.action} on ${req.resource} is allowed by ${d.by.join(", ")}`);
        };
        const allowed = (req: Request, resourcePolicy?: ResourcePolicy, on: string = stack) => {
            const d = decide(on, req, resourcePolicy);
            assert.equal(d.decision, "allow", `${req.action} on ${req.resource} is refused (${d.decision} ${d.by.join(", ")}): the escalation test would prove nothing`);
        };
        const foreignKey = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/0f0f0f0f-0000-4000-8000-000000000000`;
        // Another team's key with the default key policy: the account's IAM policies decide.
        const delegating: ResourcePolicy = { kms: true, policy: { Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }] } };

        it("creating a role without the stack's boundary, or with another one, and writing policies on a role without it", () => {
            const create = (boundary?: string) => ({ action: "iam:CreateRole", resource: role("web-x-1"), context: { ...ours(), ...(boundary ? { "iam:PermissionsBoundary": boundary } : {}) } });
            allowed(create(scope().boundaryArn));
            refused(create());
            refused(create("arn:aws:iam::aws:policy/AdministratorAccess"));
            refused(create(`arn:aws:iam::${ACCOUNT_ID}:policy/e2e-tls-dev-role-boundary`));
            for (const action of ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole"]) {
                refused({ action, resource: role("web-instance-1"), context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" } });
                refused({ action, resource: DEPLOYER_ARN, context: {} });
                refused({ action, resource: `arn:aws:iam::${ACCOUNT_ID}:role/other-team`, context: { "iam:PermissionsBoundary": scope().boundaryArn } });
            }
            refused({ action: "iam:AttachRolePolicy", resource: role("web-instance-1"),
                context: { "iam:PermissionsBoundary": scope().boundaryArn, "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" } });
            refused({ action: "iam:PutRolePermissionsBoundary", resource: role("web-instance-1"),
                context: { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" } });
            refused({ action: "iam:DeleteRolePermissionsBoundary", resource: role("web-instance-1"), context: { "iam:PermissionsBoundary": scope().boundaryArn } });
        });

        it("changing or deleting the boundary policy", () => {
            for (const action of ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy"]) {
                refused({ action, resource: scope().boundaryArn, context: {} });
            }
        });

        it("passing a stack role to another service, or a role that is not the stack's", () => {
            const instance = runs[stack].flatMap(r => r.resources).find(r => r.type === TOKENS.iamRole && r.name === "web-instance")!.outputs.arn;
            allowed({ action: "iam:PassRole", resource: instance, context: { "iam:PassedToService": "ec2.amazonaws.com" } });
            refused({ action: "iam:PassRole", resource: instance, context: { "iam:PassedToService": "lambda.amazonaws.com" } });
            refused({ action: "iam:PassRole", resource: role("web-execution-1"), context: { "iam:PassedToService": "ec2.amazonaws.com" } });
            refused({ action: "iam:PassRole", resource: `arn:aws:iam::${ACCOUNT_ID}:role/web-instance-admin`, context: { "iam:PassedToService": "ec2.amazonaws.com" } });
        });

        it("decrypting with, or taking over, a key that is not the stack's", () => {
            refused({ action: "kms:Decrypt", resource: foreignKey, context: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } }, delegating);
            refused({ action: "kms:Decrypt", resource: foreignKey, context: {} }, delegating);
            for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:CreateGrant"]) {
                refused({ action, resource: foreignKey, context: { [`aws:ResourceTag/${TAG.stack}`]: scope().tagValue } }, delegating);
            }
            refused({ action: "kms:CreateAlias", resource: foreignKey, context: {} }, delegating);
        });

        it("reading a secret, or changing its resource policy, when it is not the stack's", () => {
            const named = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:web-backend-secret-0000000-AbCdEf`;
            const otherTeam = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:payments-db-AbCdEf`;
            allowed({ action: "secretsmanager:GetSecretValue", resource: named, context: { [`aws:ResourceTag/${TAG.stack}`]: scope().tagValue } });
            for (const action of ["secretsmanager:GetSecretValue", "secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy", "secretsmanager:PutSecretValue"]) {
                refused({ action, resource: otherTeam, context: { [`aws:ResourceTag/${TAG.stack}`]: scope().tagValue } });
                refused({ action, resource: named, context: {} });
                refused({ action, resource: named, context: { [`aws:ResourceTag/${TAG.stack}`]: "e2e-tls.dev" } });
            }
            // Another stack's secret cannot be made this stack's by tagging it.
            refused({ action: "secretsmanager:TagResource", resource: named, context: { ...ours(), [`aws:ResourceTag/${TAG.stack}`]: "e2e-tls.dev" } });
        });

        it("issuing from, revoking with or deleting a CA that is not the stack's", () => {
            const ca = `arn:aws:acm-pca:${REGION}:${ACCOUNT_ID}:certificate-authority/11111111-2222-3333-4444-555555555555`;
            const template = "arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1";
            allowed({ action: "acm-pca:IssueCertificate", resource: ca, context: { [`aws:ResourceTag/${TAG.stack}`]: scope().tagValue, "acm-pca:TemplateArn": template } });
            for (const action of ["acm-pca:IssueCertificate", "acm-pca:RevokeCertificate", "acm-pca:DeleteCertificateAuthority"]) {
                refused({ action, resource: ca, context: { "acm-pca:TemplateArn": template } });
                refused({ action, resource: ca, context: { [`aws:ResourceTag/${TAG.stack}`]: "e2e-tls.dev", "acm-pca:TemplateArn": template } });
            }
            refused({ action: "acm-pca:IssueCertificate", resource: ca,
                context: { [`aws:ResourceTag/${TAG.stack}`]: scope().tagValue, "acm-pca:TemplateArn": "arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1" } });
            refused({ action: "acm-pca:TagCertificateAuthority", resource: ca, context: { ...ours(), [`aws:ResourceTag/${TAG.stack}`]: "e2e-tls.dev" } });
        });

        it("importing a certificate without the stack tag, or over a certificate that is not the stack's", () => {
            // dev imports its front certificate (it has no domain).
            const dev = mockScope("dev");
            const certificate = `arn:aws:acm:${REGION}:${ACCOUNT_ID}:certificate/99999999-8888-7777-6666-555555555555`;
            const tagged = (value: string) => ({ [`aws:RequestTag/${TAG.stack}`]: value, "aws:TagKeys": [TAG.stack] });
            allowed({ action: "acm:ImportCertificate", resource: certificate, context: tagged(dev.tagValue) }, undefined, "dev");
            allowed({ action: "acm:ImportCertificate", resource: certificate, context: { [`aws:ResourceTag/${TAG.stack}`]: dev.tagValue } }, undefined, "dev");
            refused({ action: "acm:ImportCertificate", resource: certificate, context: {} }, undefined, "dev");
            refused({ action: "acm:ImportCertificate", resource: certificate, context: { "aws:RequestTag/team": "payments", "aws:TagKeys": ["team"] } }, undefined, "dev");
            refused({ action: "acm:ImportCertificate", resource: certificate, context: { [`aws:ResourceTag/${TAG.stack}`]: "e2e-tls.prod" } }, undefined, "dev");
            refused({ action: "acm:ImportCertificate", resource: certificate, context: tagged("e2e-tls.prod") }, undefined, "dev");
            refused({ action: "acm:AddTagsToCertificate", resource: certificate, context: tagged(dev.tagValue) }, undefined, "dev");
        });
    });

    for (const stack of STACKS) {
        it(`${stack}: the roles' boundary allows every grant the program gives its roles, and no other service`, () => {
            const boundary = generated[stack].boundary.PolicyDocument;
            const resources = runs[stack].flatMap(r => r.resources);
            const byArn = (arn: string) => resources.find(x => x.outputs.arn === arn || (typeof x.outputs.arn === "string" && arn.startsWith(`${x.outputs.arn}:`)));
            const usedThrough = (keyArn: string) => resources.some(x => x.type === TOKENS.snsTopic && x.inputs.kmsMasterKeyId === keyArn) ? "sns" : "secretsmanager";
            const refusedGrants: string[] = [];
            for (const grant of roleGrants(runs[stack])) {
                for (const action of grant.actions) {
                    for (const resource of grant.resources) {
                        const target = resource === "*" ? managedTarget(action, resources) : resource;
                        const owner = byArn(target);
                        const context: Request["context"] = {
                            "aws:RequestedRegion": REGION,
                            ...Object.fromEntries(Object.entries(tagsOf(owner)).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
                            ...(action.startsWith("kms:") ? { "kms:ViaService": `${usedThrough(target)}.${REGION}.amazonaws.com` } : {}),
                        };
                        const req = { action: action.replace(/\*$/, ""), resource: target, context };
                        if (!(boundary.Statement as Statement[]).some(s => s.Effect === "Allow" && statementApplies(s, req))) {
                            refusedGrants.push(`${grant.role}: ${action} on ${target} (${grant.from})`);
                        }
                    }
                }
            }
            assert.deepEqual(refusedGrants, [], "the boundary cuts grants the program gives its roles");
            const services = new Set((boundary.Statement as Statement[]).flatMap(s => s.Action.map(a => a.split(":")[0])));
            for (const forbidden of ["iam", "sts", "organizations", "kms:CreateGrant"]) {
                assert.ok(!services.has(forbidden), `the boundary lets the stack's roles use ${forbidden}`);
            }
            // A role of the stack cannot read another stack's secret or decrypt outside Secrets Manager and SNS.
            const otherSecret = { action: "secretsmanager:GetSecretValue", resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:x-AbCdEf`, context: { [`aws:ResourceTag/${TAG.stack}`]: "someone.else" } };
            assert.ok(!(boundary.Statement as Statement[]).some(s => statementApplies(s, otherSecret)));
            const directDecrypt = { action: "kms:Decrypt", resource: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/k`, context: {} };
            assert.ok(!(boundary.Statement as Statement[]).some(s => statementApplies(s, directDecrypt)));
        });
    }
});

/** What a managed policy's "*" grant is used on in the stack: its log groups, its repositories, or nothing nameable. */
function managedTarget(action: string, resources: { type: string; outputs: Record<string, any> }[]): string {
    if (action.startsWith("logs:")) return `${resources.find(r => r.type === TOKENS.cloudwatchLogGroup)?.outputs.arn}:log-stream:tls/1`;
    if (action.startsWith("ecr:") && action !== "ecr:GetAuthorizationToken") {
        return resources.find(r => r.type === TOKENS.ecrRepository)?.outputs.arn ?? `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/nginx`;
    }
    return "*";
}
