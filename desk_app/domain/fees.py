"""Fee arithmetic for one dossier, from the procedure's fee rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desk_app.domain.catalogue import FeeKind, FeeRule, Procedure
from desk_app.domain.errors import DomainError


@dataclass(frozen=True)
class FeeQuote:
    amount: int  # đồng
    detail: str  # how it was computed, in Vietnamese, printed on the fee receipt
    rule: FeeRule | None


def page_fee(rule: FeeRule, pages: int) -> int:
    """Fee for one copy of ``pages`` pages under a tiered per-page rule, capped per copy."""
    tiers = sorted(rule.tiers, key=lambda t: t.from_page)
    total = 0
    for index, tier in enumerate(tiers):
        upper = tiers[index + 1].from_page - 1 if index + 1 < len(tiers) else pages
        counted = max(0, min(pages, upper) - tier.from_page + 1)
        total += counted * tier.amount
    if rule.cap_per_copy is not None:
        total = min(total, rule.cap_per_copy)
    return total


def applicable_rule(procedure: Procedure, *, channel: str, on: dt.date) -> FeeRule | None:
    """The procedure's fee rule for this channel on this day (the first that applies)."""
    return next((r for r in procedure.fees if r.applies(channel, on)), None)


def takes_typed_amount(procedure: Procedure, *, channel: str, on: dt.date) -> bool:
    """Whether the counter types the amount: only where the provincial council sets the fee."""
    rule = applicable_rule(procedure, channel=channel, on=on)
    return rule is not None and rule.kind is FeeKind.LOCAL


def quote(
    procedure: Procedure,
    *,
    channel: str,
    on: dt.date,
    pages: int = 1,
    copies: int = 1,
    local_amount: int | None = None,
) -> FeeQuote:
    """The fee for one dossier. ``local_amount`` is the commune's amount for LOCAL rules."""
    if pages < 1 or copies < 1:
        raise DomainError("invalid_pages", "Số trang và số bản phải từ 1 trở lên.")
    rule = applicable_rule(procedure, channel=channel, on=on)
    if rule is None:
        # Saying "free" here would under-collect silently; the catalogue has a gap to fix.
        raise DomainError(
            "fee_rule_missing",
            f"Danh mục không có mức phí của thủ tục {procedure.code} cho kênh và ngày này; hãy cập nhật danh mục.",
        )
    if rule.kind is FeeKind.FREE:
        return FeeQuote(0, "Không thu phí, lệ phí", rule)
    if rule.kind is FeeKind.FLAT:
        if rule.per_copy:
            return FeeQuote(rule.amount * copies, f"{rule.amount:,}đ × {copies} bản".replace(",", "."), rule)
        return FeeQuote(rule.amount, f"{rule.amount:,}đ/trường hợp".replace(",", "."), rule)
    if rule.kind is FeeKind.PER_PAGE:
        one = page_fee(rule, pages)
        return FeeQuote(one * copies, f"{pages} trang: {one:,}đ/bản × {copies} bản".replace(",", "."), rule)
    if local_amount is None:
        raise DomainError(
            "local_fee_unset",
            "Mức thu của thủ tục này do HĐND tỉnh quy định và chưa được cấu hình; hãy nhập số tiền thu.",
        )
    if local_amount < 0:
        raise DomainError("invalid_fee", "Số tiền thu không được âm.")
    return FeeQuote(local_amount, "Theo nghị quyết HĐND tỉnh", rule)
