"""Realistic sync events (about 1 KB each) from a seed: the records every sync benchmark sends.

Each event is a ``dossier.received`` envelope built by ``desk_app.domain.events`` (the module the
desk and the hub share), around a dossier a commune counter could have registered: a weighted
procedure from the shipped catalogue with its documents and fee, a resident of the demo commune,
an appointment from the real work calendar and holidays, a per-desk dossier code and ledger
number. Same seed, same bytes. Benchmark data, never real data.

    python bench/sync_data.py bench/out/events-100000.jsonl 100000 [--seed 1] [--desks 1]

writes one event per line in canonical JSON (what is hashed and signed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desk_app.domain import events
from desk_app.domain.calendar import CalendarSettings, WorkCalendar
from desk_app.domain.catalogue import Procedure
from desk_app.domain.catalogue_io import parse_json
from desk_app.domain.codes import DossierCode, desk_range
from desk_app.domain.dossier import Applicant, Channel, Dossier, ReceivedDocument, Status
from desk_app.domain.errors import DomainError
from desk_app.domain.fees import quote
from desk_app.domain.schedule_io import parse_schedule_csv
from desk_app.paths import resources_dir
from desk_app.services import demo

ZONE = demo.DEMO_ZONE
UNIT_CODE = "000.21.33.H49"
START = dt.date(2026, 1, 5)
PER_DAY = 60  # dossiers a busy desk receives in a day
RECEIVERS = ("Lê Thị Mỹ Duyên", "Trần Quốc Bảo", "Huỳnh Ngọc Ánh", "Đỗ Văn Phước")


@dataclass(frozen=True)
class Received:
    """One generated reception: the desk (0-based) that received it, the dossier, and the
    event's UUID and device time (the desk's wall clock a few seconds after business time)."""

    desk: int
    dossier: Dossier
    event_uuid: str
    device_time: dt.datetime


def generate_dossiers(count: int, *, seed: int = 1, desks: int = 1, unit_code: str = UNIT_CODE,
                      start: dt.date = START) -> Iterator[Received]:
    """``count`` receptions in time order, spread over ``desks`` desks of one commune."""
    rng = random.Random(seed)
    catalogue = parse_json((resources_dir() / "catalogue" / "catalogue.json").read_text(encoding="utf-8"))
    schedules = parse_schedule_csv((resources_dir() / "calendar" / "holidays.csv").read_text(encoding="utf-8"))
    calendar = WorkCalendar(CalendarSettings(), schedules)
    procedures = {p.code: p for p in catalogue.procedures if p.in_force(start) and p.time is not None}
    codes = [c for c in demo.PROCEDURE_WEIGHTS if c in procedures]
    weights = [demo.PROCEDURE_WEIGHTS[c] for c in codes]
    ledger = [0] * desks

    day = calendar.next_working_day(start - dt.timedelta(days=1))
    made = 0
    while made < count:
        todays = min(PER_DAY * desks, count - made)
        seconds = sorted(rng.randrange(7 * 3600, 17 * 3600) for _ in range(todays))
        daily = [0] * desks
        for second in seconds:
            desk = rng.randrange(desks)
            daily[desk] += 1
            ledger[desk] += 1
            received = dt.datetime.combine(day, dt.time(0), ZONE) + dt.timedelta(seconds=second)
            procedure = procedures[rng.choices(codes, weights)[0]]
            assert procedure.time is not None
            # The real calendar for every dossier: about 30 µs, a few seconds for 100,000.
            due = calendar.due(received, procedure.time, same_day=procedure.same_day)
            number = desk_range(desk + 1)[daily[desk] - 1]
            dossier = _dossier(rng, procedure, DossierCode(unit_code, day, number), received, due.due_at,
                               due.reason, desk_no=desk + 1, ledger_no=ledger[desk])
            event_uuid = _uuid(rng)
            yield Received(desk, dossier, event_uuid, received + dt.timedelta(seconds=rng.randint(1, 40)))
            made += 1
        day = calendar.next_working_day(day)


def generate(count: int, *, seed: int = 1, desks: int = 1, unit_code: str = UNIT_CODE,
             start: dt.date = START) -> Iterator[events.Event]:
    """``count`` events in time order, spread over ``desks`` desks of one commune, each with its
    own desk UUID, epoch and gap-free sequence from 1."""
    rng = random.Random(f"{seed}-desks")
    desk_ids = [(_uuid(rng), _uuid(rng)) for _ in range(desks)]  # (desk UUID, epoch)
    seqs = [0] * desks
    for r in generate_dossiers(count, seed=seed, desks=desks, unit_code=unit_code, start=start):
        seqs[r.desk] += 1
        desk_uuid, epoch = desk_ids[r.desk]
        yield events.make_event(
            event_uuid=r.event_uuid, desk_uuid=desk_uuid, epoch=epoch, seq=seqs[r.desk], unit_code=unit_code,
            kind=events.Kind.DOSSIER_RECEIVED, entity_id=r.dossier.uuid, business_time=r.dossier.received_at,
            device_time=r.device_time, payload=events.dossier_received(r.dossier),
        )


def _dossier(rng: random.Random, procedure: Procedure, code: DossierCode, received: dt.datetime,
             due: dt.datetime, reason: str, *, desk_no: int, ledger_no: int) -> Dossier:
    person = demo.make_person(rng, received.date())
    pages, copies = rng.randint(1, 12), rng.choice((1, 1, 2, 3))
    local = demo.LOCAL_FEES.get(procedure.code, 20_000)
    try:
        fee = quote(procedure, channel=Channel.DIRECT.value, on=received.date(), pages=pages, copies=copies,
                    local_amount=local)
        fee_vnd, fee_detail = fee.amount, fee.detail
    except DomainError:  # a catalogue gap: the counter would ask; benchmark data charges nothing
        fee_vnd, fee_detail = 0, "Không thu phí, lệ phí"
    documents = tuple(ReceivedDocument(d.name, d.form, d.count) for d in procedure.documents
                      if d.mandatory or rng.random() < 0.5)
    assert procedure.time is not None
    return Dossier(
        code=str(code), procedure_code=procedure.code, procedure_name=procedure.name,
        applicant=Applicant(name=person.name, id_number=person.id_number, birth_date=person.birth_date,
                            sex=person.sex, phone=person.phone, address=person.address),
        channel=Channel.DIRECT, received_at=received, due_at=due, due_reason=reason, status=Status.RECEIVED,
        documents=documents, sets=1, pages=pages, copies=copies, fee_vnd=fee_vnd, fee_detail=fee_detail,
        statutory_time=procedure.time.label(), ledger_year=received.year, ledger_no=ledger_no, desk_no=desk_no,
        uuid=_uuid(rng), receiver=RECEIVERS[(desk_no - 1) % len(RECEIVERS)],
    )


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def write_jsonl(path: Path, count: int, *, seed: int = 1, desks: int = 1) -> Path:
    """Write the events to ``path`` (one canonical JSON object a line) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for event in generate(count, seed=seed, desks=desks):
            out.write(events.canonical_json(event.to_dict()) + b"\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--desks", type=int, default=1)
    args = parser.parse_args()
    write_jsonl(args.out, args.count, seed=args.seed, desks=args.desks)
    size = args.out.stat().st_size
    print(f"{args.count} events, {size / args.count:.0f} bytes each on average -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
