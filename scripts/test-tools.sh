#!/usr/bin/env bash
# Installs every Python test tool `make test` uses into the shared venv
# (lib/venv.sh) before its lanes run side by side: nothing is installed into
# the venv while another lane's tools run from it. Each script still asks for
# its own when run alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/venv.sh"
venv_need 'moto[server]==5.2.5' 'aiosmtpd==1.4.6' 'selenium==4.27.1' 'schemathesis==4.32.5' 'aiohttp==3.14.5' \
    'opentelemetry-proto==1.45.2'
venv_need_alone 'axe-playwright-python==0.1.8'
