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
    assert store.dossiers.count() == 2
    found = store.dossiers.search("dang thi hoa")
    assert [d.applicant.name for d in found] == ["Đặng Thị Hoà"]
    assert store.dossiers.by_code("000.21.33.H49-261123-0001").fee_vnd == 10_000
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Columns added later are filled for the old rows (0004: the Vietnamese name sort key).
    keys = dict(store.db.execute("SELECT applicant_name, applicant_sort FROM dossiers").fetchall())
    assert keys["Đặng Thị Hoà"] == sort_key("Đặng Thị Hoà") and keys["Nguyễn Văn An"] == sort_key("Nguyễn Văn An")
    # 0006: every procedure of an old catalogue is in the commune's list (none retired).
    assert store.db.execute("SELECT count(*) FROM procedures WHERE retired_at IS NOT NULL").fetchone()[0] == 0
    assert len(store.catalogue.procedures()) == len(store.catalogue.procedures(include_retired=True)) > 0
    store.close()


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("desk-*.sqlite3")))
def test_old_outbox_rows_join_the_sync_contract(tmp_path, name):
    """0008: old events get the desk UUID, the first epoch and schema 1; sequences go on from there."""
    from desk_app.domain.events import SCHEMA_VERSION
    from desk_app.store.outbox import Outbox

    path = tmp_path / name
    shutil.copy(FIXTURES / name, path)
    store = Store.open(path)
    outbox = Outbox(store)
    old = outbox.pending()
    assert old and [e.seq for e in old] == list(range(1, len(old) + 1))
    for event in old:
        assert (event.desk_uuid, event.epoch, event.schema) == (outbox.desk_uuid(), outbox.current_epoch(), 1)
        assert event.unit_code == "000.21.33.H49" and event.hash_ok()
    received = [e for e in old if e.kind == "dossier.received"]
    assert all(e.business_time == e.payload["received_at"] for e in received)
    # Every dossier has its last change time, without reading the outbox any more.
    assert store.db.execute("SELECT count(*) FROM dossiers WHERE last_change_at IS NULL").fetchone()[0] == 0
    assert SCHEMA_VERSION == 1  # a new schema version needs its own migration of old rows
    store.close()


def test_0005_back_dated_step_and_guidance_slip_are_migrated(tmp_path):
    """The 0005 fixture (tests/store/fixtures/make_desk_0005.py) holds a step recorded a day late and
    a guidance slip, whose number was its only identity."""
    import uuid

    from desk_app.store.outbox import Outbox

    path = tmp_path / "desk-0005.sqlite3"
    shutil.copy(FIXTURES / "desk-0005.sqlite3", path)
    store = Store.open(path)
    events = {e.kind: e for e in Outbox(store).pending()}
    step = events["dossier.status_changed"]
    # Old rows held the back-dated time as "device time": the business time comes from the payload.
    assert step.business_time == step.payload["at"] == "2026-11-23T14:00:00+07:00"
    hoa = store.dossiers.search("dang thi hoa")[0]
    assert hoa.last_change_at.isoformat() == "2026-11-23T14:00:00+07:00"
    slip_uuid, number = store.db.execute("SELECT uuid, number FROM guidance_slips").fetchone()
    assert str(uuid.UUID(slip_uuid)) == slip_uuid and number == "HD-2026-Q1-0001"
    guidance = events["guidance.issued"]
    assert (guidance.entity, guidance.entity_id, guidance.payload["uuid"]) == ("guidance", slip_uuid, slip_uuid)
    assert guidance.payload["number"] == number and guidance.hash_ok()
    assert "guidance.supplement_requested" not in events
    # The epoch's counter goes on after the old events: the next one is number 5, never a reuse.
    assert store.db.execute("SELECT last_seq FROM sync_epochs").fetchone()[0] == 4
    store.close()


def test_a_gap_in_old_numbers_is_not_carried_into_the_epoch(tmp_path):
    """The hub holds an event that follows a gap; old numbers with a hole are renumbered 1, 2, 3."""
    import sqlite3

    from desk_app.store.outbox import Outbox

    path = tmp_path / "desk-0005.sqlite3"
    shutil.copy(FIXTURES / "desk-0005.sqlite3", path)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("DELETE FROM outbox WHERE seq = 2")  # the old schema allowed it
    raw.close()
    store = Store.open(path)
    assert [e.seq for e in Outbox(store).pending()] == [1, 2, 3]
    assert [r[0] for r in store.db.execute("SELECT id FROM outbox ORDER BY id")] == [1, 3, 4]
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


def test_0005_steps_become_rows_of_the_control_slip(tmp_path):
    """0012: a status change recorded before steps were kept is read back as its step (the action
    follows from the statuses), so the control slip of an old dossier lists it."""
    from desk_app.domain.dossier import Status
    from desk_app.domain.lifecycle import Action
    from desk_app.store.lifecycle import steps

    path = tmp_path / "desk-0005.sqlite3"
    shutil.copy(FIXTURES / "desk-0005.sqlite3", path)
    store = Store.open(path)
    dossier_id = store.dossiers.id_of("000.21.33.H49-261123-0002")
    [step] = steps(store, dossier_id)
    assert (step.action, step.before, step.after) == (Action.FORWARD, Status.RECEIVED, Status.IN_PROCESS)
    assert step.at.isoformat() == "2026-11-23T14:00:00+07:00"
    assert steps(store, store.dossiers.id_of("000.21.33.H49-261123-0001")) == []
    store.close()
