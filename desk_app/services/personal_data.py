"""Personal data on request and over time: one citizen's records exported, and what is past
retention listed and wiped. Both are an administrator's work, and both are audited.

Both are the desk's own housekeeping, with no outbox event: the hub keeps (and purges) its own
copy under its own rules. A purge also redacts the personal fields of the purged records'
outbox events once the hub has acknowledged them (docs/trust.md).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desk_app.domain import events
from desk_app.domain.accounts import Permission
from desk_app.domain.personal_data import CLOSED, RetentionPolicy, check_id_number_shape, redact_payload
from desk_app.services.desk import Desk
from desk_app.services.scan_keys import scan_files
from desk_app.store import personal_data as rows
from desk_app.store import scans as scan_rows
from desk_app.store.history import dossier_history
from desk_app.store.papers import fee_record

RETENTION_KEY = "personal_data_retention"


def retention(desk: Desk) -> RetentionPolicy:
    data = desk.store.settings.get(RETENTION_KEY) or {}
    return RetentionPolicy(**{k: int(v) for k, v in data.items() if k in RetentionPolicy.__dataclass_fields__})


def set_retention(desk: Desk, years: int) -> RetentionPolicy:
    """Change how long closed dossiers keep personal data (a setting, recorded like the others)."""
    desk.require(Permission.SETTINGS)
    policy = RetentionPolicy(years=years)
    values = {RETENTION_KEY: {"years": policy.years}}
    with desk.recorder.change(business_time=desk.clock()) as change:
        desk.store.settings.put(values)
        change.event(events.Kind.SETTINGS_CHANGED, desk.desk_uuid(), events.settings_changed(values))
        change.audit("desk.set_retention", "desk", RETENTION_KEY, {"years": policy.years})
    return policy


@dataclass(frozen=True)
class Expired:
    cutoff: dt.datetime
    dossiers: list[tuple[int, str, str]]  # (id, code, closed at)
    slips: list[tuple[int, str, str]]  # (id, number, issued at)
    redacted_events: int = 0  # acknowledged outbox events whose personal fields a purge redacted
    waiting_events: int = 0  # events of purged records still to be pushed: redacted by a later purge


def expired(desk: Desk) -> Expired:
    """Closed dossiers and guidance slips whose personal data is past retention."""
    desk.require(Permission.PERSONAL_DATA)
    cutoff = retention(desk).cutoff(desk.clock())
    return Expired(cutoff, rows.expired_dossiers(desk.store, closed=[s.value for s in CLOSED], before=cutoff),
                   rows.expired_guidance(desk.store, before=cutoff))


def purge(desk: Desk) -> Expired:
    """Wipe the applicant's details from what ``expired`` lists, in one transaction with its
    audit entry (which names the dossiers and slips, never the data wiped).

    The outbox events of purged records that the hub has acknowledged lose their personal
    fields too (``redact_payload``; the recorded hash stays the sent payload's). Events still
    to be pushed keep them until acknowledged, since the hub must receive them whole: each
    purge redacts what has been acknowledged since the last one, so run it after a sync.
    """
    desk.require(Permission.PERSONAL_DATA)
    now = desk.clock()
    with desk.store.transaction():
        found = expired(desk)
        rows.wipe_dossiers(desk.store, [i for i, _, _ in found.dossiers])
        rows.wipe_guidance(desk.store, [i for i, _, _ in found.slips])
        purged, unneeded = scan_rows.purge(desk.store, [i for i, _, _ in found.dossiers], now)
        redacted = _redact_acknowledged(desk, now)
        waiting = rows.unacknowledged_of_purged(desk.store)
        desk.audit("personal_data.purge", "personal_data", f"{len(found.dossiers)}+{len(found.slips)}",
                   {"cutoff": found.cutoff.isoformat(timespec="seconds"), "years": retention(desk).years,
                    "dossiers": [c for _, c, _ in found.dossiers], "guidance_slips": [n for _, n, _ in found.slips],
                    "scans": purged, "redacted_events": redacted, "waiting_events": waiting},
                   now)
        rows.compact_search_index(desk.store)
    # The scans' files go once the rows say so (a crash in between leaves orphans for `scan check`).
    files = scan_files(desk)
    if files is not None:
        for sha in sorted(unneeded):
            files.path(sha).unlink(missing_ok=True)
    return replace(found, redacted_events=redacted, waiting_events=waiting)


def _redact_acknowledged(desk: Desk, now: dt.datetime) -> int:
    changed = []
    for outbox_id, kind, text in rows.events_to_redact(desk.store):
        redacted = redact_payload(kind, json.loads(text))
        if redacted is not None:
            changed.append((outbox_id, events.canonical_json(redacted).decode()))
    rows.redact_events(desk.store, changed, at=now)
    return len(changed)


def citizen_records(desk: Desk, id_number: str) -> dict[str, Any]:
    """Everything the desk holds under one personal ID number, as one JSON-ready value."""
    number = check_id_number_shape(id_number)
    dossiers = []
    for code in rows.dossier_codes_of(desk.store, number):
        dossier = desk.dossier(code)
        dossier_id = desk.store.dossiers.id_of(code)
        assert dossier_id is not None
        fee = fee_record(desk.store, dossier_id)
        dossiers.append({
            **events.dossier_received(dossier),  # the one serialisation of a dossier, shared with sync
            "status": dossier.status.value,
            "fee": None if fee is None else {"amount_vnd": fee.amount, "detail": fee.detail,
                                             "receipt": fee.receipt.number_text if fee.receipt else None,
                                             "collected_at": fee.collected_at.isoformat(timespec="seconds")},
            "history": [{"at": e.at.isoformat(timespec="seconds"), "by": e.actor, "action": e.action,
                         "detail": e.detail} for e in dossier_history(desk.store, code)],
            # The scans are listed, not embedded (they can be large): `desk-app scan export` gives each.
            "scans": [{"paper": c.paper, "paper_name": c.paper_name, "file_name": c.name,
                       "media_type": c.media_type.value, "pages": c.pages, "size": c.size, "sha256": c.sha256,
                       "attached_at": c.attached_at.isoformat(timespec="seconds"), "attached_by": c.attached_by,
                       "file_deleted_past_retention": c.purged}
                      for c in scan_rows.of_dossier(desk.store, dossier_id)],
        })
    return {"id_number": number, "desk": desk.profile().unit_code, "dossiers": dossiers}


def export_citizen(desk: Desk, id_number: str, path: Path) -> list[str]:
    """Write one citizen's records to ``path`` (JSON, readable by its owner only), audited with
    who exported what; returns the dossier codes. Nothing found still makes a file that says so."""
    desk.require(Permission.PERSONAL_DATA)
    now = desk.clock()
    records = citizen_records(desk, id_number)
    records |= {"exported_at": now.isoformat(timespec="seconds"), "exported_by": desk.actor}
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(records, out, ensure_ascii=False, indent=1)
        out.flush()
        os.fsync(out.fileno())
    codes = [d["code"] for d in records["dossiers"]]
    try:
        with desk.store.transaction():
            desk.audit("citizen.export", "citizen", records["id_number"], {"file": str(path), "dossiers": codes},
                       now)
            os.replace(partial, path)  # the file takes its name only with its audit entry
    finally:
        partial.unlink(missing_ok=True)
    return codes
