"""Mẫu 02: the guidance slip handed over when a dossier is incomplete and is not received."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desk_app.domain.dossier import ReceivedDocument

DEFAULT_REASON = (
    "Hồ sơ chưa đầy đủ theo quy định; đề nghị bổ sung các giấy tờ dưới đây để được tiếp nhận."
)


def guidance_number(year: int, desk_no: int, seq: int) -> str:
    """"HD-2025-Q1-0007": numbered from 1 each year, per desk."""
    return f"HD-{year}-Q{desk_no}-{seq:04d}"


@dataclass(frozen=True)
class SupplementGuidance:
    """A supplement request (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) as issued at the counter.

    No dossier exists yet: the slip has its own number, for people (per desk and year), and a
    UUID, unique across every desk, that the hub knows it by. Texts are NFC; ``issued_at`` is aware,
    in the desk's offset. ``documents`` are the papers to add (name, form, count).
    """

    number: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    documents: tuple[ReceivedDocument, ...]
    officer: str
    issued_at: dt.datetime
    phone: str | None = None
    address: str | None = None
    reason: str = DEFAULT_REASON
    uuid: str = ""
