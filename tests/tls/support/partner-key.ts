/**
 * A partner's side of bring-your-own-key: a private key and a CSR made with openssl, as the README
 * tells a partner to, in a folder the stack never sees. Only the CSR goes into the stack's config.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface PartnerKey {
    readonly csrPem: string;
    readonly keyPem: string;
}

/** `newkey` as openssl req takes it after -newkey, e.g. "ec" (P-256 by default here), "rsa:1024", "ed25519". */
export function partnerCsr(dir: string, commonName: string, newkey = "ec", extra: string[] = []): PartnerKey {
    const keyPath = path.join(dir, `${commonName}.key`);
    const csrPath = path.join(dir, `${commonName}.csr`);
    const curve = newkey === "ec" ? ["-pkeyopt", "ec_paramgen_curve:P-256"] : [];
    execFileSync("openssl", ["req", "-new", "-newkey", newkey, ...curve, "-nodes", "-keyout", keyPath,
        "-subj", `/CN=${commonName}`, "-out", csrPath, ...extra], { stdio: ["ignore", "ignore", "pipe"] });
    return { csrPem: fs.readFileSync(csrPath, "utf8"), keyPem: fs.readFileSync(keyPath, "utf8") };
}
