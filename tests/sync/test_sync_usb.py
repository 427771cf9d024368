"""USB files at the service level: several epochs, several files, answers about unknown events."""

from __future__ import annotations

import pytest

from desk_app.domain.dossier import Status
from desk_app.services.sync import SyncFailed, sync_status
from desk_app.services.sync_usb import export_usb, import_usb
from desk_app.store import sync_state
from desk_app.sync.protocol import Envelope
from tests.sync.conftest import register


def test_each_epoch_goes_in_its_own_file_and_the_answer_file_clears_them(enrolled, hub, tmp_path):
    first = [register(enrolled, i) for i in range(3)]
    enrolled.recorder.outbox.start_new_epoch(at=enrolled.clock(), reason="restore:test")
    register(enrolled, 7)
    progress = []
    made = export_usb(enrolled, tmp_path / "usb" / "quay-1.sync", progress.append)
    assert [f.name for f in made.files] == ["quay-1.sync", "quay-1-2.sync"]
    assert made.events == enrolled.recorder.outbox.pending_count() and made.remaining == 0
    assert [(x.phase, x.done, x.total) for x in progress] == [("export", 1, 2), ("export", 2, 2)]
    audit = enrolled.store.db.execute("SELECT action FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert audit == "sync.usb_export"

    for path in reversed(made.files):  # the order they reach the hub does not matter
        result = hub.hub.push(Envelope.from_file(path.read_bytes()))
        assert {a.status.value for a in result.answers} == {"applied"}
    hub.hub.decide(first[1].code, Status.RESULT_READY)
    back = tmp_path / "usb" / "back.sync"
    back.write_bytes(hub.hub.export(enrolled.desk_uuid()).to_file())

    done = import_usb(enrolled, back)
    assert (done.acknowledged, done.updates, done.updates_applied, done.changed) == (made.events, 1, 1, True)
    assert enrolled.dossier(first[1].code).status is Status.RESULT_READY
    status = sync_status(enrolled)
    assert status.pending == 1 and status.last_success is not None  # the decision's own change
    assert not import_usb(enrolled, back).changed


def test_answers_about_events_this_copy_never_wrote_are_ignored(enrolled, hub, tmp_path):
    from desk_app.domain import events as ev
    from desk_app.sync import protocol as p

    register(enrolled, 1)
    package = p.HubPackage(
        enrolled.desk_uuid(), "000.21.33.H49", hub.hub.epoch, "2026-11-23T02:15:00+00:00",
        answers=(p.Answer.rejected("not-in-this-copy", 99, p.RejectCode.BAD_PAYLOAD),),
        streams=(p.StreamAck(enrolled.recorder.outbox.current_epoch(), 1),))
    (tmp_path / "f.sync").write_bytes(package.seal(hub.hub.key).to_file())
    done = import_usb(enrolled, tmp_path / "f.sync")
    assert (done.acknowledged, done.rejected) == (1, 0) and sync_status(enrolled).rejected == ()
    first = enrolled.recorder.outbox.pending(1)  # seq 1 is acknowledged; the next one is first now
    assert first[0].seq == 2
    [(answer, _, _)] = sync_state.answers_of(enrolled.store, [_seq_uuid(enrolled, 1)]).values()
    assert answer == ev.Answer.APPLIED.value


def test_a_missing_file_and_a_desk_file_are_refused(enrolled, tmp_path):
    with pytest.raises(SyncFailed) as missing:
        import_usb(enrolled, tmp_path / "nowhere.sync")
    assert (missing.value.code, missing.value.environment) == ("file_not_found", False)
    register(enrolled, 2)
    [desk_file] = export_usb(enrolled, tmp_path / "mine.sync").files
    with pytest.raises(SyncFailed) as wrong_kind:  # a desk batch is not a hub package
        import_usb(enrolled, desk_file)
    assert wrong_kind.value.code == "usb_refused" and "cần gói loại hub-package" in wrong_kind.value.message


def _seq_uuid(desk, seq: int) -> str:
    return str(desk.store.db.execute("SELECT event_uuid FROM outbox WHERE seq = ? ORDER BY id LIMIT 1",
                                     [seq]).fetchone()[0])
