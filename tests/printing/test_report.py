"""The report on paper (A4 landscape PDF, official header) and in Excel, read back and checked."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

from openpyxl import load_workbook
from pypdf import PdfReader

from desk_app.domain.desk import DeskProfile
from desk_app.domain.indicators import DEFAULT_SCALE
from desk_app.domain.period_report import build_report
from desk_app.domain.tables import Kind, display, report_subtitle, report_tables
from desk_app.printing import fonts
from desk_app.printing.report import tables_pdf
from desk_app.printing.xlsx import NUMBER_FORMATS, TITLE_ROWS, workbook
from tests.domain.test_statistics import MONTH, NOVEMBER
from tests.printing.conftest import flat, font_names, page_texts

REPORT = build_report(MONTH, NOVEMBER, unit="Xã Tân Phú (000.21.33.H49)", scale=None, guidance_issued=1)
RATED = build_report(MONTH, NOVEMBER, unit="Xã Tân Phú (000.21.33.H49)", scale=DEFAULT_SCALE)


def pdf_of(report, profile: DeskProfile) -> bytes:
    return tables_pdf(profile, title="Báo cáo tình hình, kết quả giải quyết thủ tục hành chính",
                      lines=["Kỳ báo cáo: từ ngày 01/11/2026 đến ngày 30/11/2026"], tables=report_tables(report),
                      day=dt.date(2026, 12, 5))


def test_pdf_is_a4_landscape_with_the_official_header_and_the_figures(profile: DeskProfile) -> None:
    pdf = pdf_of(REPORT, profile)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = flat(" ".join(page_texts(pdf)))
    for expected in ("ỦY BAN NHÂN DÂN XÃ TÂN PHÚ", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Tân Phú, ngày 05 tháng 12 năm 2026", "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
                     "Kỳ báo cáo: từ ngày 01/11/2026 đến ngày 30/11/2026", "Số hồ sơ tiếp nhận", "Kỳ trước chuyển qua",
                     "Tổng cộng", "Chứng thực", "Hộ tịch", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "Trang 1"):
        assert expected in text, expected
    # The totals row of the summary: 11 received, 2 carried over, 9 new (7 · 1 · 1), 6 resolved (3 · 2 · 1) …
    assert "Tổng cộng 11 2 9 7 1 1 6 3 2 1 2 1 1 1 3 1 1 0 2 3,88" in text
    assert "62,50" in text and "chưa có dữ liệu" in text  # 2.1; 4.2 and 5.4 say there is no data
    assert "(Số hồ sơ đã giải quyết trước hạn + đúng hạn" in text  # the formula beside the figure
    assert text == unicodedata.normalize("NFC", text)


def test_pdf_fonts_are_the_embedded_liberation_serif(profile: DeskProfile) -> None:
    assert font_names(pdf_of(REPORT, profile)) <= {fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC}


def test_pdf_is_byte_stable(profile: DeskProfile) -> None:
    assert pdf_of(REPORT, profile) == pdf_of(REPORT, profile)


def test_long_tables_repeat_their_header_on_every_page(profile: DeskProfile) -> None:
    from desk_app.domain.tables import Column, Table

    rows = tuple((n, f"Thủ tục số {n}", n * 3) for n in range(1, 121))
    table = Table("Dài", "Một bảng dài", (Column("STT", Kind.COUNT), Column("Tên", Kind.TEXT, 3),
                                         Column("Số lượng", Kind.COUNT)), rows)
    pdf = tables_pdf(profile, title="Thử", lines=[], tables=[table], day=dt.date(2026, 12, 5))
    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert all("Số lượng" in page for page in pages[:-1])
    assert "Thủ tục số 120 360" in flat(" ".join(pages))


def test_workbook_one_sheet_per_table_frozen_header_numbers_kept_as_numbers() -> None:
    book = load_workbook(io.BytesIO(workbook(report_tables(REPORT), subtitle=report_subtitle(REPORT))))
    assert book.sheetnames == ["Tổng hợp", "Theo thủ tục", "Chỉ số QĐ 766", "Đánh giá"]
    summary = book["Tổng hợp"]
    head = TITLE_ROWS + 1
    assert summary.cell(1, 1).value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THEO LĨNH VỰC"
    assert "từ ngày 01/11/2026 đến ngày 30/11/2026" in summary.cell(2, 1).value
    # Two header rows (groups spanning their columns), frozen under them.
    assert [summary.cell(head, c).value for c in (1, 2, 3, 9, 13)] == [
        "STT", "Lĩnh vực", "Số hồ sơ tiếp nhận", "Đã giải quyết", "Đang giải quyết"]
    assert [summary.cell(head + 1, c).value for c in range(3, 9)] == [
        "Tổng số", "Kỳ trước chuyển qua", "Mới trong kỳ", "Trực tiếp", "Trực tuyến", "Bưu chính"]
    assert "C4:H4" in {str(r) for r in summary.merged_cells.ranges}
    assert summary.freeze_panes == f"A{head + 2}"
    rows = list(summary.iter_rows(min_row=head + 2, values_only=True))
    assert rows[0][:3] == (1, "Chứng thực", 9) and rows[1][:3] == (2, "Hộ tịch", 2)
    total = rows[2]
    assert total[1] == "Tổng cộng" and total[2:10] == (11, 2, 9, 7, 1, 1, 6, 3)
    assert abs(total[-1] - 23.25 / 6) < 1e-9  # the average stays a number, shown with 2 decimals
    total_row = head + 4
    assert summary.cell(total_row, 2).font.bold
    assert summary.cell(total_row, 3).number_format == NUMBER_FORMATS[Kind.COUNT]
    assert summary.cell(total_row, 22).number_format == NUMBER_FORMATS[Kind.DAYS]
    assert summary.page_setup.orientation == "landscape"


def test_workbook_indicators_and_ratings() -> None:
    book = load_workbook(io.BytesIO(workbook(report_tables(RATED), subtitle=report_subtitle(RATED))))
    sheet = book["Chỉ số QĐ 766"]
    first = TITLE_ROWS + 2
    values = {row[0]: row for row in sheet.iter_rows(min_row=first, max_row=first + 3, values_only=True)}
    assert set(values) == {"2.1", "2.2", "4.2", "5.4"}
    assert values["2.1"][3:7] == (5, 8, 62.5, "%") and values["2.1"][2].startswith("(Số hồ sơ")
    assert values["4.2"][5] == "chưa có dữ liệu"
    assert values["5.4"][5] == 50.0
    ratings = book["Đánh giá"]
    rows = list(ratings.iter_rows(min_row=first, values_only=True))
    assert rows[0] == ("Rất hài lòng", 0, 0) and rows[1] == ("Hài lòng", 1, 0.5)
    assert rows[3] == ("Không hài lòng", 1, 0.5) and rows[4] == ("Tổng cộng", 2, 1)
    assert ratings.cell(first + 1, 3).number_format == NUMBER_FORMATS[Kind.PERCENT]


def test_without_ratings_the_sheet_says_so() -> None:
    book = load_workbook(io.BytesIO(workbook(report_tables(REPORT), subtitle="")))
    texts = [c for row in book["Đánh giá"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("Chưa có dữ liệu" in t for t in texts)


def test_vietnamese_display_of_numbers() -> None:
    assert display(1234, Kind.COUNT) == "1.234"
    assert display(3.875, Kind.DAYS) == "3,88"
    assert display(62.5, Kind.PERCENT) == "62,5%"
    assert display(200000, Kind.MONEY) == "200.000"
    assert display(dt.datetime(2026, 11, 23, 9, 15), Kind.MOMENT) == "09:15 23/11/2026"
    assert display(None, Kind.COUNT) == ""
