"""The status history the report reads (migration 0015) and the facts query over it."""

import shutil
from pathlib import Path

from desk_app.domain.dossier import Status
from desk_app.store import reports
from desk_app.store.lifecycle import set_status
from desk_app.domain.statistics import Step
from desk_app.store.store import Store
from tests.reports_data import at, build

FIXTURES = Path(__file__).parent / "fixtures"


def steps(store, code):
    return store.db.execute(
        "SELECT s.at, s.status, s.due_at FROM status_history s JOIN dossiers d ON d.id = s.dossier_id "
        "WHERE d.code = ? ORDER BY s.id", [code]).fetchall()


def test_an_old_desk_gets_its_history_from_the_audit(tmp_path):
    path = tmp_path / "desk-0005.sqlite3"
    shutil.copy(FIXTURES / "desk-0005.sqlite3", path)
    store = Store.open(path)
    due = "2026-11-23T17:00:00+07:00"
    assert steps(store, "000.21.33.H49-261123-0001") == [("2026-11-23T09:15:00+07:00", "received", due)]
    # Forwarded at 14:00 (back-dated; recorded later): its business time, not when it was typed.
    assert steps(store, "000.21.33.H49-261123-0002") == [
        ("2026-11-23T09:15:00+07:00", "received", due), ("2026-11-23T14:00:00+07:00", "in_process", due)]
    store.close()


def test_a_backup_opened_read_only_is_migrated_in_memory_with_its_history(tmp_path):
    path = tmp_path / "desk-0005.sqlite3"
    shutil.copy(FIXTURES / "desk-0005.sqlite3", path)
    before = path.read_bytes()
    store = Store.open(path, read_only=True)
    assert len(steps(store, "000.21.33.H49-261123-0002")) == 2
    store.close()
    assert path.read_bytes() == before


def test_every_change_of_status_or_appointment_leaves_one_step(desk, clock):
    codes = build(desk, clock)
    code = codes["d7"]
    assert [(s[1], s[2][:10]) for s in steps(desk.store, code)] == [
        ("received", "2026-10-16"), ("supplement_requested", "2026-10-16"),
        ("received", "2026-10-22"),  # supplemented: status and new appointment in one change, one step
        ("in_process", "2026-10-22"), ("result_ready", "2026-10-22"), ("returned", "2026-10-22")]
    # On the spot: one step, returned at once.
    assert [s[1] for s in steps(desk.store, codes["d11"])] == ["returned"]
    # The appointment alone (an extension) leaves a step too; a write that changes neither, none.
    desk.store.db.execute("UPDATE dossiers SET due_at = ? WHERE code = ?", ["2026-10-23T09:00:00+07:00", code])
    assert steps(desk.store, code)[-1][1:] == ("returned", "2026-10-23T09:00:00+07:00")
    before = len(steps(desk.store, code))
    desk.store.db.execute("UPDATE dossiers SET receipt_prints = receipt_prints + 1 WHERE code = ?", [code])
    assert len(steps(desk.store, code)) == before


def test_steps_carry_the_business_time_set_status_was_given(desk, clock):
    codes = build(desk, clock)
    dossier_id = desk.store.dossiers.id_of(codes["d9"])
    set_status(desk.recorder, dossier_id, Status.RESULT_READY, at=at(11, 2, 16))
    assert steps(desk.store, codes["d9"])[-1][:2] == ("2026-11-02T16:00:00+07:00", "result_ready")


def test_facts_are_read_only_for_dossiers_the_period_can_count(desk, clock):
    codes = build(desk, clock)
    by_received = {desk.dossier(code).received_at: name for name, code in codes.items()}
    found = reports.dossier_facts(desk.store, at(10, 1, 0), at(11, 1, 0))
    # d13 was closed before October and d12 came after it: neither is read. d1 is: handed back in October.
    assert sorted(by_received[f.received_at] for f in found) == sorted(
        ["d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11"])
    d7 = next(f for f in found if by_received[f.received_at] == "d7")
    assert [s.status for s in d7.steps] == ["received", "supplement_requested", "received", "in_process",
                                            "result_ready", "returned"]
    # The rating given at the return, in its words; d3 (not returned) has none.
    assert d7.rating == "Không hài lòng"
    assert {by_received[f.received_at]: f.rating for f in found if f.rating} == {
        "d1": "Không hài lòng", "d2": "Rất hài lòng", "d5": "Hài lòng", "d7": "Không hài lòng"}
    assert d7.field and d7.channel == "direct" and d7.procedure_code == "1.004837"


def test_guidance_slips_of_a_period(desk, clock):
    build(desk, clock)
    assert reports.guidance_issued(desk.store, at(10, 1, 0), at(11, 1, 0)) == 1
    assert reports.guidance_issued(desk.store, at(11, 1, 0), at(12, 1, 0)) == 0


def test_the_reads_walk_indexes(desk):
    """Each set of dossiers is searched through an index, never by scanning the table (a million dossiers)."""
    def plan(sql, params):
        return [row[-1] for row in desk.store.db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]

    active = [line for line in plan(reports._ACTIVE, ["a", "b", "c", "d"]) if "dossiers" in line]
    assert active == ["SEARCH dossiers USING COVERING INDEX dossiers_received (received_at>? AND received_at<?)",
                      "SEARCH dossiers USING COVERING INDEX dossiers_last_change (last_change_at>?)"]
    quiet = plan(f"SELECT d.received_at, d.channel, d.procedure_code, d.last_change_at, d.status, d.due_at, "
                 f"{reports._SENT_BACK} FROM dossiers d WHERE d.status IN (?, ?, ?) AND d.last_change_at < ? "
                 "AND d.received_at < ?", [*reports.OPEN_STATUSES, "a", "b"])
    assert quiet[0].startswith("SEARCH d USING COVERING INDEX dossiers_state")  # the rows are not read
    assert any("COVERING INDEX status_history_sent_back" in line for line in quiet)
    assert not any(line.startswith("SCAN") for line in quiet)
    histories = plan(reports._HISTORIES, ["a", "b", "c", "d"])
    assert "SEARCH st USING COVERING INDEX status_history_steps (dossier_id=?)" in histories
    assert not any("TEMP B-TREE FOR ORDER BY" in line for line in histories)  # read in order, not sorted
    rated = plan(f"SELECT dossier_id, {reports.RATING_LABEL} FROM dossier_steps WHERE {reports.RETURN_STEP} "
                 f"AND at >= ? AND at < ? AND {reports.RATING_LABEL} IS NOT NULL", ["a", "b"])
    assert rated == ["SEARCH dossier_steps USING INDEX dossier_steps_returned (at>? AND at<?)"]


def test_a_dossier_quiet_since_before_the_period_comes_with_its_last_step_only(desk, clock):
    codes = build(desk, clock)
    found = reports.dossier_facts(desk.store, at(11, 1, 0), at(12, 1, 0))
    by_received = {desk.dossier(code).received_at: name for name, code in codes.items()}
    d8 = next(f for f in found if by_received[f.received_at] == "d8")  # waiting since 28/10
    assert d8.steps == (Step(at(10, 28), "supplement_requested", at(10, 30)),) and d8.earlier_supplements == 0
    d9 = next(f for f in found if by_received[f.received_at] == "d9")
    assert [s.status for s in d9.steps] == ["in_process"]


def test_the_shortened_facts_count_exactly_as_the_whole_histories(desk, clock):
    """Leaving out the history of quiet dossiers changes no figure, sent-back-twice included."""
    import datetime as dt

    from desk_app.domain.statistics import Period, count
    from desk_app.services.reception import ReceptionRequest, receive

    build(desk, clock)
    twice = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Trịnh Văn Tư", received_at=at(9, 1)))
    dossier_id = desk.store.dossiers.id_of(twice.dossier.code)
    for moment, status in ((at(9, 2), Status.SUPPLEMENT_REQUESTED), (at(9, 3), Status.RECEIVED),
                           (at(9, 4), Status.SUPPLEMENT_REQUESTED)):
        set_status(desk.recorder, dossier_id, status, at=moment)
    # A new appointment while waiting is a step, not another request for a supplement.
    desk.store.db.execute("UPDATE dossiers SET due_at = ?, last_change_at = ? WHERE id = ?",
                          [at(9, 20).isoformat(), at(9, 5).isoformat(), dossier_id])
    for moment, status in ((at(9, 7), Status.RECEIVED), (at(9, 8), Status.IN_PROCESS)):
        set_status(desk.recorder, dossier_id, status, at=moment)
    catalogue = {code: (name, field) for code, name, field in desk.store.db.execute(
        "SELECT code, name, field FROM procedures")}
    whole = reports._group(desk.store.db.execute(
        "SELECT d.id, d.received_at, d.channel, d.procedure_code, d.procedure_name, st.at, st.status, st.due_at "
        "FROM dossiers d JOIN status_history st ON st.dossier_id = d.id ORDER BY d.id, st.id"), catalogue, {})
    now = clock()
    for first, last in ((dt.date(2026, 10, 1), dt.date(2026, 10, 31)), (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
                        (dt.date(2026, 9, 15), dt.date(2026, 10, 14)), (dt.date(2026, 10, 5), dt.date(2026, 10, 5))):
        period = Period(first, last, now)
        shortened = reports.dossier_facts(desk.store, period.start, period.end)
        assert count(shortened, period) == count(whole, period)
        # The quiet ones in groups (what period_report reads), each standing for several.
        grouped = [*reports.dossier_facts(desk.store, period.start, period.end, quiet=False), *(
            facts for facts, times in reports.quiet_groups(desk.store, period.start, period.judged_at)
            for _ in range(times))]
        assert count(grouped, period) == count(whole, period)
    october = count(reports.dossier_facts(desk.store, at(10, 1, 0), at(11, 1, 0)), Period(
        dt.date(2026, 10, 1), dt.date(2026, 10, 31), now))
    assert october.sent_back_twice == 1  # the quiet dossier sent back twice, counted late for 2.1
