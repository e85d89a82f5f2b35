/**
 * The load balancer's rules for mutual-TLS material, as pure checks that return problems (an empty
 * list means compliant). Source: ALB "Mutual authentication with TLS" (certificate requirements,
 * CA bundle format,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html)
 * and the ALB quotas page
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html).
 */
import { x509 } from "../../../offline/engine/x509-build";

/** ALB's hard limit on the client certificate chain, leaf to trust anchor inclusive (our reading). */
export const MAX_CHAIN_DEPTH = 4;
export const MAX_BUNDLE_CERTIFICATES = 25;
export const MAX_CA_CERTIFICATE_BYTES = 16 * 1024;

const HASHES = ["SHA-256", "SHA-384", "SHA-512"];

/** X.509v3; RSA 2048–8192 or ECDSA P-256/P-384/P-521; SHA-256/384/512 signature (RSA, RSA-PSS or ECDSA). */
export function certificateProblems(pem: string, label = "certificate"): string[] {
    const cert = new x509.X509Certificate(pem);
    const problems: string[] = [];
    const version = String((cert.toTextObject() as any).Data?.Version ?? "");
    if (!version.startsWith("v3")) problems.push(`${label} is X.509 ${version || "of unknown version"}, not v3`);
    const key = cert.publicKey.algorithm as any;
    if (key.name === "ECDSA") {
        if (!["P-256", "P-384", "P-521"].includes(key.namedCurve)) problems.push(`${label} has an ECDSA key on ${key.namedCurve}; ALB takes P-256, P-384 or P-521`);
    } else if (key.name === "RSASSA-PKCS1-v1_5" || key.name === "RSA-PSS") {
        if (!(key.modulusLength >= 2048 && key.modulusLength <= 8192)) problems.push(`${label} has a ${key.modulusLength}-bit RSA key; ALB takes 2048 to 8192 bits`);
    } else {
        problems.push(`${label} has a ${key.name} key; ALB takes RSA or ECDSA`);
    }
    const sig = cert.signatureAlgorithm as any;
    const hash = typeof sig.hash === "string" ? sig.hash : sig.hash?.name;
    if (!["ECDSA", "RSASSA-PKCS1-v1_5", "RSA-PSS"].includes(sig.name) || !HASHES.includes(hash)) {
        problems.push(`${label} is signed with ${sig.name}${hash ? `/${hash}` : ""}; ALB takes SHA-256, SHA-384 or SHA-512 with RSA, RSA-PSS or ECDSA`);
    }
    return problems;
}

/** Builds leaf → … → anchor from `leafPem` and the given CA certificates and checks ALB's depth limit. */
export async function chainProblems(leafPem: string, caPems: string[]): Promise<string[]> {
    const builder = new x509.X509ChainBuilder({ certificates: caPems.map(p => new x509.X509Certificate(p)) });
    const chain = await builder.build(new x509.X509Certificate(leafPem));
    const anchor = chain[chain.length - 1];
    const problems: string[] = [];
    if (!(await anchor.isSelfSigned())) problems.push(`the chain from ${chain[0].subject} does not reach a self-signed anchor`);
    if (chain.length > MAX_CHAIN_DEPTH) problems.push(`the chain from ${chain[0].subject} is ${chain.length} certificates deep; ALB allows ${MAX_CHAIN_DEPTH}`);
    return problems;
}

/**
 * The trust-store bundle: PEM CA certificates only, no blank lines, comment lines start with `#`
 * and contain no `-`, at most 25 certificates of at most 16 KB, each a CA certificate.
 */
export function bundleProblems(bundle: string): string[] {
    const problems: string[] = [];
    const lines = bundle.replace(/\n$/, "").split("\n");
    lines.forEach((line, i) => {
        if (line.trim() === "") problems.push(`line ${i + 1} is blank`);
        else if (line.startsWith("#") && line.includes("-")) problems.push(`comment on line ${i + 1} contains "-"`);
        else if (!line.startsWith("#") && /^\s/.test(line)) problems.push(`line ${i + 1} starts with whitespace`);
    });
    const body = lines.filter(l => !l.startsWith("#")).join("\n");
    const blocks = body.match(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g) ?? [];
    const outside = body.replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, "").trim();
    if (outside) problems.push(`text outside PEM blocks: ${JSON.stringify(outside.slice(0, 40))}`);
    if (blocks.length === 0) problems.push("no certificate");
    if (blocks.length > MAX_BUNDLE_CERTIFICATES) problems.push(`${blocks.length} certificates; ALB allows ${MAX_BUNDLE_CERTIFICATES}`);
    blocks.forEach((block, i) => {
        const label = `bundle certificate ${i + 1}`;
        if (!block.startsWith("-----BEGIN CERTIFICATE-----")) {
            problems.push(`${label} is a ${/-----BEGIN ([A-Z ]+)-----/.exec(block)![1]} block`);
            return;
        }
        if (Buffer.byteLength(block) > MAX_CA_CERTIFICATE_BYTES) problems.push(`${label} is larger than 16 KB`);
        const cert = new x509.X509Certificate(block);
        if (cert.getExtension(x509.BasicConstraintsExtension)?.ca !== true) problems.push(`${label} (${cert.subject}) is not a CA certificate`);
        problems.push(...certificateProblems(block, label));
    });
    return problems;
}

/** The PEM certificates in a text, in order. */
export function pemCertificates(text: string): string[] {
    return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map(b => `${b}\n`);
}
