"""Every released schema, kept as a small real file, must migrate to the current one unharmed."""

import shutil
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
    # 0006: every procedure of an old catalogue is in the commune's list (none retired).
    assert store.db.execute("SELECT count(*) FROM procedures WHERE retired_at IS NOT NULL").fetchone()[0] == 0
    assert len(store.procedures()) == len(store.procedures(include_retired=True)) > 0
    store.close()
