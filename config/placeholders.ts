/**
 * Values that only stand in for the real thing: reserved documentation names and made-up hosted
 * zone ids. A real `pulumi preview`/`up` refuses them before any resource is registered (a deploy
 * with them creates a Private CA, about $400 a month, and then fails at Route 53); the offline
 * preview reports them as warnings so the committed Pulumi.prod.yaml keeps running.
 */

/**
 * Second-level names reserved for documentation by RFC 2606 section 3
 * (https://www.rfc-editor.org/rfc/rfc2606#section-3): nobody can own them or their subdomains.
 */
const RESERVED_SECOND_LEVEL = ["example.com", "example.net", "example.org"] as const;

/**
 * Top-level names reserved by RFC 2606 section 2 and RFC 6761 section 6
 * (https://www.rfc-editor.org/rfc/rfc6761#section-6): never delegated in the public DNS, so ACM
 * cannot validate them and Route 53 cannot serve them publicly.
 */
const RESERVED_TLDS = ["example", "test", "invalid", "localhost"] as const;

/** Runs of characters only a hand-typed stand-in carries (the committed one is "Z0123456789EXAMPLE"). */
const PLACEHOLDER_ZONE = /EXAMPLE|0123456789|ABCDEFGH/i;

/** The reserved name `domain` falls under, or undefined when it is an ordinary name. */
export function reservedDomain(domain: string): string | undefined {
    const name = domain.toLowerCase().replace(/\.$/, "");
    const tld = name.split(".").pop() ?? "";
    if ((RESERVED_TLDS as readonly string[]).includes(tld)) return `.${tld}`;
    return RESERVED_SECOND_LEVEL.find(r => name === r || name.endsWith(`.${r}`));
}

/** True for a hosted zone id that is a written-out stand-in rather than one Route 53 assigned. */
export function isPlaceholderZoneId(id: string): boolean {
    return PLACEHOLDER_ZONE.test(id);
}

export interface Placeholder {
    /** Config key, without the namespace. */
    readonly key: "domainName" | "hostedZoneId" | "alertTarget";
    readonly value: string;
    /** Why it cannot be deployed and what to do, without the key and value. */
    readonly why: string;
}

/** The placeholders among the public-DNS settings; empty when both are real (or unset). */
export function findPlaceholders(c: { readonly domainName?: string; readonly hostedZoneId?: string; readonly alertTarget?: string }): Placeholder[] {
    const found: Placeholder[] = [];
    const reserved = c.domainName === undefined ? undefined : reservedDomain(c.domainName);
    if (c.domainName !== undefined && reserved !== undefined) {
        found.push({
            key: "domainName", value: c.domainName,
            why: `a name under ${reserved}, which RFC 2606/6761 reserve: nobody can own it, so ACM could not validate a certificate for it. Use a name in a zone you control, or unset domainName and hostedZoneId to serve the load balancer's own DNS name`,
        });
    }
    if (c.hostedZoneId !== undefined && isPlaceholderZoneId(c.hostedZoneId)) {
        found.push({
            key: "hostedZoneId", value: c.hostedZoneId,
            why: "a placeholder, not an id Route 53 assigned. Use the id of the public hosted zone that serves domainName (aws route53 list-hosted-zones-by-name --dns-name <domain>)",
        });
    }
    const mailDomain = c.alertTarget?.includes("@") ? reservedDomain(c.alertTarget.split("@").pop() ?? "") : undefined;
    if (c.alertTarget !== undefined && mailDomain !== undefined) {
        found.push({
            key: "alertTarget", value: c.alertTarget,
            why: `an address under ${mailDomain}, which RFC 2606/6761 reserve: no one receives mail there, so no one would confirm the subscription or hear of an expiring certificate. Use an address your on-call team reads, or an SNS topic ARN`,
        });
    }
    return found;
}
