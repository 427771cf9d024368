"""Receive-and-render time of one dossier, against a raw SQLite insert measured in the same run.

Usage: .venv/bin/python bench/receive_bench.py [--runs 30]
Prints medians in milliseconds and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from desk_app.domain.dossier import Sex
from desk_app.services.desk import Desk
from desk_app.services.printouts import prepare_printout
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.store import Store

VN = dt.timezone(dt.timedelta(hours=7))


def floor_insert(folder: Path, runs: int) -> list[float]:
    """The floor: one committed INSERT into a WAL, synchronous=FULL database."""
    conn = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, code TEXT)")
    times = []
    for i in range(runs):
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t(name, code) VALUES (?, ?)", ["Nguyễn Văn An", f"X-{i}"])
        conn.execute("COMMIT")
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor = floor_insert(folder, runs)
        moment = [dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN)]
        desk = Desk(Store.open(folder / "desk.sqlite3"), clock=lambda: moment[0])
        desk.initialise(commune="Xã Tân Phú", authority="UBND xã Tân Phú", unit_code="000.21.33.H49", desk_no=1)
        request = ReceptionRequest(
            procedure_code="2.000815", name="Nguyễn Thị Thuỳ Dương", id_number="001190012345",
            birth_date=dt.date(1990, 3, 4), sex=Sex.FEMALE, phone="0912345678",
            address="Thôn Đông, xã Tân Phú", pages=3, copies=2,
        )
        prepare_printout(desk, receive(desk, request).dossier.code)  # warm-up: fonts, imports
        save, render = [], []
        for _ in range(runs):
            moment[0] += dt.timedelta(minutes=1)
            start = time.perf_counter()
            code = receive(desk, request).dossier.code
            middle = time.perf_counter()
            printout = prepare_printout(desk, code)
            end = time.perf_counter()
            assert printout.receipt.startswith(b"%PDF") and printout.fee_receipt
            save.append(middle - start)
            render.append(end - middle)
    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    total = [a + b for a, b in zip(save, render)]
    print(f"floor: raw SQLite insert+commit (WAL, synchronous=FULL): {ms(floor):.2f} ms")
    print(f"receive (validate, code, due, dossier+documents+fee+outbox+audit, commit): {ms(save):.2f} ms "
          f"= {ms(save) / ms(floor):.1f}x floor")
    print(f"render receipt + fee receipt (2 PDFs, 2 copies each): {ms(render):.2f} ms")
    print(f"receive and render: {ms(total):.2f} ms = {ms(total) / ms(floor):.1f}x floor  (median of {runs})")


if __name__ == "__main__":
    main()
