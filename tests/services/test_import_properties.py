"""Imports never write half a file: whatever a catalogue or holiday file holds, the desk either
takes all of it (with its event and audit entry) or refuses it in Vietnamese and changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from desk_app.domain.catalogue_io import CatalogueError
from desk_app.domain.errors import DomainError
from desk_app.domain.schedule_io import ScheduleError
from desk_app.services.desk import Desk
from desk_app.store.store import Store
from tests.domain.test_input_properties import catalogue_csv, cell, file_refusal, refused_in_vietnamese
from tests.conftest import VN

NAMES = itertools.count()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One desk for every example (hypothesis runs many examples per test function)."""
    folder = tmp_path_factory.mktemp("imports")
    store = Store.open(folder / "desk.sqlite3")
    desk = Desk(store, clock=lambda: dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN), actor="tester")
    desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                    desk_no=1)
    yield desk, folder
    store.close()


def everything(store):
    """Every row of every table, the outbox and audit included."""
    digest = hashlib.sha256()
    for (table,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        for row in sorted(repr(r) for r in store.db.execute(f'SELECT * FROM "{table}"')):
            digest.update(f"{table}{row}".encode())
    return digest.hexdigest()


def attempt(desk, run):
    before = everything(desk.store)
    try:
        run()
    except (CatalogueError, ScheduleError) as exc:
        event("refused: bad lines")
        file_refusal(exc)
    except DomainError as exc:
        event(f"refused: {exc.code}")
        refused_in_vietnamese(exc)
    else:
        event("imported")
        return
    assert everything(desk.store) == before, "a refused file changed the database"


def _shipped_rows():
    from desk_app.domain.catalogue_csv import catalogue_to_csv
    from desk_app.domain.catalogue_io import parse_json
    from desk_app.paths import resources_dir

    shipped = parse_json((resources_dir() / "catalogue" / "catalogue.json").read_text(encoding="utf-8"))
    return list(csv.reader(io.StringIO(catalogue_to_csv(shipped), newline="")))


SHIPPED = _shipped_rows()


@st.composite
def damaged_catalogue(draw):
    """Rows of the real catalogue, maybe with one cell replaced: good files, and files whose one
    bad row sits among good ones (the case where half an import would hurt)."""
    header, rows = SHIPPED[0], SHIPPED[1:]
    groups: dict[str, list[list[str]]] = {}
    for row in rows:  # a procedure's main row and its extra fee rows travel together
        groups.setdefault(row[0], []).append(row)
    codes = draw(st.lists(st.sampled_from(sorted(groups)), min_size=1, max_size=5, unique=True))
    picked = [list(r) for code in codes for r in groups[code]]
    damage = draw(st.none() | st.tuples(st.integers(0, len(picked) - 1), st.integers(0, len(header) - 1), cell))
    if damage is not None:
        row, column, value = damage
        picked[row][column] = value
    out = io.StringIO()
    csv.writer(out, delimiter=draw(st.sampled_from([",", ";"]))).writerows([header, *picked])
    return out.getvalue()


@settings(max_examples=80)
@given(text=damaged_catalogue() | catalogue_csv(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"]),
       raw=st.none() | st.none() | st.binary(max_size=200))
def test_a_catalogue_file_is_imported_whole_or_not_at_all(shared, text, encoding, raw):
    desk, folder = shared
    path = folder / f"danh-muc-{next(NAMES)}.csv"
    try:
        path.write_bytes(raw if raw is not None else text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8"))
    attempt(desk, lambda: desk.import_catalogue(path, replace=True))


good_day = st.tuples(st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
                     st.sampled_from(["Tết Dương lịch", "Nghỉ bù", "Quốc khánh"]),
                     st.sampled_from(["holiday", "compensatory", "nghỉ lễ"]))
any_day = st.tuples(cell, cell, st.sampled_from(["holiday", "swapped_workday", "làm bù"]) | cell)


@settings(max_examples=80)
@given(rows=st.lists(good_day, min_size=1, max_size=5) | st.lists(good_day | any_day, max_size=6))
def test_a_holiday_file_is_imported_whole_or_not_at_all(shared, rows):
    desk, folder = shared
    path = folder / f"lich-{next(NAMES)}.csv"
    path.write_text("date,name,kind\n" + "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in row)
                                                   for row in rows), encoding="utf-8")
    attempt(desk, lambda: desk.import_calendar(path))
