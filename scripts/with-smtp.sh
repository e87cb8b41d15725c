#!/usr/bin/env bash
# Runs a command with a real SMTP server (aiosmtpd) on a free loopback port,
# offering STARTTLS with a throw-away certificate and requiring AUTH over
# TLS, and another port with TLS from the first byte (smtps). Exports
# CLEANSTATION_TEST_SMTP_URL, CLEANSTATION_TEST_SMTPS_URL, _CA (the certificate to trust)
# and _DIR (where accepted messages land, one JSON file each).
# Usage: with-smtp.sh CMD...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/venv.sh"
. "$here/lib/pg.sh"
venv_need "$PIN_AIOSMTPD"

dir=$(mktemp -d /tmp/cleanstation-smtp.XXXXXX)
mkdir "$dir/mail"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
port=$(free_port)
tls_port=$(free_port)
while [ "$tls_port" = "$port" ]; do tls_port=$(free_port); done
"$VENV_DIR/bin/python" "$here/lib/smtp_server.py" "$port" "$tls_port" "$dir/cert.pem" "$dir/key.pem" "$dir/mail" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
    grep -q ready "$dir/server.log" 2>/dev/null && break
    kill -0 $server 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    sleep 0.1
done
grep -q ready "$dir/server.log" || { echo "with-smtp: the server did not start" >&2; exit 1; }

export CLEANSTATION_TEST_SMTP_URL="smtp://cleanstation:mail-secret@127.0.0.1:$port"
export CLEANSTATION_TEST_SMTPS_URL="smtps://cleanstation:mail-secret@127.0.0.1:$tls_port"
export CLEANSTATION_TEST_SMTP_CA="$dir/cert.pem" CLEANSTATION_TEST_SMTP_DIR="$dir/mail"
echo "with-smtp: aiosmtpd (STARTTLS, AUTH) on 127.0.0.1:$port, smtps on $tls_port" >&2
"$@"
