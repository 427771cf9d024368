"""Tests for fee arithmetic: tiered page fees with a cap, flat, per copy, channel, dates, local."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from desk_app.domain.catalogue import (
    Catalogue,
    DocForm,
    FeeKind,
    FeeRule,
    PageTier,
    Procedure,
    RequiredDocument,
)
from desk_app.domain.catalogue_io import parse_json
from desk_app.domain.errors import DomainError
from desk_app.domain.fees import page_fee, quote, takes_typed_amount

D = datetime.date
ON = D(2025, 9, 15)
JSON_PATH = Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "catalogue.json"

COPY_RULE = FeeRule(
    kind=FeeKind.PER_PAGE,
    tiers=(PageTier(1, 2000), PageTier(3, 1000)),
    cap_per_copy=200_000,
)


def _procedure(*fees: FeeRule) -> Procedure:
    return Procedure(
        code="XA.TEST.01",
        name="Thủ tục thử",
        field="Thử",
        time=None,
        same_day=False,
        fees=fees,
        documents=(RequiredDocument("Tờ khai", DocForm.ORIGINAL),),
    )


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return parse_json(JSON_PATH.read_text(encoding="utf-8"))


def _get(catalogue: Catalogue, code: str) -> Procedure:
    procedure = catalogue.get(code)
    assert procedure is not None, code
    return procedure


# --- chứng thực bản sao: 2.000đ/page for pages 1-2, 1.000đ after, at most 200.000đ per copy ----


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (1, 2_000),
        (2, 4_000),
        (3, 5_000),
        (10, 12_000),
        (197, 199_000),
        (198, 200_000),  # 4.000 + 196 × 1.000: exactly the cap
        (199, 200_000),  # capped
        (300, 200_000),
    ],
)
def test_page_fee_tiers_and_cap(pages: int, expected: int) -> None:
    assert page_fee(COPY_RULE, pages) == expected


def test_page_fee_tier_order_in_data_does_not_matter() -> None:
    reversed_rule = FeeRule(kind=FeeKind.PER_PAGE, tiers=(PageTier(3, 1000), PageTier(1, 2000)), cap_per_copy=200_000)
    assert [page_fee(reversed_rule, n) for n in (1, 2, 3, 10)] == [2_000, 4_000, 5_000, 12_000]


def test_page_fee_without_cap_keeps_counting() -> None:
    uncapped = FeeRule(kind=FeeKind.PER_PAGE, tiers=COPY_RULE.tiers)
    assert page_fee(uncapped, 300) == 302_000


@pytest.mark.parametrize(
    ("pages", "copies", "expected"),
    [(1, 1, 2_000), (2, 1, 4_000), (3, 1, 5_000), (10, 1, 12_000), (198, 1, 200_000),
     (300, 1, 200_000), (3, 2, 10_000), (300, 2, 400_000)],
)
def test_quote_copy_certification_from_shipped_catalogue(
    catalogue: Catalogue, pages: int, copies: int, expected: int
) -> None:
    copy = _get(catalogue, "2.000815")
    result = quote(copy, channel="direct", on=ON, pages=pages, copies=copies)
    assert result.amount == expected
    assert result.rule is copy.fees[0]


def test_quote_detail_uses_vietnamese_thousands() -> None:
    result = quote(_procedure(COPY_RULE), channel="direct", on=ON, pages=3, copies=2)
    assert result.detail == "3 trang: 5.000đ/bản × 2 bản"


@pytest.mark.parametrize(("pages", "copies"), [(0, 1), (1, 0), (-3, 1)])
def test_quote_rejects_non_positive_pages_or_copies(pages: int, copies: int) -> None:
    with pytest.raises(DomainError) as info:
        quote(_procedure(COPY_RULE), channel="direct", on=ON, pages=pages, copies=copies)
    assert info.value.code == "invalid_pages"


# --- flat, per copy, free ----------------------------------------------------------------------


def test_flat_fee_is_per_case_whatever_the_copies(catalogue: Catalogue) -> None:
    signature = _get(catalogue, "2.000884")
    for copies in (1, 3):
        result = quote(signature, channel="direct", on=ON, copies=copies, pages=5)
        assert result.amount == 10_000
    assert result.detail == "10.000đ/trường hợp"
    assert quote(_get(catalogue, "XA.CT.01"), channel="direct", on=ON).amount == 50_000
    assert quote(_get(catalogue, "XA.CT.02"), channel="direct", on=ON).amount == 30_000
    assert quote(_get(catalogue, "XA.CT.03"), channel="direct", on=ON).amount == 25_000


def test_flat_fee_per_copy_multiplies(catalogue: Catalogue) -> None:
    extract = _get(catalogue, "2.000635")
    assert quote(extract, channel="direct", on=ON).amount == 8_000
    result = quote(extract, channel="direct", on=ON, copies=3)
    assert result.amount == 24_000
    assert result.detail == "8.000đ × 3 bản"


def test_free_procedures_cost_nothing(catalogue: Catalogue) -> None:
    for code in ("1.001193", "1.000894", "1.000656", "1.004837", "XA.HT.01", "2.000908", "1.001776"):
        result = quote(_get(catalogue, code), channel="direct", on=ON, copies=2)
        assert result.amount == 0, code
        assert result.rule is not None and result.rule.kind is FeeKind.FREE


# --- channel ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "online", "direct"),
    [("1.004222", 10_000, 20_000), ("1.004194", 7_000, 15_000), ("1.002755", 7_000, 15_000), ("1.010038", 5_000, 10_000)],
)
def test_residence_fee_depends_on_channel(catalogue: Catalogue, code: str, online: int, direct: int) -> None:
    procedure = _get(catalogue, code)
    assert quote(procedure, channel="online", on=ON).amount == online
    assert quote(procedure, channel="direct", on=ON).amount == direct
    assert quote(procedure, channel="postal", on=ON).amount == direct


def test_first_applicable_rule_wins() -> None:
    general_first = _procedure(
        FeeRule(FeeKind.FLAT, amount=20_000),
        FeeRule(FeeKind.FLAT, amount=10_000, channels=("online",)),
    )
    # Order matters: a general rule listed first shadows the channel rule.
    assert quote(general_first, channel="online", on=ON).amount == 20_000


# --- effective dates ----------------------------------------------------------------------------


def test_effective_dates_choose_the_rule() -> None:
    procedure = _procedure(
        FeeRule(
            FeeKind.FREE,
            channels=("online",),
            effective_from=D(2026, 8, 15),
            effective_to=D(2027, 2, 28),
            note="NQ 66.22/2026: miễn cho công dân số",
        ),
        FeeRule(FeeKind.FLAT, amount=5_000, effective_to=D(2025, 12, 31)),
        FeeRule(FeeKind.FLAT, amount=8_000, effective_from=D(2026, 1, 1)),
    )

    def amount(channel: str, on: datetime.date) -> int:
        return quote(procedure, channel=channel, on=on).amount

    assert amount("direct", D(2025, 12, 31)) == 5_000  # effective_to is inclusive
    assert amount("direct", D(2026, 1, 1)) == 8_000  # effective_from is inclusive
    assert amount("online", D(2026, 8, 14)) == 8_000
    assert amount("online", D(2026, 8, 15)) == 0
    assert amount("online", D(2027, 2, 28)) == 0
    assert amount("online", D(2027, 3, 1)) == 8_000
    assert amount("direct", D(2026, 9, 1)) == 8_000
    assert quote(procedure, channel="online", on=D(2026, 9, 1)).rule is procedure.fees[0]


def test_rule_applies_checks_channel_and_both_bounds() -> None:
    rule = FeeRule(FeeKind.FLAT, amount=1, channels=("online", "postal"),
                   effective_from=D(2026, 1, 1), effective_to=D(2026, 1, 31))
    assert rule.applies("postal", D(2026, 1, 1))
    assert rule.applies("online", D(2026, 1, 31))
    assert not rule.applies("direct", D(2026, 1, 15))
    assert not rule.applies("online", D(2025, 12, 31))
    assert not rule.applies("online", D(2026, 2, 1))


# --- local (set by the provincial council) ------------------------------------------------------


def test_local_fee_without_amount_raises(catalogue: Catalogue) -> None:
    marriage_status = _get(catalogue, "1.004873")
    assert marriage_status.fees[0].kind is FeeKind.LOCAL
    with pytest.raises(DomainError) as info:
        quote(marriage_status, channel="direct", on=ON)
    assert info.value.code == "local_fee_unset"
    assert "HĐND" in info.value.message


def test_local_fee_uses_the_given_amount(catalogue: Catalogue) -> None:
    procedure = _get(catalogue, "2.000806")
    result = quote(procedure, channel="direct", on=ON, local_amount=1_500_000)
    assert result.amount == 1_500_000
    assert result.rule is not None and result.rule.kind is FeeKind.LOCAL
    assert quote(procedure, channel="online", on=ON, local_amount=0).amount == 0


def test_local_fee_rejects_negative_amount() -> None:
    with pytest.raises(DomainError) as info:
        quote(_procedure(FeeRule(FeeKind.LOCAL)), channel="direct", on=ON, local_amount=-1)
    assert info.value.code == "invalid_fee"


def test_local_amount_is_ignored_for_national_fees(catalogue: Catalogue) -> None:
    signature = _get(catalogue, "2.000884")
    assert quote(signature, channel="direct", on=ON, local_amount=99_000).amount == 10_000


def test_no_applicable_rule_is_an_error_not_free():
    import datetime as _dt

    from desk_app.domain.catalogue import FeeKind, FeeRule, Procedure
    from desk_app.domain.errors import DomainError
    from desk_app.domain.fees import quote

    online_only = Procedure(code="X", name="X", field="", time=None, same_day=False,
                            fees=(FeeRule(FeeKind.FLAT, amount=5000, channels=("online",)),), documents=())
    assert quote(online_only, channel="online", on=_dt.date(2026, 1, 1)).amount == 5000
    with pytest.raises(DomainError) as err:
        quote(online_only, channel="direct", on=_dt.date(2026, 1, 1))
    assert err.value.code == "fee_rule_missing"


def test_the_counter_types_an_amount_only_where_the_council_sets_the_fee() -> None:
    """One rule for the form's amount box and the reception service (it was copied into a GUI job)."""
    local_online = FeeRule(FeeKind.LOCAL, channels=("online",))
    flat_direct = FeeRule(FeeKind.FLAT, amount=50_000, effective_to=datetime.date(2026, 6, 30))
    local_later = FeeRule(FeeKind.LOCAL, effective_from=datetime.date(2026, 7, 1))
    procedure = _procedure(local_online, flat_direct, local_later)
    early, late = datetime.date(2026, 1, 5), datetime.date(2026, 7, 5)
    assert takes_typed_amount(procedure, channel="online", on=early)
    assert not takes_typed_amount(procedure, channel="direct", on=early)  # the flat rule applies
    assert takes_typed_amount(procedure, channel="direct", on=late)  # the council's rule took over
    assert not takes_typed_amount(_procedure(), channel="direct", on=early)  # no rule at all
