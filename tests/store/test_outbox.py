"""The outbox contract the sync side reads: order, answers, cursors, identity and epochs."""

import datetime as dt
import sqlite3
import uuid

import pytest

from desk_app.domain import events
from desk_app.domain.events import Answer
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.connection import StoreError
from desk_app.store.outbox import Cursor, EventAnswer, Outbox, UnknownEvents
from desk_app.store.store import Store

VN = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2026, 11, 23, 12, 0, tzinfo=VN)


def record(desk, n):
    for i in range(n):
        with desk.recorder.change(business_time=desk.clock()) as change:
            desk.store.settings.put({"printer": f"Máy {i}"})
            change.event(events.Kind.SETTINGS_CHANGED, desk.desk_uuid(), events.settings_changed({"printer": i}))
            change.audit("desk.set_printer", "desk", "printer", {"printer": i})


@pytest.fixture
def outbox(desk):
    return Outbox(desk.store)


def answer(event, kind, **extra):
    return EventAnswer(event.event_uuid, kind, AT, **extra)


def test_every_event_is_a_whole_envelope_in_sequence(desk, outbox):
    record(desk, 3)
    pending = outbox.pending()
    epoch = outbox.current_epoch()
    assert [e.seq for e in pending] == list(range(1, len(pending) + 1))  # set-up first, then the 3 above
    for event in pending:
        assert event.hash_ok() and event.schema == events.SCHEMA_VERSION
        assert (event.desk_uuid, event.epoch, event.unit_code) == (desk.desk_uuid(), epoch, "000.21.33.H49")
        assert events.Event.from_dict(event.to_dict()) == event
        assert str(uuid.UUID(event.event_uuid)) == event.event_uuid
    assert [e.seq for e in outbox.pending(limit=2)] == [1, 2]
    assert outbox.pending_count() == len(pending)


def test_pending_reads_the_index_of_what_is_not_acknowledged(store):
    plan = " ".join(str(r) for r in store.db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM outbox WHERE acked_at IS NULL ORDER BY id LIMIT 10"))
    assert "outbox_unacked" in plan and "TEMP B-TREE" not in plan, plan


def test_final_answers_acknowledge_and_held_ones_stay_pending(desk, outbox):
    record(desk, 2)
    first, second, third, *rest = outbox.pending()
    outbox.record_answers([answer(first, Answer.APPLIED), answer(second, Answer.HELD),
                           answer(third, Answer.REJECTED, code="unknown_procedure", reason="Hub chưa có thủ tục này")])
    assert [e.event_uuid for e in outbox.pending()] == [second.event_uuid] + [e.event_uuid for e in rest]
    [(rejected, why)] = outbox.answered(Answer.REJECTED)
    assert rejected == third and (why.code, why.reason) == ("unknown_procedure", "Hub chưa có thủ tục này")
    # "held" never replaces a final answer; a later final answer replaces "held".
    outbox.record_answers([answer(first, Answer.HELD), answer(second, Answer.DUPLICATE)])
    assert [e for e, _ in outbox.answered(Answer.APPLIED)] == [first]
    assert [e for e, _ in outbox.answered(Answer.DUPLICATE)] == [second]
    assert outbox.answered(Answer.HELD) == []


def test_answers_for_unknown_events_record_nothing(desk, outbox):
    event = outbox.pending()[0]
    with pytest.raises(UnknownEvents) as err:
        outbox.record_answers([answer(event, Answer.APPLIED), EventAnswer(str(uuid.uuid4()), Answer.APPLIED, AT)])
    assert len(err.value.event_uuids) == 1
    assert outbox.answered(Answer.APPLIED) == [] and outbox.pending()[0] == event


def test_a_thousand_answers_at_once_one_unknown_among_them_record_nothing(desk, outbox):
    """Answers are checked and written set-wise, in chunks of uuids: an unknown one past the
    first chunk still stops the whole batch of answers."""
    with desk.store.transaction():
        record(desk, 1200)
    events_ = outbox.pending(limit=2000)
    answers = [answer(e, Answer.APPLIED) for e in events_]
    stranger = EventAnswer(str(uuid.uuid4()), Answer.APPLIED, AT)
    with pytest.raises(UnknownEvents) as err:
        outbox.record_answers([*answers[:700], stranger, *answers[700:]])
    assert err.value.event_uuids == [stranger.event_uuid]
    assert outbox.pending_count() == len(events_) and outbox.answered(Answer.APPLIED) == []
    outbox.record_answers([*answers[:-1], answer(events_[-1], Answer.HELD)])
    assert [e.event_uuid for e in outbox.pending()] == [events_[-1].event_uuid]
    assert len(outbox.answered(Answer.APPLIED)) == len(events_) - 1


def test_push_cursor_moves_only_over_a_contiguous_run_of_final_answers(desk, outbox):
    record(desk, 3)
    e = outbox.pending()  # 6 events: 3 of set-up, 3 printers
    assert outbox.push_cursor() is None and outbox.advance_push_cursor(at=AT) is None
    outbox.record_answers([answer(e[0], Answer.APPLIED), answer(e[1], Answer.DUPLICATE), answer(e[2], Answer.HELD),
                           answer(e[3], Answer.APPLIED)])
    assert outbox.advance_push_cursor(at=AT) == Cursor(e[1].epoch, e[1].seq)  # e[2] is held: stop before it
    outbox.record_answers([answer(e[2], Answer.APPLIED)])
    assert outbox.advance_push_cursor(at=AT) == Cursor(e[3].epoch, e[3].seq)  # e[4] never answered
    outbox.record_answers([answer(e[4], Answer.REJECTED, code="x"), answer(e[5], Answer.APPLIED)])
    assert outbox.advance_push_cursor(at=AT) == Cursor(e[5].epoch, e[5].seq) == outbox.push_cursor()
    assert outbox.pending() == []


def test_pull_cursor_keeps_the_hubs_epoch_and_sequence(outbox):
    assert outbox.pull_cursor() is None
    assert outbox.set_pull_cursor(hub_epoch="hub-1", hub_seq=40, at=AT) == Cursor("hub-1", 40)
    outbox.set_pull_cursor(hub_epoch="hub-2", hub_seq=3, at=AT)  # the hub was restored: resync
    assert outbox.pull_cursor() == Cursor("hub-2", 3)


def test_desk_uuid_is_made_once_and_survives_profile_edits_and_reopening(tmp_path, desk, clock):
    from desk_app.services.desk import Desk

    before = desk.desk_uuid()
    desk.initialise(commune="Xã Tân Phú Mới", authority="UBND xã Tân Phú", unit_code="000.21.33.H49", desk_no=1)
    assert desk.desk_uuid() == before
    path = tmp_path / "desk.sqlite3"
    desk.store.close()
    again = Desk(Store.open(path), clock=clock)
    assert again.desk_uuid() == before
    again.store.close()
    other = Desk(Store.open(tmp_path / "other.sqlite3"), clock=clock)
    assert other.desk_uuid() != before  # another database is another desk
    other.store.close()


def test_the_outbox_is_append_only(desk):
    with pytest.raises((sqlite3.DatabaseError, StoreError)):
        with desk.store.transaction():
            desk.store.db.execute("DELETE FROM outbox")
    assert desk.store.tables.count("outbox") > 0


def test_a_restored_backup_starts_a_new_epoch_so_no_sequence_names_two_events(tmp_path, desk, clock):
    """Backup, keep working, lose the disk, restore: the hub must never see (epoch, seq) twice."""
    from desk_app.services.backup import backup_to
    from desk_app.services.desk import Desk

    request = ReceptionRequest(procedure_code="2.000815", name="Nguyễn Văn An", pages=3, copies=2)
    receive(desk, request)
    backup_to(desk, tmp_path / "backup.sqlite3")
    receive(desk, request)  # recorded after the backup: on the lost timeline
    lost = {(e.epoch, e.seq): e.event_uuid for e in Outbox(desk.store).pending()}

    restored = Desk(Store.open(tmp_path / "backup.sqlite3"), clock=clock, device_clock=clock)
    box = Outbox(restored.store)
    old_epoch = box.current_epoch()
    kept = {(e.epoch, e.seq) for e in box.pending()}
    new_epoch = box.start_new_epoch(at=clock(), reason="restored from backup.sqlite3")
    assert new_epoch != old_epoch and box.current_epoch() == new_epoch
    receive(restored, request)
    after = {(e.epoch, e.seq): e.event_uuid for e in box.pending()}
    assert kept < set(after)  # the backup's own events keep their epoch and numbers
    [(fresh, fresh_uuid)] = [(k, v) for k, v in after.items() if k not in kept]
    assert fresh == (new_epoch, 1)  # numbered from 1 in the new epoch
    assert fresh not in lost and fresh_uuid not in lost.values()
    # Without the new epoch, the next event would have reused the lost event's number.
    assert (old_epoch, max(s for e, s in kept) + 1) in lost
    restored.store.close()
