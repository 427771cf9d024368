"""Real printing, end to end: register a dossier in the window by keyboard alone, save its PDF and
print it to a CUPS queue without a dialog (the desk's configured printer).

Usage: print_check.py --printer PDF --out DIR [--cups-out DIR ...]
Prints one line per output; exits non-zero when an output is missing. scripts/print_check.sh
sets up CUPS and the cups-pdf queue first.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drive_keys import key, type_text  # scripts/drive_keys.py
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parent.parent


def configure(database: Path, printer: str) -> None:
    """A configured desk, as `desk-app init` leaves it, with the counter's printer chosen."""
    from desk_app.services.desk import Desk
    from desk_app.store.store import Store

    subprocess.run([sys.executable, "-m", "desk_app", "--db", str(database), "init", "--commune", "Xã Tân Phú",
                    "--authority", "Ủy ban nhân dân xã Tân Phú", "--unit-code", "000.21.33.H49", "--desk", "1"],
                   check=True, capture_output=True)
    store = Store.open(database)
    try:
        with store.transaction():
            store.settings.put({"printer": printer})
        assert Desk(store).configured
    finally:
        store.close()


def recorded(database: Path) -> list[tuple[str, str, str]]:
    """The printings the window recorded (after the file was saved, after the printer took the job)."""
    import json

    from desk_app.store.store import Store

    store = Store.open(database)
    try:
        rows = store.db.execute("SELECT action, detail FROM audit WHERE action IN ('dossier.print', "
                                "'dossier.reprint') ORDER BY id").fetchall()
    finally:
        store.close()
    return [(action, json.loads(detail)["paper"], json.loads(detail)["via"]) for action, detail in rows]


def pdfs_in(folders: list[Path]) -> set[Path]:
    return {p for folder in folders if folder.is_dir() for p in folder.glob("*.pdf")}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--printer", default="PDF")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cups-out", type=Path, action="append", default=[])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="desk-print-check-"))
    database = work / "desk.sqlite3"
    configure(database, args.printer)
    before = pdfs_in(args.cups_out)
    saved = args.out / "receipt-saved.pdf"
    result: dict[str, object] = {}

    from desk_app.gui.app import run

    def drive(window: QWidget) -> None:
        window.ctx.ask_path = lambda parent, suggested: saved  # the "save as" answer, without a modal dialog
        window.activateWindow()
        QTimer.singleShot(300, lambda: step_register(window))

    def step_register(window: QWidget) -> None:
        window.form.focus_picker()
        type_text("chung thuc ban sao")
        key(Qt.Key.Key_Return)
        type_text("Nguyễn Thị Thu Hương")
        key(Qt.Key.Key_Tab)
        type_text("087190012345")
        key(Qt.Key.Key_Tab)
        type_text("12/08/1990")
        key(Qt.Key.Key_Tab, times=2)
        type_text("0912345678")
        key(Qt.Key.Key_Tab)
        type_text("Ấp Tân Hoà")
        key(Qt.Key.Key_Return)  # Enter saves; the preview follows the commit
        wait_for(lambda: window.form.preview is not None and window.form.preview.isVisible(),
                 lambda: step_save(window), "preview")

    def step_save(window: QWidget) -> None:
        preview = window.form.preview
        result["code"] = window.form.last_code
        preview.activateWindow()
        preview.print_button.setFocus()
        key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        wait_for(saved.exists, lambda: step_print(window), "saved PDF")

    def step_print(window: QWidget) -> None:
        preview = window.form.preview
        preview.printed.connect(lambda name: result.setdefault("printer", name))
        preview.print_button.setFocus()
        key(Qt.Key.Key_Return)  # "In ngay": straight to the configured printer, no dialog
        wait_for(lambda: "printer" in result or "Lỗi" in preview.status.text(),
                 lambda: finish(window, preview.status.text()), "print job")

    def finish(window: QWidget, status: str) -> None:
        result["status"] = status
        window.close()

    def wait_for(condition, then, what: str, deadline: float | None = None) -> None:  # type: ignore[no-untyped-def]
        deadline = deadline or time.monotonic() + 60
        if condition():
            then()
        elif time.monotonic() > deadline:
            result["status"] = f"timed out waiting for {what}"
            QApplication.instance().quit()
        else:
            QTimer.singleShot(100, lambda: wait_for(condition, then, what, deadline))

    run(["--db", str(database)], on_ready=drive)
    print(f"dossier: {result.get('code')}")
    print(f"recorded printings: {recorded(database)}")
    print(f"print status: {result.get('status')}")
    ok = saved.exists() and "printer" in result
    print(f"saved PDF: {saved} ({saved.stat().st_size if saved.exists() else 0} bytes)")
    new: set[Path] = set()
    sizes: dict[Path, int] = {}
    for _ in range(120):  # cups-pdf writes a moment after the job is queued: wait until the files stop growing
        new = pdfs_in(args.cups_out) - before
        now = {p: p.stat().st_size for p in new}
        if len(new) >= 2 and now == sizes and all(now.values()):
            break
        sizes = now
        time.sleep(0.5)
    for path in sorted(new):
        copy = args.out / f"cups-{path.name}"
        copy.write_bytes(path.read_bytes())
        print(f"CUPS output: {path} (copied to {copy})")
    if not new:
        print("CUPS output: none found in " + ", ".join(map(str, args.cups_out)))
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
