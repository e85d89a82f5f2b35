/**
 * The deploying role's generated policy, evaluated (iam-evaluator.ts): it allows every call the
 * provider makes for what the program registers, in every variant of both stacks, on create,
 * refresh, update (the renewal workflow's `refresh` and `up`) and destroy, and nothing that lets
 * its holder become more than the stack's deployer or reach another team's keys, secrets, CAs or
 * certificates. The roles' permissions boundary covers what the program grants its roles, for the
 * application of the stack's configuration and nothing wider.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ProgramRun } from "../../offline/engine/recorded";
import { ACCOUNT_ID } from "../../offline/engine/mocks";
import { PROJECT } from "../../offline/engine/run-program";
import { ANY_RESOURCE_ACTIONS } from "../../offline/deployer-policy/actions";
import { checkBoundaries, DeployerPolicies, deployerPolicies, stackPolicyScope, Statement, VariantRun } from "../../offline/deployer-policy/policy";
import { boundaryGaps, buildBoundary } from "../../offline/deployer-policy/boundary";
import { sampleImages, sampleSecrets } from "../../offline/deployer-policy/samples";
import { parseSecretReference } from "../../components/compute/secret-references";
import { ecrRepositoryArn } from "../../components/compute/images";
import { TOKENS } from "../../policies/shared/tokens";
import { TAG } from "../../components/facts";
import { evaluate, Policy, Request, ResourcePolicy, statementApplies } from "../../offline/engine/iam-evaluator";
import { DEPLOYER_ARN, programRequests } from "./program-requests";
import { mockScope, STACKS, variantRuns } from "./runs";

const REGION = "us-east-1";
const ROOT = path.resolve(__dirname, "..", "..");
const caller = { arn: DEPLOYER_ARN, account: ACCOUNT_ID };

describe("deployer policy: what its holder can and cannot do", function () {
    this.timeout(300_000);
    const runs: Record<string, ProgramRun[]> = {};
    const vruns: Record<string, VariantRun[]> = {};
    const generated: Record<string, DeployerPolicies> = {};
    const identity = (stack: string): Policy[] => generated[stack].policies.map(p => p.PolicyDocument);
    const decide = (stack: string, req: Request, resourcePolicy?: ResourcePolicy) =>
        evaluate({ identity: identity(stack), resourcePolicy, caller }, { ...req, context: { "aws:RequestedRegion": REGION, "kms:CallerAccount": ACCOUNT_ID, ...req.context } });

    before(async () => {
        for (const stack of STACKS) {
            vruns[stack] = await variantRuns(stack);
            runs[stack] = vruns[stack].map(v => v.run);
            generated[stack] = deployerPolicies(vruns[stack], mockScope(stack));
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

        it("creating, changing or deleting an ECR repository that is not the stack's pull-through cache's: the application's own images", () => {
            const cache = runs[stack].flatMap(r => r.resources).find(r => r.type === TOKENS.ecrRepository)!.outputs.arn;
            allowed({ action: "ecr:DeleteRepository", resource: cache, context: {} });
            const application = ecrRepositoryArn(sampleImages(stack, REGION).appImage)!;
            for (const action of ["ecr:CreateRepository", "ecr:DeleteRepository", "ecr:PutImageTagMutability", "ecr:PutImageScanningConfiguration", "ecr:TagResource"]) {
                refused({ action, resource: application, context: {} });
                refused({ action, resource: `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/shop/web`, context: { [`aws:RequestTag/${TAG.stack}`]: scope().tagValue } });
            }
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

    /** The variants that keep the stack's own application (the ECS variant without NAT takes the sample's images). */
    const ownApplication = (stack: string) => vruns[stack].filter(v => !/application|start command/.test(v.variant.label) && v.variant.label !== "ecs, no NAT");
    const appVariant = (stack: string, label: string) => vruns[stack].find(v => v.variant.label === label)!;

    for (const stack of STACKS) {
        it(`${stack}: the boundary written for the stack's configuration allows every grant of the variants that keep its application, and no other service`, () => {
            const boundary = generated[stack].boundary.PolicyDocument;
            assert.ok(ownApplication(stack).length >= 4);
            for (const { variant, run } of ownApplication(stack)) {
                assert.deepEqual(boundaryGaps(boundary, [run], REGION, ACCOUNT_ID), [], `${variant.label}: the boundary cuts grants the program gives its roles`);
            }
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

        it(`${stack}: in every variant, the boundary generated for that variant's configuration allows every grant of its run; the stack's own allows none of an application it does not configure`, () => {
            for (const { variant, run } of vruns[stack]) {
                const scope = stackPolicyScope(PROJECT, stack, ACCOUNT_ID, REGION, variant.config);
                assert.deepEqual(boundaryGaps(buildBoundary(runs[stack], scope), [run], REGION, ACCOUNT_ID), [], variant.label);
            }
            const own = generated[stack].boundary.PolicyDocument;
            for (const label of ["ecs, no NAT, application image and secrets", "asg, NAT, application image and secrets"]) {
                const gaps = boundaryGaps(own, [appVariant(stack, label).run], REGION, ACCOUNT_ID);
                const sample = [...Object.values(sampleSecrets(REGION)).map(v => parseSecretReference(v)!.arn), ecrRepositoryArn(sampleImages(stack, REGION).appImage)!];
                for (const arn of sample) assert.ok(gaps.some(g => g.includes(arn) || g.includes("key/x")), `${label}: the stack's own boundary lets its roles reach ${arn}`);
                for (const gap of gaps) {
                    assert.match(gap, /deployer-variant|:key\/x|repository\/(python|nginx)\b/, `${label}: a gap that is not the application's: ${gap}`);
                }
            }
        });
    }

    it("refuses to generate a boundary that would not cover a grant, naming the run, the grant and what to do", () => {
        const app = appVariant("dev", "asg, no NAT, application image and secrets");
        const unconfigured = [{ variant: { ...app.variant, config: { ...app.variant.config, "e2e-tls:appSecrets": "" } }, run: app.run }];
        assert.throws(() => checkBoundaries(unconfigured, PROJECT), (e: Error) =>
            e.message.includes("the roles' boundary would not cover what the program grants them")
            && e.message.includes(`asg, no NAT, application image and secrets: web-instance: secretsmanager:GetSecretValue on arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:deployer-variant/db-url-AbCdEf (inline web-read-app-secrets)`)
            && e.message.includes("ssm:GetParameter on") && e.message.includes("appSecrets") && e.message.includes("generate the policies again"));
        assert.doesNotThrow(() => checkBoundaries([app], PROJECT));
    });

    it("lets a role of the stack, whatever inline policy it is given, read only the secrets and parameters of the configured application and pull only its images", () => {
        for (const label of ["asg, no NAT, application image and secrets", "ecs, no NAT, application image and secrets"]) {
            const { variant, run } = appVariant("dev", label);
            const boundary = buildBoundary(runs.dev, stackPolicyScope(PROJECT, "dev", ACCOUNT_ID, REGION, variant.config));
            const reader = run.resources.find(r => r.type === TOKENS.iamRole && /web-(instance|execution)$/.test(r.name))!.outputs.arn;
            const anything: Policy = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
            const decide = (b: Policy, action: string, resource: string, context: Request["context"] = {}) => evaluate(
                { identity: [anything], boundary: b, caller: { arn: reader, account: ACCOUNT_ID } },
                { action, resource, context: { "aws:RequestedRegion": REGION, ...context } }).decision;
            const refs = Object.values(sampleSecrets(REGION)).map(v => parseSecretReference(v)!);
            const secrets = refs.filter(r => r.service === "secretsmanager").map(r => r.arn);
            const parameter = refs.find(r => r.service === "ssm")!.arn;
            const key = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/0f0f0f0f-0000-4000-8000-000000000000`;
            const foreignSecret = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:payments/db-AbCdEf`;
            const foreignParameter = `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/payments/api-key`;
            for (const secret of secrets) {
                assert.equal(decide(boundary, "secretsmanager:GetSecretValue", secret), "allow", `${label}: ${secret}`);
                assert.equal(decide(boundary, "kms:Decrypt", key, { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`, "kms:EncryptionContext:SecretARN": secret }), "allow");
                assert.equal(decide(generated.dev.boundary.PolicyDocument, "secretsmanager:GetSecretValue", secret), "implicit deny",
                    "the boundary of a configuration without the secret lets the role read it: adding a secret must mean regenerating the boundary");
            }
            for (const action of ["ssm:GetParameter", "ssm:GetParameters"]) {
                assert.equal(decide(boundary, action, parameter), "allow", `${label}: ${action}`);
                assert.equal(decide(boundary, action, foreignParameter), "implicit deny", `${label}: ${action} on another parameter`);
            }
            assert.equal(decide(boundary, "kms:Decrypt", key, { "kms:ViaService": `ssm.${REGION}.amazonaws.com`, "kms:EncryptionContext:PARAMETER_ARN": parameter }), "allow");
            assert.equal(decide(boundary, "kms:Decrypt", key, { "kms:ViaService": `ssm.${REGION}.amazonaws.com`, "kms:EncryptionContext:PARAMETER_ARN": foreignParameter }), "implicit deny");
            assert.equal(decide(boundary, "secretsmanager:GetSecretValue", foreignSecret), "implicit deny", `${label}: a secret not in the stack's configuration`);
            assert.equal(decide(boundary, "secretsmanager:GetSecretValue", foreignSecret, { [`aws:ResourceTag/${TAG.stack}`]: "e2e-tls.prod" }), "implicit deny");
            assert.equal(decide(boundary, "kms:Decrypt", `arn:aws:kms:${REGION}:999999999999:key/1`,
                { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`, "kms:EncryptionContext:SecretARN": foreignSecret }), "implicit deny");
            assert.equal(decide(boundary, "ecr:BatchGetImage", ecrRepositoryArn(sampleImages("dev", REGION).appImage)!), "allow");
            assert.equal(decide(boundary, "ecr:BatchGetImage", `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/payments/api`), "implicit deny");
        }
    });
});
