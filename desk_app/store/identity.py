"""Who this desk database is to the hub: its desk UUID and its current epoch."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store's outbox aggregate imports this module: no import at run time
    from desk_app.store.store import Store


def desk_uuid(store: Store) -> str:
    """The desk's UUID: made once with the database (migration 0007), never changed.

    Not derived from the profile (unit code, desk number), which an officer can edit.
    """
    row = store.db.execute("SELECT desk_uuid FROM desk_identity WHERE id = 1").fetchone()
    if row is None:  # the migration always makes it; a missing row is a damaged file
        raise LookupError("the desk database has no identity row")
    return str(row[0])


def current_epoch(store: Store) -> str:
    """The epoch new events are written in (the latest one started)."""
    row = store.db.execute("SELECT epoch FROM sync_epochs ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        raise LookupError("the desk database has no epoch")
    return str(row[0])


def start_new_epoch(store: Store, *, at: dt.datetime, reason: str) -> str:
    """Begin a new epoch; events written from now on are numbered from 1 in it.

    A restore must call this on the restored database before it records anything: the backup
    knows only the sequence numbers used up to the moment it was taken, so without a new epoch
    the next events would reuse numbers the hub has already seen for other events. Events
    already in the outbox keep their epoch and numbers (they are the same events). Returns the
    new epoch.
    """
    epoch = str(uuid.uuid4())
    with store.transaction():
        store.db.execute(
            "INSERT INTO sync_epochs(epoch, started_at, reason) VALUES (?, ?, ?)",
            [epoch, at.isoformat(timespec="seconds"), reason],
        )
    return epoch


def take_seq(store: Store, epoch: str) -> int:
    """The next sequence number of ``epoch``; call inside the transaction that writes the event."""
    # fetchall: a RETURNING statement must run to its end to be finished.
    rows = store.db.execute(
        "UPDATE sync_epochs SET last_seq = last_seq + 1 WHERE epoch = ? RETURNING last_seq", [epoch]
    ).fetchall()
    if not rows:
        raise LookupError(f"unknown epoch {epoch}")
    return int(rows[0][0])
