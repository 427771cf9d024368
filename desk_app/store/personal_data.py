"""Finding a citizen's records, and wiping personal data from closed dossiers past retention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from desk_app.domain.personal_data import PURGED_NAME
from desk_app.domain.text import sort_key
from desk_app.store.store import Store


def dossier_codes_of(store: Store, id_number: str) -> list[str]:
    """The codes of every dossier whose applicant gave this ID number, oldest first."""
    rows = store.db.execute("SELECT code FROM dossiers WHERE id_number = ? ORDER BY id", [id_number])
    return [str(code) for (code,) in rows]


def expired_dossiers(store: Store, *, closed: Iterable[str], before: dt.datetime) -> list[tuple[int, str, str]]:
    """(id, code, closed at) of closed dossiers still holding personal data, closed before ``before``.

    Closed at: the first result time for returned dossiers, else the last step (withdrawn,
    refused, stopped keep no finished time).
    """
    statuses = list(closed)
    marks = ",".join("?" for _ in statuses)
    rows = store.db.execute(
        f"SELECT id, code, coalesce(last_change_at, finished_at, received_at) AS closed_at FROM dossiers "
        f"WHERE status IN ({marks}) AND applicant_name != ? AND closed_at < ? ORDER BY id",
        [*statuses, PURGED_NAME, before.isoformat(timespec="seconds")],
    )
    return [(int(i), str(c), str(t)) for i, c, t in rows]


def expired_guidance(store: Store, *, before: dt.datetime) -> list[tuple[int, str, str]]:
    """(id, number, issued at) of supplement guidance slips older than ``before`` with a name still on them."""
    rows = store.db.execute(
        "SELECT id, number, issued_at FROM guidance_slips WHERE applicant_name != ? AND issued_at < ? ORDER BY id",
        [PURGED_NAME, before.isoformat(timespec="seconds")],
    )
    return [(int(i), str(n), str(t)) for i, n, t in rows]


def wipe_dossiers(store: Store, ids: list[int]) -> None:
    """The applicant's personal data out of the dossier row and the search index; the rest stays."""
    store.db.conn.executemany(
        "UPDATE dossiers SET applicant_name = ?, applicant_sort = ?, id_number = NULL, birth_date = NULL, "
        "sex = NULL, phone = NULL, address = NULL, email = NULL WHERE id = ?",
        [(PURGED_NAME, sort_key(PURGED_NAME), i) for i in ids],
    )
    store.db.conn.executemany(
        "UPDATE dossier_search SET applicant_name = '', id_number = '', phone = '' WHERE rowid = ?",
        [(i,) for i in ids],
    )


def wipe_guidance(store: Store, ids: list[int]) -> None:
    store.db.conn.executemany("UPDATE guidance_slips SET applicant_name = ?, phone = NULL WHERE id = ?",
                              [(PURGED_NAME, i) for i in ids])
