import { CERTIFICATE_FILE, PRIVATE_KEY_FILE } from "./tls-files";

/**
 * The backend TLS terminator's nginx configuration, shared by the EC2 user data, the ECS task and
 * the loopback handshake tests, so what is tested is what is deployed.
 */
export interface TerminatorConfig {
    /** Port the load balancer connects to over TLS. */
    readonly backendPort: number;
    /** Loopback port of the plaintext application. */
    readonly appPort: number;
    /** Leaf certificate followed by its chain, PEM. */
    readonly certificatePath: string;
    /** Private key, PEM, readable by root only. */
    readonly privateKeyPath: string;
    /** Directory for the pid file, logs and temp files. Defaults to nginx's compiled-in paths. */
    readonly runtimeDir?: string;
    /** Address to listen on. Defaults to all IPv4 addresses (the load balancer's are not fixed). */
    readonly listenAddress?: string;
    /** Unprivileged user for worker processes. Defaults to none (nginx's own default). */
    readonly user?: string;
}

/**
 * TLS 1.2 and 1.3 only. The load balancer always talks to targets with its TLS13-1-0-2021-06
 * backend policy, whatever the listener's policy, so refusing 1.2 here would fail health checks;
 * the 1.2 suites are limited to forward-secret AEAD ones, all of which that policy offers.
 */
const TLS12_CIPHERS = [
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
].join(":");

export function renderNginxConf(c: TerminatorConfig): string {
    const rt = c.runtimeDir;
    const lines = [
        "# Rendered by e2e-tls (components/compute/backend/nginx.ts).",
        ...(c.user ? [`user ${c.user};`] : []),
        "worker_processes auto;",
        ...(rt ? [`pid ${rt}/nginx.pid;`, `error_log ${rt}/error.log warn;`] : ["error_log /var/log/nginx/error.log warn;"]),
        "events { worker_connections 1024; }",
        "http {",
        "    server_tokens off;",
        ...(rt ? [
            `    access_log ${rt}/access.log;`,
            ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(t => `    ${t}_temp_path ${rt}/${t}_temp;`),
        ] : ["    access_log /var/log/nginx/access.log;"]),
        "    server {",
        `        listen ${c.listenAddress ? `${c.listenAddress}:` : ""}${c.backendPort} ssl;`,
        `        ssl_certificate ${c.certificatePath};`,
        `        ssl_certificate_key ${c.privateKeyPath};`,
        "        ssl_protocols TLSv1.2 TLSv1.3;",
        `        ssl_ciphers ${TLS12_CIPHERS};`,
        "        ssl_prefer_server_ciphers off;",
        "        ssl_session_cache shared:backend_tls:10m;",
        "        ssl_session_timeout 1h;",
        // Mozilla's intermediate profile: tickets are encrypted with a key nginx never rotates
        // unless restarted, which undoes forward secrecy for every session resumed by ticket; the
        // shared session cache above resumes sessions without one.
        // https://ssl-config.mozilla.org/#server=nginx&config=intermediate
        "        ssl_session_tickets off;",
        "        location / {",
        `            proxy_pass http://127.0.0.1:${c.appPort};`,
        "            proxy_set_header Host $host;",
        "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "            proxy_set_header X-Forwarded-Proto https;",
        "        }",
        "    }",
        "}",
    ];
    return lines.join("\n") + "\n";
}

/**
 * The configuration as a tier deploys it: the certificate and key under `tlsDir` by the tier's
 * file names (tls-files.ts), worker processes as the unprivileged nginx user.
 */
export function renderTierNginxConf(tlsDir: string, ports: { readonly backendPort: number; readonly appPort: number }): string {
    return renderNginxConf({
        backendPort: ports.backendPort,
        appPort: ports.appPort,
        certificatePath: `${tlsDir}/${CERTIFICATE_FILE}`,
        privateKeyPath: `${tlsDir}/${PRIVATE_KEY_FILE}`,
        user: "nginx",
    });
}
