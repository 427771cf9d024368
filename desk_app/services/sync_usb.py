"""Sync by USB stick, for a commune without a link: the same signed envelopes as HTTP, as files.

``export_usb`` writes the pending events as signed batch files for ``desk-app hub import``;
``import_usb`` reads the hub's answer file (``desk-app hub export --desk …``): acknowledgements,
rejections and updates, signed by the hub key the desk learnt at enrolment. Both are safe to
repeat: the hub answers a batch it already has "duplicate", and the desk recognises answers and
updates it already has, so importing a file twice changes nothing. A tampered file, one for
another desk or one signed by another hub is refused whole (SyncFailed), nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desk_app.domain import events as ev
from desk_app.services.desk import Desk
from desk_app.services.sync import (
    Progress, SyncFailed, SyncProgress, SyncReport, enrolment, one_stream, seal_batch, take_updates,
)
from desk_app.store import sync_state
from desk_app.store.outbox import EventAnswer
from desk_app.sync.protocol import Envelope, HubPackage, ProtocolError, SigningKey

USB_FILE_EVENTS = 10_000  # events per file (~14 MB of JSON, ~2 MB gzip): the hub applies a file at once
USB_MAX_EVENTS = 5 * USB_FILE_EVENTS  # one export writes at most this many; the rest go in the next


@dataclass(frozen=True)
class UsbExport:
    """The files written (the first is the name asked for; more are ``name-2.sync``, … when the
    events span several epochs or exceed a file) and the events in them; ``remaining``: pending
    events left for the next export."""

    files: tuple[Path, ...]
    events: int
    remaining: int = 0


@dataclass(frozen=True)
class UsbImport:
    """What a hub file did: events newly acknowledged, rejected or held, and its updates."""

    file: Path
    acknowledged: int
    rejected: int
    held: int
    updates: int
    updates_applied: int
    problems: tuple[str, ...] = field(default_factory=tuple)
    references_applied: int = 0  # catalogue and calendar updates applied

    @property
    def changed(self) -> bool:
        return bool(self.acknowledged or self.rejected or self.held or self.updates_applied or self.problems)


def _file_names(first: Path, count: int) -> list[Path]:
    return [first if i == 1 else first.with_name(f"{first.stem}-{i}{first.suffix}") for i in range(1, count + 1)]


def export_usb(desk: Desk, file: Path, progress: Progress | None = None) -> UsbExport:
    """Write the pending events (held ones included) as signed batch files; nothing is marked
    sent: events stay pending until the hub's answer file is imported. No pending event: no
    file. Audited (personal data leaves the machine on a stick). Each file is written whole
    under a temporary name first, so a pulled stick never holds half a batch."""
    found = enrolment(desk)
    key = SigningKey.from_text(found.private_key)
    outbox = desk.recorder.outbox
    pending = outbox.pending(USB_MAX_EVENTS)
    batches: list[list[ev.Event]] = []
    rest = pending
    while rest:
        run = one_stream(rest)[:USB_FILE_EVENTS]
        batches.append(run)
        rest = rest[len(run):]
    files = _file_names(file, len(batches))
    started = desk.device_clock()
    for number, (path, run) in enumerate(zip(files, batches), 1):
        envelope = seal_batch(desk, run, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(envelope.to_file())
        partial.replace(path)
        if progress is not None:
            progress(SyncProgress("export", number, len(batches), f"Đã ghi tệp {number}/{len(batches)}: {path.name}"))
    result = UsbExport(tuple(files), len(pending), outbox.pending_count() - len(pending))
    if files:
        now = desk.device_clock()
        with desk.store.transaction():
            desk.store.audit.add(actor=desk.actor, action="sync.usb_export", entity="desk", entity_id=desk.desk_uuid(),
                                 detail={"files": [str(f) for f in files], "events": len(pending)}, at=now)
        sync_state.add_run(desk.store, sync_state.Run(
            kind="usb_export", started_at=started.isoformat(timespec="seconds"),
            finished_at=now.isoformat(timespec="seconds"), ok=True,
            detail={"files": [str(f) for f in files], "events": len(pending)}))
    return result


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise SyncFailed("file_not_found", f"Không tìm thấy tệp {file}.", environment=False) from None
    except OSError as exc:
        raise SyncFailed("cannot_read", f"Không đọc được tệp {file}: {exc.strerror or exc}.") from None


def import_usb(desk: Desk, file: Path, progress: Progress | None = None) -> UsbImport:
    """Take in a hub file for this desk: answers, acknowledgements and updates, in one transaction.

    Refused whole (SyncFailed, code ``usb_refused``, Vietnamese reason, nothing changed) when the
    file is not a sync file, was altered, is for another desk or is not signed by this desk's
    hub. Answers about events this database never wrote (a copy restored from an older backup)
    are ignored; answers and updates already known change nothing.
    """
    found = enrolment(desk)
    data = _read(file)
    try:
        package = HubPackage.open(Envelope.from_file(data), hub_public_key=found.hub_public_key,
                                  desk_uuid=desk.desk_uuid())
    except ProtocolError as exc:
        raise SyncFailed("usb_refused", f"Tệp {file.name} bị từ chối, không nhập gì: {exc.message}.",
                         environment=False) from None
    if progress is not None:
        progress(SyncProgress("import", 0, len(package.updates), f"Đang nhập {file.name}"))
    started = desk.device_clock()
    store, outbox = desk.store, desk.recorder.outbox
    report = SyncReport(hub_url=found.hub_url, started_at=started.isoformat(timespec="seconds"))
    with store.transaction():
        known = sync_state.known_events(store, [a.event_uuid for a in package.answers])
        have = sync_state.answers_of(store, known)
        answers = [EventAnswer(a.event_uuid, ev.Answer(a.status.value), started, a.code.value if a.code else "",
                               a.reason or "")
                   for a in package.answers
                   if a.event_uuid in known and have.get(a.event_uuid) != (a.status.value, a.code.value if a.code
                                                                           else "", a.reason or "")]
        outbox.record_answers(answers)
        acknowledged = [u for s in package.streams for u in sync_state.unacknowledged_through(store, s.epoch,
                                                                                                 s.through_seq)]
        outbox.record_answers(EventAnswer(u, ev.Answer.APPLIED, started) for u in acknowledged)
        outbox.advance_push_cursor(at=started)
        take_updates(desk, package, report)
    result = UsbImport(
        file=file, acknowledged=len(acknowledged) + sum(1 for a in answers if a.answer.is_final),
        rejected=sum(1 for a in answers if a.answer is ev.Answer.REJECTED),
        held=sum(1 for a in answers if a.answer is ev.Answer.HELD), updates=len(package.updates),
        updates_applied=report.updates_applied, problems=tuple(report.problems),
        references_applied=report.references_applied)
    now = desk.device_clock()
    sync_state.add_run(store, sync_state.Run(
        kind="usb_import", started_at=started.isoformat(timespec="seconds"), finished_at=now.isoformat(
            timespec="seconds"), ok=True, detail={"file": str(file), "acknowledged": result.acknowledged,
                                                  "updates": result.updates, "changed": result.changed}))
    if progress is not None:
        progress(SyncProgress("import", len(package.updates), len(package.updates), f"Đã nhập {file.name}"))
    return result
