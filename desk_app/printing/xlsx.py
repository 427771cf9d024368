"""Tables to an Excel workbook (.xlsx, openpyxl): one sheet per table, Vietnamese headers, number
formats, the header frozen, totals in bold. Values stay numbers, so the commune can sum them again."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from desk_app.domain.tables import Cell, Kind, Table
from desk_app.domain.text import nfc

# Excel's own codes; Excel shows them with the reader's separators (1.234 and 3,88 in Vietnamese).
NUMBER_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.DAYS: "0.00",
    Kind.PERCENT: "0.0%",
    Kind.MONEY: "#,##0",
    Kind.MOMENT: "dd/mm/yyyy hh:mm",
}
TITLE_ROWS = 3  # title, subtitle, a blank line; the header starts under them
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="E8EDF2")


def header_rows(table: Table) -> int:
    """One header row, or two when columns are grouped under a spanning header."""
    return 2 if any(c.group for c in table.columns) else 1


def workbook(tables: Sequence[Table], *, subtitle: str) -> bytes:
    """The .xlsx file of ``tables``, each on its own sheet in the order given."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table in tables:
        _sheet(book.create_sheet(nfc(table.name)), table, subtitle)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(ws: Worksheet, table: Table, subtitle: str) -> None:
    ws.cell(1, 1, nfc(table.title.upper())).font = Font(bold=True, size=13)
    ws.row_dimensions[1].height = 24  # room for the marks over capitals (Ề, Ộ), which a short row clips
    ws.cell(2, 1, nfc(subtitle)).font = Font(italic=True)
    first = TITLE_ROWS + 1
    heads = header_rows(table)
    _headers(ws, table, first, heads)
    start = first + heads
    totals_from = len(table.rows) - table.total_rows
    for r, row in enumerate(table.rows):
        for c, (column, value) in enumerate(zip(table.columns, row), start=1):
            cell = ws.cell(start + r, c, _value(value, column.kind))
            cell.border = _BOX
            if column.kind in NUMBER_FORMATS and isinstance(value, (int, float, dt.datetime)):
                cell.number_format = NUMBER_FORMATS[column.kind]
            if column.kind is Kind.TEXT:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r >= totals_from:
                cell.font = Font(bold=True)
    if not table.rows:
        ws.cell(start, 1, "Không có dữ liệu.").font = Font(italic=True)
    if table.note:
        ws.cell(start + max(1, len(table.rows)) + 1, 1, nfc(table.note)).font = Font(italic=True)
    for c, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(8.0, column.width * 14)
    ws.freeze_panes = f"A{start}"  # the header stays on screen while scrolling
    # Printed from Excel: A4 landscape, as wide as the page, the header on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{first}:{start - 1}"


def _headers(ws: Worksheet, table: Table, first: int, heads: int) -> None:
    style = {"font": Font(bold=True), "fill": _HEAD_FILL, "border": _BOX,
             "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True)}
    c = 1
    columns = table.columns
    while c <= len(columns):
        column = columns[c - 1]
        span = 1
        while column.group and c + span <= len(columns) and columns[c + span - 1].group == column.group:
            span += 1
        if heads == 2 and column.group:
            ws.cell(first, c, nfc(column.group))
            ws.merge_cells(start_row=first, start_column=c, end_row=first, end_column=c + span - 1)
            for k in range(span):
                ws.cell(first + 1, c + k, nfc(columns[c + k - 1].header))
        else:
            ws.cell(first, c, nfc(column.header))
            if heads == 2:
                ws.merge_cells(start_row=first, start_column=c, end_row=first + 1, end_column=c)
        c += span
    for row in range(first, first + heads):
        for col in range(1, len(columns) + 1):
            cell = ws.cell(row, col)
            for name, value in style.items():
                setattr(cell, name, value)
    ws.row_dimensions[first + heads - 1].height = 45  # three lines of a wrapped header


def _value(value: Cell, kind: Kind) -> Cell:
    """What goes into the cell: text NFC, percentages as fractions, moments without their offset
    (Excel has none; they are the desk's local times)."""
    if isinstance(value, str):
        return nfc(value)
    if kind is Kind.PERCENT and isinstance(value, (int, float)):
        return value / 100
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value
