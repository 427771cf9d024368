"""Conversion between table rows and domain values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import (
    Applicant,
    Channel,
    Dossier,
    ReceivedDocument,
    ReturnMethod,
    Sex,
    Status,
)
from desk_app.domain.events import applicant_payload
from desk_app.domain.text import sort_key


def dossier_row(d: Dossier) -> dict[str, Any]:
    # The applicant's values are the ones its event carries (one source); only the name's
    # column is prefixed, beside its sort key.
    applicant = applicant_payload(d.applicant)
    name = applicant.pop("name")
    return {
        "uuid": d.uuid,
        "code": d.code,
        "official_code": d.official_code,
        "procedure_code": d.procedure_code,
        "procedure_name": d.procedure_name,
        "statutory_time": d.statutory_time,
        "applicant_name": name,
        "applicant_sort": sort_key(name),
        **applicant,
        "channel": d.channel.value,
        "return_method": d.return_method.value,
        "received_at": d.received_at.isoformat(timespec="seconds"),
        "due_at": d.due_at.isoformat(timespec="seconds"),
        "due_reason": d.due_reason,
        "status": d.status.value,
        "sets": d.sets,
        "pages": d.pages,
        "copies": d.copies,
        "fee_vnd": d.fee_vnd,
        "fee_detail": d.fee_detail,
        "ledger_year": d.ledger_year,
        "ledger_no": d.ledger_no,
        "desk_no": d.desk_no,
        "receiver": d.receiver,
        "finished_at": d.finished_at.isoformat(timespec="seconds") if d.finished_at else None,
        "last_change_at": d.last_change_at.isoformat(timespec="seconds") if d.last_change_at else None,
    }


def dossier_from_row(row: dict[str, Any], documents: list[dict[str, Any]]) -> Dossier:
    applicant = Applicant(
        name=row["applicant_name"],
        id_number=row["id_number"],
        birth_date=dt.date.fromisoformat(row["birth_date"]) if row["birth_date"] else None,
        sex=Sex(row["sex"]) if row["sex"] else None,
        phone=row["phone"],
        address=row["address"],
        email=row["email"],
    )
    return Dossier(
        code=row["code"],
        procedure_code=row["procedure_code"],
        procedure_name=row["procedure_name"],
        applicant=applicant,
        channel=Channel(row["channel"]),
        received_at=dt.datetime.fromisoformat(row["received_at"]),
        due_at=dt.datetime.fromisoformat(row["due_at"]),
        due_reason=row["due_reason"],
        status=Status(row["status"]),
        documents=tuple(
            ReceivedDocument(doc["name"], DocForm(doc["form"]), doc["count"]) for doc in documents
        ),
        sets=row["sets"],
        pages=row["pages"],
        copies=row["copies"],
        fee_vnd=row["fee_vnd"],
        fee_detail=row["fee_detail"],
        statutory_time=row["statutory_time"],
        ledger_year=row["ledger_year"],
        ledger_no=row["ledger_no"],
        desk_no=row["desk_no"],
        return_method=ReturnMethod(row["return_method"]),
        official_code=row["official_code"],
        uuid=row["uuid"],
        receiver=row["receiver"],
        finished_at=dt.datetime.fromisoformat(row["finished_at"]) if row.get("finished_at") else None,
        last_change_at=dt.datetime.fromisoformat(row["last_change_at"]) if row.get("last_change_at") else None,
    )
