#!/usr/bin/env bash
# Prepare a machine for the desk: Debian packages (as root), a virtual environment at .venv,
# and the Python dependencies pinned in constraints.txt. Safe to run again: it only adds what is missing.
#   bash scripts/setup.sh         what the desk needs to run (scripts/run.sh)
#   bash scripts/setup.sh test    that, and the test and lint tools (scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-runtime}
case "$MODE" in runtime|test) ;; *) echo "usage: setup.sh [test]" >&2; exit 2 ;; esac

APT_PACKAGES=(
  # Qt offscreen and under Xvfb
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libx11-6
  fonts-dejavu-core xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1
  # fonts, printing through CUPS
  fonts-liberation2 fonts-noto-core cups cups-client libcups2
  python3 python3-venv python3-pip
)
if [ "$MODE" = test ]; then
  APT_PACKAGES+=(
    # PDF and QR tools used by the tests, a private CUPS with a PDF queue
    poppler-utils zbar-tools imagemagick printer-driver-cups-pdf
    # the hub: PostgreSQL for its contract tests, Chromium for its dashboard test
    postgresql chromium
  )
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages (run as root to install): ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A mirror hiccup should not fail a fresh machine's first run: retry a few times.
  for attempt in 1 2 3; do
    if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
      break
    fi
    [ "$attempt" -eq 3 ] && { echo "apt-get failed three times" >&2; exit 1; }
    sleep $((attempt * 10))
  done
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# The runtime environment gets the desk's dependencies only; the test extra (pytest, mypy, ruff,
# import-linter, playwright, …) is added by `setup.sh test`, i.e. by scripts/test.sh.
hash=$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
stamp=.venv/.installed-$MODE-$hash
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "$MODE" = test ]; then target=".[test]"; else target="."; fi
  .venv/bin/python -m pip install -q --retries 5 -c constraints.txt -e "$target"
  rm -f .venv/.installed-"$MODE"-*
  touch "$stamp"
fi
