"""Shared page pieces of the desk's forms: geometry, styles, header, marks, tables, signatures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.dossier import ReceivedDocument
from desk_app.domain.papers import place_name
from desk_app.domain.text import nfc
from desk_app.printing import fonts
from desk_app.printing.qr import qr_drawing

# The layout is designed in A4 millimetres and points and scaled to the page width, so A5 is the
# same form at 1/√2. Font sizes follow NĐ 30/2020 (12–14 pt on A4).
_PAGES = {PaperSize.A4: A4, PaperSize.A5: A5}
_MARGINS_MM = (12.0, 9.0, 10.0, 12.0)  # left, right, top, bottom
_QR_MM = 30.0  # on A4; on A5 the page scale would make it 21 mm, so it keeps at least _QR_MIN_MM
# A slip's code has 33 modules and a 2-module border: at 28 mm a module is 0.76 mm, 3 pixels of a
# 100 dpi scan. Measured with zbar on skewed, blurred, noisy 100 dpi renderings: 35 of 36 decode
# at 28 mm, 14 of 36 at 26 mm (tests/printing/test_qr_scan.py keeps one such scan).
_QR_MIN_MM = 28.0
_QR_GAP_MM = 2.0
_NATIONAL_MM = 90.0  # right header column: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" at 12 pt
_COLUMN_GAP_MM = 3.0  # keeps the authority line from running into the national name
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
REPRINT_MARK = "BẢN IN LẠI"


@dataclass(frozen=True)
class Geometry:
    """Page size and the two scale factors: ``page`` for lengths, ``font`` for type sizes."""

    size: tuple[float, float]
    page: float
    font: float

    @classmethod
    def for_paper(cls, paper: PaperSize, density: float = 1.0, *, landscape: bool = False) -> Geometry:
        """The page of ``paper``; turned sideways (``landscape``) it keeps the portrait's scale,
        so a ledger book on A4 landscape has the type of an A4 form, not a larger one."""
        size = _PAGES[paper]
        ratio = size[0] / A4[0]
        if landscape:
            size = (size[1], size[0])
        return cls(size=size, page=ratio, font=ratio * density)

    def mm(self, value: float) -> float:
        """A length given in A4 millimetres, in points on this page."""
        return value * mm * self.page

    def pt(self, value: float) -> float:
        """A type size given in A4 points, on this page and density."""
        return value * self.font

    @property
    def margins(self) -> tuple[float, float, float, float]:
        left, right, top, bottom = _MARGINS_MM
        return self.mm(left), self.mm(right), self.mm(top), self.mm(bottom)

    @property
    def width(self) -> float:
        """Width of the text frame."""
        left, right, _, _ = self.margins
        return self.size[0] - left - right


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    center: ParagraphStyle
    head: ParagraphStyle  # bold centred header lines
    italic_center: ParagraphStyle
    title: ParagraphStyle
    mark: ParagraphStyle  # copy mark, italic, right
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle

    @classmethod
    def for_geometry(cls, geom: Geometry) -> Styles:
        family = fonts.register_fonts()

        def style(
            name: str, size: float, align: Literal[0, 1, 2], font: str = family, before: float = 0, after: float = 0
        ) -> ParagraphStyle:
            pts = geom.pt(size)
            return ParagraphStyle(
                name,
                fontName=font,
                fontSize=pts,
                leading=pts * 1.22,
                alignment=align,
                spaceBefore=geom.pt(before),
                spaceAfter=geom.pt(after),
            )

        return cls(
            body=style("body", 13, TA_LEFT, after=1.5),
            center=style("center", 13, TA_CENTER),
            head=style("head", 12, TA_CENTER, fonts.BOLD),
            italic_center=style("italic_center", 12, TA_CENTER, fonts.ITALIC),
            title=style("title", 14, TA_CENTER, fonts.BOLD, before=6),
            mark=style("mark", 11, TA_RIGHT, fonts.ITALIC),
            cell=style("cell", 12, TA_LEFT),
            cell_center=style("cell_center", 12, TA_CENTER),
            cell_head=style("cell_head", 12, TA_CENTER, fonts.BOLD),
        )


def text(value: str) -> str:
    """NFC, then escaped for Paragraph markup: reportlab stacks NFD marks beside their letter."""
    return escape(nfc(value))


def para(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text(value), style)


def labelled(label: str, value: str, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    """"Label: value", the value in bold when it is what the citizen must not miss."""
    shown = f"<b>{text(value)}</b>" if bold else text(value)
    return Paragraph(f"{text(label)}: {shown}", style)


def date_line(place: str, day: dt.date) -> str:
    """"Tân Phú, ngày 22 tháng 11 năm 2026": the place without "Xã"/"Phường" (a desk set up
    before this rule stored "Xã Tân Phú"), two-digit day and month, as state documents do."""
    return f"{place_name(place)}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def time_phrase(moment: dt.datetime) -> str:
    """"09 giờ 15 phút, ngày 25/11/2026" in the time's own (the desk's) offset."""
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def in_sentence(commune: str) -> str:
    """"Xã Tân Phú" as written inside a sentence: "xã Tân Phú"."""
    value = nfc(commune)
    return value[:1].lower() + value[1:]


# Two-syllable words of the header lines that a line break must not cut.
_ONE_WORD = frozenset({("ỦY", "BAN"), ("NHÂN", "DÂN"), ("BỘ", "PHẬN"), ("TIẾP", "NHẬN"), ("KẾT", "QUẢ"),
                       ("TRUNG", "TÂM"), ("PHỤC", "VỤ"), ("HÀNH", "CHÍNH"), ("THỊ", "TRẤN"), ("ĐẶC", "KHU")})


def _header_lines(lines: Sequence[str], style: ParagraphStyle, width: float) -> list[Paragraph]:
    """Bold header lines sharing one size: a line that is too wide is broken into two of similar
    width ("BỘ PHẬN TIẾP NHẬN / VÀ TRẢ KẾT QUẢ", never a lone word), then all shrink to fit."""

    def measure(part: str) -> float:
        return pdfmetrics.stringWidth(part, style.fontName, style.fontSize)

    broken: list[list[str]] = []
    for line in lines:
        value = nfc(line)
        words = value.split()
        parts = [value]
        if measure(value) * 0.92 > width and len(words) > 1:  # up to 8 % shrink beats a break
            # Never between the syllables of one word ("ỦY BAN NHÂN / DÂN XÃ …"), if avoidable.
            cuts = [i for i in range(1, len(words)) if (words[i - 1], words[i]) not in _ONE_WORD]
            splits = [[" ".join(words[:i]), " ".join(words[i:])] for i in cuts or range(1, len(words))]
            parts = min(splits, key=lambda pair: max(measure(pair[0]), measure(pair[1])))
        broken.append(parts)
    widest = max(measure(part) for parts in broken for part in parts)
    if widest > width:
        size = style.fontSize * width / widest * 0.995  # just under the width despite rounding
        style = ParagraphStyle(style.name + "_fit", parent=style, fontSize=size, leading=size * 1.22)
    return [Paragraph("<br/>".join(escape(part) for part in parts), style) for parts in broken]


def _shrunk(line: str, style: ParagraphStyle, width: float, floor: float = 0.85) -> Paragraph:
    """A line shrunk (not below ``floor``) to stay on one line; a longer one wraps."""
    wanted = pdfmetrics.stringWidth(nfc(line), style.fontName, style.fontSize)
    factor = max(floor, width / wanted * 0.995) if wanted > width else 1.0
    if factor < 1.0:
        size = style.fontSize * factor
        style = ParagraphStyle(style.name + "_fit", parent=style, fontSize=size, leading=size * 1.22)
    return para(line, style)


def header(
    geom: Geometry,
    styles: Styles,
    profile: DeskProfile,
    *,
    number: str | None,
    day: dt.date,
    qr_payload: str | None,
) -> Table:
    """QR | authority and unit, rule, "Số: …" | national name, motto, rule, italic place and date.

    The QR has its own column so it can never overlap the header text. A paper about no dossier
    (a report) has no QR: ``qr_payload`` None leaves the column out.
    """
    qr_side = max(geom.mm(_QR_MM), _QR_MIN_MM * mm)
    qr_w = qr_side + geom.mm(_QR_GAP_MM) if qr_payload is not None else 0.0
    right_w = geom.mm(_NATIONAL_MM)
    gap = geom.mm(_COLUMN_GAP_MM)
    left_w = geom.width - qr_w - right_w - gap
    space = geom.pt(2)
    left: list[Flowable] = [
        *_header_lines([profile.authority.upper(), profile.unit_name.upper()], styles.head, left_w),
        HRFlowable(width="35%", thickness=0.6, color="black", spaceBefore=space * 2, spaceAfter=space * 2),
    ]
    if number:
        left.append(para(f"Số: {number}", styles.center))
    national = _header_lines([NATIONAL_NAME, NATIONAL_MOTTO], styles.head, right_w)
    motto = national[1]
    motto_w = pdfmetrics.stringWidth(NATIONAL_MOTTO, motto.style.fontName, motto.style.fontSize)
    right: list[Flowable] = [
        *national,
        HRFlowable(width=motto_w, thickness=0.6, color="black", spaceBefore=space * 2, spaceAfter=space * 3),
        _shrunk(date_line(profile.place, day), styles.italic_center, right_w),
    ]
    if qr_payload is None:
        table = Table([[left, "", right]], colWidths=[left_w, gap, right_w])
    else:
        table = Table([[qr_drawing(qr_payload, qr_side), left, "", right]], colWidths=[qr_w, left_w, gap, right_w])
    # ALIGN centres the rules: a table places each flowable in a cell by the cell's alignment.
    table.setStyle(
        TableStyle([*_PLAIN.getCommands(), ("ALIGN", (0 if qr_payload is None else 1, 0), (-1, 0), "CENTER"),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), geom.pt(4))])
    )
    return table


_PLAIN = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
)


def copy_mark(geom: Geometry, styles: Styles, mark: str, *, reprint: bool,
              printed_at: dt.datetime | None = None) -> Table:
    """The copy's destination at the right, under the header; a boxed "BẢN IN LẠI" at the left,
    with the time of this printing under it when known."""
    left: Flowable | list[Flowable] = Spacer(1, 1)
    commands = list(_PLAIN.getCommands())
    if reprint:
        left = [para(REPRINT_MARK, ParagraphStyle("reprint", parent=styles.head, alignment=TA_CENTER))]
        if printed_at is not None:
            small = ParagraphStyle("reprint_at", parent=styles.italic_center, fontSize=geom.pt(9),
                                   leading=geom.pt(9) * 1.22)
            left.append(para(f"in lúc {printed_at:%H:%M}, {printed_at:%d/%m/%Y}", small))
        pad = geom.pt(2)
        commands += [("BOX", (0, 0), (0, 0), 1.2, "black"), ("TOPPADDING", (0, 0), (0, 0), pad),
                     ("BOTTOMPADDING", (0, 0), (0, 0), pad + geom.pt(1.5))]
    table = Table([[left, para(mark, styles.mark)]], colWidths=[geom.mm(40), geom.width - geom.mm(40)])
    table.setStyle(TableStyle(commands + [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def notice(geom: Geometry, styles: Styles, message: str) -> Table:
    """A boxed bold sentence across the page: what a reader of this paper must not miss."""
    pad = geom.pt(3)
    table = Table([[para(message, ParagraphStyle("notice", parent=styles.head, fontSize=styles.body.fontSize,
                                                 leading=styles.body.leading))]],
                  colWidths=[geom.width])
    table.setStyle(TableStyle([*_PLAIN.getCommands(), ("BOX", (0, 0), (-1, -1), 1.2, "black"),
                               ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                               ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 1.5)]))
    return table


def title_block(styles: Styles, title: str, lines: Sequence[tuple[str, str]]) -> list[Flowable]:
    """The centred bold upper-case title and, under it, centred "Label: value" lines."""
    block: list[Flowable] = [para(title.upper(), styles.title)]
    block += [labelled(label, value, styles.center, bold=True) for label, value in lines]
    return block


def grid_table(geom: Geometry, rows: Sequence[Sequence[Flowable | list[Flowable]]], widths: Sequence[float]) -> Table:
    """A ruled table whose first row is a header repeated on a continuation page."""
    pad = geom.pt(2.5)
    table = Table([list(row) for row in rows], colWidths=[geom.width * w for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ]
        )
    )
    return table


_DOCUMENT_COLUMNS = (0.08, 0.55, 0.25, 0.12)


def documents_table(caption: str, documents: Sequence[ReceivedDocument], geom: Geometry, styles: Styles) -> list[Flowable]:
    """The papers table shared by the forms: STT, Tên giấy tờ, Hình thức, Số lượng (empty: nothing)."""
    if not documents:
        return []
    rows: list[list[Flowable]] = [[para(h, styles.cell_head) for h in ("STT", "Tên giấy tờ", "Hình thức", "Số lượng")]]
    for number, doc in enumerate(documents, start=1):
        rows.append([
            para(str(number), styles.cell_center),
            para(doc.name, styles.cell),
            para(doc.form.label, styles.cell_center),
            para(str(doc.count), styles.cell_center),
        ])
    return [para(caption, styles.body), grid_table(geom, rows, _DOCUMENT_COLUMNS), Spacer(1, geom.pt(4))]


def _signature_block(geom: Geometry, styles: Styles, title: str, name: str) -> list[Flowable]:
    return [
        para(title.upper(), styles.head),
        para("(Ký và ghi rõ họ tên)", styles.italic_center),
        Spacer(1, geom.mm(22)),
        para(name, styles.head) if name else Spacer(1, 1),
    ]


def signatures(geom: Geometry, styles: Styles, left: str, right: str, right_name: str) -> KeepTogether:
    """Two side-by-side signature blocks, kept together so a page break never cuts them."""
    half = geom.width / 2
    table = Table([[_signature_block(geom, styles, left, ""), _signature_block(geom, styles, right, right_name)]],
                  colWidths=[half, half])
    table.setStyle(_PLAIN)
    return KeepTogether([Spacer(1, geom.pt(8)), table])


def signature(geom: Geometry, styles: Styles, title: str, name: str) -> KeepTogether:
    """One signature block in the right half (a form signed by the officer alone)."""
    half = geom.width / 2
    table = Table([["", _signature_block(geom, styles, title, name)]], colWidths=[half, half])
    table.setStyle(_PLAIN)
    return KeepTogether([Spacer(1, geom.pt(8)), table])
