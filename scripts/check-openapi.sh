#!/usr/bin/env bash
# Validates the served OpenAPI document with openapi-spec-validator (PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import openapi_spec_validator' 2>/dev/null || python3 -m pip install -q 'openapi-spec-validator>=0.7'
document=$(mktemp --suffix=.json)
trap 'rm -f "$document"' EXIT
.build/debug/cleanstation openapi > "$document"
python3 -m openapi_spec_validator --schema 3.1 "$document"
