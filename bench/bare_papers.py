"""The papers' floor: bare reportlab pages of the same shape, the same fonts, and no QR code.

What a programmer would write with reportlab alone for one dossier: the slip (Mẫu 01) and the
fee receipt, two copies each, on the desk's paper size (A4 or A5, the A4 layout scaled), laid
out once by platypus, the Liberation Serif fonts embedded:
a two-column header, the title, the applicant's lines, the documents table, the appointment
lines and the signature block; no density fitting, no QR, no continuation footers.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.dossier import Dossier
from desk_app.domain.text import format_vnd
from desk_app.printing import fonts

COPIES = ("Liên 1: Lưu tại Bộ phận Một cửa", "Liên 2: Giao người nộp hồ sơ")


PAGES = {PaperSize.A4: A4, PaperSize.A5: A5}


class _Scale:
    """The A4 layout on the desk's paper: lengths and type sizes times page width / A4 width."""

    def __init__(self, paper: PaperSize) -> None:
        self.page = PAGES[paper]
        self.k = self.page[0] / A4[0]

    def __call__(self, length: float) -> float:
        return length * self.k


def _styles(z: _Scale) -> dict[str, ParagraphStyle]:
    fonts.register_fonts()
    body = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=z(13), leading=z(16))
    return {
        "body": body,
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=body, fontName=fonts.BOLD, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=body, fontName=fonts.BOLD, fontSize=z(15), leading=z(19),
                                alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=body, fontSize=z(11), leading=z(13)),
    }


def _header(profile: DeskProfile, s: dict[str, ParagraphStyle], z: _Scale, date_line: str) -> Table:
    left = [Paragraph(escape(profile.authority), s["head"]), Paragraph("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", s["head"])]
    right = [Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", s["head"]),
             Paragraph("Độc lập - Tự do - Hạnh phúc", s["head"]), Paragraph(date_line, s["center"])]
    return Table([[left, right]], colWidths=[z(80 * mm), z(105 * mm)])


def _signatures(s: dict[str, ParagraphStyle], z: _Scale, left: str, right: str, name: str) -> Table:
    return Table([[Paragraph(left, s["head"]), Paragraph(right, s["head"])],
                  [Paragraph("(Ký và ghi rõ họ tên)", s["center"])] * 2,
                  ["", Spacer(1, z(18 * mm))], ["", Paragraph(escape(name), s["head"])]],
                 colWidths=[z(92 * mm), z(92 * mm)])


def _slip_copy(dossier: Dossier, profile: DeskProfile, s: dict[str, ParagraphStyle], z: _Scale,
               mark: str) -> list[Flowable]:
    a = dossier.applicant
    docs = [["STT", "Tên giấy tờ", "Hình thức", "Số lượng"]] + [
        [str(i), Paragraph(escape(d.name), s["cell"]), d.form.label, str(d.count)]
        for i, d in enumerate(dossier.documents, start=1)
    ]
    table = Table(docs, colWidths=[z(12 * mm), z(100 * mm), z(45 * mm), z(25 * mm)], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                               ("FONTNAME", (0, 0), (-1, 0), fonts.BOLD),
                               ("FONTSIZE", (0, 0), (-1, -1), z(11))]))
    lines = [
        f"Bộ phận tiếp nhận và trả kết quả {escape(profile.commune)} tiếp nhận hồ sơ của:",
        f"Ông/Bà: <b>{escape(a.name)}</b>",
        f"Số định danh cá nhân: {escape(a.id_number or '')}",
        f"Địa chỉ: {escape(a.address or '')}",
        f"Số điện thoại: {escape(a.phone or '')}",
        f"Nội dung yêu cầu giải quyết: <b>{escape(dossier.procedure_name)}</b>",
        "Thành phần hồ sơ:",
    ]
    after = [
        f"Số lượng hồ sơ: {dossier.sets} bộ",
        f"Thời gian giải quyết hồ sơ theo quy định: {escape(dossier.statutory_time)}",
        f"Thời gian nhận hồ sơ: {dossier.received_at:%H giờ %M phút, ngày %d/%m/%Y}",
        f"<b>Thời gian trả kết quả giải quyết hồ sơ: {dossier.due_at:%H giờ %M phút, ngày %d/%m/%Y}</b>",
        "Đăng ký nhận kết quả: Tại Bộ phận Một cửa",
        f"Vào Sổ theo dõi hồ sơ, Quyển số: {dossier.ledger_year}/Q{dossier.desk_no}, Số thứ tự: {dossier.ledger_no:02d}",
        f"Phí, lệ phí: {format_vnd(dossier.fee_vnd)} ({escape(dossier.fee_detail)})",
    ]
    return [
        _header(profile, s, z, f"{escape(profile.place or profile.commune)}, ngày {dossier.received_at:%d/%m/%Y}"),
        Paragraph(f"<i>{mark}</i>", s["body"]),
        Paragraph("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", s["title"]),
        Paragraph(f"Mã hồ sơ: <b>{escape(dossier.code)}</b>", s["center"]),
        *(Paragraph(line, s["body"]) for line in lines),
        table,
        *(Paragraph(line, s["body"]) for line in after),
        Spacer(1, z(4 * mm)),
        _signatures(s, z, "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", dossier.receiver),
    ]


def _fee_copy(dossier: Dossier, profile: DeskProfile, s: dict[str, ParagraphStyle], z: _Scale,
              mark: str) -> list[Flowable]:
    a = dossier.applicant
    lines = [
        "Mẫu số: 01BLP2-001 &#160;&#160; Ký hiệu: AA/26T &#160;&#160; Số: 0000123",
        f"Tên đơn vị thu: {escape(profile.authority)}",
        f"Họ tên người nộp: <b>{escape(a.name)}</b>",
        f"Địa chỉ: {escape(a.address or '')}",
        f"Mã hồ sơ: {escape(dossier.code)}",
        f"Nội dung thu: {escape(dossier.procedure_name)}",
        f"Số tiền: <b>{format_vnd(dossier.fee_vnd)}</b> ({escape(dossier.fee_detail)})",
        "Hình thức thanh toán: Tiền mặt",
        f"Thời điểm nộp: {dossier.received_at:%H giờ %M phút, ngày %d/%m/%Y}",
    ]
    return [
        _header(profile, s, z, f"{escape(profile.place or profile.commune)}, ngày {dossier.received_at:%d/%m/%Y}"),
        Paragraph(f"<i>{mark}</i>", s["body"]),
        Paragraph("BIÊN LAI THU PHÍ, LỆ PHÍ", s["title"]),
        *(Paragraph(line, s["body"]) for line in lines),
        Spacer(1, z(4 * mm)),
        _signatures(s, z, "NGƯỜI NỘP TIỀN", "NGƯỜI THU TIỀN", dossier.receiver),
    ]


def _build(copies: list[list[Flowable]], z: _Scale) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=z.page, leftMargin=z(12 * mm), rightMargin=z(9 * mm),
                            topMargin=z(10 * mm), bottomMargin=z(12 * mm), invariant=1,
                            initialFontName=fonts.REGULAR)
    story: list[Flowable] = []
    for index, copy in enumerate(copies):
        if index:
            story.append(PageBreak())
        story += copy
    doc.build(story)
    return out.getvalue()


def render(dossier: Dossier, profile: DeskProfile) -> tuple[bytes, bytes]:
    """The slip and the fee receipt, two copies each, as two PDFs."""
    z = _Scale(profile.paper)
    s = _styles(z)
    slip = _build([_slip_copy(dossier, profile, s, z, mark) for mark in COPIES], z)
    fee = _build([_fee_copy(dossier, profile, s, z, mark) for mark in COPIES], z)
    return slip, fee
