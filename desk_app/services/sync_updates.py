"""What the hub sends down, applied on the desk: decisions, catalogue and calendar updates.

Each update is dealt with once, by content (kind, entity, payload hash), whichever way it came
(a pull, a re-pull after "resync required", a USB file imported twice): ``sync_updates`` keeps
what was done. An update that cannot apply (a decision on a dossier this desk does not have, or
on one withdrawn meanwhile; a malformed catalogue) never stops the others: it is kept as a
problem with a Vietnamese reason, shown in the sync status.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desk_app.domain import events as ev
from desk_app.domain.catalogue_io import CatalogueError, parse_json
from desk_app.domain.codes import parse_code
from desk_app.domain.dossier import Status
from desk_app.domain.errors import DomainError
from desk_app.domain.holidays import DayEntry, DayKind
from desk_app.domain.text import nfc
from desk_app.services.desk import Desk
from desk_app.store import sync_state
from desk_app.store.connection import StoreError
from desk_app.store.lifecycle import set_status
from desk_app.sync.protocol import Update

log = logging.getLogger(__name__)

APPLIED, UNCHANGED, NOT_OURS, PROBLEM, SEEN = "applied", "unchanged", "not_ours", "problem", "seen"


@dataclass(frozen=True)
class UpdateOutcome:
    """What became of one update. ``outcome``: applied, unchanged (already so on the desk),
    not_ours (another desk's dossier of the commune), problem (``reason`` says why, in
    Vietnamese), or seen (dealt with before: nothing done)."""

    hub_seq: int
    kind: str
    outcome: str
    label: str
    reason: str = ""


class _Problem(Exception):
    def __init__(self, label: str, reason: str) -> None:
        super().__init__(reason)
        self.label = label
        self.reason = reason


def apply_update(desk: Desk, update: Update, *, hub_epoch: str) -> UpdateOutcome:
    """Apply one update and remember it, in one transaction (nested in the caller's, if any).

    Its own writes run in a savepoint: an update that fails leaves nothing half-written and is
    kept as a problem. Database failures (disk full, locked) are not problems of the update:
    they propagate and the caller's transaction rolls back.
    """
    store = desk.store
    with store.transaction():
        if sync_state.update_handled(store, update.kind, update.entity_id, update.payload_hash):
            return UpdateOutcome(update.hub_seq, update.kind, SEEN, update.entity_id)
        handler = _HANDLERS.get(update.kind)
        try:
            if handler is None:
                raise _Problem(update.entity_id, f"loại cập nhật «{update.kind}» chưa được phiên bản này hỗ trợ; "
                                                 "hãy cập nhật phần mềm của quầy")
            with store.transaction():  # a savepoint
                outcome, label, reason = handler(desk, update.payload)
        except _Problem as problem:
            outcome, label, reason = PROBLEM, problem.label, problem.reason
        except (StoreError, sqlite3.Error):
            raise
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("update %s (%s) malformed: %r", update.hub_seq, update.kind, exc)
            outcome, label, reason = PROBLEM, _label(update), "nội dung cập nhật không hợp lệ, không áp dụng"
        except Exception as exc:  # a bug must not stop the other updates: logged for the maintainer
            log.exception("update %s (%s) failed", update.hub_seq, update.kind)
            outcome, label, reason = PROBLEM, _label(update), f"lỗi phần mềm khi áp dụng ({type(exc).__name__})"
        if outcome == PROBLEM:
            log.warning("hub update %s (%s %s) not applied: %s", update.hub_seq, update.kind, label, reason)
        sync_state.record_update(
            store, kind=update.kind, entity_id=update.entity_id, payload_hash=update.payload_hash, hub_epoch=hub_epoch,
            hub_seq=update.hub_seq, outcome=outcome, label=label, reason=reason, at=desk.device_clock(),
        )
    return UpdateOutcome(update.hub_seq, update.kind, outcome, label, reason)


_LABELS = {ev.Kind.DOSSIER_DECIDED.value: ("Hồ sơ", "code"), ev.Kind.CATALOGUE_UPDATED.value: ("Danh mục", "version"),
           ev.Kind.CALENDAR_UPDATED.value: ("Lịch nghỉ", "version")}


def _label(update: Update) -> str:
    """What an update is about, for people, even when its payload is malformed."""
    word, name = _LABELS.get(update.kind, ("", ""))
    value = update.payload.get(name) if name else None
    return f"{word} {value}" if isinstance(value, str) and value else update.entity_id


Handler = Callable[[Desk, dict[str, Any]], tuple[str, str, str]]


def _decision(desk: Desk, payload: dict[str, Any]) -> tuple[str, str, str]:
    """A decision of the deciding agency: the dossier's status becomes it, through the recorder
    (so the change has its outbox event and audit entry, and the hub hears the desk applied it)."""
    code = nfc(str(payload["code"]))
    label = f"Hồ sơ {code}"
    status = Status(payload["status"])
    if status not in ev.DECISION_STATUSES:
        raise _Problem(label, f"trạng thái «{status.label}» không phải một quyết định")
    decided_at = dt.datetime.fromisoformat(payload["decided_at"])
    if decided_at.tzinfo is None:
        raise ValueError("decided_at lacks its UTC offset")
    ref = sync_state.dossier_ref(desk.store, str(payload["uuid"]))
    if ref is None:
        if not _ours(desk, code):
            return NOT_OURS, label, ""
        raise _Problem(label, f"cấp trên gửi quyết định «{status.label}» cho hồ sơ {code}, nhưng quầy không có "
                              "hồ sơ này (có thể do đã khôi phục từ một bản sao lưu cũ)")
    current = Status(ref.status)
    if current is status:
        return UNCHANGED, label, ""
    if not current.is_open:
        raise _Problem(label, f"hồ sơ {code} đang ở trạng thái «{current.label}»: không áp dụng được quyết định "
                              f"«{status.label}» của cấp trên ({desk.localise(decided_at):%H:%M %d/%m/%Y})")
    # Steps are recorded in time order, never in the future: a hub clock that runs ahead or
    # behind the desk's must not break either rule.
    earliest = dt.datetime.fromisoformat(ref.last_change_at or ref.received_at)
    at = max(min(desk.localise(decided_at), desk.localise(desk.clock())), desk.localise(earliest))
    by, note = nfc(str(payload.get("by") or "")), nfc(str(payload.get("note") or ""))
    text = "Quyết định của cấp trên" + (f" ({by})" if by else "") + (f": {note}" if note else "")
    set_status(desk.recorder, ref.id, status, at=at, note=text)
    return APPLIED, label, ""


def _ours(desk: Desk, code: str) -> bool:
    """Whether a dossier code is one this desk issues (decisions go to every desk of the commune)."""
    profile = desk.profile()
    try:
        parsed = parse_code(code)
    except DomainError:
        return True  # cannot tell: better shown to a person than silently ignored
    return parsed.unit_code == profile.unit_code and parsed.desk_no == profile.desk_no


def _catalogue(desk: Desk, payload: dict[str, Any]) -> tuple[str, str, str]:
    """A published procedure list, imported like a file: added and updated by code, never dropped."""
    version = nfc(str(payload["version"]))
    label = f"Danh mục {version}"
    text = json.dumps({"version": version, "source": payload.get("source") or "",
                       "procedures": payload["procedures"]}, ensure_ascii=False)
    try:
        catalogue = parse_json(text, default_version=version)
    except CatalogueError as exc:
        raise _Problem(label, f"danh mục không hợp lệ, không nhập gì: {exc}") from None
    source = f"máy chủ: {catalogue.source or version}"
    plan = desk.apply_catalogue(catalogue, source=source, dry_run=True)
    if not (plan.added or plan.changed or plan.restored) and desk.store.catalogue.version() == catalogue.version:
        return UNCHANGED, label, ""
    desk.apply_catalogue(catalogue, source=source)
    return APPLIED, label, ""


def _calendar(desk: Desk, payload: dict[str, Any]) -> tuple[str, str, str]:
    """Published days off: each year in it replaces that year's schedule, like a file import."""
    version = nfc(str(payload["version"]))
    label = f"Lịch nghỉ {version}"
    years: dict[int, list[DayEntry]] = {int(year): [] for year in payload["years"]}
    for day in payload["days"]:
        date = dt.date.fromisoformat(day["date"])
        entry = DayEntry(date, nfc(str(day["name"])), DayKind(day["kind"]), bool(day.get("provisional", False)))
        if date.year not in years:
            raise _Problem(label, f"ngày {date:%d/%m/%Y} không thuộc các năm của bản lịch")
        years[date.year].append(entry)
    if not years:
        raise _Problem(label, "bản lịch không có năm nào")
    current = desk.store.calendar.schedules()
    if all(_days(current.get(year, [])) == _days(entries) for year, entries in years.items()):
        return UNCHANGED, label, ""
    desk.apply_calendar(years, source=f"máy chủ: lịch {version}")
    return APPLIED, label, ""


def _days(entries: list[DayEntry]) -> list[tuple[str, str, str, bool]]:
    return sorted((e.date.isoformat(), e.name, e.kind.value, e.provisional) for e in entries)


_HANDLERS: dict[str, Handler] = {
    ev.Kind.DOSSIER_DECIDED.value: _decision,
    ev.Kind.CATALOGUE_UPDATED.value: _catalogue,
    ev.Kind.CALENDAR_UPDATED.value: _calendar,
}
