# The Python test tools (moto's S3 server, aiosmtpd, selenium…) in one
# virtual environment, made on first use. Source it, then:
# venv_need PACKAGE[extra]==VERSION … (installs what is missing, or at another version).
# It lives outside the clone (CLEANSTATION_VENV, default ~/.cache/cleanstation/venv-test),
# as pip's cache would: a clean clone on the same machine does not download
# the same pinned tools again (about 80 s of a CI run).

VENV_DIR=${CLEANSTATION_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/cleanstation/venv-test}

# The pinned test tools, named once: each script asks for its own, `make test`
# for all of them before its lanes (scripts/test-tools.sh).
PIN_MOTO='moto[server]==5.2.5'
PIN_AIOSMTPD='aiosmtpd==1.4.6'
PIN_SELENIUM='selenium==4.27.1'
PIN_SCHEMATHESIS='schemathesis==4.32.5'
PIN_AIOHTTP='aiohttp==3.14.5'
PIN_OTEL_PROTO='opentelemetry-proto==1.45.2'
PIN_AXE='axe-playwright-python==0.1.8'
mkdir -p "$(dirname "$VENV_DIR")"

# Whether REQUIREMENT (NAME[extra]==VERSION) is installed at that version. grep
# reads pip's whole answer: with -q it would stop at the match, pip would fail
# writing the rest, and under `pipefail` a tool installed would count as missing
# (and be installed again, as `make scale` did before each load).
venv_has() {
    local name=${1%%[[=]*}
    "$VENV_DIR/bin/pip" show "$name" 2>/dev/null | grep -x "Version: ${1##*==}" >/dev/null
}

# Installs what is missing, one installer at a time (`make test` runs lanes side by side).
venv_need() {
    (
        flock 9
        [ -x "$VENV_DIR/bin/python" ] || python3 -m venv "$VENV_DIR"
        local missing=()
        for requirement in "$@"; do venv_has "$requirement" || missing+=("$requirement"); done
        if [ ${#missing[@]} -gt 0 ]; then
            echo "installing ${missing[*]} from PyPI into $VENV_DIR" >&2
            "$VENV_DIR/bin/pip" install -q "${missing[@]}" >&2
        fi
    ) 9>"$VENV_DIR.lock"
}

# venv_need_alone PACKAGE==VERSION …: without its dependencies (axe-playwright-python
# is wanted only for the axe-core script it ships, not for playwright).
venv_need_alone() {
    (
        flock 9
        [ -x "$VENV_DIR/bin/python" ] || python3 -m venv "$VENV_DIR"
        for requirement in "$@"; do
            venv_has "$requirement" || "$VENV_DIR/bin/pip" install -q --no-deps "$requirement" >&2
        done
    ) 9>"$VENV_DIR.lock"
}
