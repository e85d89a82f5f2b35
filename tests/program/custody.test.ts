/**
 * Custody of the certificate keys: who may read, change or unprotect the secrets and the KMS key
 * that encrypts them, judged by the explicit denies of the policies the program writes (an
 * explicit deny beats any IAM allow, PowerUserAccess's included).
 */
import * as assert from "assert";
import { explicitDenies, allowsFor } from "../../offline/engine/explicit-deny";
import { ProgramRun } from "../../offline/engine/recorded";
import { TOKENS } from "../../policies/shared/tokens";
import { byOutput, ofType, one, run } from "./support";

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

function secretPolicies(r: ProgramRun): { name: string; doc: any; backend: boolean }[] {
    return ofType(r, TOKENS.secretsManagerSecretPolicy).map(p => ({ name: p.name, doc: JSON.parse(p.inputs.policy), backend: p.name === "web-backend-secret" }));
}

function secretsKeyPolicy(r: ProgramRun): any {
    const secret = ofType(r, TOKENS.secretsManagerSecret)[0];
    const key = byOutput(r, "arn", secret.inputs.kmsKeyId)!;
    assert.strictEqual(key.type, TOKENS.kmsKey);
    assert.ok(key.inputs.policy, "the secrets' key has an explicit key policy");
    return JSON.parse(key.inputs.policy);
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
            for (const { name, doc, backend } of secretPolicies(r)) {
                for (const action of [...SECRET_CHANGES, "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]) {
                    assert.ok(explicitDenies(doc, { action, principalArn: POWER_USER }).length > 0, `${name}: PowerUser may ${action}`);
                    if (!backend) assert.ok(explicitDenies(doc, { action, principalArn: tier }).length > 0, `${name}: the tier may ${action}`);
                }
                for (const action of SECRET_CHANGES) {
                    for (const who of [DEPLOYER, ADMIN, ROOT]) {
                        assert.deepStrictEqual(explicitDenies(doc, { action, principalArn: who }), [], `${name}: ${who} is refused ${action}`);
                    }
                }
            }
        });

        it("lets only the tier (backend secret), the deployer and the administrators read a value; AWS's service-linked roles read its metadata only", async () => {
            const r = await program();
            const tier = await reader();
            for (const { name, doc, backend } of secretPolicies(r)) {
                const read = (who: string) => explicitDenies(doc, { action: "secretsmanager:GetSecretValue", principalArn: who }).length === 0;
                assert.deepStrictEqual([read(DEPLOYER), read(ADMIN), read(tier), read(POWER_USER), read(CONFIG), read(ROOT)], [true, true, backend, false, false, false], name);
                assert.deepStrictEqual(explicitDenies(doc, { action: "secretsmanager:DescribeSecret", principalArn: CONFIG }), [], `${name}: Config describes it`);
            }
            const grant = JSON.parse(ofType(r, TOKENS.iamRolePolicy).find(p => p.name === "web-read-backend-secret")!.inputs.policy).Statement;
            assert.deepStrictEqual(grant[0].Action, ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "the reader's IAM grant is all it may do with its secret");
        });

        it("gives the secrets' key an explicit policy: the account's root statement that keeps it manageable, and denies that leave others no use and no control", async () => {
            const r = await program();
            const tier = await reader();
            const doc = secretsKeyPolicy(r);
            assert.deepStrictEqual(allowsFor(doc, ROOT, "kms:PutKeyPolicy").length, 1, "the default key policy's root statement (kms:*), which enables IAM policies");
            assert.ok(doc.Statement.every((x: any) => x.Action !== undefined && x.NotAction === undefined), "KMS ignores a key-policy statement without Action");
            const denied = (who: string, action: string, context?: Record<string, string>) => explicitDenies(doc, { action, principalArn: who, context }).length > 0;
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
            const doc = secretsKeyPolicy(await program());
            for (const who of [DEPLOYER, ROOT]) {
                assert.deepStrictEqual(explicitDenies(doc, { action: "kms:PutKeyPolicy", principalArn: who }), []);
            }
            assert.ok(allowsFor(doc, ROOT, "kms:PutKeyPolicy").length > 0, "IAM policies decide, so the deployer's own policy lets it");
        });
    });
}
