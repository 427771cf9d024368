"""The whole story with real processes: a hub (`desk-app hub serve`, SQLite) and desks, each a
DESK_APP_HOME driven by its command line: registering offline, syncing when the hub appears, a
hub decision flowing back to the counter, and a USB round trip for a desk with no link."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

from desk_app.hub.service import Hub
from desk_app.sync.protocol import SigningKey
from tests.sync.processes import INIT, HubProcess, assert_hub_holds_the_union, cli, desk_events

UNIT = "000.21.33.H49"


def setup_desk(home: Path, desk_no: int) -> Path:
    cli(home, *INIT, UNIT, "--desk", str(desk_no))
    return home / "desk.sqlite3"


def receive(home: Path, name: str) -> str:
    out = cli(home, "receive", "--procedure", "1.004837", "--name", name, "--json")
    return str(json.loads(out.stdout)["code"])


def as_json(proc) -> dict:
    return json.loads(proc.stdout)


def state(db: Path) -> dict[str, list[tuple]]:
    """What a sync may change on a desk, to compare before and after."""
    tables = {"outbox": "SELECT event_uuid, acked_at FROM outbox ORDER BY id",
              "answers": "SELECT event_uuid, answer, code, reason, answered_at FROM outbox_answers ORDER BY event_uuid",
              "cursors": "SELECT name, epoch, seq, updated_at FROM sync_cursors ORDER BY name",
              "dossiers": "SELECT code, status, last_change_at FROM dossiers ORDER BY code",
              "updates": "SELECT kind, entity_id, outcome FROM sync_updates ORDER BY id",
              "procedures": "SELECT code, catalogue_version FROM procedures ORDER BY code"}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in tables.items()}


def test_two_desks_register_offline_sync_when_the_hub_appears_and_get_its_decision(tmp_path):
    homes = {1: tmp_path / "desk-1", 2: tmp_path / "desk-2"}
    dbs = {n: setup_desk(home, n) for n, home in homes.items()}
    # Offline: no hub anywhere yet, and the counters work.
    codes = {1: [receive(homes[1], "Đặng Thị Hoà"), receive(homes[1], "Nguyễn Văn An")],
             2: [receive(homes[2], "Lê Thị Cúc"), receive(homes[2], "H'Hen Niê")]}
    assert codes[2][0].endswith("-1001")
    offline = as_json(cli(homes[1], "sync", "status", "--json"))
    assert offline["pending"] > 0 and offline["last_success"] is None and offline["rejected"] == []

    hub = HubProcess(tmp_path).start()
    try:
        for n, home in homes.items():
            enrolled = cli(home, "sync", "enroll", "--hub", hub.base, "--code", hub.code(UNIT, n))
            assert enrolled.stdout.startswith(f"Đã ghi danh quầy {n} của {UNIT}")
        for home in homes.values():
            report = as_json(cli(home, "sync", "now", "--json"))
            assert report["pending"] == 0 and report["rejected"] == 0 and report["sent"] == report["applied"]
        stats = as_json(hub.admin("stats", "--json"))
        assert stats["dossiers"] == 4 and stats["held"] == stats["rejected"] == 0
        assert sorted((d["desk_no"], d["events"]) for d in stats["desks"]) == [
            (n, len(desk_events(dbs[n]))) for n in (1, 2)]
        assert stats["events"] == assert_hub_holds_the_union(hub.db_file, dbs.values())
        again = as_json(cli(homes[1], "sync", "now", "--json"))
        assert (again["sent"], again["pulled"]) == (0, 0)
        status = as_json(cli(homes[1], "sync", "status", "--json"))
        assert status["pending"] == 0 and status["last_success"] == again["finished_at"]

        # Upstream decides; the next sync brings it to the counter (and the other desk ignores it).
        decided = hub.admin("decide", codes[1][0], "--status", "result_ready", "--note", "Đã ký quyết định")
        assert "Đã ghi quyết định «Có kết quả»" in decided.stdout
        assert as_json(cli(homes[1], "show", codes[1][0], "--json"))["status"] == "received"
        pulled = as_json(cli(homes[1], "sync", "now", "--json"))
        assert (pulled["pulled"], pulled["updates_applied"], pulled["problems"]) == (1, 1, [])
        shown = as_json(cli(homes[1], "show", codes[1][0], "--json"))
        assert shown["status"] == "result_ready"
        other = as_json(cli(homes[2], "sync", "now", "--json"))
        assert (other["pulled"], other["updates_applied"], other["problems"]) == (1, 0, [])

        # The hub goes away: the desk says so in Vietnamese, keeps its work, catches up later.
        hub.stop()
        late = receive(homes[1], "Phạm Văn Dũng")
        failed = cli(homes[1], "sync", "now", check=False)
        assert failed.returncode == 3 and "Traceback" not in failed.stderr
        assert failed.stderr.startswith("Lỗi: Chưa đồng bộ được: không kết nối được máy chủ")
        waiting = as_json(cli(homes[1], "sync", "status", "--json"))
        assert waiting["pending"] == 1 and waiting["last_error"] == failed.stderr[len("Lỗi: "):].strip()
        assert waiting["last_success"] == pulled["finished_at"]
        human = cli(homes[1], "sync", "status").stdout
        assert human.startswith("1 thay đổi chờ gửi (1 hồ sơ) · lần đồng bộ cuối")
        hub.start()
        assert as_json(cli(homes[1], "sync", "now", "--json"))["pending"] == 0
        assert as_json(hub.admin("stats", "--json"))["dossiers"] == 5
        assert_hub_holds_the_union(hub.db_file, dbs.values())
        assert late.endswith("-0003")
    finally:
        hub.stop()


def _other_desk_file(hub_url: str, path: Path, desk_uuid: str | None = None) -> None:
    """A hub file for another desk (``desk_uuid`` None), or for this one from another hub."""
    hub = Hub.open(hub_url)
    try:
        issued = hub.issue_code(UNIT, 4)
        enrolled = hub.enroll(code=issued.code, desk_uuid=desk_uuid or str(uuid.uuid4()),
                              public_key=SigningKey.generate().public_text, facts={"unit_code": UNIT})
        path.write_bytes(hub.export(enrolled.desk_uuid).to_file())
    finally:
        hub.close()


def test_a_desk_without_a_link_syncs_by_usb_and_a_second_import_changes_nothing(tmp_path):
    home = tmp_path / "desk-3"
    db = setup_desk(home, 3)
    hub = HubProcess(tmp_path).start()
    cli(home, "sync", "enroll", "--hub", hub.base, "--code", hub.code(UNIT, 3))  # once, at the district
    hub.stop()  # from now on no link: files only, and the hub's administrator works on its database
    codes = [receive(home, "Võ Thị Giang"), receive(home, "Bùi Văn Khánh")]
    stick = tmp_path / "usb"

    exported = as_json(cli(home, "sync", "export", str(stick / "quay-3.sync"), "--json"))
    assert exported["files"] == [str(stick / "quay-3.sync")] and exported["events"] == len(desk_events(db))
    assert as_json(hub.admin("import", str(stick / "quay-3.sync"), "--json"))["answers"] == {
        "applied": exported["events"]}
    assert as_json(hub.admin("import", str(stick / "quay-3.sync"), "--json"))["answers"] == {
        "duplicate": exported["events"]}
    hub.admin("decide", codes[0], "--status", "refused", "--note", "Không đủ điều kiện")
    hub.admin("export", "--desk", f"{UNIT}#3", str(stick / "ve-quay-3.sync"))

    first = as_json(cli(home, "sync", "import", str(stick / "ve-quay-3.sync"), "--json"))
    assert (first["acknowledged"], first["updates"], first["updates_applied"], first["changed"]) == (
        exported["events"], 1, 1, True)
    assert as_json(cli(home, "show", codes[0], "--json"))["status"] == "refused"
    after_first = state(db)
    second = as_json(cli(home, "sync", "import", str(stick / "ve-quay-3.sync"), "--json"))
    assert (second["acknowledged"], second["updates_applied"], second["changed"]) == (0, 0, False)
    assert state(db) == after_first
    assert "Không có gì mới" in cli(home, "sync", "import", str(stick / "ve-quay-3.sync")).stdout

    # Tampered, for another desk, from another hub: refused whole, nothing changed.
    data = bytearray((stick / "ve-quay-3.sync").read_bytes())
    data[-20] ^= 0x01
    (stick / "tampered.sync").write_bytes(bytes(data))
    _other_desk_file(hub.url, stick / "other-desk.sync")
    desk_uuid = sqlite3.connect(db).execute("SELECT desk_uuid FROM desk_identity").fetchone()[0]
    _other_desk_file(f"sqlite:///{tmp_path / 'other-hub.sqlite3'}", stick / "other-hub.sync", desk_uuid)
    (stick / "not-sync.sync").write_text("xin chào")
    for name, reason in (("tampered.sync", "nội dung gói không khớp với mã băm đã ký"),
                         ("other-desk.sync", "gói dữ liệu này dành cho quầy khác"),
                         ("other-hub.sync", "chữ ký số không hợp lệ"),
                         ("not-sync.sync", "không phải tệp đồng bộ")):
        refused = cli(home, "sync", "import", str(stick / name), check=False)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
        assert refused.stderr.startswith(f"Lỗi: Tệp {name} bị từ chối, không nhập gì: ") and reason in refused.stderr
        assert state(db) == after_first

    # The refusal applied at the desk is a change too: it goes up on the next trip.
    pending = as_json(cli(home, "sync", "status", "--json"))["pending"]
    assert pending == 1
    cli(home, "sync", "export", str(stick / "quay-3-lan-2.sync"))
    hub.admin("import", str(stick / "quay-3-lan-2.sync"))
    hub.admin("export", "--desk", f"{UNIT}#3", str(stick / "ve-quay-3-lan-2.sync"))
    assert as_json(cli(home, "sync", "import", str(stick / "ve-quay-3-lan-2.sync"), "--json"))["acknowledged"] == 1
    status = as_json(cli(home, "sync", "status", "--json"))
    assert status["pending"] == 0 and status["last_success"] is not None
    assert_hub_holds_the_union(hub.db_file, [db])
    nothing = cli(home, "sync", "export", str(stick / "empty.sync"))
    assert "Không có thay đổi nào chờ gửi" in nothing.stdout and not (stick / "empty.sync").exists()
