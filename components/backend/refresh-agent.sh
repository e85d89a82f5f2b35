#!/bin/bash
# e2e-tls refresh agent: keeps the terminator's certificate and key in step with Secrets Manager.
# Run by a systemd timer. Reads the secret's current version; when it differs from the one on
# disk, checks that the new key matches the new certificate, swaps the files in atomically
# (root-only), checks the terminator's configuration and reloads it. A version that fails a check
# is remembered and not retried; a failed configuration check puts the previous files back.
# Prints nothing of the secret.
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
for seen in version refused-version; do
    if [ -f "$TLS_DIR/$seen" ] && [ "$(cat "$TLS_DIR/$seen")" = "$new_version" ]; then
        exit 0
    fi
done
refuse() {
    log "$1; keeping the previous certificate"
    echo "$new_version" > "$TLS_DIR/refused-version"
    exit 1
}

# Check the staged pair before it goes live: the certificate's public key must be the key's.
cert_key="$(openssl x509 -in "$work/fullchain.pem" -noout -pubkey 2>/dev/null)" || refuse "version $new_version has no readable certificate"
own_key="$(openssl pkey -in "$work/privkey.pem" -pubout 2>/dev/null)" || refuse "version $new_version has no readable private key"
[ "$cert_key" = "$own_key" ] || refuse "version $new_version has a private key that does not match its certificate"

for f in fullchain.pem privkey.pem; do
    [ -f "$TLS_DIR/$f" ] && cp -p "$TLS_DIR/$f" "$work/$f.previous"
done
# Key first: nginx reads both on reload, never between these renames.
mv -f "$work/privkey.pem" "$TLS_DIR/privkey.pem"
mv -f "$work/fullchain.pem" "$TLS_DIR/fullchain.pem"

if ! $CHECK_CMD; then
    for f in fullchain.pem privkey.pem; do
        [ -f "$work/$f.previous" ] && mv -f "$work/$f.previous" "$TLS_DIR/$f"
    done
    refuse "configuration check failed with version $new_version"
fi
$RELOAD_CMD
mv -f "$work/version" "$TLS_DIR/version"
rm -f "$TLS_DIR/refused-version"
log "now serving secret version $new_version"
