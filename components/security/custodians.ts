import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/**
 * Who holds the stack's key material, as `aws:PrincipalArn` names them in the secrets' and the
 * KMS key's policies: the role (or user) that runs `pulumi up`, and the account's root user.
 */
export interface Custodians {
    /**
     * Whoever runs `pulumi up`: for an assumed role, the role itself rather than the session
     * (aws:PrincipalArn carries the role's ARN:
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
     */
    readonly deployerArn: pulumi.Output<string>;
    /**
     * The account's root user, `arn:<partition>:iam::<account>:root`: exempt from the denies that
     * guard a policy, so no deleted role can leave a secret or the key unmanageable (the lockout KMS
     * warns about: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
     */
    readonly rootArn: pulumi.Output<string>;
    /**
     * AWS's service-linked roles, `role/aws-service-role/*`: only AWS services assume them and only
     * AWS writes their policies (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html).
     * AWS Config and Security Hub read key and secret metadata with them; the denies on values and
     * cryptography still apply to them.
     */
    readonly serviceLinkedRoles: pulumi.Output<string>;
}

export function custodians(parent: pulumi.Resource): Custodians {
    const caller = aws.getCallerIdentityOutput({}, { parent });
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    return {
        deployerArn: aws.iam.getSessionContextOutput({ arn: caller.arn }, { parent }).issuerArn,
        rootArn: pulumi.interpolate`arn:${partition}:iam::${caller.accountId}:root`,
        serviceLinkedRoles: pulumi.interpolate`arn:${partition}:iam::${caller.accountId}:role/aws-service-role/*`,
    };
}
