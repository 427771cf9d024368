"""The sync benchmark's events are realistic, valid under the shared contract, and repeatable from a seed."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

from desk_app.domain import events
from desk_app.domain.codes import parse_code

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import sync_data  # noqa: E402


def test_same_seed_same_bytes_other_seed_other_events(tmp_path: Path) -> None:
    first = sync_data.write_jsonl(tmp_path / "a.jsonl", 120, seed=5).read_bytes()
    assert sync_data.write_jsonl(tmp_path / "b.jsonl", 120, seed=5).read_bytes() == first
    assert sync_data.write_jsonl(tmp_path / "c.jsonl", 120, seed=6).read_bytes() != first


def test_events_follow_the_contract_and_weigh_about_a_kilobyte(tmp_path: Path) -> None:
    lines = sync_data.write_jsonl(tmp_path / "e.jsonl", 300, seed=1, desks=2).read_bytes().splitlines()
    parsed = [events.Event.from_dict(json.loads(line)) for line in lines]
    assert len(parsed) == 300 and len({e.event_uuid for e in parsed}) == 300
    assert all(e.hash_ok() and e.schema == events.SCHEMA_VERSION for e in parsed)
    assert all(events.canonical_json(e.to_dict()) == line for e, line in zip(parsed, lines))
    assert 900 <= sum(map(len, lines)) / len(lines) <= 1600
    assert all(unicodedata.is_normalized("NFC", line.decode()) for line in lines)
    by_desk: dict[str, list[events.Event]] = {}
    for event in parsed:
        by_desk.setdefault(event.desk_uuid, []).append(event)
    assert len(by_desk) == 2
    for desk_events in by_desk.values():
        # Each desk numbers its outbox from 1 without gaps, within one epoch.
        assert [e.seq for e in desk_events] == list(range(1, len(desk_events) + 1))
        assert len({e.epoch for e in desk_events}) == 1
        # Dossier codes fall in the desk's own daily block (desk 2 issues 1001, 1002, ...).
        desk_numbers = {e.payload["ledger"]["desk"] for e in desk_events}
        assert len(desk_numbers) == 1
        assert {parse_code(e.payload["code"]).desk_no for e in desk_events} == desk_numbers
    codes = [e.payload["code"] for e in parsed]
    assert len(set(codes)) == 300
    names = {e.payload["applicant"]["name"] for e in parsed}
    assert any("Nguyễn" in n for n in names) and len(names) > 100
