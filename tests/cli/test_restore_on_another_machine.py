"""Issue 8, done when: "a backup restored on another machine opens with everything in it".

A desk with officers, dossiers through the lifecycle, papers printed, a sync with the hub and
its audit trail is backed up through the backup API; only the backup file goes to a fresh
DESK_APP_HOME (the new PC), where `desk-app restore` puts it back. Then, there: every dossier
shows as it did, each officer signs in with the same password, the audit chain verifies, papers
reprint as "BẢN IN LẠI", the next reception takes the next code, and the desk syncs again with
its own key (kept in the database, so the backup carries it) in a new epoch, without duplicates.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from desk_app.domain.dossier import Sex
from desk_app.domain.lifecycle import Action
from desk_app.services import lifecycle
from desk_app.services.backup import backup_to
from desk_app.services.desk import Desk
from desk_app.services.printouts import deliver, prepare_printout
from desk_app.services.sync import enroll, sync_now
from desk_app.store.store import Store
from tests.services.test_personal_data import citizen
from tests.staff import ADMIN, ADMIN_PASSWORD, CLERK, CLERK_PASSWORD, sign_in, staff
from tests.sync.conftest import HUB_URL, InProcessHub, make_desk


def cli(home: Path, *args: str, password: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DESK_APP_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    env.pop("DESK_APP_PASSWORD", None)
    if password is not None:
        env["DESK_APP_PASSWORD"] = password
    proc = subprocess.run([sys.executable, "-m", "desk_app", *args], capture_output=True, text=True, env=env,
                          timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def _without_own_view(shown: dict) -> dict:
    """`show` audits itself: its own view (on each machine, at its own time) is its history's last line."""
    *before, own = shown["audit"]
    assert (own["action"], own["actor"]) == ("dossier.view", CLERK)
    return shown | {"audit": before}


def _make_desk_with_everything(home: Path, clock, hub) -> tuple[Desk, list[str]]:
    desk = make_desk(home / "desk.sqlite3", clock)
    staff(desk)
    sign_in(desk, CLERK)
    closed, forwarded, waiting = (citizen(desk), citizen(desk, name="Trần Văn Bình", id_number="001090012346", sex=Sex.MALE),
                                  citizen(desk, name="Lê Thị Cúc", procedure_code="1.001193"))
    for action in (Action.FORWARD, Action.RECORD_RESULT, Action.RETURN_RESULT):
        lifecycle.apply(desk, closed.code, action)
    lifecycle.apply(desk, forwarded.code, Action.FORWARD)
    for code in (closed.code, forwarded.code):
        deliver(desk, prepare_printout(desk, code), receipt_path=home / "receipts" / f"{code}.pdf")
    desk.sign_out()
    sign_in(desk, ADMIN)
    enroll(desk, HUB_URL, hub.code(), connect=hub.connect)
    assert sync_now(desk, connect=hub.connect).pending == 0
    return desk, [closed.code, forwarded.code, waiting.code]


def test_a_backup_restored_on_another_machine_opens_with_everything_in_it(tmp_path, clock):
    old_pc, new_pc, usb = tmp_path / "old-pc", tmp_path / "new-pc", tmp_path / "usb"
    hub = InProcessHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}", clock)
    try:
        desk, codes = _make_desk_with_everything(old_pc, clock, hub)
        backup = backup_to(desk, usb / "desk-20261123.sqlite3").path
        desk.store.close()
        originals = {code: json.loads(cli(old_pc, "--user", CLERK, "show", code, "--json",
                                          password=CLERK_PASSWORD).stdout) for code in codes}

        new_pc.mkdir()  # a fresh machine: only the backup file comes over
        restored = cli(new_pc, "--user", ADMIN, "restore", str(backup), password=ADMIN_PASSWORD)
        assert "Đã khôi phục 3 hồ sơ của quầy số 1 của đơn vị 000.21.33.H49" in restored.stdout
        assert sorted(p.name for p in new_pc.iterdir()) == ["desk.sqlite3"]

        for code in codes:  # every dossier, as it was; each officer signs in with the same password
            shown = json.loads(cli(new_pc, "--user", CLERK, "show", code, "--json", password=CLERK_PASSWORD).stdout)
            assert _without_own_view(shown) == _without_own_view(originals[code])
        assert originals[codes[0]]["status"] == "returned" and originals[codes[1]]["status"] == "in_process"
        wrong = cli(new_pc, "--user", ADMIN, "audit", "verify", password="not-the-password", check=False)
        assert wrong.returncode == 2
        verified = cli(new_pc, "--user", ADMIN, "audit", "verify", "--json", password=ADMIN_PASSWORD)
        assert json.loads(verified.stdout)["ok"] is True

        pdf = tmp_path / "again.pdf"  # printed on the old PC: reprinted here
        cli(new_pc, "--user", CLERK, "print", codes[0], "--pdf", str(pdf), password=CLERK_PASSWORD)
        assert "BẢN IN LẠI" in "".join(page.extract_text() for page in PdfReader(pdf).pages)

        received = json.loads(cli(new_pc, "--user", CLERK, "receive", "--procedure", "1.001193", "--name",
                                  "Phạm Văn Mới", "--received-at", "2026-11-23T10:00", "--json",
                                  password=CLERK_PASSWORD).stdout)
        assert received["code"] == "000.21.33.H49-261123-0004"  # the next code, none reused

        store = Store.open(new_pc / "desk.sqlite3")  # syncs again with the key the backup carried
        try:
            epochs = [r[0] for r in store.db.execute("SELECT reason FROM sync_epochs ORDER BY id")]
            assert epochs[0] == "created" and epochs[-1] == "restore:desk-20261123.sqlite3"
            new_events = store.db.execute("SELECT seq FROM outbox WHERE epoch = (SELECT epoch FROM sync_epochs "
                                          "ORDER BY id DESC LIMIT 1) ORDER BY id").fetchall()
            assert new_events and new_events[0][0] == 1  # numbered from 1 in the new epoch
            report = sync_now(Desk(store, clock=clock, actor="tester", device_clock=clock), connect=hub.connect)
            assert report.rejected == 0 and report.pending == 0 and report.sent == len(new_events)
            assert hub.hub.stats()["dossiers"] == 4
        finally:
            store.close()
    finally:
        hub.close()


def test_restoring_another_desks_backup_exits_2_unless_other_desk(tmp_path):
    from tests.cli.test_cli_end_to_end import INIT

    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    cli(mine, *INIT)
    cli(theirs, *INIT[:-1], "2")
    copy = tmp_path / "usb" / "theirs.sqlite3"
    cli(theirs, "backup", str(copy))
    before = (mine / "desk.sqlite3").read_bytes()
    refused = cli(mine, "restore", str(copy), "--force", check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "quầy số 2 của đơn vị 000.21.33.H49" in refused.stderr and "quầy số 1 của đơn vị" in refused.stderr
    assert (mine / "desk.sqlite3").read_bytes() == before
    done = json.loads(cli(mine, "restore", str(copy), "--force", "--other-desk", "--json").stdout)
    assert done["other_desk"] is True and done["kept"].startswith(str(mine / "desk.sqlite3.replaced-"))
    shown = cli(mine, "restore", str(copy), "--force")  # now the same desk: no --other-desk needed
    assert "Máy này từ nay" not in shown.stdout and "Tệp cũ được giữ lại tại" in shown.stdout
