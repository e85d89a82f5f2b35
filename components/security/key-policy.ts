import * as pulumi from "@pulumi/pulumi";

/**
 * What the principals that deploy the stack (the deploying role and config `adminPrincipalArns`)
 * do to the stack's own KMS keys through the AWS provider: read, change, rotate, tag, alias and
 * schedule the deletion of the key (terraform-provider-aws internal/service/kms/key.go and
 * alias.go; offline/deployer-policy/actions.ts lists the same calls per resource, and
 * tests/deployer/escalation.test.ts proves this list covers them).
 *
 * These rights are in each key's own policy, not in the deploying role's IAM policy: to tag a key
 * while creating it, the caller needs kms:TagResource in an IAM policy "that isn't restricted to
 * particular KMS keys" (https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html),
 * so a grant by tag in the IAM policy would reach any key its holder tags. A key policy names its
 * principals for that key alone, and only the key's own policy can change it.
 */
export const DEPLOYER_KEY_ACTIONS = [
    "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
    "kms:DisableKeyRotation", "kms:UpdateKeyDescription", "kms:EnableKey", "kms:DisableKey", "kms:ScheduleKeyDeletion",
    "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias",
] as const;

export interface KeyPolicyArgs {
    /** The account the key is in. */
    readonly account: pulumi.Input<string>;
    /** The partition, e.g. "aws". */
    readonly partition: pulumi.Input<string>;
    /** ARN patterns (ArnLike) of the principals that deploy the stack. */
    readonly deployers: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Set for a key that encrypts Secrets Manager secrets: the deployers may decrypt and generate
     * data keys through Secrets Manager in this region (the provider writes and reads the secret
     * values: secretsmanager/secret_version.go).
     */
    readonly secretsManagerRegion?: pulumi.Input<string>;
    /** Further statements (service principals that use the key). Defaults to none. */
    readonly statements?: pulumi.Input<any>[];
}

/**
 * A key policy for a key the stack creates: the account's IAM policies decide as with the default
 * key policy (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html), and
 * the stack's deployers may administer this key, and use it through Secrets Manager where asked.
 * The deployers are matched by `aws:PrincipalArn` with `Principal: "*"`, within the account
 * (kms:CallerAccount), because config `adminPrincipalArns` are patterns and a key policy's
 * Principal takes exact ARNs only.
 */
export function stackKeyPolicy(args: KeyPolicyArgs): pulumi.Output<string> {
    const deployers = (extra: Record<string, Record<string, unknown>> = {}) => ({
        ArnLike: { "aws:PrincipalArn": args.deployers },
        StringEquals: { "kms:CallerAccount": args.account, ...(extra.StringEquals ?? {}) },
    });
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountIamPolicies", Effect: "Allow",
                Principal: { AWS: pulumi.interpolate`arn:${args.partition}:iam::${args.account}:root` },
                Action: "kms:*", Resource: "*",
            },
            {
                Sid: "StackDeployersAdministerTheKey", Effect: "Allow", Principal: { AWS: "*" },
                Action: [...DEPLOYER_KEY_ACTIONS], Resource: "*", Condition: deployers(),
            },
            ...(args.secretsManagerRegion === undefined ? [] : [{
                Sid: "StackDeployersUseTheKeyThroughSecretsManager", Effect: "Allow", Principal: { AWS: "*" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*",
                Condition: deployers({ StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${args.secretsManagerRegion}.amazonaws.com` } }),
            }]),
            ...(args.statements ?? []),
        ],
    });
}
