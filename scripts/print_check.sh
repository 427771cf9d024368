#!/usr/bin/env bash
# Real printing check: a dossier registered by keyboard in the window is printed to a CUPS
# queue (cups-pdf) without a dialog and saved as a PDF file; both become PNGs to look at.
# Needs root for cupsd/lpadmin (the packages come from `scripts/setup.sh test`). Outputs: $OUT (default
# /tmp/desk-print-check).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/desk-print-check}
QUEUE=${QUEUE:-PDF}
rm -rf "$OUT" && mkdir -p "$OUT"

cupsd_pid=""
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  cupsd -f &   # no systemd here: start the scheduler by hand (foreground, so we know its id)
  cupsd_pid=$!
  for _ in $(seq 50); do lpstat -r 2>/dev/null | grep -q "is running" && break || sleep 0.1; done
fi
cleanup() {
  # Stop only the scheduler this script started.
  if [ -n "$cupsd_pid" ]; then kill "$cupsd_pid" 2>/dev/null || true; wait "$cupsd_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
  model=$(lpinfo -m 2>/dev/null | awk '/cups-pdf\/CUPS-PDF_opt.ppd/ {print $1; exit}')
  lpadmin -p "$QUEUE" -v cups-pdf:/ -E -m "${model:-lsb/usr/cups-pdf/CUPS-PDF_opt.ppd}" 2>/dev/null
fi
cupsenable "$QUEUE"; cupsaccept "$QUEUE"

# Where cups-pdf writes: the "Out" line of its configuration (${HOME} = the submitting user's home).
out_line=$(awk '$1 == "Out" {print $2}' /etc/cups/cups-pdf.conf 2>/dev/null || true)
cups_out=${out_line//\$\{HOME\}/$HOME}
anon=$(awk '$1 == "AnonDirName" {print $2}' /etc/cups/cups-pdf.conf 2>/dev/null || true)

status=0
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/print_check.py --printer "$QUEUE" --out "$OUT" \
  --cups-out "${cups_out:-$HOME/PDF}" --cups-out "${anon:-/var/spool/cups-pdf/ANONYMOUS}" || status=$?

for pdf in "$OUT"/*.pdf; do
  pdftoppm -r 60 -png "$pdf" "${pdf%.pdf}"
done
echo "PNG pages:"; ls -1 "$OUT"/*.png
exit $status
