"""Tables on A4 landscape with the official header: the period report and the ledger's list for print."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Literal

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer, Table, TableStyle

from desk_app.domain.desk import DeskProfile
from desk_app.domain.tables import Kind, display
from desk_app.domain.tables import Table as DataTable
from desk_app.domain.text import nfc
from desk_app.printing import fonts
from desk_app.printing.layout import Geometry, Styles, header, para, signatures

LANDSCAPE = Geometry(size=landscape(A4), page=1.0, font=1.0)
CELL_PT = 8.5  # 20 columns of figures fit across the page at this size


def _style(name: str, size: float, align: Literal[0, 1, 2], font: str = fonts.REGULAR) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.2, alignment=align)


def _section(geom: Geometry, styles: Styles, table: DataTable) -> list[Flowable]:
    """A heading, the ruled table (grouped header cells spanning their columns), its note."""
    fonts.register_fonts()
    head = _style("report_head", CELL_PT, TA_CENTER, fonts.BOLD)
    text = _style("report_text", CELL_PT, TA_LEFT)
    number = _style("report_number", CELL_PT, TA_RIGHT)
    bold_text = _style("report_text_bold", CELL_PT, TA_LEFT, fonts.BOLD)
    bold_number = _style("report_number_bold", CELL_PT, TA_RIGHT, fonts.BOLD)
    columns = table.columns
    grouped = any(c.group for c in columns)
    rows: list[list[Flowable | str]] = []
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    if grouped:
        top: list[Flowable | str] = []
        bottom: list[Flowable | str] = []
        c = 0
        while c < len(columns):
            span = 1
            while columns[c].group and c + span < len(columns) and columns[c + span].group == columns[c].group:
                span += 1
            if columns[c].group:
                top += [para(columns[c].group, head)] + [""] * (span - 1)
                bottom += [para(columns[k].header, head) for k in range(c, c + span)]
                if span > 1:
                    spans.append(("SPAN", (c, 0), (c + span - 1, 0)))
            else:
                top.append(para(columns[c].header, head))
                bottom.append("")
                spans.append(("SPAN", (c, 0), (c, 1)))
            c += span
        rows += [top, bottom]
    else:
        rows.append([para(c.header, head) for c in columns])
    heads = len(rows)
    totals_from = len(table.rows) - table.total_rows
    for r, row in enumerate(table.rows):
        total = r >= totals_from
        cells: list[Flowable | str] = []
        for column, value in zip(columns, row):
            shown = display(value, column.kind)
            if column.kind is Kind.TEXT or isinstance(value, str):
                cells.append(para(shown, bold_text if total else text))
            else:
                cells.append(para(shown, bold_number if total else number))
        rows.append(cells)
    weights = sum(c.width for c in columns)
    widths = [geom.width * c.width / weights for c in columns]
    out: list[Flowable] = [para(table.title, styles.head), Spacer(1, geom.pt(3))]
    if table.rows:
        grid = Table(rows, colWidths=widths, repeatRows=heads)
        grid.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # empty cells too: no unembedded Helvetica
            ("VALIGN", (0, 0), (-1, heads - 1), "MIDDLE"),
            ("VALIGN", (0, heads), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, heads - 1), "#E8EDF2"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            *spans,
        ]))
        out.append(grid)
    if table.note or not table.rows:
        out.append(para(table.note or "Không có dữ liệu.", _style("report_note", CELL_PT + 1, TA_LEFT, fonts.ITALIC)))
    out.append(Spacer(1, geom.pt(9)))
    return out


def tables_pdf(
    profile: DeskProfile, *, title: str, lines: Sequence[str], tables: Sequence[DataTable], day: dt.date,
    signers: tuple[str, str] = ("Người lập biểu", "Thủ trưởng đơn vị"), subject: str = "",
) -> bytes:
    """One PDF: the official header (no QR: the paper is about no dossier), the title and its lines,
    each table in turn (its header repeated on every page), two signatures; "Trang n" at the foot."""
    geom = LANDSCAPE
    styles = Styles.for_geometry(geom)
    story: list[Flowable] = [
        header(geom, styles, profile, number=None, day=day, qr_payload=None),
        para(title.upper(), styles.title),
        *[para(line, styles.italic_center) for line in lines],
        Spacer(1, geom.pt(8)),
    ]
    for table in tables:
        story += _section(geom, styles, table)
    story.append(signatures(geom, styles, signers[0], signers[1], ""))
    return _build(story, geom, title=title, author=profile.commune, subject=subject or title)


def _build(story: list[Flowable], geom: Geometry, *, title: str, author: str, subject: str) -> bytes:
    left, right, top, bottom = geom.margins

    def footer(canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setFont(fonts.ITALIC, 9)
        canv.drawRightString(geom.size[0] - right, bottom / 2, f"Trang {canv.getPageNumber()}")
        canv.restoreState()

    rl_config.useA85 = 0  # binary streams, as the forms (printing.document)
    out = io.BytesIO()
    frame = Frame(left, bottom, geom.width, geom.size[1] - top - bottom, 0, 0, 0, 0, id="body")
    doc = BaseDocTemplate(
        out, pagesize=geom.size, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
        title=nfc(title), author=nfc(author), subject=nfc(subject), creator="desk_app", invariant=1,
        initialFontName=fonts.REGULAR, pageTemplates=[PageTemplate("report", [frame], onPageEnd=footer)],
    )
    doc.build(story)
    return out.getvalue()
