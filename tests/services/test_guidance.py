"""Issuing Mẫu 02: one transaction (slip, outbox, audit), numbering per desk and year, bad input writes nothing."""

import datetime as dt
import json
import unicodedata
import uuid

import pytest

from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import ReceivedDocument
from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.guidance import DEFAULT_REASON
from desk_app.services.guidance import issue_supplement_guidance, missing_documents, render_guidance

VN = dt.timezone(dt.timedelta(hours=7))
BIRTH_CERT = ReceivedDocument("Giấy chứng sinh", DocForm.ORIGINAL)


def issue(desk, **overrides):
    values = dict(procedure_code="1.001193", name="Nguyễn Văn An", phone="0912 345 678",
                  address="Thôn Đông", missing=(BIRTH_CERT,))
    values.update(overrides)
    return issue_supplement_guidance(desk, **values)


def counts(store):
    return {t: store.tables.count(t) for t in ("guidance_slips", "outbox", "audit", "dossiers")}


def test_issue_writes_slip_event_and_audit_and_no_dossier(desk):
    before = counts(desk.store)
    g = issue(desk, name=unicodedata.normalize("NFD", "Đặng Thị Hằng"),
              missing=(ReceivedDocument(unicodedata.normalize("NFD", "Giấy chứng nhận kết hôn"), DocForm.CERTIFIED_COPY, 2),))
    after = counts(desk.store)
    assert {k: after[k] - before[k] for k in after} == {"guidance_slips": 1, "outbox": 1, "audit": 1, "dossiers": 0}
    assert g.number == "HD-2026-Q1-0001"
    assert g.applicant_name == "Đặng Thị Hằng" and unicodedata.is_normalized("NFC", g.applicant_name)
    assert g.documents == (ReceivedDocument("Giấy chứng nhận kết hôn", DocForm.CERTIFIED_COPY, 2),)
    assert g.phone == "0912345678" and g.address == "Thôn Đông"
    assert g.reason == DEFAULT_REASON and g.officer == "tester"
    assert g.issued_at == dt.datetime(2026, 11, 23, 9, 15, tzinfo=VN)
    assert g.procedure_name == "Đăng ký khai sinh"
    row = desk.store.db.execute(
        "SELECT number, year, desk_no, seq, applicant_name, phone, documents, actor FROM guidance_slips").fetchone()
    assert row[:6] == ("HD-2026-Q1-0001", 2026, 1, 1, "Đặng Thị Hằng", "0912345678")
    assert json.loads(row[6]) == [{"name": "Giấy chứng nhận kết hôn", "form": "ban_sao_chung_thuc", "count": 2}]
    kind, entity_id, payload = desk.store.db.execute(
        "SELECT kind, entity_id, payload FROM outbox ORDER BY seq DESC LIMIT 1").fetchone()
    # Known to the hub by its UUID (slip numbers are unique per desk only), printed by its number.
    assert (kind, entity_id) == ("guidance.issued", g.uuid) and str(uuid.UUID(g.uuid)) == g.uuid
    assert json.loads(payload)["procedure_code"] == "1.001193"
    assert (json.loads(payload)["uuid"], json.loads(payload)["number"]) == (g.uuid, g.number)
    assert desk.store.db.execute("SELECT uuid FROM guidance_slips").fetchone()[0] == g.uuid
    assert "0912345678" not in payload
    action, entity_id = desk.store.db.execute(
        "SELECT action, entity_id FROM audit ORDER BY rowid DESC LIMIT 1").fetchone()
    assert (action, entity_id) == ("guidance.issue", g.number)
    assert render_guidance(desk, g).startswith(b"%PDF")


def test_numbers_follow_each_other_per_year_and_desk(desk, clock, tmp_path):
    from desk_app.services.desk import Desk
    from desk_app.store.store import Store

    assert [issue(desk).number for _ in range(2)] == ["HD-2026-Q1-0001", "HD-2026-Q1-0002"]
    clock.now = dt.datetime(2027, 1, 4, 8, 0, tzinfo=VN)
    assert issue(desk).number == "HD-2027-Q1-0001"
    other = Desk(Store.open(tmp_path / "desk2.sqlite3"), clock=clock)
    other.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                     desk_no=2)
    assert issue(other).number == "HD-2027-Q2-0001"
    other.store.close()


@pytest.mark.parametrize(("overrides", "code"), [
    ({"name": "  "}, "invalid_input"),
    ({"phone": "12345"}, "invalid_input"),
    ({"missing": ()}, "no_document"),
    ({"missing": (ReceivedDocument(" ", DocForm.ORIGINAL),)}, "invalid_document"),
    ({"missing": (ReceivedDocument("Giấy chứng sinh", DocForm.ORIGINAL, 0),)}, "invalid_document"),
    ({"procedure_code": "9.999999"}, "unknown_procedure"),
])
def test_bad_input_writes_nothing(desk, overrides, code):
    before = counts(desk.store)
    with pytest.raises(DomainError) as raised:
        issue(desk, **overrides)
    assert raised.value.code == code
    assert counts(desk.store) == before


def test_name_error_is_the_applicant_validation(desk):
    with pytest.raises(ValidationErrors) as raised:
        issue(desk, name="")
    assert [e.field for e in raised.value.errors] == ["name"]


def test_a_failure_inside_the_transaction_leaves_nothing(desk, monkeypatch):
    before = counts(desk.store)

    def broken(**kwargs):
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(desk.store.audit, "add", broken)
    with pytest.raises(RuntimeError):
        issue(desk)
    assert counts(desk.store) == before


def test_missing_documents_default_from_the_catalogue(desk):
    procedure = desk.procedure("1.001193")
    listed = procedure.documents[2]  # presented at the counter ("xuat_trinh")
    docs = missing_documents(desk, "1.001193", [
        (listed.name.upper(), None, None), ("Giấy tờ khác", None, None), ("Bản chụp sổ hộ khẩu", "ban_chup", 2),
    ])
    assert docs == (
        ReceivedDocument(listed.name, listed.form, listed.count),
        ReceivedDocument("Giấy tờ khác", DocForm.ORIGINAL, 1),
        ReceivedDocument("Bản chụp sổ hộ khẩu", DocForm.PHOTOCOPY, 2),
    )
    with pytest.raises(DomainError) as raised:
        missing_documents(desk, "1.001193", [("Giấy tờ khác", "ban_nhap", None)])
    assert raised.value.code == "invalid_form"
