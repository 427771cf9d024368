"""Shared page pieces of the desk's forms: geometry, styles, header, QR, marks, signatures, build."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.text import nfc
from desk_app.printing import fonts

# The layout is designed in A4 millimetres and points and scaled to the page width, so A5 is the
# same form at 1/√2. Font sizes follow NĐ 30/2020 (12–14 pt on A4).
_PAGES = {PaperSize.A4: A4, PaperSize.A5: A5}
_MARGINS_MM = (12.0, 9.0, 10.0, 12.0)  # left, right, top, bottom
_QR_MM = 30.0  # ~21 mm on A5: a version-13 code (~290 bytes, level M) keeps modules ≈ 0.29 mm
_QR_GAP_MM = 2.0
_NATIONAL_MM = 90.0  # right header column: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" at 12 pt
# Font densities tried in turn until one copy fits on one page; the last resort flows instead.
DENSITIES = (1.0, 0.93, 0.86, 0.8)
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Geometry:
    """Page size and the two scale factors: ``page`` for lengths, ``font`` for type sizes."""

    size: tuple[float, float]
    page: float
    font: float

    @classmethod
    def for_paper(cls, paper: PaperSize, density: float = 1.0) -> Geometry:
        size = _PAGES[paper]
        ratio = size[0] / A4[0]
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

        def style(name: str, size: float, **kw: object) -> ParagraphStyle:
            pts = geom.pt(size)
            kw.setdefault("fontName", family)
            return ParagraphStyle(name, fontSize=pts, leading=pts * 1.22, **kw)

        return cls(
            body=style("body", 13, alignment=TA_LEFT, spaceAfter=geom.pt(1.5)),
            center=style("center", 13, alignment=TA_CENTER),
            head=style("head", 12, alignment=TA_CENTER, fontName=fonts.BOLD),
            italic_center=style("italic_center", 12, alignment=TA_CENTER, fontName=fonts.ITALIC),
            title=style("title", 14, alignment=TA_CENTER, fontName=fonts.BOLD, spaceBefore=geom.pt(6)),
            mark=style("mark", 11, alignment=TA_RIGHT, fontName=fonts.ITALIC),
            cell=style("cell", 12, alignment=TA_LEFT),
            cell_center=style("cell_center", 12, alignment=TA_CENTER),
            cell_head=style("cell_head", 12, alignment=TA_CENTER, fontName=fonts.BOLD),
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
    """"Tân Phú, ngày 22 tháng 11 năm 2026" (two-digit day and month, as state documents do)."""
    return f"{nfc(place)}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def time_phrase(moment: dt.datetime) -> str:
    """"09 giờ 15 phút, ngày 25/11/2026" in the time's own (the desk's) offset."""
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def in_sentence(commune: str) -> str:
    """"Xã Tân Phú" as written inside a sentence: "xã Tân Phú"."""
    value = nfc(commune)
    return value[:1].lower() + value[1:]


def qr_code(payload: str, geom: Geometry) -> Drawing:
    """The TT 01/2023 QR as a square drawing (quiet zone included) sized for this page."""
    side = geom.mm(_QR_MM)
    # Level M (15 % recovery) for a paper that lives in a pocket; the payload is already NFC.
    widget = QrCodeWidget(payload, barLevel="M", barWidth=side, barHeight=side, barBorder=2)
    drawing = Drawing(side, side)
    drawing.add(widget)
    return drawing


def _fitted(line: str, style: ParagraphStyle, width: float) -> Paragraph:
    """One header line, slightly shrunk to stay on one line; if that is not enough, broken into two
    lines of similar width ("BỘ PHẬN TIẾP NHẬN / VÀ TRẢ KẾT QUẢ"), never leaving a lone word."""
    value = nfc(line)

    def measure(part: str) -> float:
        return pdfmetrics.stringWidth(part, style.fontName, style.fontSize)

    lines = [value]
    if measure(value) * 0.9 > width:
        words = value.split()
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        if splits:
            lines = list(min(splits, key=lambda pair: max(measure(pair[0]), measure(pair[1]))))
    widest = max(measure(part) for part in lines)
    if widest > width:
        size = style.fontSize * width / widest * 0.995  # just under the width despite rounding
        style = ParagraphStyle(style.name + "_fit", parent=style, fontSize=size, leading=size * 1.22)
    return Paragraph("<br/>".join(escape(part) for part in lines), style)


def header(
    geom: Geometry,
    styles: Styles,
    profile: DeskProfile,
    *,
    number: str | None,
    day: dt.date,
    qr_payload: str,
) -> Table:
    """QR | authority and unit, rule, "Số: …" | national name, motto, rule, italic place and date.

    The QR has its own column so it can never overlap the header text.
    """
    qr_w = geom.mm(_QR_MM + _QR_GAP_MM)
    right_w = geom.mm(_NATIONAL_MM)
    left_w = geom.width - qr_w - right_w
    rule_gap = geom.pt(2)
    left: list[Flowable] = [
        _fitted(profile.authority.upper(), styles.head, left_w),
        _fitted(profile.unit_name.upper(), styles.head, left_w),
        HRFlowable(width="35%", thickness=0.6, color="black", hAlign="CENTER", spaceBefore=rule_gap, spaceAfter=rule_gap),
    ]
    if number:
        left.append(para(f"Số: {number}", styles.center))
    motto_w = pdfmetrics.stringWidth(NATIONAL_MOTTO, styles.head.fontName, styles.head.fontSize)
    right: list[Flowable] = [
        _fitted(NATIONAL_NAME, styles.head, right_w),
        para(NATIONAL_MOTTO, styles.head),
        HRFlowable(width=motto_w, thickness=0.6, color="black", hAlign="CENTER", spaceBefore=rule_gap, spaceAfter=rule_gap * 2),
        para(date_line(profile.place, day), styles.italic_center),
    ]
    table = Table([[qr_code(qr_payload, geom), left, right]], colWidths=[qr_w, left_w, right_w])
    table.setStyle(_PLAIN)
    return table


_PLAIN = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
)


def copy_mark(geom: Geometry, styles: Styles, mark: str, *, reprint: bool) -> Table:
    """The copy's destination at the right, under the header; a boxed "BẢN IN LẠI" at the left."""
    left: Flowable | str = ""
    commands = list(_PLAIN.getCommands())
    if reprint:
        left = para("BẢN IN LẠI", ParagraphStyle("reprint", parent=styles.head, alignment=TA_CENTER))
        pad = geom.pt(2)
        commands += [("BOX", (0, 0), (0, 0), 1.2, "black"), ("TOPPADDING", (0, 0), (0, 0), pad),
                     ("BOTTOMPADDING", (0, 0), (0, 0), pad + geom.pt(1.5))]
    table = Table([[left, para(mark, styles.mark)]], colWidths=[geom.mm(36), geom.width - geom.mm(36)])
    table.setStyle(TableStyle(commands + [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def title_block(styles: Styles, title: str, lines: Sequence[tuple[str, str]]) -> list[Flowable]:
    """The centred bold upper-case title and, under it, centred "Label: value" lines."""
    block: list[Flowable] = [para(title.upper(), styles.title)]
    block += [labelled(label, value, styles.center, bold=True) for label, value in lines]
    return block


def grid_table(geom: Geometry, rows: list[list[Flowable]], widths: Sequence[float]) -> Table:
    """A ruled table whose first row is a header repeated on a continuation page."""
    pad = geom.pt(2.5)
    table = Table(rows, colWidths=[geom.width * w for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ]
        )
    )
    return table


def signatures(geom: Geometry, styles: Styles, left: str, right: str, right_name: str) -> KeepTogether:
    """Two side-by-side signature blocks, kept together so a page break never cuts them."""

    def block(title: str, name: str) -> list[Flowable]:
        return [
            para(title.upper(), styles.head),
            para("(Ký và ghi rõ họ tên)", styles.italic_center),
            Spacer(1, geom.mm(22)),
            para(name, styles.head) if name else Spacer(1, 1),
        ]

    half = geom.width / 2
    table = Table([[block(left, ""), block(right, right_name)]], colWidths=[half, half])
    table.setStyle(_PLAIN)
    return KeepTogether([Spacer(1, geom.pt(8)), table])


@dataclass(frozen=True)
class PdfMeta:
    title: str
    author: str
    subject: str
    creator: str = "desk_app"


@dataclass
class _Pages:
    """Which copy the page being drawn belongs to, for the continuation footer."""

    labels: Sequence[str]
    copy: int = 0
    first_page: int = 1


class _CopyStart(Flowable):
    """Zero-size marker at the top of each copy: records where the copy begins."""

    def __init__(self, pages: _Pages, index: int) -> None:
        super().__init__()
        self._pages, self._index = pages, index

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self._pages.copy, self._pages.first_page = self._index, self.canv.getPageNumber()


def _build(story: list[Flowable], geom: Geometry, meta: PdfMeta, pages: _Pages) -> tuple[bytes, int]:
    left, right, top, bottom = geom.margins

    def on_page_end(canv: Canvas, doc: BaseDocTemplate) -> None:
        # Only continuation pages get a footer, so a loose sheet still names its dossier and copy.
        if canv.getPageNumber() == pages.first_page or not pages.labels:
            return
        canv.saveState()
        canv.setFont(fonts.ITALIC, geom.pt(10))
        label = nfc(f"{pages.labels[pages.copy]} (tiếp theo)")
        canv.drawRightString(geom.size[0] - right, bottom / 2, label)
        canv.restoreState()

    out = io.BytesIO()
    frame = Frame(left, bottom, geom.width, geom.size[1] - top - bottom, 0, 0, 0, 0, id="body")
    doc = BaseDocTemplate(
        out,
        pagesize=geom.size,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=nfc(meta.title),
        author=nfc(meta.author),
        subject=nfc(meta.subject),
        creator=meta.creator,
        invariant=1,  # fixed dates and ids: identical input gives identical bytes
        pageTemplates=[PageTemplate("form", [frame], onPageEnd=on_page_end)],
    )
    # The canvas starts in a built-in font unless told otherwise; name ours so no unembedded
    # Helvetica reference ends up in the file.
    doc.build(story, canvasmaker=functools.partial(Canvas, initialFontName=fonts.REGULAR))
    return out.getvalue(), doc.page


def render_copies(
    make_copy: Callable[[Geometry, Styles, int], list[Flowable]],
    *,
    paper: PaperSize,
    meta: PdfMeta,
    continuation_labels: Sequence[str],
) -> bytes:
    """Build one copy per label, each starting on a new page, at the largest type that fits one
    copy on one page; if none fits, the normal size flows onto continuation pages."""
    chosen = Geometry.for_paper(paper)
    for density in DENSITIES:
        geom = Geometry.for_paper(paper, density)
        _, page_count = _build(make_copy(geom, Styles.for_geometry(geom), 0), geom, meta, _Pages(()))
        if page_count == 1:
            chosen = geom
            break
    styles = Styles.for_geometry(chosen)
    pages = _Pages(continuation_labels)
    story: list[Flowable] = []
    for index in range(len(continuation_labels)):
        if index:
            story.append(PageBreakIfNotEmpty())
        story.append(_CopyStart(pages, index))
        story += make_copy(chosen, styles, index)
    pdf, _ = _build(story, chosen, meta, pages)
    return pdf
