"""Mẫu 02: the guidance slip handed over when a dossier is incomplete and is not received."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desk_app.domain.dossier import ReceivedDocument
from desk_app.domain.errors import DomainError

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


def parse_missing(text: str) -> tuple[str, str | None, int | None]:
    """A paper to add as typed: "Tên giấy tờ|hình thức|số lượng", the form and count optional
    (the catalogue fills them in); DomainError when it cannot be read."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) > 3 or not parts[0]:
        raise DomainError("invalid_document", f"'{text}' phải có dạng \"Tên giấy tờ|hình thức|số lượng\"",
                          field="documents")
    form = parts[1] if len(parts) > 1 and parts[1] else None
    count = None
    if len(parts) > 2 and parts[2]:
        if not parts[2].isdigit() or int(parts[2]) < 1:
            raise DomainError("invalid_document", f"số lượng '{parts[2]}' phải là số nguyên dương",
                              field="documents")
        count = int(parts[2])
    return parts[0], form, count
