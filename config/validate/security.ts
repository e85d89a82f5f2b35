import { StackConfig } from "../keys";
import { AreaValidator, ConfigError, key, show } from "./check";

/**
 * An IAM role or user ARN, as `aws:PrincipalArn` carries it (roles with their path, e.g. IAM
 * Identity Center's `role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<set>_<suffix>`).
 * `*` and `?` may stand in the path and the name, for the random suffix Identity Center gives each
 * permission-set role and the region it puts in the path (none when its home is us-east-1), within
 * the bounds broadAdminPattern sets.
 */
const ADMIN_PRINCIPAL = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/([\w+=,.@*?-]+\/)*[\w+=,.@*?-]{1,64}$/;

/** Literal characters a pattern's name must start with before its first `*` or `?`. */
export const ADMIN_NAME_PREFIX_MIN = 4;

/**
 * IAM Identity Center's roles: `role/aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<set>_<suffix>`
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html). Only
 * AWS creates roles under the aws-reserved path, so a leading `*` for the region part is safe when
 * the permission set's name follows in full; `AWSReservedSSO_` alone names every set.
 */
const SSO_ROLE = /^role\/aws-reserved\/sso\.amazonaws\.com\/(\*|[a-z0-9-]+\/)?AWSReservedSSO_[\w+=,.@-]+_[\w*?]*$/;
/** Paths AWS reserves for its own roles: a literal prefix that could still be one of them reaches them all. */
const AWS_ROLE_PATHS = ["aws-reserved/", "aws-service-role/"];

/**
 * Why an ARN pattern, which the secrets' and key's policies match with ArnLike/ArnNotLike on
 * aws:PrincipalArn, would match almost any role or user; undefined when it names one closely
 * enough. ArnLike's `*` spans "/" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN),
 * so what bounds a pattern is the literal text before its first wildcard: the name after the last
 * "/" there must start with ADMIN_NAME_PREFIX_MIN literal characters (`role/pipeline-*`, not
 * `role/*-*`, `role/ci-*` or `role/team/*`), and must not be a prefix of a path AWS reserves;
 * Identity Center roles are named by their full permission set instead (SSO_ROLE). A name without
 * wildcards is exact and always accepted.
 */
export function broadAdminPattern(arn: string): boolean {
    const resource = arn.split(":").slice(5).join(":");
    const wildcard = resource.search(/[*?]/);
    if (wildcard < 0 || SSO_ROLE.test(resource)) return false;
    const path = resource.slice(resource.indexOf("/") + 1, wildcard);
    const name = resource.slice(resource.lastIndexOf("/", wildcard - 1) + 1, wildcard);
    return name.length < ADMIN_NAME_PREFIX_MIN || AWS_ROLE_PATHS.some(p => p.startsWith(path) || path.startsWith(p));
}

/** Who besides the tier may read the certificate secrets, and administer them and their key: adminPrincipalArns. */
export const validateSecurity: AreaValidator = (c: StackConfig) => {
    const examples = `"arn:aws:iam::123456789012:role/pipeline-b", "arn:aws:iam::123456789012:role/pipeline-*" or, for an IAM Identity Center permission set, "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdminAccess_*"`;
    for (const arn of c.adminPrincipalArns) {
        if (typeof arn !== "string" || !ADMIN_PRINCIPAL.test(arn)) {
            throw new ConfigError(`${key("adminPrincipalArns")} has ${show(arn)}. Use IAM role or user ARNs such as ${examples}.`);
        }
        if (broadAdminPattern(arn)) {
            throw new ConfigError(`${key("adminPrincipalArns")} has ${show(arn)}, a pattern that matches almost any role or user: ArnLike's * spans "/", so only the literal text before the first wildcard bounds it, and these principals may read every certificate key and change its protection. Start the name with at least ${ADMIN_NAME_PREFIX_MIN} literal characters before any * or ? (outside AWS's reserved paths), name a whole permission set, or list exact ARNs: ${examples}.`);
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
