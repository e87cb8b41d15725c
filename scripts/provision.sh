#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, when absent:
# the C libraries behind the PDF, QR-code and PNG exports (libharu,
# libqrencode, libpng) and poppler's pdftotext, which the PDF tests read with.
set -euo pipefail
missing=()
for package in libhpdf-dev libqrencode-dev libpng-dev poppler-utils; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "provision: installing ${missing[*]} from Debian" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
