"""Handing the result back to the citizen: who took it, which originals went back, the rating."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desk_app.domain.errors import DomainError
from desk_app.domain.text import fold, nfc

# No national scale is fixed (DOMAIN.md §8); the commune may set its own. This one is what the
# seeds report, best first.
DEFAULT_RATING_SCALE = ("Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng")
MAX_TEXT = 300


@dataclass(frozen=True)
class Rating:
    """The citizen's answer: its position on the scale (1 = best), the words, the scale's size."""

    value: int
    label: str
    scale_size: int


@dataclass(frozen=True)
class Handover:
    """Who received the result. ``authorisation`` names the paper that lets someone other than
    the applicant collect it (empty when the applicant came); ``originals`` are the original
    papers handed back; ``rating`` is None when the citizen did not rate."""

    recipient: str
    authorised: bool = False
    authorisation: str = ""
    originals: tuple[str, ...] = ()
    rating: Rating | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "recipient": self.recipient,
            "authorised": self.authorised,
            "authorisation": self.authorisation,
            "originals": list(self.originals),
            "rating": None if self.rating is None else {
                "value": self.rating.value, "label": self.rating.label, "scale_size": self.rating.scale_size},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Handover:
        rating = data.get("rating")
        return cls(
            recipient=str(data.get("recipient", "")),
            authorised=bool(data.get("authorised", False)),
            authorisation=str(data.get("authorisation", "")),
            originals=tuple(str(o) for o in data.get("originals", ())),
            rating=None if not rating else Rating(int(rating["value"]), str(rating["label"]), int(rating["scale_size"])),
        )

    @property
    def text(self) -> str:
        """One line for the history and the ledger book."""
        if not self.recipient:  # as the audit trail keeps it: no citizen's name (store/lifecycle.py)
            who = "người được ủy quyền" if self.authorised else "người nộp"
        elif self.authorised:
            who = f"{self.recipient} (người được ủy quyền; {self.authorisation})"
        else:
            who = f"{self.recipient} (người nộp)"
        parts = [f"người nhận: {who}"]
        if self.originals:
            parts.append("trả bản chính: " + "; ".join(self.originals))
        if self.rating is not None:
            parts.append(f"đánh giá: {self.rating.label}")
        return ", ".join(parts)


def check_scale(labels: Sequence[str]) -> tuple[str, ...]:
    """A rating scale the commune sets: 2 to 10 distinct labels, best first."""
    clean = tuple(nfc(label) for label in labels if nfc(label))
    if not 2 <= len(clean) <= 10:
        raise DomainError("invalid_rating_scale", "Thang đánh giá cần từ 2 đến 10 mức, mức tốt nhất trước.",
                          field="rating_scale")
    if len({fold(label) for label in clean}) != len(clean):
        raise DomainError("invalid_rating_scale", "Các mức của thang đánh giá phải khác nhau.", field="rating_scale")
    return clean


def rate(answer: str, scale: Sequence[str]) -> Rating:
    """The rating ``answer`` names: its number on the scale ("1" = best) or its words, with or
    without diacritics ("hai long")."""
    value = nfc(answer)
    if value.isdigit() and 1 <= int(value) <= len(scale):
        return Rating(int(value), scale[int(value) - 1], len(scale))
    for position, label in enumerate(scale, start=1):
        if fold(label) == fold(value):
            return Rating(position, label, len(scale))
    choices = ", ".join(f"{i}. {label}" for i, label in enumerate(scale, start=1))
    raise DomainError("invalid_rating", f"Mức đánh giá '{value}' không có trong thang: {choices}.", field="rating")


def _same_name(name: str) -> str:
    return " ".join(nfc(name).casefold().split())


def handover(
    *, applicant: str, recipient: str | None, authorisation: str | None, originals: Sequence[str],
    rating: Rating | None,
) -> Handover:
    """Check who takes the result: the applicant (``recipient`` empty or the same name, diacritics
    and case aside), or another person, who must show an authorisation paper (its name and number
    are required)."""
    who = nfc(recipient or "") or nfc(applicant)
    paper = nfc(authorisation or "")
    # Diacritics tell names apart ("Lan", "Lân"): only case and spacing are ignored.
    authorised = _same_name(who) != _same_name(applicant)
    if authorised and not paper:
        raise DomainError(
            "authorisation_required",
            f"Người nhận ({who}) không phải người nộp hồ sơ ({nfc(applicant)}): cần ghi giấy ủy quyền "
            "(số, ngày, nơi chứng thực).",
            field="authorisation",
        )
    for value, field in [(who, "recipient"), (paper, "authorisation"), *((o, "originals") for o in originals)]:
        if len(value) > MAX_TEXT:
            raise DomainError("text_too_long", f"Nội dung dài quá {MAX_TEXT} ký tự.", field=field)
    return Handover(
        recipient=who,
        authorised=authorised,
        authorisation=paper if authorised else "",
        originals=tuple(o for o in (nfc(x) for x in originals) if o),
        rating=rating,
    )
