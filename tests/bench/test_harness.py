"""`python -m bench`: figures with floors and goals, optional benchmarks found or said missing,
and the generator's realistic dossiers (issue 11)."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from bench import __main__ as harness
from bench import gen_dossiers
from bench.figures import Goal, measured, not_measured, p95, table, to_json
from desk_app.store.store import Store

KEYS = {"name", "value", "unit", "floor", "ratio", "goal", "met", "note"}


def test_a_figure_carries_its_floor_ratio_and_goal() -> None:
    fast = measured("papers", 30.0, "ms", 25.0, Goal(1.5), "floor: bare reportlab")
    slow = measured("start", 400.0, "ms", 200.0, Goal(1.5), "")
    absolute = measured("reception", 60.0, "ms", 0.2, Goal(100, on="value"), "")
    assert (fast.ratio, fast.met, slow.ratio, slow.met, absolute.met) == (1.2, True, 2.0, False, True)
    assert fast.goal == "≤ 1.5× floor" and absolute.goal == "≤ 100 ms"
    missing = not_measured("report", "ms", Goal(1000, on="value"), "no script")
    assert missing.value is None and missing.met is None and missing.note == "not measured: no script"
    rows = json.loads(to_json([fast, missing]))
    assert [set(r) for r in rows] == [KEYS, KEYS] and rows[1]["value"] is None
    shown = table([fast, slow, missing])
    assert "1.20×" in shown and "NO" in shown and "not measured: no script" in shown


def test_p95_interpolates_between_ranks() -> None:
    assert p95(list(range(1, 21))) == pytest.approx(19.05)
    assert p95([5.0]) == 5.0


def test_a_missing_report_benchmark_is_said_not_measured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(harness, "BENCH", tmp_path)
    (figure,) = harness.report(1_000_000, quick=True)
    assert figure.value is None and "report_bench.py is not on this branch" in figure.note
    (hub,) = harness.hub(quick=True)
    assert hub.value is None and hub.note.startswith("not measured")


def test_another_benchmark_s_json_figures_are_taken_or_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.py"
    good.write_text("import json\nprint(json.dumps([{'name': 'monthly report', 'value': 420.0, 'unit': 'ms', "
                    "'floor': 100.0, 'note': 'floor: one SQL count'}]))\n")
    (figure,) = harness.external(good, [], "monthly report", Goal(1000, on="value"))
    assert (figure.value, figure.floor, figure.ratio) == (420.0, 100.0, 4.2)
    bad = tmp_path / "bad.py"
    bad.write_text("print('42 ms')\n")
    (refused,) = harness.external(bad, ["--json"], "monthly report", Goal(1000, on="value"))
    assert refused.value is None and "did not print a JSON list" in refused.note


def test_the_generator_writes_realistic_dossiers_with_the_store_s_index(tmp_path: Path) -> None:
    path = gen_dossiers.generate(tmp_path / "g.sqlite3", 600, seed=3)
    with sqlite3.connect(path) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("dossiers", "dossier_documents", "fees", "audit", "dossier_search")}
        procedures = conn.execute("SELECT count(DISTINCT procedure_code) FROM dossiers").fetchone()[0]
        statuses = conn.execute("SELECT count(DISTINCT status) FROM dossiers").fetchone()[0]
    assert counts["dossiers"] == counts["fees"] == counts["dossier_search"] == 600
    assert counts["dossier_documents"] >= 600 and counts["audit"] >= 600
    assert procedures >= 5 and statuses >= 4
    store = Store.open(path, read_only=True)
    try:
        name = store.db.execute("SELECT applicant_name FROM dossiers WHERE id = 17").fetchone()[0]
        assert name in [d.applicant.name for d in store.dossiers.search(name, limit=50)]
    finally:
        store.close()


def test_the_cache_is_named_after_the_generator_schema_and_index() -> None:
    version = gen_dossiers.version()
    assert len(version) == 10 and version == gen_dossiers.version()


def test_the_harness_answers_help() -> None:
    with pytest.raises(SystemExit) as done:
        harness.main(["--help"])
    assert done.value.code == 0
    assert sys.modules["bench.figures"]


def test_the_generator_writes_the_history_the_triggers_would_have(tmp_path: Path) -> None:
    """status_history as migration 0015's triggers write it when the same changes go through
    `dossiers` one by one (reception, then each status with last_change_at, as set_status does);
    channels vary; returns carry ratings in the lifecycle's steps, which the report reads."""
    import datetime as dt

    from desk_app.services.desk import Desk
    from desk_app.services.reports import period_report

    path = gen_dossiers.generate(tmp_path / "g.sqlite3", 600, seed=5, per_day=20)  # 30 working days
    with sqlite3.connect(path) as conn:
        written = conn.execute("SELECT dossier_id, at, from_status, status, due_at FROM status_history "
                               "ORDER BY dossier_id, id").fetchall()
        dossiers = conn.execute("SELECT id, status, last_change_at FROM dossiers").fetchall()
        columns = [c[1] for c in conn.execute("PRAGMA main.table_info(dossiers)")]
        channels = {c for (c,) in conn.execute("SELECT DISTINCT channel FROM dossiers")}
        returns = conn.execute("SELECT count(*) FROM dossier_steps WHERE action = 'return_result'").fetchone()[0]
        rated = conn.execute("SELECT count(*) FROM dossier_steps WHERE json_extract(detail, "
                             "'$.handover.rating.label') IS NOT NULL").fetchone()[0]
        # Replay: the schema with its triggers, each dossier received at its first status, then each change.
        conn.execute(f"ATTACH '{tmp_path / 'replay.sqlite3'}' AS replay")
        for (sql,) in conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' "
                                   "AND name IN ('dossiers', 'status_history')").fetchall():
            conn.execute(sql.replace("CREATE TABLE ", "CREATE TABLE replay.", 1))
        for (sql,) in conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'trigger' "
                                   "AND name LIKE 'status_history%'").fetchall():
            conn.execute(sql.replace("CREATE TRIGGER ", "CREATE TRIGGER replay.", 1))
        changes: dict[int, list[tuple[str, str]]] = {}
        for dossier_id, at, _, status, _ in written:
            changes.setdefault(dossier_id, []).append((at, status))
        for dossier_id, _, _ in dossiers:
            row = dict(zip(columns, conn.execute("SELECT * FROM main.dossiers WHERE id = ?", [dossier_id]).fetchone()))
            (first_at, first_status), *later = changes[dossier_id]
            row.update(status=first_status, last_change_at=first_at)
            conn.execute(f"INSERT INTO replay.dossiers ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                         list(row.values()))
            for at, status in later:  # as store.lifecycle.set_status changes a status
                conn.execute("UPDATE replay.dossiers SET status = ?, last_change_at = ? WHERE id = ?",
                             [status, at, dossier_id])
        replayed = conn.execute("SELECT dossier_id, at, from_status, status, due_at FROM replay.status_history "
                                "ORDER BY dossier_id, id").fetchall()
    assert written == replayed and max(len(c) for c in changes.values()) == 4  # received … returned
    assert all(changes[i][-1] == (changed, status) for i, status, changed in dossiers)
    assert channels == {"direct", "online", "postal"} and 0 < rated < returns
    store = Store.open(path, read_only=True)
    try:
        desk = Desk(store, actor="bench")
        today = desk.clock().date()
        report = period_report(desk, today.replace(day=1) - dt.timedelta(days=20), today)
        assert report.totals.resolved_total > 0 and report.ratings is not None and report.ratings.total > 0
    finally:
        store.close()


def test_the_monthly_report_row_is_held_to_its_goal(tmp_path: Path) -> None:
    script = tmp_path / "report.py"
    script.write_text("import json\nprint(json.dumps([{'name': 'monthly report (last month)', 'value': 1200.0, "
                      "'unit': 'ms', 'floor': 0.5, 'held_to_goal': True}, {'name': 'five years back', "
                      "'value': 300.0, 'unit': 'ms', 'floor': 0.5}]))\n")
    held, other = harness.external(script, [], "monthly report", Goal(1000, on="value"))
    assert (held.goal, held.met, held.floor) == ("≤ 1000 ms", False, 0.5)
    assert (other.goal, other.met) == ("", None)
def test_only_measures_the_sections_asked_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(harness, "BUNDLE_DIR", tmp_path / "no-bundle")
    assert harness.main(["--only", "bundle", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["bundle size on disk (dist/desk-app)"]
    assert rows[0]["note"].startswith("not measured")
