/**
 * A program run's PKI written out and served by both verifiers the handshake tests use: the
 * listener stand-in (mtls-endpoint.ts) and a verifying nginx (verifying-nginx.ts).
 */
import * as fs from "fs";
import { emitPki, EmittedPki } from "../../../offline/commands/emit-pki";
import { attempt } from "../../../offline/loopback/client";
import { Nginx } from "../../../offline/loopback/processes";
import { ProgramRun } from "../../../offline/engine/recorded";
import { startMtlsEndpoint, MtlsEndpoint } from "./mtls-endpoint";
import { startVerifyingNginx } from "./verifying-nginx";

export interface Verifiers { run: ProgramRun; pki: EmittedPki; endpoint: MtlsEndpoint; nginx: { nginx: Nginx; port: number } }

/** Emits the run's PKI under `dir` and starts both verifiers on it (the app behind nginx on `appPort`). */
export async function startVerifiers(run: ProgramRun, dir: string, appPort: number): Promise<Verifiers> {
    const pki = emitPki(run, dir);
    const read = (p: string) => fs.readFileSync(p, "utf8");
    const endpoint = await startMtlsEndpoint({ caBundle: pki.caBundle, certPem: read(pki.backend.certPath), keyPem: read(pki.backend.keyPath), ignoreClientCertificateExpiry: false });
    return { run, pki, endpoint, nginx: await startVerifyingNginx(pki, dir, appPort) };
}

export async function stopVerifiers(v: Verifiers | undefined): Promise<void> {
    await v?.endpoint.close();
    await v?.nginx.nginx.stop();
}

/** Presents a client certificate to both: the stand-in's verdict and response, and nginx's response. */
export async function present(v: Verifiers, cert: { certPem: string; keyPem: string }) {
    const args = { ca: v.pki.caBundle, servername: "backend.e2e-tls.internal", cert: cert.certPem, key: cert.keyPem };
    const viaEndpoint = await attempt({ ...args, port: v.endpoint.port });
    return { verdict: v.endpoint.verdicts[v.endpoint.verdicts.length - 1].reason, viaEndpoint, viaNginx: await attempt({ ...args, port: v.nginx.port }) };
}
