"""The hub accepts a desk's scan.attached events (hash, page count, paper: never the image) and
counts them; a payload that carries more, or a bad hash, is rejected."""

from __future__ import annotations

import datetime as dt

from desk_app.domain import events as ev
from desk_app.domain.scans import MediaType, Scan
from tests.hub.conftest import enroll_via, statuses, table_counts


def _scan_event(desk, received, **changes):
    scan = Scan("X", 1, "Tờ khai", "ab" * 32, MediaType.PNG, 2, 1234, "cccd.png", desk.at, "binh")
    payload = {**ev.scan_attached(scan, dossier_uuid=received.entity_id), **changes}
    return desk.event(ev.Kind.SCAN_ATTACHED, received.entity_id, payload)


def test_scan_events_are_applied_and_counted(app, client, api_hub, make_desk):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    received = desk.received()
    good = _scan_event(desk, received)
    with_image = _scan_event(desk, received, image="iVBORw0KGgo=")
    bad_hash = _scan_event(desk, received, sha256="not-a-hash")
    no_pages = _scan_event(desk, received, pages=0)
    answers = client.push(desk.batch([received, good, with_image, bad_hash, no_pages])).answers
    assert [(a.status.value, a.code.value if a.code else None) for a in answers] == [
        ("applied", None), ("applied", None), ("rejected", "bad_payload"), ("rejected", "bad_payload"),
        ("rejected", "bad_payload")]
    assert all("bản quét" in a.reason for a in answers[2:])
    stats = app.get("/v1/stats").json()
    assert stats["scans"] == 1 and stats["events"] == 2
    assert table_counts(api_hub)["dossiers"] == 1
    assert statuses(client.push(desk.batch([good]))) == ["duplicate"]


def test_the_payload_is_hash_pages_and_paper_only():
    scan = Scan("C", 2, "Giấy", "cd" * 32, MediaType.PDF, 3, 99, "x.pdf",
                dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), "an")
    payload = ev.scan_attached(scan, dossier_uuid="u")
    assert payload == {"uuid": "u", "code": "C", "paper": 2, "sha256": "cd" * 32, "media_type": "application/pdf",
                       "pages": 3, "size": 99, "attached_at": "2026-11-27T09:00:00+07:00"}
