"""Tests for the shipped procedure catalogue and for reading catalogues from JSON and CSV."""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import fields, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desk_app.domain.catalogue import (
    Catalogue,
    DocForm,
    FeeKind,
    ProcessingTime,
    TimeUnit,
)
from desk_app.domain.catalogue_csv import CSV_COLUMNS, parse_csv
from desk_app.domain.catalogue_io import (
    CatalogueError,
    catalogue_to_json,
    parse_json,
)
from desk_app.domain.fees import quote

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "resources" / "catalogue"
JSON_PATH = CATALOGUE_DIR / "catalogue.json"
CSV_PATH = CATALOGUE_DIR / "catalogue_example.csv"
UNVERIFIED_CODE = "Mã TTHC quốc gia chưa xác minh"
HEADER = ",".join(CSV_COLUMNS)


@pytest.fixture(scope="module")
def json_text() -> str:
    return JSON_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def catalogue(json_text: str) -> Catalogue:
    return parse_json(json_text)


def _strings(value: Any) -> list[str]:
    """Every str inside a dataclass / tuple tree (enum members are skipped)."""
    if isinstance(value, str) and type(value) is str:
        return [value]
    if is_dataclass(value):
        return [s for f in fields(value) for s in _strings(getattr(value, f.name))]
    if isinstance(value, tuple):
        return [s for item in value for s in _strings(item)]
    return []


# --- the shipped catalogue -------------------------------------------------------------------


def test_shipped_json_parses_with_all_sample_procedures(catalogue: Catalogue) -> None:
    assert catalogue.version == "2025.1-mau"
    assert catalogue.source
    assert len(catalogue.procedures) >= 28
    codes = [p.code for p in catalogue.procedures]
    assert len(codes) == len(set(codes))


def test_every_procedure_has_documents_and_fees(catalogue: Catalogue) -> None:
    for p in catalogue.procedures:
        assert p.documents, p.code
        assert p.fees, p.code
        assert p.effective_from == datetime.date(2025, 7, 1), p.code
        assert p.field, p.code


def test_codes_are_national_or_clearly_local(catalogue: Catalogue) -> None:
    for p in catalogue.procedures:
        if p.code.startswith("XA."):
            assert re.fullmatch(r"XA\.[A-Z]+\.\d{2}", p.code), p.code
            assert UNVERIFIED_CODE in p.notes, p.code
        else:
            assert re.fullmatch(r"[12]\.\d{6}", p.code), p.code
    # The sample marks these two national codes "(unverified)": the digits stay, the note says so.
    for code in ("1.004859", "1.001612"):
        assert UNVERIFIED_CODE in catalogue.get(code).notes  # type: ignore[union-attr]


def test_unknown_times_are_null_and_unverified_ones_say_so(catalogue: Catalogue) -> None:
    unknown = {p.code for p in catalogue.procedures if p.time is None}
    assert unknown == {"XA.CT.02", "XA.CT.03", "1.001699", "1.011607"}
    for p in catalogue.procedures:
        if p.time is None:
            assert "chưa xác minh" in p.notes, p.code
    for code in ("1.004884", "1.004746", "1.004222", "1.004194", "1.002755", "1.010038", "1.014027"):
        assert "chưa xác minh" in catalogue.get(code).notes, code  # type: ignore[union-attr]


def test_same_day_procedures_have_zero_working_days(catalogue: Catalogue) -> None:
    same_day = [p for p in catalogue.procedures if p.same_day]
    assert len(same_day) == 8
    for p in same_day:
        assert p.time == ProcessingTime(Decimal(0), TimeUnit.WORKING_DAYS), p.code


def test_birth_registration_is_same_day_and_free(catalogue: Catalogue) -> None:
    birth = catalogue.get("1.001193")
    assert birth is not None and birth.name == "Đăng ký khai sinh"
    assert birth.same_day
    assert birth.time == ProcessingTime(Decimal(0), TimeUnit.WORKING_DAYS)
    assert [r.kind for r in birth.fees] == [FeeKind.FREE]
    for channel in ("direct", "online", "postal"):
        assert quote(birth, channel=channel, on=datetime.date(2025, 9, 1)).amount == 0
    assert birth.matches("dang ky khai sinh")


def test_foreign_marriage_runs_in_calendar_days(catalogue: Catalogue) -> None:
    marriage = catalogue.get("2.000806")
    assert marriage is not None
    assert marriage.time == ProcessingTime(Decimal(15), TimeUnit.CALENDAR_DAYS)
    assert not marriage.same_day
    assert marriage.time.label() == "15 ngày"


def test_copy_certification_rule_and_extension(catalogue: Catalogue) -> None:
    copy = catalogue.get("2.000815")
    assert copy is not None
    assert copy.same_day and copy.max_extension_days == 2
    (rule,) = copy.fees
    assert rule.kind is FeeKind.PER_PAGE
    assert [(t.from_page, t.amount) for t in rule.tiers] == [(1, 2000), (3, 1000)]
    assert rule.cap_per_copy == 200_000
    assert DocForm.PRESENTED in {d.form for d in copy.documents}
    others = [p for p in catalogue.procedures if p.code != "2.000815"]
    assert all(p.max_extension_days in (0, 3, 5, 20) for p in others)


def test_residence_fee_lists_online_rule_first(catalogue: Catalogue) -> None:
    for code in ("1.004222", "1.004194", "1.002755", "1.010038"):
        p = catalogue.get(code)
        assert p is not None
        online, general = p.fees
        assert online.channels == ("online",) and general.channels == ()
        assert 0 < online.amount < general.amount, code
    assert [r.amount for r in catalogue.get("1.004222").fees] == [10_000, 20_000]  # type: ignore[union-attr]


def test_local_fees_carry_a_note(catalogue: Catalogue) -> None:
    local = [(p, r) for p in catalogue.procedures for r in p.fees if r.kind is FeeKind.LOCAL]
    assert len(local) >= 8
    for p, rule in local:
        assert "HĐND tỉnh" in rule.note, p.code


def test_optional_documents_follow_the_wording(catalogue: Catalogue) -> None:
    for p in catalogue.procedures:
        for d in p.documents:
            if "(nếu" in d.name or ", nếu " in d.name:
                assert not d.mandatory, (p.code, d.name)
            if d.name.startswith("Tờ khai") or d.name.startswith("Đơn") or d.name.startswith("Giấy đề nghị"):
                assert d.form is DocForm.ORIGINAL and d.mandatory, (p.code, d.name)
            if d.name.startswith("Giấy tờ tùy thân"):
                assert d.form is DocForm.PRESENTED, (p.code, d.name)


def test_all_text_is_nfc(catalogue: Catalogue, json_text: str) -> None:
    assert unicodedata.is_normalized("NFC", json_text)
    for text in _strings(catalogue):
        assert unicodedata.is_normalized("NFC", text)


def test_each_procedure_object_starts_on_its_own_line(json_text: str) -> None:
    lines = json_text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == "{"]
    assert len(starts) == 1 + len(json.loads(json_text)["procedures"])  # top level + one each


def test_csv_example_equals_json(catalogue: Catalogue) -> None:
    from_csv = parse_csv(CSV_PATH.read_text(encoding="utf-8"), version=catalogue.version)
    assert from_csv.procedures == catalogue.procedures
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        assert tuple(next(iter(fh)).strip().split(",")) == CSV_COLUMNS


def test_json_round_trip(catalogue: Catalogue) -> None:
    again = parse_json(catalogue_to_json(catalogue))
    assert again == catalogue


# --- JSON problems ---------------------------------------------------------------------------


def _procedure(code: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": "Thủ tục thử",
        "field": "Hộ tịch",
        "time": {"value": 3, "unit": "working_days"},
        "documents": [{"name": "Tờ khai", "form": "ban_chinh"}],
        **extra,
    }


def test_json_bad_procedure_reports_the_line_where_it_starts() -> None:
    text = (
        '{\n'                                               # 1
        '  "version": "t",\n'                               # 2
        '  "procedures": [\n'                               # 3
        f'    {json.dumps(_procedure("A"))},\n'             # 4
        '    {\n'                                           # 5
        '      "code": "B", "name": "Hỏng",\n'              # 6
        '      "time": {"value": 2, "unit": "weeks"}\n'     # 7
        '    },\n'                                          # 8
        f'    {json.dumps(_procedure("C"))}\n'              # 9
        '  ]\n'
        '}\n'
    )
    with pytest.raises(CatalogueError) as info:
        parse_json(text)
    assert [line for line, _ in info.value.problems] == [5]
    assert "weeks" in info.value.problems[0][1]
    assert "Dòng 5" in str(info.value)


def test_json_bad_procedure_in_shipped_file_names_its_line(json_text: str) -> None:
    data = json.loads(json_text)
    data["procedures"][4]["documents"][0]["count"] = -1
    text = json.dumps(data, ensure_ascii=False, indent=2)
    code_line = next(i for i, line in enumerate(text.splitlines(), 1) if '"XA.HT.01"' in line)
    with pytest.raises(CatalogueError) as info:
        parse_json(text)
    assert [line for line, _ in info.value.problems] == [code_line - 1]


def test_json_duplicate_codes_rejected() -> None:
    text = json.dumps({"version": "t", "procedures": [_procedure("A"), _procedure("B"), _procedure("A")]}, indent=1)
    starts = [i - 1 for i, line in enumerate(text.splitlines(), 1) if '"code": "A"' in line]
    with pytest.raises(CatalogueError) as info:
        parse_json(text)
    ((line, message),) = info.value.problems
    assert line == starts[1] and "trùng" in message and f"dòng {starts[0]}" in message


def test_json_not_json_reports_its_line() -> None:
    with pytest.raises(CatalogueError) as info:
        parse_json('{\n "version": "t",\n "procedures": [\n  {"code": }\n ]\n}')
    assert info.value.problems[0][0] == 4


def test_json_nfd_input_is_stored_nfc() -> None:
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    raw = _procedure(
        nfd("XA.HT.09"),
        name=nfd("Đăng ký khai tử"),
        field=nfd("Hộ tịch"),
        documents=[{"name": nfd("Giấy báo tử"), "form": "ban_chinh"}],
        fees=[{"kind": "local", "note": nfd("Theo nghị quyết HĐND tỉnh")}],
        notes=nfd("Thời hạn chưa xác minh"),
        legal_basis=nfd("Luật Hộ tịch 2014"),
    )
    text = json.dumps({"version": nfd("bản thử"), "source": nfd("nguồn"), "procedures": [raw]}, ensure_ascii=False)
    assert not unicodedata.is_normalized("NFC", text)
    cat = parse_json(text)
    p = cat.procedures[0]
    assert p.name == "Đăng ký khai tử" and p.field == "Hộ tịch"
    assert p.documents[0].name == "Giấy báo tử"
    assert p.fees[0].note == "Theo nghị quyết HĐND tỉnh"
    assert cat.version == "bản thử"
    for text_value in _strings(cat):
        assert unicodedata.is_normalized("NFC", text_value)
    assert p.matches("khai tu")


# --- CSV problems ----------------------------------------------------------------------------


def _row(code: str, *, unit: str = "working_days", documents: str = "Tờ khai|ban_chinh|1|yes", notes: str = "") -> str:
    notes_cell = f'"{notes}"' if notes else ""
    no_fee = "," * 8  # the nine fee_* cells, empty: free
    return f"{code},Thủ tục {code},Hộ tịch,3,{unit},no,0,{no_fee},{documents},,2025-07-01,,{notes_cell}"


def test_csv_bad_time_unit_names_line_4_and_returns_nothing() -> None:
    text = "\n".join([HEADER, _row("A"), _row("B"), _row("C", unit="weeks"), _row("D")]) + "\n"
    result = None
    with pytest.raises(CatalogueError) as info:
        result = parse_csv(text, version="t")
    assert result is None
    ((line, message),) = info.value.problems
    assert line == 4
    assert "weeks" in message


def test_csv_negative_count_names_its_line() -> None:
    text = "\n".join([HEADER, _row("A"), _row("B", documents="Tờ khai|ban_chinh|-1|yes"), _row("C")])
    with pytest.raises(CatalogueError) as info:
        parse_csv(text, version="t")
    assert [line for line, _ in info.value.problems] == [3]


def test_csv_reports_every_bad_line() -> None:
    text = "\n".join([
        HEADER,
        _row("A", documents="Tờ khai|ban_goc|1|yes"),
        _row("B"),
        _row("C", unit="tuần"),
    ])
    with pytest.raises(CatalogueError) as info:
        parse_csv(text, version="t")
    assert [line for line, _ in info.value.problems] == [2, 4]


def test_csv_line_numbers_count_quoted_newlines_before_the_row() -> None:
    text = "\n".join([HEADER, _row("A", notes="dòng một\ndòng hai"), _row("B", unit="weeks")])
    with pytest.raises(CatalogueError) as info:
        parse_csv(text, version="t")
    assert [line for line, _ in info.value.problems] == [4]


def test_csv_bad_multiline_row_names_the_line_where_it_starts() -> None:
    text = "\n".join([HEADER, _row("A"), _row("B", unit="weeks", notes="ghi chú\nhai dòng")])
    with pytest.raises(CatalogueError) as info:
        parse_csv(text, version="t")
    assert [line for line, _ in info.value.problems] == [3]


def test_csv_duplicate_codes_rejected() -> None:
    text = "\n".join([HEADER, _row("A"), _row("B"), _row("A")])
    with pytest.raises(CatalogueError) as info:
        parse_csv(text, version="t")
    ((line, message),) = info.value.problems
    assert line == 4 and "dòng 2" in message


def test_csv_documents_and_optional_flags() -> None:
    docs = "Tờ khai|ban_chinh|1|yes;Bản sao hộ chiếu|ban_sao_chung_thuc|2|no;CCCD|xuat_trinh"
    cat = parse_csv("\n".join([HEADER, _row("A", documents=docs)]), version="t")
    (p,) = cat.procedures
    assert [(d.form, d.count, d.mandatory) for d in p.documents] == [
        (DocForm.ORIGINAL, 1, True),
        (DocForm.CERTIFIED_COPY, 2, False),
        (DocForm.PRESENTED, 1, True),
    ]
    assert [r.kind for r in p.fees] == [FeeKind.FREE]  # empty fees cell means free


def test_csv_missing_columns_and_empty_file() -> None:
    with pytest.raises(CatalogueError) as info:
        parse_csv("code,name\nA,B\n", version="t")
    assert info.value.problems[0][0] == 1 and "time_value" in info.value.problems[0][1]
    with pytest.raises(CatalogueError):
        parse_csv(HEADER + "\n", version="t")


def test_csv_nfd_input_is_stored_nfc() -> None:
    text = unicodedata.normalize("NFD", "\n".join([HEADER, _row("A", documents="Giấy chứng sinh|ban_chinh|1|có")]))
    cat = parse_csv("\ufeff" + text, version=unicodedata.normalize("NFD", "bản thử"))
    (p,) = cat.procedures
    assert p.field == "Hộ tịch" and p.documents[0].name == "Giấy chứng sinh"
    assert cat.version == "bản thử"
    for value in _strings(cat):
        assert unicodedata.is_normalized("NFC", value)


# Hardening found in review: malformed values are reported, never crash nor mean "yes".
@pytest.mark.parametrize(
    "patch",
    [
        {"documents": ["Tờ khai"]},
        {"fees": [{"kind": "per_page", "tiers": [5]}]},
        {"fees": [{"kind": "flat", "amount": 1000, "channels": ["fax"]}]},
        {"same_day": "maybe"},
        {"documents": [{"name": "Tờ khai", "count": 2.7}]},
        {"documents": [{"name": "Tờ khai", "mandatory": "perhaps"}]},
        {"code": 2.00072},
        {"time": {"value": "NaN", "unit": "working_days"}},
    ],
)
def test_malformed_values_are_row_errors(patch):
    import json as _json

    from desk_app.domain.catalogue_io import CatalogueError, parse_json

    proc = {"code": "X.1", "name": "Thủ tục thử", "time": {"value": 1, "unit": "working_days"},
            "documents": [{"name": "Tờ khai"}], "fees": [{"kind": "free"}]}
    proc.update(patch)
    with pytest.raises(CatalogueError) as err:
        parse_json(_json.dumps({"version": "t", "procedures": [proc]}))
    assert err.value.problems[0][0] >= 1


def test_single_channel_string_and_bom_are_accepted():
    import json as _json

    from desk_app.domain.catalogue_io import parse_json

    proc = {"code": "X.1", "name": "Thủ tục thử", "time": None, "documents": [{"name": "Đơn", "mandatory": "false"}],
            "fees": [{"kind": "flat", "amount": 1000, "channels": "online"}, {"kind": "free"}]}
    cat = parse_json("\ufeff" + _json.dumps({"version": "t", "procedures": [proc]}))
    p = cat.procedures[0]
    assert p.fees[0].channels == ("online",)
    assert p.documents[0].mandatory is False
