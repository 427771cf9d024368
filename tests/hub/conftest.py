"""Hub fixtures: every contract test runs on SQLite and on a real PostgreSQL that the tests start."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from desk_app.domain import events as ev
from desk_app.sync import protocol as p
from tests.conftest import FakeClock
from tests.postgres import Cluster, PostgresUnavailable

VN = dt.timezone(dt.timedelta(hours=7))
UNIT = "000.21.33.H49"
OTHER_UNIT = "000.22.01.H49"


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = None
    try:
        cluster = Cluster()
        cluster.start()
    except (PostgresUnavailable, OSError) as exc:
        # Never a skip: a hub that was not tested on PostgreSQL must not pass as tested.
        pytest.fail(f"PostgreSQL could not start for the hub contract tests: {exc}", pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.sqlite3'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = cluster.create_database()
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture
def hub_clock():
    return FakeClock(dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.timezone.utc))


@pytest.fixture
def hub(hub_url, hub_clock):
    from desk_app.hub.service import Hub

    h = Hub.open(hub_url, clock=hub_clock)
    yield h
    h.close()


class SimDesk:
    """A desk as far as the wire is concerned: identity, key, epoch, and an outbox counter."""

    def __init__(self, unit_code: str = UNIT, desk_no: int = 1, epoch: str = "epoch-1") -> None:
        self.unit_code = unit_code
        self.desk_no = desk_no
        self.desk_uuid = str(uuid.uuid4())
        self.key = p.SigningKey.generate()
        self.epoch = epoch
        self.seq = 0
        self.codes = 0
        self.at = dt.datetime(2026, 11, 27, 9, 0, tzinfo=VN)

    def enroll_on(self, hub) -> p.Enrollment:
        issued = hub.issue_code(self.unit_code, self.desk_no)
        return hub.enroll(code=issued.code, desk_uuid=self.desk_uuid, public_key=self.key.public_text,
                          facts={"unit_code": self.unit_code, "desk_no": self.desk_no})

    def event(self, kind: ev.Kind, entity_id: str, payload: dict, *, unit_code: str | None = None,
              seq: int | None = None) -> ev.Event:
        if seq is None:
            self.seq += 1
            seq = self.seq
        return ev.make_event(
            event_uuid=str(uuid.uuid4()), desk_uuid=self.desk_uuid, epoch=self.epoch, seq=seq,
            unit_code=unit_code or self.unit_code, kind=kind, entity_id=entity_id, business_time=self.at,
            device_time=self.at, payload=payload)

    def received(self, *, unit_code: str | None = None, dossier_uuid: str | None = None,
                 due_in: dt.timedelta = dt.timedelta(days=3)) -> ev.Event:
        self.codes += 1
        duuid = dossier_uuid or str(uuid.uuid4())
        payload = {"uuid": duuid, "code": f"{self.unit_code}-261127-{(self.desk_no - 1) * 1000 + self.codes:04d}",
                   "procedure_code": "2.000815", "procedure_name": "Chứng thực bản sao", "status": "received",
                   "received_at": self.at.isoformat(), "due_at": (self.at + due_in).isoformat(),
                   "finished_at": None, "applicant": {"name": "Đặng Thị Hoà"}}
        return self.event(ev.Kind.DOSSIER_RECEIVED, duuid, payload, unit_code=unit_code)

    def status_changed(self, received: ev.Event, to: str, at: dt.datetime | None = None) -> ev.Event:
        from desk_app.domain.dossier import Status

        payload = ev.dossier_status_changed(uuid=received.entity_id, code=received.payload["code"],
                                            before=Status(received.payload["status"]), after=Status(to),
                                            at=at or self.at)
        return self.event(ev.Kind.DOSSIER_STATUS_CHANGED, received.entity_id, payload)

    def batch(self, events: list[ev.Event], key: p.SigningKey | None = None) -> p.Envelope:
        return p.build_batch(sorted(events, key=lambda e: e.seq), key or self.key, created_at=self.at)


@pytest.fixture
def make_desk():
    return SimDesk


@pytest.fixture
def app(hub_url, hub_clock):
    from fastapi.testclient import TestClient

    from desk_app.hub.app import create_app

    with TestClient(create_app(hub_url, clock=hub_clock)) as tc:
        yield tc


@pytest.fixture
def api_hub(app):
    """The Hub behind ``app``, for what an administrator does on the command line."""
    return app.app.state.hub


@pytest.fixture
def client(app):
    from desk_app.sync.client import HubClient

    return HubClient("http://testserver", http=app)


def enroll_via(client, hub, desk: SimDesk) -> p.Enrollment:
    issued = hub.issue_code(desk.unit_code, desk.desk_no)
    return client.enroll(issued.code, desk_uuid=desk.desk_uuid, public_key=desk.key.public_text,
                         facts={"unit_code": desk.unit_code})


def statuses(result) -> list[str]:
    return [a.status.value for a in result.answers]


def table_counts(hub) -> dict[str, int]:
    from desk_app.hub.storage import records

    return hub.db.run(lambda tx: {t: records.count(tx, t) for t in
                                  ("events", "dossiers", "held_events", "rejections", "change_log")}, write=False)
