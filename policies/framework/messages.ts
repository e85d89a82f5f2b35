/** The one message format every violation of the pack uses. */
import { isUnknown } from "./values";

/** Something a message can name: a type token and a logical name. */
export interface Named {
    readonly type: string;
    readonly name: string;
}

/** `Listener "web-https"`: the last segment of the type token and the logical name. */
export function describeResource(resource: Named): string {
    const short = resource.type.slice(resource.type.lastIndexOf(":") + 1) || resource.type;
    return `${short} "${resource.name}"`;
}

/** How a value reads in a message: JSON for known values, words for absent and unknown ones. */
export function describeValue(value: unknown): string {
    if (value === undefined || value === null) {
        return "not set";
    }
    if (isUnknown(value)) {
        return "unknown until apply";
    }
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The parts of a violation message. */
export interface ViolationParts {
    /** The offending resource. */
    readonly resource: Named;
    /** Property path as written in the program, e.g. `defaultActions[0].redirect.protocol`. */
    readonly property: string;
    /** The bad value as found (`undefined` reads as "not set"). */
    readonly value: unknown;
    /** Why the value is bad, phrased to follow "which", e.g. `allows TLS 1.0`. */
    readonly problem: string;
    /** The fix, as an imperative sentence. */
    readonly fix: string;
}

/**
 * The one violation format of the pack:
 * `Listener "web" (aws:lb/listener:Listener): sslPolicy is "ELBSecurityPolicy-2016-08", which allows TLS 1.0. Fix: set sslPolicy to ….`
 */
export function violation(parts: ViolationParts): string {
    return `${describeResource(parts.resource)} (${parts.resource.type}): ${parts.property} is ` +
        `${describeValue(parts.value)}, which ${parts.problem}. Fix: ${sentence(parts.fix)}`;
}

/** `fix` ending in a full stop. */
export function sentence(fix: string): string {
    return fix.endsWith(".") ? fix : `${fix}.`;
}

/** `"a", "b" or "c"`: a quoted list for messages. */
export function oneOf(values: readonly string[]): string {
    const quoted = values.map((v) => `"${v}"`);
    return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** `ListenerRule "a", RolePolicy "b"`: names for a message. */
export function describeAll(resources: readonly Named[]): string {
    return resources.map((n) => describeResource(n)).join(", ");
}
