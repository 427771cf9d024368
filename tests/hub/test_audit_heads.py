"""Audit chain heads in batches (issue 8 item 2), on both hub backends: the hub keeps the heads
each desk reports and flags a chain that forks or goes backwards within an epoch, while still
applying the batch."""

from __future__ import annotations

import hashlib

import pytest

from desk_app.hub import dashboard
from desk_app.sync import protocol as p


def h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def push(hub, desk, head: p.AuditHead | None, anchor: p.AuditHead | None = None) -> p.PushResult:
    events = [desk.received()]
    envelope = p.build_batch(events, desk.key, created_at=desk.at, epoch_first_seq=1, audit_head=head,
                             audit_anchor=anchor)
    return hub.push(envelope)


def alerts(hub) -> list[tuple[str, int]]:
    return [(a["kind"], a["audit_id"]) for a in hub.stats()["audit_alerts"]]


def test_an_honest_growing_chain_raises_nothing_and_the_hub_says_what_it_holds(hub, make_desk):
    desk = make_desk()
    desk.enroll_on(hub)
    push(hub, desk, p.AuditHead(5, h("e5")))
    push(hub, desk, p.AuditHead(9, h("e9")), anchor=p.AuditHead(5, h("e5")))
    assert alerts(hub) == []
    package = p.HubPackage.open(hub.export(desk.desk_uuid), hub_public_key=hub.public_key, desk_uuid=desk.desk_uuid)
    assert (package.audit_epoch, package.audit_head) == (desk.epoch, p.AuditHead(9, h("e9")))


def test_a_head_seen_before_with_another_hash_is_a_fork_and_the_batch_still_applies(hub, make_desk):
    desk = make_desk()
    desk.enroll_on(hub)
    push(hub, desk, p.AuditHead(5, h("e5")))
    result = push(hub, desk, p.AuditHead(5, h("rewritten")))
    assert [a.status for a in result.answers] == [p.AnswerStatus.APPLIED]
    assert alerts(hub) == [("fork", 5)]
    stats = hub.stats()
    assert stats["events"] == 2 and stats["audit_alerts"][0]["expected_hash"] == h("e5")
    assert stats["audit_alerts"][0]["desk_no"] == desk.desk_no
    page = dashboard.render(stats)
    assert "Cảnh báo nhật ký kiểm tra" in page and "Nhật ký bất thường" in page
    # The first hash stays the reference: the hub still tells the desk the one it saw first.
    package = p.HubPackage.open(hub.export(desk.desk_uuid), hub_public_key=hub.public_key, desk_uuid=desk.desk_uuid)
    assert package.audit_head == p.AuditHead(5, h("e5"))


def test_an_anchor_that_no_longer_matches_is_a_fork_and_a_missing_one_goes_backwards(hub, make_desk):
    desk = make_desk()
    desk.enroll_on(hub)
    push(hub, desk, p.AuditHead(5, h("e5")))
    push(hub, desk, p.AuditHead(8, h("e8")), anchor=p.AuditHead(5, h("other")))
    push(hub, desk, p.AuditHead(9, h("e9")), anchor=p.AuditHead(5, ""))
    push(hub, desk, p.AuditHead(3, h("e3")), anchor=p.AuditHead(8, h("e8")))
    assert sorted(alerts(hub)) == [("backwards", 3), ("backwards", 5), ("fork", 5)]


def test_the_same_batch_twice_or_another_epoch_raises_nothing_new(hub, make_desk):
    desk = make_desk()
    desk.enroll_on(hub)
    event = desk.received()
    again = p.build_batch([event], desk.key, created_at=desk.at, audit_head=p.AuditHead(4, h("x")),
                          audit_anchor=p.AuditHead(4, h("y")))
    hub.push(again)
    hub.push(again)
    assert alerts(hub) == [("fork", 4)]  # kept once, however often the batch comes
    desk.epoch, desk.seq = "epoch-2", 0  # a restored desk: a new epoch, its trail starts again
    push(hub, desk, p.AuditHead(4, h("restored")))
    assert alerts(hub) == [("fork", 4)]
    package = p.HubPackage.open(hub.export(desk.desk_uuid), hub_public_key=hub.public_key, desk_uuid=desk.desk_uuid)
    assert package.audit_epoch == "epoch-2"


@pytest.mark.parametrize("bad", [{"id": 1}, {"id": "1", "hash": ""}, {"id": 2, "hash": "abc"}, [1, 2]])
def test_a_malformed_head_refuses_the_batch(hub, make_desk, bad):
    desk = make_desk()
    desk.enroll_on(hub)
    body = p.gzip_bytes(b"")
    envelope = p.seal(p.PackageKind.BATCH, {"desk_uuid": desk.desk_uuid, "epoch": desk.epoch, "epoch_first_seq": 1,
                                            "first_seq": 1, "last_seq": 1, "count": 1, "created_at": "x",
                                            "audit_head": bad}, body, desk.key)
    with pytest.raises(p.ProtocolError) as caught:
        hub.push(envelope)
    assert caught.value.code is p.RefusalCode.MALFORMED
    assert hub.stats()["events"] == 0


def test_hub_stats_lists_the_alerts_in_json_and_in_words(hub_url, capsys):
    import json

    from desk_app.cli.main import main
    from desk_app.hub.service import Hub
    from tests.hub.conftest import SimDesk

    hub = Hub.open(hub_url)
    desk = SimDesk()
    desk.enroll_on(hub)
    push(hub, desk, p.AuditHead(5, h("e5")))
    push(hub, desk, p.AuditHead(5, h("other")))
    hub.close()
    assert main(["hub", "stats", "--db", hub_url, "--json"]) == 0
    [alert] = json.loads(capsys.readouterr().out)["audit_alerts"]
    assert (alert["kind"], alert["audit_id"], alert["desk_uuid"]) == ("fork", 5, desk.desk_uuid)
    assert main(["hub", "stats", "--db", hub_url]) == 0
    assert "CẢNH BÁO nhật ký kiểm tra: 000.21.33.H49 quầy 1, mục 5: bị viết lại" in capsys.readouterr().out
