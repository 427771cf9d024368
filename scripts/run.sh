#!/usr/bin/env bash
# Run the desk. Sets up what it needs first.
#   bash scripts/run.sh            the real desk (DESK_APP_HOME or the user data directory); with no
#                                  database yet, the first-run set-up opens, and its
#                                  "Dùng thử với dữ liệu mẫu" button (Alt+D) opens the demo instead
#   bash scripts/run.sh --demo     straight to a throwaway demo commune (the real data is not touched)
#   bash scripts/run.sh --db PATH  a given database
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "Không có màn hình (DISPLAY): chạy trên màn hình ảo Xvfb." >&2
  exec xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/desk-app "$@"
fi
exec .venv/bin/desk-app "$@"
