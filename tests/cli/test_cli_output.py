"""What the command line says: Vietnamese help and errors, the whole dossier, a quiet end when piped."""

import json
import os
import subprocess
import sys

import pytest

from tests.cli.test_cli_end_to_end import INIT, run

ENGLISH = ["usage:", "options:", "positional arguments", "show this help", "show program's", "and exit",
           "the following arguments", "required", "invalid choice", "choose from", "argument --",
           "expected one argument", "unrecognized arguments", "invalid int value", "error:", "Traceback"]


def _no_english(text):
    return [phrase for phrase in ENGLISH if phrase.lower() in text.lower()]


@pytest.mark.parametrize("args", [["--help"], ["receive", "--help"], ["calendar", "--help"], ["-h"]])
def test_help_is_vietnamese(desk_home, args):
    proc = run(desk_home, *args)
    assert proc.stdout.startswith("Cách dùng: desk-app")
    assert "hiện trợ giúp này rồi thoát" in proc.stdout
    assert _no_english(proc.stdout + proc.stderr) == []


@pytest.mark.parametrize("args, says", [
    (["receive", "--name", "Lê Văn Cường"], "thiếu tham số bắt buộc: --procedure"),
    (["receive", "--procedure", "2.000815", "--name", "A B", "--sex", "khac"], "--sex: giá trị 'khac' không có"),
    (["receive", "--procedure", "2.000815", "--name", "A B", "--birth-date", "31-02-1990"], "--birth-date:"),
    (["receive", "--procedure", "2.000815", "--name", "A B", "--pages", "ba"], "--pages: 'ba' không phải số nguyên"),
    (["receive", "--procedure"], "--procedure: cần một giá trị theo sau"),
    (["search", "x", "--bogus"], "không hiểu các tham số: --bogus"),
    (["frobnicate"], "LỆNH: giá trị 'frobnicate' không có trong các lựa chọn"),
])
def test_argument_errors_are_vietnamese_and_exit_2(desk_home, args, says):
    proc = run(desk_home, *args, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Cách dùng: desk-app")
    assert f"Lỗi: {says}" in proc.stderr
    assert _no_english(proc.stderr) == []


def test_show_gives_the_whole_dossier(desk_home):
    received = json.loads(run(desk_home, "receive", "--procedure", "2.000815", "--name", "Nguyễn Thị Thuỳ Dương",
                              "--id-number", "001190012345", "--birth-date", "1990-03-04", "--sex", "nu",
                              "--phone", "0912345678", "--pages", "3", "--copies", "2",
                              "--received-at", "2025-11-24T09:15", "--json").stdout)
    code = received["code"]
    run(desk_home, "forward", code, "--at", "2025-11-24T10:00")
    text = run(desk_home, "show", code).stdout
    expected = [
        f"HỒ SƠ {code} — Đang giải quyết",
        "Thủ tục: Chứng thực bản sao từ bản chính giấy tờ, văn bản (2.000815)",
        "Người nộp: Nguyễn Thị Thuỳ Dương, số định danh 001190012345, sinh 04/03/1990, nữ, điện thoại 0912345678",
        "Tiếp nhận: 09:15 24/11/2025",
        "Hẹn trả kết quả: 17:00 24/11/2025 — trả trong ngày",
        "GIẤY TỜ (1 bộ, 3 trang, 2 bản)",
        "  1. Bản chính giấy tờ, văn bản làm cơ sở chứng thực — Xuất trình, 1",
        "PHÍ, LỆ PHÍ",
        "  10.000 đ (3 trang: 5.000đ/bản × 2 bản)",
        "  Biên lai: Mẫu số 01BLP2-001, ký hiệu AA/",  # the series carries the year of set-up
        ", số 0000001, thu lúc 09:15 24/11/2025",
        "LỊCH SỬ",
        "09:15 24/11/2025  Tiếp nhận hồ sơ",
        "In giấy tiếp nhận, lần in thứ 1",
        "10:00 24/11/2025  Đã tiếp nhận → Đang giải quyết",
    ]
    missing = [line for line in expected if line not in text]
    assert missing == [], text
    data = json.loads(run(desk_home, "show", code, "--json").stdout)
    assert data["fee"]["receipt_no"].startswith("Mẫu số 01BLP2-001, ký hiệu AA/")
    assert data["fee"]["receipt_no"].endswith(", số 0000001")
    assert data["fee"]["amount_vnd"] == 10_000
    assert [h["action"] for h in data["audit"]][:5] == [
        "dossier.receive", "dossier.print", "dossier.print", "dossier.set_status", "dossier.view"]
    assert data["documents"][0]["form"] == "xuat_trinh" and data["view_audited"] is True


def _closed_reader(home, *args):
    """Run the command with its stdout a pipe whose reader is already gone."""
    read, write = os.pipe()
    os.close(read)
    env = {**os.environ, "DESK_APP_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "desk_app", *args], stdout=write, stderr=subprocess.PIPE,
                            env=env)
    os.close(write)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err.decode("utf-8")


def test_a_reader_that_stops_early_ends_the_command_quietly_and_its_work_stands(desk_home):
    code, err = _closed_reader(desk_home, "receive", "--procedure", "1.001193", "--name", "Hoàng Văn Ống", "--json")
    assert (code, err) == (141, "")  # no traceback, no "cannot write file"
    found = json.loads(run(desk_home, "search", "Hoàng Văn Ống", "--json").stdout)
    assert [d["applicant_name"] for d in found] == ["Hoàng Văn Ống"]  # the reception stands
    dossier = found[0]["code"]
    for args in (["show", dossier, "--json"], ["catalog", "list", "--json"], ["--help"]):
        code, err = _closed_reader(desk_home, *args)
        assert code in (0, 141) and err == "", (args, err)


def test_show_piped_into_head(desk_home):
    dossier = json.loads(run(desk_home, "search", "Hoàng Văn Ống", "--json").stdout)[0]["code"]
    env = {**os.environ, "DESK_APP_HOME": str(desk_home), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(f"'{sys.executable}' -m desk_app show '{dossier}' --json | head -c 10",
                          shell=True, capture_output=True, env=env, timeout=120)
    assert proc.stdout == b'{\n "code":' and proc.stderr == b""


def test_every_writing_command_makes_the_daily_backup_and_reads_do_not(tmp_path):
    run(tmp_path, "--db", str(tmp_path / "a" / "desk.sqlite3"), *INIT)
    assert len(list((tmp_path / "a" / "backups").glob("desk-*.sqlite3"))) == 1
    # A database whose daily backup is not made yet (e.g. made by another install): reads leave it so.
    run(tmp_path, "--db", str(tmp_path / "a" / "desk.sqlite3"), "backup", str(tmp_path / "b" / "desk.sqlite3"))
    b = tmp_path / "b" / "desk.sqlite3"
    run(tmp_path, "--db", str(b), "search", "nguyen")
    run(tmp_path, "--db", str(b), "catalog", "list")
    assert not (tmp_path / "b" / "backups").exists()
    out = run(tmp_path, "--db", str(b), "receive", "--procedure", "1.001193", "--name", "Đinh Thị Hạnh")
    made = list((tmp_path / "b" / "backups").glob("desk-*.sqlite3"))
    assert len(made) == 1 and "Đã sao lưu tự động" in out.stderr
