/**
 * How the secrets rules look for key material in property values and report it: the detector of
 * key-material-detector.ts applied to strings, base64 fields and nested objects, and the message
 * that names what was found without quoting it.
 */
import { describeResource, flag, isUnknown, Named } from "../framework";
import { describeKeyMaterial, Inspection, inspectBytes, inspectKeyMaterial, KeyMaterial, ScanOptions, secretAccessKeyUnder } from "./key-material-detector";

/** The config key every scanning rule has. */
export const SCAN_PARAMS = {
    detectAwsAccessKeyIds: flag(true, "Also report AWS access key IDs (AKIA…/ASIA…), which come with a secret access key."),
};

/** Scan options of a scanning rule's config. */
export function scanOptions(config: { detectAwsAccessKeyIds: boolean }): ScanOptions {
    return { awsAccessKeyIds: config.detectAwsAccessKeyIds };
}

/**
 * The pack's violation shape for found key material. The value is never quoted: a diagnostic ends
 * up in CI logs, and quoting the key there would leak it a second time.
 */
export function keyMaterialViolation(resource: Named, property: string, found: KeyMaterial, where: string, fix: string): string {
    return `${describeResource(resource)} (${resource.type}): ${property} contains ${describeKeyMaterial(found)} ` +
        `(value withheld), which ${where}. Fix: ${fix}`;
}

// Values shorter than this decode nothing (the detector's base64 runs are 60 characters or more),
// so they cannot exhaust a budget and are not worth remembering.
const REMEMBERED_LENGTH = 60;
const REMEMBERED = 64;
const inspections = [new Map<string, Inspection>(), new Map<string, Inspection>()];

/**
 * The detector's inspection of `text`, remembered for the last few long values: the scanning
 * rules and key-material-inspection-complete look at the same values, and a value at the budget
 * should cost its budget once, not once per policy.
 */
export function inspectText(text: string, options: ScanOptions): Inspection {
    if (text.length < REMEMBERED_LENGTH) {
        return inspectKeyMaterial(text, options);
    }
    const memo = inspections[options.awsAccessKeyIds ? 1 : 0];
    let inspection = memo.get(text);
    if (!inspection) {
        if (memo.size >= REMEMBERED) {
            memo.clear();
        }
        inspection = inspectKeyMaterial(text, options);
        memo.set(text, inspection);
    }
    return inspection;
}

export function scanString(value: unknown, options: ScanOptions): KeyMaterial | undefined {
    return typeof value === "string" && !isUnknown(value) ? inspectText(value, options).found : undefined;
}

/** A base64 field: decoded as a whole first, then read as text (scripts with base64 inside). */
export function inspectBase64(value: string, options: ScanOptions): Inspection {
    const decoded = inspectBytes(Buffer.from(value.replace(/\s+/g, ""), "base64"), options, ["base64"], 1);
    if (decoded.found) {
        return decoded;
    }
    const text = inspectText(value, options);
    return text.found || text.incomplete ? text : decoded;
}

/**
 * {@link scanString} for a value stored under `name` (an environment variable, a map key): a
 * secret access key held by a key-like name (`AWS_SECRET_ACCESS_KEY`, `secretAccessKey`) is found
 * even though the name is not part of the text.
 */
export function scanNamed(name: string, value: unknown, options: ScanOptions): KeyMaterial | undefined {
    const named = typeof value === "string" && !isUnknown(value) ? secretAccessKeyUnder(name, value) : undefined;
    return named ?? scanString(value, options);
}

export function scanBase64(value: unknown, options: ScanOptions): KeyMaterial | undefined {
    return typeof value === "string" && !isUnknown(value) ? inspectBase64(value, options).found : undefined;
}

/** Every string leaf of `value` with its path (`a.b[0].c`), skipping unknowns. */
export function* stringLeaves(value: unknown, path: string): Generator<[string, string]> {
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

export const FETCH_AT_BOOT = "store the key in a Secrets Manager secret under a customer-managed KMS key and fetch it " +
    "at boot with the instance role (aws secretsmanager get-secret-value)";
