"""Names with an apostrophe (H'Hen Niê, Ksor H'Ba): one stored form, found however it is typed."""

import datetime as dt

import pytest

from desk_app.domain.text import fold_name, sort_key
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.migrations import m0007_name_apostrophes


@pytest.mark.parametrize("typed", ["H’Hen Niê", "H‘Hen Niê", "HʼHen Niê", "H'Hen Niê"])
def test_stored_once_and_found_by_every_form(desk, typed):
    code = receive(desk, ReceptionRequest(procedure_code="2.000884", name=typed)).dossier.code
    stored = desk.store.db.execute("SELECT applicant_name FROM dossiers WHERE code = ?", [code]).fetchone()[0]
    assert stored == "H'Hen Niê"
    for query in ("H’Hen Niê", "h'hen nie", "HʼHen", "h hen nie", "hhen"):
        assert [d.code for d in desk.search(query)] == [code], query


def test_migration_rewrites_old_curly_apostrophes_and_indexes_the_joined_word(desk):
    dossier = receive(desk, ReceptionRequest(procedure_code="2.000884", name="Ksor H'Ba")).dossier
    db = desk.store.db
    dossier_id = desk.store.dossiers.id_of(dossier.code)
    # As an older desk wrote it: the curly apostrophe kept, the plain fold in the index.
    with desk.store.transaction():
        db.execute("UPDATE dossiers SET applicant_name = 'Ksor H’Ba', applicant_sort = '' WHERE id = ?", [dossier_id])
        db.execute("UPDATE dossier_search SET applicant_name = 'ksor h’ba' WHERE rowid = ?", [dossier_id])
    assert [d.code for d in desk.search("hba")] == []
    with desk.store.transaction():
        m0007_name_apostrophes(db)
    name, sort = db.execute("SELECT applicant_name, applicant_sort FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
    assert (name, sort) == ("Ksor H'Ba", sort_key("Ksor H'Ba"))
    indexed = db.execute("SELECT applicant_name FROM dossier_search WHERE rowid = ?", [dossier_id]).fetchone()[0]
    assert indexed == fold_name("Ksor H'Ba") == "ksor h'ba hba"
    assert [d.code for d in desk.search("ksor hba")] == [dossier.code]


def test_names_sort_the_same_whichever_apostrophe(desk, clock):
    for name in ("Ksor H’Ba", "Ksor H'Ba"):
        clock.now += dt.timedelta(minutes=1)
        receive(desk, ReceptionRequest(procedure_code="2.000884", name=name))
    keys = {k for (k,) in desk.store.db.execute("SELECT applicant_sort FROM dossiers")}
    assert len(keys) == 1
