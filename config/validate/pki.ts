import * as fs from "fs";
import * as path from "path";
import { inspectCsr } from "../../components/pki/csr";
import { MAX_SERIAL_DIGITS, parseSerial } from "../../components/pki/serial";
import { PKIS, StackConfig } from "../keys";
import { AreaValidator, ConfigError, HOSTNAME, intIn, key, MAX_COMMON_NAME, oneOf, show } from "./check";

/**
 * Leaf certificates live at most 90 days: short-lived keys are the point when renewal is automatic,
 * and it is the policy pack's default limit (certificate-validity-bounded), so a valid config is
 * never refused by the pack.
 */
const MAX_LEAF_HOURS = 90 * 24;
/** Ten years, within the pack's CA limit. */
const MAX_CA_HOURS = 10 * 365 * 24;
/** The pack's minimum renewal window (tls-certificate-early-renewal-window): a day to notice a failed renewal. */
const MIN_RENEWAL_HOURS = 24;

/** Client names: what mtlsClients takes, and so what a CSR's common name must be. */
const CLIENT_NAME = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * The CA and the certificates it signs: pki, backendDnsName, mtlsClients, mtlsClientCsrs,
 * revokedSerials, the CA generations and the validity windows. Runs after the edge validator (it reads mtlsMode). Normalises revokedSerials.
 */
export const validatePki: AreaValidator = (c: StackConfig) => {
    oneOf("pki", c.pki, PKIS);
    if (!HOSTNAME.test(c.backendDnsName)) {
        throw new ConfigError(`${key("backendDnsName")} is ${show(c.backendDnsName)}. Use a lower-case DNS name such as "backend.e2e-tls.internal".`);
    }
    // It is the backend certificate's common name too.
    if (c.backendDnsName.length > MAX_COMMON_NAME) {
        throw new ConfigError(`${key("backendDnsName")} is ${show(c.backendDnsName)}, ${c.backendDnsName.length} characters: it is the backend certificate's common name, which RFC 5280 bounds at ${MAX_COMMON_NAME}. Use a name of at most ${MAX_COMMON_NAME} characters.`);
    }

    const seen = new Set<string>();
    for (const name of c.mtlsClients) {
        if (typeof name !== "string" || !CLIENT_NAME.test(name) || seen.has(name)) {
            throw new ConfigError(`${key("mtlsClients")} has ${show(name)}. Use unique names of lower-case letters, digits and hyphens, at most 32 characters.`);
        }
        seen.add(name);
    }
    const mtlsClientCsrs = validateClientCsrs(c);
    if (c.mtlsMode === "verify" && c.mtlsClients.length === 0 && mtlsClientCsrs.length === 0) {
        throw new ConfigError(`${key("mtlsClients")} is empty while ${key("mtlsMode")} is "verify": no client could connect. Name at least one client, or use mtlsMode "off".`);
    }

    const revokedSerials = c.revokedSerials.map(written => {
        const parsed = parseSerial(written);
        if ("serial" in parsed) return parsed.serial;
        const why = parsed.problem === "too-long"
            ? `, over ${MAX_SERIAL_DIGITS} hexadecimal digits: RFC 5280 caps a serial number at 20 octets`
            : "";
        throw new ConfigError(`${key("revokedSerials")} has ${show(written)}${why}. Use certificate serial numbers in hexadecimal, as \`openssl x509 -noout -serial\` or the clientCertificateSerials output shows them.`);
    });
    if (revokedSerials.length > 0 && (c.mtlsMode !== "verify" || c.pki !== "self-managed")) {
        throw new ConfigError(`${key("revokedSerials")} is set while ${key("mtlsMode")} is ${show(c.mtlsMode)} and ${key("pki")} is ${show(c.pki)}. The stack publishes a revocation list only with mtlsMode "verify" and pki "self-managed": AWS Private CA keeps its key and writes its own CRLs, DER, to S3, so the stack cannot sign one. With aws-private-ca, cut clients off by raising ${key("caGeneration")} without a retiring generation, or revoke by hand (docs/operations.md, Revocation).`);
    }

    intIn("certValidityHours", c.certValidityHours, 24, MAX_LEAF_HOURS);
    if (!Number.isInteger(c.certEarlyRenewalHours) || c.certEarlyRenewalHours < MIN_RENEWAL_HOURS || c.certEarlyRenewalHours >= c.certValidityHours) {
        const why = c.certEarlyRenewalHours >= c.certValidityHours ? `, which is not shorter than ${key("certValidityHours")} ${c.certValidityHours}` : "";
        throw new ConfigError(`${key("certEarlyRenewalHours")} is ${show(c.certEarlyRenewalHours)}${why}. Use a whole number from ${MIN_RENEWAL_HOURS} to ${c.certValidityHours - 1}.`);
    }
    if (!Number.isInteger(c.caValidityHours) || c.caValidityHours < 2 * c.certValidityHours || c.caValidityHours > MAX_CA_HOURS) {
        throw new ConfigError(`${key("caValidityHours")} is ${show(c.caValidityHours)}. Use a whole number from ${2 * c.certValidityHours} (twice certValidityHours) to ${MAX_CA_HOURS}.`);
    }
    validateCaGenerations(c);
    return { revokedSerials, mtlsClientCsrs };
};

/**
 * A rotation keeps two CAs at most: the one that signs (caGeneration) and the one before it, still
 * trusted (retiringCaGeneration). Only the previous generation is in the stack's state, so an
 * older one would be a new, empty CA that no client holds a certificate of.
 */
function validateCaGenerations(c: StackConfig): void {
    intIn("caGeneration", c.caGeneration, 1, 999);
    if (c.retiringCaGeneration !== undefined && c.retiringCaGeneration !== c.caGeneration - 1) {
        const allowed = c.caGeneration > 1 ? `${c.caGeneration - 1} (the generation before caGeneration ${c.caGeneration}) or unset` : "unset: caGeneration is 1, there is no older CA";
        throw new ConfigError(`${key("retiringCaGeneration")} is ${show(c.retiringCaGeneration)}. Use ${allowed}.`);
    }
}

/**
 * Reads `mtlsClientCsrs` (PEM text, or a path relative to the project folder, which is the
 * program's working directory under the Pulumi CLI) and checks every request. Returns the requests
 * as PEM. Names must not repeat across mtlsClients and the CSRs: one client, one certificate.
 */
function validateClientCsrs(c: StackConfig, projectDir: string = process.cwd()): string[] {
    const names = new Set(c.mtlsClients);
    return c.mtlsClientCsrs.map(entry => {
        const pem = typeof entry === "string" && !entry.includes("-----BEGIN") ? readCsrFile(entry, projectDir) : entry;
        const inspected = inspectCsr(pem);
        if ("problem" in inspected) {
            throw new ConfigError(`${key("mtlsClientCsrs")} has a request that ${inspected.problem}${typeof entry === "string" && pem !== entry ? ` (file ${show(entry)})` : ""}. Use a PEM CSR of the client's own key, e.g. \`openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key -subj /CN=<name> -out client.csr\`.`);
        }
        const name = inspected.csr.commonName;
        if (!CLIENT_NAME.test(name) || names.has(name)) {
            throw new ConfigError(`${key("mtlsClientCsrs")} has a request for ${show(name)}. Its common name is the client's name: use unique names (across mtlsClients and mtlsClientCsrs) of lower-case letters, digits and hyphens, at most 32 characters.`);
        }
        names.add(name);
        return inspected.csr.pem;
    });
}

function readCsrFile(file: string, projectDir: string): string {
    const full = path.resolve(projectDir, file);
    if (path.isAbsolute(file) || path.relative(projectDir, full).startsWith("..")) {
        throw new ConfigError(`${key("mtlsClientCsrs")} has ${show(file)}, outside the project. Use a path relative to the project folder, e.g. "partners/partner-c.csr", or the PEM itself.`);
    }
    try {
        return fs.readFileSync(full, "utf8");
    } catch {
        throw new ConfigError(`${key("mtlsClientCsrs")} has ${show(file)}, which is neither a PEM CSR nor a readable file in the project. Use a path relative to the project folder, or the PEM itself.`);
    }
}
