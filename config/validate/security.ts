import { StackConfig } from "../keys";
import { AreaValidator, ConfigError, key, show } from "./check";

/**
 * An IAM role or user ARN, as `aws:PrincipalArn` carries it (roles with their path, e.g. IAM
 * Identity Center's `role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<set>_<suffix>`).
 * `*` and `?` may stand in the path and the name, for the random suffix Identity Center gives each
 * permission-set role and the region it puts in the path (none when its home is us-east-1), but
 * the name is never wildcards only: that would let every role read the secrets.
 */
const ADMIN_PRINCIPAL = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/([\w+=,.@*?-]+\/)*(?=[*?]*[\w+=,.@-])[\w+=,.@*?-]{1,64}$/;

/** Who besides the tier may read the certificate secrets: adminPrincipalArns. */
export const validateSecurity: AreaValidator = (c: StackConfig) => {
    for (const arn of c.adminPrincipalArns) {
        if (typeof arn !== "string" || !ADMIN_PRINCIPAL.test(arn)) {
            throw new ConfigError(`${key("adminPrincipalArns")} has ${show(arn)}. Use IAM role or user ARNs such as "arn:aws:iam::123456789012:role/pipeline" or, for an IAM Identity Center permission set, "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdminAccess_*".`);
        }
    }
};

/**
 * A customer managed IAM policy's ARN (`policy/` with an optional path), never an AWS managed one
 * (`iam::aws:`): the boundary must be a policy the account's administrator controls.
 */
const BOUNDARY_POLICY = /^arn:aws(-[a-z]+)*:iam::(\d{12}):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;

/** The permissions boundary of the stack's roles: permissionsBoundaryArn, when set. */
export const validatePermissionsBoundary: AreaValidator = (c: StackConfig) => {
    const arn = c.permissionsBoundaryArn;
    if (arn !== undefined && (typeof arn !== "string" || !BOUNDARY_POLICY.test(arn))) {
        throw new ConfigError(`${key("permissionsBoundaryArn")} is ${show(arn)}. Use the ARN of a customer managed IAM policy of the deploying account, e.g. "arn:aws:iam::123456789012:policy/e2e-tls-prod-role-boundary".`);
    }
};

/**
 * Refuses a permissions boundary of another account than the one the stack deploys to (IAM only
 * attaches a boundary of the role's own account). The account is known once the provider has
 * answered: the roles wait for this check, and fail with this message before any role exists.
 */
export function checkBoundaryAccount(arn: string, account: string): string {
    const policyAccount = BOUNDARY_POLICY.exec(arn)?.[2];
    if (policyAccount !== account) {
        throw new ConfigError(`${key("permissionsBoundaryArn")} is ${show(arn)}: a policy of account ${policyAccount}, but the stack deploys to account ${account}. Use a policy of account ${account}.`);
    }
    return arn;
}
