"""The hub's contract, through HTTP (FastAPI's TestClient and the real client), on both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from desk_app.domain import events as ev
from desk_app.domain.dossier import Status
from desk_app.sync import protocol as p
from desk_app.sync.client import HubProtocolError, HubRefused
from tests.hub.conftest import OTHER_UNIT, UNIT, enroll_via, statuses, table_counts


# Enrolment -------------------------------------------------------------------------------------


def test_enrolment_gives_identity_and_hub_key_and_code_works_once(client, api_hub, make_desk):
    desk = make_desk(desk_no=2)
    issued = api_hub.issue_code(UNIT, 2)
    enrollment = client.enroll(issued.code, desk_uuid=desk.desk_uuid, public_key=desk.key.public_text,
                               facts={"unit_code": UNIT})
    assert (enrollment.unit_code, enrollment.desk_no) == (UNIT, 2)
    assert enrollment.hub_public_key == api_hub.public_key and enrollment.hub_epoch == api_hub.epoch
    assert enrollment.hub_time

    other = make_desk(desk_no=3)
    with pytest.raises(HubRefused) as refused:
        client.enroll(issued.code, desk_uuid=other.desk_uuid, public_key=other.key.public_text, facts={})
    assert refused.value.code == "enrolment_code_used" and refused.value.status == 403
    assert "một lần" in refused.value.message


def test_enrolment_refuses_wrong_expired_and_foreign_codes(client, api_hub, hub_clock, make_desk):
    desk = make_desk()
    with pytest.raises(HubRefused) as wrong:
        client.enroll("AAAAA-BBBBB", desk_uuid=desk.desk_uuid, public_key=desk.key.public_text, facts={})
    assert wrong.value.code == "enrolment_code_invalid"

    foreign = api_hub.issue_code(OTHER_UNIT, 1)
    with pytest.raises(HubRefused) as mismatch:
        client.enroll(foreign.code, desk_uuid=desk.desk_uuid, public_key=desk.key.public_text,
                      facts={"unit_code": UNIT})
    assert mismatch.value.code == "enrolment_unit_mismatch"

    issued = api_hub.issue_code(UNIT, 1, valid_for=dt.timedelta(hours=1))
    hub_clock.now += dt.timedelta(hours=2)
    with pytest.raises(HubRefused) as expired:
        client.enroll(issued.code, desk_uuid=desk.desk_uuid, public_key=desk.key.public_text, facts={})
    assert expired.value.code == "enrolment_code_expired"
    assert api_hub.stats()["desks"] == []


def test_every_reply_carries_the_hub_time(app):
    ok = app.get("/v1/stats")
    refused = app.post("/v1/push", content=b"x")
    assert ok.headers["X-Hub-Time"].startswith("2026-11-27T02:00")
    assert refused.status_code == 400 and refused.headers["X-Hub-Time"]
    assert refused.json()["error"] == "malformed" and refused.json()["hub_time"]


# Push: signatures and trust --------------------------------------------------------------------


def test_push_applies_and_a_resent_batch_applies_nothing(client, api_hub, make_desk):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    batch = desk.batch([desk.received() for _ in range(5)])
    first = client.push(batch)
    assert statuses(first) == ["applied"] * 5 and first.hub_time
    before = table_counts(api_hub)
    again = client.push(batch)
    assert statuses(again) == ["duplicate"] * 5
    assert table_counts(api_hub) == before == {**before, "events": 5, "dossiers": 5}


def _tamper_body(batch: p.Envelope) -> p.Envelope:
    lines = p.gunzip_bytes(batch.body).replace("Chứng thực".encode(), "Chứng thựC".encode())
    return p.Envelope(batch.header, batch.signature, p.gzip_bytes(lines))


def test_tampered_batches_and_foreign_keys_are_refused_whole(client, api_hub, make_desk):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    batch = desk.batch([desk.received(), desk.received()])

    cases = {
        "body": (_tamper_body(batch), "body_mismatch", 400),
        "header": (p.Envelope({**batch.header, "count": 1}, batch.signature, batch.body), "bad_signature", 401),
        "key": (desk.batch([desk.received()], key=p.SigningKey.generate()), "bad_signature", 401),
    }
    for name, (envelope, code, status) in cases.items():
        with pytest.raises(HubRefused) as refused:
            client.push(envelope)
        assert (refused.value.code, refused.value.status) == (code, status), name
    stranger = make_desk()
    with pytest.raises(HubRefused) as unknown:
        client.push(stranger.batch([stranger.received()]))
    assert unknown.value.code == "unknown_desk"
    assert table_counts(api_hub)["events"] == 0

    api_hub.revoke(f"{UNIT}#1")
    with pytest.raises(HubRefused) as revoked:
        client.push(batch)
    assert (revoked.value.code, revoked.value.status) == ("revoked_desk", 403)
    assert "thu hồi" in revoked.value.message
    assert table_counts(api_hub)["events"] == 0


# Push: per-event rules -------------------------------------------------------------------------


def test_conflicting_resend_is_rejected_loudly_and_kept(client, api_hub, make_desk, caplog):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    original = desk.received()
    client.push(desk.batch([original]))

    changed_payload = {**original.payload, "procedure_code": "1.004222"}
    forged = ev.Event(**{**original.to_dict(), "payload": changed_payload,
                         "payload_hash": ev.payload_hash(changed_payload)})
    same_seq = desk.received()
    same_seq = ev.Event(**{**same_seq.to_dict(), "seq": original.seq})
    with caplog.at_level("WARNING"):
        results = [client.push(desk.batch([forged])), client.push(desk.batch([same_seq]))]
    for result in results:
        (answer,) = result.answers
        assert answer.status is p.AnswerStatus.REJECTED and answer.code is p.RejectCode.CONFLICT
        assert "xung đột" in answer.reason
    assert "sync conflict" in caplog.text
    counts = table_counts(api_hub)
    assert counts["rejections"] == 2 and counts["events"] == 1
    assert api_hub.stats()["rejected"] == 2


def test_gap_is_held_then_released_when_filled(client, api_hub, make_desk):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    one, two, three, four = (desk.received() for _ in range(4))
    assert statuses(client.push(desk.batch([one]))) == ["applied"]
    assert statuses(client.push(desk.batch([three, four]))) == ["held", "held"]
    stats = api_hub.stats()
    assert stats["held"] == 2 and stats["desks"][0]["held"] == 2 and stats["events"] == 1
    # The desk re-sends from its cursor (two was never acknowledged): everything lands in order.
    assert statuses(client.push(desk.batch([two, three, four]))) == ["applied"] * 3
    assert table_counts(api_hub)["held_events"] == 0 and table_counts(api_hub)["events"] == 4


def test_held_events_are_released_by_the_missing_one_alone(client, api_hub, make_desk):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    one, two, three = (desk.received() for _ in range(3))
    client.push(desk.batch([two, three]))
    assert statuses(client.push(desk.batch([one]))) == ["applied"]
    assert table_counts(api_hub)["events"] == 3 and table_counts(api_hub)["dossiers"] == 3
    assert statuses(client.push(desk.batch([two, three]))) == ["duplicate", "duplicate"]


def test_other_commune_unknown_schema_and_hub_kinds_are_rejected(client, api_hub, make_desk):
    ours, theirs = make_desk(), make_desk(unit_code=OTHER_UNIT)
    enroll_via(client, api_hub, ours)
    enroll_via(client, api_hub, theirs)
    their_dossier = theirs.received()
    client.push(theirs.batch([their_dossier]))

    foreign_unit = ours.received(unit_code=OTHER_UNIT)
    hijack = ours.received(dossier_uuid=their_dossier.entity_id)  # our commune's label, their dossier
    future = ours.received()
    future = ev.Event(**{**future.to_dict(), "schema": ev.SCHEMA_VERSION + 1})
    decided = ours.event(ev.Kind.DOSSIER_DECIDED, "x", {"uuid": "x"})
    fine = ours.received()
    answers = client.push(ours.batch([foreign_unit, hijack, future, decided, fine])).answers
    assert [(a.status.value, a.code.value if a.code else None) for a in answers] == [
        ("rejected", "other_commune"), ("rejected", "other_commune"), ("rejected", "unknown_schema"),
        ("rejected", "unknown_kind"), ("applied", None)]
    assert all(a.reason for a in answers[:4])
    # Rejections use up their seq: the stream goes on, and a re-send gets the same answers.
    again = client.push(ours.batch([foreign_unit, hijack, future, decided, fine])).answers
    assert [a.status.value for a in again] == ["rejected"] * 4 + ["duplicate"]
    assert table_counts(api_hub)["rejections"] == 4


def test_same_event_twice_in_one_batch_is_applied_once(client, api_hub, make_desk):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    event = desk.received()
    batch = p.build_batch([event, desk.received()], desk.key, created_at=desk.at)
    lines = p.gunzip_bytes(batch.body).splitlines()
    doubled = p.gzip_bytes(b"\n".join([lines[0], lines[0], lines[1]]) + b"\n")
    header = {k: v for k, v in batch.header.items() if k not in ("protocol", "kind", "body_sha256")}
    envelope = p.seal(p.PackageKind.BATCH, {**header, "count": 3}, doubled, desk.key)
    assert statuses(client.push(envelope)) == ["applied", "applied", "applied"]
    assert table_counts(api_hub)["events"] == 2


def test_a_new_epoch_starts_where_the_desk_says(client, api_hub, make_desk):
    """After a restore the desk opens a new epoch; its seq goes on from the backup's. The hub
    must neither hold it forever nor mix it with the old epoch's events."""
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    client.push(desk.batch([desk.received() for _ in range(3)]))
    desk.epoch, desk.seq = "epoch-2", 2  # restored from a backup taken after seq 2
    events = [desk.received(), desk.received()]
    envelope = p.build_batch(events, desk.key, created_at=desk.at, epoch_first_seq=3)
    assert statuses(client.push(envelope)) == ["applied", "applied"]
    assert table_counts(api_hub)["events"] == 5


# Pull ------------------------------------------------------------------------------------------


def _pull(client, api_hub, desk, after=0, epoch=None, limit=100):
    return client.pull(key=desk.key, desk_uuid=desk.desk_uuid, after_seq=after, hub_epoch=epoch,
                       hub_public_key=api_hub.public_key, at=desk.at.isoformat(), limit=limit)


def test_decision_flows_down_to_its_commune_only(client, api_hub, make_desk):
    ours, theirs = make_desk(), make_desk(unit_code=OTHER_UNIT)
    enroll_via(client, api_hub, ours)
    enroll_via(client, api_hub, theirs)
    dossier = ours.received()
    client.push(ours.batch([dossier, ours.status_changed(dossier, "in_process")]))

    update = api_hub.decide(dossier.payload["code"], Status.RESULT_READY, note="Đã ký", by="UBND")
    pulled = _pull(client, api_hub, ours)
    assert [u.hub_seq for u in pulled.updates] == [update.hub_seq]
    (got,) = pulled.updates
    assert got.kind == "dossier.decided" and got.payload["status"] == "result_ready"
    assert got.payload["note"] == "Đã ký" and got.payload["uuid"] == dossier.entity_id
    assert pulled.hub_epoch == api_hub.epoch and not pulled.resync_required
    assert pulled.package.streams == (p.StreamAck("epoch-1", 2),)
    assert _pull(client, api_hub, theirs).updates == ()
    assert _pull(client, api_hub, ours, after=pulled.package.last_hub_seq, epoch=api_hub.epoch).updates == ()
    assert api_hub.stats()["communes"][0]["done"] == 1


def test_decide_refuses_unknown_and_finished_dossiers(client, api_hub, make_desk):
    from desk_app.hub.service import HubError

    desk = make_desk()
    enroll_via(client, api_hub, desk)
    dossier = desk.received()
    client.push(desk.batch([dossier]))
    with pytest.raises(HubError, match="chưa có hồ sơ"):
        api_hub.decide("000.21.33.H49-261127-9999", Status.REFUSED)
    api_hub.decide(dossier.payload["code"], Status.REFUSED, note="Không đủ điều kiện")
    with pytest.raises(HubError, match="Từ chối"):
        api_hub.decide(dossier.payload["code"], Status.RESULT_READY)
    assert table_counts(api_hub)["change_log"] == 1


def test_decide_many_records_all_in_order_or_none(client, api_hub, make_desk):
    from desk_app.hub.service import HubError

    desk = make_desk()
    enroll_via(client, api_hub, desk)
    dossiers = [desk.received() for _ in range(3)]
    client.push(desk.batch(dossiers))
    codes = [d.payload["code"] for d in dossiers]
    with pytest.raises(HubError, match="chưa có hồ sơ"):
        api_hub.decide_many([*codes, "000.21.33.H49-261127-9999"], Status.RESULT_READY)
    assert table_counts(api_hub)["change_log"] == 0  # one unknown code: nothing recorded
    updates = api_hub.decide_many(codes, Status.RESULT_READY, note="Đã ký")
    assert [u.payload["code"] for u in updates] == codes
    assert [u.hub_seq for u in updates] == sorted(u.hub_seq for u in updates)
    assert [u.hub_seq for u in _pull(client, api_hub, desk).updates] == [u.hub_seq for u in updates]
    assert api_hub.stats()["communes"][0]["done"] == 3


def test_a_dossier_received_again_keeps_its_first_projection(client, api_hub, make_desk):
    """A second reception of one dossier (another event), in the same batch or a later one, is
    applied as an event and leaves the dossier's row as the first one made it."""
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    first = desk.received()
    again = desk.received(dossier_uuid=first.entity_id)
    third = desk.received(dossier_uuid=first.entity_id)
    assert statuses(client.push(desk.batch([first, again]))) == ["applied", "applied"]
    assert statuses(client.push(desk.batch([third]))) == ["applied"]
    assert table_counts(api_hub)["events"] == 3 and table_counts(api_hub)["dossiers"] == 1
    row = api_hub.db.run(lambda tx: tx.query("SELECT code FROM dossiers"), write=False)
    assert [r[0] for r in row] == [first.payload["code"]]


def test_pull_with_another_epoch_or_a_cursor_past_the_end_requires_resync(client, api_hub, make_desk):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    api_hub.publish(ev.Kind.CALENDAR_UPDATED, "2027", {"days": []})
    assert _pull(client, api_hub, desk, after=0, epoch="an-old-hub").resync_required
    assert _pull(client, api_hub, desk, after=99, epoch=api_hub.epoch).resync_required
    fresh = _pull(client, api_hub, desk, after=0, epoch=api_hub.epoch)
    assert not fresh.resync_required and [u.kind for u in fresh.updates] == ["calendar.updated"]


def test_pull_pages_with_has_more_and_publishing_twice_changes_nothing(client, api_hub, make_desk):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    for year in ("2026", "2027", "2028"):
        api_hub.publish(ev.Kind.CALENDAR_UPDATED, year, {"days": []})
    _, new = api_hub.publish(ev.Kind.CALENDAR_UPDATED, "2028", {"days": []})
    assert not new
    page = _pull(client, api_hub, desk, limit=2)
    assert page.package.has_more and [u.hub_seq for u in page.updates] == [1, 2]
    rest = _pull(client, api_hub, desk, after=page.package.last_hub_seq, limit=2)
    assert not rest.package.has_more and [u.hub_seq for u in rest.updates] == [3]


def test_pull_is_refused_to_strangers_and_bad_signatures(client, api_hub, make_desk):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    impostor = make_desk()
    impostor.desk_uuid = desk.desk_uuid  # claims the desk's id, signs with its own key
    with pytest.raises(HubRefused) as refused:
        _pull(client, api_hub, impostor)
    assert refused.value.code == "bad_signature"
    with pytest.raises(HubProtocolError):  # a package not signed by the hub the desk enrolled with
        client.pull(key=desk.key, desk_uuid=desk.desk_uuid, after_seq=0, hub_epoch=None,
                    hub_public_key=p.SigningKey.generate().public_text, at="x")


# USB files -------------------------------------------------------------------------------------


def test_usb_import_twice_changes_nothing_and_export_acknowledges(api_hub, make_desk):
    desk = make_desk()
    desk.enroll_on(api_hub)
    events = [desk.received() for _ in range(3)]
    file_bytes = desk.batch(events).to_file()
    assert statuses(api_hub.push(p.Envelope.from_file(file_bytes))) == ["applied"] * 3
    before = table_counts(api_hub)
    assert statuses(api_hub.push(p.Envelope.from_file(file_bytes))) == ["duplicate"] * 3
    assert table_counts(api_hub) == before

    api_hub.decide(events[0].payload["code"], Status.RESULT_READY)
    package = p.HubPackage.open(p.Envelope.from_file(api_hub.export(f"{UNIT}#1").to_file()),
                                hub_public_key=api_hub.public_key, desk_uuid=desk.desk_uuid)
    assert package.streams == (p.StreamAck("epoch-1", 3),)
    assert [u.kind for u in package.updates] == ["dossier.decided"]
    with pytest.raises(p.ProtocolError) as foreign:
        p.HubPackage.open(p.Envelope.from_file(api_hub.export(f"{UNIT}#1").to_file()),
                          hub_public_key=api_hub.public_key, desk_uuid="another-desk")
    assert foreign.value.code is p.RefusalCode.WRONG_DESK


def test_tampered_usb_file_changes_nothing(api_hub, make_desk):
    desk = make_desk()
    desk.enroll_on(api_hub)
    data = bytearray(desk.batch([desk.received()]).to_file())
    data[-12] ^= 0x01  # inside the gzip body
    with pytest.raises(p.ProtocolError) as refused:
        api_hub.push(p.Envelope.from_file(bytes(data)))
    assert refused.value.code is p.RefusalCode.BODY_MISMATCH
    assert table_counts(api_hub)["events"] == 0


# Stats -----------------------------------------------------------------------------------------


def test_stats_has_dossiers_events_desks_and_on_time_rate(app, client, api_hub, make_desk):
    desk = make_desk()
    enroll_via(client, api_hub, desk)
    late, early, open_ = desk.received(due_in=dt.timedelta(hours=1)), desk.received(), desk.received()
    finish = desk.at + dt.timedelta(hours=2)
    client.push(desk.batch([late, early, open_, desk.status_changed(late, "result_ready", finish),
                            desk.status_changed(early, "result_ready", finish)]))
    stats = app.get("/v1/stats").json()
    assert stats["dossiers"] == 3 and stats["events"] == 5
    assert [d["desk_uuid"] for d in stats["desks"]] == [desk.desk_uuid]
    (commune,) = stats["communes"]
    assert (commune["done"], commune["on_time"], commune["open"], commune["on_time_rate"]) == (2, 1, 1, 0.5)


def test_migrating_again_changes_nothing_and_a_newer_database_is_refused(hub):
    from desk_app.hub.storage.database import HubDatabaseError
    from desk_app.hub.storage.migrations import migrate

    assert migrate(hub.db) == []
    hub.db.run(lambda tx: tx.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future', 'x')"))
    with pytest.raises(HubDatabaseError, match="phiên bản mới hơn"):
        migrate(hub.db)
