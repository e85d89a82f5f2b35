import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/**
 * The IAM ARN `aws:PrincipalArn` carries for whoever runs `pulumi up`: for an assumed role, the
 * role itself rather than the session (iam:GetRole on the caller's role, through
 * aws.iam.getSessionContext).
 */
export function deployerPrincipalArn(parent: pulumi.Resource): pulumi.Output<string> {
    const caller = aws.getCallerIdentityOutput({}, { parent });
    return aws.iam.getSessionContextOutput({ arn: caller.arn }, { parent }).issuerArn;
}
