"""forward / result / return / withdraw from the command line, as real subprocesses.

Received-at dates are in 2025: the real clock (late 2026) is past them, so no time is "in the future".
"""

import json

import pytest

from tests.cli.test_cli_end_to_end import INIT, run


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    path = tmp_path_factory.mktemp("desk-home")
    run(path, *INIT)
    return path


def receive(home, name, received_at="2025-11-24T09:15"):
    """A guardianship dossier (3 working days): received Monday 09:15, due Thursday 09:15."""
    out = json.loads(run(home, "receive", "--procedure", "1.004837", "--name", name,
                         "--received-at", received_at, "--json").stdout)
    assert out["due_at"] == "2025-11-27T09:15:00+07:00"
    return out["code"]


def shown(home, code):
    """The dossier as shown, without its audit (which grows with every viewing)."""
    data = json.loads(run(home, "show", code, "--json").stdout)
    data.pop("audit")
    return data


def test_forward_result_return_and_timeliness(home):
    code = receive(home, "Nguyễn Văn An")
    out = json.loads(run(home, "forward", code, "--at", "2025-11-24T10:00", "--json").stdout)
    assert (out["code"], out["status"], out["finished_at"]) == (code, "in_process", None)
    assert out["timeliness"] == "overdue"  # still open, and the appointment passed long ago
    assert out["applicant_name"] == "Nguyễn Văn An"  # the usual dossier JSON, plus timeliness

    out = json.loads(run(home, "result", code, "--at", "2025-11-26T15:00", "--json").stdout)
    assert (out["status"], out["finished_at"], out["timeliness"]) == (
        "result_ready", "2025-11-26T15:00:00+07:00", "early")

    out = json.loads(run(home, "return", code, "--at", "2025-11-28T08:00", "--json").stdout)
    # Early is judged by when the result was ready, not by when the citizen came for it.
    assert (out["status"], out["finished_at"], out["timeliness"]) == (
        "returned", "2025-11-26T15:00:00+07:00", "early")
    data = shown(home, code)
    assert (data["status"], data["due_at"], data["timeliness"]) == ("returned", "2025-11-27T09:15:00+07:00", "early")
    by = data["history"][1]["by"]  # the desk's user, whoever runs the tests
    assert data["history"] == [
        {"status": "received", "at": "2025-11-24T09:15:00+07:00", "by": by, "note": ""},
        {"status": "in_process", "at": "2025-11-24T10:00:00+07:00", "by": by, "note": "", "step": "forward"},
        {"status": "result_ready", "at": "2025-11-26T15:00:00+07:00", "by": by, "note": "", "step": "record_result"},
        {"status": "returned", "at": "2025-11-28T08:00:00+07:00", "by": by,
         "note": "người nhận: Nguyễn Văn An (người nộp)", "step": "return_result"},
    ]


def test_late_result_in_human_words(home):
    code = receive(home, "Trần Thị Bình")
    run(home, "forward", code, "--at", "2025-11-24T10:00")
    out = run(home, "result", code, "--at", "2025-11-27T10:30").stdout
    assert out.strip() == f"Hồ sơ {code}: Đang giải quyết → Có kết quả lúc 10:30 27/11/2025 (Trả muộn)."


def test_bad_transition_exits_2_in_vietnamese_and_changes_nothing(home):
    code = receive(home, "Lê Văn Cường")
    before = shown(home, code)
    proc = run(home, "return", code, "--json", check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Lỗi: Không thể «Trả kết quả» khi hồ sơ đang ở trạng thái «Đã tiếp nhận».")
    assert json.loads(proc.stdout)["error"] == "transition_not_allowed"
    assert shown(home, code) == before
    proc = run(home, "result", code, check=False)
    assert proc.returncode == 2 and "«Có kết quả»" in proc.stderr
    assert shown(home, code) == before


def test_withdraw_needs_a_reason_then_records_it(home):
    code = receive(home, "Phạm Thị Dung")
    proc = run(home, "withdraw", code, "--json", check=False)
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"] == "reason_required"
    assert proc.stderr.strip() == "Lỗi: Cần ghi lý do để «Rút hồ sơ»."
    assert shown(home, code)["status"] == "received"

    out = json.loads(run(home, "withdraw", code, "--reason", "Người nộp đổi ý", "--at", "2025-11-25T08:00",
                         "--json").stdout)
    assert (out["status"], out["timeliness"], out["finished_at"]) == ("withdrawn", None, None)
    proc = run(home, "forward", code, check=False)
    assert proc.returncode == 2 and "«Rút hồ sơ»" in proc.stderr


def test_time_before_receipt_is_refused(home):
    code = receive(home, "Hoàng Văn Em")
    proc = run(home, "forward", code, "--at", "2025-11-24T09:00", "--json", check=False)
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["problems"][0] == {
        "field": "at", "code": "time_before_receipt",
        "message": "Thời điểm ghi nhận phải từ lúc tiếp nhận hồ sơ (09:15 24/11/2025) trở đi."}
    assert shown(home, code)["status"] == "received"


def test_unknown_dossier_and_bad_time_are_clear_errors(home):
    proc = run(home, "forward", "000.21.33.H49-251124-9999", check=False)
    assert proc.returncode == 2 and "Không tìm thấy hồ sơ" in proc.stderr
    proc = run(home, "forward", "000.21.33.H49-251124-0001", "--at", "hôm qua", check=False)
    assert proc.returncode == 2 and "không phải thời điểm" in proc.stderr and "24/11/2025 09:15" in proc.stderr


def test_at_back_dates_business_time_and_device_time_is_the_real_clock(home):
    import datetime as dt

    from desk_app.store.outbox import Outbox
    from desk_app.store.store import Store

    code = receive(home, "Hoàng Văn Sơn")
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    run(home, "forward", code, "--at", "2025-11-24T10:30")
    after = dt.datetime.now(dt.timezone.utc)
    store = Store.open(home / "desk.sqlite3")
    try:
        event = [e for e in Outbox(store).pending() if e.payload.get("code") == code][-1]
    finally:
        store.close()
    assert (event.kind, event.business_time) == ("dossier.status_changed", "2025-11-24T10:30:00+07:00")
    assert before <= dt.datetime.fromisoformat(event.device_time) <= after
