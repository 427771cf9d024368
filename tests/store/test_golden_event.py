"""The outbox event of a fixed reception, pinned byte for byte: the contract between desk and hub.

A failure here means the bytes a desk signs and the hub hashes have changed. If that is meant,
it is a protocol change: bump events.SCHEMA_VERSION, teach the hub the new form, then write
the new file (the failure message shows it) and its hash below.
"""

import datetime as dt
import itertools
from pathlib import Path

from desk_app.domain import events
from desk_app.domain.dossier import Sex
from desk_app.services.desk import Desk
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.outbox import Outbox
from desk_app.store.store import Store
from tests.conftest import FakeClock

DATA = Path(__file__).parents[1] / "data" / "golden"
GOLDEN = DATA / "dossier_received.json"
PAYLOAD_HASH = "e1410a6860a51265f16585d6dcf3e41e3fcb9da51702408fed942c69c9fe890e"
VN = dt.timezone(dt.timedelta(hours=7))


def fixed_uuids():
    counter = itertools.count(1)
    return lambda: f"00000000-0000-4000-8000-{next(counter):012d}"


def test_a_fixed_receptions_event_is_byte_for_byte_the_golden_file(tmp_path):
    store = Store.open(tmp_path / "desk.sqlite3")
    # The identity the migration made at random, fixed for the file (nothing recorded yet).
    store.db.execute("UPDATE desk_identity SET desk_uuid = '00000000-0000-4000-8000-0000000000d1'")
    store.db.execute("UPDATE sync_epochs SET epoch = '00000000-0000-4000-8000-0000000000e1'")
    clock = FakeClock(dt.datetime(2026, 11, 23, 9, 40, 12, tzinfo=VN))
    desk = Desk(store, clock=clock, device_clock=clock, actor="Lê Thị Thu", new_uuid=fixed_uuids())
    desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                    desk_no=1)
    desk.import_catalogue(DATA / "catalogue.json")  # its own: the file must not move with the shipped one
    receive(desk, ReceptionRequest(
        procedure_code="2.000815", name="Đặng Thị Hoà", id_number="001190012345", birth_date=dt.date(1990, 3, 4),
        sex=Sex.FEMALE, phone="0912345678", address="Thôn Đông, xã Tân Phú", pages=3, copies=2,
        received_at=dt.datetime(2026, 11, 23, 9, 15),  # entered a little late: business time ≠ device time
    ))
    [event] = [e for e in Outbox(store).pending() if e.kind == events.Kind.DOSSIER_RECEIVED.value]
    store.close()

    written = events.canonical_json(event.to_dict()) + b"\n"
    assert written == GOLDEN.read_bytes(), written.decode()
    assert event.payload_hash == PAYLOAD_HASH == events.payload_hash(event.payload)
    assert (event.business_time, event.device_time) == ("2026-11-23T09:15:00+07:00", "2026-11-23T09:40:12+07:00")
