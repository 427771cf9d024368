"""Test-wide setup: Qt runs offscreen so the suite needs no display."""

import os

# Without a platform plugin that needs no display, Qt aborts the interpreter (exit 134).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402

import pytest  # noqa: E402

VN = dt.timezone(dt.timedelta(hours=7))

# Property tests (hypothesis): few examples in CI, many on request (HYPOTHESIS_PROFILE=long).
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


class FakeClock:
    """A settable clock in the desk's offset, so tests never depend on today's date."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    """No test may touch the real user data directory (database, logs, receipts)."""
    monkeypatch.setenv("DESK_APP_HOME", str(tmp_path_factory.mktemp("desk-home")))


@pytest.fixture
def clock():
    return FakeClock(dt.datetime(2026, 11, 23, 9, 15, tzinfo=VN))


@pytest.fixture
def store(tmp_path):
    from desk_app.store.store import Store

    s = Store.open(tmp_path / "desk.sqlite3")
    yield s
    s.close()


@pytest.fixture
def desk(store, clock):
    from desk_app.services.desk import Desk

    d = Desk(store, clock=clock, actor="tester", device_clock=clock)
    d.initialise(
        commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49", desk_no=1
    )
    return d
