#!/usr/bin/env bash
# Build the one-folder bundle (build.spec) into dist/desk-app/ and prove it works: the frozen
# --self-check runs offscreen against a throwaway DESK_APP_HOME. Needs scripts/setup.sh first.
# On Linux the bundle still needs libgl1 and libegl1 from the system (setup.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

PYINSTALLER_VERSION=6.22.3  # the version the bundle was built and checked with

if ! .venv/bin/python -c "import PyInstaller, sys; sys.exit(PyInstaller.__version__ != '$PYINSTALLER_VERSION')" 2>/dev/null; then
  .venv/bin/pip install --quiet "pyinstaller==$PYINSTALLER_VERSION"
fi

start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN build.spec
echo "build took $(( $(date +%s) - start )) s"

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
QT_QPA_PLATFORM=offscreen DESK_APP_HOME="$home" dist/desk-app/desk-app --self-check
if [ -n "$(ls -A "$home")" ]; then
  echo "FAILED self-check wrote into DESK_APP_HOME: $(ls -A "$home")" >&2
  exit 1
fi
du -sh dist/desk-app
