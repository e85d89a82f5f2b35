/**
 * The stores that hold the certificates' private keys, set up so that their protection holds:
 * Secrets Manager secrets under a customer-managed KMS key, and that key rotating.
 */
import { Policies } from "@pulumi/policy";
import { TOKENS } from "../shared/tokens";
import { asBoolean, asNumber, integer, isKnown, isUnknown, resourceRule } from "../framework";

/**
 * An AWS managed key is addressed by an `alias/aws/...` alias (bare or as an alias ARN), and
 * consoles and docs also write it without the prefix (`aws/secretsmanager`).
 */
function isAwsManagedKeyReference(keyId: string): boolean {
    return /(^|:)(alias\/)?aws\//i.test(keyId.trim());
}

const CMK_FIX = "set kmsKeyId to the arn of a customer-managed aws.kms.Key (rotation on) whose key policy " +
    "grants kms:Decrypt only to the roles that read the secret";

export const secretsManagerSecretCustomerManagedKey = resourceRule({
    name: "secretsmanager-secret-customer-managed-key",
    description: "Secrets Manager secrets must be encrypted under a customer-managed KMS key: the default " +
        "aws/secretsmanager key's policy cannot be changed, so every principal with secretsmanager " +
        "access in the account can decrypt, and the key cannot be shared, disabled or audited separately.",
    enforcementLevel: "mandatory",
    severity: "medium",
    appliesTo: [TOKENS.secretsManagerSecret],
    check: ({ props, report }) => {
        const keyId = props.kmsKeyId;
        if (isUnknown(keyId)) {
            return;
        }
        if (!isKnown(keyId) || keyId === "") {
            report({ property: "kmsKeyId", value: undefined, problem: "encrypts the secret under the AWS managed key aws/secretsmanager", fix: CMK_FIX });
        } else if (typeof keyId === "string" && isAwsManagedKeyReference(keyId)) {
            report({ property: "kmsKeyId", value: keyId, problem: "names an AWS managed key, whose key policy you cannot restrict", fix: CMK_FIX });
        }
    },
});

/**
 * Whether KMS can rotate this key automatically: symmetric encryption keys only, and not in a
 * custom (CloudHSM or external) key store. `false` also while the spec or store is unknown.
 */
function rotatable(props: Record<string, any>): boolean {
    const spec = props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
    const usage = props.keyUsage ?? "ENCRYPT_DECRYPT";
    if (isUnknown(spec) || isUnknown(usage) || isUnknown(props.customKeyStoreId) || isUnknown(props.xksKeyId)) {
        return false;
    }
    return spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT" &&
        !isKnown(props.customKeyStoreId) && !isKnown(props.xksKeyId);
}

export const kmsKeyRotationEnabled = resourceRule({
    name: "kms-key-rotation-enabled",
    description: "Symmetric customer-managed KMS keys (the ones that protect the certificates' private keys " +
        "in Secrets Manager) must rotate automatically, at least yearly, to bound how much data one key " +
        "version protects. Asymmetric, HMAC and custom-key-store keys cannot rotate and are not checked.",
    enforcementLevel: "mandatory",
    severity: "medium",
    appliesTo: [TOKENS.kmsKey],
    config: {
        maxRotationPeriodDays: integer(365, "Longest accepted rotationPeriodInDays (KMS allows 90-2560; its default is 365).", { minimum: 90, maximum: 2560 }),
    },
    check: ({ props, config: { maxRotationPeriodDays }, report }) => {
        if (!rotatable(props)) {
            return;
        }
        const enabled = props.enableKeyRotation;
        if (!isUnknown(enabled) && asBoolean(enabled) !== true) {
            report({
                property: "enableKeyRotation", value: enabled,
                problem: "leaves the key material unrotated for the key's whole life (the KMS default is false)",
                fix: "set enableKeyRotation to true",
            });
        }
        const period = props.rotationPeriodInDays;
        if ((asNumber(period) ?? 0) > maxRotationPeriodDays) {
            report({
                property: "rotationPeriodInDays", value: period,
                problem: `exceeds the ${maxRotationPeriodDays}-day maximum`,
                fix: `set rotationPeriodInDays to at most ${maxRotationPeriodDays}`,
            });
        }
    },
    remediate: ({ props, config: { maxRotationPeriodDays } }) => {
        if (!rotatable(props)) {
            return undefined;
        }
        let changed = false;
        if (!isUnknown(props.enableKeyRotation) && asBoolean(props.enableKeyRotation) !== true) {
            props.enableKeyRotation = true;
            changed = true;
        }
        if ((asNumber(props.rotationPeriodInDays) ?? 0) > maxRotationPeriodDays) {
            props.rotationPeriodInDays = maxRotationPeriodDays;
            changed = true;
        }
        return changed ? props : undefined;
    },
});

export const policies: Policies = [secretsManagerSecretCustomerManagedKey, kmsKeyRotationEnabled];
