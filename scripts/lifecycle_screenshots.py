"""Take a dossier through every lifecycle step and picture each paper (Mẫu 02–07, the new slip
after a supplement) and the detail tab, into docs/screenshots/ (mau-*.png, booking-ticket.png, 10-detail-steps.png, 11-ledger-alerts.png).

Run from the project folder: ``.venv/bin/python scripts/lifecycle_screenshots.py`` (needs
pdftoppm; the window is drawn offscreen). A throwaway database in a temporary folder is used.
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

from desk_app.domain.catalogue import DocForm  # noqa: E402
from desk_app.domain.dossier import ReceivedDocument  # noqa: E402
from desk_app.domain.lifecycle import Action  # noqa: E402
from desk_app.domain.papers import Paper  # noqa: E402
from desk_app.services import bookings  # noqa: E402
from desk_app.services import lifecycle as lc  # noqa: E402
from desk_app.services.desk import Desk  # noqa: E402
from desk_app.services.lifecycle_papers import ledger_book, prepare_paper  # noqa: E402
from desk_app.services.reception import ReceptionRequest, receive  # noqa: E402
from desk_app.store.store import Store  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
VN = dt.timezone(dt.timedelta(hours=7))
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Minh", "Phạm Thị Thu Hà", "Hoàng Văn Nam", "Vũ Thị Lan",
         "Đặng Quốc Bảo", "Bùi Thị Mai", "Đỗ Văn Hùng", "Hồ Thị Ngọc Ánh"]


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def picture(pdf: bytes, name: str, folder: Path) -> None:
    """The first page at 80 dpi, as the brief asks for looking at a paper."""
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(OUT / name)], check=True)
    print(f"screenshot: {OUT / name}.png", flush=True)


def build(desk: Desk, clock: Clock) -> dict[str, str]:
    person = dict(address="Số 12, ấp Mỹ Lợi, xã Tân Phú", phone="0912345678", id_number="079186012345")
    a = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Nguyễn Thị Hằng", **person)).dossier.code
    clock.now = at(30, 16)
    lc.apply(desk, a, Action.FORWARD, at=at(23, 10), to="Công chức Tư pháp - Hộ tịch")
    lc.request_supplement(desk, a, reason="Thiếu giấy tờ chứng minh quan hệ giám hộ theo Luật Hộ tịch", at=at(24, 9),
                          missing=(ReceivedDocument("Giấy chứng nhận kết hôn của cha, mẹ", DocForm.CERTIFIED_COPY, 2),
                                   ReceivedDocument("Văn bản đồng ý của người được giám hộ", DocForm.ORIGINAL)))
    lc.receive_supplement(desk, a, at=at(25, 14))
    lc.apply(desk, a, Action.FORWARD, at=at(25, 15), to="Công chức Tư pháp - Hộ tịch")
    lc.apologize(desk, a, reason="Cần xác minh thêm nơi cư trú của người được giám hộ", new_due=at(3, 9, 15, 12),
                 at=at(27, 10))
    lc.apply(desk, a, Action.RECORD_RESULT, at=at(30, 10))
    lc.return_result(desk, a, recipient="Trần Văn Bình", authorisation="Giấy ủy quyền số 12/UQ, chứng thực ngày "
                     "20/11/2026", originals=["Văn bản đồng ý của người được giám hộ"], rating="hai long", at=at(30, 15))
    b = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Lê Văn Cường", received_at=at(24, 8))).dossier
    lc.refuse(desk, b.code, reason="Người yêu cầu không cư trú trên địa bàn xã; hồ sơ thuộc thẩm quyền của xã nơi "
              "cư trú", at=at(24, 10))
    c = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Phạm Thị Dung", received_at=at(24, 8, 30)))
    lc.stop(desk, c.dossier.code, reason="Người yêu cầu đề nghị dừng để bổ sung hồ sơ theo quy định mới",
            at=at(25, 9))
    for i in range(12):
        receive(desk, ReceptionRequest(procedure_code="2.000815", name=NAMES[i % 10], pages=3, phone="0912345678",
                                       address="Thôn Đông, xã Tân Phú", received_at=at(26, 8, i)))
    e = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Hồ Thị Ngọc Ánh", received_at=at(27, 8)))
    lc.request_supplement(desk, e.dossier.code, reason="Thiếu giấy khai sinh", at=at(27, 9), missing=(
        ReceivedDocument("Giấy khai sinh của người được giám hộ", DocForm.CERTIFIED_COPY),))
    lc.receive_supplement(desk, e.dossier.code, at=at(30, 14, 10))
    f = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Vũ Thị Lan", received_at=at(30, 9),
                                       id_number="001190054321"))
    return {"full": a, "refused": b.code, "stopped": c.dossier.code, "supplemented": e.dossier.code,
            "open": f.dossier.code}


def papers(desk: Desk, codes: dict[str, str], folder: Path) -> None:
    for key, paper, name in [
        ("full", Paper.SUPPLEMENT_REQUEST, "mau-02-supplement-request"), ("refused", Paper.REFUSAL, "mau-03-refusal"),
        ("full", Paper.APOLOGY, "mau-04-apology"), ("stopped", Paper.STOP_NOTICE, "mau-05-stop-notice"),
        ("full", Paper.CONTROL_SLIP, "mau-06-control-slip"),
        ("supplemented", Paper.RECEIPT, "mau-01-new-slip-after-supplement"),
    ]:
        picture(prepare_paper(desk, codes[key], paper).copies[0].pdf, name, folder)
    picture(ledger_book(desk, dt.date(2026, 11, 1), dt.date(2026, 11, 30)).pdf, "mau-07-ledger-book", folder)
    booking = bookings.book(desk, procedure_code="1.001193", name="Nguyễn Thị Hằng", phone="0912345678",
                            slot=dt.datetime(2026, 12, 1, 8, 0, tzinfo=VN))
    picture(bookings.ticket(desk, booking), "booking-ticket", folder)


def detail_tab(desk: Desk, code: str) -> None:
    from PySide6.QtWidgets import QApplication

    from desk_app.gui.context import DeskContext
    from desk_app.gui.main_window import DETAIL, LEDGER, MainWindow
    from desk_app.gui.tasks import SyncRunner

    app = QApplication.instance() or QApplication([])
    window = MainWindow(DeskContext(SyncRunner(), desk, desk.profile(), "Trần Văn Lực"))
    window.resize(1366, 768)
    window.show()
    window.tabs.setCurrentIndex(DETAIL)
    window.attach(desk, desk.profile(), None)  # as the app does once the worker opened the database
    window.tabs.setCurrentIndex(DETAIL)
    window.detail.open_code(code)
    app.processEvents()
    window.grab().save(str(OUT / "10-detail-steps.png"), "PNG")
    print(f"screenshot: {OUT / '10-detail-steps.png'}", flush=True)
    window.tabs.setCurrentIndex(LEDGER)
    ledger = window.ledger
    ledger.due.setCurrentIndex(ledger.due.findData("apology"))
    app.processEvents()
    window.grab().save(str(OUT / "11-ledger-alerts.png"), "PNG")
    print(f"screenshot: {OUT / '11-ledger-alerts.png'}", flush=True)
    window.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store.open(folder / "desk.sqlite3")
        clock = Clock(at(23, 9, 15))
        desk = Desk(store, clock=clock, actor="Trần Văn Lực", device_clock=clock)
        desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                        desk_no=1)
        codes = build(desk, clock)
        papers(desk, codes, folder)
        detail_tab(desk, codes["supplemented"])
        store.close()


if __name__ == "__main__":
    main()
