/**
 * The application's secret references (application input `secrets`): the forms ECS accepts in a
 * container's `secrets[].valueFrom`, read once here for config validation, the IAM grants, the EC2
 * start script and the offline report.
 *
 * - A Secrets Manager secret by its complete ARN, `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`
 *   (https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html), optionally
 *   followed by ECS's `:<json-key>:<version-stage>:<version-id>`, each part possibly empty
 *   ("Pass Secrets Manager secrets through Amazon ECS environment variables",
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
 *   The complete ARN is required: IAM matches it exactly, and a partial ARN (no suffix) would need
 *   a wildcard that also matches other secrets.
 * - An SSM parameter by its ARN, `arn:aws:ssm:<region>:<account>:parameter/<name>`; a parameter in
 *   another Region must be given by ARN (ECS API `Secret.valueFrom`,
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html).
 */

export const SecretService = {
    secretsManager: "secretsmanager",
    parameterStore: "ssm",
} as const;
export type SecretService = (typeof SecretService)[keyof typeof SecretService];

export interface SecretReference {
    readonly service: SecretService;
    /** The secret's or the parameter's ARN, without ECS's suffix: what IAM grants and KMS's encryption context name. */
    readonly arn: string;
    readonly partition: string;
    readonly region: string;
    readonly account: string;
    /** Secrets Manager: the key of the JSON secret whose value is taken. */
    readonly jsonKey?: string;
    /** Secrets Manager: the staging label of the version to read. Defaults to AWSCURRENT. */
    readonly versionStage?: string;
    /** Secrets Manager: the version to read. */
    readonly versionId?: string;
}

const REGION = "[a-z]{2}(?:-[a-z]+)+-\\d{1,2}";
// Secret names: letters, digits and /_+=.@- (CreateSecret), then the hyphen and six characters
// Secrets Manager appends. The suffix parts hold no colon (it separates them).
const SECRETS_MANAGER = new RegExp(`^(arn:(aws[a-z-]*):secretsmanager:(${REGION}):(\\d{12}):secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6})(?::([^:]*):([^:]*):([^:]*))?$`);
// Parameter names: letters, digits and _.-, with / between the levels of a hierarchy
// (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html).
const PARAMETER = new RegExp(`^arn:(aws[a-z-]*):ssm:(${REGION}):(\\d{12}):parameter/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*$`);
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The reference in `valueFrom`, or undefined when it is not a form ECS takes. */
export function parseSecretReference(valueFrom: string): SecretReference | undefined {
    if (CONTROL.test(valueFrom)) return undefined;
    const sm = SECRETS_MANAGER.exec(valueFrom);
    if (sm) {
        const [, arn, partition, region, account, jsonKey, versionStage, versionId] = sm;
        return {
            service: SecretService.secretsManager, arn, partition, region, account,
            ...(jsonKey ? { jsonKey } : {}),
            ...(versionStage ? { versionStage } : {}),
            ...(versionId ? { versionId } : {}),
        };
    }
    const ssm = PARAMETER.exec(valueFrom);
    if (ssm) {
        const [, partition, region, account] = ssm;
        return { service: SecretService.parameterStore, arn: valueFrom, partition, region, account };
    }
    return undefined;
}

/** "Secrets Manager secret <arn> (JSON key "k", version stage "S")" or "SSM parameter <arn>". */
export function describeSecretReference(ref: SecretReference): string {
    if (ref.service === SecretService.parameterStore) return `SSM parameter ${ref.arn}`;
    const parts = [
        ...(ref.jsonKey ? [`JSON key "${ref.jsonKey}"`] : []),
        ...(ref.versionStage ? [`version stage "${ref.versionStage}"`] : []),
        ...(ref.versionId ? [`version ${ref.versionId}`] : []),
    ];
    return `Secrets Manager secret ${ref.arn}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
}
