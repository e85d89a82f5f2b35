#!/bin/bash
# e2e-tls refresh agent: keeps the terminator's certificate and key in step with Secrets Manager.
# Run by a systemd timer. Reads the secret's current version; when it differs from the one on
# disk, writes the files atomically (root-only), checks the terminator's configuration and
# reloads it. A failed check puts the previous files back. Prints nothing of the secret.
#
# Environment: SECRET_ID (required), TLS_DIR (default /etc/pki/e2etls),
# CHECK_CMD (default "nginx -t -q"), RELOAD_CMD (default "systemctl reload nginx").
set -euo pipefail

: "${SECRET_ID:?SECRET_ID is required}"
TLS_DIR="${TLS_DIR:-/etc/pki/e2etls}"
CHECK_CMD="${CHECK_CMD:-nginx -t -q}"
RELOAD_CMD="${RELOAD_CMD:-systemctl reload nginx}"
log() { echo "e2etls-refresh: $*" >&2; }

umask 077
mkdir -p "$TLS_DIR"
work="$(mktemp -d "$TLS_DIR/.refresh.XXXXXX")"
trap 'rm -rf "$work"' EXIT

aws secretsmanager get-secret-value --secret-id "$SECRET_ID" --version-stage AWSCURRENT \
    --query '{VersionId: VersionId, SecretString: SecretString}' --output json > "$work/response.json"

# Split the response into the version and the three PEM files without echoing any of it.
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
with open(os.path.join(work, "response.json")) as f:
    response = json.load(f)
secret = json.loads(response["SecretString"])
for field in ("certificate", "chain", "privateKey"):
    if "-----BEGIN" not in secret.get(field, ""):
        sys.exit("e2etls-refresh: secret field %s is not PEM" % field)
with open(os.path.join(work, "version"), "w") as f:
    f.write(response["VersionId"] + "\n")
with open(os.path.join(work, "fullchain.pem"), "w") as f:
    f.write(secret["certificate"].strip() + "\n" + secret["chain"].strip() + "\n")
with open(os.path.join(work, "privkey.pem"), "w") as f:
    f.write(secret["privateKey"].strip() + "\n")
PY

new_version="$(cat "$work/version")"
if [ -f "$TLS_DIR/version" ] && [ "$(cat "$TLS_DIR/version")" = "$new_version" ]; then
    exit 0
fi

for f in fullchain.pem privkey.pem; do
    [ -f "$TLS_DIR/$f" ] && cp -p "$TLS_DIR/$f" "$work/$f.previous"
done
# Key first: nginx reads both on reload, never between these renames.
mv -f "$work/privkey.pem" "$TLS_DIR/privkey.pem"
mv -f "$work/fullchain.pem" "$TLS_DIR/fullchain.pem"

if ! $CHECK_CMD; then
    log "configuration check failed with version $new_version; keeping the previous certificate"
    for f in fullchain.pem privkey.pem; do
        [ -f "$work/$f.previous" ] && mv -f "$work/$f.previous" "$TLS_DIR/$f"
    done
    exit 1
fi
$RELOAD_CMD
mv -f "$work/version" "$TLS_DIR/version"
log "now serving secret version $new_version"
