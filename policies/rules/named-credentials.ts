/**
 * Credentials recognised by the name they are stored under as well as by their text: what the
 * policy pack's key-material scan and the program's config validation (an application's plain
 * environment) both ask of a named value.
 */
import { DEFAULT_SCAN, findKeyMaterial, KeyMaterial, ScanOptions } from "./key-material-detector";

/** A name that holds a secret access key (an environment variable or a map key). */
export const SECRET_ACCESS_KEY_NAME = /^(?:aws[_-]?secret[_-]?(?:access[_-]?)?key|secret[_-]?access[_-]?key)$/i;
/** The shape of a secret access key value. */
export const SECRET_ACCESS_KEY_VALUE = /^[A-Za-z0-9/+]{40}$/;
/**
 * Environment variable names that hold a credential whenever they hold a value: the variables
 * AWS Security Hub control ECS.8 looks for in container definitions
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-8).
 */
export const CREDENTIAL_ENVIRONMENT_NAMES: readonly string[] = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"];

/** A secret access key by its name and shape: a key-like `name` holding 40 base64 characters. */
export function secretAccessKeyUnder(name: string, text: string): KeyMaterial | undefined {
    return SECRET_ACCESS_KEY_NAME.test(name) && SECRET_ACCESS_KEY_VALUE.test(text.trim())
        ? { kind: "an AWS secret access key", wrappedIn: [] }
        : undefined;
}

/**
 * {@link findKeyMaterial} of a value stored under `name` (an environment variable, a map key): a
 * secret access key held by a key-like name (`AWS_SECRET_ACCESS_KEY`, `secretAccessKey`) is found
 * even though the name is not part of the text.
 */
export function findNamedKeyMaterial(name: string, text: string, options: ScanOptions = DEFAULT_SCAN): KeyMaterial | undefined {
    return secretAccessKeyUnder(name, text) ?? findKeyMaterial(text, options);
}
