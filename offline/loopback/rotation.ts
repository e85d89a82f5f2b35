/**
 * Certificate rotation rehearsal on loopback. It runs the program offline for a stack, serves its
 * backend certificate with real nginx from the rendered config, and lets the refresh agent that the
 * EC2 user data installs (components/compute/backend/refresh-agent.sh) fetch it from a local stand-in for
 * Secrets Manager (offline/stub-aws/aws, first on PATH). Under a bounded HTTPS load it publishes a
 * renewal (a new key, and a certificate for it from the same CA: what `pulumi up` in the next renewal
 * period makes, components/pki/leaf-key.ts) as a new secret version, runs the agent as
 * the timer would, and checks with fresh handshakes that nginx serves the new certificate.
 *
 * Last line of output, exactly: `rotation: <N> requests, <F> failed, new certificate served: yes|no`;
 * the exit status is 0 only if F is 0 and the new certificate is served. A program it needs
 * (ROTATION_PROGRAMS) missing from PATH is a MissingProgramError before anything runs.
 *
 * The command line is offline/commands/rehearse-rotation.ts.
 *
 * Every key involved is throwaway, generated for this run by the offline stand-ins.
 */
import { ChildProcess, spawn } from "child_process";
import { generateKeyPairSync, randomUUID, X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { renderNginxConf } from "../../components/compute/backend/nginx";
import { CERTIFICATE_FILE, PRIVATE_KEY_FILE } from "../../components/compute/backend/tls-files";
import { REFRESH_AGENT_PATH } from "../../components/compute/backend/user-data";
import { mockPrivateCaResource } from "../engine/mock-private-ca";
import { mockTlsResource } from "../engine/mock-tls";
import { ProgramRun } from "../engine/recorded";
import { runProgram } from "../engine/run-program";
import { TAG } from "../../components/facts";
import { TOKENS } from "../../policies/shared/tokens";
import { attempt } from "./client";
import { sleep, startLoad } from "./load";
import { emitPki } from "./pki";
import { freePort, LOOPBACK, startApp, startNginx, tempDir } from "./processes";
import { requirePrograms } from "./programs";

export const STUB_AWS_DIR = path.join(__dirname, "..", "stub-aws");

/** Hard bounds on the load, whatever the options say. */
export const MAX_REQUESTS = 2000;
export const MAX_SECONDS = 30;

export interface RotationOptions {
    /** Stack whose Pulumi.<stack>.yaml is run. Defaults to "dev". */
    readonly stack?: string;
    /** Requests at most (capped at 2000). Defaults to 2000. */
    readonly maxRequests?: number;
    /** Seconds of load at most (capped at 30). Defaults to 30. */
    readonly maxSeconds?: number;
    /** Request rate, per second. Defaults to 100. */
    readonly ratePerSecond?: number;
    /** Requests in flight at once. Defaults to 4. */
    readonly concurrency?: number;
    /** When the renewed version is published, after the load starts. Defaults to 3000 ms. */
    readonly publishAfterMs?: number;
    /** The agent's timer period. Defaults to 1000 ms. */
    readonly agentIntervalMs?: number;
    /** Load kept up after the new certificate is first seen. Defaults to 2000 ms. */
    readonly tailMs?: number;
    /**
     * What gets published: a proper renewal, or (to rehearse a bad publication) a renewed
     * certificate with a key that does not match it, which the agent's check must refuse while
     * nginx keeps serving the old certificate. Defaults to "valid".
     */
    readonly renewal?: "valid" | "mismatched-key";
    /** Progress lines (the result line excluded). Defaults to none. */
    readonly log?: (line: string) => void;
}

export interface RotationResult {
    readonly requests: number;
    readonly failed: number;
    readonly newCertificateServed: boolean;
    readonly servedOld: number;
    readonly servedNew: number;
    readonly agentRuns: number;
    readonly agentFailures: number;
    /** Whether the renewal came with a new key (the served certificate's public key changed). */
    readonly keyRotated: boolean;
    /** Milliseconds from publishing the new version to the first fresh handshake that showed it. */
    readonly rotationMs?: number;
    readonly errors: string[];
    /** `rotation: <N> requests, <F> failed, new certificate served: yes|no` */
    readonly line: string;
}

interface StoredSecret { certificate: string; chain: string; privateKey: string }

/**
 * What the rehearsal runs besides Node: nginx serves; the refresh agent is a bash script that parses
 * the secret with python3 and compares keys with openssl; the stub `aws` is a node script.
 */
export const ROTATION_PROGRAMS = ["bash", "nginx", "openssl", "python3", "node"] as const;

export async function rehearseRotation(opts: RotationOptions = {}): Promise<RotationResult> {
    requirePrograms(ROTATION_PROGRAMS, "The rotation rehearsal");
    const log = opts.log ?? (() => undefined);
    const stack = opts.stack ?? "dev";
    const maxRequests = Math.min(opts.maxRequests ?? MAX_REQUESTS, MAX_REQUESTS);
    const maxMs = Math.min(opts.maxSeconds ?? MAX_SECONDS, MAX_SECONDS) * 1000;
    const rate = opts.ratePerSecond ?? 100;
    const agentIntervalMs = opts.agentIntervalMs ?? 1000;

    const run = await runProgram({ stack });
    const work = tempDir(`e2etls-rotation-${stack}`);
    const stops: (() => Promise<void> | void)[] = [work.remove];
    try {
        const pki = emitPki(run, path.join(work.dir, "pki"));
        const secretId = backendSecretId(run);
        const first: StoredSecret = { certificate: pki.backend.certificate, chain: pki.backend.chain, privateKey: fs.readFileSync(pki.backend.keyPath, "utf8") };
        const internalName = new X509Certificate(first.certificate).subjectAltName?.match(/DNS:([^,\s]+)/)?.[1];
        if (!internalName) throw new Error("the backend certificate has no DNS name");

        const secretsDir = path.join(work.dir, "secrets-manager");
        const tlsDir = path.join(work.dir, "tls");
        publish(secretsDir, secretId, first);

        const app = await startApp(await freePort());
        stops.unshift(() => app.close());
        const port = await freePort();
        const runtimeDir = path.join(work.dir, "nginx");
        fs.mkdirSync(runtimeDir);
        const confPath = path.join(runtimeDir, "nginx.conf");
        fs.writeFileSync(confPath, renderNginxConf({
            backendPort: port, appPort: app.port, listenAddress: LOOPBACK, runtimeDir,
            certificatePath: path.join(tlsDir, CERTIFICATE_FILE), privateKeyPath: path.join(tlsDir, PRIVATE_KEY_FILE),
        }));
        const agentEnv = (checkCmd: string, reloadCmd: string): NodeJS.ProcessEnv => ({
            ...process.env,
            PATH: `${STUB_AWS_DIR}${path.delimiter}${process.env.PATH ?? ""}`,
            STUB_AWS_SECRETS_DIR: secretsDir,
            STUB_AWS_LOG: path.join(work.dir, "aws-calls.log"),
            SECRET_ID: secretId,
            TLS_DIR: tlsDir,
            CHECK_CMD: checkCmd,
            RELOAD_CMD: reloadCmd,
        });
        // Boot: the first fetch writes the files; nginx starts after it (reload-or-restart on the instance).
        const boot = await runAgent(agentEnv(`nginx -t -q -p ${runtimeDir} -c ${confPath} -e ${runtimeDir}/error.log`, "true"));
        if (boot.status !== 0) throw new Error(`the refresh agent failed at boot: ${boot.stderr}`);
        const nginx = await startNginx(runtimeDir, confPath, port);
        stops.unshift(() => nginx.stop());
        const oldFingerprint = new X509Certificate(first.certificate).fingerprint256;
        log(`stack ${stack}: nginx serves secret version 1 (serial ${new X509Certificate(first.certificate).serialNumber}) on ${LOOPBACK}:${port} as ${internalName}`);

        const renewed: StoredSecret = { ...first, ...await renewBackend(run, first.certificate) };
        if (opts.renewal === "mismatched-key") {
            renewed.privateKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "sec1", format: "pem" }) as string;
        }
        const newCert = new X509Certificate(renewed.certificate);
        const spki = (c: X509Certificate) => c.publicKey.export({ type: "spki", format: "der" }).toString("base64");
        const keyRotated = spki(newCert) !== spki(new X509Certificate(first.certificate));

        // The agent's timer: one run at a time, every agentIntervalMs, until told to stop.
        let agentRuns = 0;
        let agentFailures = 0;
        let agentStopped = false;
        const env = agentEnv(nginx.checkCommand, nginx.reloadCommand);
        const timer = (async () => {
            while (!agentStopped) {
                const r = await runAgent(env);
                agentRuns++;
                if (r.status !== 0) {
                    agentFailures++;
                    log(`agent run ${agentRuns} failed (${r.status}): ${r.stderr.trim()}`);
                }
                await sleep(agentIntervalMs);
            }
        })();
        stops.unshift(async () => { agentStopped = true; await timer; });

        const load = startLoad({
            port, ca: pki.caBundle, servername: internalName, maxRequests, maxMs, rate,
            concurrency: opts.concurrency ?? 4, oldFingerprint, newFingerprint: newCert.fingerprint256,
        });
        stops.unshift(() => load.stop());

        await Promise.race([sleep(opts.publishAfterMs ?? 3000), load.done]);
        const publishedAt = Date.now();
        publish(secretsDir, secretId, renewed);
        log(`published secret version 2 (serial ${newCert.serialNumber}, ${keyRotated ? "a new key" : "the same key"}) after ${load.elapsedMs()} ms of load`);

        // Fresh handshakes until the new certificate shows or the time bound is reached.
        let rotationMs: number | undefined;
        while (rotationMs === undefined && load.elapsedMs() < maxMs) {
            const a = await attempt({ port, ca: pki.caBundle, servername: internalName });
            if (a.serverFingerprint === newCert.fingerprint256 && a.status === 200) rotationMs = Date.now() - publishedAt;
            else await sleep(100);
        }
        if (load.finished()) log("the load ended before the rotation was seen: raise --requests or lower --rate");
        if (rotationMs !== undefined) {
            log(`a fresh handshake shows the new certificate ${rotationMs} ms after publishing`);
            await Promise.race([sleep(opts.tailMs ?? 2000), load.done]);
        }
        await load.stop();
        agentStopped = true;
        await timer;

        // A last fresh handshake after the load, so "served" means served now, not only once.
        const last = await attempt({ port, ca: pki.caBundle, servername: internalName });
        const served = rotationMs !== undefined && last.status === 200 && last.serverFingerprint === newCert.fingerprint256;
        const stats = load.stats();
        log(`requests served with the old certificate: ${stats.servedOld}, with the new one: ${stats.servedNew}; agent runs: ${agentRuns} (${agentFailures} failed)`);
        for (const e of stats.errors.slice(0, 5)) log(`failed request: ${e}`);
        const line = `rotation: ${stats.requests} requests, ${stats.failed} failed, new certificate served: ${served ? "yes" : "no"}`;
        return { ...stats, newCertificateServed: served, keyRotated, agentRuns, agentFailures, rotationMs, line };
    } finally {
        for (const stop of stops) await stop();
    }
}

/** The ARN of the secret tagged TAG.role=backend (the id the agent is configured with). */
function backendSecretId(run: ProgramRun): string {
    const secrets = run.resources.filter(r => r.type === TOKENS.secretsManagerSecret && r.inputs.tags?.[TAG.role] === "backend");
    if (secrets.length !== 1) throw new Error(`expected one backend secret, found ${secrets.length}`);
    return secrets[0].outputs.arn ?? secrets[0].outputs.id;
}

/**
 * Renews the backend as the next `pulumi up` in a new renewal period does, through the stand-ins
 * that made it and from the recorded inputs: a new key (its replacementTrigger changed), a new
 * request for it (privateKeyPem forces one), and a certificate signed for that request.
 */
async function renewBackend(run: ProgramRun, current: string): Promise<{ certificate: string; privateKey: string }> {
    const issuer = run.resources.find(r => r.outputs.certPem === current || r.outputs.certificate === current);
    const csr = run.resources.find(r => r.type === TOKENS.tlsCertRequest
        && (r.outputs.certRequestPem === issuer?.inputs.certRequestPem || r.outputs.certRequestPem === issuer?.inputs.certificateSigningRequest));
    const key = run.resources.find(r => r.type === TOKENS.tlsPrivateKey && r.outputs.privateKeyPem === csr?.inputs.privateKeyPem);
    if (!issuer || !csr || !key) throw new Error("no recorded key, request and issuer for the backend certificate");
    const privateKey: string = (await mockTlsResource(key.type, key.name, key.inputs)).state.privateKeyPem;
    const request: string = (await mockTlsResource(csr.type, csr.name, { ...csr.inputs, privateKeyPem: privateKey })).state.certRequestPem;
    if (issuer.type === TOKENS.tlsLocallySignedCert) {
        return { privateKey, certificate: (await mockTlsResource(issuer.type, issuer.name, { ...issuer.inputs, certRequestPem: request })).state.certPem };
    }
    if (issuer.type === TOKENS.acmpcaCertificate) {
        return { privateKey, certificate: (await mockPrivateCaResource(issuer.type, issuer.name, { ...issuer.inputs, certificateSigningRequest: request })).state.certificate };
    }
    throw new Error(`the backend certificate was issued by ${issuer.type}, which the rehearsal does not renew`);
}

/** Makes `secret` the AWSCURRENT version of `secretId` in the stub's folder (atomically). */
function publish(secretsDir: string, secretId: string, secret: StoredSecret): void {
    const dir = path.join(secretsDir, encodeURIComponent(secretId));
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const versionId = randomUUID();
    fs.writeFileSync(path.join(dir, `${versionId}.json`), JSON.stringify(secret), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, "AWSCURRENT.tmp"), `${versionId}\n`);
    fs.renameSync(path.join(dir, "AWSCURRENT.tmp"), path.join(dir, "AWSCURRENT"));
}

function runAgent(env: NodeJS.ProcessEnv): Promise<{ status: number; stderr: string }> {
    return new Promise(resolve => {
        const child: ChildProcess = spawn("bash", [REFRESH_AGENT_PATH], { env, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr!.on("data", d => { stderr += d; });
        const kill = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.on("close", status => {
            clearTimeout(kill);
            resolve({ status: status ?? 1, stderr });
        });
    });
}
