"""Every released schema, kept as a small real file, must migrate to the current one unharmed."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from desk_app.domain.text import sort_key
from desk_app.store.migrations import desk_migrations
from desk_app.store.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("desk-*.sqlite3")))
def test_released_schema_migrates_and_keeps_its_dossiers(tmp_path, name):
    path = tmp_path / name
    shutil.copy(FIXTURES / name, path)
    store = Store.open(path)
    assert not desk_migrations.pending(store.db)
    assert store.count_dossiers() == 2
    found = store.search("dang thi hoa")
    assert [d.applicant.name for d in found] == ["Đặng Thị Hoà"]
    assert store.dossier("000.21.33.H49-261123-0001").fee_vnd == 10_000
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Columns added later are filled for the old rows (0004: the Vietnamese name sort key).
    keys = dict(store.db.execute("SELECT applicant_name, applicant_sort FROM dossiers").fetchall())
    assert keys["Đặng Thị Hoà"] == sort_key("Đặng Thị Hoà") and keys["Nguyễn Văn An"] == sort_key("Nguyễn Văn An")
    store.close()


def test_released_schema_gets_fee_receipt_numbers_print_counts_and_a_qr_key(tmp_path):
    from desk_app.domain.papers import Paper
    from desk_app.store import papers

    path = tmp_path / "desk-0001.sqlite3"
    shutil.copy(FIXTURES / "desk-0001.sqlite3", path)
    conn = sqlite3.connect(path)  # not migrated yet: an old desk that printed the fee receipt alone once
    with conn:
        conn.execute("INSERT INTO audit(at, actor, action, entity, entity_id) VALUES "
                     "('2026-11-23T09:20:00+07:00', 'x', 'dossier.print_fee_receipt', 'dossier', ?)",
                     ["000.21.33.H49-261123-0001"])
    conn.close()
    store = Store.open(path)
    fee = papers.fee_record(store, 1)
    assert fee.receipt.number is None and fee.receipt.number_text == "BL2026-01-00001"  # the old number stays
    assert papers.print_count(store, 1, Paper.FEE_RECEIPT) == 1
    assert papers.print_count(store, 2, Paper.FEE_RECEIPT) == 0
    key = papers.qr_key(store)
    assert len(key) == 32
    store.close()
    assert papers.qr_key(Store.open(path)) == key  # made once, kept
