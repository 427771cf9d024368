"""Personal data: one citizen's records exported on request, and wiped from closed dossiers past retention."""

import datetime as dt
import json
import stat

import pytest

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import ReceivedDocument, Sex
from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action
from desk_app.domain.personal_data import PURGED_NAME, RetentionPolicy
from desk_app.services import lifecycle, personal_data
from desk_app.services.guidance import issue_supplement_guidance
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store import audit
from tests.conftest import VN
from tests.staff import CLERK, sign_in, staff
ID = "001190012345"


def citizen(desk, **extra):
    values = dict(procedure_code="2.000815", name="Nguyễn Thị Thuỳ Dương", id_number=ID, sex=Sex.FEMALE,
                  birth_date=dt.date(1990, 3, 4), phone="0912345678", address="Thôn Đông, xã Tân Phú", pages=3)
    return receive(desk, ReceptionRequest(**(values | extra))).dossier


def close(desk, code):
    for action in (Action.FORWARD, Action.RECORD_RESULT, Action.RETURN_RESULT):
        lifecycle.apply(desk, code, action)


def test_a_citizens_records_are_exported_whole_and_the_export_is_audited(desk, tmp_path):
    first, second = citizen(desk), citizen(desk, procedure_code="1.001193")
    other = citizen(desk, name="Trần Văn Bình", id_number="001090012346", sex=Sex.MALE)
    close(desk, first.code)
    target = tmp_path / "cong-dan.json"
    assert personal_data.export_citizen(desk, " 0011 9001 2345 ", target) == [first.code, second.code]
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["id_number"] == ID and data["exported_by"] == "tester"
    assert [d["code"] for d in data["dossiers"]] == [first.code, second.code]
    whole = data["dossiers"][0]
    assert whole["applicant"] == {"name": "Nguyễn Thị Thuỳ Dương", "id_number": ID, "birth_date": "1990-03-04",
                                  "sex": "nu", "phone": "0912345678", "address": "Thôn Đông, xã Tân Phú",
                                  "email": None}
    assert whole["status"] == "returned" and whole["fee"]["amount_vnd"] == first.fee_vnd
    assert [h["action"] for h in whole["history"]][:2] == ["dossier.receive", "dossier.set_status"]
    assert other.code not in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # personal data: readable by its owner only
    last = audit.query(desk.store.db, action="citizen.export")[0]
    assert (last.entity, last.entity_id) == ("citizen", ID)
    assert json.loads(last.detail)["dossiers"] == [first.code, second.code]


def test_a_bad_number_writes_nothing(desk, tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(DomainError) as err:
        personal_data.export_citizen(desk, "12345", tmp_path / "out" / "x.json")
    assert err.value.message == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert list((tmp_path / "out").iterdir()) == []


def test_only_an_administrator_exports_or_purges(desk, tmp_path):
    staff(desk)
    sign_in(desk, CLERK)
    for refused in (lambda: personal_data.export_citizen(desk, ID, tmp_path / "x.json"),
                    lambda: personal_data.purge(desk), lambda: personal_data.set_retention(desk, 5)):
        with pytest.raises(DomainError, match="không có quyền"):
            refused()
    assert not (tmp_path / "x.json").exists()


def test_personal_data_past_retention_is_listed_then_wiped(desk, clock):
    assert personal_data.retention(desk) == RetentionPolicy(years=10)
    now = clock.now
    clock.now = dt.datetime(2025, 7, 7, 9, 0, tzinfo=VN)
    old_closed = citizen(desk)
    close(desk, old_closed.code)
    old_open = citizen(desk, name="Lê Văn Mở")
    slip = issue_supplement_guidance(desk, procedure_code="1.001193", name="Phạm Thị Cũ", phone="0987654321",
                                     missing=(ReceivedDocument("Giấy chứng sinh", DocForm.ORIGINAL),))
    clock.now = dt.datetime(2026, 1, 5, 9, 0, tzinfo=VN)
    recent = citizen(desk, name="Đỗ Văn Mới", id_number="001090012346", sex=Sex.MALE)
    close(desk, recent.code)
    clock.now = now
    assert personal_data.expired(desk).dossiers == []  # ten years: nothing yet
    personal_data.set_retention(desk, 1)
    found = personal_data.expired(desk)
    assert [c for _, c, _ in found.dossiers] == [old_closed.code]  # the open one is kept whatever its age
    assert [n for _, n, _ in found.slips] == [slip.number]
    personal_data.purge(desk)
    wiped = desk.dossier(old_closed.code)
    assert wiped.applicant.name == PURGED_NAME
    assert (wiped.applicant.id_number, wiped.applicant.phone, wiped.applicant.address, wiped.applicant.birth_date,
            wiped.applicant.sex) == (None, None, None, None, None)
    assert (wiped.procedure_code, wiped.fee_vnd, wiped.status.value) == ("2.000815", old_closed.fee_vnd, "returned")
    assert desk.dossier(old_open.code).applicant.name == "Lê Văn Mở"
    assert desk.dossier(recent.code).applicant.id_number == "001090012346"
    assert [d.code for d in desk.search("thuy duong")] == []  # the search index forgot the name too
    assert [d.code for d in desk.search(ID)] == [old_open.code]  # same citizen, still open: kept
    entry = audit.query(desk.store.db, action="personal_data.purge")[0]
    assert json.loads(entry.detail)["dossiers"] == [old_closed.code]
    assert "Nguyễn" not in entry.detail and ID not in entry.detail  # the audit names dossiers, not the data
    assert personal_data.expired(desk).dossiers == [] and audit.verify(desk.store.db).ok


def test_the_export_lists_the_citizens_scans(desk, tmp_path):
    from desk_app.services import scans
    from tests import scan_samples

    dossier = citizen(desk)
    picture = scan_samples.image(text="CCCD 001190012345")
    attached = scans.attach(desk, dossier.code, 1, picture, name="cccd.png")
    personal_data.export_citizen(desk, ID, tmp_path / "cong-dan.json")
    listed = json.loads((tmp_path / "cong-dan.json").read_text(encoding="utf-8"))["dossiers"][0]["scans"]
    assert listed == [{"paper": 1, "paper_name": attached.paper_name, "file_name": "cccd.png", "media_type": "image/png",
                       "pages": 1, "size": len(picture), "sha256": attached.sha256,
                       "attached_at": attached.attached_at.isoformat(timespec="seconds"), "attached_by": "tester",
                       "file_deleted_past_retention": False}]
    assert attached.paper_name  # the paper it belongs to, by its name
