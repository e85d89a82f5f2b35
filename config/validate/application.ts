import { describeKeyMaterial, findKeyMaterial } from "../../policies/rules/key-material-detector";
import { CREDENTIAL_ENVIRONMENT_NAMES, findNamedKeyMaterial } from "../../policies/rules/named-credentials";
import { DEMO_IMAGE } from "../../components/compute/backend/demo-app";
import { parseSecretReference, SecretService } from "../../components/compute/secret-references";
import { hasNatRoute, StackConfig } from "../keys";
import { AreaValidator, ConfigError, intIn, key, show, ValidationContext } from "./check";
import { checkImage } from "./compute";

/**
 * Environment variable names: letters, digits and `_`, not starting with a digit, the portable
 * form POSIX gives (XBD 8.1, https://pubs.opengroup.org/onlinepubs/9699919799/basedefs/V1_chap08.html),
 * which a shell can export and every runtime passes on unchanged.
 */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Health-check success codes in the load balancer's matcher syntax: "For Application Load
 * Balancers, you can specify values between 200 and 499 ... multiple values (for example,
 * "200,202") or a range of values (for example, "200-299")"
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html).
 */
const CODE_LIST = /^\d{3}(,\d{3})*$/;
const CODE_RANGE = /^(\d{3})-(\d{3})$/;
const MIN_CODE = 200;
const MAX_CODE = 499;

/**
 * The target group's health-check path: 1 to 1024 characters starting with "/"
 * (terraform-provider-aws internal/service/elbv2/target_group.go, health_check.path:
 * StringLenBetween(1, 1024), StringHasPrefix("/")), a URI, so no spaces or control characters.
 */
const MAX_PATH = 1024;

/**
 * The lowest port the application may listen on. Below 1024 a port needs CAP_NET_BIND_SERVICE
 * (capabilities(7); ip(7), ip_unprivileged_port_start defaults to 1024): the EC2 start command runs
 * as an unprivileged user, and an image's process often does too, so one rule holds in every mode.
 */
const MIN_APP_PORT = 1024;

/** The last word(s) of a name that says its value is secret: DB_PASSWORD, apiToken, STRIPE_API_KEY. */
const SECRET_NOUNS = new Set(["PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "CREDENTIAL", "CREDENTIALS", "APIKEY", "PRIVATEKEY", "SECRETKEY", "ACCESSKEY"]);
const SECRET_KEY_QUALIFIERS = new Set(["API", "PRIVATE", "SECRET", "ACCESS", "AUTH", "SIGNING", "ENCRYPTION", "MASTER", "LICENSE"]);
/** Values that point at a secret rather than hold one: an ARN, an absolute path, a URL without credentials. */
const REFERENCE = /^(arn:|\/|[a-z][a-z0-9+.-]*:\/\/[^@\s]*$)/i;
/** A URL carrying a password: `scheme://user:password@host`. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i;

function words(name: string): string[] {
    return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase().split("_").filter(Boolean);
}

/** Whether a variable's name says it holds a secret: its last word, or last two, name one. */
export function nameSaysSecret(name: string): boolean {
    const w = words(name);
    const last = w[w.length - 1];
    return SECRET_NOUNS.has(last) || (last === "KEY" && w.length > 1 && SECRET_KEY_QUALIFIERS.has(w[w.length - 2]));
}

/**
 * Why a plain environment variable looks like it carries a secret, or undefined: key material or
 * an AWS credential in its value (the policy pack's detector, which the pack's
 * no-key-material-in-plain-values rule applies to every plain value), a credential
 * variable Security Hub ECS.8 names, a URL with a password, or a name that says it is secret with a
 * value that is not a reference.
 */
export function secretShapedValue(name: string, value: string): string | undefined {
    const found = findNamedKeyMaterial(name, value);
    if (found) return `it contains ${describeKeyMaterial(found)}`;
    if (value === "") return undefined;
    if (CREDENTIAL_ENVIRONMENT_NAMES.includes(name.toUpperCase())) return "it is a credential variable (Security Hub ECS.8)";
    if (URL_WITH_PASSWORD.test(value)) return "it is a URL with a password";
    if (nameSaysSecret(name) && !REFERENCE.test(value)) return "its name says it holds a secret";
    return undefined;
}

function checkEnvironmentName(k: "appEnvironment" | "appSecrets", name: string): void {
    if (!ENV_NAME.test(name)) {
        throw new ConfigError(`${key(k)} has the variable name ${show(name)}. Use letters, digits and "_", not starting with a digit (POSIX portable names, which every runtime passes on).`);
    }
}

function checkArgs(k: "appCommand" | "appEntryPoint", args: unknown): void {
    if (!Array.isArray(args) || args.length === 0 || args.some(a => typeof a !== "string")) {
        throw new ConfigError(`${key(k)} is ${show(args)}. Use a non-empty list of strings, e.g. ["node", "server.js"], or leave it unset for the image's own.`);
    }
    for (const a of args as string[]) {
        const found = findKeyMaterial(a);
        if (found || URL_WITH_PASSWORD.test(a) || a.includes("\0")) {
            throw new ConfigError(`${key(k)} has an argument that ${found ? `contains ${describeKeyMaterial(found)}` : a.includes("\0") ? "holds a NUL character" : "is a URL with a password"} (value withheld): the task definition and the launch template are plain text. Put the value in ${key("appSecrets")}.`);
        }
    }
}

function checkSecretReference(name: string, valueFrom: unknown, c: StackConfig, context: ValidationContext): void {
    const ref = typeof valueFrom === "string" ? parseSecretReference(valueFrom) : undefined;
    const example = `"arn:aws:secretsmanager:${context.region ?? "us-east-1"}:123456789012:secret:app/db-AbCdEf" (optionally ":password::" to take one JSON key) or "arn:aws:ssm:${context.region ?? "us-east-1"}:123456789012:parameter/app/db-password"`;
    if (!ref) {
        // Something other than an ARN may be the secret itself, given here by mistake: not echoed.
        const shown = typeof valueFrom === "string" && valueFrom.startsWith("arn:") ? show(valueFrom) : "a value (withheld) that is not an ARN";
        throw new ConfigError(`${key("appSecrets")} has ${name} = ${shown}, which is not the complete ARN of a Secrets Manager secret or an SSM parameter. Use e.g. ${example}.`);
    }
    // config/regions.ts admits commercial Regions only, whose partition is "aws".
    if (ref.partition !== "aws") {
        throw new ConfigError(`${key("appSecrets")} has ${name} = ${show(valueFrom)}, in partition "${ref.partition}". Use an ARN of the stack's partition, "aws".`);
    }
    // Without NAT the tier reaches Secrets Manager and SSM only through interface endpoints, which
    // serve their own Region; with NAT, ECS and the AWS CLI read another Region's by full ARN.
    if (!hasNatRoute(c.natGateways) && context.region !== undefined && ref.region !== context.region) {
        throw new ConfigError(`${key("appSecrets")} has ${name} = ${show(valueFrom)}, in ${ref.region}, which the tier cannot reach with ${key("natGateways")} "none": its VPC endpoints serve ${context.region} only. Use a ${ref.service === SecretService.parameterStore ? "parameter" : "secret"} in ${context.region}, or set natGateways to "single" or "perAz".`);
    }
    if (ref.versionStage !== undefined && ref.versionId !== undefined) {
        throw new ConfigError(`${key("appSecrets")} has ${name} = ${show(valueFrom)}, which names both a version stage and a version id. Name one (GetSecretValue fails when they are different versions).`);
    }
}

/** Whether any application setting besides the port and health check is given. */
function givenApplicationSettings(c: StackConfig): (keyof StackConfig)[] {
    return ([
        ["appCommand", c.appCommand !== undefined],
        ["appEntryPoint", c.appEntryPoint !== undefined],
        ["appEnvironment", Object.keys(c.appEnvironment).length > 0],
        ["appSecrets", Object.keys(c.appSecrets).length > 0],
    ] as const).filter(([, given]) => given).map(([k]) => k);
}

/**
 * The application the tier serves: appImage or appStartCommand (neither: the demo), its command,
 * port, environment, secret references and health check. Runs after the compute validator (it
 * reads compute, natGateways, backendPort and amiId).
 */
export const validateApplication: AreaValidator = (c: StackConfig, context: ValidationContext) => {
    intIn("appPort", c.appPort, MIN_APP_PORT, 65535);
    if (c.appPort === c.backendPort) {
        throw new ConfigError(`${key("appPort")} is ${c.appPort}, the same as ${key("backendPort")}. Use a different port for the application behind the terminator.`);
    }

    if (c.appImage !== undefined && c.appStartCommand !== undefined) {
        throw new ConfigError(`${key("appStartCommand")} is set together with ${key("appImage")} ${show(c.appImage)}. Use one: an image (ECS or EC2), or a start command on your own AMI (EC2 with amiId).`);
    }
    if (c.appImage !== undefined) {
        checkImage("appImage", c.appImage, c, context);
    } else if (c.appStartCommand !== undefined) {
        if (c.compute === "ecs") {
            throw new ConfigError(`${key("appStartCommand")} is set, but ${key("compute")} is "ecs", which runs container images only. Use ${key("appImage")}, or compute "asg" with your AMI in amiId.`);
        }
        if (c.amiId === undefined) {
            throw new ConfigError(`${key("appStartCommand")} is set without ${key("amiId")}: a start command runs an application baked into your AMI, and the default AMI (Amazon Linux 2023) has none. Set amiId to your AMI, or give the application as ${key("appImage")}.`);
        }
        if (c.appStartCommand.trim() === "" || c.appStartCommand.includes("\0")) {
            throw new ConfigError(`${key("appStartCommand")} is ${show(c.appStartCommand)}. Use the shell command that starts your application, e.g. "/opt/app/bin/server --port 8080".`);
        }
        const found = findKeyMaterial(c.appStartCommand);
        if (found || URL_WITH_PASSWORD.test(c.appStartCommand)) {
            throw new ConfigError(`${key("appStartCommand")} ${found ? `contains ${describeKeyMaterial(found)}` : "holds a URL with a password"} (value withheld): the launch template is plain text. Put the value in ${key("appSecrets")} and read it from the environment.`);
        }
    } else {
        const given = givenApplicationSettings(c);
        if (given.length > 0) {
            throw new ConfigError(`${key(given[0])} is set, but no application is: without ${key("appImage")} or ${key("appStartCommand")} the tier runs the demo application, which takes none of it. Set appImage (or appStartCommand with amiId).`);
        }
        if (c.compute === "ecs" && !hasNatRoute(c.natGateways)) {
            throw new ConfigError(`${key("appImage")} is unset, so the ECS tier would run the demo application from ${DEMO_IMAGE}, which ECS cannot pull with ${key("natGateways")} "none". Set appImage to your application's image in your ECR registry of the stack's region, or set natGateways to "single" or "perAz".`);
        }
    }
    if (c.appStartCommand !== undefined && (c.appCommand !== undefined || c.appEntryPoint !== undefined)) {
        throw new ConfigError(`${key(c.appCommand !== undefined ? "appCommand" : "appEntryPoint")} is set with ${key("appStartCommand")}: it is a container setting. Put the whole command in appStartCommand.`);
    }
    if (c.appCommand !== undefined) checkArgs("appCommand", c.appCommand);
    if (c.appEntryPoint !== undefined) checkArgs("appEntryPoint", c.appEntryPoint);

    for (const [name, value] of Object.entries(c.appEnvironment)) {
        checkEnvironmentName("appEnvironment", name);
        if (value.includes("\0")) {
            throw new ConfigError(`${key("appEnvironment")} has ${name} with a NUL character, which no environment can hold.`);
        }
        const why = secretShapedValue(name, value);
        if (why) {
            throw new ConfigError(`${key("appEnvironment")} has ${name}, and ${why} (value withheld): plain variables are plain text in the task definition and the launch template. Store the value in Secrets Manager (or an SSM SecureString) and give its ARN in ${key("appSecrets")}.${name}.`);
        }
    }
    for (const [name, valueFrom] of Object.entries(c.appSecrets)) {
        checkEnvironmentName("appSecrets", name);
        if (name in c.appEnvironment) {
            throw new ConfigError(`${key("appSecrets")} has ${name}, which ${key("appEnvironment")} sets too. Give each variable once.`);
        }
        checkSecretReference(name, valueFrom, c, context);
    }

    if (c.appHealthCheckPath !== undefined) {
        const p = c.appHealthCheckPath;
        if (!p.startsWith("/") || p.length > MAX_PATH || /[\s\u0000-\u001f\u007f]/.test(p)) {
            throw new ConfigError(`${key("appHealthCheckPath")} is ${show(p)}. Use a path that starts with "/", at most ${MAX_PATH} characters without spaces, e.g. "/healthz".`);
        }
    }
    const codes = c.appHealthCheckCodes;
    const range = CODE_RANGE.exec(codes);
    const list = CODE_LIST.test(codes) ? codes.split(",").map(Number) : range ? [Number(range[1]), Number(range[2])] : [];
    if (list.length === 0 || list.some(n => n < MIN_CODE || n > MAX_CODE) || (range && Number(range[1]) >= Number(range[2]))) {
        throw new ConfigError(`${key("appHealthCheckCodes")} is ${show(codes)}. Use HTTP codes from ${MIN_CODE} to ${MAX_CODE} as the load balancer matches them: one ("200"), a list ("200,204") or a range ("200-299").`);
    }
};
