"""Personal data rules: how long a closed dossier keeps the citizen's details, what replaces them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
