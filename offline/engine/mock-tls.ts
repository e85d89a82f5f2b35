/**
 * Offline stand-in for @pulumi/tls that makes real keys and X.509v3 certificates, so the offline
 * world can prove that the PKI the program asks for works in a TLS handshake, not only that it was
 * asked for. (The AWS Private CA stand-in is offline/engine/mock-private-ca.ts.)
 *
 * `mockTlsResource`: the four `tls:` resources of @pulumi/tls 5.6.1, generated from exactly the
 * inputs given, the way hashicorp/terraform-provider-tls does with Go's crypto/x509 (serials,
 * subject order, extension set and criticality, key identifiers, PEM labels, output names).
 *
 * Certificates are built with @peculiar/x509 on Node's WebCrypto; Node's crypto makes the keys.
 * Every key is throwaway and lives only in this process (and in the mock state it returns).
 * Inputs this stand-in does not model fail loudly instead of being ignored.
 */
import { createHash, createPublicKey, KeyObject } from "crypto";
import { isIP } from "net";
import {
    checkInputs, csrSans, directoryString, EXTENDED_KEY_USAGES, IssuedCert, KEY_USAGES, keyIdentifier, LoadedKey,
    loadPrivateKey, MockResult, parseCertificate, parseCsr, requireKeyMatchesCertificate, sign, State, webcryptoPublicKey,
    webcryptoSigner, x509,
} from "./x509-build";
import { mockPrivateKey } from "./mock-tls-key";
import { TOKENS } from "../../policies/shared/tokens";

// ---------------------------------------------------------------------------------------------
// @pulumi/tls
// ---------------------------------------------------------------------------------------------

/** Every input @pulumi/tls 5.6.1 accepts, per resource: anything else is a program bug. */
const TLS_INPUTS: Record<string, string[]> = {
    [TOKENS.tlsPrivateKey]: ["algorithm", "ecdsaCurve", "rsaBits"],
    [TOKENS.tlsSelfSignedCert]: [
        "allowedUses", "dnsNames", "earlyRenewalHours", "ipAddresses", "isCaCertificate", "maxPathLength",
        "privateKeyPem", "privateKeyPemWo", "privateKeyPemWoVersion", "setAuthorityKeyId", "setSubjectKeyId",
        "subject", "uris", "validityPeriodHours"],
    [TOKENS.tlsCertRequest]: [
        "dnsNames", "ipAddresses", "privateKeyPem", "privateKeyPemWo", "privateKeyPemWoVersion", "subject", "uris"],
    [TOKENS.tlsLocallySignedCert]: [
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
        case TOKENS.tlsPrivateKey: return mockPrivateKey(where, inputs);
        case TOKENS.tlsSelfSignedCert: return selfSignedCert(where, inputs);
        case TOKENS.tlsCertRequest: return certRequest(where, inputs);
        default: return locallySignedCert(where, inputs);
    }
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
