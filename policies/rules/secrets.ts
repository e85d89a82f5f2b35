/**
 * Secrets rules: no private key (or credential) in places AWS treats as plain configuration.
 *
 * User data is readable by anyone with `ec2:DescribeInstanceAttribute` / `ec2:DescribeLaunchTemplateVersions`
 * and by every process on the instance through IMDS; ECS container definitions by anyone with
 * `ecs:DescribeTaskDefinition`; `String` SSM parameters, S3 object bodies and Lambda environment
 * variables are not secrets either. The key belongs in Secrets Manager (or a SecureString), fetched
 * at boot by the instance role. The stores that do hold secrets are kms.ts's.
 */
import { Policies } from "@pulumi/policy";
import { TOKENS } from "../shared/tokens";
import { describeResource, isKnown, isUnknown, raw, resourceRule, securityHub, stackRule, strings } from "../framework";
import { CREDENTIAL_ENVIRONMENT_NAMES, describeKeyMaterial, findKeyMaterial, KeyMaterial } from "./key-material-detector";
import { FETCH_AT_BOOT, keyMaterialViolation, SCAN_PARAMS, scanBase64, scanNamed, scanOptions, scanString, stringLeaves } from "./secrets-scan";

const userDataFields: Record<string, { field: string; base64: boolean }[]> = {
    [TOKENS.launchTemplate]: [{ field: "userData", base64: true }],
    [TOKENS.instance]: [{ field: "userData", base64: false }, { field: "userDataBase64", base64: true }],
    [TOKENS.launchConfiguration]: [{ field: "userData", base64: false }, { field: "userDataBase64", base64: true }],
};

/** The types whose user data no-key-material-in-user-data scans. */
export const USER_DATA_TYPES = Object.keys(userDataFields);
/** The plain configuration stores no-key-material-in-plaintext-config scans. */
export const PLAINTEXT_CONFIG_TYPES = [TOKENS.ssmParameter, TOKENS.s3BucketObject, TOKENS.s3BucketObjectV2, TOKENS.lambdaFunction];

export const noKeyMaterialInUserData = resourceRule({
    name: "no-key-material-in-user-data",
    description: "EC2 user data must not carry private keys or credentials: anyone who can describe the " +
        "instance or launch template, and every process on the instance (through IMDS), can read it.",
    enforcementLevel: "mandatory",
    severity: "critical",
    appliesTo: USER_DATA_TYPES,
    config: SCAN_PARAMS,
    check: ({ resource, props, config, reportMessage, ownPath }) => {
        const options = scanOptions(config);
        for (const { field, base64 } of userDataFields[resource.type]) {
            const found = base64 ? scanBase64(props[field], options) : scanString(props[field], options);
            if (found) {
                reportMessage(keyMaterialViolation(resource, ownPath(field), found,
                    "is readable through the EC2 API and from IMDS on the instance", `remove it and ${FETCH_AT_BOOT}`));
            }
        }
    },
});

const CONTAINER_FIX = "move the value to the container's secrets (valueFrom a Secrets Manager secret ARN under a customer-managed KMS key)";

export const noKeyMaterialInContainerDefinitions = resourceRule({
    name: "no-key-material-in-container-definitions",
    description: "ECS container definitions must not carry private keys or credentials in environment " +
        "variables, commands or labels: the task definition is plain text to anyone with " +
        "ecs:DescribeTaskDefinition. Use the container's `secrets` (valueFrom a Secrets Manager ARN).",
    enforcementLevel: "mandatory",
    severity: "critical",
    control: securityHub("ECS.8", "Secrets should not be passed as container environment variables"),
    appliesTo: [TOKENS.ecsTaskDefinition],
    config: {
        ...SCAN_PARAMS,
        // The variables Security Hub ECS.8 looks for.
        forbiddenEnvironmentNames: strings("Environment variable names that must never hold a plain value (Security Hub ECS.8).",
            [...CREDENTIAL_ENVIRONMENT_NAMES]),
    },
    check: ({ resource, props, config, reportMessage }) => {
        const text = props.containerDefinitions;
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
        const options = scanOptions(config);
        const forbidden = new Set(config.forbiddenEnvironmentNames.map((n) => n.toUpperCase()));
        const leak = (path: string, found: KeyMaterial | undefined) =>
            found && reportMessage(keyMaterialViolation(resource, path, found, "is plain text in the task definition", CONTAINER_FIX));
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
                    reportMessage(`${describeResource(resource)} (${resource.type}): ${path} is set to a plain value ` +
                        `(value withheld), which puts a credential in the task definition. Fix: ${CONTAINER_FIX}.`);
                    return;
                }
                leak(path, scanNamed(name, variable?.value, options));
            });
            for (const [key, value] of Object.entries(container)) {
                // `secrets` holds ARNs, and the environment was checked variable by variable.
                if (key !== "secrets" && key !== "environment") {
                    for (const [path, leaf] of stringLeaves(value, `${label}.${key}`)) {
                        leak(path, findKeyMaterial(leaf, options));
                    }
                }
            }
        });
    },
});

/** The text of a `StringAsset` as the policy SDK deserializes it (a promise), or a plain `{ text }`. */
async function assetText(source: unknown): Promise<string | undefined> {
    if (source === null || typeof source !== "object") {
        return undefined;
    }
    const text = await (source as { text?: unknown }).text;
    return typeof text === "string" ? text : undefined;
}

export const noKeyMaterialInPlaintextConfig = resourceRule({
    name: "no-key-material-in-plaintext-config",
    description: "Private keys and credentials must not sit in plain configuration stores: String/StringList " +
        "SSM parameters, S3 object bodies written by the program, or Lambda environment variables are " +
        "not encrypted under a key policy you control and show up in consoles and state.",
    enforcementLevel: "mandatory",
    severity: "critical",
    appliesTo: PLAINTEXT_CONFIG_TYPES,
    config: SCAN_PARAMS,
    check: async ({ resource, props, config, reportMessage }) => {
        const options = scanOptions(config);
        const report = (property: string, found: KeyMaterial | undefined, where: string, fix: string) => {
            if (found) {
                reportMessage(keyMaterialViolation(resource, property, found, where, fix));
            }
        };
        if (resource.type === TOKENS.ssmParameter) {
            const fix = "store it in Secrets Manager, or at least as a SecureString parameter under a customer-managed KMS key";
            if (isKnown(props.type) && props.type !== "SecureString") {
                report("value", scanString(props.value, options), `is stored as a ${props.type} parameter, in plain text`, fix);
            }
            report("insecureValue", scanString(props.insecureValue, options), "is always stored and shown in plain text", fix);
        } else if (resource.type === TOKENS.lambdaFunction) {
            const variables = isKnown(props.environment) ? props.environment.variables : undefined;
            if (isKnown(variables) && typeof variables === "object") {
                for (const [name, value] of Object.entries(variables)) {
                    report(`environment.variables.${name}`, scanNamed(name, value, options),
                        "is plain text to anyone with lambda:GetFunctionConfiguration",
                        "read the key from Secrets Manager at run time (the Parameters and Secrets Lambda extension caches it)");
                }
            }
        } else {
            const where = "is written to an S3 object readable by anyone the bucket policy lets in";
            const fix = `do not upload keys to S3; ${FETCH_AT_BOOT}`;
            report("content", scanString(props.content, options), where, fix);
            report("contentBase64", scanBase64(props.contentBase64, options), where, fix);
            if (isKnown(props.source)) {
                const text = await assetText(props.source);
                report("source", text === undefined ? undefined : findKeyMaterial(text, options), where, fix);
            }
        }
    },
});

/**
 * `AnalyzeStack` receives every resource's state, and the root `pulumi:pulumi:Stack` resource's
 * state is the stack outputs. The policy SDK unwraps secrets before a policy sees them, so a secret
 * output cannot be told from a plain one: key material in any output is reported. Outputs should
 * carry the Secrets Manager ARN, never the key.
 */
export const noKeyMaterialInStackOutputs = stackRule({
    name: "no-key-material-in-stack-outputs",
    description: "Stack outputs must not carry private keys or credentials: outputs are copied into CI logs, " +
        "StackReferences and `pulumi stack output`; export the Secrets Manager secret ARN instead.",
    enforcementLevel: "mandatory",
    severity: "critical",
    reads: [TOKENS.stack],
    config: {
        ...SCAN_PARAMS,
        allowedOutputNames: strings("Top-level output names exempted (a reviewed exception, e.g. a secret test-only client key)."),
    },
    check: ({ resources, config, reportMessage }) => {
        const options = scanOptions(config);
        const allowed = new Set(config.allowedOutputNames);
        for (const resource of resources.filter((r) => r.type === TOKENS.stack)) {
            for (const [name, value] of Object.entries(raw(resource.props))) {
                if (allowed.has(name)) {
                    continue;
                }
                for (const [path, leaf] of stringLeaves(value, name)) {
                    const found = scanNamed(path.split(/[.[]/).pop() ?? path, leaf, options);
                    if (found) {
                        reportMessage(resource, `${describeResource(resource)} (${TOKENS.stack}): output ${path} contains ` +
                            `${describeKeyMaterial(found)} (value withheld), which copies the key into every ` +
                            `consumer of the stack's outputs, secret or not. Fix: export the Secrets Manager ` +
                            `secret's ARN instead of the key.`);
                    }
                }
            }
        }
    },
});

export const policies: Policies = [
    noKeyMaterialInUserData,
    noKeyMaterialInContainerDefinitions,
    noKeyMaterialInPlaintextConfig,
    noKeyMaterialInStackOutputs,
];
