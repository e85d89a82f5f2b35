/**
 * Paced HTTPS load on loopback for the rotation rehearsal (rotation.ts): GETs on fresh
 * connections, counted by which certificate the server presented.
 */
import * as https from "https";
import { LOOPBACK } from "./processes";

export interface LoadArgs {
    port: number; ca: string; servername: string; maxRequests: number; maxMs: number; rate: number;
    concurrency: number; oldFingerprint: string; newFingerprint: string;
}

/**
 * Paced HTTPS GETs, each on a new connection with a full handshake (chain and name checked against
 * ca.pem), until stopped or a bound is hit. Connection reuse across a reload is not exercised.
 */
export function startLoad(a: LoadArgs) {
    const started = Date.now();
    const stats = { requests: 0, failed: 0, servedOld: 0, servedNew: 0, errors: [] as string[] };
    let next = 0;
    let stopped = false;
    const over = () => stopped || next >= a.maxRequests || Date.now() - started >= a.maxMs;
    const worker = async () => {
        while (!over()) {
            const i = next++;
            const wait = started + (i * 1000) / a.rate - Date.now();
            if (wait > 0) await sleep(wait);
            if (stopped || Date.now() - started >= a.maxMs) break;
            stats.requests++;
            const r = await get(a);
            if (r.ok) {
                if (r.fingerprint === a.newFingerprint) stats.servedNew++;
                else if (r.fingerprint === a.oldFingerprint) stats.servedOld++;
            } else {
                stats.failed++;
                stats.errors.push(r.error);
            }
        }
    };
    let finished = false;
    const done = Promise.all(Array.from({ length: a.concurrency }, worker)).then(() => { finished = true; });
    return {
        done,
        finished: () => finished,
        elapsedMs: () => Date.now() - started,
        stats: () => ({ ...stats }),
        stop: async () => { stopped = true; await done; },
    };
}

function get(a: LoadArgs): Promise<{ ok: true; fingerprint: string } | { ok: false; error: string }> {
    return new Promise(resolve => {
        const req = https.request({
            host: LOOPBACK, port: a.port, path: "/", servername: a.servername, ca: a.ca, agent: false,
            headers: { host: a.servername }, timeout: 5000,
        }, res => {
            const fingerprint = (res.socket as import("tls").TLSSocket).getPeerCertificate().fingerprint256;
            let body = "";
            res.setEncoding("utf8");
            res.on("data", d => { body += d; });
            res.on("end", () => resolve(res.statusCode === 200 && body.startsWith("ok")
                ? { ok: true, fingerprint }
                : { ok: false, error: `HTTP ${res.statusCode}: ${body.slice(0, 60)}` }));
            res.on("error", e => resolve({ ok: false, error: e.message }));
        });
        req.on("timeout", () => req.destroy(new Error("timed out after 5 s")));
        req.on("error", e => resolve({ ok: false, error: (e as NodeJS.ErrnoException).code ?? e.message }));
        req.end();
    });
}

export function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}
