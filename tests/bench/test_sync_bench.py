"""The sync benchmark's own parts: the desk database it pushes, its rounds against a served hub
(push, re-send applying nothing, pull), and its figures."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from desk_app.domain import events

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import sync_bench  # noqa: E402
import sync_desk  # noqa: E402
import sync_rounds  # noqa: E402


def test_the_desk_database_holds_real_receptions_recorded_through_the_recorder(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    sync_desk.build(path, 40, seed=3)
    records = sync_desk.outbox_records(path)
    parsed = [events.Event.from_dict(r) for r in records]
    received = [e for e in parsed if e.kind == events.Kind.DOSSIER_RECEIVED.value]
    assert len(received) == 40 and sync_desk.pending(path) == len(records)
    # One desk, one epoch, gap-free numbers from 1, every hash right: the recorder's envelopes.
    assert len({(e.desk_uuid, e.epoch) for e in parsed}) == 1
    assert [e.seq for e in parsed] == list(range(1, len(parsed) + 1))
    assert all(e.hash_ok() and e.unit_code == "000.21.33.H49" for e in parsed)
    assert 900 <= sum(len(events.canonical_json(e.to_dict())) for e in received) / len(received) <= 1600
    with sqlite3.connect(path) as db:
        rows = dict(db.execute("SELECT uuid, code FROM dossiers").fetchall())
        audited = db.execute("SELECT count(*) FROM audit WHERE action = 'dossier.receive'").fetchone()[0]
    assert {e.entity_id: e.payload["code"] for e in received} == rows and audited == 40


def test_rounds_push_resend_and_pull_against_a_served_hub(tmp_path: Path) -> None:
    desk = tmp_path / "desk.sqlite3"
    sync_desk.build(desk, 30)
    before = sync_desk.pending(desk)
    rounds = sync_rounds.measure_hub("hub_sqlite", f"sqlite:///{tmp_path / 'hub.sqlite3'}", desk, tmp_path,
                                     batch_size=8, decisions=12)
    assert [(r.name, r.count) for r in rounds] == [
        ("hub_sqlite_push", before + 1),  # and the enrolment's own settings event
        ("hub_sqlite_resend", before + 1),  # answered "duplicate", hub counts unchanged (asserted inside)
        ("hub_sqlite_pull", 12), ("hub_sqlite_push_back", 12)]
    assert all(r.seconds > 0 and r.cpu_seconds > 0 for r in rounds)
    assert sync_desk.pending(desk) == 0
    with sqlite3.connect(desk) as db:
        assert db.execute("SELECT count(*) FROM dossiers WHERE status = 'result_ready'").fetchone()[0] == 12


def test_figures_compare_each_round_with_each_reference() -> None:
    rounds = [sync_rounds.Round("hub_sqlite_push", 10_000, 2.0, 4.0)]
    refs = {"sqlite_floor": 20_000.0, "pouchdb": 1_000.0, "kinto": 100.0}
    figures = sync_bench.compare(rounds, refs, floor_cpu=50_000.0)
    assert all(set(f) == {"name", "value", "unit", "floor", "ratio", "goal"} for f in figures)
    by = {(f["name"], f["floor"]): f for f in figures}
    assert by[("sqlite_executemany_floor", None)]["value"] == 20_000.0
    assert by[("hub_sqlite_push", "sqlite_executemany_floor")] == {
        "name": "hub_sqlite_push", "value": 5_000.0, "unit": "events/s", "floor": "sqlite_executemany_floor",
        "ratio": 0.25, "goal": 0.5}
    assert by[("hub_sqlite_push", "pouchdb_replicate_to_pouchdb_server")]["ratio"] == 5.0
    assert by[("hub_sqlite_push", "kinto_batch_postgresql")]["goal"] == 50.0
    assert by[("hub_sqlite_push_per_cpu_second", sync_bench.FLOOR_CPU)]["ratio"] == 0.05
    text = sync_bench.table(rounds, refs, 50_000.0)
    assert "0.25 NOT MET" in text and "5.00 ok" in text and "50.00 ok" in text
