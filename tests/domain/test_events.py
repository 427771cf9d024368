"""The sync contract's byte form is pinned: changing it silently would split desks from the hub."""

import datetime as dt

import pytest

from desk_app.domain import events
from desk_app.domain.dossier import Status

ZONE = dt.timezone(dt.timedelta(hours=7))


def test_canonical_json_is_sorted_compact_utf8():
    assert events.canonical_json({"b": 1, "a": "Đặng Thị Hoà"}) == '{"a":"Đặng Thị Hoà","b":1}'.encode()


def test_event_hash_is_pinned():
    event = events.make_event(
        event_uuid="00000000-0000-4000-8000-000000000001", desk_uuid="d", epoch="e", seq=1,
        unit_code="000.21.33.H49", kind=events.Kind.DOSSIER_STATUS_CHANGED, entity_id="u",
        business_time=dt.datetime(2026, 11, 27, 9, 15, tzinfo=ZONE),
        device_time=dt.datetime(2026, 11, 27, 9, 16, tzinfo=ZONE),
        payload=events.dossier_status_changed(
            uuid="u", code="C", before=Status.RECEIVED, after=Status.IN_PROCESS,
            at=dt.datetime(2026, 11, 27, 9, 15, tzinfo=ZONE)),
    )
    assert events.canonical_json(event.payload) == (
        b'{"at":"2026-11-27T09:15:00+07:00","code":"C","from":"received","to":"in_process","uuid":"u"}')
    assert event.payload_hash == events.sha256_hex(events.canonical_json(event.payload))
    assert event.hash_ok()
    assert events.Event.from_dict(event.to_dict()) == event
    assert event.entity == "dossier" and event.schema == events.SCHEMA_VERSION


def test_naive_times_and_non_decisions_are_refused():
    with pytest.raises(ValueError):
        events.iso(dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        events.dossier_decided(uuid="u", code="C", status=Status.WITHDRAWN,
                               decided_at=dt.datetime(2026, 1, 1, tzinfo=ZONE), by="x")
