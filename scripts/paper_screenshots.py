"""Pictures of the papers for the README: a fee receipt as first printed and as reprinted two days
later, and the reprinted slip of a withdrawn dossier (the citizen's copy, Liên 2, at 80 dpi).

Usage: .venv/bin/python scripts/paper_screenshots.py [OUT_DIR]   (default docs/screenshots)
A throwaway desk with a fixed clock, so the pictures only change when the papers do.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk_app.domain.lifecycle import Action  # noqa: E402
from desk_app.services import lifecycle  # noqa: E402
from desk_app.services.desk import Desk  # noqa: E402
from desk_app.services.printouts import deliver, prepare_printout  # noqa: E402
from desk_app.services.reception import ReceptionRequest, receive  # noqa: E402
from desk_app.store.store import Store  # noqa: E402

VN = dt.timezone(dt.timedelta(hours=7))
PICTURES = {
    "07-fee-receipt-original.png": ("first", "-bien-lai"),
    "08-fee-receipt-reprint.png": ("again", "-bien-lai"),
    "09-slip-reprint-withdrawn.png": ("again", ""),
}


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="desk-papers-"))
    now = [dt.datetime(2026, 11, 23, 9, 15, tzinfo=VN)]
    store = Store.open(work / "desk.sqlite3")
    try:
        desk = Desk(store, clock=lambda: now[0], actor="Trần Văn Lực")
        desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                        desk_no=1)
        code = receive(desk, ReceptionRequest(
            procedure_code="2.000815", name="Nguyễn Thị Thuỳ Dương", id_number="001190012345", pages=3, copies=2,
            address="Thôn Đông, xã Tân Phú", phone="0912345678")).dossier.code
        deliver(desk, prepare_printout(desk, code), receipt_path=work / "first.pdf")
        now[0] = dt.datetime(2026, 11, 24, 10, 5, tzinfo=VN)
        lifecycle.apply(desk, code, Action.WITHDRAW, note="Công dân xin rút hồ sơ")
        now[0] = dt.datetime(2026, 11, 25, 14, 40, tzinfo=VN)
        deliver(desk, prepare_printout(desk, code), receipt_path=work / "again.pdf")
    finally:
        store.close()
    for name, (pdf, suffix) in PICTURES.items():
        target = out / name
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "2", "-l", "2", "-singlefile",
                        str(work / f"{pdf}{suffix}.pdf"), str(target.with_suffix(""))], check=True)
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
