"""`desk-app sync …` without a hub: Vietnamese help, refusals, and a status that only reads."""

from __future__ import annotations

import json

import pytest

from desk_app.cli.main import main
from tests.cli.test_cli_end_to_end import INIT
from tests.cli.test_cli_output import _no_english


def test_sync_help_lists_its_actions_in_vietnamese(capsys):
    with pytest.raises(SystemExit) as exit_:  # argparse ends the program after the help
        main(["sync", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: desk-app sync")
    for action in ("enroll", "now", "status", "export", "import"):
        assert action in out
    assert _no_english(out) == []


def test_sync_status_on_no_database_creates_nothing(tmp_path, capsys):
    db = tmp_path / "none.sqlite3"
    assert main(["--db", str(db), "sync", "status", "--json"]) == 2
    assert not db.exists() and "Chưa có cơ sở dữ liệu" in capsys.readouterr().err


def test_sync_status_reads_only_and_sync_now_needs_an_enrolment(tmp_path, capsys):
    db = tmp_path / "desk.sqlite3"
    assert main(["--db", str(db), *INIT]) == 0
    capsys.readouterr()
    before = db.stat().st_mtime_ns, db.stat().st_size
    assert main(["--db", str(db), "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["enrolled"], status["pending"], status["last_success"], status["rejected"]) == (False, 3, None, [])
    assert (db.stat().st_mtime_ns, db.stat().st_size) == before

    assert main(["--db", str(db), "sync", "now", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("Lỗi: Quầy chưa ghi danh với máy chủ đồng bộ. Hãy chạy: desk-app sync enroll")
    assert json.loads(captured.out)["error"] == "not_enrolled"
    assert main(["--db", str(db), "sync", "export", str(tmp_path / "x.sync")]) == 2
    assert not (tmp_path / "x.sync").exists()


def test_enrolling_with_an_unreachable_hub_is_an_environment_failure(tmp_path, capsys):
    db = tmp_path / "desk.sqlite3"
    assert main(["--db", str(db), *INIT]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "sync", "enroll", "--hub", "http://127.0.0.1:9", "--code", "ABCDE-FGHJK"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Chưa ghi danh được: không kết nối được máy chủ http://127.0.0.1:9")
    assert "Traceback" not in err
    assert main(["--db", str(db), "sync", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["enrolled"] is False
