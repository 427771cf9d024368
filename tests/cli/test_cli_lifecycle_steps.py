"""supplement, supplemented, refuse, apologize, stop, return with its recipient, control-slip,
ledger-book and reprints, as real subprocesses. Times are in November 2025, before the real clock."""

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.test_cli_end_to_end import INIT, run


@pytest.fixture
def home(desk_home):
    return desk_home  # one desk for the module (tests/cli/conftest.py)


def receive(home, name, received_at="2025-11-24T09:15"):
    """Guardianship (3 working days): received Monday 09:15, due Thursday 27/11 09:15."""
    return json.loads(run(home, "receive", "--procedure", "1.004837", "--name", name, "--received-at", received_at,
                          "--json").stdout)["code"]


def as_json(home, *args):
    return json.loads(run(home, *args, "--json").stdout)


def shown(home, code):
    data = as_json(home, "show", code)
    return data["status"], data["due_at"], data["history"]


def pdf_text(path):
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def refused(home, code, *args, error):
    before = shown(home, code)
    proc = run(home, *args, "--json", check=False)
    assert proc.returncode == 2, proc.stderr
    assert json.loads(proc.stdout)["error"] == error
    assert proc.stderr.startswith("Lỗi: ")
    assert shown(home, code) == before  # nothing written
    return proc.stderr


def test_supplement_pauses_and_the_supplement_restarts_the_time(home, tmp_path):
    code = receive(home, "Nguyễn Văn An")
    out = as_json(home, "supplement", code, "--missing", "Giấy chứng nhận kết hôn|ban_sao_chung_thuc|2",
                  "--missing", "Văn bản đồng ý", "--reason", "Thiếu giấy tờ chứng minh", "--at", "2025-11-24T10:00",
                  "--pdf", str(tmp_path / "mau02.pdf"))
    assert (out["status"], out["timeliness"], out["step"]) == ("supplement_requested", "paused", "request_supplement")
    assert out["pdf"] == str(tmp_path / "mau02.pdf") and out["papers"][0]["print_no"] == 1
    text = pdf_text(tmp_path / "mau02.pdf")
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and f"Mã hồ sơ: {code}" in text
    assert "Giấy chứng nhận kết hôn Bản sao chứng thực 2" in text and "Văn bản đồng ý Bản chính 1" in text
    # Papers back on Friday 28/11 at 14:00: three working days from then, Wednesday 3/12 14:00.
    out = as_json(home, "supplemented", code, "--at", "2025-11-28T14:00")
    assert (out["status"], out["due_at"]) == ("received", "2025-12-03T14:00:00+07:00")
    assert out["due_reason"].startswith("tính lại từ khi nhận đủ hồ sơ bổ sung lúc 14:00 28/11/2025")
    slip = pdf_text(Path(out["pdf"]))
    assert out["pdf"].endswith(f"papers/{code}-giay-tiep-nhan-moi.pdf")
    assert "BẢN IN LẠI" not in slip and "09 giờ 15 phút" in slip  # received at, kept
    assert "Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 00 phút, ngày 03/12/2025" in slip
    data = as_json(home, "show", code)
    assert (data["due_at"], data["timeliness"]) == ("2025-12-03T14:00:00+07:00", "overdue")  # by the real clock
    assert [(h["status"], h["at"], h.get("due_at")) for h in data["history"]] == [
        ("received", "2025-11-24T09:15:00+07:00", None),
        ("supplement_requested", "2025-11-24T10:00:00+07:00", None),
        ("received", "2025-11-28T14:00:00+07:00", "2025-12-03T14:00:00+07:00"),
    ]
    assert data["history"][1]["note"] == ("Thiếu giấy tờ chứng minh; cần bổ sung: Giấy chứng nhận kết hôn, "
                                          "Văn bản đồng ý")
    run(home, "forward", code, "--at", "2025-11-28T15:00", "--to", "Công chức Tư pháp - Hộ tịch")
    err = refused(home, code, "supplement", code, "--missing", "Giấy khác", "--reason", "Thiếu nữa",
                  error="once_only")
    assert "chỉ được yêu cầu bổ sung một lần" in err


def test_refuse_needs_a_reason_then_prints_mau_03_and_reprints_it_marked(home, tmp_path):
    code = receive(home, "Trần Thị Bình")
    err = refused(home, code, "refuse", code, error="reason_required")
    assert err.strip() == "Lỗi: Cần ghi lý do để «Từ chối»."
    out = run(home, "refuse", code, "--reason", "Không thuộc thẩm quyền của xã", "--at", "2025-11-24T11:00",
              "--pdf", str(tmp_path / "mau03.pdf")).stdout
    assert out.startswith(f"Hồ sơ {code}: Từ chối (Đã tiếp nhận → Từ chối) lúc 11:00 24/11/2025.")
    assert f"Phiếu từ chối tiếp nhận giải quyết hồ sơ: đã lưu tệp {tmp_path / 'mau03.pdf'}." in out
    assert "Lý do: Không thuộc thẩm quyền của xã." in pdf_text(tmp_path / "mau03.pdf")
    again = as_json(home, "print", code, "--paper", "refusal", "--pdf", str(tmp_path / "again.pdf"))
    assert again["reprint"] and again["papers"][0]["print_no"] == 2
    assert "BẢN IN LẠI" in pdf_text(tmp_path / "again.pdf")
    proc = run(home, "print", code, "--paper", "apology", "--pdf", str(tmp_path / "x.pdf"), check=False)
    assert proc.returncode == 2 and "chưa có bước «Xin lỗi, hẹn lại»" in proc.stderr


def test_apologize_once_and_only_in_time(home, tmp_path):
    code = receive(home, "Lê Văn Cường")
    run(home, "forward", code, "--at", "2025-11-24T10:00")
    # Due Thursday 27/11: Thursday itself is too late.
    err = refused(home, code, "apologize", code, "--reason", "Cần xác minh", "--new-due", "2025-12-02T09:15",
                  "--at", "2025-11-27T08:00", error="apology_too_late")
    assert "đến hết ngày 26/11/2025" in err
    refused(home, code, "apologize", code, "--reason", "Cần xác minh", "--new-due", "2025-12-02T09:15",
            "--at", "2025-11-26T08:00", "--signed-off-by", "Người khác", error="sign_off_required")
    out = as_json(home, "apologize", code, "--reason", "Cần xác minh", "--new-due", "2025-12-02T09:15",
                  "--at", "2025-11-26T16:00", "--pdf", str(tmp_path / "mau04.pdf"))
    assert (out["status"], out["due_at"], out["step"]) == ("in_process", "2025-12-02T09:15:00+07:00", "apologize")
    assert "Thời gian trả kết quả mới: 09 giờ 15 phút, ngày 02/12/2025" in pdf_text(tmp_path / "mau04.pdf")
    err = refused(home, code, "apologize", code, "--reason", "Lần nữa", "--new-due", "2025-12-04T09:15",
                  "--at", "2025-11-28T09:00", error="once_only")
    assert "chỉ được hẹn lại một lần" in err
    out = as_json(home, "result", code, "--at", "2025-12-02T08:00")
    assert out["timeliness"] == "on_time"  # against the new appointment


def test_stop_and_the_return_to_an_authorised_person(home, tmp_path):
    code = receive(home, "Phạm Thị Dung")
    out = as_json(home, "stop", code, "--reason", "Người nộp đề nghị", "--at", "2025-11-24T10:00",
                  "--pdf", str(tmp_path / "mau05.pdf"))
    assert out["status"] == "stopped" and "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in pdf_text(tmp_path / "mau05.pdf")

    code = receive(home, "Vũ Thị Lan")
    run(home, "forward", code, "--at", "2025-11-24T10:00")
    run(home, "result", code, "--at", "2025-11-25T10:00")
    err = refused(home, code, "return", code, "--recipient", "Hoàng Văn Nam", error="authorisation_required")
    assert "Hoàng Văn Nam" in err
    refused(home, code, "return", code, "--rating", "9", error="invalid_rating")
    out = as_json(home, "return", code, "--recipient", "Hoàng Văn Nam", "--authorization", "Giấy ủy quyền số 5/UQ",
                  "--original", "Giấy chứng sinh", "--rating", "1", "--at", "2025-11-26T09:00")
    assert (out["status"], out["timeliness"]) == ("returned", "early")
    audit = as_json(home, "show", code)["audit"]
    returned = [h for h in audit if h["detail"].get("to") == "returned"][0]
    # The audit trail keeps no citizen's name (it can never be redacted); the steps do, and the
    # control slip below names him.
    assert returned["text"] == ("Có kết quả → Đã trả kết quả, người nhận: người được ủy quyền, "
                                "trả bản chính: Giấy chứng sinh, đánh giá: Rất hài lòng")
    assert "Hoàng Văn Nam" not in json.dumps(returned, ensure_ascii=False)
    slip = as_json(home, "control-slip", code, "--pdf", str(tmp_path / "mau06.pdf"))
    assert slip["paper"] == "control_slip" and slip["pdf"] == str(tmp_path / "mau06.pdf")
    text = pdf_text(tmp_path / "mau06.pdf")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and "Hoàng Văn Nam" in text and "Trước hạn" in text


def test_the_ledger_book_of_november(home, tmp_path):
    receive(home, "Đặng Thị Hoà", "2025-11-20T08:00")
    out = as_json(home, "ledger-book", "--from", "01/11/2025", "--to", "30/11/2025", "--pdf", str(tmp_path / "so.pdf"))
    assert out["entries"] >= 1 and out["pdf"] == str(tmp_path / "so.pdf") and out["reprint"] is False
    text = pdf_text(tmp_path / "so.pdf")
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Từ ngày: 01/11/2025 đến ngày 30/11/2025" in text
    assert "Đặng Thị Hoà" in text and "BẢN IN LẠI" not in text
    again = as_json(home, "ledger-book", "--from", "01/11/2025", "--to", "30/11/2025", "--pdf",
                    str(tmp_path / "so-2.pdf"))
    assert again["reprint"] is True and "BẢN IN LẠI in lúc" in pdf_text(tmp_path / "so-2.pdf")
    proc = run(home, "ledger-book", "--from", "30/11/2025", "--to", "01/11/2025", "--json", check=False)
    assert proc.returncode == 2 and json.loads(proc.stdout)["error"] == "invalid_period"


def test_the_rating_scale_setting(tmp_path_factory):
    home = tmp_path_factory.mktemp("desk-home")
    run(home, *INIT)
    assert as_json(home, "settings", "rating-scale")["rating_scale"] == [
        "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"]
    out = run(home, "settings", "rating-scale", "Hài lòng", "Chưa hài lòng").stdout
    assert out.strip() == "Thang đánh giá: 1. Hài lòng, 2. Chưa hài lòng."
    proc = run(home, "settings", "rating-scale", "Một mức", check=False)
    assert proc.returncode == 2 and "từ 2 đến 10 mức" in proc.stderr


def test_alerts_and_the_due_soon_setting(tmp_path_factory):
    home = tmp_path_factory.mktemp("desk-home")
    run(home, *INIT)
    overdue = receive(home, "Nguyễn Văn An")  # due 27/11/2025, long past by the real clock
    paused = receive(home, "Trần Thị Bình")
    run(home, "supplement", paused, "--missing", "Giấy chứng sinh", "--reason", "Thiếu", "--at", "2025-11-24T10:00")
    out = as_json(home, "alerts")
    assert out["counts"] == {"overdue": 1, "due_today": 0, "due_soon": 0, "paused": 1, "apology": 0}
    assert out["due_soon_working_days"] == 2 and out["apologies"] == []
    text = run(home, "alerts").stdout
    assert text.strip() == "Quá hạn: 1 · Chờ bổ sung: 1"
    assert overdue != paused
    assert as_json(home, "settings", "due-soon", "3")["due_soon_working_days"] == 3
    assert run(home, "settings", "due-soon").stdout.strip() == "Báo sắp đến hạn khi còn 3 ngày làm việc."
    assert as_json(home, "alerts")["due_soon_working_days"] == 3
    proc = run(home, "settings", "due-soon", "11", check=False)
    assert proc.returncode == 2 and "từ 1 đến 10" in proc.stderr
