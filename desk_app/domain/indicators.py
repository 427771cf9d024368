"""The desk-fed indicators of QĐ 766/QĐ-TTg (2022), each with its formula as text, and citizens' ratings.

Formulas follow DOMAIN §8 ([M]: one reputable source each). What the desk cannot know is said,
never guessed: 4.2 needs the scans of each dossier's papers and an electronic result, 5.4 needs
the citizens' ratings; until the desk records them the value is None with a note saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from desk_app.domain.handover import DEFAULT_RATING_SCALE
from desk_app.domain.statistics import Counts
from desk_app.domain.text import fold

NO_DATA = "chưa có dữ liệu"


@dataclass(frozen=True)
class Indicator:
    """One indicator: ``value`` in ``unit`` ("%" or "ngày"), or None with ``note`` saying why."""

    code: str
    name: str
    formula: str
    value: float | None
    unit: str
    numerator: float | None = None
    denominator: int | None = None
    note: str = ""


FORMULA_2_1 = ("(Số hồ sơ đã giải quyết trước hạn + đúng hạn + Số hồ sơ đang giải quyết còn trong hạn) "
               "/ (Tổng số hồ sơ đã giải quyết + Tổng số hồ sơ đang giải quyết) × 100%. Hồ sơ phải bổ sung "
               "quá một lần tính là quá hạn; hồ sơ đang chờ bổ sung không tính.")
FORMULA_2_2 = ("Tổng thời gian giải quyết các hồ sơ có kết quả trong kỳ (từ lúc tiếp nhận đến lúc có kết quả, "
               "không tính thời gian chờ bổ sung) / Số hồ sơ đó; tính chung và theo từng thủ tục, "
               "đơn vị: ngày (24 giờ).")
FORMULA_4_2 = ("Số hồ sơ được số hóa thành phần hồ sơ và có kết quả điện tử / Tổng số hồ sơ tiếp nhận mới "
               "trong kỳ × 100% (đạt điểm tối đa khi ≥ 80%).")
FORMULA_5_4 = ("(Tổng số hồ sơ đã và đang giải quyết − Số hồ sơ quá hạn hoặc bị đánh giá không hài lòng) "
               "/ Tổng số hồ sơ đã và đang giải quyết × 100%, tức 100% − (tỷ lệ quá hạn + tỷ lệ không hài lòng).")


@dataclass(frozen=True)
class RatingLevel:
    value: str  # what a rating stores: the level's words as the desk's scale had them (handover.Rating.label)
    label: str
    negative: bool = False  # counts against satisfaction (5.4)


@dataclass(frozen=True)
class RatingScale:
    """The commune's rating scale (no national scale is fixed, DOMAIN §8), best first."""

    levels: tuple[RatingLevel, ...]

    @property
    def negative(self) -> frozenset[str]:
        return frozenset(level.value for level in self.levels if level.negative)


# The words of a level that counts against satisfaction, folded ("Không hài lòng", "Rất không hài
# lòng", "Chưa hài lòng"); the worst level of the commune's scale counts too, whatever its words.
DISLIKE_WORDS = ("khong hai long", "chua hai long")


def dislike(label: str) -> bool:
    words = fold(label)
    return any(w in words for w in DISLIKE_WORDS)


def rating_scale(labels: Sequence[str], seen: Iterable[str] = ()) -> RatingScale:
    """The scale of the report: the commune's ``labels`` (best first; the last one and any saying
    "không/chưa hài lòng" count against satisfaction), then any rating ``seen`` that is not on it
    (given under an earlier scale, or by another commune on the hub), by its words alone."""
    levels = [RatingLevel(label, label, dislike(label) or index == len(labels) - 1)
              for index, label in enumerate(labels)]
    known = set(labels)
    levels += [RatingLevel(label, label, dislike(label)) for label in sorted(set(seen) - known)]
    return RatingScale(tuple(levels))


DEFAULT_SCALE = rating_scale(DEFAULT_RATING_SCALE)


@dataclass(frozen=True)
class RatingBreakdown:
    """How the citizens handed a result during the period rated it; ``other``: values off the scale."""

    scale: RatingScale
    counts: Mapping[str, int]
    other: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.other

    def rows(self) -> list[tuple[str, int, float | None]]:
        """(label, count, share in %) per level of the scale, in its order."""
        total = self.total
        return [(level.label, self.counts.get(level.value, 0),
                 self.counts.get(level.value, 0) / total * 100 if total else None) for level in self.scale.levels]


def rating_breakdown(ratings: Sequence[str], scale: RatingScale) -> RatingBreakdown:
    known = {level.value for level in scale.levels}
    counts = {level.value: 0 for level in scale.levels}
    other = 0
    for value in ratings:
        if value in known:
            counts[value] += 1
        else:
            other += 1
    return RatingBreakdown(scale, counts, other)


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator * 100 if denominator else None


def indicators(totals: Counts, *, ratings_recorded: bool, digitised: int | None = None,
               digitised_rule: str = "") -> tuple[Indicator, ...]:
    """2.1, 2.2, 4.2 and 5.4 for ``totals``.

    ``ratings_recorded``: whether the source records citizens' ratings at all (else 5.4 has no
    data); ``digitised``: dossiers received new in the period counted as digitised, None when the
    source does not record scans; ``digitised_rule``: when a dossier counts (shown with the formula).
    """
    judged = totals.resolved_total + totals.in_progress_total
    on_time = totals.on_time_for_index
    empty = "không có hồ sơ đã hoặc đang giải quyết trong kỳ"
    index_2_1 = Indicator(
        "2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn (đã và đang giải quyết)", FORMULA_2_1, totals.on_time_rate, "%",
        on_time, judged, "" if judged else empty)
    average = totals.average_processing_days
    index_2_2 = Indicator(
        "2.2", "Thời gian giải quyết trung bình một hồ sơ", FORMULA_2_2, average, "ngày",
        totals.processing_seconds / 86400 if totals.resolved_total else None, totals.resolved_total,
        "" if totals.resolved_total else "không có hồ sơ có kết quả trong kỳ")
    if digitised is None:
        index_4_2 = Indicator("4.2", "Tỷ lệ số hóa hồ sơ", FORMULA_4_2, None, "%", None, totals.received_new,
                              f"{NO_DATA}: quầy chưa ghi nhận bản quét thành phần hồ sơ và kết quả điện tử")
    else:
        formula = (f"{FORMULA_4_2} Hồ sơ được tính là đã số hóa khi {digitised_rule}; quầy chưa ghi nhận kết quả "
                   "điện tử nên chỉ xét bản quét thành phần hồ sơ." if digitised_rule else FORMULA_4_2)
        index_4_2 = Indicator("4.2", "Tỷ lệ số hóa hồ sơ", formula, _share(digitised, totals.received_new), "%",
                              digitised, totals.received_new,
                              "" if totals.received_new else "không có hồ sơ tiếp nhận mới trong kỳ")
    if not ratings_recorded:
        index_5_4 = Indicator("5.4", "Mức độ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính", FORMULA_5_4,
                              None, "%", None, judged,
                              f"{NO_DATA}: quầy chưa ghi nhận đánh giá của người dân khi trả kết quả")
    else:
        satisfied = judged - totals.overdue_or_unhappy
        index_5_4 = Indicator("5.4", "Mức độ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính", FORMULA_5_4,
                              _share(satisfied, judged), "%", satisfied, judged, "" if judged else empty)
    return (index_2_1, index_2_2, index_4_2, index_5_4)
