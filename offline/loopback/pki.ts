/**
 * Writes the PKI of one offline program run to a folder, so real TLS software (nginx, openssl,
 * Node's tls) can be pointed at exactly what the program would upload and store:
 *
 *   ca.pem                 the trust-store CA bundle, byte for byte the S3 object the trust store reads
 *                          (mtlsMode off, no trust store: the stack's caBundlePem output, its CA)
 *   backend.crt            the backend leaf certificate, then its chain
 *   backend.key            the backend private key (0600)
 *   clients/<name>.crt     each mTLS client's leaf certificate, then its chain
 *   clients/<name>.key     each mTLS client's private key (0600)
 *
 * The keys are throwaway: the offline stand-ins (offline/engine/mock-tls.ts, offline/engine/mock-private-ca.ts)
 * generated them in this process for this run. They exist nowhere else, protect nothing, and must
 * not be reused or committed.
 *
 * Used by `npm run emit:pki -- --stack dev --out <dir>` (offline/commands/emit-pki.ts), by
 * `npm run preview:offline -- --stack dev --emit-pki <dir>`, and by the TLS tests.
 */
import * as fs from "fs";
import * as path from "path";
import { ReferenceIndex } from "../../policies/shared/resolver";
import { ProgramRun, RecordedResource } from "../engine/recorded";
import { ELBV2, TOKENS } from "../../policies/shared/tokens";
import { TAG } from "../../components/facts";

const TRUST_STORE = ELBV2.lb.trustStore;
const TRUST_STORE_REVOCATION = ELBV2.lb.trustStoreRevocation;
const BUCKET_OBJECTS: readonly string[] = [TOKENS.s3BucketObjectV2, TOKENS.s3BucketObject];
const SECRET = TOKENS.secretsManagerSecret;
const SECRET_VERSION = TOKENS.secretsManagerSecretVersion;

/** One certificate with its key, as stored in a Secrets Manager secret by the program. */
export interface EmittedCertificate {
    /** Path of the leaf-then-chain PEM file. */
    readonly certPath: string;
    /** Path of the private key PEM file (0600). */
    readonly keyPath: string;
    /** The leaf certificate, PEM. */
    readonly certificate: string;
    /** The issuing chain, PEM. */
    readonly chain: string;
}

export interface EmittedPki {
    readonly dir: string;
    /** Path of ca.pem, the trust-store bundle. */
    readonly caPath: string;
    /** The trust-store bundle exactly as uploaded. */
    readonly caBundle: string;
    /** Path of crl.pem and its content, when the trust store carries a revocation list. */
    readonly crlPath?: string;
    readonly crl?: string;
    readonly backend: EmittedCertificate;
    /** mTLS clients by name (the secret's TAG.client tag). */
    readonly clients: Record<string, EmittedCertificate>;
}

interface StoredSecret { certificate: string; chain: string; privateKey: string }

/** Writes the run's trust-store bundle, backend and client certificates and keys under `dir`. */
export function emitPki(run: ProgramRun, dir: string): EmittedPki {
    const caBundle = trustStoreBundle(run);
    const secrets = storedSecrets(run);
    const backends = secrets.filter(s => s.tags[TAG.role] === "backend");
    if (backends.length !== 1) {
        throw new Error(`emit-pki: expected one ${SECRET} tagged ${TAG.role}=backend in stack ${run.stack}, found ${backends.length}`);
    }
    fs.mkdirSync(path.join(dir, "clients"), { recursive: true });
    const caPath = path.join(dir, "ca.pem");
    fs.writeFileSync(caPath, caBundle);

    const crl = revocationList(run);
    const crlPath = crl === undefined ? undefined : path.join(dir, "crl.pem");
    if (crlPath) fs.writeFileSync(crlPath, crl!);

    const backend = writePair(dir, "backend", backends[0].value);
    const clients: Record<string, EmittedCertificate> = {};
    for (const s of secrets.filter(x => x.tags[TAG.role] === "client")) {
        const name = s.tags[TAG.client];
        if (!name || !/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith(".")) {
            throw new Error(`emit-pki: client secret ${s.name} has ${TAG.client} ${JSON.stringify(name)}; expected a plain file-safe name`);
        }
        if (clients[name]) throw new Error(`emit-pki: two client secrets are tagged ${TAG.client}=${name}`);
        clients[name] = writePair(path.join(dir, "clients"), name, s.value);
    }
    return { dir, caPath, caBundle, crlPath, crl, backend, clients };
}

/**
 * The `content` of the bucket object the (single) trust store points at; without a trust store
 * (mtlsMode off), the CA certificate the stack exports as caBundlePem, which signed the backend.
 */
function trustStoreBundle(run: ProgramRun): string {
    const stores = run.resources.filter(r => r.type === TRUST_STORE);
    if (stores.length === 0 && typeof run.outputs.caBundlePem === "string" && run.outputs.caBundlePem.includes("-----BEGIN CERTIFICATE-----")) {
        return run.outputs.caBundlePem;
    }
    if (stores.length !== 1) throw new Error(`emit-pki: expected one ${TRUST_STORE} (or, without one, a caBundlePem output) in stack ${run.stack}, found ${stores.length}`);
    const store = stores[0].inputs;
    const objects = run.resources.filter(r => BUCKET_OBJECTS.includes(r.type)
        && r.inputs.key === store.caCertificatesBundleS3Key
        && (store.caCertificatesBundleS3Bucket === undefined || r.inputs.bucket === store.caCertificatesBundleS3Bucket));
    if (objects.length !== 1) {
        throw new Error(`emit-pki: expected one bucket object with key ${JSON.stringify(store.caCertificatesBundleS3Key)} for the trust store, found ${objects.length}`);
    }
    const content = objects[0].inputs.content;
    if (typeof content !== "string" || !content.includes("-----BEGIN CERTIFICATE-----")) {
        throw new Error(`emit-pki: the trust-store bundle object ${objects[0].name} has no PEM content (source/file uploads are not read)`);
    }
    return content;
}

/** The `content` of the CRL object a trust-store revocation points at, if there is one. */
function revocationList(run: ProgramRun): string | undefined {
    const revocations = run.resources.filter(r => r.type === TRUST_STORE_REVOCATION);
    if (revocations.length === 0) return undefined;
    if (revocations.length > 1) throw new Error(`emit-pki: expected at most one ${TRUST_STORE_REVOCATION} in stack ${run.stack}, found ${revocations.length}`);
    const key = revocations[0].inputs.revocationsS3Key;
    const objects = run.resources.filter(r => BUCKET_OBJECTS.includes(r.type) && r.inputs.key === key);
    if (objects.length !== 1 || typeof objects[0].inputs.content !== "string" || !objects[0].inputs.content.includes("-----BEGIN X509 CRL-----")) {
        throw new Error(`emit-pki: the revocation list object ${JSON.stringify(key)} has no PEM CRL content`);
    }
    return objects[0].inputs.content;
}

function storedSecrets(run: ProgramRun): { name: string; tags: Record<string, string>; value: StoredSecret }[] {
    const index = new ReferenceIndex(run.resources.map(r => ({ ...r, props: r.outputs })));
    const refersTo = (r: RecordedResource, prop: string, target: RecordedResource) =>
        index.resolve(index.get(r.urn)!, prop, r.inputs[prop], x => x.urn === target.urn).nodes.length > 0;
    const versions = run.resources.filter(r => r.type === SECRET_VERSION);
    return run.resources.filter(r => r.type === SECRET && r.inputs.tags?.[TAG.role]).map(secret => {
        const version = versions.filter(v => refersTo(v, "secretId", secret));
        if (version.length !== 1) {
            throw new Error(`emit-pki: secret ${secret.name} has ${version.length} secret versions; expected one`);
        }
        let value: StoredSecret;
        try {
            value = JSON.parse(version[0].inputs.secretString);
        } catch {
            throw new Error(`emit-pki: secret version ${version[0].name} does not hold JSON`);
        }
        for (const field of ["certificate", "chain", "privateKey"] as const) {
            if (typeof value[field] !== "string" || !value[field].includes("-----BEGIN ")) {
                throw new Error(`emit-pki: secret version ${version[0].name} field "${field}" is not PEM`);
            }
        }
        return { name: secret.name, tags: secret.inputs.tags, value };
    });
}

function writePair(dir: string, name: string, s: StoredSecret): EmittedCertificate {
    const certPath = path.join(dir, `${name}.crt`);
    const keyPath = path.join(dir, `${name}.key`);
    fs.writeFileSync(certPath, `${s.certificate.trim()}\n${s.chain.trim()}\n`);
    fs.writeFileSync(keyPath, `${s.privateKey.trim()}\n`, { mode: 0o600 });
    fs.chmodSync(keyPath, 0o600);
    return { certPath, keyPath, certificate: s.certificate, chain: s.chain };
}
