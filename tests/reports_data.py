"""A desk whose October 2026 report is known in advance, built through the real services.

Thirteen dossiers around October 2026 (procedure 1.004837: 3 working days, the appointment at the
receipt's own time; 2.000815: same day) and one guidance slip. The supplement and the refusal go
through store.lifecycle.set_status, the one way every status changes; the supplemented step is
recorded as issue 9's will be: status and new appointment in one change, its event carrying the
new due time (events.dossier_status_changed(due_at=…)), so the hub learns it too.

    name  received            path                                              October
    d1    Mon 21/09 09:00     result 25/09 (late), returned 02/10, rated 4       returned only
    d2    Tue 29/09 09:00     due Fri 02/10; result Thu 01/10 15:00,
                              returned 05/10, rated 1                            carried, early
    d3    Wed 30/09 09:00     due Mon 05/10; in process                          carried, overdue
    d4    Mon 05/10 online    due Thu 08/10 09:00; result 08/10 08:00            on time
    d5    Tue 06/10 postal    due Fri 09/10 09:00; result 09/10 11:00,
                              returned 12/10, rated 2                            late
    d6    Mon 12/10           withdrawn 13/10                                    withdrawn
    d7    Tue 13/10           supplement 14/10–19/10 (new due Thu 22/10);
                              result Wed 21/10 09:00, returned 23/10 by an
                              authorised person, rated 4 ("khong hai long")     early, 3 days taken
    d8    Tue 27/10           supplement asked 28/10                             paused
    d9    Thu 29/10           due Tue 03/11; in process                          in progress, on time
    d10   Thu 15/10           refused 16/10                                      refused
    d11   Tue 20/10 10:00     same day, decided and returned at the counter      on time, returned
    d12   Mon 02/11           —                                                  not in October
    d13   Mon 14/09           withdrawn 15/09                                    not in October

Ratings on the default scale (1 Rất hài lòng … 4 Không hài lòng), given at the returns.
"""

from __future__ import annotations

import datetime as dt

from desk_app.domain import events
from desk_app.domain.catalogue import DocForm
from desk_app.domain.dossier import Channel, ReceivedDocument, Status
from desk_app.services.guidance import issue_supplement_guidance
from desk_app.services.lifecycle import Action, apply, return_result
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.lifecycle import set_status

VN = dt.timezone(dt.timedelta(hours=7))
CLOCK_AFTER = dt.datetime(2026, 11, 5, 10, 0, tzinfo=VN)

# What the October 2026 report must say.
OCTOBER = {
    "received_total": 10, "received_new": 8, "received_carried_over": 2,
    "received_by_channel": {"direct": 6, "online": 1, "postal": 1},
    "resolved_total": 5, "resolved_early": 2, "resolved_on_time": 2, "resolved_late": 1,
    "in_progress_total": 2, "in_progress_on_time": 1, "in_progress_overdue": 1,
    "paused": 1, "supplement_requested": 2, "refused": 1, "withdrawn": 1, "stopped": 0, "returned": 5,
}
# d2 2 d 6 h, d4 2 d 23 h, d5 3 d 2 h, d7 8 d − 5 d waiting, d11 0: 271 hours over 5 dossiers.
OCTOBER_AVERAGE_DAYS = 271 / 5 / 24
OCTOBER_2_1 = (5, 7)  # d2, d4, d7, d11 resolved in time and d9 running in time, of 7 judged
# 5.4: of the 7 judged, d5 (late) and d3 (overdue) are not on time and d7 was rated unhappy; d1's
# rating counts in the breakdown only (it was received and resolved before October).
OCTOBER_5_4 = (4, 7)
OCTOBER_RATINGS = {"Rất hài lòng": 1, "Hài lòng": 1, "Bình thường": 0, "Không hài lòng": 2}


NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Đặng Thị Hoà",
         "Vũ Văn Giang", "Bùi Thị Hạnh", "Đỗ Văn Ích", "Hồ Thị Kim", "Ngô Văn Lâm", "Dương Thị Mai", "Lý Văn Nam"]


def at(month, day, hour=9, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


def build(desk, clock) -> dict[str, str]:
    """Fill ``desk`` (set up, empty) with the dossiers above; returns their codes by name."""
    clock.now = CLOCK_AFTER
    codes: dict[str, str] = {}

    def take(name, received, *, channel=Channel.DIRECT, procedure="1.004837", on_the_spot=False):
        request = ReceptionRequest(procedure_code=procedure, name=NAMES[len(codes)], received_at=received,
                                   channel=channel, resolved_on_the_spot=on_the_spot)
        codes[name] = receive(desk, request).dossier.code
        return codes[name]

    def step(name, action, moment, note=""):
        apply(desk, codes[name], action, at=moment, note=note)

    def record(name, status, moment):
        set_status(desk.recorder, desk.store.dossiers.id_of(codes[name]), status, at=moment)

    def supplemented(name, moment, due):
        """As issue 9's step will record it: one change whose event carries the new appointment."""
        dossier = desk.dossier(codes[name])
        with desk.recorder.change(business_time=moment) as change:
            desk.store.db.execute(
                "UPDATE dossiers SET status = ?, due_at = ?, last_change_at = ? WHERE code = ?",
                [Status.RECEIVED.value, due.isoformat(timespec="seconds"), moment.isoformat(timespec="seconds"),
                 dossier.code])
            change.event(events.Kind.DOSSIER_STATUS_CHANGED, dossier.uuid, events.dossier_status_changed(
                uuid=dossier.uuid, code=dossier.code, before=dossier.status, after=Status.RECEIVED, at=moment,
                due_at=due))
            change.audit("dossier.set_status", "dossier", dossier.code,
                         {"from": dossier.status.value, "to": Status.RECEIVED.value})

    take("d1", at(9, 21))
    step("d1", Action.FORWARD, at(9, 21, 10))
    step("d1", Action.RECORD_RESULT, at(9, 25))
    return_result(desk, codes["d1"], rating="4", at=at(10, 2, 10))
    take("d2", at(9, 29))
    step("d2", Action.FORWARD, at(9, 29, 10))
    step("d2", Action.RECORD_RESULT, at(10, 1, 15))
    return_result(desk, codes["d2"], rating="Rất hài lòng", at=at(10, 5, 14))
    take("d3", at(9, 30))
    step("d3", Action.FORWARD, at(9, 30, 10))
    take("d4", at(10, 5), channel=Channel.ONLINE)
    step("d4", Action.FORWARD, at(10, 5, 10))
    step("d4", Action.RECORD_RESULT, at(10, 8, 8))
    take("d5", at(10, 6), channel=Channel.POSTAL)
    step("d5", Action.FORWARD, at(10, 6, 10))
    step("d5", Action.RECORD_RESULT, at(10, 9, 11))
    return_result(desk, codes["d5"], rating="2", at=at(10, 12, 8))
    take("d6", at(10, 12))
    step("d6", Action.WITHDRAW, at(10, 13), note="Người nộp xin rút")
    take("d7", at(10, 13))
    record("d7", Status.SUPPLEMENT_REQUESTED, at(10, 14))
    supplemented("d7", at(10, 19), at(10, 22))
    step("d7", Action.FORWARD, at(10, 19, 10))
    step("d7", Action.RECORD_RESULT, at(10, 21))
    return_result(desk, codes["d7"], recipient="Nguyễn Thị Hương", authorisation="Giấy ủy quyền số 12/UQ",
                  rating="khong hai long", at=at(10, 23, 15))
    take("d8", at(10, 27))
    record("d8", Status.SUPPLEMENT_REQUESTED, at(10, 28))
    take("d9", at(10, 29))
    step("d9", Action.FORWARD, at(10, 29, 10))
    take("d10", at(10, 15))
    record("d10", Status.REFUSED, at(10, 16))
    take("d11", at(10, 20, 10), procedure="2.000815", on_the_spot=True)
    take("d12", at(11, 2))
    take("d13", at(9, 14))
    step("d13", Action.WITHDRAW, at(9, 15), note="Người nộp xin rút")
    clock.now = at(10, 22, 10)
    issue_supplement_guidance(desk, procedure_code="1.004837", name="Trần Thị Bình",
                              missing=(ReceivedDocument("Giấy tờ chứng minh nơi cư trú", DocForm.PHOTOCOPY),))
    clock.now = CLOCK_AFTER
    return codes
