"""Power cuts, proven: desk work killed with SIGKILL at random moments loses nothing it reported.

Children (forked from a server that has imported the desk, so they start at once) receive
dossiers, move them along, print and back up, reporting each step after its commit; each is
killed at a random moment. Then the database must be sound and hold everything reported.

DESK_APP_POWER_CUTS sets the number of kills (CI: 24; the long run: 200 or more).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import time
from collections import Counter

import pytest

from desk_app.services.desk import Desk
from desk_app.store import audit
from desk_app.store.store import Store
from tests.store import power_cut_worker

CUTS = int(os.environ.get("DESK_APP_POWER_CUTS", "24"))
ORDER = ["received", "in_process", "result_ready", "returned"]


@pytest.fixture(scope="module")
def forkserver():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(power_cut_worker.PRELOAD)
    return context


def parse(report):
    received, steps, prints = {}, [], []
    for line in report.read_text().splitlines():
        kind, *rest = line.split()
        if kind == "received":
            code, uuid, fee, documents = rest
            received[code] = (uuid, int(fee), int(documents))
        elif kind == "step":
            steps.append(tuple(rest))
        else:
            prints.append((rest[0], rest[1], int(rest[2])))
    return received, steps, prints


def test_sigkill_at_random_moments_loses_nothing_reported(tmp_path, forkserver):
    db, report, out = tmp_path / "desk.sqlite3", tmp_path / "report.txt", tmp_path / "papers"
    out.mkdir()
    store = Store.open(db)
    Desk(store, clock=lambda: power_cut_worker.START, actor="set-up").initialise(
        commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49", desk_no=1)
    store.close()
    rng = random.Random(int(os.environ.get("DESK_APP_POWER_CUT_SEED", "8")))
    alive = []
    for child in range(CUTS):
        process = forkserver.Process(target=power_cut_worker.work,
                                     args=(str(db), str(report), str(out), child, rng.randrange(1 << 30)))
        process.start()
        time.sleep(rng.uniform(0.05, 0.7))
        process.kill()  # SIGKILL: no clean-up, no checkpoint, mid-transaction or not
        process.join()
        alive.append(process.exitcode)
    assert alive == [-9] * CUTS  # every child was working until it was killed (none crashed by itself)

    received, steps, prints = parse(report)
    print(f"{CUTS} kills; reported: {len(received)} receptions, {len(steps)} steps, {len(prints)} papers")
    assert len(received) >= CUTS // 2 and steps and prints, "the children did too little work to prove anything"
    store = Store.open(db)  # recovers the write-ahead log as the next start after a power cut would
    try:
        db_ = store.db
        assert db_.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db_.execute("PRAGMA foreign_key_check").fetchall() == []
        dossiers = {code: (uuid, status, fee, did) for did, code, uuid, status, fee in db_.execute(
            "SELECT id, code, uuid, status, fee_vnd FROM dossiers")}
        # Every reported dossier is present and whole.
        for code, (uuid, fee, documents) in received.items():
            assert code in dossiers, f"{code} was reported saved but is missing"
            assert dossiers[code][0] == uuid and dossiers[code][2] == fee
            did = dossiers[code][3]
            assert db_.execute("SELECT count(*) FROM dossier_documents WHERE dossier_id = ?",
                               [did]).fetchone()[0] == documents
            assert db_.execute("SELECT count(*) FROM fees WHERE dossier_id = ? AND number IS NOT NULL",
                               [did]).fetchone()[0] == (1 if fee else 0)
            assert db_.execute("SELECT count(*) FROM dossier_search WHERE rowid = ?", [did]).fetchone()[0] == 1
            assert db_.execute("SELECT count(*) FROM audit WHERE action = 'dossier.receive' AND entity_id = ?",
                               [code]).fetchone()[0] == 1
        # Every reported step and print is recorded; a dossier is never behind a reported step.
        for code, status in steps:
            assert ORDER.index(dossiers[code][1]) >= ORDER.index(status)
            assert db_.execute("SELECT count(*) FROM audit WHERE action = 'dossier.set_status' AND entity_id = ? "
                               "AND json_extract(detail, '$.to') = ?", [code, status]).fetchone()[0] == 1
        for code, paper, number in prints:
            assert db_.execute("SELECT count(*) FROM audit WHERE action IN ('dossier.print', 'dossier.reprint') "
                               "AND entity_id = ? AND json_extract(detail, '$.paper') = ? "
                               "AND json_extract(detail, '$.print_no') = ?", [code, paper, number]).fetchone()[0] == 1
        # No code issued twice, no fee receipt number twice.
        codes = [c for (c,) in db_.execute("SELECT code FROM dossiers")]
        assert len(codes) == len(set(codes))
        numbers = [n for (n,) in db_.execute("SELECT series || '-' || number FROM fees WHERE number IS NOT NULL")]
        assert len(numbers) == len(set(numbers))
        # The outbox matches the dossiers: one reception event each, and its status steps in order.
        events = db_.execute("SELECT entity_id, kind, payload FROM outbox WHERE entity = 'dossier' ORDER BY id")
        received_events, last_status = Counter(), {}
        for entity_id, kind, payload in events:
            if kind == "dossier.received":
                received_events[entity_id] += 1
            elif kind == "dossier.status_changed":
                last_status[entity_id] = json.loads(payload)["to"]
        by_uuid = {uuid: (code, status) for code, (uuid, status, _, _) in dossiers.items()}
        assert set(received_events) == set(by_uuid) and set(received_events.values()) == {1}
        for uuid, (code, status) in by_uuid.items():
            assert last_status.get(uuid, "received") == status, code
        seqs = [s for (s,) in db_.execute("SELECT seq FROM outbox ORDER BY id")]
        assert seqs == list(range(1, len(seqs) + 1))  # no hole and no reuse in the sequence
        # Every event has its audit entry and the trail's chain holds.
        assert audit.verify(db_).ok
        assert store.tables.count("audit") >= store.tables.count("outbox")
    finally:
        store.close()
