# The Python test tools (moto's S3 server, aiosmtpd, selenium…) in one
# virtual environment under .venv-test/, made on first use. Source it, then:
# venv_need PACKAGE[extra]==VERSION … (installs what is missing).

VENV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.venv-test"

venv_need() {
    [ -x "$VENV_DIR/bin/python" ] || python3 -m venv "$VENV_DIR"
    local missing=()
    for requirement in "$@"; do
        "$VENV_DIR/bin/pip" show -q "${requirement%%[[=]*}" >/dev/null 2>&1 || missing+=("$requirement")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]} from PyPI into .venv-test" >&2
        "$VENV_DIR/bin/pip" install -q "${missing[@]}" >&2
    fi
}

# venv_need_alone PACKAGE==VERSION …: without its dependencies (axe-playwright-python
# is wanted only for the axe-core script it ships, not for playwright).
venv_need_alone() {
    [ -x "$VENV_DIR/bin/python" ] || python3 -m venv "$VENV_DIR"
    for requirement in "$@"; do
        "$VENV_DIR/bin/pip" show -q "${requirement%%[[=]*}" >/dev/null 2>&1 \
            || "$VENV_DIR/bin/pip" install -q --no-deps "$requirement" >&2
    done
}
