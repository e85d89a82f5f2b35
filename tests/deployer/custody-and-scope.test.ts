/**
 * The custody of the stack's secrets and keys (their resource and key policies, components/pki/
 * tls-secret.ts, components/security/secrets-key.ts, components/observability/alert-topic.ts) and
 * the stack scope of the deploying role's generated policy and the roles' boundary
 * (offline/deployer-policy/), judged together with the one policy evaluator: each leaves the
 * other's principals the rights the program needs, and PowerUserAccess none.
 */
import { strict as assert } from "assert";
import { ProgramRun, RecordedResource } from "../../offline/engine/recorded";
import { ACCOUNT_ID } from "../../offline/engine/mocks";
import { Caller, evaluate, Policy, Request, ResourcePolicy } from "../../offline/engine/iam-evaluator";
import { deployerPolicies, DeployerPolicies, trustedServices } from "../../offline/deployer-policy/policy";
import { TOKENS } from "../../policies/shared/tokens";
import { TAG } from "../../components/facts";
import { POWER_USER_ACCESS } from "../program/support";
import { DEPLOYER_ARN, tagsOf } from "./program-requests";
import { mockScope, STACKS, variantRuns } from "./runs";

const REGION = "us-east-1";
const POWER_USER = `arn:aws:iam::${ACCOUNT_ID}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUserAccess_0123456789abcdef`;
const VIA = (service: string) => ({ "kms:ViaService": `${service}.${REGION}.amazonaws.com` });
const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

describe("custody and stack scope together", function () {
    this.timeout(300_000);
    const generated: Record<string, DeployerPolicies> = {};
    const runsOf: Record<string, ProgramRun[]> = {};

    before(async () => {
        for (const stack of STACKS) {
            const vruns = await variantRuns(stack);
            generated[stack] = deployerPolicies(vruns, mockScope(stack));
            // One run per compute mode, with the stack's own application.
            runsOf[stack] = ["asg, no NAT", "ecs, NAT"].map(label => vruns.find(v => v.variant.label === label)!.run);
        }
    });

    /** Who calls, with which identity policies and boundary, on a resource with its policy. */
    const decide = (who: { caller: Caller; identity: Policy[]; boundary?: Policy }, action: string, resource: string,
        resourcePolicy: ResourcePolicy | undefined, context: Request["context"] = {}) => evaluate(
        { ...who, resourcePolicy },
        { action, resource, context: { "aws:RequestedRegion": REGION, "kms:CallerAccount": ACCOUNT_ID, ...context } }).decision;
    const deployer = (stack: string) => ({ caller: { arn: DEPLOYER_ARN, account: ACCOUNT_ID }, identity: generated[stack].policies.map(p => p.PolicyDocument) });
    const powerUser = { caller: { arn: POWER_USER, account: ACCOUNT_ID }, identity: [POWER_USER_ACCESS] };
    /** A role of the run as it acts: its inline policies, bounded by the stack's boundary. */
    const role = (stack: string, run: ProgramRun, r: RecordedResource) => ({
        caller: { arn: r.outputs.arn, account: ACCOUNT_ID },
        identity: run.resources.filter(p => p.type === TOKENS.iamRolePolicy && p.inputs.role === r.outputs.name).map(p => json(p.inputs.policy)),
        boundary: generated[stack].boundary.PolicyDocument,
    });
    const roleTrusting = (run: ProgramRun, service: string) => run.resources.find(r => r.type === TOKENS.iamRole && trustedServices(r).includes(service));
    const keyOf = (run: ProgramRun, arn: unknown) => run.resources.find(r => r.type === TOKENS.kmsKey && r.outputs.arn === arn)!;
    const keyPolicy = (key: RecordedResource): ResourcePolicy => ({ policy: json(key.inputs.policy), kms: true });
    const owned = (r: RecordedResource) => Object.fromEntries(Object.entries(tagsOf(r)).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

    for (const stack of STACKS) {
        it(`${stack}: the secrets key lets the deploying role (by the key's policy) create and update it, and use it through Secrets Manager; the tier's reader decrypt through Secrets Manager; PowerUserAccess nothing`, () => {
            for (const run of runsOf[stack]) {
                const backend = run.resources.find(r => r.type === TOKENS.secretsManagerSecret && r.name === "web-backend-secret")!;
                const key = keyOf(run, backend.inputs.kmsKeyId);
                const policy = keyPolicy(key);
                // KMS's lockout check on CreateKey and PutKeyPolicy: the caller may put the policy again.
                for (const action of ["kms:PutKeyPolicy", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
                    "kms:UpdateKeyDescription", "kms:TagResource", "kms:ListResourceTags", "kms:ScheduleKeyDeletion"]) {
                    assert.equal(decide(deployer(stack), action, key.outputs.arn, policy, owned(key)), "allow", `the deploying role may not ${action}`);
                }
                // The provider reads the secret version back (GetSecretValue) and writes it (PutSecretValue).
                for (const action of ["kms:Decrypt", "kms:GenerateDataKey"]) {
                    assert.equal(decide(deployer(stack), action, key.outputs.arn, policy, VIA("secretsmanager")), "allow", `the deploying role may not ${action} through Secrets Manager`);
                    assert.equal(decide(deployer(stack), action, key.outputs.arn, policy), "explicit deny", `the deploying role may ${action} outside Secrets Manager`);
                }
                const reader = run.resources.find(r => r.type === TOKENS.iamRole && /web-(instance|execution)$/.test(r.name))!;
                assert.equal(decide(role(stack, run, reader), "kms:Decrypt", key.outputs.arn, policy, VIA("secretsmanager")), "allow", `${reader.name} cannot decrypt its certificate`);
                assert.equal(decide(role(stack, run, reader), "kms:Decrypt", key.outputs.arn, policy), "explicit deny");
                assert.notEqual(decide(role(stack, run, reader), "kms:PutKeyPolicy", key.outputs.arn, policy), "allow");
                for (const action of ["kms:Decrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:CreateGrant"]) {
                    assert.equal(decide(powerUser, action, key.outputs.arn, policy, VIA("secretsmanager")), "explicit deny", `PowerUserAccess may ${action}`);
                }
            }
        });

        it(`${stack}: each secret's resource policy leaves the deploying role, within its tag-scoped grants, every call on the stack's secrets and their policies; the reader its read; PowerUserAccess nothing`, () => {
            for (const run of runsOf[stack]) {
                const reader = run.resources.find(r => r.type === TOKENS.iamRole && /web-(instance|execution)$/.test(r.name))!;
                const secrets = run.resources.filter(r => r.type === TOKENS.secretsManagerSecret);
                assert.ok(secrets.length >= 2);
                for (const secret of secrets) {
                    const policy = run.resources.find(r => r.type === TOKENS.secretsManagerSecretPolicy && r.inputs.secretArn === secret.outputs.arn)!;
                    const resourcePolicy = { policy: json(policy.inputs.policy) };
                    for (const action of ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret",
                        "secretsmanager:GetResourcePolicy", "secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy", "secretsmanager:UpdateSecretVersionStage",
                        "secretsmanager:DeleteSecret", "secretsmanager:TagResource"]) {
                        assert.equal(decide(deployer(stack), action, secret.outputs.arn, resourcePolicy, owned(secret)), "allow", `${secret.name}: the deploying role may not ${action}`);
                        assert.equal(decide(powerUser, action, secret.outputs.arn, resourcePolicy, owned(secret)), "explicit deny", `${secret.name}: PowerUserAccess may ${action}`);
                    }
                    const reads = decide(role(stack, run, reader), "secretsmanager:GetSecretValue", secret.outputs.arn, resourcePolicy, owned(secret));
                    assert.equal(reads, secret.name === "web-backend-secret" ? "allow" : "explicit deny", `${reader.name} on ${secret.name}`);
                    // Creating one: the stack tag in the request, no resource policy yet.
                    assert.equal(decide(deployer(stack), "secretsmanager:CreateSecret", secret.outputs.arn, undefined,
                        { [`aws:RequestTag/${TAG.stack}`]: mockScope(stack).tagValue, "aws:TagKeys": Object.keys(tagsOf(secret)) }), "allow");
                }
            }
        });

        it(`${stack}: the alert topic's key keeps the deployers' administration and the publishers' use: CloudWatch and EventBridge by the key's and the topic's policies, the tier's agent and the scheduler by their grants within the boundary`, () => {
            for (const run of runsOf[stack]) {
                const topic = run.resources.find(r => r.type === TOKENS.snsTopic)!;
                const key = keyOf(run, topic.inputs.kmsMasterKeyId);
                const sids = json(key.inputs.policy).Statement.map((s: { Sid: string }) => s.Sid);
                for (const sid of ["AccountIamPolicies", "StackDeployersAdministerTheKey", "AlarmsAndEventsPublish"]) assert.ok(sids.includes(sid), `the alert key's policy has no ${sid}`);
                for (const action of ["kms:PutKeyPolicy", "kms:DescribeKey", "kms:EnableKeyRotation", "kms:TagResource", "kms:ScheduleKeyDeletion"]) {
                    assert.equal(decide(deployer(stack), action, key.outputs.arn, keyPolicy(key), owned(key)), "allow", `the deploying role may not ${action} on the alert key`);
                }
                const topicPolicy = { policy: json(run.resources.find(r => r.type === TOKENS.snsTopicPolicy && r.inputs.arn === topic.outputs.arn)!.inputs.policy) };
                for (const service of ["events.amazonaws.com", "cloudwatch.amazonaws.com"]) {
                    const publisher = { caller: { service, account: ACCOUNT_ID }, identity: [] };
                    const ours = { "aws:SourceAccount": ACCOUNT_ID };
                    assert.equal(decide(publisher, "sns:Publish", topic.outputs.arn, topicPolicy, ours), "allow", `${service} cannot publish to the topic`);
                    assert.equal(decide(publisher, "sns:Publish", topic.outputs.arn, topicPolicy, { "aws:SourceAccount": "999999999999" }), "implicit deny");
                    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
                        assert.equal(decide(publisher, action, key.outputs.arn, keyPolicy(key), VIA("sns")), "allow", `${service} cannot ${action} with the topic's key`);
                    }
                    assert.equal(decide(publisher, "kms:PutKeyPolicy", key.outputs.arn, keyPolicy(key)), "implicit deny");
                }
                const publishers = [roleTrusting(run, "scheduler.amazonaws.com"), roleTrusting(run, "ec2.amazonaws.com")].filter((r): r is RecordedResource => !!r);
                assert.ok(publishers.length >= 1);
                for (const r of publishers) {
                    assert.equal(decide(role(stack, run, r), "sns:Publish", topic.outputs.arn, topicPolicy), "allow", `${r.name} cannot publish`);
                    assert.equal(decide(role(stack, run, r), "kms:GenerateDataKey", key.outputs.arn, keyPolicy(key), VIA("sns")), "allow", `${r.name} cannot encrypt for the topic`);
                }
            }
        });
    }
});
