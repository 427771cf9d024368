"""What a paper's QR code says, and the short check value that shows this desk issued it.

The text is a few "KEY:value" fields separated by spaces, then "KT:" and the check value:

    MHS:000.21.33.H49-261122-0007 DV:000.21.33.H49 HT:2026-11-25T09:15+07:00 KT:Q7K2MX

Upper-case letters, digits and ":" "." "-" "+" "/" only, so the code uses the QR alphanumeric mode
and stays small (33 modules for a slip): it must decode from a 100 dpi scan. The check value is
an HMAC-SHA256 of the fields under the desk's own key, cut to 6 base32 letters (30 bits): a
slip whose appointment was altered, or made up elsewhere, does not verify with ``read``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence

CHECK_KEY = "KT"
CHECK_LENGTH = 6


def check_value(key: bytes, body: str) -> str:
    digest = hmac.new(key, body.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:CHECK_LENGTH]


def qr_time(moment: dt.datetime) -> str:
    """ISO 8601 to the minute with the UTC offset; a naive time is refused as ambiguous."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"time must carry its UTC offset: {moment!r}")
    return moment.isoformat(timespec="minutes")


def compose(fields: Sequence[tuple[str, str]], key: bytes) -> str:
    """The QR text of ``fields`` (in order) followed by their check value."""
    parts = []
    for name, value in fields:
        if not value or " " in value or name == CHECK_KEY:
            raise ValueError(f"field {name!r} cannot carry {value!r}")
        parts.append(f"{name}:{value}")
    body = " ".join(parts)
    return f"{body} {CHECK_KEY}:{check_value(key, body)}"


def read(text: str, key: bytes) -> dict[str, str]:
    """The fields of a scanned QR text, in order; ValueError when it is not one of ours or does not
    verify under ``key`` (altered, or issued by another desk)."""
    body, sep, check = text.strip().rpartition(f" {CHECK_KEY}:")
    if not sep or not hmac.compare_digest(check, check_value(key, body)):
        raise ValueError("the check value does not match")
    fields = {}
    for part in body.split(" "):
        name, colon, value = part.partition(":")
        if not colon or not value:
            raise ValueError(f"malformed field {part!r}")
        fields[name] = value
    return fields
