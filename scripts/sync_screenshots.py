"""Screenshots of sync in the window: docs/screenshots/sync-panel.png and ledger-sync-marks.png.

Run under an X display (``scripts/screenshots.sh sync`` starts Xvfb at 1366×768). Builds the scene
for real first: a demo desk database (2,500 dossiers) in a temporary folder, a ``desk-app hub
serve`` process, enrolment with a one-time code, a sync that the hub answers with one rejection,
then three dossiers received after it. The hub is stopped before the window opens, so the
window's background sync meets an unreachable hub: 3 waiting, the last sync, 1 rejected, and
the last error, as a commune sees it when its link is down.

The rejected change is staged as tests/sync does: a status change recorded without its new
status, which the hub cannot project (``bad_payload``); everything else is the real path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from drive_keys import key  # scripts/drive_keys.py
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolTip, QWidget
from screenshots import OUT, Tour, shoot  # scripts/screenshots.py
PORT = 8791
NAMES = ["Võ Thị Ngọc Hân", "Lê Văn Phúc", "Đặng Thị Hoà"]


def desk_app(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "desk-app"), *args]


def prepare(folder: Path) -> Path:
    """The desk database of the scene; the hub process is stopped again before returning."""
    from desk_app.domain import events as ev
    from desk_app.services.demo import DEMO_UNIT_CODE, create_demo_database
    from desk_app.services.desk import Desk
    from desk_app.services.reception import ReceptionRequest, receive
    from desk_app.services.sync import enroll, sync_now
    from desk_app.store.store import Store

    database = create_demo_database(folder / "desk.sqlite3")
    hub_db = f"sqlite:///{folder / 'hub.sqlite3'}"
    hub = subprocess.Popen(desk_app("hub", "serve", "--db", hub_db, "--port", str(PORT)),
                           stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{PORT}"
        for _ in range(300):
            try:
                if httpx.get(f"{url}/v1/stats", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        issued = subprocess.run(desk_app("hub", "enroll", "--db", hub_db, "--unit-code", DEMO_UNIT_CODE, "--desk", "1"),
                                capture_output=True, text=True, check=True)
        desk = Desk(Store.open(database), actor="demo")
        enroll(desk, url, issued.stdout.split()[-1])
        bad = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Trần Văn Bình")).dossier
        with desk.recorder.change(business_time=desk.clock()) as change:  # staged: see the module docstring
            change.event(ev.Kind.DOSSIER_STATUS_CHANGED, bad.uuid, {"uuid": bad.uuid, "code": bad.code})
            change.audit("screenshot.bad_event", "dossier", bad.code, {})
        report = sync_now(desk)
        print(f"synced {report.sent} events, {report.rejected} rejected", flush=True)
        for name in NAMES:
            receive(desk, ReceptionRequest(procedure_code="2.000815", name=name, pages=2, copies=1))
        desk.store.close()
    finally:
        hub.terminate()
        hub.wait(15)
    return database


class SyncTour(Tour):
    """Waits while the background sync tries the (stopped) hub, then the ledger and the panel."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self.steps = [self.wait, self.wait, self.wait, self.ledger, self.tooltip, lambda: shoot("ledger-sync-marks"),
                      self.panel, self.wait, lambda: shoot("sync-panel"), self.finish]

    def ledger(self) -> None:
        key(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        table = self.window.ledger.table
        table.setFocus()
        key(Qt.Key.Key_Down, times=3)  # the rejected dossier, under the three received after the sync

    def tooltip(self) -> None:
        from desk_app.gui.ledger_model import Column

        table = self.window.ledger.table
        index = table.model().index(table.currentIndex().row(), Column.SYNC)
        rect = table.visualRect(index)
        QToolTip.showText(table.viewport().mapToGlobal(rect.center()), table.model().data(
            index, Qt.ItemDataRole.ToolTipRole), table.viewport())

    def panel(self) -> None:
        QToolTip.hideText()
        key(Qt.Key.Key_F9)

    def finish(self) -> None:
        self.window.close()


def main() -> int:
    from desk_app.gui.app import run

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="desk-sync-shots-") as folder:
        os.environ["DESK_APP_HOME"] = folder  # logs and backups stay in the throwaway folder
        database = prepare(Path(folder))
        tours: list[SyncTour] = []

        def ready(window: QWidget) -> None:
            tours.append(SyncTour(window))
            tours[-1].start()

        return run(["--db", str(database)], on_ready=ready)


if __name__ == "__main__":
    sys.exit(main())
