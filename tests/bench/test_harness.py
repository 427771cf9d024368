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
