"""The wire format: envelopes in both encodings, signatures, limits, answers, hub packages."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from desk_app.domain import events as ev
from desk_app.sync import protocol as p

VN = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2026, 11, 27, 9, 0, tzinfo=VN)


def _events(n: int, desk: str = "desk-1", epoch: str = "e1") -> list[ev.Event]:
    return [ev.make_event(event_uuid=f"00000000-0000-4000-8000-{i:012d}", desk_uuid=desk, epoch=epoch, seq=i,
                          unit_code="000.21.33.H49", kind=ev.Kind.GUIDANCE_ISSUED, entity_id=f"g{i}",
                          business_time=AT, device_time=AT, payload={"name": "Đặng Thị Hoà", "n": i})
            for i in range(1, n + 1)]


def test_batch_round_trips_through_file_and_http_and_verifies():
    key = p.SigningKey.generate()
    batch = p.build_batch(_events(3), key, created_at=AT)
    assert batch.header["protocol"] == p.PROTOCOL and batch.header["kind"] == "batch"
    assert (batch.header["first_seq"], batch.header["last_seq"], batch.header["count"]) == (1, 3, 3)
    from_file = p.Envelope.from_file(batch.to_file())
    from_http = p.Envelope.from_http(batch.http_headers(), batch.body)
    for envelope in (from_file, from_http):
        assert envelope == batch
        envelope.verify(key.public_text, p.PackageKind.BATCH)
        header, events = p.batch_events(envelope)
        assert events == _events(3) and header.desk_uuid == "desk-1"
    # Body: gzip of canonical JSON lines, the pinned byte form of each event.
    lines = gzip.decompress(batch.body).splitlines()
    assert lines[0] == ev.canonical_json(_events(1)[0].to_dict())


def test_signature_covers_the_header_and_the_hash_covers_the_body():
    key = p.SigningKey.generate()
    batch = p.build_batch(_events(2), key, created_at=AT)
    other = p.SigningKey.generate()
    cases = [
        (p.Envelope({**batch.header, "last_seq": 9}, batch.signature, batch.body), key, p.RefusalCode.BAD_SIGNATURE),
        (p.Envelope(batch.header, batch.signature, p.gzip_bytes(b"{}\n")), key, p.RefusalCode.BODY_MISMATCH),
        (batch, other, p.RefusalCode.BAD_SIGNATURE),
        (p.Envelope({**batch.header, "protocol": "desk-sync/9"}, batch.signature, batch.body), key,
         p.RefusalCode.UNSUPPORTED_PROTOCOL),
    ]
    for envelope, verifier, code in cases:
        with pytest.raises(p.ProtocolError) as refused:
            envelope.verify(verifier.public_text, p.PackageKind.BATCH)
        assert refused.value.code is code
        assert refused.value.message  # Vietnamese, for the person at the hub or the desk


def test_a_hub_package_cannot_pass_for_a_batch():
    key = p.SigningKey.generate()
    package = p.HubPackage("desk-1", "000.21.33.H49", "hub-epoch", "2026-11-27T02:00:00+00:00").seal(key)
    with pytest.raises(p.ProtocolError) as refused:
        package.verify(key.public_text, p.PackageKind.BATCH)
    assert refused.value.code is p.RefusalCode.MALFORMED


def test_batch_builder_refuses_mixed_or_unordered_events():
    key = p.SigningKey.generate()
    with pytest.raises(ValueError):
        p.build_batch(list(reversed(_events(2))), key, created_at=AT)
    with pytest.raises(ValueError):
        p.build_batch([_events(1)[0], _events(2, desk="desk-2")[1]], key, created_at=AT)
    with pytest.raises(ValueError):
        p.build_batch([], key, created_at=AT)


def test_body_that_lies_about_its_count_or_is_not_a_file_is_malformed():
    key = p.SigningKey.generate()
    batch = p.build_batch(_events(3), key, created_at=AT)
    short = p.seal(p.PackageKind.BATCH, {**batch.header}, p.gzip_bytes(gzip.decompress(batch.body).split(b"\n")[0]),
                   key)
    with pytest.raises(p.ProtocolError, match="khai 3"):
        p.batch_events(short)
    for junk in (b"", b"PK\x03\x04zip", b"DESK-SYNC-FILE/1\n{not json\nsig\nbody"):
        with pytest.raises(p.ProtocolError) as refused:
            p.Envelope.from_file(junk)
        assert refused.value.code is p.RefusalCode.MALFORMED


def test_gzip_bomb_is_refused_without_inflating_it(monkeypatch):
    monkeypatch.setattr(p, "MAX_BODY_BYTES", 1024)
    with pytest.raises(p.ProtocolError) as refused:
        p.gunzip_bytes(p.gzip_bytes(b"0" * 10_000))
    assert refused.value.code is p.RefusalCode.TOO_LARGE
    with pytest.raises(p.ProtocolError):
        p.gunzip_bytes(p.gzip_bytes(b"0" * 100)[:-5])


def test_answers_round_trip_and_say_which_are_final():
    rejected = p.Answer.rejected("u", 4, p.RejectCode.OTHER_COMMUNE, "hồ sơ thuộc X")
    assert p.Answer.from_dict(rejected.to_dict()) == rejected
    assert rejected.reason.startswith("thay đổi hồ sơ của đơn vị khác")
    assert [s.is_final for s in p.AnswerStatus] == [True, True, True, False]
    assert set(p.REJECT_REASONS) == set(p.RejectCode) and set(p.REFUSAL_MESSAGES) == set(p.RefusalCode)


def test_hub_package_is_checked_for_signature_desk_and_update_hashes():
    hub_key = p.SigningKey.generate()
    update = p.Update(1, "calendar.updated", None, "calendar:2027", {"version": "2027"},
                      ev.payload_hash({"version": "2027"}), "2026-11-27T02:00:00+00:00")
    package = p.HubPackage("desk-1", "U", "hub-epoch", "t", updates=(update,),
                           streams=(p.StreamAck("e1", 7),), last_hub_seq=1)
    sealed = package.seal(hub_key)
    assert p.HubPackage.open(p.Envelope.from_file(sealed.to_file()), hub_public_key=hub_key.public_text,
                             desk_uuid="desk-1") == package
    with pytest.raises(p.ProtocolError) as foreign:
        p.HubPackage.open(sealed, hub_public_key=p.SigningKey.generate().public_text, desk_uuid="desk-1")
    assert foreign.value.code is p.RefusalCode.BAD_SIGNATURE
    forged = p.HubPackage("desk-1", "U", "hub-epoch", "t", updates=(
        p.Update(1, "calendar.updated", None, "c", {"version": "2028"}, update.payload_hash, "t"),)).seal(hub_key)
    with pytest.raises(p.ProtocolError):
        p.HubPackage.open(forged, hub_public_key=hub_key.public_text, desk_uuid="desk-1")


def test_keys_serialise_and_sign():
    key = p.SigningKey.generate()
    again = p.SigningKey.from_text(key.to_text())
    assert again.public_text == key.public_text and len(key.raw) == 32
    assert p.signature_ok(key.public_text, b"x", again.sign(b"x"))
    assert not p.signature_ok(key.public_text, b"y", key.sign(b"x"))
    assert not p.signature_ok("not base64!", b"x", key.sign(b"x"))
    assert key.to_text() not in repr(key)
    for bad in ("not base64!", "AAAA"):
        with pytest.raises(ValueError):
            p.SigningKey.from_text(bad)


def test_clock_skew_against_the_hub_time():
    hub_time = "2026-11-27T02:00:00.000+00:00"
    assert p.clock_skew(hub_time, AT) == dt.timedelta(0)  # 09:00 at UTC+7 is 02:00 UTC
    late = p.clock_skew(hub_time, AT - dt.timedelta(minutes=7))
    assert late == -dt.timedelta(minutes=7) and abs(late) > p.SKEW_WARNING
