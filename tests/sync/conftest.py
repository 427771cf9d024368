"""Desk-side sync fixtures: a hub in process (FastAPI's TestClient) and desks enrolled with it."""

from __future__ import annotations

import pytest

from desk_app.services.desk import Desk
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.services.sync import enroll
from desk_app.store.store import Store
from desk_app.sync.client import HubClient

UNIT = "000.21.33.H49"
HUB_URL = "http://testserver"


class InProcessHub:
    """The real hub application over a temporary SQLite file, reached through TestClient."""

    def __init__(self, url: str, clock) -> None:
        from fastapi.testclient import TestClient

        from desk_app.hub.app import create_app

        self.url = url
        self.test_client = TestClient(create_app(url, clock=clock))
        self.test_client.__enter__()
        self.hub = self.test_client.app.state.hub
        self.down = False

    def connect(self, hub_url: str) -> HubClient:
        """What ``sync_now(connect=…)`` calls; while ``down``, the client meets a dead port."""
        if self.down:
            return HubClient("http://127.0.0.1:9", timeout=0.5)
        return HubClient(hub_url, http=self.test_client)

    def code(self, desk_no: int = 1, unit: str = UNIT) -> str:
        return self.hub.issue_code(unit, desk_no).code

    def close(self) -> None:
        self.test_client.__exit__(None, None, None)


@pytest.fixture
def hub(tmp_path, clock):
    h = InProcessHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}", clock)
    yield h
    h.close()


def make_desk(path, clock, desk_no: int = 1, unit: str = UNIT) -> Desk:
    desk = Desk(Store.open(path), clock=clock, actor="tester", device_clock=clock)
    desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code=unit, desk_no=desk_no)
    return desk


@pytest.fixture
def enrolled(desk, hub):
    enroll(desk, HUB_URL, hub.code(), connect=hub.connect)
    return desk


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
GIVEN = ["An", "Bình", "Cúc", "Dũng", "Giang", "Hà", "Hải", "Hoà", "Khánh", "Lan", "Minh", "Ngọc", "Phúc", "Thảo"]


def person(i: int) -> str:
    """A different Vietnamese name for each i (names may not hold digits)."""
    return f"{FAMILY[i % len(FAMILY)]} Văn {GIVEN[(i // len(FAMILY)) % len(GIVEN)]}"


def register(desk: Desk, name: str | int = "Đặng Thị Hoà", procedure: str = "1.004837"):
    text = person(name) if isinstance(name, int) else name
    return receive(desk, ReceptionRequest(procedure_code=procedure, name=text)).dossier
