/**
 * Custody of the certificate keys: who may read, change or unprotect the secrets and the KMS key
 * that encrypts them, judged by the policies the program writes with the project's one policy
 * evaluator (offline/engine/iam-evaluator.ts): their explicit denies (which beat any IAM allow,
 * PowerUserAccess's included), and the whole decision where an identity policy takes part.
 */
import * as assert from "assert";
import { Caller, directAllows, evaluate, explicitDenies, Policy, Request } from "../../offline/engine/iam-evaluator";
import { ProgramRun } from "../../offline/engine/recorded";
import { TOKENS } from "../../policies/shared/tokens";
import { byOutput, ofType, one, POWER_USER_ACCESS, run } from "./support";

const ACCOUNT = "123456789012";
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
/** An operator with PowerUserAccess: secretsmanager:* and kms:* from IAM, nothing from the stack. */
const POWER_USER = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUserAccess_0123456789abcdef`;
const ADMIN_SET = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdminAccess_*`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdminAccess_fedcba9876543210`;
/** AWS Config's service-linked role, as aws:PrincipalArn names it. */
const CONFIG = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
const VIA_SECRETS_MANAGER = { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" };

/** Actions that would open a secret, change what the tier serves, or destroy it. */
const SECRET_CHANGES = [
    "secretsmanager:DeleteResourcePolicy", "secretsmanager:PutResourcePolicy", "secretsmanager:UpdateSecret",
    "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage", "secretsmanager:DeleteSecret",
    "secretsmanager:ReplicateSecretToRegions", "secretsmanager:RotateSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource",
];
/** Actions that would open the key, destroy it, or hand out its use. */
const KEY_CHANGES = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:CreateGrant", "kms:DisableKeyRotation", "kms:UpdateAlias"];

const caller = (arn: string): Caller => ({ arn, account: ACCOUNT });
/** The Sids of `doc`'s Deny statements that apply to `action` by `principalArn` on `resource`. */
const denies = (doc: Policy, resource: string, action: string, principalArn: string, context: Request["context"] = {}) =>
    explicitDenies(doc, { action, resource, context }, caller(principalArn));

function secretPolicies(r: ProgramRun): { name: string; doc: any; backend: boolean; secretArn: string }[] {
    return ofType(r, TOKENS.secretsManagerSecretPolicy).map(p => ({
        name: p.name, doc: JSON.parse(p.inputs.policy), backend: p.name === "web-backend-secret", secretArn: String(p.inputs.secretArn),
    }));
}

function secretsKey(r: ProgramRun): { doc: any; arn: string } {
    const secret = ofType(r, TOKENS.secretsManagerSecret)[0];
    const key = byOutput(r, "arn", secret.inputs.kmsKeyId)!;
    assert.strictEqual(key.type, TOKENS.kmsKey);
    assert.ok(key.inputs.policy, "the secrets' key has an explicit key policy");
    return { doc: JSON.parse(key.inputs.policy), arn: key.outputs.arn };
}

/** The inline policies of a role of the run: its identity policies. */
function inlinePolicies(r: ProgramRun, roleArn: string): Policy[] {
    const role = ofType(r, TOKENS.iamRole).find(x => x.outputs.arn === roleArn)!;
    return ofType(r, TOKENS.iamRolePolicy).filter(p => p.inputs.role === role.outputs.name).map(p => JSON.parse(p.inputs.policy));
}

for (const compute of ["asg", "ecs"] as const) {
    describe(`custody of the certificate keys (${compute})`, function () {
        this.timeout(120_000);
        const program = () => run("dev", {
            "e2e-tls:compute": compute, "e2e-tls:adminPrincipalArns": JSON.stringify([ADMIN_SET]),
            ...(compute === "ecs" ? { "e2e-tls:natGateways": "single" } : {}),
        });
        const reader = async () => one(await program(), TOKENS.iamRole, compute === "asg" ? "web-instance" : "web-execution").outputs.arn;

        it("denies PowerUserAccess, and every principal but the secret's reader, the deployer, the administrators and the account root, every action that would open, replace or destroy a secret", async () => {
            const r = await program();
            const tier = await reader();
            for (const { name, doc, backend, secretArn } of secretPolicies(r)) {
                for (const action of [...SECRET_CHANGES, "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]) {
                    assert.ok(denies(doc, secretArn, action, POWER_USER).length > 0, `${name}: PowerUser may ${action}`);
                    assert.equal(evaluate({ identity: [POWER_USER_ACCESS], resourcePolicy: { policy: doc }, caller: caller(POWER_USER) },
                        { action, resource: secretArn, context: {} }).decision, "explicit deny", `${name}: PowerUserAccess is not refused ${action}`);
                    if (!backend) assert.ok(denies(doc, secretArn, action, tier).length > 0, `${name}: the tier may ${action}`);
                }
                for (const action of SECRET_CHANGES) {
                    for (const who of [DEPLOYER, ADMIN, ROOT]) {
                        assert.deepStrictEqual(denies(doc, secretArn, action, who), [], `${name}: ${who} is refused ${action}`);
                    }
                }
            }
        });

        it("lets only the tier (backend secret), the deployer and the administrators read a value; AWS's service-linked roles read its metadata only", async () => {
            const r = await program();
            const tier = await reader();
            for (const { name, doc, backend, secretArn } of secretPolicies(r)) {
                const read = (who: string) => denies(doc, secretArn, "secretsmanager:GetSecretValue", who).length === 0;
                assert.deepStrictEqual([read(DEPLOYER), read(ADMIN), read(tier), read(POWER_USER), read(CONFIG), read(ROOT)], [true, true, backend, false, false, false], name);
                assert.deepStrictEqual(denies(doc, secretArn, "secretsmanager:DescribeSecret", CONFIG), [], `${name}: Config describes it`);
                if (backend) {
                    assert.equal(evaluate({ identity: inlinePolicies(r, tier), resourcePolicy: { policy: doc }, caller: caller(tier) },
                        { action: "secretsmanager:GetSecretValue", resource: secretArn, context: {} }).decision, "allow", "the tier reads its secret");
                }
            }
            const grant = JSON.parse(ofType(r, TOKENS.iamRolePolicy).find(p => p.name === "web-read-backend-secret")!.inputs.policy).Statement;
            assert.deepStrictEqual(grant[0].Action, ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "the reader's IAM grant is all it may do with its secret");
        });

        it("gives the secrets' key an explicit policy: the account's root statement that keeps it manageable, and denies that leave others no use and no control", async () => {
            const r = await program();
            const tier = await reader();
            const { doc, arn: keyArn } = secretsKey(r);
            assert.deepStrictEqual(directAllows(doc, { action: "kms:PutKeyPolicy", resource: keyArn, context: {} }, caller(ROOT)).length, 1,
                "the default key policy's root statement (kms:*), which enables IAM policies");
            assert.ok(doc.Statement.every((x: any) => x.Action !== undefined && x.NotAction === undefined), "KMS ignores a key-policy statement without Action");
            const denied = (who: string, action: string, context?: Record<string, string>) => denies(doc, keyArn, action, who, context).length > 0;
            for (const action of [...KEY_CHANGES, "kms:Encrypt", "kms:GenerateDataKey"]) {
                assert.ok(denied(POWER_USER, action), `PowerUser may ${action}`);
                assert.ok(denied(tier, action, VIA_SECRETS_MANAGER), `the tier may ${action}`);
            }
            for (const action of KEY_CHANGES) {
                for (const who of [DEPLOYER, ADMIN, ROOT]) assert.ok(!denied(who, action), `${who} is refused ${action}`);
            }
            assert.ok(denied(POWER_USER, "kms:Decrypt", VIA_SECRETS_MANAGER), "PowerUser decrypts through Secrets Manager");
            assert.ok(denied(POWER_USER, "kms:DescribeKey"), "PowerUser has no business with the key");
            assert.ok(!denied(tier, "kms:Decrypt", VIA_SECRETS_MANAGER), "the tier decrypts through Secrets Manager");
            assert.ok(denied(tier, "kms:Decrypt"), "the tier decrypts directly");
            assert.ok(denied(DEPLOYER, "kms:Decrypt"), "nobody decrypts except through Secrets Manager");
            assert.ok(!denied(DEPLOYER, "kms:GenerateDataKey", VIA_SECRETS_MANAGER), "the deployer writes secret values");
            assert.ok(!denied(CONFIG, "kms:GetKeyRotationStatus"), "AWS Config reads the rotation status");
        });

        it("cannot lock the deployer out: KMS's lockout check (the caller may put the key policy again) passes for it and for the root user", async () => {
            const { doc, arn: keyArn } = secretsKey(await program());
            for (const who of [DEPLOYER, ROOT]) {
                assert.deepStrictEqual(denies(doc, keyArn, "kms:PutKeyPolicy", who), []);
            }
            assert.ok(directAllows(doc, { action: "kms:PutKeyPolicy", resource: keyArn, context: {} }, caller(ROOT)).length > 0, "IAM policies decide, so the deployer's own policy lets it");
        });

        it("decides as KMS would: the deployers administer the key and use it through Secrets Manager by the key's own policy, the tier decrypts through Secrets Manager with its grant, PowerUserAccess gets nothing", async () => {
            const r = await program();
            const tier = await reader();
            const { doc, arn: keyArn } = secretsKey(r);
            const decide = (who: string, identity: Policy[], action: string, via?: string) => evaluate(
                { identity, resourcePolicy: { policy: doc, kms: true }, caller: caller(who) },
                { action, resource: keyArn, context: { "kms:CallerAccount": ACCOUNT, ...(via ? { "kms:ViaService": via } : {}) } }).decision;
            const sm = VIA_SECRETS_MANAGER["kms:ViaService"];
            // The deploying role's IAM policy grants no key-level KMS action (offline/deployer-policy/statements.ts): the key's policy must.
            for (const who of [DEPLOYER, ADMIN]) {
                for (const action of ["kms:PutKeyPolicy", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:EnableKeyRotation", "kms:TagResource", "kms:ScheduleKeyDeletion"]) {
                    assert.equal(decide(who, [], action), "allow", `${who} may not ${action}: KMS's lockout check and the provider's updates need it`);
                }
                assert.equal(decide(who, [], "kms:Decrypt", sm), "allow", `${who} cannot read a secret version back`);
                assert.equal(decide(who, [], "kms:GenerateDataKey", sm), "allow", `${who} cannot write a secret version`);
                assert.equal(decide(who, [], "kms:Decrypt"), "explicit deny", `${who} decrypts outside Secrets Manager`);
            }
            assert.equal(decide(tier, inlinePolicies(r, tier), "kms:Decrypt", sm), "allow", "the tier cannot decrypt its secret");
            assert.equal(decide(tier, inlinePolicies(r, tier), "kms:Decrypt"), "explicit deny");
            assert.equal(decide(tier, [{ Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] }], "kms:PutKeyPolicy"), "explicit deny");
            for (const action of ["kms:Decrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:DescribeKey"]) {
                assert.equal(decide(POWER_USER, [POWER_USER_ACCESS], action, sm), "explicit deny", `PowerUserAccess may ${action}`);
            }
        });
    });
}
