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
# Portable mode: a desk-data folder beside the executable takes the data instead of the user
# folder (which is pointed at the throwaway folder, so a failure leaves nothing behind).
mkdir dist/desk-app/desk-data
env -u DESK_APP_HOME XDG_DATA_HOME="$home" QT_QPA_PLATFORM=offscreen dist/desk-app/desk-app init \
  --commune "Xã Tân Phú" --authority "Ủy ban nhân dân xã Tân Phú" --unit-code 000.21.33.H49 --desk 1 >/dev/null
if [ ! -f dist/desk-app/desk-data/desk.sqlite3 ]; then
  echo "FAILED portable mode: no desk-data/desk.sqlite3 beside the executable" >&2
  exit 1
fi
rm -rf dist/desk-app/desk-data
echo "ok portable: the database went to desk-data/ beside the executable"
# The size on disk, in MB (10^6 bytes) and MiB; goal (issue 11): at most 180 MB.
bytes=$(du -sb dist/desk-app | cut -f1)
echo "bundle size: $((bytes / 1000000)) MB ($((bytes / 1048576)) MiB) in dist/desk-app"
