"""A retention purge reaches the outbox: acknowledged payloads lose their personal fields (the
event, its recorded hash and a "redacted" mark stay); events still to be pushed wait."""

import datetime as dt
import json
import sqlite3

import pytest

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import ReceivedDocument, Sex
from desk_app.domain.events import canonical_json, sha256_hex
from desk_app.domain.personal_data import PURGED_NAME
from desk_app.services import personal_data
from desk_app.services.guidance import issue_supplement_guidance
from desk_app.services.sync import enroll, sync_now
from desk_app.store.store import Store
from desk_app.domain.text import fold_name
from tests.conftest import VN
from tests.services.test_personal_data import close, citizen
from tests.sync.conftest import HUB_URL, InProcessHub

NAME, ID, PHONE = "Nguyễn Thị Thuỳ Dương", "001190012345", "0912345678"
SLIP_NAME, SLIP_PHONE = "Phạm Thị Cũ", "0987654321"


@pytest.fixture
def hub(tmp_path, clock):
    h = InProcessHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}", clock)
    yield h
    h.close()


@pytest.fixture
def enrolled(desk, hub):
    enroll(desk, HUB_URL, hub.code(), connect=hub.connect)
    return desk


def _raw_bytes_after_vacuum(store: Store) -> bytes:
    store.db.execute("VACUUM")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert store.path is not None
    return store.path.read_bytes()


def test_purge_redacts_acknowledged_events_and_nothing_personal_is_left_in_the_file(enrolled, hub, clock):
    desk = enrolled
    personal_data.set_retention(desk, 1)
    clock.now = dt.datetime(2025, 7, 7, 9, 0, tzinfo=VN)
    old = citizen(desk, name=NAME, id_number=ID, phone=PHONE)
    close(desk, old.code)
    slip = issue_supplement_guidance(desk, procedure_code="1.001193", name=SLIP_NAME, phone=SLIP_PHONE,
                                     missing=(ReceivedDocument("Giấy chứng sinh", DocForm.ORIGINAL),))
    assert sync_now(desk, connect=hub.connect).pending == 0
    sent = {row[0]: row[1] for row in desk.store.db.execute("SELECT event_uuid, payload FROM outbox")}

    clock.now = dt.datetime(2026, 11, 23, 9, 15, tzinfo=VN)
    citizen(desk, name="Trần Văn Bình", id_number="001090012346", sex=Sex.MALE, phone="0903111222",
            address="Xóm Mới, xã Tân Phú")
    assert fold_name(NAME).encode() in _raw_bytes_after_vacuum(desk.store)  # the test can see the data

    done = personal_data.purge(desk)
    assert [c for _, c, _ in done.dossiers] == [old.code] and [n for _, n, _ in done.slips] == [slip.number]
    assert (done.redacted_events, done.waiting_events) == (3, 0)  # the reception, the return, the guidance slip

    raw = _raw_bytes_after_vacuum(desk.store)
    for needle in (ID, PHONE, "Thôn Đông", SLIP_NAME, fold_name(SLIP_NAME), SLIP_PHONE, fold_name(NAME)):
        assert needle.encode() not in raw, needle
    # Nor in the hash-chained audit trail, which can never be redacted: the hand-over's audit entry
    # never held who collected the result (store/lifecycle.py, docs/trust.md "Personal data").
    assert NAME.encode() not in raw
    assert desk.store.db.execute("SELECT count(*) FROM audit WHERE detail LIKE '%handover%'").fetchone()[0] == 1
    assert b"Tr\xe1\xba\xa7n V\xc4\x83n B\xc3\xacnh" in raw  # another citizen's open dossier is untouched

    rows = desk.store.db.execute("SELECT event_uuid, kind, payload, payload_hash, redacted_at FROM outbox "
                                 "WHERE redacted_at IS NOT NULL ORDER BY id").fetchall()
    assert [r[1] for r in rows] == ["dossier.received", "dossier.status_changed", "guidance.issued"]
    for event_uuid, kind, payload, payload_hash, redacted_at in rows:
        body = json.loads(payload)
        assert body["redacted"] is True and redacted_at == "2026-11-23T09:15:00+07:00"
        assert payload_hash == sha256_hex(canonical_json(json.loads(sent[event_uuid])))  # the hash as sent
        assert body["uuid"] and body["code" if kind.startswith("dossier") else "number"]  # what statistics need
    received = json.loads(rows[0][2])
    assert received["applicant"] == {"name": PURGED_NAME, "id_number": None, "birth_date": None, "sex": None,
                                     "phone": None, "address": None, "email": None}

    report = sync_now(desk, connect=hub.connect)  # sync still works: the new dossier goes, nothing is resent
    assert report.sent == 1 and report.applied == 1 and report.pending == 0
    assert hub.hub.stats()["dossiers"] == 2


def test_an_event_not_yet_acknowledged_keeps_its_data_until_a_purge_after_the_sync(enrolled, hub, clock):
    desk = enrolled
    personal_data.set_retention(desk, 1)
    clock.now = dt.datetime(2025, 7, 7, 9, 0, tzinfo=VN)
    old = citizen(desk, name=NAME, id_number=ID, phone=PHONE)
    close(desk, old.code)
    clock.now = dt.datetime(2026, 11, 23, 9, 15, tzinfo=VN)
    first = personal_data.purge(desk)  # never synced: the hub has still to receive the reception whole
    assert (len(first.dossiers), first.redacted_events, first.waiting_events) == (1, 0, 2)  # reception, return
    payload = desk.store.db.execute("SELECT payload FROM outbox WHERE kind = 'dossier.received'").fetchone()[0]
    assert ID in payload

    sync_now(desk, connect=hub.connect)
    second = personal_data.purge(desk)
    assert (len(second.dossiers), second.redacted_events, second.waiting_events) == (0, 2, 0)
    assert ID.encode() not in _raw_bytes_after_vacuum(desk.store)


def test_the_trigger_allows_the_acknowledgement_and_the_redaction_and_nothing_else(enrolled, hub, clock):
    desk = enrolled
    citizen(desk)
    sync_now(desk, connect=hub.connect)
    citizen(desk, name="Lê Văn Mới")  # still to push
    db = sqlite3.connect(desk.store.path)
    acked, pending = [r[0] for r in db.execute("SELECT id FROM outbox WHERE kind = 'dossier.received' ORDER BY id")]
    refused = [
        f"UPDATE outbox SET payload = '{{}}', redacted_at = 'x' WHERE id = {pending}",  # not acknowledged
        f"UPDATE outbox SET payload = '{{}}' WHERE id = {acked}",  # no redaction mark
        f"UPDATE outbox SET kind = 'settings.changed' WHERE id = {acked}",
        f"UPDATE outbox SET payload_hash = 'x', payload = '{{}}', redacted_at = 'x' WHERE id = {acked}",
        f"UPDATE outbox SET acked_at = NULL WHERE id = {acked}",  # un-acknowledging
        f"UPDATE outbox SET acked_at = 'x', payload = '{{}}' WHERE id = {pending}",
        f"DELETE FROM outbox WHERE id = {acked}",
    ]
    for statement in refused:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(statement)
    db.execute(f"UPDATE outbox SET payload = '{{}}', redacted_at = 'x' WHERE id = {acked}")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # once only
        db.execute(f"UPDATE outbox SET payload = '{{\"a\":1}}', redacted_at = 'y' WHERE id = {acked}")
    db.execute(f"UPDATE outbox SET acked_at = 'now' WHERE id = {pending}")
    db.rollback()
    db.close()
