import * as fs from "fs";
import * as path from "path";
import { renderTierNginxConf } from "./nginx";
import { demoAppSource } from "./demo-app";
import { EC2_TLS_DIR } from "./tls-files";

export interface UserDataArgs {
    /** ARN of the backend certificate's secret: the only reference to key material in user data. */
    readonly secretArn: string;
    readonly region: string;
    /** SNS topic the refresh agent reports a refused or failing renewal to. Defaults to none. */
    readonly alertTopicArn?: string;
    readonly backendPort: number;
    readonly appPort: number;
    /** How often the refresh agent looks for a renewed certificate. Defaults to 5 minutes. */
    readonly refreshMinutes?: number;
}

/** The refresh agent script, as installed on instances and run by the rotation rehearsal. */
export const REFRESH_AGENT_PATH = path.join(__dirname, "refresh-agent.sh");

/** The boot script's `retry` shell function (bounded, doubling back-off). */
export const BOOT_RETRY_PATH = path.join(__dirname, "retry.sh");

/** Tries of `dnf install` at boot: waits of 5, 10, 20 and 40 s between them. */
export const DNF_TRIES = 5;

/**
 * Seconds between the refresh agent's tries within one run: 75 s in all, inside the ASG's
 * health-check grace (components/compute/ec2-tier.ts), before the timer takes over.
 */
export const AGENT_RETRY_DELAYS = [5, 10, 20, 40];

/**
 * Cloud-init script for Amazon Linux 2023. It installs nginx, the demo application and the refresh
 * agent, and lets the agent fetch the certificate and key from Secrets Manager into root-only
 * files before nginx starts. The key never passes through user data, which any principal with
 * ec2:DescribeInstanceAttribute can read.
 */
export function renderUserData(a: UserDataArgs): string {
    const agent = fs.readFileSync(REFRESH_AGENT_PATH, "utf8");
    const retry = fs.readFileSync(BOOT_RETRY_PATH, "utf8");
    const nginx = renderTierNginxConf(EC2_TLS_DIR, a);
    const minutes = a.refreshMinutes ?? 5;
    return `#!/bin/bash
set -euo pipefail
${retry.trimEnd()}
retry ${DNF_TRIES} dnf install -y nginx python3 openssl

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

cat > /opt/e2etls/app.py <<'APP'
${demoAppSource(a.appPort).trimEnd()}
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
UNIT

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
systemctl enable --now e2etls-app.service
systemctl enable nginx.service
systemctl enable --now e2etls-refresh.timer
# The first fetch also starts nginx (reload-or-restart), so it serves only once the files exist.
# The agent retries a failed fetch within the health-check grace; after that the timer tries
# again every few minutes, and the ELB health check decides whether the instance stays.
systemctl start e2etls-refresh.service || true
`;
}
