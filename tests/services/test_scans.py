"""Scans: attached through the one recorder, stored encrypted by content hash, de-duplicated,
counted in pages, marked per paper, exported audited, refused when tampered with."""

import json
import os

import pytest

from desk_app.domain.errors import DomainError
from desk_app.services import scans
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.services.scan_files import ORPHAN_MIN_AGE_S
from tests import scan_samples


@pytest.fixture
def code(desk):
    return receive(desk, ReceptionRequest(procedure_code="1.004837", name="Nguyễn Văn An")).dossier.code


def _papers(desk, code):
    return len(desk.dossier(code).documents)


def test_attach_records_row_event_and_audit_and_keeps_the_file_encrypted(desk, code):
    png = scan_samples.image()
    events_before = desk.store.tables.count("outbox")
    scan = scans.attach(desk, code, 1, png, name="/scanner/in/cccd.png")
    assert (scan.paper, scan.pages, scan.media_type.value, scan.name) == (1, 1, "image/png", "cccd.png")
    assert desk.store.tables.count("outbox") == events_before + 1
    kind, payload = desk.store.db.execute("SELECT kind, payload FROM outbox ORDER BY seq DESC LIMIT 1").fetchone()
    payload = json.loads(payload)
    assert kind == "scan.attached"
    assert set(payload) == {"uuid", "code", "paper", "sha256", "media_type", "pages", "size", "attached_at"}
    action, detail = desk.store.db.execute("SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert action == "scan.attach" and json.loads(detail)["sha256"] == scan.sha256
    files = scans.files_of(desk)
    on_disk = files.path(scan.sha256).read_bytes()
    assert png not in on_disk and png[8:40] not in on_disk  # not the plain bytes, nor a piece of them
    assert oct(files.path(scan.sha256).stat().st_mode & 0o777) == "0o600"
    assert oct(files.key_path.stat().st_mode & 0o777) == "0o600"
    assert scans.open_scan(desk, code, scan) == png


def test_page_counts(desk, code):
    assert scans.attach(desk, code, 1, scan_samples.pdf(2), name="a.pdf").pages == 2
    assert scans.attach(desk, code, 1, scan_samples.tiff(3), name="b.tif").pages == 3
    assert scans.attach(desk, code, 1, scan_samples.image("JPEG"), name="c.jpg").pages == 1
    marks = scans.paper_marks(desk, code)
    assert marks[0].digitised and marks[0].scans == 3 and marks[0].pages == 6


def test_same_content_is_one_file_and_attached_once_per_paper(desk, code):
    png = scan_samples.image()
    first = scans.attach(desk, code, 1, png)
    with pytest.raises(DomainError) as refused:
        scans.attach(desk, code, 1, png)
    assert refused.value.code == "scan_duplicate" and "đã gắn" in refused.value.message
    if _papers(desk, code) > 1:
        scans.attach(desk, code, 2, png)
    assert scans.files_of(desk).hashes() == {first.sha256}


@pytest.mark.parametrize("data, reason", [
    (b"", "scan_empty"), (b"hello, not an image", "scan_unknown_type"), (b"%PDF-1.7 broken", "scan_damaged"),
    (b"\x89PNG\r\n\x1a\n garbage", "scan_damaged"),
])
def test_bad_files_are_refused_and_nothing_is_written(desk, code, data, reason):
    before = desk.store.tables.count("outbox"), desk.store.tables.count("audit")
    with pytest.raises(DomainError) as refused:
        scans.attach(desk, code, 1, data)
    assert refused.value.code == reason
    assert (desk.store.tables.count("outbox"), desk.store.tables.count("audit")) == before
    assert not scans.files_of(desk).hashes()


def test_a_paper_out_of_range_is_refused(desk, code):
    with pytest.raises(DomainError) as refused:
        scans.attach(desk, code, _papers(desk, code) + 1, scan_samples.image())
    assert refused.value.code == "bad_paper" and "thành phần" in refused.value.message


def test_a_tampered_file_is_refused_in_vietnamese(desk, code):
    scan = scans.attach(desk, code, 1, scan_samples.image())
    path = scans.files_of(desk).path(scan.sha256)
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(DomainError) as refused:
        scans.open_scan(desk, code, scan)
    assert refused.value.code == "scan_tampered" and "đã bị sửa hoặc hỏng" in refused.value.message


def test_another_scans_file_put_in_its_place_is_refused(desk, code):
    one = scans.attach(desk, code, 1, scan_samples.image(text="một"))
    two = scans.attach(desk, code, 1, scan_samples.image(text="hai"))
    files = scans.files_of(desk)
    files.path(one.sha256).write_bytes(files.path(two.sha256).read_bytes())
    with pytest.raises(DomainError) as refused:
        scans.open_scan(desk, code, one)
    assert refused.value.code == "scan_tampered"


def test_export_writes_the_plain_file_and_is_audited(desk, code, tmp_path):
    png = scan_samples.image()
    scans.attach(desk, code, 1, png)
    written = scans.export(desk, code, 1, tmp_path / "out" / "giay-to-1")
    assert [p.name for p in written] == ["giay-to-1.png"] and written[0].read_bytes() == png
    action, entity_id = desk.store.db.execute("SELECT action, entity_id FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert (action, entity_id) == ("scan.export", code)


def test_the_check_removes_old_orphans_only(desk, code):
    files = scans.files_of(desk)
    kept = scans.attach(desk, code, 1, scan_samples.image())
    orphan_sha = files.write(scan_samples.image(text="mồ côi"), files.require_key())  # a row that never committed
    young = files.write(scan_samples.image(text="đang gắn"), files.require_key())
    old = files.path(orphan_sha).stat().st_mtime - ORPHAN_MIN_AGE_S - 5
    os.utime(files.path(orphan_sha), (old, old))
    result = scans.check_files(desk)
    assert result.orphans == [files.path(orphan_sha)] and result.missing == []
    assert files.hashes() == {kept.sha256, young}
    files.path(kept.sha256).unlink()
    assert scans.check_files(desk).missing == [kept.sha256]


def test_a_failed_transaction_leaves_no_row_and_the_file_for_the_check(desk, code, monkeypatch):
    from desk_app.store import scans as rows

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rows, "insert", fail)
    with pytest.raises(RuntimeError):
        scans.attach(desk, code, 1, scan_samples.image())
    assert desk.store.db.execute("SELECT count(*) FROM scans").fetchone()[0] == 0
    assert len(scans.files_of(desk).hashes()) == 1  # written first; an orphan now, for the check


def test_settings_go_through_the_recorder(desk, tmp_path):
    scans.set_scan_settings(desk, inbox_folder=tmp_path / "may-quet", rule="any_paper")
    assert scans.inbox(desk) == (tmp_path / "may-quet").resolve()
    assert scans.digitised_rule(desk).value == "any_paper"
    with pytest.raises(DomainError) as refused:
        scans.set_scan_settings(desk, rule="half")
    assert refused.value.code == "bad_digitised_rule"


def test_the_control_slip_says_which_papers_are_digitised(desk, code, tmp_path):
    import io

    from pypdf import PdfReader

    from desk_app.domain.papers import Paper
    from desk_app.services.lifecycle_papers import prepare_paper

    def words():
        pdf = prepare_paper(desk, code, Paper.CONTROL_SLIP).copies[0].pdf
        (tmp_path / "mau06.pdf").write_bytes(pdf)
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)

    assert "Số hoá thành phần hồ sơ: 0/2 giấy tờ có bản quét (0 trang); chưa quét giấy tờ số 1, 2" in words()
    scans.attach(desk, code, 1, scan_samples.pdf(2))
    scans.attach(desk, code, 2, scan_samples.image())
    assert "Số hoá thành phần hồ sơ: 2/2 giấy tờ có bản quét (3 trang)" in words()


def test_a_retention_purge_deletes_the_scans_files_and_keeps_the_digitised_mark(desk, clock):
    import datetime as dt

    from desk_app.domain.lifecycle import Action
    from desk_app.services import lifecycle, personal_data
    from tests.conftest import VN

    now = clock.now
    clock.now = dt.datetime(2025, 7, 7, 9, 0, tzinfo=VN)
    old = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Nguyễn Văn Cũ")).dossier.code
    shared = scan_samples.image(text="cùng một ảnh")
    gone = scans.attach(desk, old, 1, scan_samples.image(text="CCCD cũ"))
    scans.attach(desk, old, 2, shared)
    for action in (Action.FORWARD, Action.RECORD_RESULT, Action.RETURN_RESULT):
        lifecycle.apply(desk, old, action)
    clock.now = now
    recent = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Trần Văn Mới")).dossier.code
    kept = scans.attach(desk, recent, 1, shared)  # the same content, still needed by an open dossier
    personal_data.set_retention(desk, 1)
    personal_data.purge(desk)
    files = scans.files_of(desk)
    assert files.hashes() == {kept.sha256} and not files.has(gone.sha256)
    purged = scans.scans_of(desk, old)
    assert all(s.purged for s in purged) and [m.digitised for m in scans.paper_marks(desk, old)] == [True, True]
    with pytest.raises(DomainError) as refused:
        scans.open_scan(desk, old, purged[0])
    assert refused.value.code == "scan_purged" and "thời hạn lưu trữ" in refused.value.message
    assert scans.open_scan(desk, recent, kept) == shared
    assert scans.check_files(desk) == scans.FileCheck([], [])
