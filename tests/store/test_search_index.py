"""The search index of migration 0014 finds exactly what the first design found (issue 11).

The first design, rebuilt here beside the store's: one FTS5 table over the five folded columns,
each typed word as "word"*, newest first. Both are asked the same queries over the same
generated dossiers: every hit, and the first 50.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import sqlite3
from pathlib import Path

import pytest

from desk_app.domain.dossier import Applicant, Channel, Dossier, Status
from desk_app.domain.text import fold, fold_name, search_tokens
from desk_app.services import demo
from desk_app.store import search
from desk_app.store.store import Store

VN = dt.timezone(dt.timedelta(hours=7))
# Procedures as dossiers carry them; one code under two names (renamed by a catalogue import),
# and names whose words also begin applicants' names ("an", "thi", "ho"), so that the procedure
# and the text columns compete for the same typed word.
PROCEDURES = [
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"),
    ("1.001193", "Đăng ký khai sinh"),
    ("1.001193", "Đăng ký khai sinh (liên thông)"),
    ("1.000894", "Đăng ký kết hôn"),
    ("1.004873", "Thủ tục an táng, hỏa táng"),
    ("2.001009", "Thi hành án dân sự: hồ sơ Hoàng gia"),
    ("XA.HT.02", "Bổ sung thông tin hộ tịch"),
]
OLD_DESIGN = """CREATE VIRTUAL TABLE old_search USING fts5(
    code, applicant_name, id_number, phone, procedure, tokenize = "unicode61 remove_diacritics 2")"""


def _dossier(rng: random.Random, n: int) -> Dossier:
    day = dt.date(2026, 1, 5) + dt.timedelta(days=n // 40)
    person = demo.make_person(rng, day)
    code, name = rng.choice(PROCEDURES)
    received = dt.datetime.combine(day, dt.time(8, 0), VN) + dt.timedelta(minutes=n % 40)
    return Dossier(
        code=f"000.21.33.H49-{day:%y%m%d}-{n % 40 + 1:04d}", procedure_code=code, procedure_name=name,
        applicant=Applicant(name=person.name, id_number=person.id_number if n % 7 else None,
                            phone=person.phone if n % 5 else None, address=person.address),
        channel=Channel.DIRECT, received_at=received, due_at=received + dt.timedelta(days=3), due_reason="",
        status=Status.RECEIVED, documents=(), sets=1, pages=1, copies=1, fee_vnd=0, fee_detail="",
        statutory_time="3 ngày làm việc", ledger_year=day.year, ledger_no=n + 1, desk_no=1,
        official_code=f"G22.{n:05d}" if n % 11 == 0 else None, uuid=f"00000000-0000-4000-8000-{n:012d}",
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("search") / "desk.sqlite3")
    rng = random.Random(11)
    dossiers = [_dossier(rng, n) for n in range(2500)]
    dossiers.append(dataclasses.replace(dossiers[0], code="000.21.33.H49-270101-0001", uuid="x", ledger_no=9999, official_code=None,
                                        applicant=Applicant(name="H'Hen Niê")))
    with store.transaction():
        store.db.execute(OLD_DESIGN)
        for d in dossiers:
            dossier_id = store.dossiers.insert(d)
            a = d.applicant
            store.db.execute(  # the first design's row, folded as it folded it
                "INSERT INTO old_search(rowid, code, applicant_name, id_number, phone, procedure) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [dossier_id, fold(" ".join(filter(None, [d.code, d.official_code]))), fold_name(a.name),
                 a.id_number or "", a.phone or "", fold(f"{d.procedure_code} {d.procedure_name}")])
    return store


def _queries(store: Store) -> list[str]:
    rng = random.Random(5)
    rows = store.db.execute(
        "SELECT code, official_code, applicant_name, id_number, phone FROM dossiers ORDER BY random() LIMIT 60"
    ).fetchall()
    queries = ["nguyen van an", "tran thi", "dang thi hoa", "hoang", "0912", "087", "chung thuc ban sao",
               "khai sinh", "ket hon", "an", "thi", "ho", "h", "a b", "hoang gia", "thi hanh an", "an tang nguyen",
               "khai sinh lien thong", "lien", "2.000815", "000815", "xa ht", "g22", "h'hen", "hhen nie", "h49 0001",
               "chung thuc khai sinh", "0 1", "van thi", "bo sung thi"]
    for code, official, name, id_number, phone in rows:
        words = fold(name).split()
        queries.append(" ".join(w[: rng.randint(1, len(w))] for w in words))
        queries.append(f"{words[-1]} {rng.choice(['khai', 'chung thuc', 'ket', 'an', 'thi'])}")
        if id_number:
            queries.append(id_number[: rng.randint(3, 12)])
        if phone:
            queries.append(f"{phone[:4]} {words[0][:2]}")
        queries.append(code.split("-", 1)[1].replace("-", " "))
        if official:
            queries.append(official)
    return queries


def _old(store: Store, text: str, limit: int) -> list[int]:
    match = " ".join(f'"{t}"*' for t in search_tokens(text))
    return [r[0] for r in store.db.execute(
        "SELECT rowid FROM old_search WHERE old_search MATCH ? ORDER BY rowid DESC LIMIT ?", [match, limit])]


def _new(store: Store, text: str, limit: int) -> list[int]:
    match = search.match_expression(store.db, text)
    assert match is not None
    return [r[0] for r in store.db.execute(
        "SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? ORDER BY rowid DESC LIMIT ?", [match, limit])]


def test_the_new_index_finds_exactly_what_the_first_design_found(store: Store) -> None:
    queries = _queries(store)
    assert len(queries) > 200
    found_some = 0
    for text in queries:
        assert _new(store, text, 1_000_000) == _old(store, text, 1_000_000), text
        assert _new(store, text, 50) == _old(store, text, 50), text
        found_some += bool(_old(store, text, 1))
    assert found_some > len(queries) * 0.8  # the queries are not vacuous


def test_store_search_uses_it_newest_first(store: Store) -> None:
    found = store.dossiers.search("khai sinh", limit=50)
    assert len(found) == 50
    assert [d.code for d in found] == sorted((d.code for d in found), reverse=True)
    assert all("khai sinh" in fold(d.procedure_name) for d in found)
    assert [d.applicant.name for d in store.dossiers.search("hhen nie")] == ["H'Hen Niê"]


def test_a_procedure_word_is_not_stored_per_dossier(store: Store) -> None:
    # The index row holds the procedure's key, not its words: the words live once per procedure.
    row = store.db.execute("SELECT procedure FROM dossier_search LIMIT 1").fetchone()[0]
    assert re.fullmatch(r"p\d+", row)
    assert store.db.execute("SELECT count(*) FROM dossier_search_procedures").fetchone()[0] == len(PROCEDURES)


def test_rebuild_gives_the_same_index(store: Store) -> None:
    before = [_new(store, q, 1_000_000) for q in ("nguyen", "khai sinh", "0", "h49 26")]
    with store.transaction():
        search.rebuild(store.db)
    assert [_new(store, q, 1_000_000) for q in ("nguyen", "khai sinh", "0", "h49 26")] == before


def test_migration_0014_moves_an_old_index_over_with_the_same_hits(tmp_path: Path) -> None:
    """A desk file from before 0014 (the first design's index, as the store wrote it) migrates to
    the new index, and every query finds what the old index found."""
    from desk_app.store.migrations import desk_migrations

    path = tmp_path / "old.sqlite3"
    store = Store.open(path)
    rng = random.Random(23)
    with store.transaction():
        for n in range(400):
            store.dossiers.insert(_dossier(rng, n))
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for table in ("dossier_search", "dossier_search_words", "dossier_search_procedures"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute(OLD_DESIGN.replace("old_search", "dossier_search"))
    rows = conn.execute("SELECT id, code, official_code, applicant_name, id_number, phone, procedure_code, "
                        "procedure_name FROM dossiers").fetchall()
    conn.executemany("INSERT INTO dossier_search(rowid, code, applicant_name, id_number, phone, procedure) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     [(i, fold(" ".join(filter(None, [c, o]))), fold_name(nm), idn or "", ph or "", fold(f"{pc} {pn}"))
                      for i, c, o, nm, idn, ph, pc, pn in rows])
    conn.execute(OLD_DESIGN)  # the same old index beside it, to compare with after the migration
    columns = "rowid, code, applicant_name, id_number, phone, procedure"
    conn.execute(f"INSERT INTO old_search({columns}) SELECT {columns} FROM dossier_search")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0016_search_prefix_index'")
    conn.execute(f"PRAGMA user_version = {len(desk_migrations._migrations) - 1}")
    conn.execute("COMMIT")
    conn.close()

    migrated = Store.open(path)
    try:
        tables = {n for (n,) in migrated.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "dossier_search_first_design" not in tables and "dossier_search_procedures" in tables
        sql = migrated.db.execute("SELECT sql FROM sqlite_master WHERE name = 'dossier_search'").fetchone()[0]
        assert "prefix" in sql and "detail = column" in sql
        for text in ["nguyen", "tran thi", "khai sinh", "an", "h49 26", "087", "chung thuc", "thi hanh an", "0"]:
            assert _new(migrated, text, 1_000_000) == _old(migrated, text, 1_000_000), text
        assert migrated.tables.count("dossier_search") == 400
    finally:
        migrated.close()
