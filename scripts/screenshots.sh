#!/usr/bin/env bash
# Screenshots for the README: the demo window under a virtual X display (Xvfb), driven by
# keyboard from inside the app (scripts/screenshots.py); PNGs land in docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
DISPLAY_NO=${SCREENSHOT_DISPLAY:-:99}
Xvfb "$DISPLAY_NO" -screen 0 1366x768x24 -nolisten tcp >/tmp/screenshots-xvfb.log 2>&1 &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  xdpyinfo -display "$DISPLAY_NO" >/dev/null 2>&1 && break || sleep 0.1
done
DISPLAY="$DISPLAY_NO" QT_QPA_PLATFORM=xcb timeout 300 .venv/bin/python scripts/screenshots.py
ls -l docs/screenshots/
