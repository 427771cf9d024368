"""What every window of the desk is handed once: the runner, the desk (worker-only) and printing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from desk_app.gui.tasks import Runner

if TYPE_CHECKING:  # printing and the store load on first use, not with the window
    from desk_app.domain.accounts import Officer
    from desk_app.domain.desk import DeskProfile
    from desk_app.gui.preview_dialog import AskPath, PreviewDialog
    from desk_app.gui.printing import Document, PrinterSink
    from desk_app.gui.sync_controller import SyncWiring
    from desk_app.services.desk import Desk
    from desk_app.services.printouts import Printout

GUIDANCE_TITLE = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"


@dataclass
class DeskContext:
    """Passed down from the entry point; no globals.

    ``desk`` (and its store) may be touched only inside jobs given to ``runner``: its SQLite
    connection belongs to the worker thread. Both are None until the database is open: the
    window paints first and the desk is attached when the worker has opened it.
    """

    runner: Runner
    desk: Desk | None
    profile: DeskProfile | None
    user: str
    printer_name: str | None = None
    sink: PrinterSink | None = None
    ask_path: AskPath | None = None  # None: the system "save as" dialog
    demo: bool = False
    database: Path | None = None
    sync_state: str = "Chưa cấu hình đồng bộ"
    officer: Officer | None = None  # signed in; None: a desk without accounts (its set-up administrator)
    accounts: bool = False  # the desk has accounts: nothing is done without a signed-in officer
    idle_minutes: int = 0  # the window locks after this long without input (0: never)
    sync_wiring: SyncWiring | None = None  # None: the real hub client, worker threads and background sync

    def printer_sink(self) -> PrinterSink:
        if self.sink is None:
            from desk_app.gui.printing import QtPrinterSink

            self.sink = QtPrinterSink(self.runner, self.printer_name)
        return self.sink

    @property
    def printer_label(self) -> str:
        return self.printer_name or "máy in mặc định"

    def preview(self, printout: Printout, parent: QWidget | None,
                on_recorded: Callable[[dict[str, int]], None] | None = None) -> PreviewDialog:
        """Open (without blocking) the print preview of a committed dossier's paper. Each paper is
        counted as printed (on the worker) only once it reached the printer or a file; then
        ``on_recorded`` gets the print numbers."""
        from desk_app.domain.papers import Paper
        from desk_app.gui.printing import Document
        from desk_app.services.printouts import FEE_FILE_SUFFIX

        documents = [
            Document(copy.paper.label, copy.pdf, FEE_FILE_SUFFIX if copy.paper is Paper.FEE_RECEIPT else "",
                     paper=copy.paper.value)
            for copy in printout.copies
        ]
        title = f"Xem trước khi in – hồ sơ {printout.code}" + (" (BẢN IN LẠI)" if printout.reprint else "")
        suffix = f"-in-lan-{printout.print_count}" if printout.reprint else ""
        first = printout.copies[0].paper
        # A step's paper (Mẫu 02–06) is not saved over the slip's file: its name says which it is.
        kind = "" if first in (Paper.RECEIPT, Paper.FEE_RECEIPT) else f"-{first.value.replace('_', '-')}"
        dialog = self.preview_documents(documents, title=title, suggested_name=f"{printout.code}{kind}{suffix}.pdf",
                                        parent=parent)
        dialog.delivered.connect(lambda docs, via: self._record(printout, docs, via, parent, on_recorded))
        return dialog

    def _record(self, printout: Printout, documents: list[Document], via: str, parent: QWidget | None,
                on_recorded: Callable[[dict[str, int]], None] | None) -> None:
        from desk_app.gui.errors import show_error
        from desk_app.gui.reception_jobs import record_delivery

        desk, papers = self.desk, [d.paper for d in documents if d.paper]
        assert desk is not None
        self.runner.submit(
            lambda: record_delivery(desk, printout, papers, via), on_recorded,
            lambda exc: show_error(parent, "Chưa ghi nhận được lần in", exc,
                                   lead="Giấy tờ đã in, nhưng lần in chưa được ghi vào sổ."),
        )

    def preview_guidance(self, number: str, pdf: bytes, parent: QWidget | None) -> PreviewDialog:
        """Open the preview of a recorded supplement request (Mẫu 02)."""
        from desk_app.gui.printing import Document

        return self.preview_documents(
            [Document(GUIDANCE_TITLE, pdf)], title=f"Xem trước khi in – phiếu hướng dẫn bổ sung {number}",
            suggested_name=f"{number}.pdf", parent=parent,
        )

    def preview_documents(
        self, documents: list[Document], *, title: str, suggested_name: str, parent: QWidget | None
    ) -> PreviewDialog:
        from desk_app.gui.preview_dialog import PreviewDialog, ask_save_path

        dialog = PreviewDialog(
            self.runner, self.printer_sink(), documents, title=title,
            suggested_name=suggested_name, printer_label=self.printer_label,
            ask_path=self.ask_path or ask_save_path, parent=parent,
        )
        dialog.open()
        return dialog
