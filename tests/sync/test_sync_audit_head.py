"""The desk's audit chain head travels in its batches, over HTTP and on USB (issue 8 item 2)."""

from __future__ import annotations

from desk_app.services.sync import sync_now
from desk_app.services.sync_usb import export_usb, import_usb
from desk_app.store import audit, audit_anchor
from desk_app.sync.protocol import AuditHead, BatchHeader, Envelope
from tests.sync.conftest import register


def _rewrite_entry(desk, entry_id: int) -> None:
    """What someone with the database file does: drop the triggers, edit an entry, re-chain all."""
    db = desk.store.db
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("UPDATE audit SET detail = '{\"sửa\":1}' WHERE id = ?", [entry_id])
    prev = audit.GENESIS
    for row in list(audit._rows(db)):
        digest = audit.entry_hash(prev, row)
        db.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", [prev, digest, row["id"]])
        prev = digest
    db.execute("UPDATE audit_head SET hash = ?", [prev])
    db.conn.commit()
    assert audit.verify(db).ok  # the trail alone cannot tell: only the hub's copy of the head can


def test_an_honest_desk_raises_no_alert_and_a_rewritten_trail_is_flagged(enrolled, hub):
    register(enrolled, 1)
    sync_now(enrolled, connect=hub.connect)
    held = hub.hub.stats()
    assert held["audit_alerts"] == []
    epoch = enrolled.recorder.outbox.current_epoch()
    # The pull after the push told the desk which head the hub holds: the batch's head, then.
    anchor = audit_anchor.anchor(enrolled.store.db, epoch)
    assert anchor is not None and anchor[1] != ""
    register(enrolled, 2)
    sync_now(enrolled, connect=hub.connect)
    assert hub.hub.stats()["audit_alerts"] == []

    anchor = audit_anchor.anchor(enrolled.store.db, epoch)
    assert anchor is not None
    _rewrite_entry(enrolled, anchor[0] - 1)
    register(enrolled, 3)
    report = sync_now(enrolled, connect=hub.connect)
    assert report.applied == 1  # the dossier still counts upstream
    [alert] = hub.hub.stats()["audit_alerts"]
    assert (alert["kind"], alert["audit_id"], alert["desk_uuid"]) == ("fork", anchor[0], enrolled.desk_uuid())


def test_a_usb_file_carries_the_head_and_the_anchor(enrolled, hub, tmp_path):
    register(enrolled, 1)
    before = AuditHead(*audit_anchor.head(enrolled.store.db))  # the export's own entry comes after the file
    first = export_usb(enrolled, tmp_path / "a.sync").files[0]
    header = BatchHeader.of(Envelope.from_file(first.read_bytes()))
    assert header.audit_head == before and header.audit_anchor is None
    hub.hub.push(Envelope.from_file(first.read_bytes()))
    (tmp_path / "back.sync").write_bytes(hub.hub.export(enrolled.desk_uuid()).to_file())
    import_usb(enrolled, tmp_path / "back.sync")
    register(enrolled, 2)
    second = export_usb(enrolled, tmp_path / "b.sync").files[0]
    header = BatchHeader.of(Envelope.from_file(second.read_bytes()))
    assert header.audit_anchor is not None and header.audit_anchor.hash != ""
    assert header.audit_head is not None and header.audit_head.id > header.audit_anchor.id
    hub.hub.push(Envelope.from_file(second.read_bytes()))
    assert hub.hub.stats()["audit_alerts"] == []
