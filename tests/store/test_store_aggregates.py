"""The store is split by aggregate: Store itself only opens, closes and makes transactions."""

import datetime as dt
import inspect

from desk_app.domain import events
from desk_app.domain.dossier import Sex
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.rows import dossier_from_row, dossier_row
from desk_app.store.store import Store

AGGREGATES = {"settings", "calendar", "catalogue", "dossiers", "guidance", "outbox", "audit", "copies", "tables"}


def test_store_has_no_domain_methods_left():
    methods = {name for name, _ in inspect.getmembers(Store, callable) if not name.startswith("_")}
    assert methods == {"open", "close", "transaction"}


def test_store_public_attributes_are_the_connection_and_the_aggregates(store):
    public = {name for name in vars(store) if not name.startswith("_")}
    assert public == {"db", "path", "read_only"} | AGGREGATES
    for name in AGGREGATES:  # each aggregate is an object of its own, over the same connection
        assert getattr(store, name).__class__.__module__.startswith("desk_app.store.")


def test_the_recorder_writes_through_the_store_outbox(desk):
    assert desk.recorder.outbox is desk.store.outbox
    before = desk.store.outbox.pending_count()
    receive(desk, ReceptionRequest(procedure_code="1.004837", name="Nguyễn Văn An"))
    assert desk.store.outbox.pending_count() == before + 1


def test_aggregates_read_what_reception_wrote(desk, tmp_path):
    code = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Đặng Thị Hoà")).dossier.code
    store = desk.store
    dossier_id = store.dossiers.id_of(code)
    assert store.dossiers.by_code(code) == store.dossiers.by_ids([dossier_id])[0]
    assert [d.code for d in store.dossiers.search("dang thi hoa")] == [code]
    assert store.catalogue.procedure("1.004837") in store.catalogue.procedures()
    assert "1.004837" in store.catalogue.codes_in_use()
    assert store.tables.count("dossiers") == store.dossiers.count() == 1
    store.copies.backup(tmp_path / "copy.sqlite3")
    copy = Store.open(tmp_path / "copy.sqlite3", read_only=True)
    try:
        assert copy.dossiers.by_code(code) == store.dossiers.by_code(code)
    finally:
        copy.close()


def test_the_dossier_row_holds_the_applicant_its_event_carries(desk):
    """One serialisation of the applicant: the row's columns are the event's values."""
    request = ReceptionRequest(
        procedure_code="1.004837", name="Nguyễn Thị Hằng", id_number="001190012345", birth_date=dt.date(1990, 2, 3),
        sex=Sex.FEMALE, phone="0912345678", address="Thôn Đông, xã Tân Phú", email="hang@example.vn",
    )
    dossier = receive(desk, request).dossier
    row = dossier_row(dossier)
    carried = events.dossier_received(dossier)["applicant"]
    assert carried == events.applicant_payload(dossier.applicant)
    assert {"name": row["applicant_name"], **{k: row[k] for k in carried if k != "name"}} == carried
    assert dossier_from_row(row, events.documents_payload(dossier.documents)) == dossier
