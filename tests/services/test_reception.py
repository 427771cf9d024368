import datetime as dt
import unicodedata

import pytest

from desk_app.domain.dossier import Channel, Sex, Status
from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.services.reception import ReceptionRequest, receive

VN = dt.timezone(dt.timedelta(hours=7))


def simple_request(**overrides):
    values = dict(
        procedure_code="2.000815", name="Nguyễn Văn An", id_number="001090012345",
        birth_date=dt.date(1990, 5, 1), sex=Sex.MALE, phone="0912345678",
        address="Thôn Đông, xã Tân Phú", pages=3, copies=2,
    )
    values.update(overrides)
    return ReceptionRequest(**values)


def counts(store):
    return {t: store.tables.count(t) for t in ("dossiers", "dossier_documents", "fees", "outbox", "audit", "dossier_search")}


def test_receive_writes_everything_in_one_go(desk):
    before = counts(desk.store)
    reception = receive(desk, simple_request())
    d = reception.dossier
    assert d.code == "000.21.33.H49-261123-0001"
    assert d.status is Status.RECEIVED
    assert d.fee_vnd == 10_000  # 3 pages = 5.000 per copy, 2 copies
    assert d.due_at == dt.datetime(2026, 11, 23, 17, 0, tzinfo=VN)  # same-day chứng thực
    after = counts(desk.store)
    assert {k: after[k] - before[k] for k in after} == {
        "dossiers": 1, "dossier_documents": len(d.documents), "fees": 1, "outbox": 1, "audit": 1, "dossier_search": 1,
    }
    assert str(reception.fee_receipt) == "Mẫu số 01BLP2-001, ký hiệu AA/26T, số 0000001"
    assert desk.dossier(d.code) == d


def test_codes_and_ledger_numbers_follow_each_other(desk, clock):
    first = receive(desk, simple_request()).dossier
    second = receive(desk, simple_request(name="Trần Thị Bình", id_number=None, sex=None, birth_date=None)).dossier
    assert first.code.endswith("-0001") and second.code.endswith("-0002")
    assert (first.ledger_no, second.ledger_no) == (1, 2)
    clock.now += dt.timedelta(days=1)
    third = receive(desk, simple_request()).dossier
    assert third.code.endswith("261124-0001")
    assert third.ledger_no == 3  # the ledger book runs for the whole year


def test_second_desk_of_same_commune_uses_its_own_range(tmp_path, clock):
    from desk_app.services.desk import Desk
    from desk_app.store.store import Store

    desks = []
    for number in (1, 2):
        d = Desk(Store.open(tmp_path / f"desk{number}.sqlite3"), clock=clock)
        d.initialise(commune="Xã Tân Phú", authority="UBND xã Tân Phú", unit_code="000.21.33.H49", desk_no=number)
        desks.append(d)
    codes_1 = {receive(desks[0], simple_request()).dossier.code for _ in range(5)}
    codes_2 = {receive(desks[1], simple_request()).dossier.code for _ in range(5)}
    assert not codes_1 & codes_2
    assert min(codes_2).endswith("-1001")


def test_failure_midway_leaves_nothing(desk, monkeypatch):
    receive(desk, simple_request())
    before = counts(desk.store)
    sequence_before = desk.store.db.execute("SELECT last_issued FROM code_sequences").fetchall()

    def broken(**kwargs):
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(desk.store.audit, "add", broken)
    with pytest.raises(RuntimeError):
        receive(desk, simple_request())
    assert counts(desk.store) == before
    assert desk.store.db.execute("SELECT last_issued FROM code_sequences").fetchall() == sequence_before
    monkeypatch.undo()
    assert receive(desk, simple_request()).dossier.code.endswith("-0002")  # no gap, no reuse


def test_bad_input_writes_nothing(desk):
    before = counts(desk.store)
    with pytest.raises(ValidationErrors) as err:
        receive(desk, simple_request(id_number="12345", phone="abc"))
    assert {e.field for e in err.value.errors} == {"id_number", "phone"}
    with pytest.raises(DomainError) as unknown:
        receive(desk, simple_request(procedure_code="9.999999"))
    assert unknown.value.code == "unknown_procedure"
    with pytest.raises(ValidationErrors):
        receive(desk, simple_request(pages=0))
    assert counts(desk.store) == before


def test_stored_text_is_nfc(desk):
    nfd = unicodedata.normalize("NFD", "Đặng Thị Thuỳ")
    d = receive(desk, simple_request(name=nfd, address=unicodedata.normalize("NFD", "Xóm Mới"))).dossier
    raw = desk.store.db.execute("SELECT applicant_name, address FROM dossiers WHERE code = ?", [d.code]).fetchone()
    assert raw == ("Đặng Thị Thuỳ", "Xóm Mới")
    assert all(unicodedata.is_normalized("NFC", v) for v in raw)


def test_search_ignores_diacritics_and_folds_d(desk):
    receive(desk, simple_request(name="Đặng Thị Hoà", phone="0987654321", id_number=None, birth_date=None, sex=None))
    receive(desk, simple_request(name="Lê Văn Dũng", procedure_code="1.001193", id_number=None,
                                 birth_date=None, sex=None, pages=1, copies=1))
    names = lambda q: {d.applicant.name for d in desk.search(q)}  # noqa: E731
    assert names("dang thi hoa") == {"Đặng Thị Hoà"}
    assert names("Đặng Thị") == {"Đặng Thị Hoà"}
    assert names("dang") == {"Đặng Thị Hoà", "Lê Văn Dũng"}  # "Đăng ký khai sinh" folds to "dang" too
    assert names("hòa") == {"Đặng Thị Hoà"}  # new tone placement finds the old one
    assert names(unicodedata.normalize("NFD", "Đặng hoà")) == {"Đặng Thị Hoà"}
    assert names("dung") == {"Lê Văn Dũng"}
    assert names("0987") == {"Đặng Thị Hoà"}
    assert names("khai sinh") == {"Lê Văn Dũng"}
    assert names("chung thuc") == {"Đặng Thị Hoà"}
    code = desk.search("dung")[0].code
    assert names(code) == {"Lê Văn Dũng"}
    assert names("không có ai") == set()


def test_outbox_event_carries_the_dossier(desk):
    import json

    d = receive(desk, simple_request(channel=Channel.ONLINE)).dossier
    kind, payload, desk_uuid, unit_code = desk.store.db.execute(
        "SELECT kind, payload, desk_uuid, unit_code FROM outbox WHERE entity = 'dossier'").fetchone()
    assert kind == "dossier.received" and (desk_uuid, unit_code) == (desk.desk_uuid(), "000.21.33.H49")
    body = json.loads(payload)
    assert body["code"] == d.code and body["channel"] == "online"


def test_procedure_without_time_needs_a_due_date(desk):
    no_time = next(p for p in desk.procedures() if p.time is None)
    with pytest.raises(DomainError) as err:
        receive(desk, simple_request(procedure_code=no_time.code, pages=1, copies=1))
    assert err.value.code == "due_required"


def test_receipt_time_in_the_future_is_refused(desk, clock):
    with pytest.raises(DomainError) as err:
        receive(desk, simple_request(received_at=clock.now + dt.timedelta(hours=2)))
    assert err.value.code == "received_in_future"
    assert desk.store.dossiers.count() == 0


def test_resolved_on_the_spot_is_recorded_as_returned(desk, clock):
    from desk_app.domain.papers import Paper
    from desk_app.services.printouts import prepare_printout, record_printed
    from desk_app.store import papers

    reception = receive(desk, simple_request(resolved_on_the_spot=True))
    d = desk.dossier(reception.dossier.code)
    assert d.status is Status.RETURNED
    assert d.finished_at == d.received_at
    action = desk.store.db.execute("SELECT action FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert action == "dossier.receive_and_return"
    # No slip, but the fee (10.000 đ) still gets its receipt, and the slip is not counted as printed.
    printout = prepare_printout(desk, d.code, slip=False)
    assert printout.receipt is None and printout.fee_receipt.startswith(b"%PDF")
    record_printed(desk, printout, [Paper.FEE_RECEIPT], via="test")
    assert papers.print_count(desk.store, reception.dossier_id, Paper.RECEIPT) == 0
    # The citizen asks for the slip after all: it is the first print, not a reprint.
    again = prepare_printout(desk, d.code)
    assert [(c.paper, c.reprint) for c in again.copies] == [(Paper.RECEIPT, False), (Paper.FEE_RECEIPT, True)]


def test_only_same_day_procedures_can_be_resolved_on_the_spot(desk):
    with pytest.raises(DomainError) as err:
        receive(desk, simple_request(procedure_code="1.004222", resolved_on_the_spot=True, pages=1, copies=1))
    assert err.value.code == "not_same_day"
    assert desk.store.dossiers.count() == 0


def test_unit_code_and_desk_number_are_fixed_once_dossiers_exist(desk):
    desk.initialise(commune="Xã Tân Phú", authority="UBND xã Tân Phú", unit_code="000.21.33.H49", desk_no=2)
    assert desk.profile().desk_no == 2  # no dossier yet: still free to change
    receive(desk, simple_request())
    with pytest.raises(DomainError) as err:
        desk.initialise(commune="Xã Tân Phú", authority="UBND xã Tân Phú", unit_code="000.21.33.H49", desk_no=3)
    assert err.value.code == "identity_locked"
    desk.initialise(commune="Phường Tân Phú", authority="UBND phường Tân Phú", unit_code="000.21.33.H49", desk_no=2)
    assert desk.profile().commune == "Phường Tân Phú"


def test_viewing_a_dossier_is_audited(desk):
    code = receive(desk, simple_request()).dossier.code
    assert desk.view_dossier(code, purpose="detail").code == code
    row = desk.store.db.execute("SELECT action, entity_id, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert row == ("dossier.view", code, '{"purpose": "detail"}')
