"""One way to record a change: its rows, its outbox event and its audit entry, in one transaction.

Every state change of the desk (reception, each lifecycle step, guidance, catalogue, calendar
and settings) goes through ``Recorder.change``::

    with recorder.change(business_time=moment) as change:
        ...write the rows...
        change.event(Kind.DOSSIER_STATUS_CHANGED, dossier_uuid, events.dossier_status_changed(...))
        change.audit("dossier.set_status", "dossier", code, {...})

The block commits only with exactly one event and one audit entry; anything missing, or any
error, rolls the rows back with them. Actions that change nothing (viewing, printing, backing
up) keep only their audit entry (``store.audit.add``), with no event.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from desk_app.domain.events import Event, Kind
from desk_app.store.store import Store

Clock = Callable[[], dt.datetime]


class IncompleteChange(RuntimeError):
    """A change without its event or audit entry, or with two: a programming error, rolled back."""


class Change:
    """The change being recorded inside ``Recorder.change``: say what happened, once each."""

    def __init__(self, recorder: Recorder, business_time: dt.datetime) -> None:
        self._recorder = recorder
        self.business_time = business_time
        self.recorded: Event | None = None
        self._audited = False

    def event(self, kind: Kind, entity_id: str, payload: dict[str, Any]) -> Event:
        """Write the change's outbox event (device time: the wall clock, now)."""
        if self.recorded is not None:
            raise IncompleteChange("a change has one event; record two changes instead")
        r = self._recorder
        self.recorded = r.outbox.append(
            event_uuid=r.new_uuid(), unit_code=r.unit_code(), kind=kind, entity_id=entity_id, payload=payload,
            business_time=self.business_time, device_time=r.device_clock(),
        )
        return self.recorded

    def audit(self, action: str, entity: str, entity_id: str, detail: dict[str, Any]) -> None:
        """Write the change's audit entry, at the device time of its event.

        The audit says when the officer acted; a back-dated business time is kept beside it.
        """
        if self.recorded is None:
            raise IncompleteChange("write the event before the audit entry")
        if self._audited:
            raise IncompleteChange("a change has one audit entry")
        at = dt.datetime.fromisoformat(self.recorded.device_time)
        if dt.datetime.fromisoformat(self.recorded.business_time) != at:
            detail = {**detail, "business_time": self.recorded.business_time}
        self._recorder.store.audit.add(
            actor=self._recorder.actor, action=action, entity=entity, entity_id=entity_id, detail=detail, at=at,
            actor_name=self._recorder.actor_name,
        )
        self._audited = True

    def _check_complete(self) -> None:
        if self.recorded is None or not self._audited:
            raise IncompleteChange("a change must write its outbox event and its audit entry")


class Recorder:
    """Records the changes of one desk: who (``actor``, the login, and ``actor_name``, the full
    name), which commune (``unit_code``), which clock.

    ``device_clock`` is the real wall clock (injectable for tests); the business time is given
    per change (the officer's ``--at``, or the desk's clock). ``new_uuid`` names events.
    """

    def __init__(
        self, store: Store, *, unit_code: Callable[[], str], device_clock: Clock, actor: str,
        new_uuid: Callable[[], str] = lambda: str(uuid.uuid4()), actor_name: str = "",
    ) -> None:
        self.store = store
        self.outbox = store.outbox
        self.unit_code = unit_code
        self.device_clock = device_clock
        self.actor = actor
        self.actor_name = actor_name
        self.new_uuid = new_uuid

    @contextlib.contextmanager
    def change(self, *, business_time: dt.datetime) -> Iterator[Change]:
        """One transaction (nested in the caller's, if any) for the rows, the event and the audit."""
        with self.store.transaction():
            change = Change(self, business_time)
            yield change
            change._check_complete()
