// @peculiar/x509 resolves its algorithm classes through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import * as crypto from "crypto";
import * as x509 from "@peculiar/x509";
import { normalSerial } from "./serial";

// Typed by what the provider gives back: the same Crypto type with or without the DOM library, which a
// consumer's tsconfig.json may bring in when the plugin runs (the parameter of \`set\`'s last overload is a string).
x509.cryptoProvider.set(crypto.webcrypto as unknown as ReturnType<typeof x509.cryptoProvider.get>);

export interface RevocationListArgs {
    /** The issuing CA's certificate, PEM. */
    readonly caCertificatePem: string;
    /** The issuing CA's RSA private key, PEM (PKCS#1 or PKCS#8). */
    readonly caPrivateKeyPem: string;
    /** Serial numbers of the certificates to revoke, hexadecimal (as `openssl x509 -serial` prints them; see serial.ts). */
    readonly revokedSerials: string[];
}

/**
 * A PEM certificate revocation list, signed by the CA, listing the given serial numbers, in the
 * form ELB trust stores take (a PEM CRL in S3). Revoking by serial rather than by client keeps a
 * revocation in force after the client and its certificate are gone from the stack.
 *
 * The result depends on its inputs only: `thisUpdate` and every revocation date are the CA's
 * `notBefore`, `nextUpdate` is the CA's `notAfter`, entries are sorted by serial, and the
 * signature is RSA PKCS#1 v1.5, which is deterministic. So an unchanged revocation set gives a
 * byte-identical CRL and `pulumi up` shows no diff; ECDSA signatures are randomised and would
 * re-upload the CRL on every run, which is why the self-managed CA uses an RSA key.
 */
export async function buildRevocationList(args: RevocationListArgs): Promise<string> {
    const ca = new x509.X509Certificate(args.caCertificatePem);
    const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    const keyDer = crypto.createPrivateKey(args.caPrivateKeyPem).export({ type: "pkcs8", format: "der" });
    if (crypto.createPrivateKey(args.caPrivateKeyPem).asymmetricKeyType !== "rsa") {
        throw new Error("the CA key must be RSA for a reproducible revocation list");
    }
    const signingKey = await crypto.webcrypto.subtle.importKey("pkcs8", keyDer, algorithm, false, ["sign"]);
    const serials = [...new Set(args.revokedSerials.map(normalSerial))].sort();
    const caKeyId = ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    const crl = await x509.X509CrlGenerator.create({
        issuer: ca.subject,
        thisUpdate: ca.notBefore,
        nextUpdate: ca.notAfter,
        signingAlgorithm: algorithm,
        signingKey,
        entries: serials.map(serialNumber => ({
            serialNumber,
            revocationDate: ca.notBefore,
            // A reason keeps the entry's extensions non-empty, as DER requires; this one fits a
            // client whose access was taken away.
            reason: x509.X509CrlReason.privilegeWithdrawn,
        })),
        extensions: [
            // CRL number: grows as clients are revoked, which is how a revocation set changes.
            new x509.Extension(CRL_NUMBER_OID, false, derInteger(serials.length)),
            ...(caKeyId ? [new x509.AuthorityKeyIdentifierExtension(caKeyId)] : []),
        ],
    });
    // OpenSSL, nginx and ELB read the RFC 7468 label "X509 CRL".
    return x509.PemConverter.encode(crl.rawData, "X509 CRL") + "\n";
}

const CRL_NUMBER_OID = "2.5.29.20";

/** DER encoding of a non-negative INTEGER. */
function derInteger(n: number): ArrayBuffer {
    const bytes: number[] = [];
    do {
        bytes.unshift(n & 0xff);
        n = Math.floor(n / 256);
    } while (n > 0);
    if (bytes[0] & 0x80) bytes.unshift(0);
    return new Uint8Array([0x02, bytes.length, ...bytes]).buffer;
}
