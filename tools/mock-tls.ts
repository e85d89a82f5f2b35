/**
 * Offline stand-ins that make real keys and X.509v3 certificates, so the offline world can prove
 * that the PKI the program asks for works in a TLS handshake, not only that it was asked for.
 *
 * - `mockTlsResource`: the four `tls:` resources of @pulumi/tls 5.6.1, generated from exactly the
 *   inputs given, the way hashicorp/terraform-provider-tls does with Go's crypto/x509 (serials,
 *   subject order, extension set and criticality, key identifiers, PEM labels, output names).
 * - `mockPrivateCaResource`: a local stand-in for AWS Private CA (`aws:acmpca/*`): a CA key held in
 *   memory, a CSR, issuance with the extensions of the AWS certificate templates, CA certificate
 *   installation. It is not AWS: no CRLs, no OCSP, no audit reports, no API passthrough.
 *
 * Certificates are built with @peculiar/x509 on Node's WebCrypto; Node's crypto makes the keys.
 * Every key is throwaway and lives only in this process (and in the mock state it returns).
 * Inputs this stand-in does not model fail loudly instead of being ignored.
 */
// @peculiar/x509 resolves its algorithm classes through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import {
    createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes, randomUUID, webcrypto,
} from "crypto";
import { isIP } from "net";
import { isUnknown } from "@pulumi/pulumi/output";

x509.cryptoProvider.set(webcrypto as any);
/** @peculiar/x509 bound to Node's WebCrypto, for tests that build certificates of their own. */
export { x509 };

type State = Record<string, any>;
export interface MockResult { id: string; state: State }

const ACCOUNT = "123456789012";
const DEFAULT_REGION = "us-east-1";

// ---------------------------------------------------------------------------------------------
// @pulumi/tls
// ---------------------------------------------------------------------------------------------

/** Every input @pulumi/tls 5.6.1 accepts, per resource: anything else is a program bug. */
const TLS_INPUTS: Record<string, string[]> = {
    "tls:index/privateKey:PrivateKey": ["algorithm", "ecdsaCurve", "rsaBits"],
    "tls:index/selfSignedCert:SelfSignedCert": [
        "allowedUses", "dnsNames", "earlyRenewalHours", "ipAddresses", "isCaCertificate", "maxPathLength",
        "privateKeyPem", "privateKeyPemWo", "privateKeyPemWoVersion", "setAuthorityKeyId", "setSubjectKeyId",
        "subject", "uris", "validityPeriodHours"],
    "tls:index/certRequest:CertRequest": [
        "dnsNames", "ipAddresses", "privateKeyPem", "privateKeyPemWo", "privateKeyPemWoVersion", "subject", "uris"],
    "tls:index/locallySignedCert:LocallySignedCert": [
        "allowedUses", "caCertPem", "caPrivateKeyPem", "caPrivateKeyPemWo", "caPrivateKeyPemWoVersion",
        "certRequestPem", "earlyRenewalHours", "isCaCertificate", "maxPathLength", "setSubjectKeyId",
        "validityPeriodHours"],
};

/**
 * Mock for `tls:` resources: real keys and certificates from the given inputs. Returns the state
 * the provider would store; private keys come back as plain PEM (the caller marks them secret).
 */
export async function mockTlsResource(type: string, name: string, inputs: Record<string, any>): Promise<MockResult> {
    const where = `${type} "${name}"`;
    const known = TLS_INPUTS[type];
    if (!known) {
        throw new Error(`mock-tls: ${where}: resource type not modelled (modelled: ${Object.keys(TLS_INPUTS).join(", ")}).`);
    }
    checkInputs(where, inputs, known);
    switch (type) {
        case "tls:index/privateKey:PrivateKey": return privateKey(where, inputs);
        case "tls:index/selfSignedCert:SelfSignedCert": return selfSignedCert(where, inputs);
        case "tls:index/certRequest:CertRequest": return certRequest(where, inputs);
        default: return locallySignedCert(where, inputs);
    }
}

function privateKey(where: string, inputs: State): MockResult {
    const algorithm = inputs.algorithm;
    const ecdsaCurve: string = inputs.ecdsaCurve ?? "P224";
    const rsaBits: number = inputs.rsaBits ?? 2048;
    let pair: { privateKey: KeyObject; publicKey: KeyObject };
    let pemType: "pkcs1" | "sec1" | "pkcs8";
    switch (algorithm) {
        case "RSA":
            if (!Number.isInteger(rsaBits) || rsaBits < 1024) {
                throw new Error(`mock-tls: ${where}: rsaBits is ${JSON.stringify(rsaBits)}; use an integer of at least 1024 (ALB needs 2048 or more).`);
            }
            pair = generateKeyPairSync("rsa", { modulusLength: rsaBits });
            pemType = "pkcs1";
            break;
        case "ECDSA": {
            const curve = { P256: "P-256", P384: "P-384", P521: "P-521" }[ecdsaCurve];
            if (!curve) {
                const why = ecdsaCurve === "P224"
                    ? "P224 (the provider's default when ecdsaCurve is omitted) cannot sign here (WebCrypto has no P-224) and ALB rejects it"
                    : "it is not a curve the provider knows";
                throw new Error(`mock-tls: ${where}: ecdsaCurve is "${ecdsaCurve}": ${why}. Set ecdsaCurve to P256, P384 or P521.`);
            }
            pair = generateKeyPairSync("ec", { namedCurve: curve });
            pemType = "sec1";
            break;
        }
        case "ED25519":
            pair = generateKeyPairSync("ed25519");
            pemType = "pkcs8";
            break;
        default:
            throw new Error(`mock-tls: ${where}: algorithm is ${JSON.stringify(algorithm)}; use one of RSA, ECDSA, ED25519.`);
    }
    const spki = pair.publicKey.export({ type: "spki", format: "der" });
    const sshBlob = sshPublicKeyBlob(pair.publicKey);
    return {
        id: createHash("sha1").update(spki).digest("hex"),
        state: {
            ...inputs,
            algorithm,
            ecdsaCurve,
            rsaBits,
            privateKeyPem: pair.privateKey.export({ type: pemType, format: "pem" }) as string,
            privateKeyPemPkcs8: pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
            privateKeyOpenssh: opensshPrivateKey(pair.privateKey, sshBlob),
            publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }) as string,
            publicKeyOpenssh: `${sshKeyType(pair.publicKey)} ${sshBlob.toString("base64")}\n`,
            publicKeyFingerprintMd5: (createHash("md5").update(sshBlob).digest("hex").match(/../g) ?? []).join(":"),
            publicKeyFingerprintSha256: `SHA256:${createHash("sha256").update(sshBlob).digest("base64").replace(/=+$/, "")}`,
        },
    };
}

async function selfSignedCert(where: string, inputs: State): Promise<MockResult> {
    const key = loadPrivateKey(where, "privateKeyPem", inputs.privateKeyPemWo ?? inputs.privateKeyPem);
    const subject = subjectName(where, inputs.subject);
    const cert = await issue(where, {
        subject, issuer: subject, subjectKey: key.publicKey, signer: key, inputs,
        sans: sanList(where, inputs), issuerKeyId: undefined, selfSigned: true,
    });
    return certState(inputs, cert, { keyAlgorithm: key.algorithm, setAuthorityKeyId: inputs.setAuthorityKeyId ?? false });
}

async function certRequest(where: string, inputs: State): Promise<MockResult> {
    const key = loadPrivateKey(where, "privateKeyPem", inputs.privateKeyPemWo ?? inputs.privateKeyPem);
    const subject = subjectName(where, inputs.subject);
    const sans = sanList(where, inputs);
    const signer = await webcryptoSigner(key);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
        name: subject,
        keys: { privateKey: signer.key, publicKey: await webcryptoPublicKey(key) },
        signingAlgorithm: signer.algorithm,
        extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans, isEmptyName(subject))] : [],
    });
    const pem = csr.toString("pem") + "\n";
    return {
        id: createHash("sha1").update(pem).digest("hex"),
        state: { ...withoutWriteOnly(inputs), certRequestPem: pem, keyAlgorithm: key.algorithm },
    };
}

async function locallySignedCert(where: string, inputs: State): Promise<MockResult> {
    const caKey = loadPrivateKey(where, "caPrivateKeyPem", inputs.caPrivateKeyPemWo ?? inputs.caPrivateKeyPem);
    const caCert = parseCertificate(where, "caCertPem", inputs.caCertPem);
    requireKeyMatchesCertificate(where, caKey, caCert);
    const csr = await parseCsr(where, "certRequestPem", inputs.certRequestPem);
    // Like the provider: subject and DNS/IP/URI names come from the CSR, every other CSR extension is dropped.
    const sans = csrSans(csr).filter((n) => n.type === "dns" || n.type === "ip" || n.type === "url");
    const cert = await issue(where, {
        subject: new x509.Name(csr.subjectName.toArrayBuffer()),
        issuer: new x509.Name(caCert.subjectName.toArrayBuffer()),
        subjectKey: createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: "der", type: "spki" }),
        signer: caKey, inputs, sans,
        // Go's x509.CreateCertificate copies the parent's subject key id into the authority key id.
        issuerKeyId: caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
        selfSigned: false,
    });
    return certState(inputs, cert, { caKeyAlgorithm: caKey.algorithm });
}

interface IssueRequest {
    subject: x509.Name;
    issuer: x509.Name;
    subjectKey: KeyObject;
    signer: LoadedKey;
    inputs: State;
    sans: x509.JsonGeneralName[];
    issuerKeyId: string | undefined;
    selfSigned: boolean;
}

interface IssuedCert { pem: string; serial: string; notBefore: Date; notAfter: Date }

/** The provider's createCertificate: validity, random serial, allowed uses, CA flags, key ids. */
async function issue(where: string, r: IssueRequest): Promise<IssuedCert> {
    const hours = r.inputs.validityPeriodHours;
    if (!Number.isInteger(hours) || hours < 0) {
        throw new Error(`mock-tls: ${where}: validityPeriodHours is ${JSON.stringify(hours)}; use a whole number of hours, at least 0.`);
    }
    const { keyUsage, extendedKeyUsage } = allowedUses(where, r.inputs.allowedUses);
    const isCa = r.inputs.isCaCertificate === true;
    const subjectEmpty = isEmptyName(r.subject);
    if (isCa && subjectEmpty) {
        throw new Error(`mock-tls: ${where}: a CA certificate needs a subject with at least one name (RFC 5280 4.1.2.6).`);
    }
    const spki = r.subjectKey.export({ type: "spki", format: "der" });
    const subjectKeyId = isCa || r.inputs.setSubjectKeyId === true ? await keyIdentifier(spki) : undefined;
    let authorityKeyId = r.selfSigned ? undefined : r.issuerKeyId;
    if (r.selfSigned && r.inputs.setAuthorityKeyId === true) {
        if (!subjectKeyId) {
            throw new Error(`mock-tls: ${where}: setAuthorityKeyId needs a subject key id: set setSubjectKeyId or isCaCertificate.`);
        }
        authorityKeyId = subjectKeyId;
    }
    const maxPath = r.inputs.maxPathLength;
    const extensions: x509.Extension[] = [];
    if (keyUsage) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
    if (extendedKeyUsage.length) extensions.push(new x509.ExtendedKeyUsageExtension(extendedKeyUsage, false));
    // Go encodes MaxPathLen 0 without MaxPathLenZero as "no constraint"; only a positive value is written.
    extensions.push(new x509.BasicConstraintsExtension(isCa, isCa && Number.isInteger(maxPath) && maxPath > 0 ? maxPath : undefined, true));
    if (subjectKeyId) extensions.push(new x509.SubjectKeyIdentifierExtension(subjectKeyId, false));
    if (authorityKeyId) extensions.push(new x509.AuthorityKeyIdentifierExtension(authorityKeyId, false));
    if (r.sans.length) extensions.push(new x509.SubjectAlternativeNameExtension(r.sans, subjectEmpty));

    const notBefore = new Date();
    const notAfter = new Date(notBefore.getTime() + hours * 3_600_000);
    return sign(r, spki, extensions, notBefore, notAfter);
}

async function sign(
    r: Pick<IssueRequest, "subject" | "issuer" | "signer">, spki: Buffer, extensions: x509.Extension[],
    notBefore: Date, notAfter: Date, hash?: string,
): Promise<IssuedCert> {
    const serial = serialNumber();
    const signer = await webcryptoSigner(r.signer, hash);
    const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial, subject: r.subject, issuer: r.issuer, notBefore, notAfter,
        publicKey: new x509.PublicKey(spki), signingKey: signer.key, signingAlgorithm: signer.algorithm, extensions,
    });
    return { pem: cert.toString("pem") + "\n", serial: BigInt(`0x${serial}`).toString(10), notBefore, notAfter };
}

function certState(inputs: State, cert: IssuedCert, extra: State): MockResult {
    const earlyRenewalHours: number = inputs.earlyRenewalHours ?? 0;
    return {
        id: cert.serial,
        state: {
            ...withoutWriteOnly(inputs),
            ...extra,
            certPem: cert.pem,
            validityStartTime: cert.notBefore.toISOString(),
            validityEndTime: cert.notAfter.toISOString(),
            earlyRenewalHours,
            isCaCertificate: inputs.isCaCertificate ?? false,
            setSubjectKeyId: inputs.setSubjectKeyId ?? false,
            readyForRenewal: Date.now() >= cert.notAfter.getTime() - earlyRenewalHours * 3_600_000,
        },
    };
}

const KEY_USAGES: Record<string, number> = {
    digital_signature: 1, content_commitment: 2, key_encipherment: 4, data_encipherment: 8, key_agreement: 16,
    cert_signing: 32, crl_signing: 64, encipher_only: 128, decipher_only: 256,
};
const EXTENDED_KEY_USAGES: Record<string, string> = {
    any_extended: "2.5.29.37.0",
    server_auth: "1.3.6.1.5.5.7.3.1",
    client_auth: "1.3.6.1.5.5.7.3.2",
    code_signing: "1.3.6.1.5.5.7.3.3",
    email_protection: "1.3.6.1.5.5.7.3.4",
    ipsec_end_system: "1.3.6.1.5.5.7.3.5",
    ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
    ipsec_user: "1.3.6.1.5.5.7.3.7",
    timestamping: "1.3.6.1.5.5.7.3.8",
    ocsp_signing: "1.3.6.1.5.5.7.3.9",
    microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
    netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
    microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
    microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

function allowedUses(where: string, uses: unknown): { keyUsage: number; extendedKeyUsage: string[] } {
    if (!Array.isArray(uses)) {
        throw new Error(`mock-tls: ${where}: allowedUses is ${JSON.stringify(uses)}; it is required (a list of key usages).`);
    }
    let keyUsage = 0;
    const extendedKeyUsage: string[] = [];
    for (const use of uses) {
        if (use in KEY_USAGES) keyUsage |= KEY_USAGES[use];
        else if (use in EXTENDED_KEY_USAGES) extendedKeyUsage.push(EXTENDED_KEY_USAGES[use]);
        else {
            const all = [...Object.keys(KEY_USAGES), ...Object.keys(EXTENDED_KEY_USAGES)].sort();
            throw new Error(`mock-tls: ${where}: allowedUses contains ${JSON.stringify(use)}. Use one of: ${all.join(", ")}.`);
        }
    }
    return { keyUsage, extendedKeyUsage };
}

/** Subject fields in the order Go's pkix.Name writes them. */
const SUBJECT_FIELDS: [string, string][] = [
    ["country", "2.5.4.6"], ["province", "2.5.4.8"], ["locality", "2.5.4.7"], ["streetAddresses", "2.5.4.9"],
    ["postalCode", "2.5.4.17"], ["organization", "2.5.4.10"], ["organizationalUnit", "2.5.4.11"],
    ["commonName", "2.5.4.3"], ["serialNumber", "2.5.4.5"], ["emailAddress", "1.2.840.113549.1.9.1"],
];

function isEmptyName(name: x509.Name): boolean {
    return name.toJSON().length === 0;
}

function subjectName(where: string, subject: State | undefined): x509.Name {
    if (subject === undefined || subject === null) return new x509.Name([]);
    const unknownFields = Object.keys(subject).filter((k) => subject[k] !== undefined && !SUBJECT_FIELDS.some(([f]) => f === k));
    if (unknownFields.length) {
        throw new Error(`mock-tls: ${where}: subject field(s) ${unknownFields.join(", ")} not modelled. Use: ${SUBJECT_FIELDS.map(([f]) => f).join(", ")}.`);
    }
    const rdns: x509.JsonNameParams = [];
    for (const [field, oid] of SUBJECT_FIELDS) {
        const value = subject[field];
        if (value === undefined || value === null) continue;
        const values: string[] = Array.isArray(value) ? value : [value];
        if (values.length === 0) continue;
        rdns.push({ [oid]: values.map((v) => field === "emailAddress" ? { ia5String: v } : directoryString(v)) });
    }
    return new x509.Name(rdns);
}

/** Go writes PrintableString when every character allows it, UTF8String otherwise. */
function directoryString(value: string): x509.JsonAttributeObject {
    return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value) ? { printableString: value } : { utf8String: value };
}

function sanList(where: string, inputs: State): x509.JsonGeneralName[] {
    const list = (field: string): string[] => {
        const v = inputs[field];
        if (v === undefined || v === null) return [];
        if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) {
            throw new Error(`mock-tls: ${where}: ${field} is ${JSON.stringify(v)}; use a list of strings.`);
        }
        return v;
    };
    const ips = list("ipAddresses");
    const badIp = ips.find((ip) => isIP(ip) === 0);
    if (badIp !== undefined) throw new Error(`mock-tls: ${where}: ipAddresses contains "${badIp}", which is not an IP address.`);
    const uris = list("uris");
    const badUri = uris.find((u) => u === "" || /\s/.test(u));
    if (badUri !== undefined) throw new Error(`mock-tls: ${where}: uris contains "${badUri}", which is not a URI.`);
    // Go's marshalSANs order: DNS names, (emails), IP addresses, URIs.
    return [
        ...list("dnsNames").map((value) => ({ type: "dns" as const, value })),
        ...ips.map((value) => ({ type: "ip" as const, value })),
        ...uris.map((value) => ({ type: "url" as const, value })),
    ];
}

function withoutWriteOnly(inputs: State): State {
    const { privateKeyPemWo, caPrivateKeyPemWo, ...rest } = inputs;
    void privateKeyPemWo; void caPrivateKeyPemWo;
    return rest;
}

// ---------------------------------------------------------------------------------------------
// AWS Private CA stand-in
// ---------------------------------------------------------------------------------------------

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
    "aws:acmpca/certificateAuthority:CertificateAuthority": [
        "certificateAuthorityConfiguration", "enabled", "keyStorageSecurityStandard", "permanentDeletionTimeInDays",
        "region", "revocationConfiguration", "tags", "type", "usageMode"],
    "aws:acmpca/certificate:Certificate": [
        "certificateAuthorityArn", "certificateSigningRequest", "region", "signingAlgorithm", "templateArn", "validity"],
    "aws:acmpca/certificateAuthorityCertificate:CertificateAuthorityCertificate": [
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
        case "aws:acmpca/certificateAuthority:CertificateAuthority": return certificateAuthority(where, name, inputs);
        case "aws:acmpca/certificate:Certificate": return pcaCertificate(where, inputs);
        case "aws:acmpca/certificateAuthorityCertificate:CertificateAuthorityCertificate": return installCaCertificate(where, inputs);
        case "aws:acmpca/permission:Permission":
        case "aws:acmpca/policy:Policy":
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
    const notBefore = new Date();
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

// ---------------------------------------------------------------------------------------------
// Keys, parsing, encodings
// ---------------------------------------------------------------------------------------------

interface LoadedKey {
    algorithm: "RSA" | "ECDSA" | "ED25519";
    curve?: string;
    privateKey: KeyObject;
    publicKey: KeyObject;
}

const CURVES: Record<string, { webcrypto: string; hash: string; ssh: string }> = {
    prime256v1: { webcrypto: "P-256", hash: "SHA-256", ssh: "nistp256" },
    secp384r1: { webcrypto: "P-384", hash: "SHA-384", ssh: "nistp384" },
    secp521r1: { webcrypto: "P-521", hash: "SHA-512", ssh: "nistp521" },
};

/** Parses a private key PEM as the provider does: PKCS#1, SEC 1 or PKCS#8, unencrypted. */
function loadPrivateKey(where: string, field: string, pem: unknown): LoadedKey {
    const label = typeof pem === "string" ? /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1] : undefined;
    if (!label || !["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"].includes(label)) {
        throw new Error(`mock-tls: ${where}: ${field} is not an unencrypted RSA, EC or PKCS#8 private key PEM.`);
    }
    const privateKey = createPrivateKey(pem as string);
    const publicKey = createPublicKey(privateKey);
    switch (privateKey.asymmetricKeyType) {
        case "rsa": return { algorithm: "RSA", privateKey, publicKey };
        case "ed25519": return { algorithm: "ED25519", privateKey, publicKey };
        case "ec": {
            const curve = privateKey.asymmetricKeyDetails?.namedCurve ?? "";
            if (!CURVES[curve]) throw new Error(`mock-tls: ${where}: ${field} is an EC key on ${curve}, which cannot sign here; use P-256, P-384 or P-521.`);
            return { algorithm: "ECDSA", curve, privateKey, publicKey };
        }
        default: throw new Error(`mock-tls: ${where}: ${field} is a ${privateKey.asymmetricKeyType} key; use RSA, ECDSA or ED25519.`);
    }
}

function webcryptoParams(key: LoadedKey, hash?: string): { importAlg: any; signAlg: any } {
    switch (key.algorithm) {
        case "RSA": {
            const h = hash ?? "SHA-256";
            return { importAlg: { name: "RSASSA-PKCS1-v1_5", hash: h }, signAlg: { name: "RSASSA-PKCS1-v1_5", hash: h } };
        }
        case "ECDSA": {
            const c = CURVES[key.curve!];
            return { importAlg: { name: "ECDSA", namedCurve: c.webcrypto }, signAlg: { name: "ECDSA", hash: hash ?? c.hash } };
        }
        default: return { importAlg: { name: "Ed25519" }, signAlg: { name: "Ed25519" } };
    }
}

/** The signature Go picks for the signer's key (SHA-256 for RSA, curve-sized for ECDSA) unless `hash` is given. */
async function webcryptoSigner(key: LoadedKey, hash?: string): Promise<{ key: any; algorithm: any }> {
    const { importAlg, signAlg } = webcryptoParams(key, hash);
    const der = key.privateKey.export({ type: "pkcs8", format: "der" });
    return { key: await webcrypto.subtle.importKey("pkcs8", der, importAlg, false, ["sign"]), algorithm: signAlg };
}

async function webcryptoPublicKey(key: LoadedKey, hash?: string): Promise<any> {
    const { importAlg } = webcryptoParams(key, hash);
    return webcrypto.subtle.importKey("spki", key.publicKey.export({ type: "spki", format: "der" }), importAlg, true, ["verify"]);
}

function parseCertificate(where: string, field: string, pem: unknown): x509.X509Certificate {
    if (typeof pem !== "string" || !pem.includes("-----BEGIN CERTIFICATE-----")) {
        throw new Error(`mock-tls: ${where}: ${field} is not a certificate PEM.`);
    }
    return new x509.X509Certificate(pem);
}

async function parseCsr(where: string, field: string, pem: unknown): Promise<x509.Pkcs10CertificateRequest> {
    if (typeof pem !== "string" || !pem.includes("-----BEGIN CERTIFICATE REQUEST-----")) {
        throw new Error(`mock-tls: ${where}: ${field} is not a certificate request PEM.`);
    }
    const csr = new x509.Pkcs10CertificateRequest(pem);
    if (!(await csr.verify())) throw new Error(`mock-tls: ${where}: ${field} has a bad signature.`);
    return csr;
}

function csrSans(csr: x509.Pkcs10CertificateRequest): x509.JsonGeneralName[] {
    const ext = csr.getExtension("2.5.29.17");
    return ext ? new x509.SubjectAlternativeNameExtension(ext.rawData).names.toJSON() : [];
}

function requireKeyMatchesCertificate(where: string, key: LoadedKey, cert: x509.X509Certificate): void {
    const spki = key.publicKey.export({ type: "spki", format: "der" });
    if (!spki.equals(Buffer.from(cert.publicKey.rawData))) {
        throw new Error(`mock-tls: ${where}: the private key does not match the certificate's public key.`);
    }
}

/** RFC 5280 method 1 (SHA-1 of the subjectPublicKey bits), as Go and the provider compute it. */
async function keyIdentifier(spki: Buffer): Promise<string> {
    return Buffer.from(await new x509.PublicKey(spki).getKeyIdentifier()).toString("hex");
}

/** A positive random serial below 2^128, minimally DER-encoded, as hex. */
function serialNumber(): string {
    let bytes = randomBytes(16);
    while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
    const hex = bytes.toString("hex");
    return bytes[0] & 0x80 ? `00${hex}` : hex;
}

function uuidFrom(seed: string): string {
    const h = createHash("sha256").update(`e2e-tls/${seed}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function sshKeyType(publicKey: KeyObject): string {
    switch (publicKey.asymmetricKeyType) {
        case "rsa": return "ssh-rsa";
        case "ed25519": return "ssh-ed25519";
        default: return `ecdsa-sha2-${CURVES[publicKey.asymmetricKeyDetails!.namedCurve!].ssh}`;
    }
}

/** RFC 4253 / RFC 5656 / RFC 8709 public key blob. */
function sshPublicKeyBlob(publicKey: KeyObject): Buffer {
    const jwk = publicKey.export({ format: "jwk" });
    const type = sshKeyType(publicKey);
    switch (publicKey.asymmetricKeyType) {
        case "rsa": return Buffer.concat([sshString(type), sshMpint(b64u(jwk.e)), sshMpint(b64u(jwk.n))]);
        case "ed25519": return Buffer.concat([sshString(type), sshString(b64u(jwk.x))]);
        default: return Buffer.concat([sshString(type), sshString(CURVES[publicKey.asymmetricKeyDetails!.namedCurve!].ssh), sshString(ecPoint(jwk))]);
    }
}

/** The unencrypted `openssh-key-v1` format that golang.org/x/crypto/ssh.MarshalPrivateKey writes. */
function opensshPrivateKey(privateKey: KeyObject, publicBlob: Buffer): string {
    const jwk = privateKey.export({ format: "jwk" });
    const type = sshKeyType(privateKey);
    let body: Buffer;
    switch (privateKey.asymmetricKeyType) {
        case "rsa":
            body = Buffer.concat([sshMpint(b64u(jwk.n)), sshMpint(b64u(jwk.e)), sshMpint(b64u(jwk.d)),
                sshMpint(b64u(jwk.qi)), sshMpint(b64u(jwk.p)), sshMpint(b64u(jwk.q))]);
            break;
        case "ed25519":
            body = Buffer.concat([sshString(b64u(jwk.x)), sshString(Buffer.concat([b64u(jwk.d), b64u(jwk.x)]))]);
            break;
        default:
            body = Buffer.concat([sshString(CURVES[privateKey.asymmetricKeyDetails!.namedCurve!].ssh), sshString(ecPoint(jwk)), sshMpint(b64u(jwk.d))]);
    }
    const check = randomBytes(4);
    let section = Buffer.concat([check, check, sshString(type), body, sshString("")]);
    const pad = (8 - (section.length % 8)) % 8;
    section = Buffer.concat([section, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
    const blob = Buffer.concat([Buffer.from("openssh-key-v1\0"), sshString("none"), sshString("none"), sshString(""),
        sshUint32(1), sshString(publicBlob), sshString(section)]);
    const lines = blob.toString("base64").match(/.{1,64}/g) ?? [];
    const label = "OPENSSH PRIVATE KEY";
    return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function b64u(s: string | undefined): Buffer { return Buffer.from(s ?? "", "base64url"); }
function ecPoint(jwk: { x?: string; y?: string }): Buffer { return Buffer.concat([Buffer.from([4]), b64u(jwk.x), b64u(jwk.y)]); }
function sshUint32(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; }
function sshString(v: Buffer | string): Buffer { const b = Buffer.from(v); return Buffer.concat([sshUint32(b.length), b]); }
function sshMpint(v: Buffer): Buffer {
    let i = 0;
    while (i < v.length && v[i] === 0) i++;
    const trimmed = v.subarray(i);
    return sshString(trimmed.length && trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** Rejects inputs this stand-in does not know, and values still unknown (preview). */
function checkInputs(where: string, inputs: State, known: string[]): void {
    for (const [k, v] of Object.entries(inputs)) {
        if (v === undefined) continue;
        if (!known.includes(k)) {
            throw new Error(`mock-tls: ${where}: input "${k}" is not modelled by this stand-in (modelled: ${known.join(", ")}).`);
        }
        if (containsUnknown(v)) {
            throw new Error(`mock-tls: ${where}: input "${k}" is unknown (a preview value); real keys need known inputs.`);
        }
    }
}

function containsUnknown(v: unknown): boolean {
    if (isUnknown(v)) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}
