"""Personal data rules: how long a closed dossier keeps the citizen's details, what replaces them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from desk_app.domain.dossier import Status
from desk_app.domain.errors import DomainError

# A dossier is closed once nothing more will happen at the counter: the result was handed back,
# or it ended otherwise. A result waiting to be collected is not closed.
CLOSED = frozenset({Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})
# What a purged dossier or slip shows instead of the applicant's name (the column stays NOT NULL).
PURGED_NAME = "[đã xoá theo thời hạn lưu trữ]"


@dataclass(frozen=True)
class RetentionPolicy:
    """How many years after a dossier closed its applicant's personal data are kept.

    Default 10 years: an assumption, not a figure from law (the archive rules for one-stop
    records, TT 10/2022/TT-BNV and the province's list, are to be confirmed per commune: OPEN).
    The dossier itself (code, procedure, dates, fee, history) stays for the statistics.
    """

    years: int = 10

    def __post_init__(self) -> None:
        if not 1 <= self.years <= 100:
            raise DomainError("invalid_retention", "Thời hạn lưu trữ phải từ 1 đến 100 năm.", field="years")

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        """Dossiers closed before this moment are past retention."""
        try:
            return now.replace(year=now.year - self.years)
        except ValueError:  # 29 February, going back to a year without it
            return now.replace(year=now.year - self.years, day=28)


def check_id_number_shape(value: str) -> str:
    """A 12-digit personal ID as typed for a search or an export (no consistency checks: a
    request names whatever number the records hold)."""
    digits = "".join(value.split())
    if len(digits) != 12 or not digits.isdigit():
        raise DomainError("invalid_id_number", "Số định danh cá nhân phải gồm đúng 12 chữ số.", field="id_number")
    return digits


# Where outbox payloads hold a citizen's personal data, by event kind (paths into the JSON); a
# redacted payload keeps everything else (codes, procedure, dates, fee) for the statistics.
# The handover of a returned result names who collected it, and their authorisation paper.
PERSONAL_PAYLOAD_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "dossier.received": (("applicant",),),
    "guidance.issued": (("applicant_name",),),
    "dossier.status_changed": (("detail", "handover", "recipient"), ("detail", "handover", "authorisation")),
}
REDACTED_MARK = "redacted"


def redact_payload(kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
    """The payload with its personal fields replaced, marked ``"redacted": true``; None when it
    carries no personal data (nothing to redact)."""
    redacted = json.loads(json.dumps(payload))  # a deep copy: the caller's value stays as it was
    found = False
    for path in PERSONAL_PAYLOAD_PATHS.get(kind, ()):
        parent: Any = redacted
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(parent, dict) or path[-1] not in parent:
            continue
        found = True
        value = parent[path[-1]]
        if isinstance(value, dict):  # the applicant: every detail emptied, the name replaced
            parent[path[-1]] = {field: None for field in value} | {"name": PURGED_NAME}
        else:
            parent[path[-1]] = PURGED_NAME if value else value
    if not found:
        return None
    redacted[REDACTED_MARK] = True
    return redacted  # type: ignore[no-any-return]
