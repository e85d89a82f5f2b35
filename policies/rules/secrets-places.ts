/**
 * What the key-material messages say about where a value sits and how to move the key out, for
 * the places whose readers and remedy are known; a general sentence for any other property of any
 * resource. Decided by the property names on the value's path (user data is user data on every
 * type that has it) and, where the remedy is one service's, by the type.
 */
import { SECRET_FIELDS } from "../shared/secret-fields";
import { NATIVE, TOKENS } from "../shared/tokens";
import { FETCH_AT_BOOT, Leaf } from "./secrets-scan";
import { keysOf } from "./plain-values";

/** Where a value is, phrased to follow "which", and the fix. */
export interface Whereabouts {
    readonly where: string;
    readonly fix: string;
}

export const CONTAINER_FIX = "move the value to the container's secrets (valueFrom a Secrets Manager secret ARN under a customer-managed KMS key)";

const USER_DATA: Whereabouts = {
    // ec2:DescribeInstanceAttribute and ec2:DescribeLaunchTemplateVersions return it; IMDS serves it to
    // any software on the instance, without authentication or encryption
    // (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-metadata.html; Lightsail the same,
    // https://docs.aws.amazon.com/lightsail/latest/userguide/amazon-lightsail-instance-metadata.html).
    where: "is user data, readable through the service's API (ec2:DescribeInstanceAttribute, ec2:DescribeLaunchTemplateVersions and the like) and by every process on the instance through its metadata service",
    fix: `remove it and ${FETCH_AT_BOOT}`,
};
const TAGS: Whereabouts = {
    where: "is a tag, readable by anyone with tag:GetResources or the service's Describe calls, and in cost reports once activated as a cost allocation tag",
    fix: "remove the key from the tags; tags are never secret",
};
const S3_OBJECT: Whereabouts = { where: "is written to an S3 object readable by anyone the bucket policy lets in", fix: `do not upload keys to S3; ${FETCH_AT_BOOT}` };
const GENERAL: Whereabouts = {
    where: "is stored in plain text in the resource's configuration and in the stack's state, readable by anyone who can describe the resource",
    fix: "keep the key in a Secrets Manager secret under a customer-managed KMS key and pass the secret's ARN instead",
};

const CONTAINERS: { readonly [field: string]: string } = {
    // ECS task definitions (aws: a JSON string; aws-native: a list) and Batch job definitions.
    containerDefinitions: "is plain text in the task definition, to anyone with ecs:DescribeTaskDefinition",
    containerProperties: "is plain text in the job definition, to anyone with batch:DescribeJobDefinitions",
    ecsProperties: "is plain text in the job definition, to anyone with batch:DescribeJobDefinitions",
};

const ENV_FIX: { readonly [token: string]: string } = {
    [TOKENS.lambdaFunction]: "read the key from Secrets Manager at run time (the Parameters and Secrets Lambda extension caches it)",
    [NATIVE.lambdaFunction]: "read the key from Secrets Manager at run time (the Parameters and Secrets Lambda extension caches it)",
    [TOKENS.codebuildProject]: "give the variable type SECRETS_MANAGER (or PARAMETER_STORE with a SecureString) and the secret's name as its value",
};

const SSM_PARAMETERS = new Set<string>([TOKENS.ssmParameter, NATIVE.ssmParameter]);
const S3_OBJECTS = new Set<string>([TOKENS.s3BucketObject, TOKENS.s3BucketObjectV2]);
const lower = (keys: readonly string[]) => keys.map((k) => k.toLowerCase());

/** What to say about where `leaf` sits on a resource of `token`; `unmarkedSecretField` for a secret-holding field whose value is not marked secret. */
export function whereabouts(token: string, leaf: Leaf, unmarkedSecretField: boolean, props: Record<string, unknown>): Whereabouts {
    const { place } = leaf;
    const keys = keysOf(place);
    const names = lower(keys);
    if (unmarkedSecretField) {
        return {
            where: `is ${SECRET_FIELDS[token]?.what ?? "a secret"} but is not marked secret, so Pulumi keeps it in plain text in the stack's state and shows it in previews and outputs`,
            fix: `wrap the value in pulumi.secret() (or mark ${place.field} in additionalSecretOutputs)`,
        };
    }
    if (names.includes("userdata") || names.includes("userdatabase64")) {
        return USER_DATA;
    }
    if (CONTAINERS[keys[0]] !== undefined) {
        return { where: CONTAINERS[keys[0]], fix: CONTAINER_FIX };
    }
    if (SSM_PARAMETERS.has(token)) {
        const type = typeof props.type === "string" ? props.type : "String";
        return {
            where: place.field === "insecureValue" ? "is always stored and shown in plain text" : `is stored as a ${type} parameter, in plain text`,
            fix: token === TOKENS.ssmParameter
                ? "store it in Secrets Manager, or at least as a SecureString parameter under a customer-managed KMS key"
                : "store it in Secrets Manager (CloudFormation cannot create a SecureString parameter)",
        };
    }
    if (S3_OBJECTS.has(token)) {
        return S3_OBJECT;
    }
    if (place.env) {
        return {
            where: "is an environment variable, plain text to anyone who can read the resource's configuration",
            fix: ENV_FIX[token] ?? "pass a reference to a Secrets Manager secret instead (ECS and Batch `secrets`, App Runner `runtimeEnvironmentSecrets`, Kubernetes `secretKeyRef`)",
        };
    }
    if (names.some((k) => k === "tags" || k === "tagsall" || k === "tagspecifications")) {
        return TAGS;
    }
    return GENERAL;
}
