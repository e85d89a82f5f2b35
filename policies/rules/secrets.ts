/**
 * Secrets rules: no private key or credential in any plain value of any resource, nor in the
 * stack's outputs.
 *
 * A resource's properties are plain configuration to whoever can describe it (user data through
 * `ec2:DescribeInstanceAttribute` and IMDS, task definitions through `ecs:DescribeTaskDefinition`,
 * tags through `tag:GetResources`) and plain text in the stack's state unless marked secret. A
 * list of the types that carry user data or environment variables passes every type it does not
 * list, so the rule reads every string of every resource, of every provider, tokens it has never
 * heard of included. The only values it leaves alone are those of the fields whose job is to hold
 * a key or credential (../shared/secret-fields.ts), and only while they are marked secret. The
 * stores that hold secrets are kms.ts's.
 */
import { Policies } from "@pulumi/policy";
import { TOKENS } from "../shared/tokens";
import { describeResource, EVERY_RESOURCE, raw, resourceRule, securityHub, sentence, stackRule, strings, wireOf } from "../framework";
import { describeKeyMaterial } from "./key-material-detector";
import { CREDENTIAL_ENVIRONMENT_NAMES } from "./named-credentials";
import { whereabouts } from "./secrets-places";
import { keyMaterialViolation, leafPath, SCAN_PARAMS, scanOptions, scanResource } from "./secrets-scan";

export const noKeyMaterialInPlainValues = resourceRule({
    name: "no-key-material-in-plain-values",
    description: "No property of any resource may carry a private key or credential in a plain value: user data, " +
        "environment variables, container and job definitions, documents, parameters, object bodies and tags are " +
        "readable by whoever can describe the resource (user data also by any software on the instance, unauthenticated: " +
        "EC2 user guide, ec2-instance-metadata.html), and plain text in the stack's " +
        "state unless marked secret. The only exemptions " +
        "are the fields whose job is to hold a key (a Secrets Manager secret value, a SecureString parameter, an " +
        "imported certificate's key, @pulumi/tls keys), and only while the value is marked secret. Environment " +
        "variables named like AWS credentials must hold no plain value (Security Hub ECS.8).",
    enforcementLevel: "mandatory",
    severity: "critical",
    control: securityHub("ECS.8", "Secrets should not be passed as container environment variables"),
    appliesTo: [EVERY_RESOURCE],
    config: {
        ...SCAN_PARAMS,
        // The variables Security Hub ECS.8 looks for.
        forbiddenEnvironmentNames: strings("Environment variable names that must never hold a plain value (Security Hub ECS.8), in any resource's environment.",
            [...CREDENTIAL_ENVIRONMENT_NAMES]),
    },
    check: ({ resource, props, config, reportMessage }) => {
        // Asked for before anything else: the request is known only until the SDK deserializes the next one.
        const wire = wireOf(props);
        const scan = scanResource(resource.type, props, scanOptions(config), wire);
        if (scan.found.length === 0 && scan.environment.length === 0) {
            return; // Most resources: nothing found, no environment variables.
        }
        const forbidden = scan.environment.length === 0 ? undefined : new Set(config.forbiddenEnvironmentNames.map((n) => n.toUpperCase()));
        const credentials = forbidden ? scan.environment.filter((leaf) => forbidden.has(leaf.place.name.toUpperCase()) && leaf.text !== "") : [];
        const named = new Set<unknown>(credentials.map((leaf) => leaf.place));
        for (const leaf of credentials) {
            const { fix } = whereabouts(resource.type, leaf, false, props);
            reportMessage(`${describeResource(resource)} (${resource.type}): ${leafPath(leaf)} is set to a plain value (value withheld), ` +
                `which puts a credential in the resource's configuration. Fix: ${sentence(fix)}`);
        }
        for (const { leaf, found, unmarkedSecretField } of scan.found) {
            if (!named.has(leaf.place)) {
                const { where, fix } = whereabouts(resource.type, leaf, unmarkedSecretField, props);
                reportMessage(keyMaterialViolation(resource, leafPath(leaf), found, where, fix));
            }
        }
    },
});

/**
 * `AnalyzeStack` receives every resource's state, and the root `pulumi:pulumi:Stack` resource's
 * state is the stack outputs. A secret output is still copied to every consumer of the stack's
 * outputs, so key material in any output is reported, secret or not. Outputs should carry the
 * Secrets Manager ARN, never the key.
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
            for (const { leaf, found } of scanResource(TOKENS.stack, raw(resource.props), options).found) {
                if (!allowed.has(leaf.place.field)) {
                    reportMessage(resource, `${describeResource(resource)} (${TOKENS.stack}): output ${leafPath(leaf)} contains ` +
                        `${describeKeyMaterial(found)} (value withheld), which copies the key into every ` +
                        `consumer of the stack's outputs, secret or not. Fix: export the Secrets Manager ` +
                        `secret's ARN instead of the key.`);
                }
            }
        }
    },
});

export const policies: Policies = [
    noKeyMaterialInPlainValues,
    noKeyMaterialInStackOutputs,
];
