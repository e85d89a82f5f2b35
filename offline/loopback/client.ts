/**
 * A strict TLS client for loopback checks: it trusts only the given CA bundle, checks the server's
 * name against `servername`, optionally presents a client certificate, sends one HTTP/1.1 GET and
 * reports what it saw.
 */
import * as tls from "tls";
import { LOOPBACK } from "./processes";

export interface Attempt {
    /** HTTP status of the response, if one arrived. */
    status?: number;
    body?: string;
    /** Why the connection failed, if it did (handshake, verification, reset). */
    error?: string;
    protocol?: string;
    /** The server certificate's serial (hex) and SHA-256 fingerprint. */
    serverSerial?: string;
    serverFingerprint?: string;
}

export interface AttemptArgs {
    readonly port: number;
    /** CA bundle the client trusts (and nothing else). */
    readonly ca: string;
    /** Name the server certificate must carry (SNI and identity check). */
    readonly servername: string;
    readonly cert?: string;
    readonly key?: string;
    readonly minVersion?: tls.SecureVersion;
    readonly maxVersion?: tls.SecureVersion;
    readonly timeoutMs?: number;
}

export function attempt(args: AttemptArgs): Promise<Attempt> {
    return new Promise(resolve => {
        const result: Attempt = {};
        let data = "";
        let settled = false;
        const finish = (error?: string) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
            if (m) {
                result.status = Number(m[1]);
                result.body = data.slice(data.indexOf("\r\n\r\n") + 4);
            } else if (error) {
                result.error = error;
            } else {
                result.error = data ? `no HTTP response: ${JSON.stringify(data.slice(0, 60))}` : "connection closed without a response";
            }
            socket.destroy();
            resolve(result);
        };
        const socket = tls.connect({
            host: LOOPBACK,
            port: args.port,
            servername: args.servername,
            ca: args.ca,
            cert: args.cert,
            key: args.key,
            minVersion: args.minVersion,
            maxVersion: args.maxVersion,
            rejectUnauthorized: true,
            // A fresh handshake every time: session reuse would hide a certificate change.
            session: undefined,
        }, () => {
            result.protocol = socket.getProtocol() ?? undefined;
            const peer = socket.getPeerCertificate();
            result.serverSerial = peer.serialNumber;
            result.serverFingerprint = peer.fingerprint256;
            socket.write(`GET / HTTP/1.1\r\nHost: ${args.servername}\r\nConnection: close\r\n\r\n`);
        });
        const timer = setTimeout(() => finish("timed out"), args.timeoutMs ?? 5000);
        socket.setEncoding("utf8");
        socket.on("data", d => { data += d; });
        socket.on("error", e => finish((e as NodeJS.ErrnoException).code ?? e.message));
        socket.on("close", () => finish());
    });
}
