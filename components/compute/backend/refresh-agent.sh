#!/bin/bash
# e2e-tls refresh agent: keeps the terminator's certificate and key in step with Secrets Manager.
# Run by a systemd timer (and once at boot). Reads the secret's current version; when it differs
# from the one served, checks that the new key matches the new certificate, swaps the files in
# (root-only), checks the terminator's configuration and reloads it. Prints nothing of the secret.
#
# Failures come in two kinds, handled in opposite ways:
# - a bad version (a field that is not PEM, no readable certificate or key, a key that does not
#   match its certificate) can never work: it is remembered as refused and not tried again until
#   another version is published;
# - a transient failure (the fetch, the configuration check, the reload) may clear: it is retried
#   after each delay in RETRY_DELAYS, then left to the next timer run. Nothing is remembered, so a
#   good renewal goes live as soon as whatever failed recovers (an unrelated `nginx -t` failure
#   once blocked a good renewal for good).
# Either way the previous certificate stays in service, the failure is reported (to syslog, so the
# journal, under the tag e2etls-refresh when LOGGER is set, else on stderr; and in $TLS_DIR/status)
# and the run exits non-zero, so systemd shows the unit as failed:
#   0 the current version is served; 65 (EX_DATAERR) the current version is refused;
#   75 (EX_TEMPFAIL) a transient failure outlasted the retries.
#
# Environment: SECRET_ID (required), TLS_DIR (default /etc/pki/e2etls),
# CHECK_CMD (default "nginx -t -q"), RELOAD_CMD (default "systemctl reload nginx"),
# RETRY_DELAYS (seconds between tries of one run, default "5 10 20 40"; empty for one try),
# LOGGER (a logger(1) command, e.g. "logger"; default none: stderr),
# ALERT_TOPIC_ARN (an SNS topic told when the outcome changes: a new refusal or failure, and the
# recovery after one; default none). Each outcome is told once, not on every timer run.
set -euo pipefail

: "${SECRET_ID:?SECRET_ID is required}"
TLS_DIR="${TLS_DIR:-/etc/pki/e2etls}"
CHECK_CMD="${CHECK_CMD:-nginx -t -q}"
RELOAD_CMD="${RELOAD_CMD:-systemctl reload nginx}"
RETRY_DELAYS="${RETRY_DELAYS-5 10 20 40}"
LOGGER="${LOGGER:-}"
ALERT_TOPIC_ARN="${ALERT_TOPIC_ARN:-}"
readonly TAG=e2etls-refresh EX_REFUSED=65 EX_TRANSIENT=75

log() { # <syslog priority> <message>
    if [ -z "$LOGGER" ] || ! $LOGGER -t "$TAG" -p "daemon.$1" -- "$2"; then
        echo "$TAG: $1: $2" >&2
    fi
}
# One line an operator can read on the instance: time, state, version, detail.
status() { # <ok|refused|transient> <version> <detail>
    printf '%s %s %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "${2:--}" "$3" > "$TLS_DIR/.status" &&
        mv -f "$TLS_DIR/.status" "$TLS_DIR/status"
}
# Publishes to ALERT_TOPIC_ARN when the outcome differs from the last run's (read before status()
# replaces it): a failure once per state and version, a recovery once. A publish that fails is
# logged; the run's own outcome does not change.
alert() { # <ok|refused|transient> <version> <detail>
    [ -n "$ALERT_TOPIC_ARN" ] || return 0
    local previous
    previous="$(cut -d ' ' -f 2,3 "$TLS_DIR/status" 2>/dev/null || true)"
    [ "$previous" != "$1 ${2:--}" ] || return 0
    if [ "$1" = ok ] && { [ -z "$previous" ] || [ "${previous%% *}" = ok ]; }; then return 0; fi
    if ! aws sns publish --topic-arn "$ALERT_TOPIC_ARN" --subject "e2e-tls refresh agent on $(hostname): $1" \
        --message "$(hostname): $1: $3; serving version $(served)" > /dev/null 2> "$work/sns.err"; then
        log warning "could not publish the $1 alert: $(last_line "$work/sns.err")"
    fi
}
served() { cat "$TLS_DIR/version" 2>/dev/null || echo "no version yet"; }
last_line() { tail -n 1 "$1" 2>/dev/null | tr -d '\r' | cut -c 1-200; }

umask 077
mkdir -p "$TLS_DIR"
work="$(mktemp -d "$TLS_DIR/.refresh.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Puts back the files served before this try (if there were any).
restore() {
    local f
    for f in fullchain.pem privkey.pem; do
        if [ -f "$work/$f.previous" ]; then mv -f "$work/$f.previous" "$TLS_DIR/$f"; fi
    done
}

# One try. Returns 0 when the current version is served, EX_REFUSED or EX_TRANSIENT otherwise,
# with the reason in $reason; sets $new_version once known and $installed when it went live.
try_once() {
    reason="" new_version="" installed=""
    rm -rf "${work:?}"/*
    if ! aws secretsmanager get-secret-value --secret-id "$SECRET_ID" --version-stage AWSCURRENT \
        --query '{VersionId: VersionId, SecretString: SecretString}' --output json > "$work/response.json" 2> "$work/aws.err"; then
        reason="fetching the secret failed: $(last_line "$work/aws.err")"
        return $EX_TRANSIENT
    fi

    # Split the response into the version and the three PEM files without echoing any of it.
    # Exit 2: the version's content is bad; 3: the response itself could not be read.
    local rc=0
    python3 - "$work" 2> "$work/parse.err" <<'PY' || rc=$?
import json, os, sys
work = sys.argv[1]
try:
    with open(os.path.join(work, "response.json")) as f:
        response = json.load(f)
    version = str(response["VersionId"])
except (ValueError, KeyError, TypeError):
    sys.exit(3)
with open(os.path.join(work, "version"), "w") as f:
    f.write(version + "\n")
FIELDS = ("certificate", "chain", "privateKey")
try:
    secret = json.loads(response["SecretString"])
    values = [secret[k] for k in FIELDS]
except (ValueError, KeyError, TypeError):
    print("the secret value is not a JSON object with the fields " + ", ".join(FIELDS), file=sys.stderr)
    sys.exit(2)
for field, value in zip(FIELDS, values):
    if not isinstance(value, str) or "-----BEGIN" not in value:
        print("secret field %s is not PEM" % field, file=sys.stderr)
        sys.exit(2)
with open(os.path.join(work, "fullchain.pem"), "w") as f:
    f.write(values[0].strip() + "\n" + values[1].strip() + "\n")
with open(os.path.join(work, "privkey.pem"), "w") as f:
    f.write(values[2].strip() + "\n")
PY
    new_version="$(cat "$work/version" 2>/dev/null || true)"
    case $rc in
        0) ;;
        2) reason="version $new_version: $(last_line "$work/parse.err")"; return $EX_REFUSED ;;
        *) reason="the Secrets Manager response could not be read"; return $EX_TRANSIENT ;;
    esac

    if [ "$(served)" = "$new_version" ]; then return 0; fi
    if [ -f "$TLS_DIR/refused-version" ] && [ "$(cat "$TLS_DIR/refused-version")" = "$new_version" ]; then
        reason="version $new_version was refused before and is still current"
        return $EX_REFUSED
    fi

    # Check the staged pair before it goes live: the certificate's public key must be the key's.
    local cert_key own_key
    if ! cert_key="$(openssl x509 -in "$work/fullchain.pem" -noout -pubkey 2>/dev/null)"; then
        reason="version $new_version has no readable certificate"; return $EX_REFUSED
    fi
    if ! own_key="$(openssl pkey -in "$work/privkey.pem" -pubout 2>/dev/null)"; then
        reason="version $new_version has no readable private key"; return $EX_REFUSED
    fi
    if [ "$cert_key" != "$own_key" ]; then
        reason="version $new_version has a private key that does not match its certificate"; return $EX_REFUSED
    fi

    local f
    for f in fullchain.pem privkey.pem; do
        if [ -f "$TLS_DIR/$f" ] && ! cp -p "$TLS_DIR/$f" "$work/$f.previous"; then
            reason="could not keep a copy of the served $f"; return $EX_TRANSIENT
        fi
    done
    # Key first: nginx reads both on reload, never between these renames.
    if ! { mv -f "$work/privkey.pem" "$TLS_DIR/privkey.pem" && mv -f "$work/fullchain.pem" "$TLS_DIR/fullchain.pem"; }; then
        restore; reason="could not install version $new_version"; return $EX_TRANSIENT
    fi
    if ! $CHECK_CMD > "$work/check.out" 2>&1; then
        restore; reason="the configuration check failed with version $new_version: $(last_line "$work/check.out")"
        return $EX_TRANSIENT
    fi
    if ! $RELOAD_CMD > "$work/reload.out" 2>&1; then
        restore; reason="reloading the terminator failed with version $new_version: $(last_line "$work/reload.out")"
        return $EX_TRANSIENT
    fi
    mv -f "$work/version" "$TLS_DIR/version"
    rm -f "$TLS_DIR/refused-version"
    installed=yes
}

read -r -a delays <<< "$RETRY_DELAYS" || true
tries=0
while :; do
    rc=0
    try_once || rc=$?
    case $rc in
        0)
            if [ -n "$installed" ]; then log info "now serving secret version $new_version"; fi
            alert ok "$new_version" "serving the current version again"
            status ok "$new_version" "serving"
            exit 0 ;;
        "$EX_REFUSED")
            echo "$new_version" > "$TLS_DIR/refused-version"
            log err "refused: $reason; still serving $(served)"
            alert refused "$new_version" "refused: $reason"
            status refused "$new_version" "$reason"
            exit $EX_REFUSED ;;
        *)
            if [ "$tries" -ge "${#delays[@]}" ]; then
                log err "transient failure: $reason; giving up until the next run, still serving $(served)"
                alert transient "$new_version" "transient failure outlasted the retries: $reason"
                status transient "$new_version" "$reason"
                exit $EX_TRANSIENT
            fi
            log warning "transient failure: $reason; retrying in ${delays[$tries]} s, still serving $(served)"
            sleep "${delays[$tries]}"
            tries=$((tries + 1)) ;;
    esac
done
