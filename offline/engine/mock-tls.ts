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
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from "crypto";
import { isIP } from "net";
import {
    checkInputs, issueTime, csrSans, CURVES, directoryString, EXTENDED_KEY_USAGES, IssuedCert, KEY_USAGES, keyIdentifier, LoadedKey,
    loadPrivateKey, MockResult, parseCertificate, parseCsr, requireKeyMatchesCertificate, sign, State, webcryptoPublicKey,
    webcryptoSigner, x509,
} from "./x509-build";
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

    const notBefore = issueTime();
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

// ---------------------------------------------------------------------------------------------
// tls:index/privateKey:PrivateKey: a fresh key pair of the given algorithm, in every encoding
// hashicorp/terraform-provider-tls returns (PEM, PKCS#8, and the OpenSSH forms
// golang.org/x/crypto/ssh writes, with their fingerprints)
// ---------------------------------------------------------------------------------------------

/**
 * A key pair whose KeyObjects own their key data. Node 20 can deadlock exporting a JWK (the OpenSSH
 * encodings below) from a KeyObject straight out of generateKeyPairSync: a garbage collection during
 * the export destroys the generation job, whose destructor waits on the key mutex the export holds
 * (seen in a CI run here, stack: KeyGenJob<RsaKeyGenTraits>::~KeyGenJob under
 * KeyObjectHandle::ExportJWK; the test process then hangs for good). Generating encoded keys and
 * importing them gives keys that share nothing with the job.
 */
function freshPair(type: "rsa" | "ec" | "ed25519", options: object): { privateKey: KeyObject; publicKey: KeyObject } {
    const der = (generateKeyPairSync as (t: string, o: object) => { publicKey: Buffer; privateKey: Buffer })(type, {
        ...options,
        publicKeyEncoding: { type: "spki", format: "der" },
        privateKeyEncoding: { type: "pkcs8", format: "der" },
    });
    return {
        privateKey: createPrivateKey({ key: der.privateKey, format: "der", type: "pkcs8" }),
        publicKey: createPublicKey({ key: der.publicKey, format: "der", type: "spki" }),
    };
}

/** `tls:index/privateKey:PrivateKey`: a fresh key of the given algorithm, in every encoding the provider returns. */
export function mockPrivateKey(where: string, inputs: State): MockResult {
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
            pair = freshPair("rsa", { modulusLength: rsaBits });
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
            pair = freshPair("ec", { namedCurve: curve });
            pemType = "sec1";
            break;
        }
        case "ED25519":
            pair = freshPair("ed25519", {});
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

// OpenSSH encodings (RFC 4253, RFC 5656, RFC 8709, and OpenSSH's PROTOCOL.key).

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
