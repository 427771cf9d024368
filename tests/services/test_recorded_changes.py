"""No state change without its outbox event: every service that writes is recorded, the rest only audited.

The state is every table of the database except the outbox's own bookkeeping, found at run time,
so a table added later is watched too. A writer that forgets the recorder fails here.
"""

import datetime as dt
import hashlib

import pytest

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import ReceivedDocument
from desk_app.domain.lifecycle import Action
from desk_app.paths import resources_dir
from desk_app.services import ledger, lifecycle
from desk_app.services.backup import backup_to
from desk_app.services.guidance import issue_supplement_guidance
from desk_app.domain.papers import Paper
from desk_app.services.printouts import prepare_printout, record_printed
from desk_app.services.reception import ReceptionRequest, receive

# Sync bookkeeping and derived tables: changing them is not a change of the desk's state.
NOT_STATE = {"outbox", "audit", "audit_head", "outbox_answers", "sync_cursors", "sync_epochs", "desk_identity",
             # Accounts are the desk's own: audited, never sent to the hub (services/accounts.py).
             "officers"}
NOT_STATE_PREFIXES = ("sqlite_", "_sqlite", "dossier_search_")  # SQLite's own, migrations, FTS shadow tables
# Counting printings is audit, not state ("printed twice" is no news for the hub).
NOT_STATE_COLUMNS = {("dossiers", "receipt_prints"), ("dossiers", "fee_receipt_prints")}


def print_receipt(desk, code):
    """Print the slip as the window and the command line do: prepared, delivered, then counted."""
    return record_printed(desk, prepare_printout(desk, code), [Paper.RECEIPT], via="test")


def state(store):
    digest = hashlib.sha256()
    tables = [name for (name,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
              if name not in NOT_STATE and not name.startswith(NOT_STATE_PREFIXES)]
    assert {"dossiers", "settings", "procedures", "calendar_days", "guidance_slips", "fees"} <= set(tables)
    for table in tables:
        columns = [c[1] for c in store.db.execute(f"PRAGMA table_info({table})")
                   if (table, c[1]) not in NOT_STATE_COLUMNS]
        for row in store.db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid"):
            digest.update(repr((table, row)).encode())
    return digest.hexdigest()


def counts(store):
    return store.tables.count("outbox"), store.tables.count("audit")


def spot_request(**extra):
    return ReceptionRequest(procedure_code="2.000815", name="Nguyễn Văn An", pages=3, copies=2, **extra)


CHANGES = {
    "receive": lambda desk, code: receive(desk, spot_request()),
    "receive on the spot": lambda desk, code: receive(
        desk, ReceptionRequest(procedure_code="2.000908", name="Lê Thị Mai", resolved_on_the_spot=True)),
    "forward": lambda desk, code: lifecycle.apply(desk, code, Action.FORWARD),
    "withdraw": lambda desk, code: lifecycle.apply(desk, code, Action.WITHDRAW, note="Người nộp xin rút"),
    "guidance": lambda desk, code: issue_supplement_guidance(
        desk, procedure_code="1.001193", name="Trần Văn Bình", missing=(ReceivedDocument("Giấy chứng sinh",
                                                                                         DocForm.ORIGINAL),)),
    "catalogue import": lambda desk, code: desk.import_catalogue(resources_dir() / "catalogue" / "catalogue.json"),
    "calendar import": lambda desk, code: desk.import_calendar(resources_dir() / "calendar" / "holidays.csv"),
    "settings": lambda desk, code: desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú",
                                                   unit_code="000.21.33.H49", desk_no=1, place="Thôn Đông"),
    "printer": lambda desk, code: desk.set_printer("Máy in quầy 1"),
}

AUDIT_ONLY = {
    "view": lambda desk, code, tmp_path: desk.view_dossier(code),
    "print": lambda desk, code, tmp_path: print_receipt(desk, code),
    "reprint": lambda desk, code, tmp_path: print_receipt(desk, code),
    "backup": lambda desk, code, tmp_path: backup_to(desk, tmp_path / "copy.sqlite3"),
}

READS = {
    "search": lambda desk, code: desk.search("nguyen van an"),
    "ledger": lambda desk, code: ledger.count(desk, ledger.LedgerFilter()),
    "due": lambda desk, code: desk.due("2.000815", desk.clock()),
}


@pytest.fixture
def code(desk, clock):
    code = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Phạm Văn Đức")).dossier.code
    clock.now += dt.timedelta(hours=1)
    return code


@pytest.mark.parametrize("name", CHANGES)
def test_each_state_change_writes_one_event_and_one_audit_entry(desk, code, name):
    before, (outbox, audit) = state(desk.store), counts(desk.store)
    CHANGES[name](desk, code)
    assert state(desk.store) != before, f"{name} changed nothing"
    assert counts(desk.store) == (outbox + 1, audit + 1), name
    event = desk.recorder.outbox.pending()[-1]
    assert event.hash_ok() and event.desk_uuid == desk.desk_uuid()


@pytest.mark.parametrize("name", AUDIT_ONLY)
def test_audit_only_actions_change_no_state_and_write_no_event(desk, code, name, tmp_path):
    if name == "reprint":
        print_receipt(desk, code)
    before, (outbox, audit) = state(desk.store), counts(desk.store)
    AUDIT_ONLY[name](desk, code, tmp_path)
    assert state(desk.store) == before
    assert counts(desk.store) == (outbox, audit + 1)


@pytest.mark.parametrize("name", READS)
def test_reads_write_nothing(desk, code, name):
    before, totals = state(desk.store), counts(desk.store)
    READS[name](desk, code)
    assert (state(desk.store), counts(desk.store)) == (before, totals)


def test_the_state_digest_sees_a_write_that_bypasses_the_recorder(desk, code):
    """The guard itself: a direct write (as a forgetful new service would do) is noticed."""
    before, totals = state(desk.store), counts(desk.store)
    with desk.store.transaction():
        desk.store.settings.put({"printer": "ghi thẳng, không qua recorder"})
    assert state(desk.store) != before and counts(desk.store) == totals
