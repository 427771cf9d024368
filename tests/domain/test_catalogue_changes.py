"""Planning an import: nothing is dropped unless asked, and never what dossiers refer to."""

from dataclasses import replace

from desk_app.domain.catalogue import Catalogue, FeeKind, FeeRule, Procedure
from desk_app.domain.catalogue_changes import plan_import


def proc(code: str, name: str = "Thủ tục", **extra) -> Procedure:
    values = {"field": "Hộ tịch", "time": None, "same_day": False, "fees": (FeeRule(FeeKind.FREE),), "documents": ()}
    return Procedure(code=code, name=name, **{**values, **extra})


CURRENT = {p.code: p for p in (proc("A"), proc("B"), proc("C"), proc("D", retired=True))}


def codes(entries):
    return [c.code for c in entries]


def test_default_import_adds_and_updates_and_keeps_the_rest():
    incoming = Catalogue("v2", (proc("A"), proc("B", notes="mới", fees=(FeeRule(FeeKind.FLAT, 5000),)), proc("E")))
    plan = plan_import(CURRENT, incoming, replace=False, in_use={"C"})
    assert codes(plan.added) == ["E"]
    assert [(c.code, c.fields) for c in plan.changed] == [("B", ("fees", "notes"))]
    assert plan.unchanged == 1
    assert plan.removed == () and codes(plan.kept) == ["C"]  # D was retired before: not listed again


def test_replace_retires_what_dossiers_use_and_deletes_the_rest():
    plan = plan_import(CURRENT, Catalogue("v2", (proc("A"),)), replace=True, in_use={"B", "D"})
    assert codes(plan.retired) == ["B"]
    assert codes(plan.deleted) == ["C"]
    assert codes(plan.removed) == ["B", "C"] and plan.kept == ()


def test_a_retired_procedure_in_the_file_again_is_restored():
    plan = plan_import(CURRENT, Catalogue("v2", (proc("D"), proc("A", name="Tên mới"))), replace=False, in_use=set())
    assert codes(plan.restored) == ["D"]
    assert [(c.code, c.name, c.fields) for c in plan.changed] == [("A", "Tên mới", ("name",))]


def test_retired_flag_alone_is_not_a_change():
    assert replace(proc("A"), retired=True) == proc("A")
