"""`desk-app report` and `desk-app ledger-export` as a user runs them, on the crafted October 2026."""

import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.cli.test_cli_end_to_end import run
from desk_app.printing.xlsx import TITLE_ROWS
from tests.reports_data import OCTOBER, OCTOBER_AVERAGE_DAYS, OCTOBER_RATINGS, build


@pytest.fixture
def db(desk, clock, store, tmp_path):
    build(desk, clock)
    return store.path


def writes(store):
    return [store.tables.count(t) for t in ("dossiers", "outbox", "audit")]


def test_json_report_has_the_known_figures(db, store, tmp_path):
    before = writes(store)
    out = run(tmp_path, "--db", str(db), "report", "--from", "2026-10-01", "--to", "31/10/2026", "--format", "json")
    data = json.loads(out.stdout)
    assert {k: data[k] for k in OCTOBER} == OCTOBER
    assert data["average_processing_days"] == round(OCTOBER_AVERAGE_DAYS, 2)
    assert data["indicators"]["2.1"]["value"] == 71.43 and data["indicators"]["5.4"]["value"] == 57.14
    assert data["indicators"]["5.4"]["numerator"] == 4 and data["indicators"]["5.4"]["formula"].startswith("(Tổng số")
    assert {level["label"]: level["count"] for level in data["ratings"]["levels"]} == OCTOBER_RATINGS
    assert data["guidance_issued"] == 1 and data["from"] == "2026-10-01" and data["to"] == "2026-10-31"
    assert writes(store) == before  # a read: nothing recorded, not even an audit entry


def test_month_quarter_and_year_shortcuts(db, tmp_path):
    month = json.loads(run(tmp_path, "--db", str(db), "report", "--month", "10/2026", "--json").stdout)
    assert month["received_total"] == 10
    quarter = json.loads(run(tmp_path, "--db", str(db), "report", "--quarter", "2026-Q4", "--json").stdout)
    assert (quarter["from"], quarter["to"], quarter["received_new"]) == ("2026-10-01", "2026-12-31", 9)
    year = json.loads(run(tmp_path, "--db", str(db), "report", "--year", "2026", "--json").stdout)
    assert year["received_new"] == 13


def test_text_summary_for_people(db, tmp_path):
    out = run(tmp_path, "--db", str(db), "report", "--month", "2026-10").stdout
    assert "Tiếp nhận: 10 (kỳ trước chuyển qua 2, mới 8: trực tiếp 6, trực tuyến 1, bưu chính 1)" in out
    assert "Chỉ số 2.1 Tỷ lệ hồ sơ giải quyết đúng hạn (đã và đang giải quyết): 71,4%" in out
    assert "Chỉ số 4.2 Tỷ lệ số hóa hồ sơ: 0,0%" in out  # nothing scanned in the crafted month
    assert "hành chính: 57,1%" in out  # 5.4 from the four ratings
    assert "Đánh giá khi trả kết quả: 4 lượt (Rất hài lòng 1, Hài lòng 1, Bình thường 0, Không hài lòng 2)" in out
    assert "57,1%" in out
    assert "Đánh giá khi trả kết quả: 4 lượt (Rất hài lòng 1, Hài lòng 1, Bình thường 0, Không hài lòng 2)" in out


def test_excel_and_pdf_files(db, tmp_path):
    xlsx, pdf = tmp_path / "bc.xlsx", tmp_path / "bc.pdf"
    said = run(tmp_path, "--db", str(db), "report", "--month", "2026-10", "--format", "xlsx", "--out", str(xlsx))
    assert str(xlsx) in said.stdout
    book = load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert book.sheetnames == ["Tổng hợp", "Theo thủ tục", "Chỉ số QĐ 766", "Đánh giá"]
    first = TITLE_ROWS + 2
    rated = list(book["Đánh giá"].iter_rows(min_row=first, values_only=True))
    assert rated == [("Rất hài lòng", 1, 0.25), ("Hài lòng", 1, 0.25), ("Bình thường", 0, 0),
                     ("Không hài lòng", 2, 0.5), ("Tổng cộng", 4, 1)]
    index = {row[0]: row for row in book["Chỉ số QĐ 766"].iter_rows(min_row=first, values_only=True)}
    assert index["5.4"][3:6] == (4, 7, pytest.approx(400 / 7)) and index["5.4"][2].startswith("(Tổng số")
    run(tmp_path, "--db", str(db), "report", "--month", "2026-10", "--format", "pdf", "--out", str(pdf))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text and "Tổng cộng 10 2 8 6 1 1 5 2 2 1" in text
    assert "Không hài lòng 2 50,0%" in text and "5.4" in text


def test_ledger_export(db, tmp_path):
    target = tmp_path / "so.xlsx"
    run(tmp_path, "--db", str(db), "ledger-export", "--month", "2026-10", "--out", str(target))
    sheet = load_workbook(target)["Sổ theo dõi"]
    assert sum(1 for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]) == 8
    pdf = tmp_path / "so.pdf"
    run(tmp_path, "--db", str(db), "ledger-export", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "pdf",
        "--out", str(pdf))
    assert "DANH SÁCH HỒ SƠ TIẾP NHẬN" in PdfReader(pdf).pages[0].extract_text()


@pytest.mark.parametrize("args, words", [
    (["--from", "2026-10-31", "--to", "2026-10-01"], "phải từ ngày bắt đầu"),
    ([], "Hãy chọn đúng một kỳ"),
    (["--from", "2026-10-01"], "Hãy chọn đúng một kỳ"),
    (["--month", "2026-10", "--year", "2026"], "Hãy chọn đúng một kỳ"),
    (["--month", "2026-13"], "không có tháng 13"),
    (["--from", "31/02/2026", "--to", "2026-03-01"], "Không có ngày 31/02/2026"),
])
def test_bad_periods_exit_2_in_vietnamese_and_write_nothing(db, tmp_path, args, words):
    out = tmp_path / "x.xlsx"
    proc = run(tmp_path, "--db", str(db), "report", *args, "--format", "xlsx", "--out", str(out), check=False)
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_no_database_says_so(tmp_path):
    proc = run(tmp_path, "--db", str(tmp_path / "none.sqlite3"), "report", "--month", "2026-10", check=False)
    assert proc.returncode == 2 and "Chưa có cơ sở dữ liệu" in proc.stderr
    assert not (tmp_path / "none.sqlite3").exists()
