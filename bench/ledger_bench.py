"""Ledger benchmark: first paint, memory while scrolling and full-text search at 1,000,000 dossiers.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ledger_bench.py [--rows 1000000]

Generates (or reuses) bench/out/ledger-<rows>.sqlite3 and ledger-100000.sqlite3, then measures
in one run, each against a floor measured in the same process:
  (a) floor: a bare QTableView on an empty QStandardItemModel, shown and painted;
  (b) LedgerModel on the big database: model creation → first paint with real rows, added RSS
      after scrolling to the middle and the end, and after dragging the scroll bar end to end;
  (c) search through the full-text path (count + first page, as the model asks) against a
      plain indexed lookup; (d) page queries at deep offsets (is OFFSET on an index enough?).
Issue goals (issue 11): first paint ≤ 50 ms, added memory ≤ 20 MiB at 1,000,000 dossiers.
``--json`` measures (a) and (b) only and prints them as figures for ``python -m bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_dossiers  # noqa: E402

from desk_app.services import ledger as services_ledger  # noqa: E402
from desk_app.domain.dossier import Status  # noqa: E402
from desk_app.gui.ledger_model import LedgerModel  # noqa: E402
from desk_app.gui.tasks import TaskRunner  # noqa: E402
from desk_app.services.desk import Desk  # noqa: E402
from desk_app.store import ledger  # noqa: E402
from desk_app.store.store import Store  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
QUERIES = ["nguyen van an", "tran thi", "dang thi hoa", "hoang", "0912", "087090", "le van dung khai sinh"]
GOAL_FIRST_PAINT_MS = 50
GOAL_ADDED_MIB = 20


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def database(rows: int) -> Path:
    return gen_dossiers.cached(rows)


class ProbeView(QTableView):
    """Notes when a paint has finished, and whether the model's rows were there to paint."""

    def __init__(self, ready: Callable[[], bool] = lambda: True) -> None:
        super().__init__()
        self.ready = ready
        self.painted_at: float | None = None
        # As the ledger panel sets its table up (gui/ledger_panel.py): no row numbers at the left.
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self.painted_at is None and self.ready():
            self.painted_at = time.perf_counter()


def spin(app: QApplication, until: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not until():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError("the view did not settle")


def floor_first_paint(app: QApplication) -> float:
    """Milliseconds to show and paint a bare QTableView over an empty model."""
    started = time.perf_counter()
    view = ProbeView()
    view.setModel(QStandardItemModel(0, 8))
    view.resize(1200, 700)
    view.show()
    spin(app, lambda: view.painted_at is not None)
    elapsed = view.painted_at - started  # type: ignore[operator]
    view.close()
    return elapsed * 1000


def drag(app: QApplication, view: QTableView, settled: Callable[[], bool] = lambda: True) -> float:
    """Drag the scroll bar top to bottom in 101 steps, painting each; ms until settled."""
    bar = view.verticalScrollBar()
    started = time.perf_counter()
    for step in range(101):
        bar.setValue(bar.maximum() * step // 100)
        app.processEvents()
    spin(app, settled)
    return (time.perf_counter() - started) * 1000


def floor_drag(app: QApplication) -> float:
    """The same drag over 10,000 rows already in memory: what painting alone costs."""
    model = QStandardItemModel(10_000, 8)
    for row in range(10_000):
        for column in range(8):
            model.setItem(row, column, QStandardItem(f"Ô {row}/{column} Nguyễn Thị Hoà"))
    view = QTableView()
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    spin(app, lambda: view.isVisible())
    app.processEvents()
    elapsed = drag(app, view)
    view.close()
    return elapsed


def ledger_view(app: QApplication, path: Path) -> dict[str, float]:
    store = Store.open(path)
    desk = Desk(store)
    runner = TaskRunner()
    try:
        base = rss_mib()
        holder: dict[str, LedgerModel] = {}

        def first_rows_ready() -> bool:
            model = holder.get("model")
            return model is not None and model.rowCount() > 0 and model.row_at(0) is not None

        started = time.perf_counter()
        model = holder["model"] = LedgerModel(desk, runner)
        view = ProbeView(first_rows_ready)
        view.setModel(model)
        view.resize(1200, 700)
        view.show()
        spin(app, lambda: view.painted_at is not None)
        painted = view.painted_at or started
        figures = {"first_paint_ms": (painted - started) * 1000, "rows": model.rowCount(), "base_mib": base}
        figures["rss_first_mib"] = rss_mib() - base
        bar = view.verticalScrollBar()
        for label, value in (("middle", bar.maximum() // 2), ("end", bar.maximum())):
            view.painted_at = None
            started = time.perf_counter()
            bar.setValue(value)
            target = view.rowAt(0)
            view.ready = lambda target=target: model.row_at(target) is not None
            spin(app, lambda: view.painted_at is not None and not model.loading)
            figures[f"jump_{label}_ms"] = (view.painted_at - started) * 1000  # type: ignore[operator]
            figures[f"rss_{label}_mib"] = rss_mib() - base
        bar.setValue(0)
        spin(app, lambda: not model.loading)
        figures["drag_settled_ms"] = drag(app, view, lambda: not model.loading)
        figures["rss_drag_mib"] = rss_mib() - base
        figures["cached_pages"] = len(model.cached_pages)
        view.close()
        return figures
    finally:
        runner.stop()
        store.close()


def timed(action: Callable[[], object], repeat: int = 5, before: Callable[[], None] = lambda: None) -> float:
    samples = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def search(path: Path) -> tuple[float, dict[str, tuple[int, float, float]]]:
    store = Store.open(path)
    try:
        now = services_ledger.window(Desk(store))
        codes = [row[0] for row in store.db.execute("SELECT code FROM dossiers WHERE id % 99991 = 7 LIMIT 20")]
        lookup = "SELECT id, applicant_name FROM dossiers WHERE code = ?"
        floor = timed(lambda: [store.db.execute(lookup, [c]).fetchone() for c in codes]) / len(codes)
        results = {}
        for text in [*QUERIES, codes[0]]:
            f = ledger.LedgerFilter(text=text)

            def one_search(f: ledger.LedgerFilter = f) -> None:
                ledger.count(store, f, now)
                ledger.page(store, f, ledger.LedgerSort(), now, 0, 200)

            match = ledger._match(store, text)
            fts_alone = timed(lambda m=match: store.db.execute(
                "SELECT count(*) FROM dossier_search WHERE dossier_search MATCH ?", [m]).fetchone()) if match else 0.0
            hits = ledger.count(store, f, now)
            results[text] = (hits, timed(one_search, before=ledger._match_counts.clear), fts_alone)
        return floor, results
    finally:
        store.close()


def deep_pages(path: Path) -> dict[str, float]:
    store = Store.open(path)
    try:
        now = services_ledger.window(Desk(store))
        cases = [
            ("all, by received", ledger.LedgerFilter(), ledger.LedgerSort()),
            ("all, by name", ledger.LedgerFilter(), ledger.LedgerSort(ledger.SortColumn.APPLICANT, True)),
            ("in process, by received", ledger.LedgerFilter(statuses=(Status.IN_PROCESS,)), ledger.LedgerSort()),
            ("one procedure, by received", ledger.LedgerFilter(procedure_code="2.000815"), ledger.LedgerSort()),
            ("overdue, by received", ledger.LedgerFilter(due="overdue"), ledger.LedgerSort()),
            ("text 'nguyen', by received", ledger.LedgerFilter(text="nguyen"), ledger.LedgerSort()),
        ]
        figures = {}
        for label, f, sort in cases:
            total = ledger.count(store, f, now)
            for offset in (0, total // 2, max(0, total - 200)):
                figures[f"{label} @{offset:,} of {total:,}"] = timed(
                    lambda f=f, sort=sort, o=offset: ledger.page(store, f, sort, now, o, 200), repeat=3)
        return figures
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", help="first paint and memory only, as figures")
    args = parser.parse_args(argv)
    big = database(args.rows)
    warm = database(10_000)  # made (if need be) before any memory is measured
    app = QApplication.instance() or QApplication(sys.argv[:1])
    before = rss_mib()
    floor_first_paint(app)  # warm-up: styles and fonts load once per process
    floor_mib = rss_mib() - before
    floor = min(floor_first_paint(app) for _ in range(3))
    dragged_floor = floor_drag(app)
    # The floor is measured warm (Qt's styles, fonts and code paths loaded): so is the ledger's
    # code, on another, small database; the big one is then opened afresh.
    # Memory is counted from before that warm-up: what the ledger's code and both views added.
    before_ledger = rss_mib()
    ledger_view(app, warm)
    figures = ledger_view(app, big)
    worst = max(figures[k] for k in ("rss_first_mib", "rss_middle_mib", "rss_end_mib", "rss_drag_mib"))
    worst += figures["base_mib"] - before_ledger
    if args.json:
        # First paint: the median of three fresh opens of the big database (the machine is shared).
        paints = [figures["first_paint_ms"], *(ledger_view(app, big)["first_paint_ms"] for _ in range(2))]
        print(json.dumps({"rows": figures["rows"], "first_paint_ms": statistics.median(paints), "floor_ms": floor,
                          "paints_ms": paints, "added_mib": worst, "floor_mib": floor_mib,
                          "goal_first_paint_ms": GOAL_FIRST_PAINT_MS, "goal_added_mib": GOAL_ADDED_MIB}))
        return 0
    small = database(100_000)

    print(f"\n(a) floor: bare QTableView, empty model, first paint     {floor:8.1f} ms")
    print(f"(b) LedgerModel on {figures['rows']:,} dossiers")
    first = figures["first_paint_ms"]
    verdict = "ok" if first <= GOAL_FIRST_PAINT_MS else "OVER GOAL"
    print(f"    model creation -> first paint with rows            {first:8.1f} ms  "
          f"({first / floor:.1f}x floor; goal <= {GOAL_FIRST_PAINT_MS} ms: {verdict})")
    print(f"    jump to the middle / the end, rows painted         {figures['jump_middle_ms']:8.1f} / "
          f"{figures['jump_end_ms']:.1f} ms")
    print(f"    drag top -> bottom (101 steps) until settled       {figures['drag_settled_ms']:8.1f} ms  "
          f"({figures['drag_settled_ms'] / dragged_floor:.1f}x the same drag over 10,000 rows in memory: "
          f"{dragged_floor:.1f} ms); {figures['cached_pages']:.0f} pages cached")
    verdict = "ok" if worst <= GOAL_ADDED_MIB else "OVER GOAL"
    print(f"    added RSS: first paint {figures['rss_first_mib']:.1f}, middle {figures['rss_middle_mib']:.1f}, "
          f"end {figures['rss_end_mib']:.1f}, after drag {figures['rss_drag_mib']:.1f} MiB "
          f"(goal <= {GOAL_ADDED_MIB} MiB: {verdict})")
    for label, path in (("100,000", small), (f"{args.rows:,}", big)):
        lookup, results = search(path)
        print(f"(c) search over {label} dossiers (count + first page of 200, median of 5)")
        print(f"    floor: indexed lookup by code                      {lookup:8.3f} ms")
        for text, (hits, ms, fts) in results.items():
            print(f"    {text!r:40s} {hits:>8,} hits {ms:8.1f} ms  ({ms / lookup:>7,.0f}x floor; "
                  f"FTS count alone {fts:.1f} ms)")
    print(f"(d) one page of 200 at a deep OFFSET, {args.rows:,} dossiers (median of 3)")
    for label, ms in deep_pages(big).items():
        print(f"    {label:56s} {ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
