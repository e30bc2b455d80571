#!/usr/bin/env bash
# Installs what a bare Debian machine (or the Docker image) lacks for precheck, then precheck itself
# into a virtual environment (.venv, or PRECHECK_VENV): a plain Debian/Ubuntu python3 refuses pip
# installs outside one (PEP 668, externally-managed-environment). Used by .ci/run and by the
# Dockerfile, so CI exercises the same steps the image takes.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libreoffice-writer-nogui   # .doc/.wps/.rtf → .docx
  libreoffice-calc-nogui     # .xls → .xlsx
  fonts-noto-cjk             # CJK glyphs for LibreOffice conversion and generated test documents
  libgl1 libglib2.0-0        # runtime libraries onnxruntime / OpenCV expect on slim images
  libarchive13               # 7z bundles (read through libarchive-c)
  unar                       # decompresses RAR members for rarfile
)
PYTHON="${PYTHON:-python3}"
VENV="${PRECHECK_VENV:-.venv}"
# Debian's python3 makes a venv only with python3-venv (ensurepip) installed
if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
  APT_PACKAGES+=(python3-venv)
fi
# what only the tests need; the Docker image sets PRECHECK_TEST_TOOLS=0 to stay small
if [ "${PRECHECK_TEST_TOOLS:-1}" != "0" ]; then
  APT_PACKAGES+=(chromium)   # tests open the HTML report in a real browser (headless)
  APT_PACKAGES+=(chromium-driver)  # tests drive the reviewer pages through Selenium (tests/test_web_browser.py)
  APT_PACKAGES+=(strace)     # tests prove a check makes no network attempt (tests/test_no_network.py)
  APT_PACKAGES+=(postgresql redis-server)  # the scale-out tests start real servers on loopback (tests/engines.py)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
"$VENV/bin/python" -m pip install -q -e ".[dev]"
echo "precheck installed in $VENV: run $VENV/bin/precheck (or: source $VENV/bin/activate)"
