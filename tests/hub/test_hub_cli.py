"""The hub's commands in process (fast), on both backends; the served process is in the e2e test."""

from __future__ import annotations

import json
from pathlib import Path

from desk_app.cli.main import main
from desk_app.domain import events as ev
from desk_app.sync import protocol as p
from tests.hub.conftest import UNIT, SimDesk

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_enroll_prints_a_one_time_code_as_its_last_word(hub_url, capsys):
    code, out, _ = run(capsys, "hub", "enroll", "--db", hub_url, "--unit-code", UNIT, "--desk", "2")
    assert code == 0 and "quầy 2" in out
    word = out.split()[-1]
    assert len(word) == 11 and word[5] == "-"


def test_publish_catalogue_and_calendar_flow_down_once(hub_url, capsys):
    from desk_app.hub.service import Hub

    catalogue = next((RESOURCES / "catalogue").glob("*.json"))
    first = run(capsys, "hub", "publish-catalogue", "--db", hub_url, str(catalogue), "--version", "2026.11")
    again = run(capsys, "hub", "publish-catalogue", "--db", hub_url, str(catalogue), "--version", "2026.11")
    calendar = run(capsys, "hub", "publish-calendar", "--db", hub_url, str(RESOURCES / "calendar" / "holidays.csv"))
    assert [first[0], again[0], calendar[0]] == [0, 0, 0]
    assert "Đã phát hành danh mục 2026.11" in first[1] and "trước đó" in again[1]

    hub = Hub.open(hub_url)
    try:
        desk = SimDesk()
        desk.enroll_on(hub)
        package = p.HubPackage.open(hub.pull(p.PullRequest(desk.desk_uuid, 0, None, 10, "t").signed(desk.key)),
                                    hub_public_key=hub.public_key, desk_uuid=desk.desk_uuid)
    finally:
        hub.close()
    kinds = [u.kind for u in package.updates]
    assert kinds == [ev.Kind.CATALOGUE_UPDATED.value, ev.Kind.CALENDAR_UPDATED.value]
    cat, cal = package.updates
    assert cat.unit_code is None and cat.payload["version"] == "2026.11" and cat.payload["procedures"]
    assert {"date", "name", "kind"} <= set(cal.payload["days"][0])


def test_bad_input_is_a_vietnamese_message_and_exit_2(hub_url, capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"procedures": [{"code": ""}]}', encoding="utf-8")
    junk = tmp_path / "junk.sync"
    junk.write_bytes(b"not a sync file")
    cases = [
        ("hub", "publish-catalogue", "--db", hub_url, str(bad)),
        ("hub", "decide", "--db", hub_url, "000.21.33.H49-261127-0001", "--status", "refused"),
        ("hub", "export", "--db", hub_url, "--desk", f"{UNIT}#9", str(tmp_path / "x.sync")),
        ("hub", "import", "--db", hub_url, str(junk)),
        ("hub", "revoke", "--db", hub_url, "no-such-desk"),
        ("hub", "stats", "--db", "mysql://nowhere"),
    ]
    for args in cases:
        code, out, err = run(capsys, *args)
        assert code == 2, args
        assert err.startswith("Lỗi: ") and "Traceback" not in err, args
    assert not (tmp_path / "x.sync").exists()


def test_revoke_and_stats(hub_url, capsys):
    from desk_app.hub.service import Hub

    hub = Hub.open(hub_url)
    desk = SimDesk()
    desk.enroll_on(hub)
    hub.close()
    code, out, _ = run(capsys, "hub", "revoke", "--db", hub_url, f"{UNIT}#1")
    assert code == 0 and "Đã thu hồi" in out
    code, out, _ = run(capsys, "hub", "stats", "--db", hub_url, "--json")
    stats = json.loads(out)
    assert code == 0 and {"dossiers", "events", "desks"} <= set(stats)
    assert stats["desks"][0]["revoked_at"] and stats["desks"][0]["desk_uuid"] == desk.desk_uuid
