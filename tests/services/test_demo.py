"""The demo commune: realistic, complete, built by the real rules, and never near the real database."""

import datetime as dt
import hashlib
import unicodedata
from collections import Counter

import pytest

from desk_app.domain.dossier import Sex, Status
from desk_app.domain.timeliness import DueWindow, Timeliness
from desk_app.domain.validation import check_id_number, check_phone
from desk_app.paths import AppPaths
from desk_app.services.demo import DEMO_UNIT_CODE, FAMILY_NAMES, create_demo_database
from desk_app.services.desk import Desk
from desk_app.store import ledger
from desk_app.store.store import Store

TODAY = dt.date(2026, 11, 18)  # a Wednesday: "due soon" (2 calendar days) is not a weekend
VN = dt.timezone(dt.timedelta(hours=7))
DEMO_NOW = dt.datetime.combine(TODAY, dt.time(10, 30), VN)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = create_demo_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3", today=TODAY)
    store = Store.open(path)
    yield store
    store.close()


def rows(store, sql):
    cursor = store.db.execute(sql)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, values)) for values in cursor]


def test_a_commune_of_its_own(demo):
    desk = Desk(demo)
    profile = desk.profile()
    assert profile.commune == "Xã Tân Phú (DEMO)"
    assert (profile.unit_code, profile.desk_no) == (DEMO_UNIT_CODE, 1)
    assert demo.dossiers.count() >= 2000


def test_dossiers_cover_six_months_and_every_status(demo):
    dossiers = rows(demo, "SELECT * FROM dossiers")
    received = [dt.datetime.fromisoformat(d["received_at"]) for d in dossiers]
    assert min(received).date() <= TODAY - dt.timedelta(days=170)
    assert max(received) <= DEMO_NOW
    statuses = Counter(Status(d["status"]) for d in dossiers)
    assert set(statuses) == set(Status)
    assert statuses[Status.RETURNED] > len(dossiers) / 2  # mostly returned
    old = [d for d in dossiers if d["received_at"] < "2026-10-01"]
    recent = Counter(d["status"] for d in dossiers if d["received_at"] >= (TODAY - dt.timedelta(days=1)).isoformat())
    assert Counter(d["status"] for d in old).most_common(1)[0][0] == "returned"
    assert recent["received"] + recent["in_process"] > recent["returned"] > 0  # same-day ones are back


def test_some_open_dossiers_are_overdue_and_finished_ones_are_judged(demo):
    window = DueWindow(DEMO_NOW, DEMO_NOW + dt.timedelta(days=3))
    assert ledger.count(demo, ledger.LedgerFilter(due="overdue"), window) >= 10
    everything = ledger.page(demo, ledger.LedgerFilter(), ledger.LedgerSort(), window, 0, 5000)
    judged = Counter(r.timeliness for r in everything)
    for kind in Timeliness:
        assert judged[kind] > 0, kind
    in_time = judged[Timeliness.DONE_EARLY] + judged[Timeliness.DONE_ON_TIME]
    assert in_time > 5 * judged[Timeliness.DONE_LATE]


def test_common_procedures_lead(demo):
    counts = Counter(d["procedure_code"] for d in rows(demo, "SELECT procedure_code FROM dossiers"))
    top = [code for code, _ in counts.most_common(4)]
    assert top[0] == "2.000815"  # chứng thực bản sao
    assert {"2.000884", "1.001193"} <= set(top)  # chứng thực chữ ký, khai sinh
    assert {"1.004194", "1.004222"} & {code for code, _ in counts.most_common(6)}  # cư trú
    assert len(counts) >= 15


def test_people_look_real_and_their_ids_are_consistent(demo):
    people = rows(demo, "SELECT applicant_name, id_number, birth_date, sex, phone, address FROM dossiers")
    families = {name for name, _ in FAMILY_NAMES}
    assert {p["applicant_name"].split()[0] for p in people} <= families
    assert Counter(p["applicant_name"].split()[0] for p in people).most_common(1)[0][0] == "Nguyễn"
    assert {p["sex"] for p in people} == {"nam", "nu"}
    with_id = [p for p in people if p["id_number"]]
    assert len(with_id) > 0.9 * len(people)
    for p in with_id:
        check_id_number(p["id_number"], birth_date=dt.date.fromisoformat(p["birth_date"]), sex=Sex(p["sex"]))
    assert all(check_phone(p["phone"]) == p["phone"] for p in people if p["phone"])
    hamlets = Counter(p["address"].split(", ")[1].split()[0] for p in people)
    assert set(hamlets) == {"ấp", "thôn", "xóm"}
    assert all(p["address"].endswith("xã Tân Phú") for p in people)


def test_text_is_nfc_and_codes_are_the_real_rules(demo):
    for d in rows(demo, "SELECT code, applicant_name, address, procedure_name, due_reason, fee_vnd, procedure_code, "
                        "pages, copies FROM dossiers"):
        for field in ("applicant_name", "address", "procedure_name", "due_reason"):
            assert unicodedata.is_normalized("NFC", d[field]), d[field]
        assert d["code"].startswith(DEMO_UNIT_CODE + "-")
        if d["procedure_code"] == "2.000884":
            assert d["fee_vnd"] == 10_000
    # Every change (set-up, catalogue, calendar, receptions, steps) has its event and its audit entry.
    assert demo.tables.count("outbox") == demo.tables.count("audit")
    status_events = demo.db.execute("SELECT count(*) FROM outbox WHERE kind = 'dossier.status_changed'").fetchone()[0]
    assert status_events > demo.dossiers.count()
    assert ledger.count(demo, ledger.LedgerFilter(text="nguyen"), DEMO_NOW) > 500


def test_the_real_database_is_never_touched(tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_APP_HOME", str(tmp_path / "home"))
    real = AppPaths.from_environment().database
    store = Store.open(real)
    Desk(store).initialise(commune="Xã Thật", authority="UBND xã Thật", unit_code="000.21.33.H49", desk_no=1)
    store.close()
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in real.parent.iterdir()}

    demo_path = create_demo_database(tmp_path / "elsewhere" / "demo.sqlite3", dossiers=60, today=TODAY)
    with pytest.raises(FileExistsError):
        create_demo_database(real, dossiers=60, today=TODAY)  # a wrong path cannot overwrite it

    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in real.parent.iterdir()}
    assert after == before
    assert demo_path.exists() and demo_path.parent != real.parent


def test_same_seed_same_commune(tmp_path):
    def people(name, seed):
        store = Store.open(create_demo_database(tmp_path / name, dossiers=40, seed=seed, today=TODAY))
        try:
            query = "SELECT code, applicant_name, id_number, status FROM dossiers ORDER BY id"
            return store.db.execute(query).fetchall()
        finally:
            store.close()

    first = people("a.sqlite3", 7)
    assert len(first) == 40
    assert people("b.sqlite3", 7) == first
    assert people("c.sqlite3", 8) != first


def test_without_a_date_it_uses_today_and_nothing_is_in_the_future(tmp_path):
    store = Store.open(create_demo_database(tmp_path / "now.sqlite3", dossiers=30))
    try:
        latest = store.db.execute("SELECT max(received_at) FROM dossiers").fetchone()[0]
        assert dt.datetime.fromisoformat(latest) <= dt.datetime.now(VN)
        assert store.dossiers.count() == 30
    finally:
        store.close()
