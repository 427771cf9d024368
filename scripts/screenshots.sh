#!/usr/bin/env bash
# Screenshots for the README: the demo window under a virtual X display (Xvfb), driven by
# keyboard from inside the app (scripts/screenshots.py); PNGs land in docs/screenshots/.
# The tour runs on a 1366×768 screen; then the reception tab is shot on each counter screen
# size (fit-1366x768.png, fit-1280x720.png) and at 125 % on 1366×768 (fit-1093x614.png), the window
# fitting itself to the screen.
# Then sync in the window (scripts/sync_screenshots.py: a hub process, a demo desk enrolled with it):
# sync-panel.png and ledger-sync-marks.png at 1366×768.
# Usage: scripts/screenshots.sh [fit|sync]   (fit: only the fit-*.png; sync: only the sync ones)
set -euo pipefail
cd "$(dirname "$0")/.."
DISPLAY_NO=${SCREENSHOT_DISPLAY:-:99}
xvfb_pid=
trap '[ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true' EXIT

shoot() {  # shoot WIDTHxHEIGHT [screenshots.py arguments]; SHOTS_SCRIPT picks another script
  local size=$1; shift
  Xvfb "$DISPLAY_NO" -screen 0 "${size}x24" -nolisten tcp >/tmp/screenshots-xvfb.log 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 50); do
    xdpyinfo -display "$DISPLAY_NO" >/dev/null 2>&1 && break || sleep 0.1
  done
  DISPLAY="$DISPLAY_NO" QT_QPA_PLATFORM=xcb timeout 300 .venv/bin/python "${SHOTS_SCRIPT:-scripts/screenshots.py}" "$@"
  kill "$xvfb_pid"
  wait "$xvfb_pid" 2>/dev/null || true
  xvfb_pid=
}

if [ "${1:-}" != sync ]; then
  [ "${1:-}" = fit ] || shoot 1366x768
  shoot 1366x768 fit
  shoot 1280x720 fit
  QT_SCALE_FACTOR=1.25 shoot 1366x768 fit  # 125 % scaling: fit-1093x614.png
fi
[ "${1:-}" = fit ] || SHOTS_SCRIPT=scripts/sync_screenshots.py shoot 1366x768
ls -l docs/screenshots/
