"""Scans of a dossier's papers (DOMAIN §9: the officer scans each paper at reception): what a scan
file may be, its identity (sha-256 of its content) and the rule that makes a paper, and a
dossier, "digitised" for indicator 4.2.

Standard library only: the page count of a PDF or a TIFF is read by the services (pypdf, Pillow).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from desk_app.domain.errors import DomainError

MAX_SCAN_BYTES = 50 * 1024 * 1024  # a 50-page colour PDF at 300 dpi stays well under it


class MediaType(str, Enum):
    PDF = "application/pdf"
    PNG = "image/png"
    JPEG = "image/jpeg"
    TIFF = "image/tiff"

    @property
    def suffix(self) -> str:
        return {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif"}[self.value]

    @property
    def is_image(self) -> bool:
        return self is not MediaType.PDF


# Recognised by the file's first bytes, never by its name: a scanner names files as it likes.
_MAGIC = (
    (b"%PDF-", MediaType.PDF),
    (b"\x89PNG\r\n\x1a\n", MediaType.PNG),
    (b"\xff\xd8\xff", MediaType.JPEG),
    (b"II*\x00", MediaType.TIFF),
    (b"MM\x00*", MediaType.TIFF),
)


def media_type(data: bytes, name: str = "") -> MediaType:
    """What ``data`` is, or a Vietnamese refusal (empty, too large, not PDF/PNG/JPEG/TIFF)."""
    label = f" «{name}»" if name else ""
    if not data:
        raise DomainError("scan_empty", f"Tệp{label} rỗng, không phải bản quét.", field="file")
    if len(data) > MAX_SCAN_BYTES:
        raise DomainError("scan_too_large", f"Tệp{label} lớn hơn {MAX_SCAN_BYTES // (1024 * 1024)} MB; "
                          "hãy quét ở độ phân giải thấp hơn (200–300 dpi).", field="file")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    raise DomainError("scan_unknown_type", f"Tệp{label} không phải ảnh PNG, JPEG, TIFF hay tệp PDF.", field="file")


def content_hash(data: bytes) -> str:
    """The scan's identity: the sha-256 of its plain content (the same scan attached twice is one file)."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Scan:
    """One scan attached to paper ``paper`` (its position in the dossier's documents, from 1)."""

    dossier_code: str
    paper: int
    paper_name: str
    sha256: str
    media_type: MediaType
    pages: int
    size: int
    name: str  # the file's name when it was attached (for people; never used to find it)
    attached_at: dt.datetime
    attached_by: str
    purged: bool = False  # its file was deleted past the retention period; the paper stays digitised


class DigitisedRule(str, Enum):
    """When a dossier counts as digitised for 4.2 (DOMAIN §8: "component files attached"; which
    papers must be scanned is OPEN, so it is a setting)."""

    ALL_PAPERS = "all_papers"  # every paper of the dossier has at least one scan (default)
    ANY_PAPER = "any_paper"  # at least one paper has a scan

    @property
    def label(self) -> str:
        return {"all_papers": "mọi thành phần hồ sơ đều có bản quét",
                "any_paper": "ít nhất một thành phần hồ sơ có bản quét"}[self.value]


DEFAULT_RULE = DigitisedRule.ALL_PAPERS


def parse_rule(value: object) -> DigitisedRule:
    try:
        return DigitisedRule(str(value))
    except ValueError:
        raise DomainError("bad_digitised_rule", f"Quy tắc số hoá «{value}» không có; chọn "
                          + " hoặc ".join(r.value for r in DigitisedRule) + ".", field="rule") from None


def is_digitised(paper_count: int, scanned_papers: Iterable[int], rule: DigitisedRule) -> bool:
    """Whether a dossier of ``paper_count`` papers, of which ``scanned_papers`` have a scan, is digitised."""
    scanned = {p for p in scanned_papers if 1 <= p <= paper_count}
    if rule is DigitisedRule.ANY_PAPER:
        return bool(scanned)
    return paper_count > 0 and len(scanned) == paper_count


def digitised_marks(paper_count: int, scans: Iterable[Scan]) -> dict[int, bool]:
    """Paper position → whether it has a scan."""
    have = {s.paper for s in scans}
    return {p: p in have for p in range(1, paper_count + 1)}


def pages_by_paper(scans: Iterable[Scan]) -> Mapping[int, int]:
    found: dict[int, int] = {}
    for s in scans:
        found[s.paper] = found.get(s.paper, 0) + s.pages
    return found
