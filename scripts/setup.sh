#!/usr/bin/env bash
# Set up radio-gen on a fresh Debian/Ubuntu machine: system packages (ffmpeg,
# espeak-ng), a virtual environment in .venv and the package itself.
#   bash scripts/setup.sh          # to run the station
#   bash scripts/setup.sh --dev    # also the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v espeak-ng >/dev/null 2>&1 || need_apt+=(espeak-ng)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ "${1:-}" = "--dev" ]; then
    # The fault tests cross midnight with a fake clock and fill disks in a private mount.
    command -v faketime >/dev/null 2>&1 || need_apt+=(faketime)
    command -v unshare >/dev/null 2>&1 || need_apt+=(util-linux)
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: installing ${need_apt[*]} with apt-get"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ "${1:-}" = "--dev" ] && ! command -v chromium >/dev/null 2>&1; then
    # The newsroom's browser tests drive Debian's chromium with Playwright (`playwright install`
    # downloads its own browser and cannot work offline). Only if apt cannot install it do they skip.
    echo "setup: installing chromium with apt-get (newsroom browser tests)"
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; } \
        || echo "setup: warning: chromium could not be installed; the browser tests will be skipped" >&2
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "setup: radio-gen needs Python 3.11 or newer (found $(python3 --version))" >&2; exit 1; }

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install -q -e '.[dev]'
else
    .venv/bin/python -m pip install -q -e .
fi
echo "setup: ready (.venv/bin/radio-gen)"
