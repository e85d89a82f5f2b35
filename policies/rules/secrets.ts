/**
 * Secrets rules: no private key (or credential) in places AWS treats as plain configuration, and
 * the stores that do hold secrets (Secrets Manager, KMS) set up so that their protection holds.
 *
 * User data is readable by anyone with `ec2:DescribeInstanceAttribute` / `ec2:DescribeLaunchTemplateVersions`
 * and by every process on the instance through IMDS; ECS container definitions by anyone with
 * `ecs:DescribeTaskDefinition`; `String` SSM parameters, S3 object bodies and Lambda environment
 * variables are not secrets either. The key belongs in Secrets Manager (or a SecureString), fetched
 * at boot by the instance role.
 */
import { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    configOf,
    describeResource,
    isKnown,
    isUnknown,
    Named,
    raw,
    schemaWithDefaults,
    TOKENS,
    violation,
} from "./common";
import { describeKeyMaterial, findKeyMaterial, KeyMaterial, ScanOptions, scanBytes } from "./key-material-detector";

/**
 * The pack's violation shape for found key material. The value is never quoted: a diagnostic ends
 * up in CI logs, and quoting the key there would leak it a second time.
 */
function keyMaterialViolation(resource: Named, property: string, found: KeyMaterial, where: string, fix: string): string {
    return `${describeResource(resource)} (${resource.type}): ${property} contains ${describeKeyMaterial(found)} ` +
        `(value withheld), which ${where}. Fix: ${fix}`;
}

function scanString(value: unknown, options: ScanOptions): KeyMaterial | undefined {
    return typeof value === "string" && !isUnknown(value) ? findKeyMaterial(value, options) : undefined;
}

function scanBase64(value: unknown, options: ScanOptions): KeyMaterial | undefined {
    if (typeof value !== "string" || isUnknown(value)) {
        return undefined;
    }
    return scanBytes(Buffer.from(value.replace(/\s+/g, ""), "base64"), options, ["base64"], 1) ?? findKeyMaterial(value, options);
}

/** Every string leaf of `value` with its path (`a.b[0].c`), skipping unknowns. */
function* stringLeaves(value: unknown, path: string): Generator<[string, string]> {
    if (typeof value === "string") {
        if (!isUnknown(value)) {
            yield [path, value];
        }
    } else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            yield* stringLeaves(value[i], `${path}[${i}]`);
        }
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            yield* stringLeaves(v, path ? `${path}.${k}` : k);
        }
    }
}

const FETCH_AT_BOOT = "store the key in a Secrets Manager secret under a customer-managed KMS key and fetch it " +
    "at boot with the instance role (aws secretsmanager get-secret-value)";

// ------------------------------------------------------------------------------------------------
// no-key-material-in-user-data
// ------------------------------------------------------------------------------------------------

interface ScanConfig {
    detectAwsAccessKeyIds: boolean;
}

const scanDefaults: ScanConfig = { detectAwsAccessKeyIds: true };
const scanSchema = {
    detectAwsAccessKeyIds: {
        type: "boolean",
        description: "Also report AWS access key IDs (AKIA…/ASIA…), which come with a secret access key.",
    },
} as const;

const userDataFields: Record<string, { field: string; base64: boolean }[]> = {
    [TOKENS.launchTemplate]: [{ field: "userData", base64: true }],
    [TOKENS.instance]: [{ field: "userData", base64: false }, { field: "userDataBase64", base64: true }],
    [TOKENS.launchConfiguration]: [{ field: "userData", base64: false }, { field: "userDataBase64", base64: true }],
};

export const noKeyMaterialInUserData: ResourceValidationPolicy = {
    name: "no-key-material-in-user-data",
    description: "EC2 user data must not carry private keys or credentials: anyone who can describe the " +
        "instance or launch template, and every process on the instance (through IMDS), can read it.",
    enforcementLevel: "mandatory",
    configSchema: schemaWithDefaults(scanDefaults, scanSchema),
    validateResource: (args, reportViolation) => {
        const fields = userDataFields[args.type];
        if (!fields) {
            return;
        }
        const config = configOf(args, scanDefaults);
        const options = { awsAccessKeyIds: config.detectAwsAccessKeyIds };
        const props = raw(args.props);
        for (const { field, base64 } of fields) {
            const found = base64 ? scanBase64(props[field], options) : scanString(props[field], options);
            if (found) {
                reportViolation(keyMaterialViolation(args, field, found,
                    "is readable through the EC2 API and from IMDS on the instance", `remove it and ${FETCH_AT_BOOT}`));
            }
        }
    },
};

// ------------------------------------------------------------------------------------------------
// no-key-material-in-container-definitions
// ------------------------------------------------------------------------------------------------

interface ContainerConfig extends ScanConfig {
    forbiddenEnvironmentNames: string[];
}

const containerDefaults: ContainerConfig = {
    detectAwsAccessKeyIds: true,
    // The variables Security Hub ECS.8 looks for.
    forbiddenEnvironmentNames: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"],
};

export const noKeyMaterialInContainerDefinitions: ResourceValidationPolicy = {
    name: "no-key-material-in-container-definitions",
    description: "ECS container definitions must not carry private keys or credentials in environment " +
        "variables, commands or labels: the task definition is plain text to anyone with " +
        "ecs:DescribeTaskDefinition. Use the container's `secrets` (valueFrom a Secrets Manager ARN).",
    enforcementLevel: "mandatory",
    configSchema: schemaWithDefaults(containerDefaults, {
        ...scanSchema,
        forbiddenEnvironmentNames: {
            type: "array",
            items: { type: "string" },
            description: "Environment variable names that must never hold a plain value (Security Hub ECS.8).",
        },
    }),
    validateResource: (args, reportViolation) => {
        if (args.type !== TOKENS.ecsTaskDefinition) {
            return;
        }
        const text = raw(args.props).containerDefinitions;
        if (typeof text !== "string" || isUnknown(text)) {
            return;
        }
        let containers: unknown;
        try {
            containers = JSON.parse(text);
        } catch {
            return; // The provider rejects malformed JSON itself.
        }
        if (!Array.isArray(containers)) {
            return;
        }
        const config = configOf(args, containerDefaults);
        const options = { awsAccessKeyIds: config.detectAwsAccessKeyIds };
        const forbidden = new Set(config.forbiddenEnvironmentNames.map((n) => n.toUpperCase()));
        const fix = "move the value to the container's secrets (valueFrom a Secrets Manager secret ARN under a " +
            "customer-managed KMS key)";
        containers.forEach((container: any, i: number) => {
            if (container === null || typeof container !== "object") {
                return;
            }
            const label = `containerDefinitions[${i}]${typeof container.name === "string" ? ` ("${container.name}")` : ""}`;
            const environment: any[] = Array.isArray(container.environment) ? container.environment : [];
            environment.forEach((variable, j) => {
                const name = typeof variable?.name === "string" ? variable.name : "";
                const path = `${label}.environment[${j}] ${name ? `(${name})` : ""}`.trim();
                if (forbidden.has(name.toUpperCase()) && typeof variable?.value === "string" && variable.value !== "") {
                    reportViolation(`${describeResource(args)} (${args.type}): ${path} is set to a plain value ` +
                        `(value withheld), which puts a credential in the task definition. Fix: ${fix}.`);
                    return;
                }
                const found = scanString(variable?.value, options);
                if (found) {
                    reportViolation(keyMaterialViolation(args, path, found, "is plain text in the task definition", fix));
                }
            });
            for (const [key, value] of Object.entries(container)) {
                // `secrets` holds ARNs, and the environment was checked variable by variable.
                if (key === "secrets" || key === "environment") {
                    continue;
                }
                for (const [path, leaf] of stringLeaves(value, `${label}.${key}`)) {
                    const found = findKeyMaterial(leaf, options);
                    if (found) {
                        reportViolation(keyMaterialViolation(args, path, found, "is plain text in the task definition", fix));
                    }
                }
            }
        });
    },
};

// ------------------------------------------------------------------------------------------------
// no-key-material-in-plaintext-config
// ------------------------------------------------------------------------------------------------

const S3_OBJECT_TYPES = new Set(["aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"]);
const SSM_PARAMETER = "aws:ssm/parameter:Parameter";
const LAMBDA_FUNCTION = "aws:lambda/function:Function";

/** The text of a `StringAsset` as the policy SDK deserializes it (a promise), or a plain `{ text }`. */
async function assetText(source: unknown): Promise<string | undefined> {
    if (source === null || typeof source !== "object") {
        return undefined;
    }
    const text = await (source as { text?: unknown }).text;
    return typeof text === "string" ? text : undefined;
}

export const noKeyMaterialInPlaintextConfig: ResourceValidationPolicy = {
    name: "no-key-material-in-plaintext-config",
    description: "Private keys and credentials must not sit in plain configuration stores: String/StringList " +
        "SSM parameters, S3 object bodies written by the program, or Lambda environment variables are " +
        "not encrypted under a key policy you control and show up in consoles and state.",
    enforcementLevel: "mandatory",
    configSchema: schemaWithDefaults(scanDefaults, scanSchema),
    validateResource: async (args, reportViolation) => {
        const config = configOf(args, scanDefaults);
        const options = { awsAccessKeyIds: config.detectAwsAccessKeyIds };
        const props = raw(args.props);
        const report = (property: string, found: KeyMaterial | undefined, where: string, fix: string) => {
            if (found) {
                reportViolation(keyMaterialViolation(args, property, found, where, fix));
            }
        };
        if (args.type === SSM_PARAMETER) {
            const fix = "store it in Secrets Manager, or at least as a SecureString parameter under a customer-managed KMS key";
            if (isKnown(props.type) && props.type !== "SecureString") {
                report("value", scanString(props.value, options), `is stored as a ${props.type} parameter, in plain text`, fix);
            }
            report("insecureValue", scanString(props.insecureValue, options), "is always stored and shown in plain text", fix);
        } else if (S3_OBJECT_TYPES.has(args.type)) {
            const where = "is written to an S3 object readable by anyone the bucket policy lets in";
            const fix = `do not upload keys to S3; ${FETCH_AT_BOOT}`;
            report("content", scanString(props.content, options), where, fix);
            report("contentBase64", scanBase64(props.contentBase64, options), where, fix);
            if (isKnown(props.source)) {
                const text = await assetText(props.source);
                report("source", text === undefined ? undefined : findKeyMaterial(text, options), where, fix);
            }
        } else if (args.type === LAMBDA_FUNCTION) {
            const variables = isKnown(props.environment) ? props.environment.variables : undefined;
            if (isKnown(variables) && typeof variables === "object") {
                for (const [name, value] of Object.entries(variables)) {
                    report(`environment.variables.${name}`, scanString(value, options),
                        "is plain text to anyone with lambda:GetFunctionConfiguration",
                        "read the key from Secrets Manager at run time (the Parameters and Secrets Lambda extension caches it)");
                }
            }
        }
    },
};

// ------------------------------------------------------------------------------------------------
// no-key-material-in-stack-outputs
// ------------------------------------------------------------------------------------------------

const STACK_TYPE = "pulumi:pulumi:Stack";

interface OutputsConfig extends ScanConfig {
    allowedOutputNames: string[];
}

const outputsDefaults: OutputsConfig = { detectAwsAccessKeyIds: true, allowedOutputNames: [] };

/**
 * `AnalyzeStack` receives every resource's state, and the root `pulumi:pulumi:Stack` resource's
 * state is the stack outputs. The policy SDK unwraps secrets before a policy sees them, so a secret
 * output cannot be told from a plain one: key material in any output is reported. Outputs should
 * carry the Secrets Manager ARN, never the key.
 */
export const noKeyMaterialInStackOutputs: StackValidationPolicy = {
    name: "no-key-material-in-stack-outputs",
    description: "Stack outputs must not carry private keys or credentials: outputs are copied into CI logs, " +
        "StackReferences and `pulumi stack output`; export the Secrets Manager secret ARN instead.",
    enforcementLevel: "mandatory",
    configSchema: schemaWithDefaults(outputsDefaults, {
        ...scanSchema,
        allowedOutputNames: {
            type: "array",
            items: { type: "string" },
            description: "Top-level output names exempted (a reviewed exception, e.g. a secret test-only client key).",
        },
    }),
    validateStack: (args, reportViolation) => {
        const config = configOf(args, outputsDefaults);
        const options = { awsAccessKeyIds: config.detectAwsAccessKeyIds };
        const allowed = new Set(config.allowedOutputNames);
        for (const resource of args.resources) {
            if (resource.type !== STACK_TYPE) {
                continue;
            }
            const outputs = raw(resource.props);
            for (const [name, value] of Object.entries(outputs)) {
                if (allowed.has(name)) {
                    continue;
                }
                for (const [path, leaf] of stringLeaves(value, name)) {
                    const found = findKeyMaterial(leaf, options);
                    if (found) {
                        reportViolation(`${describeResource(resource)} (${STACK_TYPE}): output ${path} contains ` +
                            `${describeKeyMaterial(found)} (value withheld), which copies the key into every ` +
                            `consumer of the stack's outputs, secret or not. Fix: export the Secrets Manager ` +
                            `secret's ARN instead of the key.`, resource.urn);
                    }
                }
            }
        }
    },
};

// ------------------------------------------------------------------------------------------------
// secretsmanager-secret-customer-managed-key
// ------------------------------------------------------------------------------------------------

interface ExemptConfig {
    exemptResourceNames: string[];
}

const exemptDefaults: ExemptConfig = { exemptResourceNames: [] };

/** An AWS managed key is addressed by an `alias/aws/...` alias (bare or as an alias ARN). */
function isAwsManagedKeyReference(keyId: string): boolean {
    return /(^|:)alias\/aws\//i.test(keyId);
}

export const secretsManagerSecretCustomerManagedKey: ResourceValidationPolicy = {
    name: "secretsmanager-secret-customer-managed-key",
    description: "Secrets Manager secrets must be encrypted under a customer-managed KMS key: the default " +
        "aws/secretsmanager key's policy cannot be changed, so every principal with secretsmanager " +
        "access in the account can decrypt, and the key cannot be shared, disabled or audited separately.",
    enforcementLevel: "mandatory",
    configSchema: schemaWithDefaults(exemptDefaults, {
        exemptResourceNames: {
            type: "array",
            items: { type: "string" },
            description: "Logical names of secrets exempted (reviewed exceptions).",
        },
    }),
    validateResource: (args, reportViolation) => {
        if (args.type !== TOKENS.secretsManagerSecret) {
            return;
        }
        const config = configOf(args, exemptDefaults);
        if (config.exemptResourceNames.includes(args.name)) {
            return;
        }
        const keyId = raw(args.props).kmsKeyId;
        if (isUnknown(keyId)) {
            return;
        }
        const fix = "set kmsKeyId to the arn of a customer-managed aws.kms.Key (rotation on) whose key policy " +
            "grants kms:Decrypt only to the roles that read the secret";
        if (!isKnown(keyId) || keyId === "") {
            reportViolation(violation({
                resource: args, property: "kmsKeyId", value: undefined,
                problem: "encrypts the secret under the AWS managed key aws/secretsmanager", fix,
            }));
        } else if (typeof keyId === "string" && isAwsManagedKeyReference(keyId)) {
            reportViolation(violation({
                resource: args, property: "kmsKeyId", value: keyId,
                problem: "names an AWS managed key, whose key policy you cannot restrict", fix,
            }));
        }
    },
};

// ------------------------------------------------------------------------------------------------
// kms-key-rotation-enabled
// ------------------------------------------------------------------------------------------------

interface RotationConfig {
    maxRotationPeriodDays: number;
}

const rotationDefaults: RotationConfig = { maxRotationPeriodDays: 365 };

/**
 * Whether KMS can rotate this key automatically: symmetric encryption keys only, and not in a
 * custom (CloudHSM or external) key store. `false` also while the spec or store is unknown.
 */
function rotatable(props: Record<string, any>): boolean {
    const spec = props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
    const usage = props.keyUsage ?? "ENCRYPT_DECRYPT";
    if (isUnknown(spec) || isUnknown(usage) || isUnknown(props.customKeyStoreId) || isUnknown(props.xksKeyId)) {
        return false;
    }
    return spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT" &&
        !isKnown(props.customKeyStoreId) && !isKnown(props.xksKeyId);
}

export const kmsKeyRotationEnabled: ResourceValidationPolicy = {
    name: "kms-key-rotation-enabled",
    description: "Symmetric customer-managed KMS keys (the ones that protect the certificates' private keys " +
        "in Secrets Manager) must rotate automatically, at least yearly, to bound how much data one key " +
        "version protects. Asymmetric, HMAC and custom-key-store keys cannot rotate and are not checked.",
    enforcementLevel: "mandatory",
    configSchema: schemaWithDefaults(rotationDefaults, {
        maxRotationPeriodDays: {
            type: "integer",
            minimum: 90,
            maximum: 2560,
            description: "Longest accepted rotationPeriodInDays (KMS allows 90-2560; its default is 365).",
        },
    }),
    validateResource: (args, reportViolation) => {
        if (args.type !== TOKENS.kmsKey) {
            return;
        }
        const props = raw(args.props);
        if (!rotatable(props)) {
            return;
        }
        const { maxRotationPeriodDays } = configOf(args, rotationDefaults);
        const enabled = props.enableKeyRotation;
        if (!isUnknown(enabled) && enabled !== true) {
            reportViolation(violation({
                resource: args, property: "enableKeyRotation", value: enabled,
                problem: "leaves the key material unrotated for the key's whole life (the KMS default is false)",
                fix: "set enableKeyRotation to true",
            }));
        }
        const period = props.rotationPeriodInDays;
        if (typeof period === "number" && period > maxRotationPeriodDays) {
            reportViolation(violation({
                resource: args, property: "rotationPeriodInDays", value: period,
                problem: `exceeds the ${maxRotationPeriodDays}-day maximum`,
                fix: `set rotationPeriodInDays to at most ${maxRotationPeriodDays}`,
            }));
        }
    },
    remediateResource: (args) => {
        if (args.type !== TOKENS.kmsKey) {
            return undefined;
        }
        // Writes go through the SDK's proxy so secret-marked properties stay secret.
        const props = raw(args.props);
        if (!rotatable(props)) {
            return undefined;
        }
        const { maxRotationPeriodDays } = configOf(args, rotationDefaults);
        let changed = false;
        if (!isUnknown(props.enableKeyRotation) && props.enableKeyRotation !== true) {
            props.enableKeyRotation = true;
            changed = true;
        }
        if (typeof props.rotationPeriodInDays === "number" && props.rotationPeriodInDays > maxRotationPeriodDays) {
            props.rotationPeriodInDays = maxRotationPeriodDays;
            changed = true;
        }
        return changed ? props : undefined;
    },
};

export const policies: Policies = [
    noKeyMaterialInUserData,
    noKeyMaterialInContainerDefinitions,
    noKeyMaterialInPlaintextConfig,
    noKeyMaterialInStackOutputs,
    secretsManagerSecretCustomerManagedKey,
    kmsKeyRotationEnabled,
];
