"""Search as you type at 1,000,000 dossiers: the desk's search against the first index design.

    .venv/bin/python bench/search_bench.py [--count 1000000] [--json]

The desk's search is store.dossiers.search as the command line and the window run it (the index of
migration 0014, then the 50 newest dossiers loaded). The floor is the first index design queried
raw, measured in the same run on the same dossiers: one FTS5 table over the five folded columns
(code, name, ID, phone, procedure), every word as "word"*, newest first, LIMIT 50, ids only. It is
built once beside the generated data (table ``bench_first_design``). Each query runs 7 times
(median); the figure is the 95th percentile over the queries, goal ≤ 0.35× the floor's, and every
query must return the same dossiers, in the same order, from both.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import gen_dossiers  # noqa: E402
from bench.figures import Figure, Goal, measured, p95, table  # noqa: E402
from desk_app.domain.text import fold, fold_name, search_tokens  # noqa: E402
from desk_app.store.store import Store  # noqa: E402

# Names, phones, ID prefixes, parts of codes, procedure words, and mixtures, as typed at a counter
# (the generated commune's IDs start with its province, 087; phones with Viettel/Vina prefixes).
QUERIES = [
    "nguyen van an", "tran thi", "dang thi hoa", "hoang", "le van dung", "pham thi thu huong", "ng",
    "0842", "0912 3", "087080", "0871903",
    "251103 0042", "demo 2611",
    "chung thuc ban sao", "khai sinh", "ket hon", "nguyen khai sinh", "h'hen nie",
]
FIRST_DESIGN = "bench_first_design"


def first_design(path: Path) -> None:
    """The first index design beside the data, built once per generated file."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [FIRST_DESIGN]).fetchone():
            return
        conn.execute("BEGIN")
        conn.execute(f"""CREATE VIRTUAL TABLE {FIRST_DESIGN} USING fts5(
            code, applicant_name, id_number, phone, procedure, tokenize = "unicode61 remove_diacritics 2")""")
        names: dict[str, str] = {}
        rows = []
        for dossier_id, code, official, name, id_number, phone, procedure_code, procedure_name in conn.execute(
            "SELECT id, code, official_code, applicant_name, id_number, phone, procedure_code, procedure_name "
            "FROM dossiers ORDER BY id"
        ):
            folded = names.get(name) or names.setdefault(name, fold_name(name))
            rows.append((dossier_id, fold(" ".join(filter(None, [code, official]))), folded, id_number or "",
                         phone or "", fold(f"{procedure_code} {procedure_name}")))
        conn.executemany(f"INSERT INTO {FIRST_DESIGN}(rowid, code, applicant_name, id_number, phone, procedure) "
                         "VALUES (?, ?, ?, ?, ?, ?)", rows)
        conn.execute(f"INSERT INTO {FIRST_DESIGN}({FIRST_DESIGN}) VALUES ('optimize')")
        conn.execute("COMMIT")
    finally:
        conn.close()


def _median_ms(action, repeat: int = 7) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure(count: int) -> tuple[Figure, list[dict[str, object]]]:
    path = gen_dossiers.cached(count)
    first_design(path)
    store = Store.open(path, read_only=True)
    try:
        def old(text: str) -> list[int]:
            match = " ".join(f'"{t}"*' for t in search_tokens(text))
            return [r[0] for r in store.db.execute(
                f"SELECT rowid FROM {FIRST_DESIGN} WHERE {FIRST_DESIGN} MATCH ? ORDER BY rowid DESC LIMIT 50",
                [match])]

        def new(text: str) -> list[int]:
            ids = {}
            for d in store.dossiers.search(text, limit=50):
                ids[d.code] = store.dossiers.id_of(d.code)
            return list(ids.values())

        details = []
        for text in QUERIES:
            old(text), new(text)  # warm the page cache for both
            details.append({"query": text, "hits": len(old(text)), "same": old(text) == new(text),
                            "desk_ms": round(_median_ms(lambda t=text: store.dossiers.search(t, limit=50)), 3),
                            "first_design_ms": round(_median_ms(lambda t=text: old(t)), 3)})
    finally:
        store.close()
    value = p95([float(d["desk_ms"]) for d in details])  # type: ignore[arg-type]
    floor = p95([float(d["first_design_ms"]) for d in details])  # type: ignore[arg-type]
    same = sum(bool(d["same"]) for d in details)
    figure = measured(f"search as you type, p95 of {len(QUERIES)} queries at {count:,} dossiers", value, "ms",
                      floor, Goal(0.35), f"floor: the first index design queried raw (ids only); the desk: "
                      f"store.dossiers.search, 50 dossiers loaded; same hits for {same} of {len(QUERIES)} queries")
    if same != len(QUERIES):
        figure = Figure(figure.name, figure.value, figure.unit, figure.floor, figure.ratio, figure.goal, False,
                        figure.note + " — DIFFERENT HITS")
    return figure, details


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figure, details = measure(args.count)
    if args.json:
        print(json.dumps({"figure": figure.row(), "queries": details}, ensure_ascii=False, indent=1))
        return 0
    for d in details:
        print(f"{d['query']!r:26} {d['hits']:3} hits  desk {d['desk_ms']:8.2f} ms  first design "
              f"{d['first_design_ms']:8.2f} ms  same hits: {d['same']}")
    print(table([figure]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
