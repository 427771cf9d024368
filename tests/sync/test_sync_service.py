"""sync_now and what it shows, against the real hub application in process (SQLite)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading

import pytest

from desk_app.domain import events as ev
from desk_app.domain.dossier import Status
from desk_app.services import sync_updates
from desk_app.services.lifecycle import Action, apply
from desk_app.services.sync import (
    SKEW_SETTING, SyncFailed, dossier_sync_marks, enroll, sync_now, sync_status, take_updates,
)
from desk_app.store import sync_state
from desk_app.sync import protocol as p
from desk_app.sync.client import HubClient
from desk_app.sync.protocol import SigningKey, build_batch
from tests.conftest import FakeClock
from tests.sync.conftest import HUB_URL, UNIT, InProcessHub, make_desk, register

VN = dt.timezone(dt.timedelta(hours=7))


def hub_events(hub) -> set[tuple[str, str]]:
    rows = hub.hub.db.run(lambda tx: tx.query("SELECT event_uuid, payload_hash FROM events"), write=False)
    return {(r[0], r[1]) for r in rows}


def desk_events(desk) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in desk.store.db.execute("SELECT event_uuid, payload_hash FROM outbox")}


def decision_events(desk, dossier_uuid: str) -> list[dict]:
    rows = desk.store.db.execute("SELECT payload FROM outbox WHERE kind = 'dossier.status_changed' AND entity_id = ?",
                                 [dossier_uuid]).fetchall()
    return [json.loads(r[0]) for r in rows if "cấp trên" in json.loads(r[0]).get("note", "")]


def test_push_sends_every_event_once_and_moves_the_cursor(enrolled, hub):
    dossiers = [register(enrolled, i) for i in range(7)]
    phases = []
    report = sync_now(enrolled, phases.append, connect=hub.connect, batch_size=3)
    outbox = enrolled.recorder.outbox
    assert report.sent == report.applied == len(desk_events(enrolled)) and report.batches == 4
    assert hub_events(hub) == desk_events(enrolled)
    assert hub.hub.stats()["dossiers"] == 7 and outbox.pending_count() == 0 and report.pending == 0
    last = enrolled.store.db.execute("SELECT epoch, seq FROM outbox ORDER BY id DESC LIMIT 1").fetchone()
    assert outbox.push_cursor() == type(outbox.push_cursor())(*last)
    assert [(x.phase, x.done, x.total) for x in phases if x.phase == "push"][-1] == ("push", report.sent, report.sent)
    assert any(x.phase == "pull" for x in phases)
    assert dossier_sync_marks(enrolled, [d.uuid for d in dossiers]) == {d.uuid: "synced" for d in dossiers}

    again = sync_now(enrolled, connect=hub.connect)
    assert (again.batches, again.sent, again.pulled) == (0, 0, 0)
    status = sync_status(enrolled)
    assert (status.pending, status.last_success, status.last_error) == (0, again.finished_at, None)
    assert status.summary().startswith("Đã gửi hết · lần đồng bộ cuối 09:15 23/11/2026")


def test_the_next_batch_is_read_while_the_hub_applies_one(enrolled, hub, monkeypatch):
    """Desk and hub work at once: while a batch is at the hub, the desk reads (and signs) the next
    one. Each push waits until the desk has read ahead; sent one after the other, it would wait
    in vain. Requests still go one at a time and in order."""
    for i in range(7):
        register(enrolled, i)
    outbox = enrolled.recorder.outbox
    read_ahead = threading.Event()
    reading = outbox.pending

    def spying(limit=500, *, after=None):
        if after is not None:
            read_ahead.set()
        return reading(limit, after=after)

    monkeypatch.setattr(outbox, "pending", spying)
    overlapped, sent, busy = [], [], threading.Lock()

    class Watching(HubClient):
        def push(self, batch):
            assert busy.acquire(blocking=False), "two requests at once"
            try:
                result = super().push(batch)
                sent.append(batch.header["first_seq"])
                overlapped.append(read_ahead.wait(timeout=5))
                read_ahead.clear()
                return result
            finally:
                busy.release()

    report = sync_now(enrolled, connect=lambda url: Watching(url, http=hub.test_client), batch_size=3)
    assert report.batches == 4 and report.applied == report.sent and outbox.pending_count() == 0
    assert sent == sorted(sent) and overlapped[:-1] == [True] * 3
    assert hub_events(hub) == desk_events(enrolled)


def test_a_hub_decision_changes_the_dossier_once_through_the_recorder(enrolled, hub, clock):
    dossier = register(enrolled)
    sync_now(enrolled, connect=hub.connect)
    clock.now += dt.timedelta(hours=2)
    hub.hub.decide(dossier.code, Status.RESULT_READY, note="Đã ký", by="UBND xã")

    audits = enrolled.store.tables.count("audit")
    report = sync_now(enrolled, connect=hub.connect)
    decided = enrolled.dossier(dossier.code)
    assert (report.pulled, report.updates_applied, report.problems) == (1, 1, [])
    assert decided.status is Status.RESULT_READY and decided.finished_at == clock.now
    [event] = decision_events(enrolled, dossier.uuid)
    assert (event["from"], event["to"], event["note"]) == ("received", "result_ready",
                                                           "Quyết định của cấp trên (UBND xã): Đã ký")
    assert enrolled.store.tables.count("audit") > audits
    # The desk's own change went up in the same run: the hub heard the desk applied it.
    assert report.pending == 0 and hub_events(hub) == desk_events(enrolled)

    again = sync_now(enrolled, connect=hub.connect)
    assert (again.pulled, again.updates_applied) == (0, 0)
    assert len(decision_events(enrolled, dossier.uuid)) == 1


def test_a_refusal_from_upstream_refuses_the_dossier(enrolled, hub):
    dossier = register(enrolled)
    apply(enrolled, dossier.code, Action.FORWARD)
    sync_now(enrolled, connect=hub.connect)
    hub.hub.decide(dossier.code, Status.REFUSED, note="Thiếu giấy tờ")
    sync_now(enrolled, connect=hub.connect)
    assert enrolled.dossier(dossier.code).status is Status.REFUSED
    assert decision_events(enrolled, dossier.uuid)[0]["from"] == "in_process"


def test_a_decision_that_no_longer_applies_is_a_visible_problem(enrolled, hub):
    dossier = register(enrolled)
    sync_now(enrolled, connect=hub.connect)
    # Upstream decides while the citizen withdraws at the counter, before either side hears of it.
    hub.hub.decide(dossier.code, Status.RESULT_READY)
    apply(enrolled, dossier.code, Action.WITHDRAW, note="Công dân xin rút")
    report = sync_now(enrolled, connect=hub.connect)
    assert enrolled.dossier(dossier.code).status is Status.WITHDRAWN
    assert report.updates_applied == 0 and len(report.problems) == 1
    assert "«Rút hồ sơ»" in report.problems[0] and "«Có kết quả»" in report.problems[0]
    [problem] = sync_status(enrolled).problems
    assert (problem.kind, problem.label) == ("dossier.decided", f"Hồ sơ {dossier.code}")
    assert "1 cập nhật không áp dụng được" in sync_status(enrolled).summary()
    # Pulled once, kept once: the next sync does not raise it again.
    assert sync_now(enrolled, connect=hub.connect).problems == []


def test_decisions_on_another_desks_dossiers_are_not_problems(enrolled, hub, tmp_path, clock):
    other = make_desk(tmp_path / "desk2.sqlite3", clock, desk_no=2)
    enroll(other, HUB_URL, hub.code(2), connect=hub.connect)
    dossier = register(enrolled)
    sync_now(enrolled, connect=hub.connect)
    hub.hub.decide(dossier.code, Status.RESULT_READY)
    report = sync_now(other, connect=hub.connect)
    assert (report.pulled, report.updates_applied, report.problems) == (1, 0, [])
    assert sync_status(other).problems == ()
    other.store.close()


def test_a_decision_on_an_own_dossier_the_desk_lacks_is_a_problem(enrolled):
    code = f"{UNIT}-261120-0007"  # issued by desk 1, but not in this database (an old backup)
    payload = ev.dossier_decided(uuid="9b0c0d1e-0000-4000-8000-000000000001", code=code, status=Status.RESULT_READY,
                                 decided_at=dt.datetime(2026, 11, 23, 10, 0, tzinfo=VN), by="hub")
    update = p.Update(5, ev.Kind.DOSSIER_DECIDED.value, UNIT, payload["uuid"], payload, ev.payload_hash(payload),
                      "2026-11-23T03:00:00+00:00")
    outcome = sync_updates.apply_update(enrolled, update, hub_epoch="e")
    assert outcome.outcome == "problem" and "quầy không có hồ sơ này" in outcome.reason
    assert sync_updates.apply_update(enrolled, update, hub_epoch="e").outcome == "seen"


def _bad_event(desk, dossier) -> None:
    """A change whose payload the hub cannot project (a status change without its new status)."""
    with desk.recorder.change(business_time=desk.clock()) as change:
        change.event(ev.Kind.DOSSIER_STATUS_CHANGED, dossier.uuid, {"uuid": dossier.uuid, "code": dossier.code})
        change.audit("test.bad_event", "dossier", dossier.code, {})


def test_a_rejected_event_is_kept_with_its_reason_and_the_rest_goes_on(enrolled, hub):
    bad = register(enrolled, "Trần Văn Bình")
    _bad_event(enrolled, bad)
    good = register(enrolled, "Lê Thị Cúc")
    report = sync_now(enrolled, connect=hub.connect)
    assert report.rejected == 1 and report.pending == 0
    assert enrolled.recorder.outbox.push_cursor().seq == max(s for (s,) in enrolled.store.db.execute(
        "SELECT seq FROM outbox"))
    [item] = sync_status(enrolled).rejected
    assert (item.label, item.dossier_code, item.code) == (f"Hồ sơ {bad.code}", bad.code, "bad_payload")
    assert item.reason.startswith("nội dung sự kiện thiếu thông tin bắt buộc")
    assert dossier_sync_marks(enrolled, [bad.uuid, good.uuid]) == {bad.uuid: "rejected", good.uuid: "synced"}
    assert f"1 bị từ chối: Hồ sơ {bad.code}" in sync_status(enrolled).summary()
    assert sync_status(enrolled).summary(details=False) == "Đã gửi hết · lần đồng bộ cuối 09:15 23/11/2026 · 1 bị từ chối"
    assert hub.hub.stats()["dossiers"] == 2
    # Final: never sent again, still shown.
    assert sync_now(enrolled, connect=hub.connect).sent == 0 and len(sync_status(enrolled).rejected) == 1


def test_held_events_are_sent_again_until_the_gap_is_filled(enrolled, hub):
    for i in range(6):
        register(enrolled, i)
    outbox = enrolled.recorder.outbox
    events = outbox.pending(100)
    key = SigningKey.from_text(sync_state.enrolment(enrolled.store).private_key)
    # An earlier attempt delivered only the tail of the outbox (the head was lost on the way).
    with hub.connect(HUB_URL) as client:
        result = client.push(build_batch(events[-3:], key, created_at=enrolled.clock()))
    from desk_app.services.sync import SyncReport, record_push

    record_push(enrolled, events[-3:], result, SyncReport(HUB_URL, ""))
    assert sync_status(enrolled).held == 3 and outbox.pending_count() == len(events)

    report = sync_now(enrolled, connect=hub.connect)
    assert (report.held, report.pending, sync_status(enrolled).held) == (0, 0, 0)
    assert hub_events(hub) == desk_events(enrolled) and hub.hub.stats()["held"] == 0


def test_events_the_hub_can_only_hold_stay_pending_and_sync_ends(enrolled, hub):
    register(enrolled)
    outbox = enrolled.recorder.outbox
    head = outbox.pending(2)
    # As if the hub had lost what it acknowledged (its database replaced): the rest waits for a gap.
    from desk_app.store.outbox import EventAnswer

    outbox.record_answers([EventAnswer(e.event_uuid, ev.Answer.APPLIED, enrolled.clock()) for e in head])
    report = sync_now(enrolled, connect=hub.connect)
    assert report.held == report.pending == outbox.pending_count() > 0 and report.batches == 1
    assert sync_status(enrolled).held == report.held


def test_resync_after_the_hub_epoch_changes_pulls_again_without_applying_twice(enrolled, hub, tmp_path, clock):
    dossier = register(enrolled)
    sync_now(enrolled, connect=hub.connect)
    hub.hub.decide(dossier.code, Status.RESULT_READY)
    sync_now(enrolled, connect=hub.connect)
    hub.close()
    with sqlite3.connect(tmp_path / "hub.sqlite3") as raw:  # the hub database restored: a new epoch
        raw.execute("UPDATE hub_meta SET value = 'epoch-after-restore' WHERE key = 'epoch'")
    hub2 = InProcessHub(hub.url, clock)
    try:
        report = sync_now(enrolled, connect=hub2.connect)
        assert report.resync and report.pulled == 1 and report.updates_applied == 0 and report.problems == []
        assert enrolled.recorder.outbox.pull_cursor().epoch == "epoch-after-restore"
        assert len(decision_events(enrolled, dossier.uuid)) == 1
    finally:
        hub2.close()


def test_a_large_clock_difference_is_warned_about(desk, tmp_path, clock):
    hub_clock = FakeClock(clock.now - dt.timedelta(minutes=12))
    hub = InProcessHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}", hub_clock)
    try:
        enroll(desk, HUB_URL, hub.code(), connect=hub.connect)
        report = sync_now(desk, connect=hub.connect)
        assert report.clock_skew_s == 720.0
        assert report.warnings == ["Đồng hồ máy tính nhanh hơn máy chủ khoảng 12 phút: hãy chỉnh lại giờ của máy "
                                   "tính (giờ trên giấy hẹn lấy từ đồng hồ này)."]
        status = sync_status(desk)
        assert status.clock_skew_s == 720.0 and status.clock_warning == report.warnings[0]
        with desk.store.transaction():
            desk.store.settings.put({SKEW_SETTING: 15})
        assert sync_now(desk, connect=hub.connect).warnings == [] and sync_status(desk).clock_warning is None
    finally:
        hub.close()


def test_a_published_catalogue_is_imported_once(enrolled, hub, clock):
    clock.now += dt.timedelta(minutes=1)  # the shipped catalogue's import keeps its earlier time
    procedure = enrolled.procedure("1.004837")
    from desk_app.domain.catalogue_io import procedure_to_dict

    changed = {**procedure_to_dict(procedure), "name": procedure.name + " (sửa đổi 2027)"}
    others = [procedure_to_dict(x) for x in enrolled.store.catalogue.procedures() if x.code != procedure.code][:3]
    hub.hub.publish(ev.Kind.CATALOGUE_UPDATED, "2027.1", {"source": "Quyết định 1/2027", "procedures": [changed,
                                                                                                       *others]})
    report = sync_now(enrolled, connect=hub.connect)
    assert report.updates_applied == 1 and enrolled.procedure("1.004837").name.endswith("(sửa đổi 2027)")
    assert enrolled.store.catalogue.version() == "2027.1"
    imported = enrolled.store.db.execute("SELECT count(*) FROM outbox WHERE kind = 'catalogue.imported'").fetchone()
    # Published again (the same version): nothing flows down twice; a re-pull changes nothing.
    hub.hub.publish(ev.Kind.CATALOGUE_UPDATED, "2027.1", {"source": "Quyết định 1/2027", "procedures": [changed,
                                                                                                       *others]})
    with enrolled.store.transaction():
        enrolled.recorder.outbox.set_pull_cursor(hub_epoch=hub.hub.epoch, hub_seq=0, at=enrolled.clock())
    again = sync_now(enrolled, connect=hub.connect)
    assert (again.pulled, again.updates_applied) == (1, 0)
    assert enrolled.store.db.execute("SELECT count(*) FROM outbox WHERE kind = 'catalogue.imported'").fetchone() \
        == imported


def test_a_published_calendar_replaces_its_years(enrolled, hub):
    days = [{"date": "2028-01-01", "name": "Tết Dương lịch", "kind": "holiday", "provisional": False},
            {"date": "2028-01-03", "name": "Nghỉ bù Tết Dương lịch", "kind": "compensatory", "provisional": False}]
    hub.hub.publish(ev.Kind.CALENDAR_UPDATED, "2028-a", {"years": [2028], "days": days})
    report = sync_now(enrolled, connect=hub.connect)
    assert report.updates_applied == 1
    assert [(e.date.isoformat(), e.kind.value) for e in enrolled.calendar_year(2028)] == [
        ("2028-01-01", "holiday"), ("2028-01-03", "compensatory")]
    hub.hub.publish(ev.Kind.CALENDAR_UPDATED, "2028-b", {"years": [2028], "days": days})  # same days, new label
    assert sync_now(enrolled, connect=hub.connect).updates_unchanged == 1


def test_a_malformed_update_is_a_problem_and_the_next_one_applies(enrolled, hub):
    hub.hub.publish(ev.Kind.CALENDAR_UPDATED, "hỏng", {"years": [2029], "days": [{"date": "2029-13-01"}]})
    hub.hub.publish(ev.Kind.CALENDAR_UPDATED, "2029", {"years": [2029], "days": [
        {"date": "2029-01-01", "name": "Tết Dương lịch", "kind": "holiday", "provisional": False}]})
    report = sync_now(enrolled, connect=hub.connect)
    assert report.updates_applied == 1 and len(report.problems) == 1
    assert report.problems == ["Lịch nghỉ hỏng: nội dung cập nhật không hợp lệ, không áp dụng"]
    assert [e.date.isoformat() for e in enrolled.calendar_year(2029)] == ["2029-01-01"]


def test_failures_are_recorded_and_raised_in_vietnamese(enrolled, hub):
    register(enrolled)
    sync_now(enrolled, connect=hub.connect)
    success = sync_status(enrolled).last_success
    register(enrolled, "Phạm Văn Dũng")
    hub.down = True
    with pytest.raises(SyncFailed) as failed:
        sync_now(enrolled, connect=hub.connect)
    assert failed.value.code == "hub_unreachable" and failed.value.retry and failed.value.environment
    assert failed.value.message.startswith("Chưa đồng bộ được: không kết nối được máy chủ")
    status = sync_status(enrolled)
    assert (status.last_success, status.pending) == (success, 1) and status.last_error == failed.value.message
    hub.down = False
    hub.hub.revoke(f"{UNIT}#1")
    with pytest.raises(SyncFailed) as refused:
        sync_now(enrolled, connect=hub.connect)
    assert (refused.value.code, refused.value.retry) == ("revoked_desk", False)
    assert "thu hồi" in refused.value.message


def test_not_enrolled_and_busy(desk, enrolled, hub):
    from desk_app.store.store import Store
    from desk_app.services.desk import Desk

    fresh = Desk(Store.open(":memory:"), clock=desk.clock)
    fresh.initialise(commune="Xã A", authority="UBND xã A", unit_code=UNIT, desk_no=3)
    with pytest.raises(SyncFailed) as missing:
        sync_now(fresh, connect=hub.connect)
    assert missing.value.code == "not_enrolled" and not missing.value.environment
    assert not sync_status(fresh).enrolled and sync_status(fresh).summary() == "Quầy chưa ghi danh với máy chủ đồng bộ"

    now = enrolled.device_clock()
    assert sync_state.take_lease(enrolled.store, "window", now=now, until=now + dt.timedelta(minutes=2))
    assert sync_status(enrolled).running
    with pytest.raises(SyncFailed) as busy:
        sync_now(enrolled, connect=hub.connect, wait=0)
    assert (busy.value.code, busy.value.retry) == ("sync_busy", True)
    sync_state.release_lease(enrolled.store, "window")
    sync_now(enrolled, connect=hub.connect, wait=0)
    assert not sync_status(enrolled).running


def test_enrolment_keeps_the_key_and_sends_no_secret(desk, hub):
    with pytest.raises(SyncFailed) as bad_url:
        enroll(desk, "hub.example", "X", connect=hub.connect)
    assert bad_url.value.code == "bad_hub_url"
    code = hub.code()
    found = enroll(desk, HUB_URL + "/", code, connect=hub.connect)
    assert (found.hub_url, found.unit_code, found.desk_no, found.hub_public_key) == (
        HUB_URL, UNIT, 1, hub.hub.public_key)
    assert SigningKey.from_text(found.private_key).public_text == found.public_key
    assert found.private_key not in repr(found)
    kind, payload = desk.store.db.execute("SELECT kind, payload FROM outbox ORDER BY id DESC LIMIT 1").fetchone()
    assert kind == "settings.changed" and found.private_key not in payload and found.public_key in payload
    with pytest.raises(SyncFailed) as used:
        enroll(desk, HUB_URL, code, connect=hub.connect)
    assert used.value.code == "enrolment_code_used" and "mã ghi danh đã được dùng" in used.value.message
    assert sync_state.enrolment(desk.store) == found


def test_a_desk_enrolled_under_another_number_is_warned(desk, hub):
    enroll(desk, HUB_URL, hub.code(desk_no=2), connect=hub.connect)
    assert sync_status(desk).warnings[0].startswith("Máy chủ ghi danh máy này là quầy 2")


def test_take_updates_never_moves_the_cursor_back(enrolled, hub):
    sync_now(enrolled, connect=hub.connect)
    outbox = enrolled.recorder.outbox
    with enrolled.store.transaction():
        outbox.set_pull_cursor(hub_epoch=hub.hub.epoch, hub_seq=9, at=enrolled.clock())
    take_updates(enrolled, p.HubPackage("d", UNIT, hub.hub.epoch, "now", last_hub_seq=4))
    assert outbox.pull_cursor().seq == 9
    take_updates(enrolled, p.HubPackage("d", UNIT, "another-epoch", "now", last_hub_seq=4))
    assert (outbox.pull_cursor().epoch, outbox.pull_cursor().seq) == ("another-epoch", 4)


@pytest.mark.parametrize("with_lease", [True, False])
def test_two_programs_syncing_one_database_at_once_apply_nothing_twice(enrolled, hub, clock, tmp_path, monkeypatch,
                                                                      with_lease):
    """The window's runner and `desk-app sync now` on one file: the lease makes them take turns;
    without it (forced off here) the hub's duplicates and the desk's answers keep it harmless."""
    import threading

    from desk_app.services.desk import Desk
    from desk_app.store.store import Store

    if not with_lease:
        monkeypatch.setattr(sync_state, "take_lease", lambda *a, **k: True)
    dossiers = [register(enrolled, i) for i in range(12)]
    sync_now(enrolled, connect=hub.connect)
    for d in dossiers[:6]:
        hub.hub.decide(d.code, Status.RESULT_READY)
    dossiers += [register(enrolled, i) for i in range(12, 30)]
    desks = [Desk(Store.open(enrolled.store.path), clock=clock, device_clock=clock, actor=f"p{i}") for i in range(2)]
    errors, reports = [], []

    def run(desk):
        try:
            reports.append(sync_now(desk, connect=hub.connect, batch_size=4))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(d,)) for d in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for d in desks:
        d.store.close()
    assert errors == []
    assert sum(r.updates_applied for r in reports) == 6  # each decision applied by one program only
    sync_now(enrolled, connect=hub.connect)
    assert hub_events(hub) == desk_events(enrolled) and enrolled.recorder.outbox.pending_count() == 0
    assert hub.hub.stats()["dossiers"] == 30
    for d in dossiers[:6]:
        assert enrolled.dossier(d.code).status is Status.RESULT_READY
        assert len(decision_events(enrolled, d.uuid)) == 1


def test_updates_come_in_packages_until_the_hub_has_no_more(enrolled, hub):
    dossiers = [register(enrolled, i) for i in range(5)]
    sync_now(enrolled, connect=hub.connect)
    for d in dossiers:
        hub.hub.decide(d.code, Status.REFUSED)
    phases = []
    report = sync_now(enrolled, phases.append, connect=hub.connect, batch_size=2)
    assert (report.pulled, report.updates_applied) == (5, 5)
    assert [x.done for x in phases if x.phase == "pull"] == [0, 2, 4, 5]
    assert all(enrolled.dossier(d.code).status is Status.REFUSED for d in dossiers)
