"""The rows of scans (migration 0017): one per (dossier, paper, content hash), and the wrapped
copies of the desk's scan key. The files themselves are kept by services/scan_files.py."""

from __future__ import annotations

import datetime as dt

from desk_app.domain.scans import MediaType, Scan
from desk_app.store.store import Store

_COLUMNS = "d.code, s.paper, coalesce(doc.name, ''), s.sha256, s.media_type, s.pages, s.size, s.name, " \
           "s.attached_at, s.attached_by, s.purged_at"
_FROM = ("FROM scans s JOIN dossiers d ON d.id = s.dossier_id "
         "LEFT JOIN dossier_documents doc ON doc.dossier_id = s.dossier_id AND doc.position = s.paper")


def _scan(row: tuple[object, ...]) -> Scan:
    code, paper, paper_name, sha, media, pages, size, name, at, by, purged_at = row
    return Scan(str(code), int(str(paper)), str(paper_name), str(sha), MediaType(media), int(str(pages)),
                int(str(size)), str(name), dt.datetime.fromisoformat(str(at)), str(by), purged_at is not None)


def paper_count(store: Store, dossier_id: int) -> int:
    return int(store.db.execute("SELECT count(*) FROM dossier_documents WHERE dossier_id = ?",
                                [dossier_id]).fetchone()[0])


def exists(store: Store, dossier_id: int, paper: int, sha256: str) -> bool:
    return store.db.execute("SELECT 1 FROM scans WHERE dossier_id = ? AND paper = ? AND sha256 = ?",
                            [dossier_id, paper, sha256]).fetchone() is not None


def insert(store: Store, dossier_id: int, scan: Scan) -> None:
    store.db.execute(
        "INSERT INTO scans(dossier_id, paper, sha256, media_type, pages, size, name, attached_at, attached_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [dossier_id, scan.paper, scan.sha256, scan.media_type.value, scan.pages, scan.size, scan.name,
         scan.attached_at.isoformat(timespec="seconds"), scan.attached_by])


def of_dossier(store: Store, dossier_id: int) -> list[Scan]:
    rows = store.db.execute(f"SELECT {_COLUMNS} {_FROM} WHERE s.dossier_id = ? ORDER BY s.paper, s.id",
                            [dossier_id])
    return [_scan(r) for r in rows]


def all_hashes(store: Store) -> set[str]:
    """Every content hash a row names whose file must exist (not purged)."""
    return {str(sha) for (sha,) in store.db.execute("SELECT DISTINCT sha256 FROM scans WHERE purged_at IS NULL")}


def purge(store: Store, dossier_ids: list[int], at: dt.datetime) -> tuple[int, set[str]]:
    """Mark the scans of these dossiers purged; returns how many, and the hashes whose files no
    row needs any more (to delete once the transaction commits)."""
    if not dossier_ids:
        return 0, set()
    marks = ",".join("?" for _ in dossier_ids)
    hashes = {str(sha) for (sha,) in store.db.execute(
        f"SELECT DISTINCT sha256 FROM scans WHERE purged_at IS NULL AND dossier_id IN ({marks})", dossier_ids)}
    cursor = store.db.execute(f"UPDATE scans SET purged_at = ? WHERE purged_at IS NULL AND dossier_id IN ({marks})",
                              [at.isoformat(timespec="seconds"), *dossier_ids])
    return int(cursor.rowcount), hashes - all_hashes(store)


def digitised_received(store: Store, start: dt.datetime, end: dt.datetime, *, every_paper: bool) -> int:
    """Dossiers received in [start, end) whose papers have a scan: every paper (``every_paper``),
    else at least one. A dossier without papers is never digitised."""
    scanned = "(SELECT count(DISTINCT s.paper) FROM scans s WHERE s.dossier_id = d.id)"
    papers = "(SELECT count(*) FROM dossier_documents doc WHERE doc.dossier_id = d.id)"
    condition = f"{scanned} = {papers} AND {papers} > 0" if every_paper else f"{scanned} > 0"
    row = store.db.execute(f"SELECT count(*) FROM dossiers d WHERE d.received_at >= ? AND d.received_at < ? "
                           f"AND {condition}",
                           [start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")]).fetchone()
    return int(row[0])


# The desk's scan key, wrapped under administrators' passwords ---------------------------------


def key_wrap(store: Store, login: str) -> tuple[str, bytes, bytes, bytes] | None:
    """(key id, salt, nonce, wrapped key) of ``login``, or None."""
    row = store.db.execute("SELECT key_id, salt, nonce, wrapped FROM scan_key_wraps WHERE login = ?",
                           [login]).fetchone()
    return None if row is None else (str(row[0]), bytes(row[1]), bytes(row[2]), bytes(row[3]))


def key_wraps(store: Store) -> list[tuple[str, str, bytes, bytes, bytes]]:
    rows = store.db.execute("SELECT login, key_id, salt, nonce, wrapped FROM scan_key_wraps ORDER BY login")
    return [(str(a), str(b), bytes(c), bytes(d), bytes(e)) for a, b, c, d, e in rows]


def put_key_wrap(store: Store, login: str, key_id: str, salt: bytes, nonce: bytes, wrapped: bytes,
                 at: dt.datetime) -> None:
    store.db.execute(
        "INSERT INTO scan_key_wraps(login, key_id, salt, nonce, wrapped, at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(login) DO UPDATE SET key_id = excluded.key_id, salt = excluded.salt, nonce = excluded.nonce, "
        "wrapped = excluded.wrapped, at = excluded.at",
        [login, key_id, salt, nonce, wrapped, at.isoformat(timespec="seconds")])


def drop_key_wrap(store: Store, login: str) -> None:
    store.db.execute("DELETE FROM scan_key_wraps WHERE login = ?", [login])
