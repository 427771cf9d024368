"""The recorder: a change commits with exactly one outbox event and one audit entry, or not at all."""

import datetime as dt

import pytest

from desk_app.domain import events
from desk_app.domain.lifecycle import Action
from desk_app.services import lifecycle
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.recorder import IncompleteChange

VN = dt.timezone(dt.timedelta(hours=7))


def totals(store):
    return {t: store.tables.count(t) for t in ("outbox", "audit")} | {
        "printer": store.settings.get("printer"),
        "last_seq": store.db.execute("SELECT max(last_seq) FROM sync_epochs").fetchone()[0],
    }


def printer_change(desk, *, event=True, audit=True, fail=False):
    with desk.recorder.change(business_time=desk.clock()) as change:
        desk.store.settings.put({"printer": "Quầy 1"})
        if event:
            change.event(events.Kind.SETTINGS_CHANGED, desk.desk_uuid(), events.settings_changed({"printer": "Quầy 1"}))
        if fail:
            raise OSError("disk pulled out")
        if audit:
            change.audit("desk.set_printer", "desk", "printer", {"printer": "Quầy 1"})


def test_a_change_writes_its_rows_event_and_audit_together(desk):
    before = totals(desk.store)
    printer_change(desk)
    after = totals(desk.store)
    assert (after["outbox"], after["audit"], after["printer"]) == (before["outbox"] + 1, before["audit"] + 1, "Quầy 1")
    assert after["last_seq"] == before["last_seq"] + 1


@pytest.mark.parametrize("broken", [dict(fail=True), dict(event=False), dict(audit=False)])
def test_a_failing_or_incomplete_change_writes_neither_rows_nor_event_nor_audit(desk, broken):
    before = totals(desk.store)
    with pytest.raises((OSError, IncompleteChange)):
        printer_change(desk, **broken)
    # The settings row, the event, the audit entry and the sequence number all rolled back together.
    assert totals(desk.store) == before


def test_a_change_has_one_event(desk):
    before = totals(desk.store)
    with pytest.raises(IncompleteChange):
        with desk.recorder.change(business_time=desk.clock()) as change:
            for _ in range(2):
                change.event(events.Kind.SETTINGS_CHANGED, desk.desk_uuid(), events.settings_changed({}))
    assert totals(desk.store) == before


def test_an_audit_failure_inside_a_service_rolls_the_dossier_back(desk, monkeypatch):
    before = totals(desk.store) | {"dossiers": desk.store.dossiers.count()}

    def broken(**kwargs):
        raise OSError("disk pulled out")

    monkeypatch.setattr(desk.store.audit, "add", broken)
    with pytest.raises(OSError):
        receive(desk, ReceptionRequest(procedure_code="2.000815", name="Nguyễn Văn An", pages=3, copies=2))
    assert totals(desk.store) | {"dossiers": desk.store.dossiers.count()} == before


def test_back_dated_step_keeps_business_time_and_device_time_apart(desk, clock):
    code = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Nguyễn Văn An")).dossier.code
    clock.now = dt.datetime(2026, 11, 24, 16, 30, tzinfo=VN)  # the officer records it the next afternoon
    handed_over = dt.datetime(2026, 11, 23, 10, 0, tzinfo=VN)  # --at: when it really went
    change = lifecycle.apply(desk, code, Action.FORWARD, at=handed_over)
    event = desk.recorder.outbox.pending()[-1]
    assert (event.seq, event.kind) == (change.event_seq, "dossier.status_changed")
    assert event.business_time == "2026-11-23T10:00:00+07:00"
    assert event.device_time == "2026-11-24T16:30:00+07:00"
    assert event.payload["at"] == event.business_time
    # The audit entry is stamped when the officer acted, and keeps the business time beside it.
    at, detail = desk.store.db.execute("SELECT at, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert at == event.device_time and '"business_time": "2026-11-23T10:00:00+07:00"' in detail
    # The dossier's last change time is its own column, in business time.
    assert desk.dossier(code).last_change_at == handed_over


def test_device_time_is_the_wall_clock_not_the_desks_business_clock(store, clock):
    from desk_app.services.desk import Desk

    wall = dt.datetime(2026, 11, 23, 9, 15, 42, tzinfo=VN)
    desk = Desk(store, clock=clock, actor="tester", device_clock=lambda: wall)
    clock.now = dt.datetime(2025, 6, 2, 8, 0, tzinfo=VN)  # a simulated business clock (the demo has one)
    desk.initialise(commune="Xã Tân Phú", authority="UBND xã Tân Phú", unit_code="000.21.33.H49", desk_no=1)
    first = desk.recorder.outbox.pending()[0]
    assert (first.business_time, first.device_time) == ("2025-06-02T08:00:00+07:00", "2026-11-23T09:15:42+07:00")
