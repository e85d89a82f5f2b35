/**
 * A loopback stand-in for the HTTPS listener's mutual-TLS "verify" mode: a Node TLS server that
 * asks for a client certificate and admits a connection only if
 *   - a certificate was sent,
 *   - it chains to the trust-store bundle (OpenSSL's verification, which for a server also applies
 *     the ssl_client purpose: an extended key usage without clientAuth fails as INVALID_PURPOSE),
 *   - it is within its validity, unless `ignoreClientCertificateExpiry` (the listener setting),
 *   - its extended key usage, if present, includes clientAuth (checked again explicitly, because
 *     that is the rule ALB applies whatever the TLS library does),
 *   - it meets ALB's key and signature rules,
 *   - it is not on the trust store's revocation list, when there is one.
 * A refused client gets its connection closed with no HTTP response; an admitted one gets 200.
 * ALB refuses during the handshake itself; with TLS 1.3 a client only learns after it, so the tests
 * judge by the response, and the endpoint records why it refused.
 */
import * as tls from "tls";
import { AddressInfo } from "net";
import { LOOPBACK } from "../../../offline/loopback/processes";
import { certificateProblems } from "./alb-rules";

export interface EndpointArgs {
    /** The trust-store bundle, PEM. */
    readonly caBundle: string;
    /** Server certificate (leaf then chain) and key the endpoint presents. */
    readonly certPem: string;
    readonly keyPem: string;
    /** The listener's `ignoreClientCertificateExpiry`. */
    readonly ignoreClientCertificateExpiry: boolean;
    /** The trust store's revocation list, PEM. Defaults to none. */
    readonly crl?: string;
}

export interface Verdict { admitted: boolean; reason: string }

export interface MtlsEndpoint {
    readonly port: number;
    /** Verdicts in connection order. */
    readonly verdicts: Verdict[];
    close(): Promise<void>;
}

const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

export function judge(socket: tls.TLSSocket, ignoreExpiry: boolean): Verdict {
    const peer = socket.getPeerCertificate(true);
    if (!peer || !peer.raw) return { admitted: false, reason: "no client certificate" };
    const err = socket.authorizationError ? String(socket.authorizationError) : "";
    if (err && !(err === "CERT_HAS_EXPIRED" && ignoreExpiry)) return { admitted: false, reason: err };
    const eku = peer.ext_key_usage;
    if (eku && eku.length && !eku.includes(CLIENT_AUTH)) return { admitted: false, reason: "extended key usage lacks clientAuth" };
    const pem = `-----BEGIN CERTIFICATE-----\n${peer.raw.toString("base64")}\n-----END CERTIFICATE-----\n`;
    const problems = certificateProblems(pem, "client certificate");
    if (problems.length) return { admitted: false, reason: problems.join("; ") };
    return { admitted: true, reason: err ? `admitted despite ${err}` : "verified" };
}

export async function startMtlsEndpoint(args: EndpointArgs): Promise<MtlsEndpoint> {
    const verdicts: Verdict[] = [];
    const server = tls.createServer({
        cert: args.certPem,
        key: args.keyPem,
        ca: args.caBundle,
        ...(args.crl ? { crl: args.crl } : {}),
        requestCert: true,
        // The verdict is ours (judge), so that expiry can be ignored as the listener allows.
        rejectUnauthorized: false,
        minVersion: "TLSv1.2",
    }, socket => {
        const verdict = judge(socket, args.ignoreClientCertificateExpiry);
        verdicts.push(verdict);
        socket.on("error", () => undefined);
        if (!verdict.admitted) {
            socket.destroy();
            return;
        }
        socket.once("data", () => {
            socket.end("HTTP/1.1 200 OK\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n");
        });
    });
    await new Promise<void>(resolve => server.listen(0, LOOPBACK, resolve));
    return {
        port: (server.address() as AddressInfo).port,
        verdicts,
        close: () => new Promise(resolve => server.close(() => resolve())),
    };
}
