import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { gzipSync } from "fflate";
import { renderTierNginxConf } from "./nginx";
import { demoAppSource } from "./demo-app";
import { EC2_TLS_DIR } from "./tls-files";
import { Application, ApplicationSource } from "../application";
import { isPrivateEcrImage, registryOf } from "../images";
import { parseSecretReference, SecretReference } from "../secret-references";

export interface UserDataArgs {
    /** ARN of the backend certificate's secret: the only reference to key material in user data. */
    readonly secretArn: string;
    readonly region: string;
    /** SNS topic the refresh agent reports a refused or failing renewal to. Defaults to none. */
    readonly alertTopicArn?: string;
    readonly backendPort: number;
    /** The application behind the terminator (the demo, an image, or a start command). */
    readonly application: Application;
    /** How often the refresh agent looks for a renewed certificate. Defaults to 5 minutes. */
    readonly refreshMinutes?: number;
}

/** The refresh agent script, as installed on instances and run by the rotation rehearsal. */
export const REFRESH_AGENT_PATH = path.join(__dirname, "refresh-agent.sh");

/** The boot script's `retry` shell function (bounded, doubling back-off). */
export const BOOT_RETRY_PATH = path.join(__dirname, "retry.sh");

/** The application start script, as installed on instances and run by the offline tests. */
export const APP_START_PATH = path.join(__dirname, "app-start.py");

/** Where the instance keeps the application's settings (ARNs, never secret values). */
export const APP_CONFIG_FILE = "/etc/e2etls/app.json";

/** Tries of `dnf install` at boot: waits of 5, 10, 20 and 40 s between them. */
export const DNF_TRIES = 5;

/**
 * Seconds between the refresh agent's tries within one run: 75 s in all, inside the ASG's
 * health-check grace (components/compute/ec2-tier.ts), before the timer takes over.
 */
export const AGENT_RETRY_DELAYS = [5, 10, 20, 40];

/**
 * What the start script (app-start.py) reads: the application's settings with each secret as a
 * parsed reference (service, ARN, Region, JSON key, version), never a value.
 */
export interface AppStartConfig {
    readonly image?: string;
    /** The image's private ECR registry, which Docker logs in to with the instance role. */
    readonly ecrLogin?: { readonly registry: string; readonly region: string };
    readonly entryPoint?: string[];
    readonly command?: string[];
    readonly startCommand?: string;
    readonly port: number;
    readonly environment: Readonly<Record<string, string>>;
    readonly secrets: Readonly<Record<string, Omit<SecretReference, "partition" | "account">>>;
}

export function appStartConfig(app: Application): AppStartConfig {
    const secrets: Record<string, Omit<SecretReference, "partition" | "account">> = {};
    for (const name of Object.keys(app.secrets).sort()) {
        const ref = parseSecretReference(app.secrets[name]);
        if (!ref) throw new Error(`not a secret reference: ${app.secrets[name]}`); // validation refuses it first
        const { partition: _p, account: _a, ...read } = ref;
        secrets[name] = read;
    }
    const registry = app.image !== undefined && isPrivateEcrImage(app.image) ? registryOf(app.image) : undefined;
    return {
        ...(app.image !== undefined ? { image: app.image } : {}),
        ...(registry ? { ecrLogin: { registry, region: registry.split(".")[3] } } : {}),
        ...(app.entryPoint ? { entryPoint: app.entryPoint } : {}),
        ...(app.command ? { command: app.command } : {}),
        ...(app.startCommand !== undefined ? { startCommand: app.startCommand } : {}),
        port: app.port,
        environment: app.environment,
        secrets,
    };
}

/**
 * The application's part of the boot script: the demo (a Python file and a unit), or the start
 * script, its settings and a unit that runs it. An image runs under Docker from the Amazon Linux
 * 2023 repositories ("AL2023 includes these packages in the core repositories",
 * https://docs.aws.amazon.com/linux/al2023/ug/ecs.html); Docker's bridge network keeps the
 * container one hop further from the instance metadata service than the host, so with the
 * launch template's hop limit of 1 it cannot take the instance role's credentials
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html).
 * A start command runs as a transient unprivileged user (systemd.exec(5), DynamicUser=) with a
 * state directory of its own.
 */
function renderApplication(app: Application): string {
    if (app.source === ApplicationSource.demo) {
        return `cat > /opt/e2etls/app.py <<'APP'
${demoAppSource(app.port).trimEnd()}
APP

cat > /etc/systemd/system/e2etls-app.service <<'UNIT'
[Unit]
Description=e2e-tls demo application (loopback only)
After=network.target
[Service]
ExecStart=/usr/bin/python3 /opt/e2etls/app.py
DynamicUser=yes
Restart=always
[Install]
WantedBy=multi-user.target
UNIT`;
    }
    const container = app.source === ApplicationSource.image;
    const start = fs.readFileSync(APP_START_PATH, "utf8");
    // One line of JSON: the heredoc's terminator cannot occur in it.
    const settings = JSON.stringify(appStartConfig(app));
    return `cat > ${APP_CONFIG_FILE} <<'APPCONFIG'
${settings}
APPCONFIG
chmod 0644 ${APP_CONFIG_FILE}

cat > /usr/local/sbin/e2etls-app-start <<'APPSTART'
${start.trimEnd()}
APPSTART
chmod 0755 /usr/local/sbin/e2etls-app-start

cat > /etc/systemd/system/e2etls-app.service <<'UNIT'
[Unit]
Description=e2e-tls application (${container ? "container image" : "start command"}, loopback only)
After=network-online.target${container ? " docker.service\nRequires=docker.service" : ""}
Wants=network-online.target
[Service]
ExecStart=/usr/local/sbin/e2etls-app-start ${APP_CONFIG_FILE}
${container ? "ExecStop=/usr/bin/docker stop e2etls-app" : "DynamicUser=yes\nStateDirectory=e2etls-app"}
RuntimeDirectory=e2etls-app
RuntimeDirectoryMode=0700
SyslogIdentifier=e2etls-app
Restart=always
RestartSec=10
[Install]
WantedBy=multi-user.target
UNIT`;
}

/**
 * Cloud-init script for Amazon Linux 2023. It installs nginx, the application (the demo, the
 * start script of an image or a start command) and the refresh agent, and lets the agent fetch the
 * certificate and key from Secrets Manager into root-only files before nginx starts. Neither the
 * key nor an application secret passes through user data, which any principal with
 * ec2:DescribeInstanceAttribute can read: the application's secrets are ARNs, read when it starts.
 */
export function renderUserData(a: UserDataArgs): string {
    const agent = fs.readFileSync(REFRESH_AGENT_PATH, "utf8");
    const retry = fs.readFileSync(BOOT_RETRY_PATH, "utf8");
    const nginx = renderTierNginxConf(EC2_TLS_DIR, { backendPort: a.backendPort, appPort: a.application.port });
    const minutes = a.refreshMinutes ?? 5;
    const docker = a.application.source === ApplicationSource.image;
    return `#!/bin/bash
set -euo pipefail
${retry.trimEnd()}
retry ${DNF_TRIES} dnf install -y nginx python3 openssl${docker ? " docker" : ""}

install -d -m 0755 /etc/e2etls /opt/e2etls
install -d -m 0700 ${EC2_TLS_DIR}
cat > /etc/e2etls/refresh.env <<'ENV'
SECRET_ID=${a.secretArn}
AWS_DEFAULT_REGION=${a.region}
TLS_DIR=${EC2_TLS_DIR}
RELOAD_CMD=systemctl reload-or-restart nginx
RETRY_DELAYS=${AGENT_RETRY_DELAYS.join(" ")}
LOGGER=logger
${a.alertTopicArn ? `ALERT_TOPIC_ARN=${a.alertTopicArn}\n` : ""}ENV

cat > /usr/local/sbin/e2etls-refresh-tls <<'AGENT'
${agent.trimEnd()}
AGENT
chmod 0755 /usr/local/sbin/e2etls-refresh-tls

cat > /etc/nginx/nginx.conf <<'NGINX'
${nginx.trimEnd()}
NGINX

${renderApplication(a.application)}

cat > /etc/systemd/system/e2etls-refresh.service <<'UNIT'
[Unit]
Description=e2e-tls: fetch a renewed TLS certificate and reload nginx
After=network-online.target
Wants=network-online.target
[Service]
Type=oneshot
EnvironmentFile=/etc/e2etls/refresh.env
ExecStart=/usr/local/sbin/e2etls-refresh-tls
SyslogIdentifier=e2etls-refresh
# Bounds a run that waits out its retries; a failed run leaves the unit failed until one succeeds.
TimeoutStartSec=5min
UNIT

cat > /etc/systemd/system/e2etls-refresh.timer <<'UNIT'
[Unit]
Description=e2e-tls: look for a renewed TLS certificate every ${minutes} minutes
[Timer]
OnBootSec=1min
OnUnitActiveSec=${minutes}min
RandomizedDelaySec=30
[Install]
WantedBy=timers.target
UNIT

systemctl daemon-reload
${docker ? "systemctl enable --now docker.service\n" : ""}systemctl enable --now e2etls-app.service
systemctl enable nginx.service
systemctl enable --now e2etls-refresh.timer
# The first fetch also starts nginx (reload-or-restart), so it serves only once the files exist.
# The agent retries a failed fetch within the health-check grace; after that the timer tries
# again every few minutes, and the ELB health check decides whether the instance stays.
systemctl start e2etls-refresh.service || true
`;
}

/**
 * The launch template's user data: the boot script gzip-compressed, then base64 as the launch
 * template takes it. Cloud-init uncompresses gzip user data before it runs it ("Content found to
 * be gzip compressed will be uncompressed ... user data is limited to ~16384 bytes",
 * https://cloudinit.readthedocs.io/en/latest/explanation/format.html), and EC2's 16 KB applies to
 * the compressed bytes: the agent, nginx's configuration and an application's settings fit with
 * room to spare. Compressed by fflate, a pure-JavaScript deflate, with no timestamp: the same script
 * gives the same bytes on every machine. Node's own zlib does not promise that: its output changed
 * between Node releases and differed between platforms (nodejs/node#12244, #33610, #50138), and a
 * launch template whose bytes change rolls the whole group.
 */
export function encodeUserData(script: string): string {
    return Buffer.from(gzipSync(Buffer.from(script, "utf8"), { level: 9, mtime: 0 })).toString("base64");
}

/** The script of a launch template's user data: base64, gzip-compressed or not. */
export function decodeUserData(base64: string): string {
    const raw = Buffer.from(base64, "base64");
    if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
        try {
            return zlib.gunzipSync(raw).toString("utf8");
        } catch {
            // Not gzip after all: read the bytes as they are.
        }
    }
    return raw.toString("utf8");
}
