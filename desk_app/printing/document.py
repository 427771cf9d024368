"""Assemble a form's copies into one PDF: type size that fits, page breaks, footer, metadata."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from desk_app.domain.desk import PaperSize
from desk_app.domain.text import nfc
from desk_app.printing import fonts
from desk_app.printing.layout import Geometry, Styles

# Type densities tried in turn until one copy fits on one page; if none does, the normal size
# flows onto a continuation page (a smaller size would not save the page and only hurt reading).
DENSITIES = (1.0, 0.93, 0.86, 0.8)

CopyMaker = Callable[[Geometry, Styles, int], list[Flowable]]
"""Builds the flowables of copy ``index`` (0-based) for a geometry: fresh ones on every call,
since reportlab flowables keep layout state once drawn."""


@dataclass(frozen=True)
class PdfMeta:
    """The document information dictionary."""

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

    # Binary streams: ASCII85 only makes the file larger, and its pure-Python encoder cost a
    # fifth of the render time. reportlab reads this global per document; only printing uses it.
    rl_config.useA85 = 0
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
        # Canvas and table cells start in Helvetica unless told otherwise, which would leave an
        # unembedded font reference in the file.
        initialFontName=fonts.REGULAR,
        pageTemplates=[PageTemplate("form", [frame], onPageEnd=on_page_end)],
    )
    doc.build(story)
    return out.getvalue(), doc.page


def render_copies(
    make_copy: CopyMaker,
    *,
    paper: PaperSize,
    meta: PdfMeta,
    continuation_labels: Sequence[str],
    landscape: bool = False,
    densities: Sequence[float] = DENSITIES,
) -> bytes:
    """One copy per continuation label, each from a new page, at the largest type that fits a copy
    on one page (of ``densities``). The labels name the copy in the footer of any continuation page."""
    copies = len(continuation_labels)
    # The whole document is laid out at each density in turn and kept as soon as every copy is
    # one page: in the usual case that is the first and only build (a separate trial build of
    # one copy doubled the render time).
    for density in densities:
        geom = Geometry.for_paper(paper, density, landscape=landscape)
        pdf, page_count = _build_copies(make_copy, geom, meta, continuation_labels)
        if page_count <= max(copies, 1):
            return pdf
    pdf, _ = _build_copies(make_copy, Geometry.for_paper(paper, landscape=landscape), meta, continuation_labels)
    return pdf


def _build_copies(
    make_copy: CopyMaker, geom: Geometry, meta: PdfMeta, labels: Sequence[str]
) -> tuple[bytes, int]:
    styles = Styles.for_geometry(geom)
    pages = _Pages(labels)
    story: list[Flowable] = []
    for index in range(len(labels)):
        if index:
            story.append(PageBreakIfNotEmpty())
        story.append(_CopyStart(pages, index))
        story += make_copy(geom, styles, index)
    return _build(story, geom, meta, pages)
