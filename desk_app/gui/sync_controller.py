"""The window's side of sync: the background runner, the officer's sync operations and the status.

Three threads are involved, none of them the GUI thread's business to wait on:

* the store worker (``ctx.runner``) reads the status (``sync_status``, a few cheap queries)
  every ``status_interval_ms`` and after each operation;
* the background ``SyncRunner`` (services) syncs by itself "when connected", on its own thread
  and connection; the window ``poke()``s it after each change it records;
* a sync worker (a second ``TaskRunner`` with its own connection) runs what the officer asks
  for: "Đồng bộ ngay", USB export and import, enrolment. Network waits there never hold up a
  save at the counter, which goes through the store worker.

Progress and background outcomes arrive on other threads; they cross to the GUI thread through
this object's own queued signals before anything on screen is touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desk_app.gui.context import DeskContext
from desk_app.gui.tasks import Runner, TaskRunner

if TYPE_CHECKING:  # the sync services (httpx, cryptography) load on the workers, not with the window
    from desk_app.services.desk import Desk
    from desk_app.services.sync import Connect, SyncProgress, SyncReport, SyncStatus
    from desk_app.services.sync_runner import RunOutcome, SyncRunner
    from desk_app.services.sync_usb import UsbExport, UsbImport
    from desk_app.store.sync_state import Enrolment

log = logging.getLogger(__name__)

STATUS_INTERVAL_MS = 10_000


@dataclass
class SyncWiring:
    """How the window reaches the hub; the defaults are the real ones, tests replace them.

    ``connect``: the HTTP client factory (None: ``HubClient``); ``worker``: where the officer's
    operations run (None: a thread of their own); ``background``: start the background runner
    when the desk is enrolled; ``batch_size``: events per pushed batch (None: the default).
    """

    connect: Connect | None = None
    worker: Runner | None = None
    background: bool = True
    status_interval_ms: int = STATUS_INTERVAL_MS
    batch_size: int | None = None
    background_interval: float = 60.0


class SyncController(QObject):
    """Owns the sync threads of one window; the panel and the status bar listen to its signals."""

    status_changed = Signal(object)  # SyncStatus, read again
    progressed = Signal(object)  # SyncProgress of the running operation
    busy_changed = Signal(bool)  # an operation of the officer's started (True) or ended (False)
    finished = Signal(str)  # what the operation did, in Vietnamese
    failed = Signal(str)  # why it could not, in Vietnamese
    synced = Signal()  # the hub acknowledged changes: the ledger's marks moved
    dossiers_changed = Signal()  # updates from the hub changed dossiers: the views read them again
    references_changed = Signal()  # a catalogue or calendar update was applied: the reception list reloads
    _progress_seen = Signal(object)  # from the sync worker's thread
    _outcome_seen = Signal(object)  # from the background runner's thread

    def __init__(self, ctx: DeskContext, wiring: SyncWiring | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.wiring = wiring or SyncWiring()
        self.status: SyncStatus | None = None
        self.busy = False
        self.background: SyncRunner | None = None
        self._worker: Runner | None = self.wiring.worker
        self._own_worker: TaskRunner | None = None
        self._worker_desk: Desk | None = None  # opened on the sync worker, used only there
        self._reading = False
        self._stopped = False
        self._progress_seen.connect(self._on_progress_seen)
        self._outcome_seen.connect(self._on_outcome_seen)
        self.timer = QTimer(self, interval=self.wiring.status_interval_ms, timeout=self.refresh_status)

    # life -------------------------------------------------------------------------------------

    def start(self) -> None:
        """Read the status now and every few seconds; the background runner starts once the
        status says the desk is enrolled."""
        self.timer.start()
        self.refresh_status()

    def stop(self, timeout: float = 5.0) -> None:
        """The window closes: stop the background runner (a run in progress keeps what the hub
        answered) and the sync worker, closing their connections."""
        if self._stopped:
            return
        self._stopped = True
        self.timer.stop()
        if self.background is not None and not self.background.stop(timeout):
            log.warning("the background sync did not stop within %.0f s; it ends with the program", timeout)
        if self._worker is not None and self._worker_desk is not None:
            self._worker.submit(self._close_worker_desk)
        if self._own_worker is not None:
            self._own_worker.stop(timeout)

    def _close_worker_desk(self) -> None:
        if self._worker_desk is not None:
            self._worker_desk.store.close()
            self._worker_desk = None

    def poke(self) -> None:
        """A change was recorded at the counter: the background runner sends it soon."""
        if self.background is not None:
            self.background.poke()

    def _start_background(self) -> None:
        database = self.ctx.database
        if self.background is not None or self._stopped or not self.wiring.background or database is None:
            return
        from desk_app.services.sync_runner import SyncRunner

        options: dict[str, Any] = {}
        if self.wiring.connect is not None:
            options["connect"] = self.wiring.connect
        self.background = SyncRunner(database, make_desk=self._desk_factory(actor="sync"),
                                     on_outcome=self._outcome_seen.emit, interval=self.wiring.background_interval,
                                     **options)
        self.background.start()
        log.info("background sync started for %s", database)

    def _desk_factory(self, actor: str) -> Callable[[Any], Desk]:
        """Desks on other connections keep the window desk's clocks (a demo or a test sets them)."""
        from desk_app.services.desk import Desk

        base = self.ctx.desk
        assert base is not None
        clock, device_clock = base.clock, base.device_clock
        return lambda store: Desk(store, clock=clock, device_clock=device_clock, actor=actor)

    # status -----------------------------------------------------------------------------------

    def refresh_status(self) -> None:
        """Read the status on the store worker (skipped while a read is still on its way)."""
        desk = self.ctx.desk
        if desk is None or self._reading or self._stopped:
            return
        self._reading = True

        def job() -> SyncStatus:
            from desk_app.services.sync import sync_status

            return sync_status(desk)

        self.ctx.runner.submit(job, self._on_status, self._on_status_failed)

    def _on_status(self, status: SyncStatus) -> None:
        self._reading = False
        self.status = status
        if status.enrolled:
            self._start_background()
        self.status_changed.emit(status)

    def _on_status_failed(self, exc: BaseException) -> None:
        self._reading = False
        log.warning("sync status not read: %r", exc)

    # the officer's operations -----------------------------------------------------------------

    def sync_now(self) -> None:
        """Push, pull and push again now, with progress."""
        connect, batch = self._connect_options(), self.wiring.batch_size

        def job(desk: Desk) -> SyncReport:
            from desk_app.services.sync import sync_now

            options = dict(connect) | ({"batch_size": batch} if batch else {})
            return sync_now(desk, self._progress_seen.emit, **options)

        self._run("Đang đồng bộ với máy chủ…", job, self._on_synced)

    def export_usb(self, path: Path) -> None:
        def job(desk: Desk) -> UsbExport:
            from desk_app.services.sync_usb import export_usb

            return export_usb(desk, path, self._progress_seen.emit)

        self._run(f"Đang ghi tệp {path.name}…", job, self._on_exported)

    def import_usb(self, path: Path) -> None:
        def job(desk: Desk) -> UsbImport:
            from desk_app.services.sync_usb import import_usb

            return import_usb(desk, path, self._progress_seen.emit)

        self._run(f"Đang nhập tệp {path.name}…", job, self._on_imported)

    def enroll(self, hub_url: str, code: str) -> None:
        connect = self._connect_options()

        def job(desk: Desk) -> Enrolment:
            from desk_app.services.sync import enroll

            return enroll(desk, hub_url, code, **connect)

        self._run("Đang ghi danh với máy chủ…", job, self._on_enrolled)

    def _connect_options(self) -> dict[str, Any]:
        return {"connect": self.wiring.connect} if self.wiring.connect is not None else {}

    def _run(self, message: str, job: Callable[[Desk], Any], done: Callable[[Any], str]) -> None:
        if self.busy or self._stopped:
            return
        from desk_app.services.sync import SyncProgress

        self._set_busy(True)
        self.progressed.emit(SyncProgress("start", 0, 0, message))
        self._sync_worker().submit(lambda: job(self._open_worker_desk()), lambda value: self._done(done, value),
                                   self._failed)

    def _sync_worker(self) -> Runner:
        if self._worker is None:
            self._own_worker = TaskRunner()
            self._worker = self._own_worker
        return self._worker

    def _open_worker_desk(self) -> Desk:
        """On the sync worker: its own connection to the desk's database, opened once."""
        if self._worker_desk is None:
            from desk_app.domain.errors import DomainError
            from desk_app.store.store import Store

            if self.ctx.database is None:
                raise DomainError("no_database", "Cửa sổ chưa mở cơ sở dữ liệu của quầy; hãy thử lại sau.")
            base = self.ctx.desk
            self._worker_desk = self._desk_factory(actor=base.actor if base else "desk")(Store.open(self.ctx.database))
        return self._worker_desk

    def _done(self, say: Callable[[Any], str], value: Any) -> None:
        self._set_busy(False)
        self.finished.emit(say(value))
        self.refresh_status()

    def _failed(self, exc: BaseException) -> None:
        from desk_app.gui.errors import describe

        self._set_busy(False)
        self.failed.emit(describe(exc))
        self.refresh_status()  # a failed sync is recorded: the panel shows it as the last error

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)

    # results ----------------------------------------------------------------------------------

    def _on_synced(self, report: SyncReport) -> str:
        self._announce(acknowledged=bool(report.sent), changed=bool(report.updates_applied),
                       references=bool(report.references_applied))
        return sync_report_text(report)

    def _on_exported(self, made: UsbExport) -> str:
        return usb_export_text(made)

    def _on_imported(self, result: UsbImport) -> str:
        self._announce(acknowledged=result.changed, changed=bool(result.updates_applied),
                       references=bool(result.references_applied))
        return usb_import_text(result)

    def _on_enrolled(self, enrolment: Enrolment) -> str:
        return (f"Đã ghi danh với máy chủ {enrolment.hub_url}: máy này là quầy {enrolment.desk_no} của đơn vị "
                f"{enrolment.unit_code}. Từ nay quầy tự đồng bộ khi có kết nối.")

    def _announce(self, *, acknowledged: bool, changed: bool, references: bool = False) -> None:
        if references:
            self.references_changed.emit()
        if changed:
            self.dossiers_changed.emit()
        elif acknowledged:
            self.synced.emit()

    @Slot(object)
    def _on_progress_seen(self, progress: SyncProgress) -> None:
        self.progressed.emit(progress)

    @Slot(object)
    def _on_outcome_seen(self, outcome: RunOutcome) -> None:
        if self._stopped:
            return
        report = outcome.report
        if report is not None:
            self._announce(acknowledged=bool(report.sent), changed=bool(report.updates_applied),
                           references=bool(report.references_applied))
        self.refresh_status()


def sync_report_text(report: SyncReport) -> str:
    """What "Đồng bộ ngay" did, in one Vietnamese paragraph."""
    parts = [f"Đã đồng bộ lúc {_clock(report.finished_at)}."]
    if report.sent:
        sent = f"Đã gửi {report.sent} thay đổi: {report.applied} được nhận"
        if report.duplicate:
            sent += f", {report.duplicate} máy chủ đã có từ trước"
        if report.rejected:
            sent += f", {report.rejected} bị từ chối"
        if report.held:
            sent += f", {report.held} máy chủ giữ lại chờ thay đổi trước đó"
        parts.append(sent + ".")
    else:
        parts.append("Không có thay đổi nào chờ gửi.")
    if report.pulled:
        parts.append(f"Đã nhận {report.pulled} cập nhật từ máy chủ, {report.updates_applied} được áp dụng.")
    else:
        parts.append("Không có cập nhật mới từ máy chủ.")
    if report.problems:
        parts.append(f"{len(report.problems)} cập nhật không áp dụng được: {'; '.join(report.problems)}.")
    parts += report.warnings
    return " ".join(parts)


def usb_export_text(made: UsbExport) -> str:
    if not made.files:
        return "Không có thay đổi nào chờ gửi: không ghi tệp nào."
    names = ", ".join(str(f) for f in made.files)
    text = (f"Đã ghi {made.events} thay đổi vào {len(made.files)} tệp: {names}. Mang tệp lên cấp trên để nhập; "
            "các thay đổi vẫn «chờ gửi» cho tới khi nhập tệp trả lời của cấp trên.")
    if made.remaining:
        text += f" Còn {made.remaining} thay đổi cho lần xuất sau."
    return text


def usb_import_text(result: UsbImport) -> str:
    if not result.changed:
        return f"Tệp {result.file.name} đã được nhập trước đây: không có gì thay đổi."
    text = (f"Đã nhập tệp {result.file.name}: {result.acknowledged} thay đổi được máy chủ xác nhận, "
            f"{result.rejected} bị từ chối, {result.held} đang được giữ lại; {result.updates} cập nhật, "
            f"{result.updates_applied} được áp dụng.")
    if result.problems:
        text += f" {len(result.problems)} cập nhật không áp dụng được: {'; '.join(result.problems)}."
    return text


def _clock(iso: str) -> str:
    import datetime as dt

    try:
        return f"{dt.datetime.fromisoformat(iso):%H:%M %d/%m/%Y}"
    except ValueError:
        return iso
