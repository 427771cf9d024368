"""Ordered, named, transactional schema migrations of the desk database."""

from __future__ import annotations

import json
import secrets
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from desk_app.domain.text import sort_key

desk_migrations = Migrations("desk_app")
QR_KEY_SETTING = "qr_key"  # hex of the key the QR check value is computed with (domain.qr_text)


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


@desk_migrations(name="0006_papers_fee_receipt_numbers")
def m0006_papers_fee_receipt_numbers(db: Database) -> None:
    """Papers that tell the truth: fee receipts numbered per form and series (Mẫu số, Ký hiệu, Số),
    a print count for the fee receipt beside the slip's, and the key of the QR check value.

    Receipts issued before keep their old number in ``receipt_no`` (no form, series or number).
    Until now a fee receipt was printed with every slip, or alone (audited as
    dossier.print_fee_receipt), so its count is rebuilt from those.
    """
    for statement in (
        """CREATE TABLE fee_receipt_counters (
            form_no TEXT NOT NULL,
            series TEXT NOT NULL,
            last_no INTEGER NOT NULL,      -- the last number issued in this series: never issued again
            PRIMARY KEY (form_no, series)
        )""",
        "ALTER TABLE fees ADD COLUMN form_no TEXT",
        "ALTER TABLE fees ADD COLUMN series TEXT",
        "ALTER TABLE fees ADD COLUMN number INTEGER",
        "CREATE UNIQUE INDEX fees_receipt_number ON fees(form_no, series, number) WHERE number IS NOT NULL",
        "ALTER TABLE dossiers ADD COLUMN fee_receipt_prints INTEGER NOT NULL DEFAULT 0",
        """UPDATE dossiers SET fee_receipt_prints = receipt_prints + (
               SELECT count(*) FROM audit WHERE audit.entity = 'dossier' AND audit.entity_id = dossiers.code
               AND audit.action = 'dossier.print_fee_receipt')
           WHERE id IN (SELECT dossier_id FROM fees WHERE receipt_no IS NOT NULL)""",
    ):
        db.execute(statement)
    # A random key per database, made once: the QR check value is worth nothing if it can be guessed.
    db.execute(
        "INSERT INTO settings(key, value) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = ?)",
        [QR_KEY_SETTING, json.dumps(secrets.token_hex(32)), QR_KEY_SETTING],
    )
