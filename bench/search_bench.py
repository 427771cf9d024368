"""Search as the command line and the reception search run it (Store.search), at 100,000 dossiers.

Usage: .venv/bin/python bench/search_bench.py [--count 100000]
Generates bench/out/search-<count>.sqlite3 once (bench/gen_dossiers.py), then prints the median
time of each query against a floor measured in the same run: an indexed lookup by code.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_dossiers import generate  # noqa: E402

from desk_app.store.store import Store  # noqa: E402

QUERIES = ["nguyen van an", "Đặng Thị Hoà", "tran thi", "hoang", "0912", "001090", "chung thuc ban sao", "khai sinh"]


def median_ms(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    count = parser.parse_args().count
    path = Path(__file__).resolve().parent / "out" / f"search-{count}.sqlite3"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        generate(path, count)
        print(f"generated {count:,} dossiers in {time.perf_counter() - start:.1f} s")
    store = Store.open(path)
    assert store.count_dossiers() == count
    some_code = store.db.execute("SELECT code FROM dossiers ORDER BY id DESC LIMIT 1").fetchone()[0]
    floor = median_ms(lambda: store.db.execute("SELECT id FROM dossiers WHERE code = ?", [some_code]).fetchone())
    print(f"floor: indexed lookup by code: {floor:.3f} ms")
    for query in [*QUERIES, some_code]:
        hits = len(store.search(query, limit=50))
        ms = median_ms(lambda q=query: store.search(q, limit=50))
        print(f"search {query!r:32} {hits:3d} shown  {ms:7.2f} ms  = {ms / floor:8.0f}x floor")
    store.close()


if __name__ == "__main__":
    main()
