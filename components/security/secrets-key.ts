import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { custodians } from "./custodians";
import { stackKeyPolicy } from "./key-policy";

export interface SecretsKeyArgs {
    /**
     * ARN patterns of the principals that deploy the stack (the deploying role and config
     * `adminPrincipalArns`): the key's policy lets them administer it and use it through Secrets
     * Manager. No default.
     */
    readonly deployers: pulumi.Input<pulumi.Input<string>[]>;
    /** Days AWS waits before deleting the key once scheduled. Defaults to 30 (the maximum). */
    readonly deletionWindowInDays?: number;
    /** Roles that decrypt secrets with the key, through Secrets Manager only (the tier's reader). Defaults to none. */
    readonly readerRoleArns?: pulumi.Input<string>[];
}

/** Cryptographic operations with a symmetric key. */
const KEY_CRYPTO = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];
/**
 * What the readers may not do although they may use the key: change or replace its policy, grants,
 * state, rotation, aliases, tags or material. Their own IAM grant is kms:Decrypt alone
 * (TierIdentity.grantSecretRead); this is the key's own word on it.
 */
const READERS_MAY_NOT = ["kms:Put*", "kms:Create*", "kms:Delete*", "kms:Update*", "kms:Schedule*", "kms:Cancel*", "kms:Disable*",
    "kms:Enable*", "kms:Revoke*", "kms:Retire*", "kms:Tag*", "kms:Untag*", "kms:Replicate*", "kms:Import*", "kms:Rotate*",
    "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"];

/**
 * The customer-managed KMS key that encrypts the stack's certificate secrets, with yearly automatic
 * rotation. Using our own key rather than `aws/secretsmanager` means a reader needs kms:Decrypt on
 * this key as well as secretsmanager:GetSecretValue, and CloudTrail shows every decrypt.
 *
 * Its key policy is explicit. It keeps the default statement that gives the account, and so its
 * IAM policies, kms:* ("Allows access to the AWS account and enables IAM policies": without it the
 * key can become unmanageable, https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam),
 * and adds denies that no IAM allow overrides:
 * - kms:* to every principal but the readers, the deployer, the administrators, the account root
 *   and AWS's service-linked roles: PowerUserAccess gets no PutKeyPolicy, ScheduleKeyDeletion,
 *   DisableKey, CreateGrant or Decrypt here;
 * - the readers may not administer it (READERS_MAY_NOT);
 * - nobody encrypts or decrypts except through Secrets Manager in the stack's Region
 *   (kms:ViaService: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
 * Every statement names its actions in Action: KMS ignores a key-policy statement without Action
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html), so none relies on NotAction.
 * The deployer stays able to put the policy again, which is what KMS's lockout safety check asks of
 * the caller when the provider creates the key or puts its policy (CreateKey and PutKeyPolicy with
 * BypassPolicyLockoutSafetyCheck false, terraform-provider-aws internal/service/kms/key.go;
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html); and the root user
 * keeps it manageable if the deploying role is ever deleted.
 */
export class SecretsKey extends pulumi.ComponentResource {
    public readonly keyArn: pulumi.Output<string>;
    public readonly keyId: pulumi.Output<string>;

    constructor(name: string, args: SecretsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:security:SecretsKey", name, {}, opts);
        const { rootArn, serviceLinkedRoles } = custodians(this);
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const readers = args.readerRoleArns ?? [];
        const holders = pulumi.all([args.deployers, rootArn, serviceLinkedRoles, ...readers])
            .apply(([deployers, ...others]) => [...deployers, ...others]);
        const key = new aws.kms.Key(`${name}-key`, {
            description: `Encrypts the TLS certificates and keys of ${pulumi.getProject()}/${pulumi.getStack()}`,
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            enableKeyRotation: true,
            deletionWindowInDays: args.deletionWindowInDays ?? 30,
            // The deployers administer it and use it through Secrets Manager (key-policy.ts); the
            // denies below hold whatever an IAM policy allows.
            policy: stackKeyPolicy({
                account, partition, deployers: args.deployers, secretsManagerRegion: region,
                statements: [
                    {
                        Sid: "OnlyHoldersTouchIt", Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*",
                        Condition: { ArnNotLike: { "aws:PrincipalArn": holders } },
                    },
                    ...(readers.length > 0 ? [{
                        Sid: "ReadersDoNotAdminister", Effect: "Deny", Principal: "*", Action: READERS_MAY_NOT, Resource: "*",
                        Condition: { ArnLike: { "aws:PrincipalArn": readers } },
                    }] : []),
                    {
                        Sid: "CryptoOnlyThroughSecretsManager", Effect: "Deny", Principal: "*", Action: KEY_CRYPTO, Resource: "*",
                        Condition: { StringNotEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${region}.amazonaws.com` } },
                    },
                ],
            }),
        }, { parent: this });
        new aws.kms.Alias(`${name}-alias`, {
            name: `alias/${pulumi.getProject()}-${pulumi.getStack()}-tls`,
            targetKeyId: key.keyId,
        }, { parent: this });
        this.keyArn = key.arn;
        this.keyId = key.keyId;
        this.registerOutputs({ keyArn: this.keyArn });
    }
}
