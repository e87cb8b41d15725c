#!/usr/bin/env bash
# Runs a command with moto's S3 server on a free loopback port and a fresh,
# versioned bucket with Object Lock, exported as CLEANSTATION_TEST_S3_ENDPOINT and
# CLEANSTATION_TEST_S3_BUCKET; the server stops afterwards.
# Usage: with-s3.sh CMD...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/venv.sh"
. "$here/lib/pg.sh"
venv_need "$PIN_MOTO"

port=$(free_port)
log=$(mktemp /tmp/cleanstation-s3.XXXXXX.log)
"$VENV_DIR/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$log"' EXIT
wait_for "http://127.0.0.1:$port/moto-api/" 60 || { cat "$log" >&2; exit 1; }

bucket="cleanstation-test-$RANDOM"
AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing "$VENV_DIR/bin/python" - "$port" "$bucket" <<'PY'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1")
# Object Lock, as the deployment's bucket has it for the audit checkpoints (it implies versioning).
s3.create_bucket(Bucket=sys.argv[2], ObjectLockEnabledForBucket=True)
s3.put_bucket_versioning(Bucket=sys.argv[2], VersioningConfiguration={"Status": "Enabled"})
PY
export CLEANSTATION_TEST_S3_ENDPOINT="http://127.0.0.1:$port" CLEANSTATION_TEST_S3_BUCKET="$bucket"
echo "with-s3: moto S3 on 127.0.0.1:$port, bucket $bucket" >&2
"$@"
