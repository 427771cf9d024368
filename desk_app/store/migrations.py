"""Ordered, named, transactional schema migrations of the desk database."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from desk_app.domain.text import APOSTROPHE_LOOKALIKES, fold_name, nfc, sort_key

desk_migrations = Migrations("desk_app")


def _run_script(db: Database, script: str) -> None:
    """Run a multi-statement script inside the migration's transaction.

    sqlite3's executescript() would COMMIT first, so a crash midway would leave half a schema
    without its migration record; statements are split and executed one by one instead.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.execute(pending)
            pending = ""
    if pending.strip() and not all(part.strip().startswith("--") for part in pending.strip().splitlines()):
        raise ValueError("incomplete SQL statement at the end of a migration script")


@desk_migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    _run_script(
        db,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL            -- JSON
        );
        CREATE TABLE calendar_days (
            date TEXT PRIMARY KEY,         -- YYYY-MM-DD
            year INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('holiday', 'compensatory', 'swapped_workday')),
            provisional INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX calendar_days_year ON calendar_days(year);
        CREATE TABLE catalogue_versions (
            version TEXT PRIMARY KEY,
            imported_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            procedure_count INTEGER NOT NULL
        );
        CREATE TABLE procedures (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            field TEXT NOT NULL DEFAULT '',
            catalogue_version TEXT NOT NULL REFERENCES catalogue_versions(version),
            body TEXT NOT NULL,            -- the procedure as catalogue JSON
            search_key TEXT NOT NULL,      -- folded code, name and field
            use_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE code_sequences (
            day TEXT NOT NULL,             -- YYMMDD of the codes
            desk_no INTEGER NOT NULL,
            last_issued INTEGER NOT NULL,
            PRIMARY KEY (day, desk_no)
        );
        CREATE TABLE ledger_sequences (
            year INTEGER NOT NULL,
            desk_no INTEGER NOT NULL,
            last_no INTEGER NOT NULL,
            PRIMARY KEY (year, desk_no)
        );
        CREATE TABLE dossiers (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            code TEXT NOT NULL UNIQUE,
            official_code TEXT UNIQUE,     -- issued later by the provincial system
            procedure_code TEXT NOT NULL,
            procedure_name TEXT NOT NULL,  -- as it was when received
            statutory_time TEXT NOT NULL,
            applicant_name TEXT NOT NULL,
            id_number TEXT,
            birth_date TEXT,
            sex TEXT CHECK (sex IN ('nam', 'nu')),
            phone TEXT,
            address TEXT,
            email TEXT,
            channel TEXT NOT NULL CHECK (channel IN ('direct', 'online', 'postal')),
            return_method TEXT NOT NULL DEFAULT 'desk',
            received_at TEXT NOT NULL,     -- ISO 8601 with offset
            due_at TEXT NOT NULL,
            due_reason TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            sets INTEGER NOT NULL DEFAULT 1,
            pages INTEGER NOT NULL DEFAULT 1,
            copies INTEGER NOT NULL DEFAULT 1,
            fee_vnd INTEGER NOT NULL DEFAULT 0,
            fee_detail TEXT NOT NULL DEFAULT '',
            ledger_year INTEGER NOT NULL,
            ledger_no INTEGER NOT NULL,
            desk_no INTEGER NOT NULL,
            receiver TEXT NOT NULL DEFAULT '',
            receipt_prints INTEGER NOT NULL DEFAULT 0,
            UNIQUE (ledger_year, desk_no, ledger_no)
        );
        CREATE INDEX dossiers_received ON dossiers(received_at);
        CREATE INDEX dossiers_due ON dossiers(status, due_at);
        CREATE INDEX dossiers_procedure ON dossiers(procedure_code);
        CREATE TABLE dossier_documents (
            id INTEGER PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            form TEXT NOT NULL,
            count INTEGER NOT NULL CHECK (count >= 1)
        );
        CREATE INDEX dossier_documents_dossier ON dossier_documents(dossier_id);
        CREATE TABLE fees (
            id INTEGER PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
            amount_vnd INTEGER NOT NULL CHECK (amount_vnd >= 0),
            detail TEXT NOT NULL,
            receipt_no TEXT,
            collected_at TEXT NOT NULL
        );
        CREATE INDEX fees_dossier ON fees(dossier_id);
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- per-desk sequence: never reused
            event_uuid TEXT NOT NULL UNIQUE,
            desk_id TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,          -- JSON
            payload_hash TEXT NOT NULL,     -- sha256 of payload
            device_time TEXT NOT NULL,
            pushed INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX audit_entity ON audit(entity, entity_id);
        -- Folded text (no diacritics, đ→d) is written by the store, so the index needs no
        -- custom SQL function and any SQLite tool can still open the file.
        CREATE VIRTUAL TABLE dossier_search USING fts5(
            code, applicant_name, id_number, phone, procedure,
            tokenize = "unicode61 remove_diacritics 2"
        );
        """
    )


# Each migration executes statement by statement (never executescript(), which commits):
# the change and its record commit together.


@desk_migrations(name="0002_ledger_indexes")
def m0002_ledger_indexes(db: Database) -> None:
    """Indexes for the ledger view: each sortable column, and each filter with the default sort.

    Every index carries the rowid, so "ORDER BY <column>, id" walks one index without sorting,
    and paging by OFFSET skips entries of that index without reading the table (measured at
    1,000,000 dossiers in bench/ledger_bench.py). ``code`` is already indexed by its UNIQUE
    constraint; ``received_at``, ``(status, due_at)`` and ``procedure_code`` by 0001.
    """
    for statement in (
        "CREATE INDEX dossiers_due_at ON dossiers(due_at)",
        "CREATE INDEX dossiers_applicant ON dossiers(applicant_name)",
        "CREATE INDEX dossiers_procedure_name ON dossiers(procedure_name)",
        "CREATE INDEX dossiers_ledger ON dossiers(ledger_year, ledger_no)",
        "CREATE INDEX dossiers_status_received ON dossiers(status, received_at)",
        "CREATE INDEX dossiers_procedure_received ON dossiers(procedure_code, received_at)",
    ):
        db.execute(statement)


@desk_migrations(name="0003_dossier_finished_at")
def m0003_dossier_finished_at(db: Database) -> None:
    """When the result became ready: early / on time / late is judged on this time.

    NULL while the dossier is open, and when it ended otherwise (refused, withdrawn, stopped).
    """
    db.execute("ALTER TABLE dossiers ADD COLUMN finished_at TEXT")


@desk_migrations(name="0004_applicant_sort_key")
def m0004_applicant_sort_key(db: Database) -> None:
    """A Vietnamese collation key for sorting by name: a ă â b c d đ e ê …, tones after letters.

    Code-point order would put every name starting with Đ, Â or Ư after Z. The key is
    computed by the store on insert; here existing rows are filled through a temporary SQL
    function (not kept: other SQLite tools must still open the file).
    """
    db.execute("ALTER TABLE dossiers ADD COLUMN applicant_sort TEXT NOT NULL DEFAULT ''")
    db.conn.create_function("desk_sort_key", 1, sort_key, deterministic=True)
    try:
        db.execute("UPDATE dossiers SET applicant_sort = desk_sort_key(applicant_name)")
    finally:
        db.conn.create_function("desk_sort_key", 1, None)
    db.execute("CREATE INDEX dossiers_applicant_sort ON dossiers(applicant_sort)")


@desk_migrations(name="0005_guidance_slips")
def m0005_guidance_slips(db: Database) -> None:
    """Supplement requests (Mẫu 02) issued at the counter: no dossier is registered for them,
    but the statistics count them. Numbered per desk and year ("HD-2025-Q1-0001")."""
    for statement in (
        """CREATE TABLE guidance_slips (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL,
            desk_no INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            procedure_code TEXT NOT NULL,
            procedure_name TEXT NOT NULL,
            applicant_name TEXT NOT NULL,
            phone TEXT,
            documents TEXT NOT NULL,       -- JSON list of {name, form, count}
            reason TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            UNIQUE (year, desk_no, seq)
        )""",
        "CREATE INDEX guidance_slips_issued_at ON guidance_slips(issued_at)",
    ):
        db.execute(statement)


@desk_migrations(name="0006_catalogue_retired")
def m0006_catalogue_retired(db: Database) -> None:
    """A procedure dropped by a replacing catalogue import that dossiers refer to is kept, marked
    retired (when), hidden from reception; NULL = in the commune's list."""
    db.execute("ALTER TABLE procedures ADD COLUMN retired_at TEXT")


@desk_migrations(name="0007_name_apostrophes")
def m0007_name_apostrophes(db: Database) -> None:
    """Names typed with ’ ‘ ʼ … before nfc() stored every apostrophe as ': write them in that one
    form, and index the apostrophe words joined too ("H'Hen" is also found by "hhen")."""
    marks = ["'", *APOSTROPHE_LOOKALIKES]
    where = " OR ".join("instr(applicant_name, ?) > 0" for _ in marks)
    rows = db.execute(f"SELECT id, applicant_name FROM dossiers WHERE {where}", marks).fetchall()
    for dossier_id, name in rows:
        clean = nfc(name)
        db.execute("UPDATE dossiers SET applicant_name = ?, applicant_sort = ? WHERE id = ?",
                   [clean, sort_key(clean), dossier_id])
        db.execute("UPDATE dossier_search SET applicant_name = ? WHERE rowid = ?", [fold_name(clean), dossier_id])
    slips = db.execute(f"SELECT id, applicant_name FROM guidance_slips WHERE {where}", marks).fetchall()
    for slip_id, name in slips:
        db.execute("UPDATE guidance_slips SET applicant_name = ? WHERE id = ?", [nfc(name), slip_id])
