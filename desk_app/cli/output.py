"""What the command line prints: a dossier as JSON, people's text or JSON, a paper that failed."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desk_app.domain.dossier import Dossier


class PrintFailed(Exception):
    """The dossier is saved but its paper could not be produced; ``retry`` prints it again."""

    def __init__(self, code: str, cause: Exception, retry: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.cause = cause
        self.retry = retry or f"desk-app print {code}"


def emit(args: argparse.Namespace, data: Any, human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(human)


def dossier_json(d: Dossier, receipt_pdf: Path | None = None, fee_pdf: Path | None = None) -> dict[str, Any]:
    a = d.applicant
    return {
        "code": d.code,
        "official_code": d.official_code,
        "procedure_code": d.procedure_code,
        "procedure_name": d.procedure_name,
        "applicant_name": a.name,
        "id_number": a.id_number,
        "phone": a.phone,
        "channel": d.channel.value,
        "status": d.status.value,
        "received_at": d.received_at.isoformat(timespec="seconds"),
        "due_at": d.due_at.isoformat(timespec="seconds"),
        "due_reason": d.due_reason,
        "fee_vnd": d.fee_vnd,
        "ledger": f"{d.ledger_year}/Q{d.desk_no}-{d.ledger_no}",
        "receipt_pdf": str(receipt_pdf) if receipt_pdf else None,
        "fee_receipt_pdf": str(fee_pdf) if fee_pdf else None,
    }
