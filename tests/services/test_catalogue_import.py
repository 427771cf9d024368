"""Importing and exporting the catalogue at the desk: nothing lost, one transaction, retired kept."""

import datetime as dt
import json
from pathlib import Path

import pytest

from desk_app.domain.catalogue_csv import parse_csv
from desk_app.domain.catalogue_io import CatalogueError, catalogue_to_json, parse_json
from desk_app.domain.errors import DomainError
from desk_app.services.guidance import issue_supplement_guidance
from desk_app.services.printouts import prepare_printout
from desk_app.services.reception import ReceptionRequest, receive
from tests.domain.test_csv_files import windows_1258

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "catalogue.json"


@pytest.fixture(scope="module")
def shipped():
    return parse_json(SHIPPED.read_text(encoding="utf-8"))


def write_catalogue(path: Path, shipped, *, keep: set[str] | None = None, rename: dict[str, str] | None = None,
                    extra: list[dict] | None = None) -> Path:
    data = json.loads(catalogue_to_json(shipped))
    data["version"] = path.stem
    data["procedures"] = [p for p in data["procedures"] if keep is None or p["code"] in keep]
    for p in data["procedures"]:
        p["name"] = (rename or {}).get(p["code"], p["name"])
    data["procedures"] += extra or []
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def audit(desk, action):
    rows = desk.store.db.execute("SELECT detail FROM audit WHERE action = ? ORDER BY id", [action]).fetchall()
    return [json.loads(detail) for (detail,) in rows]


def test_default_import_adds_and_updates_by_code_and_drops_nothing(desk, shipped, tmp_path):
    new = {"code": "XA.TT.09", "name": "Thủ tục mới của xã", "time": {"value": 2, "unit": "working_days"}}
    path = write_catalogue(tmp_path / "2026.1.json", shipped, keep={"1.001193", "2.000815"},
                           rename={"2.000815": "Chứng thực bản sao (tên mới)"}, extra=[new])
    changes = desk.import_catalogue(path)
    assert [c.code for c in changes.added] == ["XA.TT.09"]
    assert [(c.code, c.fields) for c in changes.changed] == [("2.000815", ("name",))]
    assert changes.removed == () and len(changes.kept) == len(shipped.procedures) - 2
    assert len(desk.procedures()) == len(shipped.procedures) + 1  # nothing silently dropped
    assert desk.procedure("2.000815").name == "Chứng thực bản sao (tên mới)"
    (entry,) = audit(desk, "catalogue.import")[1:]  # [0] is the seeding at initialise
    assert entry["added"] == ["XA.TT.09"] and entry["changed"] == ["2.000815"] and entry["replace"] is False


def test_replace_retires_used_procedures_and_deletes_unused_ones(desk, shipped, tmp_path, clock):
    old = receive(desk, ReceptionRequest(procedure_code="2.000884", name="Nguyễn Văn An")).dossier
    issue_supplement_guidance(desk, procedure_code="1.004222", name="Lê Thị Mai",
                              missing=desk.procedure("1.004222").documents[:1])
    use_counts = dict(desk.store.db.execute("SELECT code, use_count FROM procedures"))
    path = write_catalogue(tmp_path / "2027.1.json", shipped, keep={"1.001193", "2.000815"})

    preview = desk.import_catalogue(path, replace=True, dry_run=True)
    assert desk.store.db.execute("SELECT count(*) FROM procedures").fetchone()[0] == len(shipped.procedures)

    changes = desk.import_catalogue(path, replace=True)
    assert changes == preview
    assert sorted(c.code for c in changes.retired) == ["1.004222", "2.000884"]
    assert len(changes.deleted) == len(shipped.procedures) - 4
    assert sorted(p.code for p in desk.procedures()) == ["1.001193", "2.000815"]  # the picker's list
    # Retired: still there for the old dossier's papers, refused for new ones.
    retired = desk.procedure("2.000884")
    assert retired.retired and retired.name == old.procedure_name
    assert prepare_printout(desk, old.code).receipt.startswith(b"%PDF")
    with pytest.raises(DomainError) as err:
        receive(desk, ReceptionRequest(procedure_code="2.000884", name="Trần Văn Bình"))
    assert err.value.code == "procedure_retired" and "đã bị bỏ khỏi danh mục" in err.value.message
    with pytest.raises(DomainError):
        issue_supplement_guidance(desk, procedure_code="1.004222", name="Lê Thị Mai",
                                  missing=retired.documents[:1])
    with pytest.raises(DomainError):
        desk.due("2.000884", clock())
    (entry,) = audit(desk, "catalogue.import")[1:]
    assert sorted(entry["retired"]) == ["1.004222", "2.000884"] and len(entry["deleted"]) == len(changes.deleted)

    # Back in a later catalogue: restored, with its use count.
    again = desk.import_catalogue(write_catalogue(tmp_path / "2027.2.json", shipped, keep={"2.000884"}))
    assert [c.code for c in again.restored] == ["2.000884"]
    assert not desk.procedure("2.000884").retired
    assert dict(desk.store.db.execute("SELECT code, use_count FROM procedures"))["2.000884"] == use_counts["2.000884"]


def test_the_store_retires_rather_than_deletes_a_procedure_in_use_whatever_the_plan(desk, shipped, tmp_path):
    from desk_app.domain.catalogue import Catalogue
    from desk_app.domain.catalogue_changes import CatalogueChanges, ProcedureChange

    receive(desk, ReceptionRequest(procedure_code="2.000884", name="Nguyễn Văn An"))
    wrong = CatalogueChanges("x", True, (), (), (), (), (ProcedureChange("2.000884", ""),), 0)
    with desk.store.transaction():
        desk.store.catalogue.apply(Catalogue("x", ()), wrong, at=dt.datetime(2026, 1, 1))
    assert desk.store.catalogue.procedure("2.000884").retired


def test_a_bad_file_imports_nothing_and_audits_nothing(desk, tmp_path):
    before = desk.store.db.execute("SELECT code, body, retired_at FROM procedures ORDER BY code").fetchall()
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,time_value,time_unit\nA.1,Thủ tục A,3,working_days\nA.2,Thủ tục B,2,weeks\n",
                   encoding="utf-8")
    with pytest.raises(CatalogueError):
        desk.import_catalogue(bad, replace=True)
    assert desk.store.db.execute("SELECT code, body, retired_at FROM procedures ORDER BY code").fetchall() == before
    assert len(audit(desk, "catalogue.import")) == 1


def test_export_then_import_of_an_excel_resaved_file_changes_nothing(desk, tmp_path, shipped):
    path = tmp_path / "danh-muc.csv"
    assert desk.export_catalogue(path, delimiter=";") == len(shipped.procedures)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel opens it as UTF-8
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("code;name;field;")
    # Saved again by Excel on a Vietnamese Windows as plain "CSV": Windows-1258.
    resaved = tmp_path / "danh-muc-excel.csv"
    resaved.write_bytes(windows_1258(text))
    changes = desk.import_catalogue(resaved, replace=True)
    assert (changes.added, changes.changed, changes.removed) == ((), (), ())
    assert changes.unchanged == len(shipped.procedures)
    assert parse_csv(text, version="x").procedures == tuple(sorted(shipped.procedures, key=lambda p: p.code))


def test_a_file_in_an_unknown_encoding_says_how_to_save_it(desk, tmp_path):
    path = tmp_path / "tcvn3.csv"
    path.write_bytes(b"code,name,time_value\r\n1.001193,\xa7\xa8ng k\xfd khai sinh,0\r\n")
    with pytest.raises(DomainError) as err:
        desk.import_catalogue(path)
    assert err.value.code == "unknown_encoding" and "CSV UTF-8" in err.value.message


def test_holiday_file_from_excel_with_semicolons_day_first_dates_and_windows_1258(desk, tmp_path):
    text = ("date;name;kind\r\n"
            "01/01/2030;Tết Dương lịch;nghỉ lễ\r\n"
            "02/01/2030;Nghỉ bù Tết Dương lịch;nghỉ bù\r\n"
            "05/01/30;Làm bù;làm bù\r\n"  # as LibreOffice Calc writes a date back
            ";;\r\n")
    path = tmp_path / "lich-2030.csv"
    path.write_bytes(windows_1258(text))
    assert desk.import_calendar(path) == {2030: 3}
    assert [(e.date, e.name, e.kind.value) for e in desk.calendar_year(2030)][:3] == [
        (dt.date(2030, 1, 1), "Tết Dương lịch", "holiday"),
        (dt.date(2030, 1, 2), "Nghỉ bù Tết Dương lịch", "compensatory"),
        (dt.date(2030, 1, 5), "Làm bù", "swapped_workday"),
    ]
