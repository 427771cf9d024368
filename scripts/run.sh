#!/usr/bin/env bash
# Run the desk. With no configured database (DESK_APP_HOME or the user data directory) it opens
# a throwaway demo commune; pass --db PATH to open a given database. Sets up what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  home=$(.venv/bin/python -c 'from desk_app.paths import AppPaths; print(AppPaths.from_environment().database)')
  [ -f "$home" ] || { echo "Chưa có cơ sở dữ liệu tại $home: mở bản DEMO."; args=(--demo); }
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "Không có màn hình (DISPLAY): chạy trên màn hình ảo Xvfb." >&2
  exec xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/desk-app "${args[@]}"
fi
exec .venv/bin/desk-app "${args[@]}"
