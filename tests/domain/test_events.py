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


def test_answers_final_or_not():
    assert {a for a in events.Answer if a.is_final} == {
        events.Answer.APPLIED, events.Answer.DUPLICATE, events.Answer.REJECTED}


def test_guidance_payload_names_the_slip_by_uuid_and_carries_no_phone_or_address():
    from desk_app.domain.catalogue import DocForm
    from desk_app.domain.dossier import ReceivedDocument
    from desk_app.domain.guidance import SupplementGuidance

    slip = SupplementGuidance(
        number="HD-2026-Q1-0001", procedure_code="1.001193", procedure_name="Đăng ký khai sinh",
        applicant_name="Trần Văn Bình", documents=(ReceivedDocument("Giấy chứng sinh", DocForm.ORIGINAL),),
        officer="tester", issued_at=dt.datetime(2026, 11, 23, 9, 15, tzinfo=ZONE), phone="0912345678",
        address="Thôn Đông", uuid="00000000-0000-4000-8000-000000000009")
    payload = events.guidance_issued(slip, 1)
    assert (payload["uuid"], payload["number"], payload["desk"]) == (slip.uuid, slip.number, 1)
    assert b"0912345678" not in events.canonical_json(payload) and b"Th\xc3\xb4n" not in events.canonical_json(payload)


def test_catalogue_digest_follows_the_procedures_not_their_order_or_label():
    from desk_app.domain.catalogue import Catalogue, Procedure

    def proc(code, name):
        return Procedure(code=code, name=name, field="", time=None, same_day=False, fees=(), documents=())

    a, b = proc("1", "Một"), proc("2", "Hai")
    one = events.catalogue_imported(Catalogue("v1", (a, b), source="x"))
    assert one["digest"] == events.catalogue_imported(Catalogue("v2", (b, a)))["digest"]
    assert one["digest"] != events.catalogue_imported(Catalogue("v1", (a, proc("2", "Ba"))))["digest"]
    assert (one["version"], one["procedure_count"], one["source"]) == ("v1", 2, "x")


def test_calendar_and_settings_payloads_are_plain_json():
    from desk_app.domain.holidays import DayEntry, DayKind

    day = DayEntry(dt.date(2027, 1, 1), "Tết Dương lịch", DayKind.HOLIDAY)
    assert events.canonical_json(events.calendar_imported({2027: [day]}, "holidays-2027.csv")) == (
        '{"source":"holidays-2027.csv","years":{"2027":[{"date":"2027-01-01","kind":"holiday",'
        '"name":"Tết Dương lịch","provisional":false}]}}').encode()
    assert events.settings_changed({"printer": None}) == {"settings": {"printer": None}}
