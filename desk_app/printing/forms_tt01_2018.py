"""The TT 01/2018/TT-VPCP layouts of the papers that follow reception, numbered as TT 03/2025 does.

Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (at the counter, or for a received dossier);
Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ; Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết
quả; Mẫu 05 Thông báo dừng giải quyết hồ sơ; Mẫu 06 Phiếu kiểm soát quá trình giải quyết hồ sơ;
Mẫu 07 Sổ theo dõi hồ sơ (A4 landscape).

The fields of the TT 03/2025 annex are not confirmed (DOMAIN.md §3): when they are, a module
``forms_tt03_2025`` with the same functions replaces this one in ``printing.forms``. Each
function is pure: domain values in, PDF bytes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer

from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.dossier import Dossier, ReceivedDocument
from desk_app.domain.steps import BookEntry, HandOff, Step
from desk_app.domain.text import nfc
from desk_app.printing import layout
from desk_app.printing.document import CopyMaker, PdfMeta, render_copies
from desk_app.printing.layout import Geometry, Styles, labelled, para, text, time_phrase
from desk_app.printing.qr import dossier_paper_qr_payload, ledger_book_qr_payload

FORM_SET = "TT 01/2018/TT-VPCP (đánh số theo TT 03/2025/TT-VPCP)"
TITLES = {
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "07": "Sổ theo dõi hồ sơ",
}
CITIZEN_COPY = "Giao người nộp hồ sơ"
FILE_COPY = "Lưu cùng hồ sơ"


def unit_in_sentence(profile: DeskProfile) -> str:
    """"Bộ phận tiếp nhận và trả kết quả xã Tân Phú": the unit as written inside a sentence."""
    return f"{nfc(profile.unit_name).capitalize()} {layout.in_sentence(profile.commune)}"


def _ledger_ref(dossier: Dossier) -> str:
    """"07/2026/Q1": the paper's number is the dossier's entry in the ledger book."""
    return f"{dossier.ledger_no:02d}/{dossier.ledger_year}/Q{dossier.desk_no}"


@dataclass(frozen=True)
class Printing:
    """This printing of a paper: when, whether it is a reprint, and the desk's QR key."""

    at: dt.datetime
    qr_key: bytes
    reprint: bool = False


# Mẫu 02 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplementForm:
    """What Mẫu 02 prints, at the counter (``code`` None: nothing was received) or for a dossier."""

    number: str
    day: dt.date
    applicant_name: str
    address: str | None
    procedure: str
    reason: str
    documents: tuple[ReceivedDocument, ...]
    officer: str
    code: str | None = None


def supplement_story(form: SupplementForm, profile: DeskProfile, qr_payload: str, geom: Geometry, styles: Styles,
                     mark: Flowable | None = None) -> list[Flowable]:
    """Mẫu 02's page: addressee, procedure, reason, the table of papers to add, whom to contact, and
    the signature of the officer who guided the citizen."""
    body = styles.body
    story: list[Flowable] = [
        layout.header(geom, styles, profile, number=form.number, day=form.day, qr_payload=qr_payload),
        *([mark] if mark is not None else []),
        *layout.title_block(styles, TITLES["02"], [("Mã hồ sơ", form.code)] if form.code else []),
        Spacer(1, geom.pt(8)),
        labelled("Kính gửi", f"Ông/Bà {nfc(form.applicant_name)}", body, bold=True),
    ]
    if form.address:
        story.append(labelled("Địa chỉ", form.address, body))
    story += [
        labelled("Nội dung yêu cầu giải quyết", form.procedure, body, bold=True),
        labelled("Lý do", form.reason, body),
        *layout.documents_table("Giấy tờ cần bổ sung, hoàn thiện:", form.documents, geom, styles),
        labelled("Khi cần thông tin, liên hệ", unit_in_sentence(profile), body),
        para("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ Bộ phận nêu trên "
             "để được hướng dẫn.", body),
    ]
    if form.code:
        story.append(para("Khi nộp đủ giấy tờ bổ sung, thời hạn giải quyết được tính lại từ đầu và Ông/Bà "
                          "được nhận giấy tiếp nhận hồ sơ với ngày hẹn trả kết quả mới.", body))
    story.append(layout.signature(geom, styles, "Người hướng dẫn", form.officer))
    return story


def render_supplement_request(dossier: Dossier, step: Step, profile: DeskProfile, printing: Printing) -> bytes:
    """Mẫu 02 for a received dossier, from its supplement request ``step``."""
    form = SupplementForm(
        number=_ledger_ref(dossier), day=step.at.date(), applicant_name=dossier.applicant.name,
        address=dossier.applicant.address, procedure=f"{nfc(dossier.procedure_name)} (mã {dossier.procedure_code})",
        reason=step.note, documents=step.documents, officer=step.actor, code=dossier.code,
    )
    payload = dossier_paper_qr_payload(dossier, "02", step.at, printing.qr_key)

    def make_copy(geom: Geometry, styles: Styles, index: int) -> list[Flowable]:
        return supplement_story(form, profile, payload, geom, styles, _mark(geom, styles, printing))

    return _render(make_copy, profile, "02", dossier)


# Mẫu 03, 04, 05: one page each, from a step ------------------------------------------------------


def _mark(geom: Geometry, styles: Styles, printing: Printing, copy: str = CITIZEN_COPY) -> Flowable:
    return layout.copy_mark(geom, styles, copy, reprint=printing.reprint, printed_at=printing.at)


def _opening(dossier: Dossier, profile: DeskProfile, styles: Styles) -> list[Flowable]:
    body = styles.body
    lines: list[Flowable] = [labelled("Kính gửi", f"Ông/Bà {nfc(dossier.applicant.name)}", body, bold=True)]
    if dossier.applicant.address:
        lines.append(labelled("Địa chỉ", dossier.applicant.address, body))
    lines.append(para(
        f"{unit_in_sentence(profile)} đã tiếp nhận hồ sơ của Ông/Bà lúc {time_phrase(dossier.received_at)}, "
        f"mã hồ sơ {dossier.code}, đề nghị giải quyết thủ tục: {nfc(dossier.procedure_name)} "
        f"(mã {dossier.procedure_code}).", body))
    return lines


Body = Callable[[Styles], list[Flowable]]


def _sentence(text: str) -> str:
    """A reason typed without its full stop gets one: it ends a sentence on the paper."""
    value = nfc(text).rstrip()
    return value if value.endswith((".", "!", "?", "…")) else value + "."


def _paragraphs(*texts: str) -> Body:
    return lambda styles: [para(text, styles.body) for text in texts]


def _step_paper(dossier: Dossier, step: Step, profile: DeskProfile, printing: Printing, form_no: str,
                body: Body, signer: tuple[str, str]) -> bytes:
    payload = dossier_paper_qr_payload(dossier, form_no, step.at, printing.qr_key)

    def make_copy(geom: Geometry, styles: Styles, index: int) -> list[Flowable]:
        return [
            layout.header(geom, styles, profile, number=_ledger_ref(dossier), day=step.at.date(), qr_payload=payload),
            _mark(geom, styles, printing),
            *layout.title_block(styles, TITLES[form_no], [("Mã hồ sơ", dossier.code)]),
            Spacer(1, geom.pt(8)),
            *_opening(dossier, profile, styles),
            *body(styles),
            layout.signature(geom, styles, *signer),
        ]

    return _render(make_copy, profile, form_no, dossier)


def render_refusal(dossier: Dossier, step: Step, profile: DeskProfile, printing: Printing) -> bytes:
    """Mẫu 03: the dossier is refused, and why (the reason is required)."""
    return _step_paper(dossier, step, profile, printing, "03", _paragraphs(
        f"Sau khi xem xét, hồ sơ của Ông/Bà không đủ điều kiện để giải quyết. Lý do: {_sentence(step.note)}",
        "Xin thông báo để Ông/Bà được biết và thực hiện.",
    ), ("Người tiếp nhận hồ sơ", step.actor))


def render_apology(dossier: Dossier, step: Step, profile: DeskProfile, printing: Printing) -> bytes:
    """Mẫu 04: apology for the delay and the new appointment, signed by the leader."""
    old, new = step.due_before or dossier.due_at, step.due_after or dossier.due_at

    def body(styles: Styles) -> list[Flowable]:
        return [
            para(f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {time_phrase(old)}.", styles.body),
            para(f"Tuy nhiên đến nay, hồ sơ của Ông/Bà chưa thể giải quyết đúng hẹn. Lý do: {_sentence(step.note)}",
                 styles.body),
            para("Sự chậm trễ này có thể gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. Chúng tôi xin lỗi "
                 "Ông/Bà và hẹn lại thời gian trả kết quả:", styles.body),
            labelled("Thời gian trả kết quả mới", time_phrase(new), styles.body, bold=True),
            para("Kính mong Ông/Bà thông cảm vì sự chậm trễ này.", styles.body),
        ]

    return _step_paper(dossier, step, profile, printing, "04", body,
                       ("Thủ trưởng cơ quan", step.signed_off_by or step.actor))


def render_stop_notice(dossier: Dossier, step: Step, profile: DeskProfile, printing: Printing) -> bytes:
    """Mẫu 05: processing of the dossier is stopped, and why."""
    return _step_paper(dossier, step, profile, printing, "05", _paragraphs(
        f"Nay thông báo dừng giải quyết hồ sơ của Ông/Bà kể từ {time_phrase(step.at)}. Lý do: {_sentence(step.note)}",
        "Ông/Bà liên hệ Bộ phận nêu trên để nhận lại giấy tờ đã nộp và được hướng dẫn.",
    ), ("Người tiếp nhận hồ sơ", step.actor))


# Mẫu 06 ---------------------------------------------------------------------------------------

_CONTROL_COLUMNS = (0.05, 0.21, 0.14, 0.15, 0.15, 0.1, 0.2)
_CONTROL_HEADS = ("STT", "Cơ quan, bước", "Thời gian giao, nhận", "Người giao", "Người nhận",
                  "Kết quả (trước hạn/ đúng hạn/ quá hạn)", "Ghi chú")


def render_control_slip(dossier: Dossier, rows: Sequence[HandOff], profile: DeskProfile, printing: Printing,
                        *, digitised: str = "") -> bytes:
    """Mẫu 06 on A4 (seven columns do not fit A5): one row per hand-off, with room beside each
    name for the giver's and the receiver's signatures. ``digitised``: the line on the dossier's
    scans, printed under the appointment when given."""
    payload = dossier_paper_qr_payload(dossier, "06", printing.at, printing.qr_key)

    def make_copy(geom: Geometry, styles: Styles, index: int) -> list[Flowable]:
        small = ParagraphStyle("control_cell", parent=styles.cell, fontSize=geom.pt(10.5), leading=geom.pt(12.5))
        centre = ParagraphStyle("control_centre", parent=small, alignment=1)
        head = ParagraphStyle("control_head", parent=styles.cell_head, fontSize=geom.pt(10.5), leading=geom.pt(12.5))
        table: list[list[Flowable | list[Flowable]]] = [[para(h, head) for h in _CONTROL_HEADS]]
        for number, row in enumerate(rows, start=1):
            table.append([
                para(str(number), centre),
                para(f"{row.agency}: {row.step}", small),
                para(f"{row.at:%H} giờ {row.at:%M}, ngày {row.at:%d/%m/%Y}", centre),
                # Room under each name for a signature: the paper travels with the dossier.
                [para(row.by, small), Spacer(1, geom.mm(10))], [para(row.to, small), Spacer(1, geom.mm(10))],
                para(row.result_label, centre),
                para(row.note, small),
            ])
        body = styles.body
        return [
            layout.header(geom, styles, profile, number=_ledger_ref(dossier), day=printing.at.date(),
                          qr_payload=payload),
            _mark(geom, styles, printing, FILE_COPY),
            *layout.title_block(styles, TITLES["06"], [("Mã hồ sơ", dossier.code)]),
            Spacer(1, geom.pt(6)),
            labelled("Người nộp hồ sơ", dossier.applicant.name, body, bold=True),
            labelled("Thủ tục", f"{nfc(dossier.procedure_name)} (mã {dossier.procedure_code})", body),
            labelled("Thời gian tiếp nhận", time_phrase(dossier.received_at), body),
            labelled("Hẹn trả kết quả", time_phrase(dossier.due_at), body, bold=True),
            *([labelled("Số hoá thành phần hồ sơ", digitised, body)] if digitised else []),
            Spacer(1, geom.pt(4)),
            layout.grid_table(geom, table, _CONTROL_COLUMNS),
            Spacer(1, geom.pt(4)),
            para("Người giao và người nhận ký vào ô tên của mình ở mỗi lần giao, nhận hồ sơ.", styles.italic_center),
        ]

    return render_copies(make_copy, paper=PaperSize.A4, meta=_meta(profile, "06", dossier.code),
                         continuation_labels=[f"Mã hồ sơ: {dossier.code} - {TITLES['06']}"])


# Mẫu 07 ---------------------------------------------------------------------------------------

_BOOK_HEADS = ("STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)",
               "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết",
               "Nhận hồ sơ (giờ, ngày)", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết",
               "Nhận kết quả từ cơ quan giải quyết", "Trả kết quả (giờ, ngày; người nhận ký)", "Ghi chú")
_BOOK_COLUMNS = (0.035, 0.09, 0.12, 0.04, 0.085, 0.1, 0.08, 0.06, 0.06, 0.06, 0.06, 0.1, 0.11)


def _code_cell(code: str, style: ParagraphStyle) -> Paragraph:
    """The dossier code broken after the unit code, which every line repeats: the day and number
    stay whole on the second line instead of being cut wherever the column ends."""
    unit, dash, rest = code.partition("-")
    return Paragraph(f"{text(unit)}{dash}<br/>{text(rest)}" if dash else text(code), style)


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%H:%M} {moment:%d/%m/%Y}" if moment else ""


def render_ledger_book(entries: Sequence[BookEntry], profile: DeskProfile, *, first: dt.date, last: dt.date,
                       printing: Printing) -> bytes:
    """Mẫu 07 for the dossiers received from ``first`` to ``last``: A4 landscape, one book per desk
    and year, each entry numbered from 01 within its year (the dossier's ledger number)."""
    payload = ledger_book_qr_payload(profile.unit_code, first, last, len(entries), printing.qr_key)
    books: dict[tuple[int, int], list[BookEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.dossier.ledger_year, e.dossier.desk_no, e.dossier.ledger_no)):
        books.setdefault((entry.dossier.ledger_year, entry.dossier.desk_no), []).append(entry)

    def make_copy(geom: Geometry, styles: Styles, index: int) -> list[Flowable]:
        cell = ParagraphStyle("book_cell", parent=styles.cell, fontSize=geom.pt(9), leading=geom.pt(10.8))
        centre = ParagraphStyle("book_centre", parent=cell, alignment=1)
        head = ParagraphStyle("book_head", parent=styles.cell_head, fontSize=geom.pt(9), leading=geom.pt(10.8))
        story: list[Flowable] = [
            layout.header(geom, styles, profile, number=None, day=printing.at.date(), qr_payload=payload),
            _mark(geom, styles, printing, f"In ngày {printing.at:%d/%m/%Y}"),
            *layout.title_block(styles, TITLES["07"], [("Từ ngày", f"{first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}")]),
        ]
        if not books:
            story.append(para("Không có hồ sơ nào được tiếp nhận trong thời gian này.", styles.center))
        for (year, desk_no), book in books.items():
            rows: list[list[Flowable]] = [[para(h, head) for h in _BOOK_HEADS]]
            for e in book:
                d, a = e.dossier, e.dossier.applicant
                rows.append([
                    para(f"{d.ledger_no:02d}", centre), _code_cell(d.code, cell), para(d.procedure_name, cell),
                    para(str(d.sets), centre), para(a.name, cell),
                    para(", ".join(filter(None, [a.address, a.phone])), cell), para(e.deciding, cell),
                    para(_when(d.received_at), centre), para(_when(d.due_at), centre),
                    para(_when(e.forwarded_at), centre), para(_when(e.result_at), centre),
                    para(" ".join(filter(None, [_when(e.returned_at), e.returned_to])), cell),
                    para(e.note, cell),
                ])
            story += [Spacer(1, geom.pt(6)), para(f"Quyển số: {year}/Q{desk_no} (năm {year}, quầy {desk_no})",
                                                  styles.body),
                      layout.grid_table(geom, rows, _BOOK_COLUMNS)]
        return story

    return render_copies(make_copy, paper=PaperSize.A4, landscape=True, densities=(),
                         meta=PdfMeta(title=TITLES["07"], author=profile.unit_name,
                                      subject=f"{first.isoformat()}..{last.isoformat()}"),
                         continuation_labels=[f"{TITLES['07']} từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}"])


def _meta(profile: DeskProfile, form_no: str, code: str) -> PdfMeta:
    return PdfMeta(title=f"Mẫu {form_no}: {TITLES[form_no]}", author=profile.unit_name, subject=code)


def _render(make_copy: CopyMaker, profile: DeskProfile, form_no: str, dossier: Dossier) -> bytes:
    return render_copies(make_copy, paper=profile.paper, meta=_meta(profile, form_no, dossier.code),
                         continuation_labels=[f"Mã hồ sơ: {dossier.code} - Mẫu {form_no}"])
