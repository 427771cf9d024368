"""The catalogue's CSV form as offices edit it: plain fee columns, spreadsheet habits, export round trip."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from desk_app.domain.catalogue import FeeKind, PageTier
from desk_app.domain.catalogue_csv import CSV_COLUMNS, FEE_COLUMNS, catalogue_to_csv, parse_csv
from desk_app.domain.catalogue_io import CatalogueError, parse_json
from desk_app.domain.csv_files import decode
from desk_app.domain.fees import quote
from tests.domain.test_csv_files import windows_1258

JSON_PATH = Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "catalogue.json"


@pytest.fixture(scope="module")
def shipped():
    return parse_json(JSON_PATH.read_text(encoding="utf-8"))


def table(*rows: dict[str, str], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def procedure_row(code: str = "2.000815", **cells: str) -> dict[str, str]:
    return {"code": code, "name": "Chứng thực bản sao", "field": "Chứng thực", "time_value": "0",
            "time_unit": "working_days", "same_day": "có", "documents": "Bản chính|xuat_trinh|1|có", **cells}


def test_fee_columns_per_page_with_cap():
    text = table(procedure_row(fee_kind="per_page", fee_page_amounts="từ trang 1: 2.000; từ trang 3: 1.000",
                               fee_cap="200.000 đ"))
    (p,) = parse_csv(text, version="t").procedures
    (rule,) = p.fees
    assert (rule.kind, rule.tiers, rule.cap_per_copy) == (FeeKind.PER_PAGE, (PageTier(1, 2000), PageTier(3, 1000)), 200_000)
    assert quote(p, channel="direct", on=dt.date(2026, 1, 5), pages=3, copies=2).amount == 10_000


def test_several_fee_rules_are_extra_rows_with_the_same_code_and_no_name():
    text = table(
        procedure_row("1.004222", fee_kind="flat", fee_amount="10000", fee_channels="online", fee_from="05/02/2023"),
        {"code": "1.004222", "fee_kind": "cố định", "fee_amount": "20,000", "fee_from": "2023-02-05",
         "fee_note": "trực tiếp"},
        procedure_row("1.001193", fee_kind="Miễn phí"),
    )
    first, second = parse_csv(text, version="t").procedures
    assert [(r.kind, r.amount, r.channels, r.effective_from) for r in first.fees] == [
        (FeeKind.FLAT, 10_000, ("online",), dt.date(2023, 2, 5)),
        (FeeKind.FLAT, 20_000, (), dt.date(2023, 2, 5)),
    ]
    assert quote(first, channel="direct", on=dt.date(2026, 1, 5)).amount == 20_000
    assert [r.kind for r in second.fees] == [FeeKind.FREE]


def test_empty_fee_columns_mean_free_and_dates_may_be_day_first():
    (p,) = parse_csv(table(procedure_row(effective_from="01/07/2025", effective_to="2027-03-01")), version="t").procedures
    assert [r.kind for r in p.fees] == [FeeKind.FREE]
    assert (p.effective_from, p.effective_to) == (dt.date(2025, 7, 1), dt.date(2027, 3, 1))


def test_code_shortened_by_a_spreadsheet_gets_its_zeros_back():
    (p,) = parse_csv(table(procedure_row("2.00072")), version="t").procedures
    assert p.code == "2.000720"


def test_decimal_comma_time_value():
    (p,) = parse_csv(table(procedure_row(time_value="0,5", same_day="không")), version="t").procedures
    assert str(p.time.value) == "0.5"


@pytest.mark.parametrize("cells, line, words", [
    ({"fee_kind": "flat", "fee_amount": "mười nghìn"}, 2, "không phải số tiền"),
    ({"fee_kind": "per_page", "fee_page_amounts": "1-2: 2000"}, 2, "từ trang 1: 2000; từ trang 3: 1000"),
    ({"fee_amount": "10000"}, 2, "thiếu loại phí"),
    ({"fee_kind": "weekly"}, 2, "Loại phí 'weekly' không hợp lệ"),
    ({"effective_from": "31/02/2025"}, 2, "Không có ngày 31/02/2025"),
    ({"fee_kind": "flat", "fee_amount": "1000", "fee_to": "2025-13-01"}, 2, "tháng chỉ từ 1 đến 12"),
])
def test_bad_cells_name_their_line(cells, line, words):
    with pytest.raises(CatalogueError) as err:
        parse_csv(table(procedure_row(**cells)), version="t")
    ((where, message),) = err.value.problems
    assert where == line and words in message


def test_extra_fee_row_problems_name_the_extra_row():
    text = table(
        procedure_row("A.1"),
        procedure_row("B.1"),
        {"code": "A.1", "fee_kind": "flat", "fee_amount": "1000", "documents": "Đơn"},  # line 4
        {"code": "C.1", "fee_kind": "flat", "fee_amount": "1000"},  # line 5: no procedure row
        {"code": "B.1"},  # line 6: a code and nothing else
    )
    with pytest.raises(CatalogueError) as err:
        parse_csv(text, version="t")
    lines = dict(err.value.problems)
    assert "cột documents phải để trống" in lines[4]
    assert "thiếu tên thủ tục C.1" in lines[5]
    assert "không có loại phí" in lines[6]


def test_old_json_fees_column_is_refused_with_the_new_columns_named():
    text = "code,name,time_value,fees\nA,Thủ tục,3,\"[{\"\"kind\"\": \"\"free\"\"}]\"\n"
    with pytest.raises(CatalogueError) as err:
        parse_csv(text, version="t")
    assert "fee_kind" in str(err.value) and "desk-app catalog export" in str(err.value)


def test_export_round_trips_the_shipped_catalogue(shipped):
    for delimiter in (",", ";"):
        again = parse_csv(catalogue_to_csv(shipped, delimiter=delimiter), version=shipped.version)
        assert again.procedures == shipped.procedures


def test_export_has_plain_fee_columns_and_no_json(shipped):
    rows = list(csv.DictReader(io.StringIO(catalogue_to_csv(shipped))))
    assert not any("{" in cell for row in rows for cell in row.values())
    copy = next(r for r in rows if r["code"] == "2.000815")
    assert {c: copy[c] for c in ("fee_kind", "fee_page_amounts", "fee_cap")} == {
        "fee_kind": "per_page", "fee_page_amounts": "từ trang 1: 2000; từ trang 3: 1000", "fee_cap": "200000"}
    residence = [r for r in rows if r["code"] == "1.004222"]
    assert [(r["name"] != "", r["fee_amount"], r["fee_channels"]) for r in residence] == [
        (True, "10000", "online"), (False, "20000", "")]
    assert all(r[c] == "" for r in residence[1:] for c in CSV_COLUMNS if c not in FEE_COLUMNS and c != "code")


def spreadsheet_resave(text: str, *, delimiter: str, national_codes_as_numbers: bool,
                       short_years: bool = False) -> str:
    """What a spreadsheet does to a CSV it opens and saves again: cells unquoted where it can, its
    own separator, national codes as numbers (Excel in English: 2.000720 → 2.00072), dates in the
    short format (LibreOffice Calc: 01/07/2025 → 01/07/25), a formatted empty row at the end."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        if national_codes_as_numbers and row[0][:2] in ("1.", "2."):
            row[0] = str(float(row[0]))
        if short_years:
            row = [re.sub(r"^(\d\d/\d\d/)20(\d\d)$", r"\1\2", cell) for cell in row]
        writer.writerow(row)
    writer.writerow([""] * len(rows[0]))
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1258"])
def test_export_survives_a_spreadsheet_in_a_vietnamese_or_english_locale(shipped, encoding):
    exported = catalogue_to_csv(shipped)
    for delimiter, numbers, short_years in ((";", False, False), (",", True, False), (";", False, True)):
        saved = spreadsheet_resave(exported, delimiter=delimiter, national_codes_as_numbers=numbers,
                                   short_years=short_years)
        assert short_years == ("01/07/25" in saved)
        data = windows_1258(saved) if encoding == "cp1258" else saved.encode(encoding)
        again = parse_csv(decode(data, name="danh-muc.csv"), version=shipped.version)
        assert again.procedures == shipped.procedures
