"""Receiving a dossier: validate, allocate its code, compute its appointment, commit, then print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from desk_app.domain import codes, events
from desk_app.domain.accounts import Permission
from desk_app.domain.dossier import Channel, Dossier, ReceivedDocument, ReturnMethod, Sex, Status
from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.fee_receipts import FeeReceiptNo
from desk_app.domain.fees import quote, takes_typed_amount
from desk_app.domain.text import nfc
from desk_app.domain.validation import clean_applicant
from desk_app.services.desk import Desk
from desk_app.store import papers


@dataclass(frozen=True)
class ReceptionRequest:
    """What the receptionist typed. Optional values None mean "not given"."""

    procedure_code: str
    name: str
    id_number: str | None = None
    birth_date: dt.date | None = None
    sex: Sex | None = None
    phone: str | None = None
    address: str | None = None
    email: str | None = None
    channel: Channel = Channel.DIRECT
    received_at: dt.datetime | None = None  # None: now
    sets: int = 1
    pages: int = 1
    copies: int = 1
    documents: tuple[ReceivedDocument, ...] | None = None  # None: the catalogue's mandatory ones
    fee_vnd: int | None = None  # the amount for a fee set by the provincial council
    extension_days: int = 0
    due_at: dt.datetime | None = None  # only where the catalogue has no processing time
    return_method: ReturnMethod = ReturnMethod.DESK
    # A same-day procedure decided and handed back at the counter (NĐ 61 Art. 17(4)): recorded as
    # returned at once; the slip is printed only if the citizen asks.
    resolved_on_the_spot: bool = False


@dataclass(frozen=True)
class Reception:
    dossier: Dossier
    dossier_id: int
    fee_receipt: FeeReceiptNo | None  # allocated with the dossier, printed on every copy and reprint


def _check_counts(request: ReceptionRequest) -> None:
    errors = []
    for value, field, label in (
        (request.sets, "sets", "Số bộ hồ sơ"),
        (request.pages, "pages", "Số trang"),
        (request.copies, "copies", "Số bản"),
    ):
        if not 1 <= value <= 10_000:
            errors.append(DomainError("invalid_count", f"{label} phải từ 1 đến 10.000.", field=field))
    if request.extension_days < 0:
        errors.append(DomainError("invalid_extension", "Số ngày gia hạn không được âm.", field="extension_days"))
    if errors:
        raise ValidationErrors(errors)


def receive(desk: Desk, request: ReceptionRequest) -> Reception:
    """Register a complete dossier.

    One transaction writes the dossier, its documents, its fee, an outbox event and an audit
    entry; nothing is printed before it commits, so every printed receipt is on disk.
    """
    desk.require(Permission.RECEPTION)
    profile = desk.profile()
    now = desk.clock()
    received_at = desk.localise(request.received_at) if request.received_at else now
    if received_at > now + dt.timedelta(minutes=5):
        raise DomainError("received_in_future", "Thời điểm tiếp nhận không được sau thời điểm hiện tại.",
                          field="received_at")
    applicant = clean_applicant(
        name=request.name,
        id_number=request.id_number,
        birth_date=request.birth_date,
        sex=request.sex,
        phone=request.phone,
        address=request.address,
        email=request.email,
        today=received_at.date(),
    )
    _check_counts(request)
    procedure = desk.active_procedure(request.procedure_code)
    if request.resolved_on_the_spot and not procedure.same_day:
        raise DomainError("not_same_day", "Chỉ thủ tục giải quyết trong ngày mới được trả kết quả ngay tại quầy.")
    if not procedure.in_force(received_at.date()):
        raise DomainError("procedure_not_in_force", f"Thủ tục {procedure.code} không còn hiệu lực vào ngày tiếp nhận.")
    if procedure.time is None:
        if request.due_at is None:
            raise DomainError(
                "due_required",
                f"Danh mục chưa có thời hạn giải quyết của thủ tục {procedure.code}; hãy nhập ngày hẹn trả.",
                field="due_at",
            )
        due_at, due_reason, statutory = desk.localise(request.due_at), "hẹn theo ngày nhập tay", "theo ngày hẹn"
        if due_at <= received_at:
            raise DomainError("due_before_receipt", "Ngày hẹn trả phải sau thời điểm tiếp nhận.", field="due_at")
    else:
        result = desk.due(procedure.code, received_at, extension_days=request.extension_days)
        due_at, due_reason = result.due_at, result.reason
        statutory = "Trong ngày" if procedure.same_day else procedure.time.label()
    fee = quote(
        procedure, channel=request.channel.value, on=received_at.date(),
        pages=request.pages, copies=request.copies, local_amount=request.fee_vnd,
    )
    if request.fee_vnd is not None and not takes_typed_amount(
        procedure, channel=request.channel.value, on=received_at.date()
    ):
        raise DomainError("fee_fixed", "Mức phí của thủ tục này đã quy định, không nhập tay.", field="fee_vnd")
    documents = request.documents
    if documents is None:
        documents = tuple(ReceivedDocument(d.name, d.form, d.count) for d in procedure.documents if d.mandatory)
    documents = tuple(replace(d, name=nfc(d.name)) for d in documents)
    if any(not d.name or d.count < 1 for d in documents):
        raise DomainError("invalid_document", "Mỗi giấy tờ cần có tên và số lượng từ 1 trở lên.", field="documents")

    book = desk.fee_receipt_book() if fee.amount > 0 else None
    with desk.recorder.change(business_time=received_at) as change:
        day = received_at.strftime("%y%m%d")
        sequence = desk.store.dossiers.take_code_sequence(
            day, profile.desk_no, lambda last: codes.next_sequence(profile.desk_no, last)
        )
        code = str(codes.DossierCode(profile.unit_code, received_at.date(), sequence))
        dossier = Dossier(
            code=code,
            procedure_code=procedure.code,
            procedure_name=procedure.name,
            applicant=applicant,
            channel=request.channel,
            received_at=received_at,
            due_at=due_at,
            due_reason=due_reason,
            status=Status.RETURNED if request.resolved_on_the_spot else Status.RECEIVED,
            documents=documents,
            sets=request.sets,
            pages=request.pages,
            copies=request.copies,
            fee_vnd=fee.amount,
            fee_detail=fee.detail,
            statutory_time=statutory,
            ledger_year=received_at.year,
            ledger_no=desk.store.dossiers.take_ledger_no(received_at.year, profile.desk_no),
            desk_no=profile.desk_no,
            return_method=request.return_method,
            uuid=desk.new_uuid(),
            receiver=desk.actor,
            finished_at=received_at if request.resolved_on_the_spot else None,
            last_change_at=received_at,
        )
        dossier_id = desk.store.dossiers.insert(dossier)
        receipt_no = None
        if book is not None:
            # The fee is paid as the dossier is received: that moment is the receipt's time, on
            # every reprint too.
            receipt_no = papers.take_fee_receipt_no(desk.store, book)
            papers.add_fee(desk.store, dossier_id, amount=fee.amount, detail=fee.detail, receipt=receipt_no,
                           at=received_at)
        change.event(events.Kind.DOSSIER_RECEIVED, dossier.uuid, events.dossier_received(dossier))
        change.audit(
            "dossier.receive_and_return" if request.resolved_on_the_spot else "dossier.receive", "dossier", code,
            {"procedure": procedure.code, "fee_vnd": fee.amount},
        )
    return Reception(dossier, dossier_id, receipt_no)
