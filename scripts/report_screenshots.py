"""Pictures of the reports for the README: the October 2026 report's first page (PDF at 80 dpi) and
the window's "Thống kê" tab, both on the demo commune with a fixed clock (27/11/2026 10:30).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/report_screenshots.py [OUT_DIR]
(default docs/screenshots; writes report-pdf.png and dashboard-tab.png)
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk_app.services import reports  # noqa: E402
from desk_app.services.demo import DEMO_ZONE, create_demo_database  # noqa: E402
from desk_app.services.desk import Desk  # noqa: E402
from desk_app.store.store import Store  # noqa: E402

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime.combine(TODAY, dt.time(10, 30), DEMO_ZONE)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="desk-reports-"))
    path = create_demo_database(work / "demo.sqlite3", today=TODAY)
    store = Store.open(path)
    desk = Desk(store, clock=lambda: NOW, actor="screenshots", device_clock=lambda: NOW)
    report = reports.period_report(desk, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    pdf = work / "bao-cao.pdf"
    pdf.write_bytes(reports.report_file(desk, report, reports.Format.PDF))
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(out / "report-pdf")], check=True)
    _window(desk, out / "dashboard-tab.png")
    store.close()
    print(f"{out / 'report-pdf.png'}\n{out / 'dashboard-tab.png'}")
    return 0


def _window(desk: Desk, target: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desk_app.gui.context import DeskContext
    from desk_app.gui.main_window import STATS, MainWindow
    from desk_app.gui.tasks import SyncRunner

    app = QApplication.instance() or QApplication([])
    ctx = DeskContext(SyncRunner(), desk, desk.profile(), "screenshots", demo=True)
    window = MainWindow(ctx)
    window.resize(1366, 740)
    window.show()
    window.show_tab(STATS)
    window.dashboard.choice.setCurrentIndex(1)  # last month: October 2026
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(target))
    window.close()


if __name__ == "__main__":
    sys.exit(main())
