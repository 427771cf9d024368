"""Finding a citizen's records, and wiping personal data from closed dossiers past retention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from desk_app.domain.personal_data import PERSONAL_PAYLOAD_PATHS, PURGED_NAME
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
    # Who collected the result (the applicant, or a person with an authorisation paper).
    store.db.conn.executemany(
        "UPDATE dossier_steps SET detail = json_set(detail, '$.handover.recipient', ?, "
        "'$.handover.authorisation', CASE WHEN json_extract(detail, '$.handover.authorisation') = '' THEN '' "
        "ELSE ? END) WHERE dossier_id = ? AND json_extract(detail, '$.handover') IS NOT NULL",
        [(PURGED_NAME, PURGED_NAME, i) for i in ids],
    )


def wipe_guidance(store: Store, ids: list[int]) -> None:
    store.db.conn.executemany("UPDATE guidance_slips SET applicant_name = ?, phone = NULL WHERE id = ?",
                              [(PURGED_NAME, i) for i in ids])


_OF_PURGED = (
    "(o.kind != 'dossier.status_changed' OR json_extract(o.payload, '$.detail.handover') IS NOT NULL) AND ("
    "(o.entity = 'dossier' AND o.entity_id IN (SELECT uuid FROM dossiers WHERE applicant_name = ?))"
    " OR (o.entity = 'guidance' AND o.entity_id IN (SELECT uuid FROM guidance_slips WHERE applicant_name = ?)))"
)


def events_to_redact(store: Store) -> list[tuple[int, str, str]]:
    """(outbox id, kind, payload) of acknowledged, not yet redacted events about purged dossiers
    and guidance slips, of the kinds that carry personal data: what a purge can redact now."""
    kinds = list(PERSONAL_PAYLOAD_PATHS)
    rows = store.db.execute(
        "SELECT o.id, o.kind, o.payload FROM outbox o WHERE o.acked_at IS NOT NULL AND o.redacted_at IS NULL "
        f"AND o.kind IN ({','.join('?' for _ in kinds)}) AND ({_OF_PURGED}) ORDER BY o.id",
        [*kinds, PURGED_NAME, PURGED_NAME],
    )
    return [(int(i), str(k), str(p)) for i, k, p in rows]


def redact_events(store: Store, redacted: list[tuple[int, str]], *, at: dt.datetime) -> None:
    """Replace acknowledged payloads by their redacted form ((outbox id, payload text)); the
    recorded hash stays that of the payload the hub received."""
    store.db.conn.executemany(
        "UPDATE outbox SET payload = ?, redacted_at = ? WHERE id = ?",
        [(payload, at.isoformat(timespec="seconds"), i) for i, payload in redacted],
    )


def unacknowledged_of_purged(store: Store) -> int:
    """Events about purged dossiers and slips still to be pushed (redacted once acknowledged)."""
    kinds = list(PERSONAL_PAYLOAD_PATHS)
    return int(store.db.execute(
        f"SELECT count(*) FROM outbox o WHERE o.acked_at IS NULL AND o.kind IN ({','.join('?' for _ in kinds)}) "
        f"AND ({_OF_PURGED})", [*kinds, PURGED_NAME, PURGED_NAME],
    ).fetchone()[0])


def compact_search_index(store: Store) -> None:
    """Merge the full-text index's segments, so that wiped names and numbers leave its pages."""
    store.db.execute("INSERT INTO dossier_search(dossier_search) VALUES ('optimize')")
