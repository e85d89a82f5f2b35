/**
 * Stacks to run the whole pack over when a change must leave every finding as it was: the
 * benchmark's tier, the fixture tier in each compute mode and family, the same stacks made
 * insecure everywhere at once (so most rules report, several on one resource), their first-preview
 * views, and the adversarial user data. Private keys are generated at run time.
 */
import { generateKeyPairSync } from "crypto";
import { adversarialInputs } from "../../offline/analyzer/adversarial";
import { syntheticStack, TIER_SIZE } from "../../offline/analyzer/bench-stack";
import { ResourceInput } from "../../offline/analyzer/harness";
import { TOKENS } from "../../policies/shared/tokens";
import { FAMILIES } from "./fixtures";
import { asPreview, Compute, toResources, webStack } from "./fixtures-stack";

const WEAK_POLICY = "ELBSecurityPolicy-2016-08";

/** `value` with every TLS setting weakened: HTTPS to HTTP, TLS policies to a TLS 1.0 one, flags off, ports open to the world. */
function weaken(value: unknown, key = ""): unknown {
    if (typeof value === "string") {
        if (/^(HTTPS|TLS)$/.test(value)) return value === "HTTPS" ? "HTTP" : "TCP";
        if (/SecurityPolicy|^TLS_1_2$/.test(value)) return key === "securityPolicy" ? "TLS_1_0" : WEAK_POLICY;
        if (value === "verify") return "off";
        if (value === "redirect-to-https" || value === "https-only") return "allow-all";
        return value;
    }
    if (typeof value === "boolean") return key === "encrypted" || key.startsWith("enable") || key.startsWith("drop") ? false : value;
    if (Array.isArray(value)) return value.map((v) => weaken(v, key));
    if (value && typeof value === "object") {
        const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, weaken(v, k)]));
        if ("cidrIpv4" in out || "referencedSecurityGroupId" in out) {
            delete out.referencedSecurityGroupId;
            out.cidrIpv4 = "0.0.0.0/0";
        }
        return out;
    }
    return value;
}

/** A private key in PEM, generated now (none is committed). */
function pemKey(): string {
    return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

/** The stack with every resource weakened, and the key in the first launch template's user data. */
function insecure(stack: ResourceInput[], key: string): ResourceInput[] {
    let keyed = false;
    return stack.map((r) => {
        const props = weaken(r.props) as Record<string, any>;
        if (!keyed && r.type === TOKENS.launchTemplate) {
            keyed = true;
            props.userData = Buffer.from(`#!/bin/bash\ncat > /etc/pki/key.pem <<'KEY'\n${key}KEY\n`).toString("base64");
        }
        return { ...r, props };
    });
}

/** The corpus, by label. */
export function decodeCorpus(): { label: string; resources: ResourceInput[] }[] {
    const key = pemKey();
    const out: { label: string; resources: ResourceInput[] }[] = [];
    const tiers = syntheticStack((TIER_SIZE.web + TIER_SIZE.newFamilies) * 2);
    out.push({ label: "benchmark tiers", resources: tiers }, { label: "benchmark tiers, insecure", resources: insecure(tiers, key) });
    for (const family of FAMILIES) {
        for (const compute of ["asg", "ecs", "instance"] as Compute[]) {
            const stack = webStack({ family, compute });
            out.push({ label: `fixture ${family}/${compute}`, resources: toResources(stack) });
            out.push({ label: `fixture ${family}/${compute}, first preview`, resources: toResources(asPreview(stack)) });
            out.push({ label: `fixture ${family}/${compute}, insecure`, resources: insecure(toResources(stack), key) });
        }
    }
    const lt = tiers.find((r) => r.type === TOKENS.launchTemplate)!;
    out.push({ label: "adversarial user data", resources: adversarialInputs().map((a, i) => ({ ...lt, name: `adv-${i}`, urn: `${lt.urn}-adv-${i}`, props: { ...lt.props, userData: a.value } })) });
    return out;
}
