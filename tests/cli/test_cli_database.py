"""The command line and the database file: reads never write, writers queue, failures are explained."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.cli.test_cli_end_to_end import INIT, run
from tests.store.test_database_errors import write_lock_held

PYTHON = [sys.executable, "-m", "desk_app"]
READS = [["search", "nguyen"], ["show", "000.21.33.H49-251124-0001"], ["catalog", "list"],
         ["calendar", "show", "2026"], ["due", "--procedure", "1.004222", "--received-at", "2026-04-28T09:15"]]


@pytest.fixture(scope="module")
def home(desk_home):
    """A desk with one dossier received (and so today's daily backup made)."""
    path = desk_home
    run(path, "receive", "--procedure", "2.000815", "--name", "Nguyễn Thị Thuỳ Dương", "--id-number",
        "001190012345", "--birth-date", "1990-03-04", "--sex", "nu", "--phone", "0912345678", "--pages", "3",
        "--copies", "2", "--received-at", "2025-11-24T09:15")
    return path


def _fingerprint(folder):
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a[:2]))
def test_reading_a_database_that_does_not_exist_creates_nothing(tmp_path, args):
    db = tmp_path / "usb" / "desk.sqlite3"
    proc = run(tmp_path / "home", "--db", str(db), *args, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"Lỗi: Chưa có cơ sở dữ liệu tại {db}.")
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # no folder, no file: not even the home


def test_writing_commands_do_not_create_a_database_either_only_init_does(tmp_path):
    proc = run(tmp_path, "receive", "--procedure", "2.000815", "--name", "Lê Văn Cường", check=False)
    assert proc.returncode == 2 and "desk-app init" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_reads_on_a_write_protected_folder_change_nothing(home, tmp_path):
    """chmod'ed folder and file; as root permissions do not bind, and the reads still must not write.

    (`show` is left out: where the file can be written, as here for root, viewing is audited.)
    """
    usb = tmp_path / "usb"
    usb.mkdir()
    db = usb / "desk.sqlite3"
    shutil.copy(home / "desk.sqlite3", db)
    before = _fingerprint(usb)
    db.chmod(0o444)
    usb.chmod(0o555)
    try:
        for args in (a for a in READS if a[0] != "show"):
            proc = run(home, "--db", str(db), *args, "--json", check=False)
            assert proc.returncode == 0, (args, proc.stderr)
            json.loads(proc.stdout)
    finally:
        usb.chmod(0o755)
        db.chmod(0o644)
    assert _fingerprint(usb) == before  # same bytes, same mtime, no -wal/-shm, no backups/ folder


def test_a_truly_read_only_medium_can_be_searched_and_shown_but_not_written(home, tmp_path):
    """A read-only bind mount in a user namespace (unprivileged): writes fail with EROFS even for
    root, as on a write-protected USB stick."""
    src, mnt = tmp_path / "src", tmp_path / "mnt"
    src.mkdir()
    mnt.mkdir()
    shutil.copy(home / "desk.sqlite3", src / "desk.sqlite3")
    db = mnt / "desk.sqlite3"
    script = "\n".join([
        f"mount --bind '{src}' '{mnt}' && mount -o remount,ro,bind '{mnt}' || exit 99",
        f"touch '{mnt}/probe' 2>/dev/null && exit 98",  # the mount must really refuse writes
        f"{' '.join(PYTHON)} --db '{db}' search 'nguyen thi' --json > '{tmp_path}/search.json' || exit 1",
        f"{' '.join(PYTHON)} --db '{db}' show 000.21.33.H49-251124-0001 > '{tmp_path}/show.txt' "
        f"2> '{tmp_path}/show.err' || exit 2",
        f"{' '.join(PYTHON)} --db '{db}' receive --procedure 1.001193 --name 'Lê Văn Cường' "
        f"2> '{tmp_path}/receive.err'; echo $? > '{tmp_path}/receive.rc'",
    ])
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "DESK_APP_HOME": str(tmp_path / "home")}
    proc = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, (proc.returncode, proc.stderr)
    found = json.loads((tmp_path / "search.json").read_text(encoding="utf-8"))
    assert [d["applicant_name"] for d in found] == ["Nguyễn Thị Thuỳ Dương"]
    assert "HỒ SƠ 000.21.33.H49-251124-0001" in (tmp_path / "show.txt").read_text(encoding="utf-8")
    # The view could not be audited on a read-only medium, and the viewer is told so.
    assert "không ghi được vào nhật ký" in (tmp_path / "show.err").read_text(encoding="utf-8")
    assert (tmp_path / "receive.rc").read_text().strip() == "3"
    assert "chỉ đọc" in (tmp_path / "receive.err").read_text(encoding="utf-8")
    assert sorted(p.name for p in src.iterdir()) == ["desk.sqlite3"]


def _receive_many(home, worker, count):
    letters = "ABCDEGHIKLMNOPQSTUVXY"
    failures = []
    for i in range(count):
        # Resolved on the spot (no PDF to render): the processes spend their time on the database.
        proc = run(home, "receive", "--procedure", "1.001193", "--name", f"Người {letters[worker]} {letters[i]}",
                   "--on-the-spot", "--json", check=False)
        if proc.returncode != 0:
            failures.append(proc.stderr)
        else:
            json.loads(proc.stdout)
    return failures


def _window_receives(path, count):
    """What the window's store worker does: its own long-lived connection, receiving."""
    from desk_app.services.desk import Desk
    from desk_app.services.reception import ReceptionRequest, receive
    from desk_app.store.store import Store

    store = Store.open(path)
    try:
        desk = Desk(store, actor="window")
        for i in range(count):
            receive(desk, ReceptionRequest(procedure_code="1.001193", name=f"Cửa Sổ {'ABCDEGHIKLMNOPQ'[i]}"))
    finally:
        store.close()


def _backs_up(home, folder, count):
    return [run(home, "backup", str(folder / f"copy-{i}.sqlite3"), check=False) for i in range(count)]


def test_programs_writing_at_once_lose_nothing(tmp_path):
    """Four command lines receive 15 dossiers each at the same moment, while the window receives
    and backups are taken: every reception is kept, with a unique code."""
    run(tmp_path, *INIT)
    workers, each = 4, 15
    with ThreadPoolExecutor(workers + 2) as pool:
        window = pool.submit(_window_receives, tmp_path / "desk.sqlite3", each)
        backups = pool.submit(_backs_up, tmp_path, tmp_path / "copies", 3)
        results = list(pool.map(lambda w: _receive_many(tmp_path, w, each), range(workers)))
        window.result()
        assert [p.stderr for p in backups.result() if p.returncode != 0] == []
    assert [f for failures in results for f in failures] == []
    raw = sqlite3.connect(tmp_path / "desk.sqlite3")
    total, codes = raw.execute("SELECT count(*), count(DISTINCT code) FROM dossiers").fetchone()
    names = raw.execute("SELECT count(DISTINCT applicant_name) FROM dossiers").fetchone()[0]
    events = raw.execute("SELECT count(*) FROM outbox WHERE kind = 'dossier.received'").fetchone()[0]
    raw.close()
    assert total == codes == names == events == (workers + 1) * each


def test_a_lock_held_for_a_moment_is_waited_for(home):
    """Another program writing for two seconds (a long backup, the window): the command waits."""
    with write_lock_held(home / "desk.sqlite3", 2.0):
        proc = run(home, "receive", "--procedure", "1.001193", "--name", "Phạm Văn Đợi", "--json", check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["applicant_name"] == "Phạm Văn Đợi"


def test_a_damaged_database_names_the_backups_and_the_restore_command_which_works(home, tmp_path):
    assert list((home / "backups").glob("desk-*.sqlite3"))  # made by a writing command, without any window
    desk = tmp_path / "desk.sqlite3"
    shutil.copy(home / "desk.sqlite3", desk)
    newest = tmp_path / "backups" / "desk-20991231.sqlite3"
    run(home, "--db", str(desk), "backup", str(newest))
    raw = sqlite3.connect(desk)
    root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'dossiers'").fetchone()[0]
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    dossiers = raw.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    raw.close()
    with desk.open("r+b") as f:
        f.seek(page_size * (root - 1))
        f.write(b"\xa5" * page_size)

    proc = run(home, "--db", str(desk), "search", "nguyen", check=False)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert "bị hỏng" in proc.stderr and str(tmp_path / "backups") in proc.stderr
    assert f'desk-app --db "{desk}" restore "{newest}"' in proc.stderr

    out = json.loads(run(home, "--db", str(desk), "restore", str(newest), "--json").stdout)
    assert out["dossiers"] == dossiers and Path(out["kept"]).exists()  # the damaged file is kept, renamed
    found = json.loads(run(home, "--db", str(desk), "search", "nguyen", "--json").stdout)
    assert [d["applicant_name"] for d in found] == ["Nguyễn Thị Thuỳ Dương"]
    again = run(home, "--db", str(desk), "restore", str(newest), check=False)
    assert again.returncode == 2 and "--force" in again.stderr  # a sound database is not replaced lightly


def test_not_a_database_and_from_the_future(home, tmp_path):
    text = tmp_path / "desk.sqlite3"
    text.write_text("họ tên,số điện thoại\n", encoding="utf-8")
    proc = run(home, "--db", str(text), "search", "x", "--json", check=False)
    assert proc.returncode == 3 and json.loads(proc.stdout)["error"] == "not_database"
    assert "không phải là cơ sở dữ liệu" in proc.stderr

    future = tmp_path / "future.sqlite3"
    shutil.copy(home / "desk.sqlite3", future)
    raw = sqlite3.connect(future)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    for args in (["search", "x"], ["receive", "--procedure", "1.001193", "--name", "Lê Văn Cường"]):
        proc = run(home, "--db", str(future), *args, check=False)
        assert proc.returncode == 3 and "cập nhật desk-app" in proc.stderr


def test_backup_refuses_to_overwrite_without_force(home, tmp_path):
    target = tmp_path / "copy.sqlite3"
    run(home, "backup", str(target))
    made = target.read_bytes()
    target.write_bytes(b"last week's only good copy")
    proc = run(home, "backup", str(target), "--json", check=False)
    assert proc.returncode == 2 and json.loads(proc.stdout)["error"] == "backup_exists"
    assert "--force" in proc.stderr
    assert target.read_bytes() == b"last week's only good copy"
    run(home, "backup", str(target), "--force")
    assert target.read_bytes()[:16] == made[:16] == b"SQLite format 3\x00"
