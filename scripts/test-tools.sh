#!/usr/bin/env bash
# Installs every Python test tool `make test` uses into the shared venv
# (lib/venv.sh) before its lanes run side by side: nothing is installed into
# the venv while another lane's tools run from it. Each script still asks for
# its own when run alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/venv.sh"
venv_need "$PIN_MOTO" "$PIN_AIOSMTPD" "$PIN_SELENIUM" "$PIN_SCHEMATHESIS" "$PIN_AIOHTTP" "$PIN_OTEL_PROTO"
venv_need_alone "$PIN_AXE"
