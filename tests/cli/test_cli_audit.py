"""`desk-app audit verify` catches an audit row edited by hand in the database file; list and export."""

import csv
import json
import sqlite3

from tests.cli.test_cli_end_to_end import INIT, run


def receive(home, name):
    return json.loads(run(home, "receive", "--procedure", "2.000815", "--name", name, "--pages", "3",
                          "--json").stdout)["code"]


def test_verify_passes_then_names_the_entry_edited_by_hand(tmp_path):
    run(tmp_path, *INIT)
    code = receive(tmp_path, "Nguyễn Văn An")
    out = run(tmp_path, "audit", "verify")
    assert out.stdout.startswith("Nhật ký nguyên vẹn: đã kiểm tra")
    db = tmp_path / "desk.sqlite3"
    conn = sqlite3.connect(db)
    (entry_id, at), = conn.execute("SELECT id, at FROM audit WHERE action = 'dossier.receive'").fetchall()
    with conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET actor = 'nguoi-khac' WHERE id = ?", [entry_id])
    conn.close()
    proc = run(tmp_path, "audit", "verify", "--json", check=False)
    assert proc.returncode == 4
    data = json.loads(proc.stdout)
    assert data["ok"] is False and data["broken"] == {"id": entry_id, "at": at, "reason": "edited"}
    proc = run(tmp_path, "audit", "verify", check=False)
    assert proc.returncode == 4
    assert f"mục số {entry_id}" in proc.stdout and "đã bị sửa" in proc.stdout
    assert code  # the dossier itself is untouched; only its trail was


def test_list_filters_and_export_writes_csv_and_is_audited(tmp_path):
    run(tmp_path, *INIT)
    code = receive(tmp_path, "Trần Thị Bình")
    listed = json.loads(run(tmp_path, "audit", "list", "--action", "dossier.", "--json").stdout)
    assert [e["action"] for e in listed] == ["dossier.print", "dossier.print", "dossier.receive"]
    assert {e["entity_id"] for e in listed} == {code}
    assert all(len(e["hash"]) == 64 for e in listed)
    target = tmp_path / "nhat-ky.csv"
    out = json.loads(run(tmp_path, "audit", "export", str(target), "--since", "01/01/2020", "--json").stdout)
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:6] == ["id", "thời điểm", "thiết bị", "tên đăng nhập", "họ tên", "thao tác"]
    assert len(rows) - 1 == out["entries"] >= 6
    last = json.loads(run(tmp_path, "audit", "list", "--limit", "1", "--json").stdout)[0]
    assert (last["action"], last["entity_id"]) == ("audit.export", "nhat-ky.csv")
    run(tmp_path, "audit", "verify")
