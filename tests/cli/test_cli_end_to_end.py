"""The command line as a user runs it: real subprocesses on a temporary DESK_APP_HOME."""

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from desk_app.domain.text import fold

INIT = ["init", "--commune", "Xã Tân Phú", "--authority", "Ủy ban nhân dân xã Tân Phú",
        "--unit-code", "000.21.33.H49", "--desk", "1"]


def run(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DESK_APP_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "desk_app", *args], capture_output=True, text=True, env=env,
                          timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    path = tmp_path_factory.mktemp("desk-home")
    run(path, *INIT)
    return path


def test_init_creates_database_in_desk_app_home(home):
    assert (home / "desk.sqlite3").exists()


def test_receive_prints_json_and_writes_receipt(home, tmp_path):
    pdf = tmp_path / "slip.pdf"
    out = run(home, "receive", "--procedure", "2.000815", "--name", "Nguyễn Thị Thuỳ Dương",
              "--id-number", "001190012345", "--birth-date", "1990-03-04", "--sex", "nu",
              "--phone", "0912 345 678", "--pages", "3", "--copies", "2",
              "--received-at", "2025-11-24T09:15", "--pdf", str(pdf), "--json")
    data = json.loads(out.stdout)
    assert data["code"] == "000.21.33.H49-251124-0001"
    assert data["procedure_code"] == "2.000815"
    assert data["applicant_name"] == "Nguyễn Thị Thuỳ Dương"
    assert data["received_at"] == "2025-11-24T09:15:00+07:00"
    assert data["due_at"] == "2025-11-24T17:00:00+07:00"
    assert data["fee_vnd"] == 10_000
    assert data["receipt_pdf"] == str(pdf)
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert data["code"] in text and "Nguyễn Thị Thuỳ Dương" in text
    assert Path(data["fee_receipt_pdf"]).exists()

    shown = json.loads(run(home, "show", data["code"], "--json").stdout)
    assert {k: shown[k] for k in ("code", "due_at", "fee_vnd", "applicant_name")} == {
        k: data[k] for k in ("code", "due_at", "fee_vnd", "applicant_name")}


def test_search_folds_diacritics_and_nfd_input(home):
    run(home, "receive", "--procedure", "1.001193", "--name", "Đặng Văn Đức", "--received-at", "2025-11-25T08:00")
    found = json.loads(run(home, "search", "dang van duc", "--json").stdout)
    assert [d["applicant_name"] for d in found] == ["Đặng Văn Đức"]
    nfd = unicodedata.normalize("NFD", "Đức")
    assert [d["applicant_name"] for d in json.loads(run(home, "search", nfd, "--json").stdout)] == ["Đặng Văn Đức"]


def test_due_command(home):
    out = json.loads(run(home, "due", "--procedure", "1.004222", "--received-at", "2026-04-28T09:15", "--json").stdout)
    assert out["due_at"] == "2026-05-11T09:15:00+07:00"


def test_calendar_show_and_import(home, tmp_path):
    shown = json.loads(run(home, "calendar", "show", "2026", "--json").stdout)
    assert {"date": "2026-04-27", "name": "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/4)",
            "kind": "compensatory", "provisional": False} in shown
    assert any(d["kind"] == "swapped_workday" and d["date"] == "2026-08-22" for d in shown)
    derived = json.loads(run(home, "calendar", "show", "2029", "--json").stdout)
    assert derived and all(d["provisional"] for d in derived)
    csv_file = tmp_path / "2029.csv"
    csv_file.write_text("date,name,kind\n2029-01-01,Tết Dương lịch,holiday\n2029-01-02,Nghỉ thêm,compensatory\n",
                        encoding="utf-8")
    run(home, "calendar", "import", str(csv_file))
    imported = json.loads(run(home, "calendar", "show", "2029", "--json").stdout)
    assert [d["date"] for d in imported] == ["2029-01-01", "2029-01-02"]
    assert not any(d["provisional"] for d in imported)


def test_catalog_list(home):
    procs = json.loads(run(home, "catalog", "list", "--json").stdout)
    assert len(procs) >= 28
    assert any(p["code"] == "2.000815" for p in procs)
    filtered = json.loads(run(home, "catalog", "list", "--query", "chung thuc ban sao", "--json").stdout)
    codes = [p["code"] for p in filtered]
    assert "2.000815" in codes and "1.001193" not in codes
    for p in filtered:
        words = fold(f"{p['code']} {p['name']} {p['field']}")
        assert "chung thuc" in words and "ban sao" in words


@pytest.mark.parametrize(
    "args, code",
    [
        (["--id-number", "123"], "invalid_input"),
        (["--phone", "12ab"], "invalid_input"),
        (["--procedure", "0.000000"], "unknown_procedure"),
        (["--pages", "0"], "invalid_input"),
    ],
)
def test_bad_receive_input_exits_nonzero_with_vietnamese_message_and_writes_nothing(home, args, code):
    before = json.loads(run(home, "search", "Hoàng", "--json").stdout)
    base = {"--procedure": "2.000815", "--name": "Hoàng Văn Em"}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    flat = [item for pair in base.items() for item in pair]
    proc = run(home, "receive", *flat, "--json", check=False)
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"] == code
    assert proc.stderr.startswith("Lỗi: ")
    assert json.loads(run(home, "search", "Hoàng", "--json").stdout) == before


def test_bad_date_argument_is_a_clear_error(home):
    proc = run(home, "receive", "--procedure", "2.000815", "--name", "A B", "--received-at", "hôm qua", check=False)
    assert proc.returncode == 2
    assert "'hôm qua' không phải thời điểm: gõ như 24/11/2025 09:15" in proc.stderr


def test_impossible_date_says_so_and_writes_nothing(home):
    before = json.loads(run(home, "search", "Hoàng Văn Khải", "--json").stdout)
    proc = run(home, "receive", "--procedure", "2.000815", "--name", "Hoàng Văn Khải", "--birth-date", "31/02/2030",
               check=False)
    assert proc.returncode == 2
    assert "Không có ngày 31/02/2030." in proc.stderr and "không phải ngày" not in proc.stderr
    proc = run(home, "due", "--procedure", "1.004222", "--received-at", "2026-02-30T09:00", check=False)
    assert proc.returncode == 2 and "Không có ngày 30/02/2026." in proc.stderr
    assert json.loads(run(home, "search", "Hoàng Văn Khải", "--json").stdout) == before == []


def test_dates_as_people_type_them(home):
    iso = json.loads(run(home, "due", "--procedure", "1.004222", "--received-at", "2026-04-28T09:15", "--json").stdout)
    typed = json.loads(run(home, "due", "--procedure", "1.004222", "--received-at", "28/04/2026 09:15", "--json").stdout)
    assert typed == iso
    out = json.loads(run(home, "receive", "--procedure", "2.000884", "--name", "Ksor H’Ba",
                         "--id-number", "066190012345", "--birth-date", "04/03/1990", "--sex", "nu",
                         "--received-at", "24/11/2025 10:00", "--on-the-spot", "--json").stdout)
    assert out["received_at"] == "2025-11-24T10:00:00+07:00"
    assert out["applicant_name"] == "Ksor H'Ba"  # one stored apostrophe, whichever was typed
    for query in ("Ksor H’Ba", "ksor h'ba", "h‘ba ksor", "ksor hba"):
        assert [d["code"] for d in json.loads(run(home, "search", query, "--json").stdout)] == [out["code"]], query


def test_catalog_import_bad_row_names_line_and_imports_nothing(home, tmp_path):
    before = run(home, "catalog", "list", "--json").stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,time_value,time_unit\nA.1,Thủ tục A,3,working_days\nA.2,Thủ tục B,2,weeks\n",
                   encoding="utf-8")
    proc = run(home, "catalog", "import", str(bad), check=False)
    assert proc.returncode == 2
    assert "Dòng 3" in proc.stderr
    assert run(home, "catalog", "list", "--json").stdout == before


def test_unconfigured_desk_says_how_to_configure(tmp_path):
    proc = run(tmp_path, "receive", "--procedure", "2.000815", "--name", "A B", check=False)
    assert proc.returncode == 2
    assert "desk-app init" in proc.stderr


def test_global_db_option_overrides_home(tmp_path):
    db = tmp_path / "elsewhere" / "x.sqlite3"
    run(tmp_path / "home", "--db", str(db), *INIT)
    assert db.exists() and not (tmp_path / "home" / "desk.sqlite3").exists()


def test_reprint_is_marked(home, tmp_path):
    code = json.loads(run(home, "search", "Thuỳ", "--json").stdout)[0]["code"]
    out = json.loads(run(home, "print", code, "--pdf", str(tmp_path / "again.pdf"), "--json").stdout)
    assert out["reprint"] is True
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "again.pdf").pages)
    assert "BẢN IN LẠI" in text


def test_on_the_spot_records_without_slip_but_keeps_fee_receipt(home):
    out = json.loads(run(home, "receive", "--procedure", "2.000884", "--name", "Vũ Thị Lan",
                         "--received-at", "2025-11-26T10:00", "--on-the-spot", "--json").stdout)
    assert out["status"] == "returned"
    assert out["receipt_pdf"] is None
    assert out["fee_vnd"] == 10_000 and Path(out["fee_receipt_pdf"]).exists()


def test_guide_prints_the_supplement_request_and_registers_nothing(home, tmp_path):
    pdf = tmp_path / "guide.pdf"
    before = json.loads(run(home, "search", "Lê Thị Mai", "--json").stdout)
    out = run(home, "guide", "--procedure", "1.001193", "--name", "Lê Thị Mai", "--phone", "0912345678",
              "--missing", "Giấy chứng nhận kết hôn của cha mẹ|ban_sao_chung_thuc|2",
              "--missing", "Tờ khai đăng ký khai sinh (mẫu)", "--pdf", str(pdf), "--json")
    data = json.loads(out.stdout)
    assert data["number"].startswith("HD-") and data["number"].endswith("-Q1-0001")
    assert {k: data[k] for k in ("procedure_code", "applicant_name", "pdf")} == {
        "procedure_code": "1.001193", "applicant_name": "Lê Thị Mai", "pdf": str(pdf)}
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and data["number"] in text
    assert "Giấy chứng nhận kết hôn của cha mẹ Bản sao chứng thực 2" in text
    assert "Tờ khai đăng ký khai sinh (mẫu) Bản chính 1" in text  # form and count from the catalogue
    assert json.loads(run(home, "search", "Lê Thị Mai", "--json").stdout) == before == []


def test_guide_bad_input_exits_2(home):
    proc = run(home, "guide", "--procedure", "1.001193", "--name", "Lê Thị Mai", "--missing", "Tờ khai|nhap",
               "--json", check=False)
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"] == "invalid_form"
    proc = run(home, "guide", "--procedure", "1.001193", "--name", "   ", "--missing", "Tờ khai", check=False)
    assert proc.returncode == 2 and "họ tên" in proc.stderr


def test_pdf_keeps_saving_files_and_says_so(home, tmp_path):
    received = run(home, "receive", "--procedure", "2.000815", "--name", "Lê Thị Mai", "--pages", "1",
                   "--received-at", "2025-11-27T08:30")
    code = re.search(r"hồ sơ (\S+);", received.stdout).group(1)
    assert f"Giấy tiếp nhận và hẹn trả kết quả: đã lưu tệp {home / 'receipts' / (code + '.pdf')}." in received.stdout
    assert f"Biên lai thu phí, lệ phí: đã lưu tệp {home / 'receipts' / (code + '-bien-lai.pdf')}." in received.stdout
    again = run(home, "print", code, "--pdf", str(tmp_path / "lai.pdf"), "--paper", "fee-receipt", "--json")
    out = json.loads(again.stdout)
    assert out["receipt_pdf"] is None and out["fee_receipt_pdf"] == str(tmp_path / "lai-bien-lai.pdf")
    assert [(p["paper"], p["reprint"], p["printer"]) for p in out["papers"]] == [("fee_receipt", True, None)]
    text = " ".join(PdfReader(tmp_path / "lai-bien-lai.pdf").pages[0].extract_text().split())
    assert "BẢN IN LẠI" in text and "Thời gian thu: 08 giờ 30 phút, ngày 27/11/2025" in text


def test_fee_receipt_form_and_series_at_set_up_and_in_settings(tmp_path):
    home = tmp_path / "home"
    out = json.loads(run(home, *INIT, "--fee-form", "01BLP2-003", "--fee-series", "ck/26t", "--fee-start", "41",
                         "--json").stdout)
    assert out["fee_receipt"] == {"form_no": "01BLP2-003", "series": "CK/26T", "start_no": 41}
    assert out["place"] == "Tân Phú"
    first = json.loads(run(home, "receive", "--procedure", "2.000815", "--name", "Đỗ Văn Hải", "--pages", "1",
                           "--json").stdout)
    text = " ".join(PdfReader(first["fee_receipt_pdf"]).pages[0].extract_text().split())
    assert "Mẫu số: 01BLP2-003" in text and "Ký hiệu: CK/26T" in text and "Số: 0000041" in text
    shown = run(home, "settings", "fee-receipt")
    assert shown.stdout.strip() == "Biên lai: mẫu số 01BLP2-003, ký hiệu CK/26T, bắt đầu từ số 0000041."
    changed = json.loads(run(home, "settings", "fee-receipt", "--series", "CL/26T", "--start", "1", "--json").stdout)
    assert changed == {"form_no": "01BLP2-003", "series": "CL/26T", "start_no": 1}
    second = json.loads(run(home, "receive", "--procedure", "2.000815", "--name", "Đỗ Thị Hà", "--pages", "1",
                            "--json").stdout)
    text = " ".join(PdfReader(second["fee_receipt_pdf"]).pages[0].extract_text().split())
    assert "Ký hiệu: CL/26T" in text and "Số: 0000001" in text
    bad = run(home, "settings", "fee-receipt", "--series", "Ký hiệu", "--json", check=False)
    assert bad.returncode == 2
    assert [(p["field"], p["code"]) for p in json.loads(bad.stdout)["problems"]] == [("fee_series", "invalid_fee_series")]
    assert "Ký hiệu biên lai chỉ gồm chữ in hoa không dấu" in bad.stderr
    assert run(home, "settings", "fee-receipt").stdout.strip().endswith("ký hiệu CL/26T, bắt đầu từ số 0000001.")
