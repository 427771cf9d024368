"""The command line's words for papers: where each one went, the fee receipt book, their options."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desk_app.domain.fee_receipts import FeeReceiptBook
from desk_app.domain.papers import Paper
from desk_app.services.desk import Desk
from desk_app.services.printouts import Delivery, Printout, deliver


def fee_book_options(parser: argparse.ArgumentParser, prefix: str) -> None:
    parser.add_argument(f"--{prefix}form", help="mẫu số biên lai (mặc định 01BLP2-001)")
    parser.add_argument(f"--{prefix}series", help="ký hiệu biên lai, mỗi quầy một ký hiệu (mặc định AA/<năm>T cho "
                        "quầy 1, AB/<năm>T cho quầy 2, …)")
    parser.add_argument(f"--{prefix}start", type=int, help="số biên lai đầu tiên của ký hiệu mới (mặc định 1)")


def send(args: argparse.Namespace, desk: Desk, printout: Printout, *, receipt_path: Path | None,
         to_printer: bool) -> Delivery:
    """Deliver to files and/or the printer named by --printer, else the desk's, else the system's."""
    printer = (args.printer or desk.printer()) if to_printer else None
    return deliver(desk, printout, receipt_path=receipt_path, to_printer=to_printer, printer=printer)


def delivery_lines(printout: Printout, delivery: Delivery) -> list[str]:
    """One Vietnamese line per paper: saved where, or sent to which printer."""
    lines = []
    for copy in printout.copies:
        label = copy.paper.label + (" (BẢN IN LẠI)" if copy.reprint else "")
        done = []
        if copy.paper in delivery.files:
            done.append(f"đã lưu tệp {delivery.files[copy.paper]}")
        if copy.paper in delivery.jobs:
            job = delivery.jobs[copy.paper]
            done.append(f"đã gửi tới máy in {job.printer}" + (f" (lệnh in {job.job_id})" if job.job_id else ""))
        lines.append(f"{label}: {', '.join(done)}.")
    return lines


def delivery_json(printout: Printout, delivery: Delivery) -> dict[str, Any]:
    files = {paper: str(path) for paper, path in delivery.files.items()}
    return {
        "receipt_pdf": files.get(Paper.RECEIPT),
        "fee_receipt_pdf": files.get(Paper.FEE_RECEIPT),
        "reprint": printout.reprint,
        "papers": [
            {"paper": c.paper.value, "reprint": c.reprint, "print_no": delivery.numbers.get(c.paper),
             "pdf": files.get(c.paper),
             "printer": delivery.jobs[c.paper].printer if c.paper in delivery.jobs else None,
             "job_id": delivery.jobs[c.paper].job_id if c.paper in delivery.jobs else None}
            for c in printout.copies
        ],
    }


def book_json(book: FeeReceiptBook) -> dict[str, Any]:
    return {"form_no": book.form_no, "series": book.series, "start_no": book.start_no}


def book_text(book: FeeReceiptBook) -> str:
    return f"Biên lai: mẫu số {book.form_no}, ký hiệu {book.series}, bắt đầu từ số {book.start_no:07d}."
