"""Hand a PDF to the operating system's print spooler: CUPS ``lp`` on Linux and macOS, the shell's
"print" verb on Windows. The window prints through Qt instead (gui/printing.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

LP_TIMEOUT_S = 30
_REQUEST_ID = re.compile(r"request id is (\S+)")


@dataclass(frozen=True)
class SpoolJob:
    """A job the spooler accepted: the queue's name and the job id ("deskpdf-12"; empty on
    Windows, whose shell verb gives none)."""

    printer: str
    job_id: str


class SpoolError(Exception):
    """The spooler did not accept the job; ``message`` is Vietnamese for the receptionist."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def spool(pdf: bytes, *, printer: str | None, title: str) -> SpoolJob:
    """Send ``pdf`` to ``printer`` (None: the system's default printer) as one job named ``title``.

    Returns once the spooler has accepted the job (not once the paper is out: no spooler says
    that). Raises SpoolError when it refuses or cannot be reached.
    """
    if sys.platform == "win32":
        return _spool_windows(pdf, printer=printer, title=title)
    return _spool_lp(pdf, printer=printer, title=title)


def _spool_lp(pdf: bytes, *, printer: str | None, title: str) -> SpoolJob:
    lp = shutil.which("lp")
    if lp is None:
        raise SpoolError("Máy này chưa có lệnh in «lp» (CUPS). Hãy cài CUPS, hoặc lưu tệp PDF bằng --pdf.")
    command = [lp, "-t", title] + (["-d", printer] if printer else []) + ["-"]
    try:
        done = subprocess.run(command, input=pdf, capture_output=True, timeout=LP_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise SpoolError(f"Hệ thống in không trả lời sau {LP_TIMEOUT_S} giây. Hãy kiểm tra dịch vụ in (CUPS).") \
            from None
    except OSError as exc:
        raise SpoolError(f"Không chạy được lệnh in «lp»: {exc.strerror or exc}.") from None
    output = done.stdout.decode(errors="replace")
    found = _REQUEST_ID.search(output)
    if done.returncode != 0 or found is None:
        raise SpoolError(_lp_failure(printer, done.stderr.decode(errors="replace").strip()))
    job_id = found.group(1)
    return SpoolJob(printer or job_id.rsplit("-", 1)[0], job_id)


def _lp_failure(printer: str | None, detail: str) -> str:
    """lp's English error, kept in brackets for the technician, after a Vietnamese sentence."""
    lowered = detail.lower()
    if "no default destination" in lowered:
        lead = "Chưa có máy in mặc định. Hãy chọn máy in bằng --printer hoặc: desk-app settings printer TÊN."
    elif "does not exist" in lowered or "not found" in lowered:
        lead = f"Không có máy in «{printer}» trong hệ thống in."
    elif "not accepting" in lowered:
        lead = f"Máy in «{printer}» đang không nhận lệnh in."
    elif "connect" in lowered or "scheduler" in lowered:
        lead = "Không kết nối được dịch vụ in (CUPS). Hãy bật lại dịch vụ in."
    else:
        lead = "Hệ thống in từ chối lệnh in."
    return f"{lead} ({detail})" if detail else lead


def _spool_windows(pdf: bytes, *, printer: str | None, title: str) -> SpoolJob:
    """The registered PDF reader prints the file ("print" to the default printer, "printto" to a
    named one). The file stays in the temporary folder: the reader opens it after this returns,
    and Windows clears that folder. Untested here (the suite runs on Linux)."""
    folder = Path(tempfile.mkdtemp(prefix="desk-print-"))
    path = folder / (re.sub(r"[^\w.-]+", "_", title) + ".pdf")
    path.write_bytes(pdf)
    try:
        if printer:
            os.startfile(str(path), "printto", f'"{printer}"')  # type: ignore[attr-defined,call-arg,unused-ignore]
        else:
            os.startfile(str(path), "print")  # type: ignore[attr-defined,unused-ignore]
    except OSError as exc:
        raise SpoolError(
            f"Windows không in được tệp PDF ({exc.strerror or exc}). Hãy cài một chương trình đọc PDF có lệnh in."
        ) from None
    return SpoolJob(printer or "máy in mặc định", "")
