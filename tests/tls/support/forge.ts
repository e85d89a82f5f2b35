/**
 * Certificates the program would never issue, made on purpose to prove the verifying side refuses
 * them: an expired client certificate from the real CA, a client of another CA. Throwaway keys.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, webcrypto } from "crypto";
import { x509 } from "../../../offline/engine/x509-build";

export interface ForgeArgs {
    readonly commonName: string;
    /** Extended key usage OIDs. Defaults to clientAuth. */
    readonly eku?: string[];
    readonly isCa?: boolean;
    readonly notBefore?: Date;
    readonly notAfter?: Date;
    /** Serial number, hexadecimal. Defaults to a random one. */
    readonly serialNumber?: string;
    /** Issuer; omitted for a self-signed certificate. */
    readonly issuer?: { certPem: string; keyPem: string };
}

export interface Forged { certPem: string; keyPem: string }

export const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
export const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

/** An ECDSA P-256 certificate signed by `issuer` (RSA or ECDSA, or itself) with the given validity and EKU. */
export async function forge(args: ForgeArgs): Promise<Forged> {
    const subjectPair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const signerPem = args.issuer?.keyPem ?? subjectPair.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const signerKey = createPublicKey(signerPem);
    const curve = signerKey.asymmetricKeyDetails?.namedCurve === "secp384r1" ? "P-384" : "P-256";
    const hash = curve === "P-384" ? "SHA-384" : "SHA-256";
    // The program's self-managed CA is RSA; other issuers here are ECDSA.
    const algorithm = signerKey.asymmetricKeyType === "rsa"
        ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
        : { name: "ECDSA", namedCurve: curve, hash };
    const der = createPrivateKey(signerPem).export({ type: "pkcs8", format: "der" });
    const signingKey = await webcrypto.subtle.importKey("pkcs8", der, algorithm, false, ["sign"]);
    const subject = new x509.Name([{ "2.5.4.10": ["e2e-tls tests"] }, { "2.5.4.3": [args.commonName] }]);
    const issuerCert = args.issuer ? new x509.X509Certificate(args.issuer.certPem) : undefined;
    const notBefore = args.notBefore ?? new Date(Date.now() - 60_000);
    const cert = await x509.X509CertificateGenerator.create({
        serialNumber: args.serialNumber ?? `01${randomBytes(15).toString("hex")}`,
        subject,
        issuer: issuerCert ? issuerCert.subjectName : subject,
        notBefore,
        notAfter: args.notAfter ?? new Date(notBefore.getTime() + 86_400_000),
        publicKey: new x509.PublicKey(subjectPair.publicKey.export({ type: "spki", format: "der" })),
        signingKey: signingKey as any,
        signingAlgorithm: algorithm as any,
        extensions: [
            new x509.BasicConstraintsExtension(args.isCa ?? false, undefined, true),
            new x509.KeyUsagesExtension(args.isCa
                ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
                : x509.KeyUsageFlags.digitalSignature, true),
            ...(args.isCa ? [] : [new x509.ExtendedKeyUsageExtension(args.eku ?? [CLIENT_AUTH])]),
        ],
    });
    return {
        certPem: cert.toString("pem") + "\n",
        keyPem: subjectPair.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    };
}
