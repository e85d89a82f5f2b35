/**
 * How the secrets rules look for key material in a resource: every string the walk of
 * ./plain-values.ts finds, inspected by the detector of ./key-material-detector.ts within one
 * allowance per resource, secret-holding fields marked secret left out (../shared/secret-fields.ts);
 * and the message that names what was found without quoting it. One scan per resource and options
 * serves both rules that read it (the finding and the inspection rule).
 */
import { describeResource, flag, Named, sentence, WireReader } from "../framework";
import { holdsSecret } from "../shared/secret-fields";
import { Allowance, describeKeyMaterial, Inspection, inspectKeyMaterial, KeyMaterial, mayHoldKeyMaterial, MIN_KEY_TEXT, resourceAllowance, ScanOptions } from "./key-material-detector";
import { SECRET_ACCESS_KEY_VALUE, secretAccessKeyUnder } from "./named-credentials";
import { MIN_RUN } from "./key-material-encodings";
import { pathOf, Place, walkStrings, wirePathOf } from "./plain-values";

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
        `(value withheld), which ${where}. Fix: ${sentence(fix)}`;
}

const REMEMBERED = 64;
const inspections = [new Map<string, Inspection>(), new Map<string, Inspection>()];

/**
 * The detector's inspection of `text`, remembered for the last few long values: the same user
 * data on a hundred launch templates costs its budget once. An inspection the resource's
 * allowance cut short is not remembered: it says nothing about the value on another resource.
 */
export function inspectText(text: string, options: ScanOptions, allowance?: Allowance): Inspection {
    if (text.length < MIN_RUN) {
        return inspectKeyMaterial(text, options, undefined, allowance);
    }
    const memo = inspections[options.awsAccessKeyIds ? 1 : 0];
    let inspection = memo.get(text);
    if (!inspection) {
        inspection = inspectKeyMaterial(text, options, undefined, allowance);
        if (!inspection.allowanceSpent) {
            if (memo.size >= REMEMBERED) {
                memo.clear();
            }
            memo.set(text, inspection);
        }
    }
    return inspection;
}

/** One string of a resource's properties, as a finding names it. */
export interface Leaf {
    readonly place: Place;
    readonly text: string;
    /** True for a map key rather than a value. */
    readonly isKey: boolean;
}

/** `containerDefinitions[0] ("nginx").environment[1] (TLS_KEY)`; a key's path says it is a key and withholds it. */
export function leafPath(leaf: Leaf): string {
    return leaf.isKey ? `${pathOf(leaf.place)} (a key)` : pathOf(leaf.place);
}

/** A value of a resource that holds key material. */
export interface Found {
    readonly leaf: Leaf;
    readonly found: KeyMaterial;
    /** True when the value sits in a field whose job is to hold a secret, but is not marked secret. */
    readonly unmarkedSecretField: boolean;
}

/** A value of a resource the detector could not read to the end, and why. */
export interface Unread {
    readonly leaf: Leaf;
    readonly reason: string;
}

/** What a scan of one resource found. */
export interface ResourceScan {
    readonly found: readonly Found[];
    readonly unread: readonly Unread[];
    /** Values in environment variables, under a name, whatever they hold (for names that must hold no plain value). */
    readonly environment: readonly Leaf[];
}

/** The last resource scanned: the rules that read the same resource run one after the other. */
let lastScan: { key: object; bySlot: ResourceScan[] } | undefined;

/**
 * Scans every plain string of a resource of `token` whose properties the SDK deserialized as
 * `props`; `wire` reads the request they came from (absent outside the SDK's server, where
 * nothing counts as marked secret). A value in a secret-holding field is left out when it is
 * marked secret, and while whether the field holds a secret is unknown (an SSM parameter whose
 * type is unknown in preview). One scan per request and options, whichever rule asks first.
 */
export function scanResource(token: string, props: Record<string, unknown>, options: ScanOptions, wire?: WireReader): ResourceScan {
    const key = wire?.request ?? props;
    const slot = options.awsAccessKeyIds ? 1 : 0;
    const cached = lastScan?.key === key ? lastScan.bySlot[slot] : undefined;
    if (cached) {
        return cached;
    }
    const found: Found[] = [];
    const unread: Unread[] = [];
    const environment: Leaf[] = [];
    let allowance: Allowance | undefined;
    const holdsSecretAt = (place: Place) => holdsSecret(token, place.field, props);
    walkStrings(props, (place, text, isKey) => {
        if (place.env && !isKey && place.kind !== "item") {
            environment.push({ place, text, isKey });
        }
        const named = isKey ? undefined : (place.name === undefined ? undefined : secretAccessKeyUnder(place.name, text));
        if (!named && !mayHoldKeyMaterial(text)) {
            return;
        }
        const inspection: Partial<Inspection> = named ? { found: named } : inspectText(text, options, (allowance ??= resourceAllowance()));
        if (!inspection.found && !inspection.incomplete) {
            return;
        }
        const secretField = holdsSecretAt(place);
        if (secretField === undefined || (secretField && wire?.at(wirePathOf(place))?.secret)) {
            return;
        }
        const leaf = { place, text, isKey };
        if (inspection.found) {
            found.push({ leaf, found: inspection.found, unmarkedSecretField: secretField });
        } else {
            unread.push({ leaf, reason: inspection.incomplete! });
        }
    }, worthVisiting, (place) => wire?.at(wirePathOf(place))?.value, MIN_KEY_TEXT);
    const scan = { found, unread, environment: environment.length === 0 ? environment : environment.filter((leaf) => holdsSecretAt(leaf.place) === false) };
    if (lastScan?.key !== key) {
        lastScan = { key, bySlot: [] };
    }
    lastScan.bySlot[slot] = scan;
    return scan;
}

/**
 * A string the scan looks at: an environment variable's value, or text that may hold key material
 * (never shorter than {@link MIN_KEY_TEXT}: the shortest thing the detector finds, and shorter than
 * a secret access key).
 */
function worthVisiting(text: string, env: boolean): boolean {
    return env || mayHoldKeyMaterial(text) || (text.length >= 40 && SECRET_ACCESS_KEY_VALUE.test(text.trim()));
}

export const FETCH_AT_BOOT = "store the key in a Secrets Manager secret under a customer-managed KMS key and fetch it " +
    "at boot with the instance role (aws secretsmanager get-secret-value)";
