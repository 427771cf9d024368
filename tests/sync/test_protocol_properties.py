"""Hardened input on the wire: whatever arrives (a USB file, an HTTP request, a hub package, a
pull request), parsing either succeeds or refuses with ProtocolError and a Vietnamese message."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain import events as ev
from desk_app.sync import protocol as p
from tests.vietnamese import is_vietnamese

VN = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2026, 11, 27, 9, 0, tzinfo=VN)


@pytest.fixture(scope="module")
def key():
    return p.SigningKey.generate()


def refused(exc: p.ProtocolError) -> None:
    assert isinstance(exc.code, p.RefusalCode)
    assert is_vietnamese(exc.message), exc.message


def events(n: int) -> list[ev.Event]:
    return [ev.make_event(event_uuid=f"00000000-0000-4000-8000-{i:012d}", desk_uuid="desk-1", epoch="e1", seq=i,
                          unit_code="000.21.33.H49", kind=ev.Kind.GUIDANCE_ISSUED, entity_id=f"g{i}",
                          business_time=AT, device_time=AT, payload={"name": "Đặng Thị Hoà", "n": i})
            for i in range(1, n + 1)]


def json_like(floats):
    return st.recursive(
        st.none() | st.booleans() | st.integers(-(2**70), 2**70) | floats | st.text(max_size=12),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5),
        max_leaves=16)


# What arrives may hold NaN and Infinity (Python's json reads them); what we sign may not.
json_values = json_like(st.floats())
finite_values = json_like(st.floats(allow_nan=False, allow_infinity=False))
# Keys the parsers look for, so generated objects reach past the first check.
event_like = st.fixed_dictionaries({name: json_values for name in ev.EVENT_FIELDS}) | st.dictionaries(
    st.sampled_from(list(ev.EVENT_FIELDS)), json_values)


@given(data=st.binary(max_size=300) | st.builds(lambda head, tail: p.MAGIC + b"\n" + head + b"\nc2ln\n" + tail,
                                                 st.binary(max_size=80) | json_values.map(
                                                     lambda v: json.dumps(v).encode()), st.binary(max_size=120)))
def test_any_file_is_an_envelope_or_refused(data, key):
    try:
        envelope = p.Envelope.from_file(data)
        envelope.verify(key.public_text, p.PackageKind.BATCH)
        p.batch_events(envelope)
    except p.ProtocolError as exc:
        refused(exc)


@given(header=st.none() | st.text(max_size=40) | json_values.map(
           lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode()),
       signature=st.none() | st.text(max_size=40), body=st.binary(max_size=100))
def test_any_http_request_is_an_envelope_or_refused(header, signature, body, key):
    headers = {k: v for k, v in ((p.HEADER_FIELD, header), (p.SIGNATURE_FIELD, signature)) if v is not None}
    try:
        envelope = p.Envelope.from_http(headers, body)
        envelope.verify(key.public_text, p.PackageKind.BATCH)
    except p.ProtocolError as exc:
        refused(exc)


@given(lines=st.lists(st.one_of(event_like.map(lambda d: json.dumps(d).encode()), st.binary(max_size=40)),
                      max_size=4),
       count=st.integers(-1, 5), first=st.integers(0, 3))
def test_any_batch_body_unpacks_or_is_refused(lines, count, first, key):
    """Even a correctly signed batch (a desk with a bug, or a stolen key) gets parsed safely."""
    body = p.gzip_bytes(b"\n".join(lines))
    envelope = p.seal(p.PackageKind.BATCH, {"desk_uuid": "desk-1", "epoch": "e1", "epoch_first_seq": 1,
                                            "first_seq": first, "last_seq": first + max(count, 0),
                                            "count": count, "created_at": "2026-11-27T09:00:00+07:00"}, body, key)
    try:
        header, found = p.batch_events(envelope)
    except p.ProtocolError as exc:
        refused(exc)
    else:
        assert len(found) == header.count


@given(cut=st.integers(0, 400), flip=st.integers(0, 400))
def test_a_damaged_real_batch_is_refused_whole(cut, flip, key):
    original = p.build_batch(events(3), key, created_at=AT).to_file()
    data = bytearray(original[: max(cut, len(original) - cut)])
    if data and flip < len(data):
        data[flip] ^= 0x5A
    try:
        envelope = p.Envelope.from_file(bytes(data))
        envelope.verify(key.public_text, p.PackageKind.BATCH)
        _, found = p.batch_events(envelope)
    except p.ProtocolError as exc:
        refused(exc)
    else:
        assert found == events(3)  # only the untouched file gets through


@given(body=json_values | st.fixed_dictionaries({"updates": st.lists(json_values, max_size=2),
                                                 "answers": st.lists(json_values, max_size=2),
                                                 "streams": st.lists(json_values, max_size=2)}),
       count=finite_values, last=finite_values)
def test_any_hub_package_opens_or_is_refused(body, count, last, key):
    envelope = p.seal(p.PackageKind.HUB_PACKAGE, {
        "desk_uuid": "desk-1", "unit_code": "000.21.33.H49", "hub_epoch": "h1", "created_at": "x",
        "resync_required": False, "has_more": False, "last_hub_seq": last, "count": count,
    }, p.gzip_bytes(json.dumps(body).encode()), key)
    try:
        p.HubPackage.open(envelope, hub_public_key=key.public_text, desk_uuid="desk-1")
    except p.ProtocolError as exc:
        refused(exc)


@given(data=json_values | st.fixed_dictionaries({"request": st.dictionaries(
    st.sampled_from(["desk_uuid", "after_seq", "hub_epoch", "limit", "at"]), json_values), "signature": json_values}))
def test_any_pull_request_parses_or_is_refused(data):
    try:
        p.PullRequest.from_signed(data)
    except p.ProtocolError as exc:
        refused(exc)


@given(data=st.binary(max_size=200))
def test_any_bytes_gunzip_or_are_refused(data):
    try:
        p.gunzip_bytes(data)
    except p.ProtocolError as exc:
        refused(exc)


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_a_header_with_a_number_json_does_not_have_is_refused(constant, key):
    """Python's json reads NaN and Infinity; such a header could be neither signed nor checked."""
    header = b'{"protocol": ' + json.dumps(p.PROTOCOL).encode() + b', "kind": "batch", "count": ' + constant + b"}"
    data = p.MAGIC + b"\n" + header + b"\nc2ln\n"
    with pytest.raises(p.ProtocolError) as err:
        p.Envelope.from_file(data).verify(key.public_text, p.PackageKind.BATCH)
    refused(err.value)
