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
