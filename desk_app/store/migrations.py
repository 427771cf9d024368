"""Ordered, named, transactional schema migrations of the desk database."""

from __future__ import annotations

import json
import secrets
import sqlite3
from typing import TYPE_CHECKING

from desk_app.domain.text import APOSTROPHE_LOOKALIKES, fold_name, nfc, sort_key
from desk_app.store import search
from desk_app.store.migration_set import MigrationSet

if TYPE_CHECKING:
    from sqlite_utils import Database

# sqlite-utils loads only when a migration runs: opening an up-to-date file does not need it.
desk_migrations = MigrationSet("desk_app")
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


@desk_migrations(name="0008_sync_outbox")
def m0008_sync_outbox(db: Database) -> None:
    """The outbox becomes the sync contract (desk_app.domain.events): one identity, epochs, cursors.

    - ``desk_identity``: the desk's UUID, made once here (at set-up for a new database) and never
      derived from the editable profile.
    - ``sync_epochs``: the database epoch; a restored backup starts a new one, so (epoch, seq)
      never names two different events. ``last_seq`` is the epoch's sequence counter: numbers
      are taken from it, never from max(seq), so none is reused even if old rows were pruned.
    - ``outbox`` is rebuilt in the envelope's shape (schema, desk UUID, epoch, unit code,
      business time beside device time); ``acked_at`` marks a final answer, and a partial index
      finds what is not yet acknowledged. ``id`` is the local order across epochs.
    - ``outbox_answers`` (the hub's latest answer per event) and ``sync_cursors`` (push: the
      desk's last event covered by contiguous final answers; pull: the hub's epoch and sequence).
    - ``dossiers.last_change_at`` (nothing reads the outbox as domain state any more) and
      ``guidance_slips.uuid`` (slip numbers are unique per desk only).

    Existing events (never pushed: no hub existed) join the first epoch with schema 1. Their
    device time is kept as it was, although older versions wrote the back-dated business time
    there for lifecycle steps; the business time is taken from the payload. Guidance events take
    the kind and identity of the contract (``guidance.issued``, the slip's UUID in entity and payload).
    """
    import datetime as dt
    import json
    import uuid

    from desk_app.domain.events import SCHEMA_VERSION, Kind, canonical_json, sha256_hex

    created = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    for statement in (
        """CREATE TABLE desk_identity (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            desk_uuid TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE sync_epochs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- the latest row is the current epoch
            epoch TEXT NOT NULL UNIQUE,
            started_at TEXT NOT NULL,
            reason TEXT NOT NULL,
            last_seq INTEGER NOT NULL DEFAULT 0
        )""",
        "ALTER TABLE guidance_slips ADD COLUMN uuid TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE dossiers ADD COLUMN last_change_at TEXT",
    ):
        db.execute(statement)
    desk_uuid, epoch = str(uuid.uuid4()), str(uuid.uuid4())
    db.execute("INSERT INTO desk_identity(id, desk_uuid, created_at) VALUES (1, ?, ?)", [desk_uuid, created])
    db.execute("INSERT INTO sync_epochs(epoch, started_at, reason) VALUES (?, ?, 'created')", [epoch, created])

    slips = {}
    for slip_id, number in db.execute("SELECT id, number FROM guidance_slips").fetchall():
        slips[number] = str(uuid.uuid4())
        db.execute("UPDATE guidance_slips SET uuid = ? WHERE id = ?", [slips[number], slip_id])
    db.execute("CREATE UNIQUE INDEX guidance_slips_uuid ON guidance_slips(uuid)")

    db.execute(
        """CREATE TABLE outbox_v7 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- local order, across epochs; never reused
            event_uuid TEXT NOT NULL UNIQUE,
            desk_uuid TEXT NOT NULL,
            epoch TEXT NOT NULL REFERENCES sync_epochs(epoch),
            seq INTEGER NOT NULL,                  -- the desk's sequence within the epoch, from 1
            schema INTEGER NOT NULL,
            unit_code TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            business_time TEXT NOT NULL,           -- when it happened, as recorded (may be back-dated)
            device_time TEXT NOT NULL,             -- the desk's wall clock when written
            payload TEXT NOT NULL,                 -- canonical JSON (events.canonical_json)
            payload_hash TEXT NOT NULL,            -- sha256 of payload
            acked_at TEXT,                         -- when a final answer came; NULL: still to push
            UNIQUE (epoch, seq)
        )"""
    )
    old = db.execute(
        "SELECT seq, event_uuid, desk_id, entity, entity_id, kind, payload, device_time FROM outbox ORDER BY seq"
    ).fetchall()
    # Numbered 1, 2, … in the first epoch whatever gaps the old numbering had: the hub holds an
    # event that follows a gap. The old number stays the local order (id).
    for seq, (old_seq, event_uuid, desk_id, entity, entity_id, kind, body, device_time) in enumerate(old, start=1):
        payload = json.loads(body)
        business = payload.get("at") or payload.get("received_at") or payload.get("issued_at") or device_time
        if kind == "guidance.supplement_requested" and entity_id in slips:
            kind, entity_id = Kind.GUIDANCE_ISSUED.value, slips[entity_id]
            payload["uuid"] = entity_id
        text = canonical_json(payload)
        db.execute(
            "INSERT INTO outbox_v7(id, event_uuid, desk_uuid, epoch, seq, schema, unit_code, entity, entity_id, "
            "kind, business_time, device_time, payload, payload_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [old_seq, event_uuid, desk_uuid, epoch, seq, SCHEMA_VERSION, desk_id.split("#")[0], entity, entity_id, kind,
             business, device_time, text.decode(), sha256_hex(text)],
        )
    db.execute("UPDATE sync_epochs SET last_seq = ? WHERE epoch = ?", [len(old), epoch])
    db.execute("DROP TABLE outbox")
    db.execute("ALTER TABLE outbox_v7 RENAME TO outbox")
    for statement in (
        "CREATE INDEX outbox_unacked ON outbox(id) WHERE acked_at IS NULL",
        "CREATE INDEX outbox_entity ON outbox(entity, entity_id)",
        """CREATE TABLE outbox_answers (
            event_uuid TEXT PRIMARY KEY REFERENCES outbox(event_uuid),
            answer TEXT NOT NULL CHECK (answer IN ('applied', 'duplicate', 'rejected', 'held')),
            code TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',   -- Vietnamese, for the receptionist
            answered_at TEXT NOT NULL
        )""",
        "CREATE INDEX outbox_answers_answer ON outbox_answers(answer)",
        """CREATE TABLE sync_cursors (
            name TEXT PRIMARY KEY CHECK (name IN ('push', 'pull')),
            epoch TEXT NOT NULL,               -- push: the desk's epoch; pull: the hub's
            seq INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        # Append-only: a deleted event would let its sequence number name another one.
        """CREATE TRIGGER outbox_append_only BEFORE DELETE ON outbox
           BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END""",
    ):
        db.execute(statement)
    # One statement over the new index, not a Python loop: a desk may hold a million dossiers.
    db.execute(
        "UPDATE dossiers SET last_change_at = coalesce((SELECT business_time FROM outbox "
        "WHERE entity = 'dossier' AND entity_id = dossiers.uuid ORDER BY id DESC LIMIT 1), received_at)"
    )


@desk_migrations(name="0009_papers_fee_receipt_numbers")
def m0009_papers_fee_receipt_numbers(db: Database) -> None:
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


@desk_migrations(name="0010_sync_desk")
def m0010_sync_desk(db: Database) -> None:
    """The desk side of sync (services/sync.py): enrolment, runs, applied updates, one pusher at a time.

    - ``sync_enrolment``: one row once the desk is enrolled: the hub's URL and public key, the unit
      code and desk number the hub enrolled it as, and the desk's own Ed25519 key. The private key
      lives here, in the database, on purpose: the file already holds every citizen's personal
      data (the more sensitive asset, protected the same way), a verified backup restores a desk
      that can still sync, and a lost or stolen PC is answered on the hub (``hub revoke``).
    - ``sync_runs``: what each sync attempt did (HTTP, USB export, USB import): when, whether it
      succeeded, the error in Vietnamese, the hub's clock and the skew against ours. Pruned to the
      newest runs by the service.
    - ``sync_updates``: every update pulled from the hub (or read from a hub file) the desk has
      dealt with, by content hash: re-pulling after a resync, or importing a file twice, applies
      nothing again. ``outcome`` says what happened; a ``problem`` keeps its Vietnamese reason
      for the status panel.
    - ``sync_lease``: which program is syncing now (window, command line), until when: two
      programs never push the same outbox at once, and a crashed one's lease simply expires.
    """
    for statement in (
        """CREATE TABLE sync_enrolment (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            hub_url TEXT NOT NULL,
            hub_public_key TEXT NOT NULL,
            hub_epoch TEXT NOT NULL,           -- the hub database's epoch when the desk enrolled
            unit_code TEXT NOT NULL,
            desk_no INTEGER NOT NULL,
            private_key TEXT NOT NULL,         -- base64 Ed25519 seed (see the migration's docstring)
            public_key TEXT NOT NULL,
            enrolled_at TEXT NOT NULL
        )""",
        """CREATE TABLE sync_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('http', 'usb_export', 'usb_import')),
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            ok INTEGER NOT NULL,
            error_code TEXT NOT NULL DEFAULT '',
            error TEXT NOT NULL DEFAULT '',     -- Vietnamese, for the receptionist
            hub_time TEXT,
            clock_skew_s REAL,                 -- our clock minus the hub's, in seconds
            detail TEXT NOT NULL DEFAULT '{}'  -- the run's report as JSON
        )""",
        "CREATE INDEX sync_runs_ok ON sync_runs(ok, id)",
        """CREATE TABLE sync_updates (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            payload_hash TEXT NOT NULL,
            hub_epoch TEXT NOT NULL,
            hub_seq INTEGER NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'not_ours', 'problem')),
            label TEXT NOT NULL DEFAULT '',    -- e.g. the dossier code, for people
            reason TEXT NOT NULL DEFAULT '',   -- Vietnamese, for a problem
            handled_at TEXT NOT NULL,
            UNIQUE (kind, entity_id, payload_hash)
        )""",
        "CREATE INDEX sync_updates_problems ON sync_updates(id) WHERE outcome = 'problem'",
        """CREATE TABLE sync_lease (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            holder TEXT NOT NULL,
            until TEXT NOT NULL
        )""",
    ):
        db.execute(statement)


@desk_migrations(name="0011_accounts")
def m0011_accounts(db: Database) -> None:
    """Officers who sign in at the desk (issue 8). A desk without any row keeps working as its
    set-up administrator, as before accounts existed.

    ``roles``: space-separated role names (domain.accounts.Role). ``password_hash``: an argon2id
    hash string (parameters and salt inside). After ``max_failures`` wrong passwords in a row the
    account is locked until ``locked_until``; ``active`` = 0 disables it (rows are never deleted:
    the audit names them). Audit entries name the officer by login (``actor``) and by full name
    (``actor_name``: empty for entries written before accounts).
    """
    db.execute("ALTER TABLE audit ADD COLUMN actor_name TEXT NOT NULL DEFAULT ''")
    db.execute(
        """CREATE TABLE officers (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            full_name TEXT NOT NULL,
            roles TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL,
            last_login_at TEXT
        )"""
    )


@desk_migrations(name="0012_audit_chain")
def m0012_audit_chain(db: Database) -> None:
    """A tamper-evident audit trail (store/audit.py): each entry names its device (the desk UUID)
    and is chained to the one before by a hash; ``audit_head`` holds the latest. Entries written
    before are chained here, in id order. From now on the table is append-only."""
    from desk_app.store.audit import chain_existing

    for statement in (
        "ALTER TABLE audit ADD COLUMN device TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE audit ADD COLUMN prev_hash TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_id INTEGER NOT NULL,       -- the latest entry: deleting it or any before is noticed
            hash TEXT NOT NULL
        )""",
        "CREATE INDEX audit_actor ON audit(actor, id)",
        "CREATE INDEX audit_action ON audit(action, id)",
        "CREATE INDEX audit_at ON audit(at)",
    ):
        db.execute(statement)
    chain_existing(db)
    for statement in (
        """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
           BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
        """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
           BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    ):
        db.execute(statement)


@desk_migrations(name="0013_lifecycle_steps")
def m0013_lifecycle_steps(db: Database) -> None:
    """Each lifecycle step as its papers need it (Mẫu 02–06 are printed, and reprinted, from here):
    the action, the statuses, the appointment before and after, and the step's own details
    (papers to add, who took the dossier, the leader's sign-off, who received the result).

    Steps recorded before keep what the audit has of them (statuses, time, reason); their action
    follows from the statuses. ``paper_prints`` counts the printings of the papers beyond the
    slip and the fee receipt (which keep their columns), per dossier.
    """
    for statement in (
        """CREATE TABLE dossier_steps (
            id INTEGER PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
            action TEXT NOT NULL DEFAULT '',   -- domain.lifecycle.Action
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            at TEXT NOT NULL,                  -- business time
            actor TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            due_before TEXT,                   -- the appointment in force when the step was taken
            due_after TEXT,                    -- and after it (moved by a supplement or an apology)
            detail TEXT NOT NULL DEFAULT '{}'  -- JSON (domain.steps.Step.detail)
        )""",
        "CREATE INDEX dossier_steps_dossier ON dossier_steps(dossier_id, id)",
        """CREATE TABLE paper_prints (
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
            paper TEXT NOT NULL,               -- domain.papers.Paper
            count INTEGER NOT NULL,
            PRIMARY KEY (dossier_id, paper)
        )""",
    ):
        db.execute(statement)
    from desk_app.domain.dossier import Status
    from desk_app.domain.steps import action_between

    rows = db.execute(
        "SELECT d.id, a.at, a.actor, a.detail FROM audit a JOIN dossiers d ON d.code = a.entity_id "
        "WHERE a.entity = 'dossier' AND a.action = 'dossier.set_status' ORDER BY a.id"
    ).fetchall()
    for dossier_id, at, actor, body in rows:
        detail = json.loads(body or "{}")
        try:
            before, after = Status(detail["from"]), Status(detail["to"])
        except (KeyError, ValueError):
            continue  # not a status change this version can read: the audit keeps it
        action = action_between(before, after)
        db.execute(
            "INSERT INTO dossier_steps(dossier_id, action, from_status, to_status, at, actor, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [dossier_id, action.value if action else "", before.value, after.value,
             detail.get("business_time") or at, actor, detail.get("note", "")],
        )


@desk_migrations(name="0014_lifecycle_bookings")
def m0014_lifecycle_bookings(db: Database) -> None:
    """Appointment slots: one row per place taken. A slot's places are counted inside the
    booking's write transaction (BEGIN IMMEDIATE), so two desks on one database never take the
    last place twice. Numbered per desk and slot day."""
    for statement in (
        """CREATE TABLE bookings (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            number TEXT NOT NULL UNIQUE,
            desk_no INTEGER NOT NULL,
            day TEXT NOT NULL,                 -- the slot's local date, YYYY-MM-DD
            seq INTEGER NOT NULL,
            procedure_code TEXT NOT NULL,
            procedure_name TEXT NOT NULL,
            name TEXT NOT NULL,
            phone TEXT NOT NULL,
            slot TEXT NOT NULL,                -- ISO 8601 with offset
            created_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('booked', 'checked_in')),
            dossier_code TEXT,                 -- the reception it became
            UNIQUE (desk_no, day, seq)
        )""",
        "CREATE INDEX bookings_slot ON bookings(slot)",
    ):
        db.execute(statement)


# A step that sent the dossier back for a supplement (not a change of appointment while waiting).
# store.reports counts these through the partial index of 0015, so the two say the same.
SENT_BACK_STEP = "status = 'supplement_requested' AND from_status IS NOT 'supplement_requested'"


@desk_migrations(name="0015_reports_status_history")
def m0015_reports_status_history(db: Database) -> None:
    """Each dossier's status history, compact, for the period report (store/reports.py).

    ``status_history`` holds one row per status or appointment change: the business time, the
    status before and after, and the appointment then in force. Two triggers write it, so every
    way a status changes (reception, the lifecycle steps through store.lifecycle.set_status,
    decisions pulled from the hub) leaves its row without its writer knowing: whoever changes
    ``status`` or ``due_at`` sets ``last_change_at`` to the business time in the same statement,
    as set_status does. The triggers are plain SQL, so any SQLite tool can still write the file.

    Existing dossiers get their history from the audit's ``dossier.set_status`` entries: the
    reception (the status before the first change, else the current one) at ``received_at``, then
    each change at its business time. Appointments were not audited: the current one is used.

    Indexes for the report: "changed since, received before" answered inside one index; the
    dossiers' current state, covering, so those quiet since a period began are read without
    their rows; and the times each dossier was sent back for a supplement (a small partial index).
    """
    for statement in (
        """CREATE TABLE status_history (
            id INTEGER PRIMARY KEY,            -- the order of the changes
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
            at TEXT NOT NULL,                  -- business time, in the desk's offset
            from_status TEXT,                  -- before this change (NULL: the reception)
            status TEXT NOT NULL,              -- from this moment on
            due_at TEXT NOT NULL               -- the appointment in force from this moment on
        )""",
        """INSERT INTO status_history(dossier_id, at, from_status, status, due_at)
           SELECT d.id, d.received_at, NULL, coalesce(
               (SELECT json_extract(a.detail, '$.from') FROM audit a WHERE a.entity = 'dossier'
                AND a.entity_id = d.code AND a.action = 'dossier.set_status' ORDER BY a.id LIMIT 1), d.status),
               d.due_at
           FROM dossiers d ORDER BY d.id""",
        """INSERT INTO status_history(dossier_id, at, from_status, status, due_at)
           SELECT d.id, coalesce(json_extract(a.detail, '$.business_time'), a.at), json_extract(a.detail, '$.from'),
                  json_extract(a.detail, '$.to'), d.due_at
           FROM audit a JOIN dossiers d ON d.code = a.entity_id
           WHERE a.entity = 'dossier' AND a.action = 'dossier.set_status' ORDER BY a.id""",
        "CREATE INDEX status_history_dossier ON status_history(dossier_id, id)",
        f"""CREATE INDEX status_history_sent_back ON status_history(dossier_id, status, from_status)
            WHERE {SENT_BACK_STEP}""",
        "CREATE INDEX dossiers_last_change ON dossiers(last_change_at, received_at)",
        """CREATE INDEX dossiers_state ON dossiers(status, last_change_at, received_at, due_at, channel,
                                                  procedure_code)""",
        """CREATE TRIGGER status_history_received AFTER INSERT ON dossiers
           BEGIN
               INSERT INTO status_history(dossier_id, at, from_status, status, due_at)
               VALUES (new.id, coalesce(new.last_change_at, new.received_at), NULL, new.status, new.due_at);
           END""",
        """CREATE TRIGGER status_history_changed AFTER UPDATE OF status, due_at ON dossiers
           WHEN new.status IS NOT old.status OR new.due_at IS NOT old.due_at
           BEGIN
               INSERT INTO status_history(dossier_id, at, from_status, status, due_at)
               VALUES (new.id, coalesce(new.last_change_at, new.received_at), old.status, new.status, new.due_at);
           END""",
    ):
        db.execute(statement)


@desk_migrations(name="0016_search_prefix_index")
def m0016_search_prefix_index(db: Database) -> None:
    """The search index rebuilt with prefix indexes, and procedures matched through a table of
    the procedures dossiers carry instead of per dossier (store/search.py): the same hits, newest
    first, about 30 times faster at 1,000,000 dossiers. The folded text of the first index is
    copied over (about 40 s a million dossiers on the loaded 2-core benchmark machine, once)."""
    db.execute("ALTER TABLE dossier_search RENAME TO dossier_search_first_design")
    for statement in search.SCHEMA:
        db.execute(statement)
    search.fill_from_first_design(db, "dossier_search_first_design")
    db.execute("DROP TABLE dossier_search_first_design")


@desk_migrations(name="0017_bookings_cancel_move")
def m0017_bookings_cancel_move(db: Database) -> None:
    """A booking can be cancelled or moved. SQLite cannot widen a CHECK, so the table is rebuilt
    with two more statuses and the columns that say why and where to: a move ends the old row
    ('moved', ``moved_to``) and inserts the new one (``moved_from``), so the old ticket's number
    can never be checked in; cancelled and moved rows hold no place."""
    for statement in (
        """CREATE TABLE bookings_new (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            number TEXT NOT NULL UNIQUE,
            desk_no INTEGER NOT NULL,
            day TEXT NOT NULL,                 -- the slot's local date, YYYY-MM-DD
            seq INTEGER NOT NULL,
            procedure_code TEXT NOT NULL,
            procedure_name TEXT NOT NULL,
            name TEXT NOT NULL,
            phone TEXT NOT NULL,
            slot TEXT NOT NULL,                -- ISO 8601 with offset
            created_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('booked', 'checked_in', 'cancelled', 'moved')),
            dossier_code TEXT,                 -- the reception it became
            ended_at TEXT,                     -- when it was cancelled or moved
            reason TEXT NOT NULL DEFAULT '',
            moved_to TEXT,                     -- the number of the booking that replaced it
            moved_from TEXT,                   -- the number of the booking it replaced
            UNIQUE (desk_no, day, seq)
        )""",
        "INSERT INTO bookings_new(id, uuid, number, desk_no, day, seq, procedure_code, procedure_name, name, phone, "
        "slot, created_at, status, dossier_code) SELECT id, uuid, number, desk_no, day, seq, procedure_code, "
        "procedure_name, name, phone, slot, created_at, status, dossier_code FROM bookings",
        "DROP TABLE bookings",
        "ALTER TABLE bookings_new RENAME TO bookings",
        "CREATE INDEX bookings_slot ON bookings(slot)",
    ):
        db.execute(statement)


@desk_migrations(name="0018_scans_files")
def m0018_scans_files(db: Database) -> None:
    """Scans attached to a dossier's papers (issue 9 item 5). The file itself lives encrypted in
    the scans folder beside the database, named by the sha-256 of its plain content (one file
    for the same scan attached twice); a row names it per paper. ``scan_key_wraps`` keeps the
    desk's scan key wrapped under each administrator's password (docs/trust.md)."""
    _run_script(
        db,
        """
        CREATE TABLE scans (
            id INTEGER PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
            paper INTEGER NOT NULL CHECK (paper >= 1),   -- position in dossier_documents
            sha256 TEXT NOT NULL,
            media_type TEXT NOT NULL,
            pages INTEGER NOT NULL CHECK (pages >= 1),
            size INTEGER NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            attached_at TEXT NOT NULL,
            attached_by TEXT NOT NULL DEFAULT '',
            purged_at TEXT,            -- file deleted past retention (the row stays for indicator 4.2)
            UNIQUE (dossier_id, paper, sha256)
        );
        CREATE INDEX scans_sha256 ON scans(sha256);
        CREATE TABLE scan_key_wraps (
            login TEXT PRIMARY KEY,
            key_id TEXT NOT NULL,      -- which desk key it wraps (sha-256 prefix of the key)
            salt BLOB NOT NULL,
            nonce BLOB NOT NULL,
            wrapped BLOB NOT NULL,     -- AES-GCM of the desk key under argon2id(password, salt)
            at TEXT NOT NULL
        );
        """,
    )


# A return to the citizen (store.lifecycle's step); its hand-over holds the citizen's rating, whose
# words the report reads through the index of 0019 (the expression must be written the same).
RETURN_STEP = "action = 'return_result'"
RATING_LABEL = "json_extract(detail, '$.handover.rating.label')"


@desk_migrations(name="0019_reports_rated_returns")
def m0019_reports_rated_returns(db: Database) -> None:
    """Two indexes for the period report (store/reports.py), both covering, so the rows are not read.

    The returns of a period with the citizens' ratings: a small partial index of the return steps
    by time, holding the rating's words (the JSON is not parsed when the report runs). The status
    history of the dossiers a period reads: by dossier, in order, with what the rules need (it
    replaces 0015's ``status_history_dossier``, which had only the order)."""
    for statement in (
        f"""CREATE INDEX dossier_steps_returned ON dossier_steps(at, dossier_id, {RATING_LABEL})
            WHERE {RETURN_STEP}""",
        "CREATE INDEX status_history_steps ON status_history(dossier_id, id, at, status, due_at)",
        "DROP INDEX status_history_dossier",
    ):
        db.execute(statement)
# Every outbox column but the two an update may touch (acked_at; payload with redacted_at).
_OUTBOX_FIXED = ("id", "event_uuid", "desk_uuid", "epoch", "seq", "schema", "unit_code", "entity", "entity_id", "kind",
                 "business_time", "device_time", "payload_hash")


@desk_migrations(name="0020_personal_data_outbox_redaction")
def m0020_personal_data_outbox_redaction(db: Database) -> None:
    """A retention purge may redact the personal fields of outbox payloads the hub has acknowledged.

    ``outbox.redacted_at`` marks a redacted payload; ``payload_hash`` keeps the hash of the payload
    as it was sent (the hub's copy and the sync contract are unchanged). The outbox stays
    append-only: a trigger refuses every UPDATE except exactly (1) the acknowledgement, acked_at
    NULL → a time, nothing else changed, and (2) the redaction of an acknowledged, not yet
    redacted event: payload and redacted_at change, nothing else. An event still to be pushed
    is never redacted (the hub must receive it whole); the purge catches it up once acknowledged.
    """
    fixed = " AND ".join(f"new.{c} IS old.{c}" for c in _OUTBOX_FIXED)
    db.execute("ALTER TABLE outbox ADD COLUMN redacted_at TEXT")
    db.execute(
        f"""CREATE TRIGGER outbox_update_ack_or_redaction BEFORE UPDATE ON outbox
           WHEN NOT ({fixed} AND (
               (old.acked_at IS NULL AND new.acked_at IS NOT NULL
                AND new.payload IS old.payload AND new.redacted_at IS old.redacted_at)
            OR (old.acked_at IS NOT NULL AND new.acked_at IS old.acked_at
                AND old.redacted_at IS NULL AND new.redacted_at IS NOT NULL)))
           BEGIN SELECT RAISE(ABORT, 'the outbox is append-only: only acknowledgement and redaction'); END"""
    )


@desk_migrations(name="0021_sync_audit_anchor")
def m0021_sync_audit_anchor(db: Database) -> None:
    """The latest audit chain head the hub says it holds from this desk (one row, from the last
    hub package: pull reply or USB file), with the desk epoch it belongs to. Each batch then
    carries the desk's own hash at that entry, so the hub sees a trail rewritten or cut short
    behind its back (store/audit_anchor.py, hub/storage/audit_heads.py)."""
    db.execute("""CREATE TABLE sync_audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        epoch TEXT NOT NULL,        -- the desk epoch of the head
        audit_id INTEGER NOT NULL,  -- the entry the hub holds
        hash TEXT NOT NULL          -- its hash as the hub holds it
    )""")
