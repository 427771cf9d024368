"""Sync with the hub, desk side: enrol, push and pull (``sync_now``), USB files, and what to show.

The rules (docs/sync-hub.md, ARCHITECTURE §4) as the desk keeps them:

* **Push**: outbox events go out oldest first, in batches of one (desk, epoch) stream with the
  epoch's first seq in the header; the hub answers per event; a final answer (applied,
  duplicate, rejected) acknowledges the event, a held one leaves it pending to be sent again;
  the push cursor moves only over the contiguous run of acknowledged events. A rejected event is
  final: it is kept with its code and Vietnamese reason for a person, and the events after it
  go on.
* **Pull**: updates after the pull cursor (the hub's epoch and sequence), applied and the cursor
  moved in one transaction (``sync_updates``); "resync required" (the hub's database changed)
  starts again from 0, and what was already applied is recognised by content and skipped.
* **One pusher at a time**: the window's runner and ``desk-app sync now`` take a lease in the
  database; and if two pushes ever met anyway, the hub answers the second "duplicate" and the
  desk records a final answer either way: nothing applies twice.
* **Clocks**: every hub reply carries the hub's time; the desk never adjusts its clock, it warns
  when the difference passes the ``sync_skew_warning_minutes`` setting (default 5).

The background runner is ``services.sync_runner.SyncRunner``; the updates themselves are applied
by ``services.sync_updates``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
import uuid as uuidlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from desk_app import __version__
from desk_app.domain import events as ev
from desk_app.domain.errors import DomainError
from desk_app.services.desk import Desk
from desk_app.services.sync_updates import APPLIED, PROBLEM, UNCHANGED, UpdateOutcome, apply_update
from desk_app.store import audit_anchor, sync_state
from desk_app.store.outbox import EventAnswer, Outbox
from desk_app.store.sync_state import Enrolment
from desk_app.sync.client import HubClient, HubProtocolError, HubRefused, HubUnreachable, SyncError
from desk_app.domain.events import Answer as AnswerStatus
from desk_app.sync.protocol import (
    DEFAULT_BATCH_SIZE, SKEW_WARNING, AuditHead, Envelope, HubPackage, PushResult, RefusalCode,
    SigningKey, build_batch, clock_skew, now_iso,
)

log = logging.getLogger(__name__)

SKEW_SETTING = "sync_skew_warning_minutes"
LEASE_FOR = dt.timedelta(minutes=2)  # renewed after every batch; a crashed program's lease lapses

Connect = Callable[[str], HubClient]
# Updates that change what the counter offers (procedures, fees, time limits, days off).
REFERENCE_KINDS = frozenset({ev.Kind.CATALOGUE_UPDATED.value, ev.Kind.CALENDAR_UPDATED.value})


class SyncFailed(DomainError):
    """A sync could not be done; nothing half-done stays behind (what was answered is kept).

    ``retry``: trying again later may work (hub unreachable, another program syncing).
    ``environment``: the network, the hub or the machine, not the officer's input (exit 3).
    """

    def __init__(self, code: str, message: str, *, retry: bool = False, environment: bool = True) -> None:
        super().__init__(code, message)
        self.retry = retry
        self.environment = environment


class NotEnrolled(SyncFailed):
    def __init__(self) -> None:
        super().__init__("not_enrolled", "Quầy chưa ghi danh với máy chủ đồng bộ. Hãy chạy: desk-app sync enroll "
                         "--hub <địa chỉ máy chủ> --code <mã ghi danh do cấp trên cấp>.", environment=False)


@dataclass(frozen=True)
class SyncProgress:
    """Where a long transfer is, for a progress bar. ``phase``: push, pull, export or import;
    ``total`` 0 when not known in advance (pulling); ``message`` is Vietnamese."""

    phase: str
    done: int
    total: int
    message: str


Progress = Callable[[SyncProgress], None]


@dataclass
class SyncReport:
    """What one ``sync_now`` did. Counts are events (push) and updates (pull); times are the
    desk's device clock, ISO with offset. ``warnings`` are Vietnamese (clock skew, enrolment)."""

    hub_url: str
    started_at: str
    finished_at: str = ""
    batches: int = 0
    sent: int = 0  # events sent, re-sent ones included
    applied: int = 0
    duplicate: int = 0
    rejected: int = 0
    held: int = 0
    pulled: int = 0  # updates received
    updates_applied: int = 0
    references_applied: int = 0  # of those, catalogue and calendar updates: the reception list reloads
    updates_unchanged: int = 0  # already so on the desk, another desk's, or dealt with before
    problems: list[str] = field(default_factory=list)
    resync: bool = False
    hub_time: str | None = None
    clock_skew_s: float | None = None
    warnings: list[str] = field(default_factory=list)
    pending: int = 0  # events still waiting after the run

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Enrolment ------------------------------------------------------------------------------------


def enroll(desk: Desk, hub_url: str, code: str, *, connect: Connect = HubClient) -> Enrolment:
    """Give the desk its identity on the hub with a one-time ``code`` (``desk-app hub enroll``).

    A new Ed25519 key is made; the hub binds its public half to the code's commune and desk
    number and answers with its own public key, which signs everything it sends from then on.
    Recorded through the recorder (a settings change: hub URL and keys, never the private key,
    go to the outbox), with the private key kept in the database (see migration 0010). Enrolling
    again (a new hub, a replaced key) replaces the enrolment. Refusals raise SyncFailed.
    """
    profile = desk.profile()
    hub_url = hub_url.strip().rstrip("/")
    if not hub_url.startswith(("http://", "https://")):
        raise SyncFailed("bad_hub_url", f"Địa chỉ máy chủ «{hub_url}» phải bắt đầu bằng http:// hoặc https://.",
                         environment=False)
    key = SigningKey.generate()
    facts = {"unit_code": profile.unit_code, "desk_no": profile.desk_no, "commune": profile.commune,
             "app_version": __version__}
    try:
        with connect(hub_url) as client:
            accepted = client.enroll(code.strip(), desk_uuid=desk.desk_uuid(), public_key=key.public_text, facts=facts)
    except SyncError as exc:
        raise _failure(exc, "ghi danh") from exc
    if accepted.desk_uuid != desk.desk_uuid() or accepted.unit_code != profile.unit_code:
        raise SyncFailed("enrolment_mismatch", "Máy chủ trả lời ghi danh cho quầy hoặc đơn vị khác; chưa ghi gì.")
    enrolment = Enrolment(hub_url=hub_url, hub_public_key=accepted.hub_public_key, hub_epoch=accepted.hub_epoch,
                          unit_code=accepted.unit_code, desk_no=accepted.desk_no, private_key=key.to_text(),
                          public_key=key.public_text, enrolled_at=desk.device_clock().isoformat(timespec="seconds"))
    public = {"hub_url": hub_url, "hub_public_key": accepted.hub_public_key, "unit_code": accepted.unit_code,
              "desk_no": accepted.desk_no, "desk_public_key": key.public_text}
    with desk.recorder.change(business_time=desk.clock()) as change:
        sync_state.save_enrolment(desk.store, enrolment)
        change.event(ev.Kind.SETTINGS_CHANGED, desk.desk_uuid(), ev.settings_changed({"sync": public}))
        change.audit("sync.enroll", "desk", desk.desk_uuid(), public)
    log.info("enrolled with %s as %s#%s", hub_url, accepted.unit_code, accepted.desk_no)
    return enrolment


def enrolment(desk: Desk) -> Enrolment:
    found = sync_state.enrolment(desk.store)
    if found is None:
        raise NotEnrolled()
    return found


def enrolment_warnings(desk: Desk, found: Enrolment) -> list[str]:
    if found.desk_no != desk.profile().desk_no:
        return [f"Máy chủ ghi danh máy này là quầy {found.desk_no}, nhưng quầy được cài đặt là quầy "
                f"{desk.profile().desk_no}: mã hồ sơ có thể trùng với quầy khác; hãy báo cấp trên."]
    return []


_DAMAGED = frozenset({RefusalCode.MALFORMED.value, RefusalCode.BODY_MISMATCH.value, RefusalCode.BAD_SIGNATURE.value})


def _failure(exc: SyncError, what: str) -> SyncFailed:
    if isinstance(exc, HubUnreachable):
        return SyncFailed("hub_unreachable", f"Chưa {what} được: {exc.message}. Sẽ thử lại khi có kết nối.", retry=True)
    if isinstance(exc, HubRefused):
        # A batch the desk signed and built whole, refused as damaged, was damaged on the way.
        return SyncFailed(exc.code, f"Máy chủ từ chối {what}: {exc.message}.", retry=exc.code in _DAMAGED)
    return SyncFailed("hub_protocol", f"Chưa {what} được: trả lời của máy chủ không hợp lệ ({exc.message}).",
                      retry=True)


# sync_now -------------------------------------------------------------------------------------


def sync_now(desk: Desk, progress: Progress | None = None, *, connect: Connect = HubClient,
             wait: float = 30.0, batch_size: int = DEFAULT_BATCH_SIZE) -> SyncReport:
    """Push every pending event, then pull and apply the hub's updates; returns what happened.

    ``progress`` is called (on the calling thread) after every batch and package (``batch_size``
    events or updates each). ``connect`` makes the HTTP client for the enrolled hub URL (tests
    pass one over FastAPI's TestClient).
    If another program on this database is syncing, waits up to ``wait`` seconds for it, then
    raises SyncFailed("sync_busy", retry=True). Any failure (NotEnrolled, hub unreachable or
    refusing, an answer that is not the hub's) raises SyncFailed after recording it for
    ``sync_status``; whatever was answered before the failure is kept.
    """
    found = enrolment(desk)
    holder = f"{os.getpid()}:{threading.get_ident()}:{uuidlib.uuid4()}"
    _take_lease(desk, holder, wait)
    report = SyncReport(hub_url=found.hub_url, started_at=_now(desk), warnings=enrolment_warnings(desk, found))
    try:
        with connect(found.hub_url) as client:
            try:
                _push(desk, client, found, report, progress, holder, batch_size)
                _pull(desk, client, found, report, progress, batch_size)
                if report.updates_applied:  # a decision applied here is a change the hub should hear of now
                    _push(desk, client, found, report, progress, holder, batch_size)
            except SyncError as exc:
                failure = _failure(exc, "đồng bộ")
                _finish(desk, report, client, failure)
                raise failure from exc
            _finish(desk, report, client, None)
    finally:
        try:
            sync_state.release_lease(desk.store, holder)
        except Exception as exc:  # never hide the run's own error; an unreleased lease lapses anyway
            log.warning("sync lease not released: %r", exc)
    return report


def _now(desk: Desk) -> str:
    return desk.device_clock().isoformat(timespec="seconds")


def _take_lease(desk: Desk, holder: str, wait: float) -> None:
    deadline = time.monotonic() + wait
    while not sync_state.take_lease(desk.store, holder, now=desk.device_clock(),
                                    until=desk.device_clock() + LEASE_FOR):
        if time.monotonic() >= deadline:
            raise SyncFailed("sync_busy", "Một chương trình khác trên máy này đang đồng bộ; hãy thử lại sau ít phút.",
                             retry=True)
        time.sleep(0.2)


def _finish(desk: Desk, report: SyncReport, client: HubClient | None, failure: SyncFailed | None) -> None:
    """Note the hub's clock, count what is left and log the run (which ``sync_status`` reads)."""
    if client is not None and client.last_hub_time:
        _note_clock(desk, report, client.last_hub_time)
    report.finished_at = _now(desk)
    report.pending = desk.recorder.outbox.pending_count()
    sync_state.add_run(desk.store, sync_state.Run(
        kind="http", started_at=report.started_at, finished_at=report.finished_at, ok=failure is None,
        error_code=failure.code if failure else "", error=failure.message if failure else "",
        hub_time=report.hub_time, clock_skew_s=report.clock_skew_s, detail=report.to_dict()))


def skew_limit(desk: Desk) -> dt.timedelta:
    minutes = desk.store.settings.get(SKEW_SETTING)
    return dt.timedelta(minutes=float(minutes)) if isinstance(minutes, (int, float)) else SKEW_WARNING


def skew_warning(skew_s: float, limit: dt.timedelta) -> str | None:
    """The Vietnamese warning for a clock ``skew_s`` seconds ahead of the hub's, or None."""
    if abs(skew_s) <= limit.total_seconds():
        return None
    minutes = round(abs(skew_s) / 60)
    return (f"Đồng hồ máy tính {'nhanh' if skew_s > 0 else 'chậm'} hơn máy chủ khoảng {minutes} phút: "
            "hãy chỉnh lại giờ của máy tính (giờ trên giấy hẹn lấy từ đồng hồ này).")


def _note_clock(desk: Desk, report: SyncReport, hub_time: str) -> None:
    try:
        skew = clock_skew(hub_time, desk.device_clock()).total_seconds()
    except (ValueError, TypeError):
        return  # a hub time we cannot read says nothing about our clock
    report.hub_time, report.clock_skew_s = hub_time, round(skew, 1)
    warning = skew_warning(skew, skew_limit(desk))
    if warning and warning not in report.warnings:
        report.warnings.append(warning)


def _notify(progress: Progress | None, phase: str, done: int, total: int, message: str) -> None:
    if progress is not None:
        progress(SyncProgress(phase, done, total, message))


def _push(desk: Desk, client: HubClient, found: Enrolment, report: SyncReport, progress: Progress | None,
          holder: str, batch_size: int) -> None:
    outbox = desk.recorder.outbox
    key = SigningKey.from_text(found.private_key)
    total = outbox.pending_count()
    done = 0
    _notify(progress, "push", 0, total, f"Đang gửi {total} thay đổi")

    def seal(run: list[ev.Event]) -> Envelope:
        return seal_batch(desk, run, key)

    def answered(run: list[ev.Event], result: PushResult) -> int:
        nonlocal done
        with desk.store.transaction():  # the answers and the lease's renewal: one commit, one fsync
            final = record_push(desk, run, result, report)
            sync_state.take_lease(desk.store, holder, now=desk.device_clock(), until=desk.device_clock() + LEASE_FOR)
        done += final
        _notify(progress, "push", min(done, total), total, f"Đã gửi {done}/{total} thay đổi")
        return final

    if _push_once_each(outbox, client, seal, answered, batch_size):
        return  # the hub held a whole batch: it waits for a gap to be filled first
    # What is still pending (held after a gap) goes again, oldest first, while the hub takes some.
    while run := one_stream(outbox.pending(batch_size)):
        if answered(run, client.push(seal(run))) == 0:
            break


def seal_batch(desk: Desk, run: list[ev.Event], key: SigningKey) -> Envelope:
    """Sign one stream's events as a batch, with the audit chain head now and the anchor at the
    head the hub last said it holds (issue 8 item 2; hub/storage/audit_heads.py checks them)."""
    epoch = run[0].epoch
    anchor = audit_anchor.anchor(desk.store.db, epoch)
    return build_batch(run, key, created_at=desk.device_clock(),
                       epoch_first_seq=sync_state.epoch_first_seq(desk.store, epoch),
                       audit_head=AuditHead(*audit_anchor.head(desk.store.db)),
                       audit_anchor=AuditHead(*anchor) if anchor else None)


def _push_once_each(outbox: Outbox, client: HubClient, seal: Callable[[list[ev.Event]], Envelope],
                    answered: Callable[[list[ev.Event], PushResult], int], batch_size: int) -> bool:
    """Send every pending event once, in order, one request at a time; returns True if the hub
    held a whole batch. While the hub applies one batch, the next is read and signed, and the
    answers to the previous one are written: the desk's work and the hub's overlap (one worker
    thread does the HTTP; the database stays on this thread)."""
    run = one_stream(outbox.pending(batch_size))
    if not run:
        return False
    # Leaving the block waits for a request still in flight, so the client is never closed under it.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as http:
        in_flight = http.submit(client.push, seal(run))
        while True:
            following = one_stream(outbox.pending(batch_size, after=run[-1].event_uuid))
            batch = seal(following) if following else None
            result = in_flight.result()
            if batch is not None:  # the hub starts on the next batch while this one's answers are written
                in_flight = http.submit(client.push, batch)
            if answered(run, result) == 0:
                if batch is not None:  # already sent: keep what the hub said about it too
                    answered(following, in_flight.result())
                return True
            if batch is None:
                return False
            run = following


def one_stream(events: Sequence[ev.Event]) -> list[ev.Event]:
    """The leading events that share the first one's epoch: a batch is one (desk, epoch) stream."""
    if not events:
        return []
    epoch = events[0].epoch
    run = []
    for event in events:
        if event.epoch != epoch:
            break
        run.append(event)
    return run


def record_push(desk: Desk, run: Sequence[ev.Event], result: PushResult, report: SyncReport) -> int:
    """Keep the hub's answers for a batch and move the push cursor; returns the final answers."""
    if [a.event_uuid for a in result.answers] != [e.event_uuid for e in run]:
        raise HubProtocolError("câu trả lời của máy chủ không khớp các sự kiện đã gửi")
    now = desk.device_clock()
    answers = [_event_answer(a.event_uuid, a.status, a.code.value if a.code else "", a.reason or "", now)
               for a in result.answers]
    with desk.store.transaction():
        desk.recorder.outbox.record_answers(answers)
        desk.recorder.outbox.advance_push_cursor(at=now)
    report.batches += 1
    report.sent += len(run)
    for a in result.answers:
        setattr(report, a.status.value, getattr(report, a.status.value) + 1)
    _note_clock(desk, report, result.hub_time)
    return sum(1 for a in result.answers if a.status.is_final)


def _event_answer(event_uuid: str, status: AnswerStatus, code: str, reason: str, at: dt.datetime) -> EventAnswer:
    return EventAnswer(event_uuid, ev.Answer(status.value), at, code, reason)


def _pull(desk: Desk, client: HubClient, found: Enrolment, report: SyncReport, progress: Progress | None,
          limit: int) -> None:
    outbox = desk.recorder.outbox
    key = SigningKey.from_text(found.private_key)
    resyncs = 0
    _notify(progress, "pull", 0, 0, "Đang nhận cập nhật từ máy chủ")
    while True:
        cursor = outbox.pull_cursor()
        result = client.pull(key=key, desk_uuid=desk.desk_uuid(), after_seq=cursor.seq if cursor else 0,
                             hub_epoch=cursor.epoch if cursor else None, hub_public_key=found.hub_public_key,
                             at=now_iso(desk.device_clock()), limit=limit)
        package = result.package
        if package.resync_required:
            resyncs += 1
            if resyncs > 2:
                raise HubProtocolError("máy chủ yêu cầu đồng bộ lại liên tục")
            log.warning("hub asks for a resync (hub epoch %s, ours %s): pulling again from 0",
                        package.hub_epoch, cursor.epoch if cursor else None)
            report.resync = True
            outbox.set_pull_cursor(hub_epoch=package.hub_epoch, hub_seq=0, at=desk.device_clock())
            continue
        take_updates(desk, package, report)
        _notify(progress, "pull", report.pulled, 0, f"Đã nhận {report.pulled} cập nhật")
        if not package.has_more:
            return
        if cursor is not None and cursor.epoch == package.hub_epoch and package.last_hub_seq <= cursor.seq:
            raise HubProtocolError("máy chủ báo còn cập nhật nhưng không đưa thêm")  # never loop for ever


def take_updates(desk: Desk, package: HubPackage, report: SyncReport | None = None) -> list[UpdateOutcome]:
    """Apply a package's updates and move the pull cursor to its end, in one transaction.

    The cursor only moves forward within a hub epoch (another program may have pulled further
    meanwhile); a package of another hub epoch (the hub's database was replaced) moves it there.
    """
    outcomes = []
    with desk.store.transaction():
        for update in package.updates:
            outcomes.append(apply_update(desk, update, hub_epoch=package.hub_epoch))
        if package.audit_head is not None and package.audit_epoch is not None:
            audit_anchor.save_hub_head(desk.store.db, package.audit_epoch,
                                       (package.audit_head.id, package.audit_head.hash))
        cursor = desk.recorder.outbox.pull_cursor()
        if cursor is None or cursor.epoch != package.hub_epoch or cursor.seq < package.last_hub_seq:
            desk.recorder.outbox.set_pull_cursor(hub_epoch=package.hub_epoch, hub_seq=package.last_hub_seq,
                                                 at=desk.device_clock())
    if report is not None:
        report.pulled += len(package.updates)
        for o in outcomes:
            if o.outcome == APPLIED:
                report.updates_applied += 1
                report.references_applied += o.kind in REFERENCE_KINDS
            elif o.outcome == PROBLEM:
                report.problems.append(f"{o.label}: {o.reason}")
            else:
                report.updates_unchanged += 1
    return outcomes


# What to show ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RejectedItem:
    """An event the hub rejected for good, kept for a person: ``label`` names what it was about
    (``dossier_code`` for a dossier), ``code`` is the hub's machine code, ``reason`` Vietnamese."""

    event_uuid: str
    seq: int
    kind: str
    label: str
    dossier_code: str | None
    code: str
    reason: str
    answered_at: str


@dataclass(frozen=True)
class UpdateProblem:
    """An update from the hub that could not be applied (e.g. a decision on a withdrawn dossier)."""

    hub_seq: int
    kind: str
    label: str
    reason: str
    at: str


@dataclass(frozen=True)
class SyncStatus:
    """The desk's sync as of now, for the status panel and ``desk-app sync status``.

    ``pending``: events not yet acknowledged (``pending_dossiers``: dossiers they touch);
    ``held``: of those, the ones the hub keeps until an earlier one arrives; ``last_success`` /
    ``last_attempt``: ISO times of the last successful / any sync with the hub (HTTP or a USB
    file imported), None if never; ``last_error``: the Vietnamese error of the last attempt if
    it failed, else None; ``clock_skew_s``: our clock minus the hub's at the last reply, with
    ``clock_warning`` when it passes the setting; ``running``: a program holds the sync lease.
    """

    enrolled: bool
    hub_url: str | None
    unit_code: str | None
    desk_no: int | None
    pending: int
    pending_dossiers: int
    held: int
    last_success: str | None
    last_attempt: str | None
    last_error: str | None
    rejected: tuple[RejectedItem, ...]
    problems: tuple[UpdateProblem, ...]
    clock_skew_s: float | None
    clock_warning: str | None
    running: bool
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self, *, details: bool = True) -> str:
        """One line in plain Vietnamese: "3 thay đổi chờ gửi (2 hồ sơ) · lần gửi cuối 09:12 24/11/2026 · …".

        ``details=False``: short enough for a status bar or a panel's heading, which show the
        first rejection's reason, the error and the clock warning elsewhere; it only names them.
        """
        if not self.enrolled:
            return "Quầy chưa ghi danh với máy chủ đồng bộ"
        parts = [f"{self.pending} thay đổi chờ gửi ({self.pending_dossiers} hồ sơ)" if self.pending
                 else "Đã gửi hết"]
        if self.last_success:
            parts.append(f"lần đồng bộ cuối {dt.datetime.fromisoformat(self.last_success):%H:%M %d/%m/%Y}")
        else:
            parts.append("chưa đồng bộ lần nào")
        if self.rejected:
            first = self.rejected[0]
            parts.append(f"{len(self.rejected)} bị từ chối" + (f": {first.label} ({first.reason})" if details else ""))
        if self.problems:
            parts.append(f"{len(self.problems)} cập nhật không áp dụng được")
        if self.last_error:
            parts.append(f"lỗi lần trước: {self.last_error}" if details else "lần thử trước bị lỗi")
        if self.clock_warning:
            parts.append(self.clock_warning if details else "đồng hồ máy tính bị lệch")
        return " · ".join(parts)


def sync_status(desk: Desk) -> SyncStatus:
    """Read-only (works on a read-only database): counts, last runs, rejections, problems, clock."""
    store, outbox = desk.store, desk.recorder.outbox
    found = sync_state.enrolment(store)
    success = sync_state.last_run(store, ok=True)
    attempt = sync_state.last_run(store)
    clock = sync_state.last_clock_reading(store)
    skew = clock.clock_skew_s if clock else None
    rejected = tuple(_rejected(event, answer) for event, answer in outbox.answered(ev.Answer.REJECTED))
    problems = tuple(UpdateProblem(p.hub_seq, p.kind, p.label, p.reason, p.handled_at)
                     for p in sync_state.update_problems(store))
    return SyncStatus(
        enrolled=found is not None, hub_url=found.hub_url if found else None,
        unit_code=found.unit_code if found else None, desk_no=found.desk_no if found else None,
        pending=outbox.pending_count(), pending_dossiers=sync_state.pending_dossiers(store),
        held=sync_state.held_count(store), last_success=success.finished_at if success else None,
        last_attempt=attempt.finished_at if attempt else None,
        last_error=attempt.error or None if attempt and not attempt.ok else None,
        rejected=rejected, problems=problems, clock_skew_s=skew,
        clock_warning=skew_warning(skew, skew_limit(desk)) if skew is not None else None,
        running=sync_state.lease_live(store, desk.device_clock()),
        warnings=tuple(enrolment_warnings(desk, found)) if found else (),
    )


_LABELS = {
    ev.Kind.GUIDANCE_ISSUED.value: ("Phiếu hướng dẫn", "number"),
    ev.Kind.CATALOGUE_IMPORTED.value: ("Danh mục", "version"),
    ev.Kind.CALENDAR_IMPORTED.value: ("Lịch nghỉ", "source"),
}


def _rejected(event: ev.Event, answer: EventAnswer) -> RejectedItem:
    code = event.payload.get("code") if event.entity == ev.Entity.DOSSIER.value else None
    if isinstance(code, str):
        label = f"Hồ sơ {code}"
    elif event.kind in _LABELS:
        word, name = _LABELS[event.kind]
        label = f"{word} {event.payload.get(name, event.entity_id)}"
    else:
        label = "Cài đặt quầy" if event.kind == ev.Kind.SETTINGS_CHANGED.value else event.entity_id
    return RejectedItem(event.event_uuid, event.seq, event.kind, label, code if isinstance(code, str) else None,
                        answer.code, answer.reason, answer.answered_at.isoformat(timespec="seconds"))


def dossier_sync_marks(desk: Desk, dossier_uuids: Sequence[str]) -> dict[str, str]:
    """For the ledger: each dossier UUID → "pending" (a change not yet acknowledged by the hub),
    "synced" (all acknowledged, or nothing to send) or "rejected" (a change of it was rejected:
    see ``sync_status().rejected``). One indexed query per call; meant for the ~50 visible rows."""
    return sync_state.dossier_marks(desk.store, dossier_uuids)


__all__ = ["APPLIED", "PROBLEM", "UNCHANGED", "Connect", "NotEnrolled", "Progress", "RejectedItem", "SyncFailed",
           "SyncProgress", "SyncReport", "SyncStatus", "UpdateProblem", "dossier_sync_marks", "enroll", "enrolment",
           "sync_now", "sync_status", "take_updates"]
