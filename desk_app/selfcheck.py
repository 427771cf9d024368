"""``desk-app --self-check``: prove an installation (source or frozen bundle) works.

It needs no display and never touches the user's data: everything happens in a temporary
folder that is deleted afterwards (DESK_APP_HOME and the user data directory are not read).
The checks follow one dossier through the desk: a new database (migrations), a desk
initialised for a test commune, a dossier received under a Vietnamese name, its receipt and
fee receipt rendered (fonts embedded, dossier code in the PDF), the slip's QR (its text verified,
segno's symbol with the fast mask choice), a verified backup, the shipped list of administrative
units, a PDF and a PNG scan attached encrypted and read back, an argon2id password hash (accounts) and an Ed25519 signature (sync). Then Qt: QtWidgets, QtPrintSupport and QtPdf load on
the offscreen platform and pdfium reads the receipt back; last, the day's report is counted and
written to Excel and PDF, and QtCharts (the Thống kê tab) loads.

PySide6 is imported only inside ``_check_qt`` and ``_check_reports`` (lazily), never at module level: the
import-linter contract "Only gui imports PySide6" does not cover this module, but its spirit
holds, and nothing here imports ``desk_app.gui``.

One line per check, in English for maintainers ("ok …" or "FAILED …"); the exit code is 0 only
when every check passed. CI runs it against the frozen bundle (scripts/build_bundle.sh).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

TEST_NAME = "Nguyễn Thị Ánh Tuyết"
VN = dt.timezone(dt.timedelta(hours=7))
# A fixed Monday morning so the result never depends on today's date or the hour of the run.
FIXED_NOW = dt.datetime(2026, 11, 23, 9, 15, tzinfo=VN)
RECEIPT_PAGES = 2


class CheckFailed(Exception):
    pass


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _check_pdf(pdf: bytes | None, code: str, what: str) -> str:
    _require(pdf is not None, f"no {what} was rendered")
    assert pdf is not None
    _require(pdf.startswith(b"%PDF-"), f"{what} does not start with %PDF-")
    _require(code.encode("ascii") in pdf, f"{what} does not name the dossier {code}")
    # reportlab embeds TrueType subsets as /BaseFont /ABCDEF+LiberationSerif…: the bundled fonts
    # were found and used, not a standard PDF font without Vietnamese letters.
    _require(b"+LiberationSerif" in pdf, f"{what} has no embedded Liberation Serif font")
    return f"{what}: {len(pdf):,} bytes, fonts embedded"


def _check_resources(state: dict[str, Any]) -> str:
    from desk_app.paths import resources_dir

    root = resources_dir()
    wanted = [
        "fonts/LiberationSerif-Regular.ttf",
        "fonts/LICENSE-LiberationSerif.txt",
        "catalogue/catalogue.json",
        "calendar/holidays.csv",
        "units/units-2025.csv",
    ]
    missing = [name for name in wanted if not (root / name).is_file()]
    _require(not missing, f"missing in {root}: {', '.join(missing)}")
    frozen = "frozen bundle" if getattr(sys, "frozen", False) else "source"
    return f"resources ({frozen}): {root}"


def _check_database(state: dict[str, Any]) -> str:
    from desk_app.store.store import Store

    path = state["folder"] / "desk.sqlite3"
    state["store"] = store = Store.open(path)
    version = store.db.execute("PRAGMA user_version").fetchone()[0]
    return f"database: new desk database opened (schema {version})"


def _check_desk(state: dict[str, Any]) -> str:
    from desk_app.services.desk import Desk

    desk = Desk(state["store"], clock=lambda: FIXED_NOW, actor="self-check")
    desk.initialise(
        commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49", desk_no=1
    )
    state["desk"] = desk
    procedures = len(desk.store.catalogue.procedures())
    _require(procedures > 0, "the shipped catalogue imported no procedure")
    return f"desk: initialised for {desk.profile().commune} ({procedures} procedures)"


def _check_receive(state: dict[str, Any]) -> str:
    from desk_app.services.reception import ReceptionRequest, receive

    # Chứng thực bản sao: a per-page fee, so the dossier gets a fee receipt too.
    request = ReceptionRequest(procedure_code="2.000815", name=TEST_NAME, pages=3, copies=2)
    reception = receive(state["desk"], request)
    dossier = reception.dossier
    stored = state["desk"].dossier(dossier.code).applicant.name
    _require(stored.casefold() == unicodedata.normalize("NFC", TEST_NAME).casefold(),
             f"the applicant's name came back as {stored!r}")
    _require(reception.fee_receipt is not None, "no fee receipt number was issued")
    state["code"] = dossier.code
    return f"receive: dossier {dossier.code} for {TEST_NAME}, fee {dossier.fee_vnd:,} VND"


def _check_receipt(state: dict[str, Any]) -> str:
    from desk_app.services.printouts import prepare_printout

    printout = prepare_printout(state["desk"], state["code"])
    state["receipt"] = printout.receipt
    return _check_pdf(printout.receipt, state["code"], "receipt")


def _check_fee_receipt(state: dict[str, Any]) -> str:
    from desk_app.services.printouts import prepare_printout

    printout = prepare_printout(state["desk"], state["code"], slip=False)
    return _check_pdf(printout.fee_receipt, state["code"], "fee receipt")


def _check_qr(state: dict[str, Any]) -> str:
    """The slip's QR: its text verifies under the desk's key, segno makes the symbol, with the fast
    mask choice in place (the bundle must carry the segno release it was checked with)."""
    from desk_app.domain.qr_text import read
    from desk_app.printing import qr, qr_masks
    from desk_app.store import papers

    desk = state["desk"]
    key = papers.qr_key(desk.store)
    payload = qr.receipt_qr_payload(desk.dossier(state["code"]), desk.profile(), key)
    fields = read(payload, key)
    _require(fields.get("MHS") == state["code"], f"the QR text names {fields.get('MHS')!r}")
    _require(qr_masks.install(), f"segno is not the checked release {qr_masks.CHECKED_SEGNO}: slow mask choice")
    modules = qr._modules(payload)
    size = len(modules)
    _require(size >= 21 and (size - 17) % 4 == 0 and all(len(row) == size for row in modules),
             f"the QR symbol is {size} modules wide, not a QR version's size")
    return f"qr: slip code {state['code']} verifies under the desk's key, version {(size - 17) // 4} symbol"


def _check_passwords(state: dict[str, Any]) -> str:
    """argon2id (argon2-cffi's compiled core): hash and verify a password as signing in does."""
    from desk_app.services.accounts import default_hasher

    hasher = default_hasher()
    secret = hasher.hash("mật-khẩu-2026")
    _require(secret.startswith("$argon2id$"), f"not an argon2id hash: {secret[:12]}…")
    _require(hasher.verify(secret, "mật-khẩu-2026"), "the password does not verify against its hash")
    try:
        hasher.verify(secret, "mật-khẩu-2025")
    except Exception:  # noqa: BLE001 - argon2's VerificationError: the wrong password is refused
        return "passwords: argon2id hash made, the right password verifies, a wrong one is refused"
    raise CheckFailed("a wrong password verified")


def _check_signing(state: dict[str, Any]) -> str:
    """Ed25519 (cryptography's compiled core): sign a sync batch's bytes, verify, refuse a change."""
    from desk_app.sync.keys import SigningKey, signature_ok

    key = SigningKey.generate()
    data = f"batch of dossier {state.get('code', '—')}".encode()
    signature = key.sign(data)
    _require(signature_ok(key.public_text, data, signature), "the signature does not verify")
    _require(not signature_ok(key.public_text, data + b"!", signature), "a changed batch verified")
    return "signing: Ed25519 key made, a batch signed and verified, a changed one refused"


def _check_scans(state: dict[str, Any]) -> str:
    """A scan attached (pypdf counts the receipt's pages, Pillow makes and reads a PNG), encrypted
    on disk (AES-GCM), read back whole: the bundle carries what scans need."""
    import io

    from PIL import Image

    from desk_app.services import scans

    desk, code, receipt = state["desk"], state["code"], state["receipt"]
    image = io.BytesIO()
    Image.new("RGB", (120, 80), (173, 216, 230)).save(image, format="PNG")
    pdf_scan = scans.attach(desk, code, 1, receipt, name="giay-tiep-nhan.pdf")
    png_scan = scans.attach(desk, code, 1, image.getvalue(), name="cccd.png")
    _require(pdf_scan.pages == RECEIPT_PAGES, f"the PDF scan counts {pdf_scan.pages} pages")
    stored = scans.files_of(desk).path(pdf_scan.sha256).read_bytes()
    _require(receipt not in stored and stored[:5] != b"%PDF-", "the scan is stored in plain")
    _require(scans.open_scan(desk, code, pdf_scan, purpose="self-check") == receipt, "the PDF scan came back changed")
    _require(scans.open_scan(desk, code, png_scan, purpose="self-check") == image.getvalue(),
             "the PNG scan came back changed")
    state["scans"] = 2
    return f"scans: a {pdf_scan.pages}-page PDF and a PNG attached, encrypted on disk, read back whole"


def _check_backup(state: dict[str, Any]) -> str:
    from desk_app.services.backup import backup_to

    backup = backup_to(state["desk"], state["folder"] / "backup.sqlite3")
    _require(backup.dossiers == 1, f"backup holds {backup.dossiers} dossiers, expected 1")
    _require(backup.scans == state.get("scans", 0), f"backup carries {backup.scans} scans")
    return f"backup: verified copy with {backup.dossiers} dossier and its {backup.scans} scans"


def _check_units(state: dict[str, Any]) -> str:
    from desk_app.services.units import load_units, search_units

    units = load_units()
    _require(len(units) > 3000, f"only {len(units)} communes in the units list")
    found = search_units(units, "tan phu dong nai", limit=1)
    _require(bool(found), "searching the units for 'tan phu dong nai' found nothing")
    return f"units: {len(units)} communes, first match {found[0].label}"


def _check_qt(state: dict[str, Any]) -> str:
    """Load QtWidgets, QtPrintSupport and QtPdf offscreen; pdfium must read the receipt back."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the self-check needs no display
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        state["qt_app"] = QApplication([sys.argv[0], "-platform", "offscreen"])  # kept alive until the end
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _require(printer.resolution() > 0, "QPrinter has no resolution")
    receipt: bytes | None = state.get("receipt")
    _require(receipt is not None, "no receipt to load (an earlier check failed)")
    assert receipt is not None
    buffer = QBuffer()
    buffer.setData(QByteArray(receipt))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    _require(document.status() == QPdfDocument.Status.Ready, f"QPdfDocument status {document.status()}")
    pages = document.pageCount()
    _require(pages == RECEIPT_PAGES, f"the receipt has {pages} pages, expected {RECEIPT_PAGES}")
    image = document.render(0, QSize(420, 595))
    _require(not image.isNull(), "pdfium rendered an empty page")
    document.close()
    return f"qt: {QApplication.platformName()} platform, QtPdf read the receipt ({pages} pages), QPrinter ready"


def _check_reports(state: dict[str, Any]) -> str:
    """The day's report counts the dossier, renders to Excel (openpyxl) and PDF; QtCharts loads."""
    from PySide6.QtCharts import QBarSeries, QBarSet, QChart, QChartView

    from desk_app.services import reports

    desk = state["desk"]
    report = reports.period_report(desk, FIXED_NOW.date(), FIXED_NOW.date())
    _require(report.totals.received_new == 1, f"the day's report counts {report.totals.received_new} dossiers")
    workbook = reports.report_file(desk, report, reports.Format.XLSX)
    _require(workbook.startswith(b"PK"), "the Excel report is not a zip file")
    pdf = reports.report_file(desk, report, reports.Format.PDF)
    _require(pdf.startswith(b"%PDF"), "the PDF report is not a PDF")
    chart, series, bars = QChart(), QBarSeries(), QBarSet("Tiếp nhận")
    bars.append(float(report.totals.received_new))
    series.append(bars)
    chart.addSeries(series)
    view = QChartView(chart)  # the Thống kê tab's widget, drawn offscreen
    view.resize(320, 200)
    _require(not view.grab().isNull(), "the chart view drew nothing")
    return f"reports: 1 dossier counted, Excel {len(workbook):,} bytes, PDF {len(pdf):,} bytes, QtCharts drew a chart"


CHECKS: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("resources", _check_resources),
    ("database", _check_database),
    ("desk", _check_desk),
    ("receive", _check_receive),
    ("receipt", _check_receipt),
    ("fee receipt", _check_fee_receipt),
    ("qr", _check_qr),
    ("scans", _check_scans),
    ("backup", _check_backup),
    ("units", _check_units),
    ("passwords", _check_passwords),
    ("signing", _check_signing),
    ("qt", _check_qt),
    ("reports", _check_reports),
]
# Checks that still make sense when an earlier one failed.
INDEPENDENT = {"resources", "units", "passwords", "signing", "qt"}


def run_self_check(out: Callable[[str], None] = print) -> int:
    """Run every check, print one line each, return 0 only if all passed."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:  # Vietnamese names on a Windows console piped to a cp1252 file
        reconfigure(errors="backslashreplace")
    failed = 0
    chain_broken = False
    with tempfile.TemporaryDirectory(prefix="desk-app-selfcheck-") as folder:
        state: dict[str, Any] = {"folder": Path(folder)}
        try:
            for name, check in CHECKS:
                if chain_broken and name not in INDEPENDENT:
                    out(f"FAILED {name}: skipped, an earlier check failed")
                    failed += 1
                    continue
                try:
                    out(f"ok {check(state)}")
                except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the run
                    failed += 1
                    if name not in INDEPENDENT:
                        chain_broken = True
                    detail = str(exc) if isinstance(exc, CheckFailed) else f"{type(exc).__name__}: {exc}"
                    out(f"FAILED {name}: {detail}")
                    if os.environ.get("DESK_APP_SELF_CHECK_TRACE"):
                        traceback.print_exc()
        finally:
            store = state.get("store")
            if store is not None:
                store.close()  # Windows cannot delete an open database file
    return 1 if failed else 0
