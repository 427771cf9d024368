"""The desk work a power-cut test kills: receptions, lifecycle steps, prints and backups, for ever.

Run in a child process (forked from a server that has imported the desk already, so each child
starts working at once). Each line of the report file is written only after its transaction
committed, as the desk would print a paper only then:

    received CODE UUID FEE DOCUMENTS
    step CODE STATUS
    printed CODE PAPER NUMBER
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

from desk_app.domain.lifecycle import Action, allowed_actions
from desk_app.domain.dossier import Status
from desk_app.services import lifecycle
from desk_app.services.backup import backup_to
from desk_app.services.desk import Desk
from desk_app.services.printouts import deliver, prepare_printout
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.store import Store

VN = dt.timezone(dt.timedelta(hours=7))
START = dt.datetime(2026, 11, 23, 7, 30, tzinfo=VN)
NAMES = ("Nguyễn Thị Thuỳ Dương", "Đặng Văn Hoà", "H'Hen Niê", "Trần Quốc Tuấn", "Lê Thị Ánh")
PROCEDURES = ("2.000815", "1.001193", "2.000908")
FORWARD_STEPS = (Action.FORWARD, Action.RECORD_RESULT, Action.RETURN_RESULT)


def work(db: str, report: str, out_dir: str, child: int, seed: int) -> None:
    """Child process body: never returns; the parent kills it."""
    rng = random.Random(seed)
    moment = [START + dt.timedelta(days=child)]  # each child works its own day, after the ones before

    def clock() -> dt.datetime:
        return moment[0]

    desk = Desk(Store.open(db), clock=clock, actor="power-cut")
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT)

    def say(line: str) -> None:
        os.write(fd, (line + "\n").encode())  # one write per line: a kill never leaves half a line

    while True:
        moment[0] += dt.timedelta(minutes=3)
        roll = rng.random()
        if roll < 0.55:
            procedure = rng.choice(PROCEDURES)
            d = receive(desk, ReceptionRequest(procedure_code=procedure, name=rng.choice(NAMES),
                                               pages=rng.randint(1, 9), copies=rng.randint(1, 3))).dossier
            say(f"received {d.code} {d.uuid} {d.fee_vnd} {len(d.documents)}")
        elif roll < 0.85:
            row = desk.store.db.execute(
                "SELECT code, status FROM dossiers WHERE status IN (?, ?, ?) ORDER BY random() LIMIT 1",
                [Status.RECEIVED.value, Status.IN_PROCESS.value, Status.RESULT_READY.value]).fetchone()
            if row is None:
                continue
            action = next(a for a in FORWARD_STEPS if a in allowed_actions(Status(row[1])))
            change = lifecycle.apply(desk, row[0], action)
            say(f"step {change.code} {change.after.value}")
        elif roll < 0.97:
            row = desk.store.db.execute("SELECT code FROM dossiers ORDER BY random() LIMIT 1").fetchone()
            if row is None:
                continue
            printout = prepare_printout(desk, row[0])
            delivery = deliver(desk, printout, receipt_path=Path(out_dir) / f"{child}-{row[0]}.pdf")
            for paper, number in delivery.numbers.items():
                say(f"printed {printout.code} {paper.value} {number}")
        else:
            backup_to(desk, Path(out_dir) / f"backup-{child}.sqlite3", overwrite=True)


PRELOAD = [__name__, "desk_app.printing.receipt", "desk_app.printing.fee_receipt"]
