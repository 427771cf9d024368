#!/usr/bin/env bash
# Compile the Qt Designer forms: every ui/<name>.ui becomes desk_app/gui/forms/ui_<name>.py, which
# is committed (a frozen app has no uic to call at run time). Run after editing a form; the tests
# fail while a form and its compiled module disagree.
# Usage: scripts/compile_ui.sh [OUTPUT_DIR]   (default desk_app/gui/forms; UIC= picks the compiler)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-desk_app/gui/forms}
uic=${UIC:-.venv/bin/pyside6-uic}
mkdir -p "$out"
shopt -s nullglob
for form in ui/*.ui; do
  name=$(basename "$form" .ui)
  target="$out/ui_$name.py"
  # --no-autoconnection: signals are connected explicitly in the dialog, never by slot name.
  # --from-imports: a compiled resource file, if a form ever uses one, sits beside the forms.
  {
    echo "# Generated from $form by scripts/compile_ui.sh: do not edit; change the form and run the script."
    "$uic" --generator python --no-autoconnection --from-imports "$form"
  } >"$target.tmp"
  mv "$target.tmp" "$target"
  echo "$form -> $target"
done
# A form that was deleted leaves no compiled module behind.
for compiled in "$out"/ui_*.py; do
  name=$(basename "$compiled" .py)
  [ -f "ui/${name#ui_}.ui" ] || { rm "$compiled"; echo "removed $compiled (no ui/${name#ui_}.ui)"; }
done
