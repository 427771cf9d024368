"""A dossier's status history and ledger line from its steps; the timeliness words scripts read."""

import dataclasses
import datetime as dt

from desk_app.domain.dossier import Status
from desk_app.domain.lifecycle import Action
from desk_app.domain.steps import Step, StatusEntry, book_entry, status_history
from desk_app.domain.timeliness import PUBLIC_NAMES, Timeliness
from tests.printing.conftest import ICT, make_dossier

AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ICT)


def test_every_timeliness_has_its_word():
    assert set(PUBLIC_NAMES) == set(Timeliness)
    assert set(PUBLIC_NAMES.values()) == {"early", "on_time", "late", "in_time", "due_soon", "overdue", "paused"}


def test_a_dossier_resolved_on_the_spot_has_two_lines_and_a_full_ledger_entry():
    dossier = dataclasses.replace(make_dossier(), status=Status.RETURNED, finished_at=make_dossier().received_at)
    assert status_history(dossier, []) == [
        StatusEntry(Status.RECEIVED, dossier.received_at, "Trần Văn Lực", ""),
        StatusEntry(Status.RETURNED, dossier.received_at, "Trần Văn Lực", "Giải quyết và trả ngay tại quầy"),
    ]
    entry = book_entry(dossier, [])
    assert (entry.result_at, entry.returned_at, entry.returned_to) == (
        dossier.received_at, dossier.received_at, dossier.applicant.name)
    assert entry.note == "Giải quyết và trả ngay tại quầy"


def test_a_refused_dossier_says_so_in_the_ledger():
    dossier = dataclasses.replace(make_dossier(), status=Status.REFUSED)
    step = Step(Action.REFUSE, Status.RECEIVED, Status.REFUSED, AT, "Trần Văn Lực", note="Sai thẩm quyền")
    entry = book_entry(dossier, [step])
    assert (entry.forwarded_at, entry.returned_at, entry.note) == (None, None, "Từ chối 23/11/2026: Sai thẩm quyền")
    assert status_history(dossier, [step])[-1] == StatusEntry(Status.REFUSED, AT, "Trần Văn Lực", "Sai thẩm quyền",
                                                              Action.REFUSE)
