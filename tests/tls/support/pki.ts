/**
 * The program's real PKI for a stack: runs index.ts under the offline mocks (whose tls: and
 * aws:acmpca/ stand-ins make real keys), writes it out with emitPki, and keeps what the tests need
 * to act like the load balancer (its mutual-TLS settings) and to forge refusals (the CA key).
 * One run per stack per test process; files live in a temporary folder removed at exit.
 */
import * as fs from "fs";
import { standInCaPrivateKeyPem } from "../../../offline/engine/mock-private-ca";
import { x509 } from "../../../offline/engine/x509-build";
import { emitPki, EmittedPki } from "../../../offline/commands/emit-pki";
import { runProgram } from "../../../offline/engine/run-program";
import { ProgramRun } from "../../../offline/engine/recorded";
import { tempDir } from "../../../offline/loopback/processes";

export interface ProgramPki extends EmittedPki {
    readonly stack: string;
    readonly run: ProgramRun;
    /** The backend certificate's first DNS SAN: the name clients check. */
    readonly internalName: string;
    /** The CA that signs the backend and client certificates (its certificate and, for tests, its key). */
    readonly ca: { certPem: string; keyPem: string };
    /** The HTTPS listener's `mutualAuthentication` block as the program set it. */
    readonly mutualAuthentication: { mode: string; ignoreClientCertificateExpiry: boolean };
}

const cache = new Map<string, Promise<ProgramPki>>();
// runProgram drives one global Pulumi runtime: runs must not overlap.
let queue: Promise<unknown> = Promise.resolve();

export function programPki(stack: "dev" | "prod"): Promise<ProgramPki> {
    let p = cache.get(stack);
    if (!p) {
        p = queue.then(() => build(stack));
        queue = p.catch(() => undefined);
        cache.set(stack, p);
    }
    return p;
}

async function build(stack: string): Promise<ProgramPki> {
    const run = await runProgram({ stack });
    const ca = caMaterial(run);
    const tmp = tempDir(`e2etls-pki-${stack}`);
    process.on("exit", tmp.remove);
    const pki = emitPki(run, tmp.dir);
    const backend = new x509.X509Certificate(pki.backend.certificate);
    const san = backend.getExtension(x509.SubjectAlternativeNameExtension);
    const internalName = san?.names.toJSON().find(n => n.type === "dns")?.value;
    if (!internalName) throw new Error(`stack ${stack}: the backend certificate has no DNS name`);
    const listeners = run.resources.filter(r => r.type === "aws:lb/listener:Listener" && r.inputs.mutualAuthentication);
    if (listeners.length !== 1) throw new Error(`stack ${stack}: expected one listener with mutualAuthentication, found ${listeners.length}`);
    const m = listeners[0].inputs.mutualAuthentication;
    return {
        ...pki, stack, run, internalName, ca,
        mutualAuthentication: { mode: m.mode, ignoreClientCertificateExpiry: m.ignoreClientCertificateExpiry === true },
    };
}

/** The issuing CA: the @pulumi/tls self-signed root and its key, or the Private CA stand-in's. */
export function caMaterial(run: ProgramRun): { certPem: string; keyPem: string } {
    const roots = run.resources.filter(r => r.type === "tls:index/selfSignedCert:SelfSignedCert" && r.inputs.isCaCertificate);
    const pcas = run.resources.filter(r => r.type === "aws:acmpca/certificateAuthority:CertificateAuthority");
    if (roots.length + pcas.length !== 1) throw new Error(`stack ${run.stack}: expected one CA, found ${roots.length + pcas.length}`);
    if (roots.length) return { certPem: roots[0].outputs.certPem, keyPem: roots[0].inputs.privateKeyPem };
    const arn = pcas[0].outputs.arn;
    const installed = run.resources.find(r => r.type === "aws:acmpca/certificateAuthorityCertificate:CertificateAuthorityCertificate"
        && r.inputs.certificateAuthorityArn === arn);
    if (!installed) throw new Error(`stack ${run.stack}: the Private CA ${arn} has no installed certificate`);
    return { certPem: installed.inputs.certificate, keyPem: standInCaPrivateKeyPem(arn) };
}

/** Writes PEM text to a 0600 file under `dir` and returns its path. */
export function writeSecretFile(dir: string, name: string, pem: string): string {
    const p = `${dir}/${name}`;
    fs.writeFileSync(p, pem, { mode: 0o600 });
    return p;
}
