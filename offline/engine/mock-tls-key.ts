/**
 * The `tls:index/privateKey:PrivateKey` stand-in of offline/engine/mock-tls.ts: a fresh key pair
 * of the given algorithm, in every encoding hashicorp/terraform-provider-tls returns (PEM, PKCS#8,
 * and the OpenSSH forms golang.org/x/crypto/ssh writes, with their fingerprints). The key is
 * throwaway and lives only in this process.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from "crypto";
import { CURVES, MockResult, State } from "./x509-build";

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
