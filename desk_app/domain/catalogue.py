"""The procedure catalogue: procedures, processing times, fee rules and required documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from enum import Enum

from desk_app.domain.text import fold


class TimeUnit(str, Enum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"  # working hours inside office sessions


class DocForm(str, Enum):
    ORIGINAL = "ban_chinh"
    CERTIFIED_COPY = "ban_sao_chung_thuc"
    PHOTOCOPY = "ban_chup"
    PRESENTED = "xuat_trinh"  # shown at the counter and handed back, not kept

    @property
    def label(self) -> str:
        return _DOC_FORM_LABELS[self]


_DOC_FORM_LABELS = {
    DocForm.ORIGINAL: "Bản chính",
    DocForm.CERTIFIED_COPY: "Bản sao chứng thực",
    DocForm.PHOTOCOPY: "Bản chụp",
    DocForm.PRESENTED: "Xuất trình",
}

UNIT_LABELS = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
    TimeUnit.HOURS: "giờ làm việc",
}


@dataclass(frozen=True)
class ProcessingTime:
    value: Decimal
    unit: TimeUnit

    def label(self) -> str:
        number = format(self.value.normalize(), "f").replace(".", ",")
        return f"{number} {UNIT_LABELS[self.unit]}"


@dataclass(frozen=True)
class RequiredDocument:
    name: str
    form: DocForm
    count: int = 1
    mandatory: bool = True


class FeeKind(str, Enum):
    FREE = "free"
    FLAT = "flat"  # a fixed amount per case, or per copy when per_copy
    PER_PAGE = "per_page"  # tiered by page, capped per copy, times copies
    LOCAL = "local"  # set by the provincial council: the commune configures the amount


@dataclass(frozen=True)
class PageTier:
    from_page: int
    amount: int  # đồng per page from from_page until the next tier


@dataclass(frozen=True)
class FeeRule:
    """One fee rule; a procedure holds several, chosen by channel and effective dates."""

    kind: FeeKind
    amount: int = 0
    per_copy: bool = False
    tiers: tuple[PageTier, ...] = ()
    cap_per_copy: int | None = None
    channels: tuple[str, ...] = ()  # empty = every channel
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    note: str = ""

    def applies(self, channel: str, on: dt.date) -> bool:
        if self.channels and channel not in self.channels:
            return False
        if self.effective_from and on < self.effective_from:
            return False
        return not (self.effective_to and on > self.effective_to)


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str
    time: ProcessingTime | None  # None: the catalogue does not know it; the desk must enter a date
    same_day: bool
    fees: tuple[FeeRule, ...]
    documents: tuple[RequiredDocument, ...]
    legal_basis: str = ""
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    max_extension_days: int = 0  # e.g. chứng thực may add up to 2 working days
    notes: str = ""
    search_key: str = dataclass_field(default="", compare=False)
    # Dropped from the commune's list by a replacing import but kept, because dossiers refer to
    # it: no new dossier, still on the papers of the old ones. Desk state, not catalogue data.
    retired: bool = dataclass_field(default=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "search_key", fold(f"{self.code} {self.name} {self.field}"))

    def in_force(self, on: dt.date) -> bool:
        if self.effective_from and on < self.effective_from:
            return False
        return not (self.effective_to and on > self.effective_to)

    def matches(self, query: str) -> bool:
        """True when every folded word of ``query`` occurs in the code, name or field."""
        return all(word in self.search_key for word in fold(query).split())


@dataclass(frozen=True)
class Catalogue:
    version: str
    procedures: tuple[Procedure, ...]
    source: str = ""

    def get(self, code: str) -> Procedure | None:
        return next((p for p in self.procedures if p.code == code), None)
