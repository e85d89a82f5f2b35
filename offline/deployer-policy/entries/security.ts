/**
 * Identities, keys, secrets and the Private CA (components/security, components/pki): IAM, KMS, Secrets Manager and AWS Private CA.
 * Form and sources: ../entry.ts; merged into RESOURCE_ACTIONS by ../actions.ts.
 */
import { TOKENS } from "../../../policies/shared/tokens";
import { ResourceEntry, tf, TAGGED } from "../entry";

export const SECURITY_ACTIONS: Readonly<Record<string, ResourceEntry>> = {
    // The read lists inline and attached policies; the delete removes the role from its instance
    // profiles first. Creating with tags is authorized as iam:TagRole too
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags_roles.html).
    [TOKENS.iamRole]: {
        source: [tf("iam/role.go"), "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags_roles.html"],
        create: ["iam:CreateRole"],
        read: ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"],
        update: ["iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy"],
        delete: ["iam:ListInstanceProfilesForRole", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteRole"],
        tags: { onCreate: ["iam:TagRole"], list: ["iam:ListRoleTags"], tag: ["iam:TagRole"], untag: ["iam:UntagRole"] },
        arguments: {
            assumeRolePolicy: [], description: [], path: [], ...TAGGED,
            permissionsBoundary: {
                calls: ["iam:PutRolePermissionsBoundary"],
                why: "travels in CreateRole; a changed boundary is put with PutRolePermissionsBoundary (never deleted: the stack always sets one)",
            },
        },
        checked: "reviewed; RemoveRoleFromInstanceProfile on delete added",
    },
    [TOKENS.iamRolePolicy]: {
        source: [tf("iam/role_policy.go")],
        create: ["iam:PutRolePolicy"],
        read: ["iam:GetRolePolicy"],
        update: ["iam:PutRolePolicy"],
        delete: ["iam:DeleteRolePolicy"],
        arguments: { policy: [], role: [] },
        checked: "reviewed",
    },
    [TOKENS.iamRolePolicyAttachment]: {
        source: [tf("iam/role_policy_attachment.go")],
        create: ["iam:AttachRolePolicy"],
        read: ["iam:ListAttachedRolePolicies"],
        update: [],
        delete: ["iam:DetachRolePolicy"],
        arguments: { policyArn: [], role: [] },
        checked: "reviewed",
    },
    [TOKENS.iamInstanceProfile]: {
        source: [tf("iam/instance_profile.go"), "https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html"],
        create: ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"],
        read: ["iam:GetInstanceProfile"],
        update: ["iam:RemoveRoleFromInstanceProfile", "iam:AddRoleToInstanceProfile"],
        delete: ["iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
        tags: { onCreate: ["iam:TagInstanceProfile"], list: ["iam:ListInstanceProfileTags"], tag: ["iam:TagInstanceProfile"], untag: ["iam:UntagInstanceProfile"] },
        dependent: [{
            actions: ["iam:PassRole"], why: "AddRoleToInstanceProfile requires PassRole on the role",
            source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html",
        }],
        arguments: { role: [], path: [], ...TAGGED },
        checked: "reviewed",
    },
    // Key-level calls are granted by the key's own policy (components/security/key-policy.ts), not
    // by the deploying role's IAM policy: policy.ts keeps them out of it and checks they are there.
    [TOKENS.kmsKey]: {
        source: [tf("kms/key.go"), "https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html"],
        create: ["kms:CreateKey"],
        read: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus"],
        update: ["kms:UpdateKeyDescription", "kms:PutKeyPolicy", "kms:EnableKey", "kms:DisableKey", "kms:DisableKeyRotation"],
        delete: ["kms:ScheduleKeyDeletion"],
        // Create waits until the description, policy, rotation and tags read back (waitKey*Propagated).
        waiters: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
        tags: { onCreate: ["kms:TagResource"], list: ["kms:ListResourceTags"], tag: ["kms:TagResource"], untag: ["kms:UntagResource"] },
        arguments: {
            customerMasterKeySpec: [], deletionWindowInDays: [], description: [], keyUsage: [], policy: [], ...TAGGED,
            enableKeyRotation: { calls: ["kms:EnableKeyRotation"], why: "rotation is enabled after CreateKey" },
        },
        checked: "reviewed",
    },
    [TOKENS.kmsAlias]: {
        source: [tf("kms/alias.go")],
        create: ["kms:CreateAlias"],
        read: ["kms:ListAliases"],
        update: ["kms:UpdateAlias"],
        delete: ["kms:DeleteAlias"],
        arguments: { name: [], targetKeyId: [] },
        checked: "reviewed",
    },
    // CreateSecret with tags is authorized as secretsmanager:TagResource too
    // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html); the
    // read takes the tags from DescribeSecret.
    [TOKENS.secretsManagerSecret]: {
        source: [tf("secretsmanager/secret.go"), "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html"],
        create: ["secretsmanager:CreateSecret"],
        read: ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"],
        update: ["secretsmanager:UpdateSecret"],
        delete: ["secretsmanager:DeleteSecret"],
        waiters: ["secretsmanager:DescribeSecret"],
        tags: { onCreate: ["secretsmanager:TagResource"], list: [], tag: ["secretsmanager:TagResource"], untag: ["secretsmanager:UntagResource"] },
        arguments: {
            description: [], ...TAGGED,
            kmsKeyId: {
                calls: [], why: "CreateSecret carries no value: the key is used when a value is put or read (the SecretVersion entry's kms calls)",
                source: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
            },
        },
        checked: "reviewed",
    },
    // A value encrypted under a customer managed key needs kms:GenerateDataKey (write) and
    // kms:Decrypt (read) from the caller, through Secrets Manager:
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz
    // The provider reads the value back on create and refresh, and the delete takes the version's
    // staging labels off (UpdateSecretVersionStage).
    [TOKENS.secretsManagerSecretVersion]: {
        source: [tf("secretsmanager/secret_version.go"), "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html"],
        create: ["secretsmanager:PutSecretValue"],
        read: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"],
        update: ["secretsmanager:UpdateSecretVersionStage"],
        delete: ["secretsmanager:UpdateSecretVersionStage", "secretsmanager:DescribeSecret"],
        dependent: [{
            actions: ["kms:GenerateDataKey", "kms:Decrypt"],
            why: "Secrets Manager encrypts and decrypts the value under the secret's key with the caller's permissions",
            source: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
        }],
        arguments: { secretId: [], secretString: [] },
        checked: "reviewed",
    },
    [TOKENS.secretsManagerSecretPolicy]: {
        source: [tf("secretsmanager/secret_policy.go")],
        create: ["secretsmanager:PutResourcePolicy"],
        read: ["secretsmanager:GetResourcePolicy"],
        update: ["secretsmanager:PutResourcePolicy"],
        delete: ["secretsmanager:DeleteResourcePolicy"],
        arguments: { blockPublicPolicy: [], policy: [], secretArn: [] },
        checked: "reviewed",
    },
    // Tags given at creation need acm-pca:TagCertificateAuthority
    // (https://docs.aws.amazon.com/privateca/latest/userguide/auth-InlinePolicies.html); the delete
    // disables an active CA first.
    [TOKENS.acmpcaCertificateAuthority]: {
        source: [tf("acmpca/certificate_authority.go"), "https://docs.aws.amazon.com/privateca/latest/userguide/auth-InlinePolicies.html"],
        create: ["acm-pca:CreateCertificateAuthority"],
        read: ["acm-pca:DescribeCertificateAuthority", "acm-pca:GetCertificateAuthorityCsr", "acm-pca:GetCertificateAuthorityCertificate"],
        update: ["acm-pca:UpdateCertificateAuthority"],
        delete: ["acm-pca:UpdateCertificateAuthority", "acm-pca:DeleteCertificateAuthority"],
        waiters: ["acm-pca:DescribeCertificateAuthority"],
        tags: { onCreate: ["acm-pca:TagCertificateAuthority"], list: ["acm-pca:ListTags"], tag: ["acm-pca:TagCertificateAuthority"], untag: ["acm-pca:UntagCertificateAuthority"] },
        arguments: { certificateAuthorityConfiguration: [], permanentDeletionTimeInDays: [], type: [], usageMode: [], ...TAGGED },
        checked: "reviewed",
    },
    // The provider's Delete of a Private CA certificate is RevokeCertificate; the program retains
    // them (retainOnDelete), so it is listed for the type but never called by this program.
    [TOKENS.acmpcaCertificate]: {
        source: [tf("acmpca/certificate.go")],
        create: ["acm-pca:IssueCertificate"],
        read: ["acm-pca:GetCertificate"],
        update: [],
        delete: ["acm-pca:RevokeCertificate"],
        waiters: ["acm-pca:GetCertificate"],
        arguments: { certificateAuthorityArn: [], certificateSigningRequest: [], signingAlgorithm: [], templateArn: [], validity: [] },
        checked: "reviewed",
    },
    [TOKENS.acmpcaCertificateAuthorityCertificate]: {
        source: [tf("acmpca/certificate_authority_certificate.go")],
        create: ["acm-pca:ImportCertificateAuthorityCertificate"],
        read: ["acm-pca:GetCertificateAuthorityCertificate"],
        update: [],
        delete: [],
        arguments: { certificate: [], certificateAuthorityArn: [], certificateChain: [] },
        checked: "reviewed",
    },
};
