#!/usr/bin/env bash
# Offline checks of the Terraform in deploy/terraform (terraform itself is
# not needed):
#   1. every .tf, .tfvars and .hcl file parses (python-hcl2);
#   2. checkov passes (skips only inline, each with its reason);
#   3. deploy/terraform/tests/test_invariants.py: references resolve, module
#      arguments match module variables, staging and production hold the
#      same code, and the security/sizing invariants hold.
# Tools come from PyPI at pinned versions into .venv-iac/ (made on first
# use, reused afterwards). Two environments, because checkov depends on
# bc-python-hcl2, which installs a different package under the same `hcl2`
# module name as python-hcl2.
# Prints "ok: ..." or "FAIL: ..." per step; exits non-zero if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

HCL2_REQUIREMENT="python-hcl2==8.1.4"
CHECKOV_REQUIREMENT="checkov==3.3.30"
VENV_ROOT=.venv-iac
TF_DIR=deploy/terraform

failed=0
scratch=$(mktemp -d /tmp/cleanstation-iac-check.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
ok() { echo "ok: $*"; }
fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}

# venv NAME REQUIREMENT: .venv-iac/NAME with REQUIREMENT installed; a stamp
# file makes reruns skip pip entirely.
venv() {
    local dir="$VENV_ROOT/$1" requirement=$2
    if [ "$(cat "$dir/.installed" 2>/dev/null)" != "$requirement" ]; then
        echo "installing $requirement from PyPI into $dir" >&2
        [ -x "$dir/bin/python" ] || python3 -m venv "$dir"
        "$dir/bin/pip" install -q --disable-pip-version-check "$requirement" >&2
        echo "$requirement" >"$dir/.installed"
    fi
}
venv hcl2 "$HCL2_REQUIREMENT"
venv checkov "$CHECKOV_REQUIREMENT"
hcl2_python="$VENV_ROOT/hcl2/bin/python"

# --- 1. parse --------------------------------------------------------------
if "$hcl2_python" - "$TF_DIR" >"$scratch/parse" 2>&1 <<'PY'; then
import sys
from pathlib import Path
import hcl2

root = Path(sys.argv[1])
files = sorted(p for pattern in ("*.tf", "*.tfvars", "*.hcl") for p in root.rglob(pattern) if ".terraform" not in p.parts)
errors = 0
for path in files:
    try:
        hcl2.loads(path.read_text())
    except Exception as error:  # the parser raises several exception types
        errors += 1
        print(f"{path}: {error}")
print(f"{len(files)} files, {errors} unparsable")
sys.exit(1 if errors or not files else 0)
PY
    ok "hcl2 parse: $(tail -n 1 "$scratch/parse")"
else
    fail "hcl2 parse"
    sed 's/^/    /' "$scratch/parse"
fi

# --- 2. checkov -------------------------------------------------------------
if "$VENV_ROOT/checkov/bin/checkov" -d "$TF_DIR" --quiet --compact \
    --config-file "$TF_DIR/.checkov.yaml" >"$scratch/checkov" 2>&1; then
    ok "checkov: $(grep -o 'Passed checks: [0-9]*, Failed checks: [0-9]*, Skipped checks: [0-9]*' "$scratch/checkov" | head -n 1)"
else
    fail "checkov"
    sed 's/^/    /' "$scratch/checkov" | tail -80
fi

# --- 3. invariants ------------------------------------------------------------
if "$hcl2_python" -m unittest discover -s "$TF_DIR/tests" -t "$TF_DIR/tests" >"$scratch/tests" 2>&1; then
    ok "invariants: $(grep -E '^Ran [0-9]+ tests' "$scratch/tests")"
else
    fail "invariants"
    sed 's/^/    /' "$scratch/tests" | tail -60
fi

if [ "$failed" -gt 0 ]; then
    echo "$failed check(s) failed"
    exit 1
fi
echo "all Terraform checks passed"
