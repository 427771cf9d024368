"""Nothing lost: a desk process killed mid-work keeps every dossier it reported as saved."""

import os
import signal
import subprocess
import sys
import time

from desk_app.store.store import Store

WORKER = r"""
import datetime as dt, sys
from desk_app.services.desk import Desk
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.store import Store

zone = dt.timezone(dt.timedelta(hours=7))
moment = [dt.datetime(2026, 11, 23, 8, 0, tzinfo=zone)]
desk = Desk(Store.open(sys.argv[1]), clock=lambda: moment[0])
desk.initialise(commune="Xã Tân Phú", authority="UBND xã Tân Phú", unit_code="000.21.33.H49", desk_no=1)
n = 0
while True:
    moment[0] += dt.timedelta(seconds=20)
    d = receive(desk, ReceptionRequest(procedure_code="2.000815", name=f"Người Thứ {chr(65 + n % 26)}",
                                       pages=3, copies=2)).dossier
    print(d.code, flush=True)  # only after the commit returned: the desk would now print the slip
    n += 1
"""


def test_kill_during_receptions_loses_no_committed_dossier(tmp_path):
    path = tmp_path / "desk.sqlite3"
    proc = subprocess.Popen([sys.executable, "-c", WORKER, str(path)], stdout=subprocess.PIPE, text=True)
    reported = []
    deadline = time.monotonic() + 60
    while len(reported) < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            reported.append(line.strip())
    os.kill(proc.pid, signal.SIGKILL)  # no clean shutdown, no checkpoint: like a power cut for the process
    proc.wait()
    reported += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]
    proc.stdout.close()
    assert len(reported) >= 40

    store = Store.open(path)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for code in reported:
        dossier = store.dossiers.by_code(code)
        assert dossier is not None, f"{code} was reported saved but is missing"
    # Whatever the kill interrupted was rolled back whole: every dossier has its outbox event,
    # audit entry, fee and search row, and the code sequence was never reused.
    count = store.dossiers.count()
    assert count >= len(reported)
    received = store.db.execute("SELECT count(*) FROM outbox WHERE kind = 'dossier.received'").fetchone()[0]
    assert received == count
    assert store.tables.count("outbox") == count + 3  # + the settings, catalogue and calendar of set-up
    assert store.tables.count("fees") == count
    assert store.tables.count("dossier_search") == count
    assert store.tables.count("audit") == count + 3  # + the initialise, catalogue and calendar entries
    codes = [row[0] for row in store.db.execute("SELECT code FROM dossiers ORDER BY id")]
    assert len(set(codes)) == len(codes)
    store.close()
