#!/usr/bin/env bash
# Run the whole test suite (sets up what it needs first). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/lint-imports
.venv/bin/mypy
.venv/bin/ruff check desk_app tests bench scripts
exec .venv/bin/python -m pytest "$@"
