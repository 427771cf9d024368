"""The audit trail is a hash chain: an entry edited, deleted or reordered by hand is found."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store import audit
from desk_app.store.identity import desk_uuid
from desk_app.store.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def busy(desk):
    """A desk with a few dossiers received: a trail of a dozen entries. Closed, for raw edits."""
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        receive(desk, ReceptionRequest(procedure_code="2.000815", name=name, pages=3))
    desk.view_dossier(desk.search("binh")[0].code)
    path = desk.store.path
    assert audit.verify(desk.store.db).ok
    desk.store.close()
    return path


def raw_edit(path, *statements):
    """What someone with the database file and the sqlite3 tool could do: triggers dropped first."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        for statement in statements:
            conn.execute(statement)
    conn.close()


def verify(path):
    store = Store.open(path)
    try:
        return audit.verify(store.db)
    finally:
        store.close()


def test_every_entry_is_chained_to_the_one_before_and_names_the_device(desk):
    receive(desk, ReceptionRequest(procedure_code="2.000815", name="Nguyễn Văn An", pages=3))
    rows = desk.store.db.execute("SELECT id, prev_hash, hash, device FROM audit ORDER BY id").fetchall()
    assert rows[0][1] == audit.GENESIS
    assert all(later[1] == earlier[2] for earlier, later in zip(rows, rows[1:]))
    assert {row[3] for row in rows} == {desk_uuid(desk.store)}
    result = audit.verify(desk.store.db)
    assert result.ok and result.checked == len(rows)
    assert audit.audit_head(desk.store.db) == rows[-1][2]
    desk.view_dossier(desk.search("an")[0].code)
    assert audit.audit_head(desk.store.db) != rows[-1][2]  # the head moves with every entry


def test_the_program_itself_cannot_update_or_delete_an_entry(desk):
    for statement in ("UPDATE audit SET actor = 'x' WHERE id = 1", "DELETE FROM audit WHERE id = 1"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            desk.store.db.execute(statement)


def test_an_entry_edited_by_hand_is_named(busy):
    raw_edit(busy, "UPDATE audit SET actor = 'someone-else' WHERE id = 5")
    result = verify(busy)
    assert (result.broken.id, result.broken.reason, result.checked) == (5, "edited", 4)


def test_an_edit_with_its_hash_recomputed_breaks_the_next_link(busy):
    store = Store.open(busy)
    row = dict(zip([*audit.FIELDS, "prev_hash"], store.db.execute(
        f"SELECT {', '.join(audit.FIELDS)}, prev_hash FROM audit WHERE id = 5").fetchone()))
    store.close()
    row["actor"] = "someone-else"
    forged = audit.entry_hash(row["prev_hash"], row)
    raw_edit(busy, f"UPDATE audit SET actor = 'someone-else', hash = '{forged}' WHERE id = 5")
    result = verify(busy)
    assert (result.broken.id, result.broken.reason) == (6, "link")


def test_a_deleted_entry_is_found_at_the_one_after_it(busy):
    raw_edit(busy, "DELETE FROM audit WHERE id = 4")
    result = verify(busy)
    assert (result.broken.id, result.broken.reason) == (5, "link")


def test_deleted_last_entries_are_found_by_the_head(busy):
    last = verify(busy).checked
    raw_edit(busy, f"DELETE FROM audit WHERE id >= {last - 1}")
    result = verify(busy)
    assert (result.broken.id, result.broken.reason) == (last, "tail")


def test_the_desk_goes_on_after_a_deleted_tail_and_the_break_stays_visible(busy, clock):
    from desk_app.services.desk import Desk

    last = verify(busy).checked
    raw_edit(busy, f"DELETE FROM audit WHERE id = {last}")
    store = Store.open(busy)
    desk = Desk(store, clock=clock, device_clock=clock)
    receive(desk, ReceptionRequest(procedure_code="2.000815", name="Phạm Thị Dân", pages=3))
    result = audit.verify(store.db)
    store.close()
    assert (result.broken.id, result.broken.reason) == (last, "link")


def test_reordered_entries_are_found(busy):
    # Swap the contents of entries 5 and 6 (ids kept), as a hand "correction" of the order would.
    cols = ", ".join(f"{c} = (SELECT {c} FROM audit_copy WHERE audit_copy.id = 11 - audit.id)"
                     for c in ("at", "actor", "actor_name", "action", "entity", "entity_id", "detail", "prev_hash",
                               "hash"))
    raw_edit(busy, "CREATE TEMP TABLE audit_copy AS SELECT * FROM audit WHERE id IN (5, 6)",
             f"UPDATE audit SET {cols} WHERE id IN (5, 6)")
    result = verify(busy)
    assert (result.broken.id, result.broken.reason) == (5, "link")


def test_an_entry_added_by_hand_is_found(busy):
    raw_edit(busy, "INSERT INTO audit(at, actor, action, entity, entity_id, detail, device, prev_hash, hash) "
                   "SELECT at, 'ghost', 'dossier.view', entity, entity_id, '{}', device, hash, hash "
                   "FROM audit ORDER BY id DESC LIMIT 1")
    result = verify(busy)
    assert result.broken.reason == "edited"


def test_old_entries_are_chained_by_the_migration(tmp_path):
    path = tmp_path / "desk-0001.sqlite3"
    shutil.copy(FIXTURES / "desk-0001.sqlite3", path)
    old = sqlite3.connect(path).execute("SELECT count(*) FROM audit").fetchone()[0]
    store = Store.open(path)
    result = audit.verify(store.db)
    assert result.ok and result.checked == old > 0
    assert {d for (d,) in store.db.execute("SELECT device FROM audit")} == {desk_uuid(store)}
    store.close()
