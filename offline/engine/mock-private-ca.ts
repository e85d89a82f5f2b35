/**
 * Offline stand-in for AWS Private CA (`aws:acmpca/*`), making real keys and X.509v3 certificates
 * so the offline world can prove that the PKI the program asks for works in a TLS handshake.
 *
 * `mockPrivateCaResource`: a CA key held in memory, a CSR, issuance with the extensions of the AWS
 * certificate templates, CA certificate installation. It is not AWS: no CRLs, no OCSP, no audit
 * reports, no API passthrough. Inputs this stand-in does not model fail loudly instead of being ignored.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from "crypto";
import {
    checkInputs, issueTime, csrSans, directoryString, EXTENDED_KEY_USAGES, keyIdentifier, LoadedKey, loadPrivateKey, MockResult,
    parseCertificate, parseCsr, requireKeyMatchesCertificate, sign, State, webcryptoPublicKey, webcryptoSigner, x509,
} from "./x509-build";
import { TOKENS } from "../../policies/shared/tokens";

const ACCOUNT = "123456789012";
const DEFAULT_REGION = "us-east-1";

interface StandInCa {
    arn: string;
    type: "ROOT" | "SUBORDINATE";
    usageMode: string;
    key: LoadedKey;
    certificate?: x509.X509Certificate;
    certificatePem?: string;
    chainPem?: string;
}

/** CAs the stand-in holds, by ARN; cleared by resetMockPki(). */
const cas = new Map<string, StandInCa>();

/** Forget every CA key the stand-in holds (call between program runs). */
export function resetMockPki(): void {
    cas.clear();
}

/**
 * Test hook: the stand-in CA's private key (PKCS#8 PEM), which AWS never reveals. Tests use it to
 * forge certificates the real CA would refuse to issue (already expired). Valid until the next
 * resetMockPki(), i.e. the next program run.
 */
export function standInCaPrivateKeyPem(arn: string): string {
    const ca = cas.get(arn);
    if (!ca) throw new Error(`mock-tls: the AWS Private CA stand-in holds no CA ${arn} (was the program run reset since?)`);
    return ca.key.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
}

const CA_KEY_ALGORITHMS: Record<string, { kind: "rsa" | "ec"; param: number | string }> = {
    RSA_2048: { kind: "rsa", param: 2048 }, RSA_3072: { kind: "rsa", param: 3072 }, RSA_4096: { kind: "rsa", param: 4096 },
    EC_prime256v1: { kind: "ec", param: "P-256" }, EC_secp384r1: { kind: "ec", param: "P-384" }, EC_secp521r1: { kind: "ec", param: "P-521" },
};

const CA_SUBJECT_FIELDS: [string, string][] = [
    ["country", "2.5.4.6"], ["state", "2.5.4.8"], ["locality", "2.5.4.7"], ["organization", "2.5.4.10"],
    ["organizationalUnit", "2.5.4.11"], ["distinguishedNameQualifier", "2.5.4.46"], ["title", "2.5.4.12"],
    ["surname", "2.5.4.4"], ["givenName", "2.5.4.42"], ["initials", "2.5.4.43"], ["pseudonym", "2.5.4.65"],
    ["generationQualifier", "2.5.4.44"], ["serialNumber", "2.5.4.5"], ["commonName", "2.5.4.3"],
];

/** Inputs of the modelled @pulumi/aws 7.48.0 `acmpca` resources (apiPassthrough is not modelled). */
const PCA_INPUTS: Record<string, string[]> = {
    [TOKENS.acmpcaCertificateAuthority]: [
        "certificateAuthorityConfiguration", "enabled", "keyStorageSecurityStandard", "permanentDeletionTimeInDays",
        "region", "revocationConfiguration", "tags", "type", "usageMode"],
    [TOKENS.acmpcaCertificate]: [
        "certificateAuthorityArn", "certificateSigningRequest", "region", "signingAlgorithm", "templateArn", "validity"],
    [TOKENS.acmpcaCertificateAuthorityCertificate]: [
        "certificate", "certificateAuthorityArn", "certificateChain", "region"],
};

/** Extensions of the AWS Private CA base templates this stand-in issues with. */
const TEMPLATES: Record<string, { ca: boolean; pathLen?: number; keyUsage: number; eku: string[] }> = {
    "RootCACertificate/V1": { ca: true, keyUsage: 1 | 32 | 64, eku: [] },
    "SubordinateCACertificate_PathLen0/V1": { ca: true, pathLen: 0, keyUsage: 1 | 32 | 64, eku: [] },
    "SubordinateCACertificate_PathLen1/V1": { ca: true, pathLen: 1, keyUsage: 1 | 32 | 64, eku: [] },
    "SubordinateCACertificate_PathLen2/V1": { ca: true, pathLen: 2, keyUsage: 1 | 32 | 64, eku: [] },
    "SubordinateCACertificate_PathLen3/V1": { ca: true, pathLen: 3, keyUsage: 1 | 32 | 64, eku: [] },
    "EndEntityCertificate/V1": { ca: false, keyUsage: 1 | 4, eku: [EXTENDED_KEY_USAGES.server_auth, EXTENDED_KEY_USAGES.client_auth] },
    "EndEntityServerAuthCertificate/V1": { ca: false, keyUsage: 1 | 4, eku: [EXTENDED_KEY_USAGES.server_auth] },
    "EndEntityClientAuthCertificate/V1": { ca: false, keyUsage: 1 | 4, eku: [EXTENDED_KEY_USAGES.client_auth] },
};

/**
 * Mock for `aws:acmpca/*`: a local stand-in for AWS Private CA. CertificateAuthority makes a real
 * key and CSR; Certificate issues with the AWS template's extensions; CertificateAuthorityCertificate
 * installs the CA certificate (and must come before end-entity issuance, as in AWS).
 */
export async function mockPrivateCaResource(type: string, name: string, inputs: Record<string, any>): Promise<MockResult> {
    const where = `${type} "${name}" (AWS Private CA stand-in)`;
    checkInputs(where, inputs, PCA_INPUTS[type] ?? Object.keys(inputs));
    switch (type) {
        case TOKENS.acmpcaCertificateAuthority: return certificateAuthority(where, name, inputs);
        case TOKENS.acmpcaCertificate: return pcaCertificate(where, inputs);
        case TOKENS.acmpcaCertificateAuthorityCertificate: return installCaCertificate(where, inputs);
        case TOKENS.acmpcaPermission:
        case TOKENS.acmpcaPolicy:
            return { id: `${name}-${randomUUID().slice(0, 8)}`, state: { ...inputs } };
        default:
            throw new Error(`mock-tls: ${where}: resource type not modelled by the AWS Private CA stand-in.`);
    }
}

async function certificateAuthority(where: string, name: string, inputs: State): Promise<MockResult> {
    const config = inputs.certificateAuthorityConfiguration ?? {};
    const algorithm = CA_KEY_ALGORITHMS[config.keyAlgorithm];
    if (!algorithm) {
        throw new Error(`mock-tls: ${where}: keyAlgorithm is ${JSON.stringify(config.keyAlgorithm)}; use one of ${Object.keys(CA_KEY_ALGORITHMS).join(", ")}.`);
    }
    const revocation = inputs.revocationConfiguration ?? {};
    if (revocation.crlConfiguration?.enabled || revocation.ocspConfiguration?.enabled) {
        throw new Error(`mock-tls: ${where}: CRL and OCSP revocation are not modelled by this stand-in; disable them or extend the stand-in.`);
    }
    const type = inputs.type ?? "SUBORDINATE";
    if (type !== "ROOT" && type !== "SUBORDINATE") {
        throw new Error(`mock-tls: ${where}: type is ${JSON.stringify(type)}; use ROOT or SUBORDINATE.`);
    }
    const pair = algorithm.kind === "rsa"
        ? generateKeyPairSync("rsa", { modulusLength: algorithm.param as number })
        : generateKeyPairSync("ec", { namedCurve: algorithm.param as string });
    const key = loadPrivateKey(where, "generated", pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string);
    const hash = signingHash(where, config.signingAlgorithm, key);
    const signer = await webcryptoSigner(key, hash);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
        name: caSubject(where, config.subject ?? {}),
        keys: { privateKey: signer.key, publicKey: await webcryptoPublicKey(key, hash) },
        signingAlgorithm: signer.algorithm,
    });
    const region = inputs.region ?? DEFAULT_REGION;
    const arn = `arn:aws:acm-pca:${region}:${ACCOUNT}:certificate-authority/${uuidFrom(name)}`;
    const usageMode = inputs.usageMode ?? "GENERAL_PURPOSE";
    cas.set(arn, { arn, type, usageMode, key });
    return {
        id: arn,
        state: {
            ...inputs, arn, type, usageMode, region,
            certificateSigningRequest: csr.toString("pem") + "\n",
            // Empty until a CertificateAuthorityCertificate installs one (status PENDING_CERTIFICATE in AWS).
            certificate: "", certificateChain: "", notBefore: "", notAfter: "", serial: "",
            keyStorageSecurityStandard: inputs.keyStorageSecurityStandard ?? "FIPS_140_2_LEVEL_3_OR_HIGHER",
            tagsAll: inputs.tags ?? {},
        },
    };
}

async function pcaCertificate(where: string, inputs: State): Promise<MockResult> {
    const ca = cas.get(inputs.certificateAuthorityArn);
    if (!ca) throw new Error(`mock-tls: ${where}: no certificate authority ${JSON.stringify(inputs.certificateAuthorityArn)} (ResourceNotFoundException).`);
    const templateArn: string = inputs.templateArn ?? "arn:aws:acm-pca:::template/EndEntityCertificate/V1";
    const templateName = /^arn:aws[a-z-]*:acm-pca:::template\/(.+)$/.exec(templateArn)?.[1] ?? "";
    const template = TEMPLATES[templateName];
    if (!template) {
        throw new Error(`mock-tls: ${where}: templateArn ${JSON.stringify(templateArn)} not modelled. Use one of: ${Object.keys(TEMPLATES).map((t) => `arn:aws:acm-pca:::template/${t}`).join(", ")}.`);
    }
    const hash = signingHash(where, inputs.signingAlgorithm, ca.key);
    const csr = await parseCsr(where, "certificateSigningRequest", inputs.certificateSigningRequest);
    const csrSpki = Buffer.from(csr.publicKey.rawData);
    const isRoot = templateName === "RootCACertificate/V1";
    if (isRoot) {
        if (ca.type !== "ROOT") throw new Error(`mock-tls: ${where}: RootCACertificate/V1 needs a CA of type ROOT; ${ca.arn} is ${ca.type}.`);
        if (!csrSpki.equals(ca.key.publicKey.export({ type: "spki", format: "der" }))) {
            throw new Error(`mock-tls: ${where}: RootCACertificate/V1 must sign the CA's own CSR (certificateSigningRequest of the CertificateAuthority).`);
        }
    } else if (!ca.certificate) {
        throw new Error(`mock-tls: ${where}: CA ${ca.arn} has no certificate installed yet (PENDING_CERTIFICATE), so AWS refuses to issue. Make this Certificate depend on the CertificateAuthorityCertificate.`);
    }
    const notBefore = issueTime();
    const notAfter = validityEnd(where, inputs.validity, notBefore);
    if (ca.usageMode === "SHORT_LIVED_CERTIFICATE" && notAfter.getTime() - notBefore.getTime() > 7 * 86_400_000) {
        throw new Error(`mock-tls: ${where}: a SHORT_LIVED_CERTIFICATE CA issues certificates valid for at most 7 days.`);
    }
    if (ca.certificate && !isRoot && notAfter > ca.certificate.notAfter) {
        throw new Error(`mock-tls: ${where}: validity ends ${notAfter.toISOString()}, after the CA certificate (${ca.certificate.notAfter.toISOString()}); AWS rejects it.`);
    }
    const subject = new x509.Name(csr.subjectName.toArrayBuffer());
    const sans = csrSans(csr);
    const extensions: x509.Extension[] = [
        new x509.BasicConstraintsExtension(template.ca, template.pathLen, template.ca),
        new x509.KeyUsagesExtension(template.keyUsage, true),
        new x509.SubjectKeyIdentifierExtension(await keyIdentifier(csrSpki), false),
    ];
    if (template.eku.length) extensions.push(new x509.ExtendedKeyUsageExtension(template.eku, false));
    if (!isRoot) {
        const caKeyId = ca.certificate!.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId
            ?? await keyIdentifier(ca.key.publicKey.export({ type: "spki", format: "der" }));
        extensions.push(new x509.AuthorityKeyIdentifierExtension(caKeyId, false));
    }
    if (sans.length) extensions.push(new x509.SubjectAlternativeNameExtension(sans, false));
    const issued = await sign(
        { subject, issuer: isRoot ? subject : new x509.Name(ca.certificate!.subjectName.toArrayBuffer()), signer: ca.key },
        csrSpki, extensions, notBefore, notAfter, hash);
    const arn = `${ca.arn}/certificate/${randomBytes(16).toString("hex")}`;
    return {
        id: arn,
        state: {
            ...inputs, arn, templateArn,
            certificate: issued.pem,
            certificateChain: isRoot ? "" : `${ca.certificatePem}${ca.chainPem ?? ""}`,
        },
    };
}

async function installCaCertificate(where: string, inputs: State): Promise<MockResult> {
    const ca = cas.get(inputs.certificateAuthorityArn);
    if (!ca) throw new Error(`mock-tls: ${where}: no certificate authority ${JSON.stringify(inputs.certificateAuthorityArn)} (ResourceNotFoundException).`);
    const cert = parseCertificate(where, "certificate", inputs.certificate);
    requireKeyMatchesCertificate(where, ca.key, cert);
    const chain: string | undefined = inputs.certificateChain || undefined;
    if (ca.type === "ROOT") {
        if (chain) throw new Error(`mock-tls: ${where}: a ROOT CA certificate is installed without certificateChain.`);
        if (!(await cert.isSelfSigned())) throw new Error(`mock-tls: ${where}: the ROOT CA certificate is not self-signed.`);
    } else {
        if (!chain) throw new Error(`mock-tls: ${where}: a SUBORDINATE CA certificate needs certificateChain (its issuer's chain).`);
        const issuer = parseCertificate(where, "certificateChain", chain.split(/(?<=-----END CERTIFICATE-----)/)[0]);
        if (!(await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true }))) {
            throw new Error(`mock-tls: ${where}: the CA certificate is not signed by the first certificate of certificateChain.`);
        }
    }
    ca.certificate = cert;
    ca.certificatePem = inputs.certificate.endsWith("\n") ? inputs.certificate : `${inputs.certificate}\n`;
    ca.chainPem = chain;
    return { id: ca.arn, state: { ...inputs } };
}

function caSubject(where: string, subject: State): x509.Name {
    const unknownFields = Object.keys(subject).filter((k) => subject[k] !== undefined && !CA_SUBJECT_FIELDS.some(([f]) => f === k));
    if (unknownFields.length) throw new Error(`mock-tls: ${where}: subject field(s) ${unknownFields.join(", ")} not modelled.`);
    return new x509.Name(CA_SUBJECT_FIELDS
        .filter(([field]) => typeof subject[field] === "string" && subject[field] !== "")
        .map(([field, oid]) => ({ [oid]: [directoryString(subject[field])] })));
}

/** The hash of an AWS signing algorithm name, checked against the CA's key family. */
function signingHash(where: string, algorithm: unknown, key: LoadedKey): string {
    const m = /^SHA(256|384|512)WITH(RSA|ECDSA)$/.exec(String(algorithm));
    const family = key.algorithm === "RSA" ? "RSA" : "ECDSA";
    if (!m || m[2] !== family) {
        throw new Error(`mock-tls: ${where}: signingAlgorithm is ${JSON.stringify(algorithm)}; the CA's ${family} key signs with SHA256WITH${family}, SHA384WITH${family} or SHA512WITH${family}.`);
    }
    return `SHA-${m[1]}`;
}

function validityEnd(where: string, validity: State | undefined, from: Date): Date {
    const value = Number(validity?.value);
    const end = new Date(from);
    switch (validity?.type) {
        case "DAYS": end.setUTCDate(end.getUTCDate() + value); break;
        case "MONTHS": end.setUTCMonth(end.getUTCMonth() + value); break;
        case "YEARS": end.setUTCFullYear(end.getUTCFullYear() + value); break;
        case "ABSOLUTE": return new Date(value * 1000);
        case "END_DATE": return new Date(String(validity.value));
        default:
            throw new Error(`mock-tls: ${where}: validity.type is ${JSON.stringify(validity?.type)}; use DAYS, MONTHS, YEARS, ABSOLUTE or END_DATE (AWS has no HOURS).`);
    }
    if (!Number.isInteger(value) || value <= 0) throw new Error(`mock-tls: ${where}: validity.value is ${JSON.stringify(validity?.value)}; use a positive whole number.`);
    return end;
}

function uuidFrom(seed: string): string {
    const h = createHash("sha256").update(`e2e-tls/${seed}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
