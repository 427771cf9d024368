"""The audit trail service: an admin's filters and export, refused to other roles."""

import datetime as dt

import pytest

from desk_app.domain.errors import DomainError
from desk_app.services import audit_trail
from desk_app.services.audit_trail import AuditFilter
from desk_app.services.reception import ReceptionRequest, receive
from tests.staff import ADMIN, CLERK, sign_in, staff


def test_filters_by_officer_action_and_day(desk, clock):
    receive(desk, ReceptionRequest(procedure_code="2.000815", name="Nguyễn Văn An", pages=3))
    clock.now += dt.timedelta(days=1)
    code = receive(desk, ReceptionRequest(procedure_code="2.000815", name="Trần Thị Bình", pages=3)).dossier.code
    desk.view_dossier(code)
    today = clock.now.date()
    found = audit_trail.entries(desk, AuditFilter(action="dossier.", since=today, until=today))
    assert [(e.action, e.entity_id) for e in found] == [("dossier.view", code), ("dossier.receive", code)]
    assert audit_trail.entries(desk, AuditFilter(actor="nobody")) == []
    assert "tester" in audit_trail.actors(desk)
    result = audit_trail.verify(desk)
    assert result.ok and audit_trail.describe(result).startswith("Nhật ký nguyên vẹn")


def test_only_an_administrator_reads_or_exports_the_trail(desk, tmp_path):
    staff(desk)
    sign_in(desk, CLERK)
    for refused in (lambda: audit_trail.entries(desk, AuditFilter()),
                    lambda: audit_trail.export_csv(desk, tmp_path / "x.csv", AuditFilter())):
        with pytest.raises(DomainError, match="không có quyền xem nhật ký hệ thống"):
            refused()
    assert not (tmp_path / "x.csv").exists()
    assert audit_trail.verify(desk).ok  # anyone signed in may check the chain
    sign_in(desk, ADMIN)
    count = audit_trail.export_csv(desk, tmp_path / "x.csv", AuditFilter(actor=CLERK))
    text = (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert count == 1 and "officer.login" in text and "Trần Thị Bình" in text
