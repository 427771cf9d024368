"""A throwaway demo commune, "Xã Tân Phú (DEMO)", filled with realistic dossiers by the real rules.

Every dossier goes through ``reception.receive`` with a simulated clock, so codes, ledger
numbers, appointments and fees follow the same rules as at a real counter; later status
changes are replayed in time order through the store's ``set_status`` (row, outbox event
and audit entry together).
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import logging
import random
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from desk_app.domain.catalogue import FeeKind
from desk_app.domain.dossier import Channel, ReturnMethod, Sex, Status
from desk_app.domain.text import fold
from desk_app.domain.validation import ID_PROVINCE_CODES
from desk_app.services.desk import Desk
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.lifecycle import set_status
from desk_app.store.store import Store

log = logging.getLogger(__name__)

DEMO_COMMUNE = "Xã Tân Phú (DEMO)"
DEMO_AUTHORITY = "Ủy ban nhân dân xã Tân Phú"
DEMO_UNIT_CODE = "000.00.00.DEMO"
DEMO_DESK_NO = 1
DEMO_ZONE = dt.timezone(dt.timedelta(hours=7))
# Most residents had their birth registered in the commune's own province (code 087, Đồng Tháp).
HOME_PROVINCE = "087"

# Family names with their rough share of the population (Nguyễn alone is about four in ten).
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4.5),
    ("Phan", 4.5), ("Vũ", 4), ("Võ", 4), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5),
)
# Repeats weight the choice: Văn and Thị are still the most common middle names.
MALE_MIDDLE = ("Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Công", "Thành", "Xuân", "Đình", "Quang")
FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng", "Mỹ", "Bảo", "Phương", "Minh")
MALE_GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khang", "Khoa", "Long", "Minh", "Nam",
    "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Tuấn", "Việt", "Vinh", "Trung", "Hiếu",
    "Lộc", "Toàn", "Tâm", "Nghĩa", "Duy", "Đông", "Bảo",
)
FEMALE_GIVEN = (
    "Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hoà", "Hương", "Lan", "Linh",
    "Loan", "Mai", "My", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thu", "Thuỷ",
    "Trang", "Tuyết", "Uyên", "Vân", "Yến", "Diệp", "Đào",
)
HAMLETS = (
    "Ấp Tân Hoà", "Ấp Tân Lợi", "Ấp Phú Thạnh", "Ấp Phú Hưng", "Ấp Mỹ Đông", "Ấp Bình Trung",
    "Thôn Đông", "Thôn Tây", "Thôn Trung", "Xóm Mới", "Xóm Chùa", "Xóm Bến Đò",
)
MOBILE_PREFIXES = (
    "032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070", "076", "077", "078",
    "079", "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096",
    "097", "098",
)
# How often each procedure comes to a commune counter: certification, birth and residence lead.
PROCEDURE_WEIGHTS: dict[str, float] = {
    "2.000815": 30, "2.000884": 10, "XA.CT.01": 4, "1.001193": 9, "1.000656": 3, "1.000894": 3,
    "1.004873": 5, "2.000635": 5, "1.004222": 5, "1.004194": 6, "1.002755": 2, "1.010038": 1.5,
    "1.004859": 1.5, "1.001776": 1.5, "1.014027": 1, "1.001612": 1, "1.004884": 0.7, "1.004837": 0.3,
    "1.001022": 0.4, "2.000806": 0.2, "2.000908": 1, "XA.HT.02": 0.5, "1.011607": 0.5, "XA.CT.02": 0.3,
}
# Amounts the (invented) provincial council set for the procedures whose fee is local.
LOCAL_FEES: dict[str, int] = {
    "1.001022": 15_000, "1.004859": 15_000, "XA.HT.02": 8_000, "1.004873": 15_000, "1.004884": 8_000,
    "1.004746": 30_000, "2.000806": 1_000_000, "1.001612": 100_000,
}


@dataclass(frozen=True)
class DemoPerson:
    name: str
    sex: Sex
    birth_date: dt.date
    id_number: str
    phone: str
    address: str


def make_id_number(rng: random.Random, birth_date: dt.date, sex: Sex) -> str:
    """A well-formed 12-digit ID: province of birth registration, century-and-sex, year, 6 digits."""
    province = HOME_PROVINCE if rng.random() < 0.8 else rng.choice(sorted(ID_PROVINCE_CODES))
    century = (birth_date.year - 1900) // 100  # 0 for the 1900s, 1 for the 2000s
    gene = 2 * century + (0 if sex is Sex.MALE else 1)
    return f"{province}{gene}{birth_date.year % 100:02d}{rng.randrange(1_000_000):06d}"


def make_name(rng: random.Random, sex: Sex) -> str:
    family = rng.choices([n for n, _ in FAMILY_NAMES], weights=[w for _, w in FAMILY_NAMES])[0]
    if sex is Sex.MALE:
        return f"{family} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}"
    return f"{family} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}"


def make_person(rng: random.Random, today: dt.date) -> DemoPerson:
    """An adult resident of the demo commune (ages cluster around 35-45, as at a counter)."""
    sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
    age = rng.triangular(18, 85, 38)
    birth_date = today - dt.timedelta(days=int(age * 365.25))
    hamlet = rng.choice(HAMLETS)
    return DemoPerson(
        name=make_name(rng, sex),
        sex=sex,
        birth_date=birth_date,
        id_number=make_id_number(rng, birth_date, sex),
        phone=rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10_000_000):07d}",
        address=f"Số {rng.randint(1, 250)}, {hamlet[0].lower()}{hamlet[1:]}, xã Tân Phú",
    )


class _SimClock:
    """The desk's clock during the replay: whatever moment is being simulated."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def create_demo_database(
    path: Path, *, dossiers: int = 2500, seed: int = 7, today: dt.date | None = None
) -> Path:
    """Build a new demo desk database at ``path`` and return it.

    Refuses an existing file, so a wrong path can never overwrite a real database. Dossiers
    spread over the ~6 months before ``today`` (default: the local date now); with ``today``
    given, the simulated day stops at 10:30 so the result does not depend on the wall clock.
    """
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"refusing to overwrite {path}: the demo needs a new file")
    if today is None:
        now = dt.datetime.now(DEMO_ZONE).replace(microsecond=0)
    else:
        now = dt.datetime.combine(today, dt.time(10, 30), DEMO_ZONE)
    start_day = now.date() - dt.timedelta(days=182)
    clock = _SimClock(dt.datetime.combine(start_day, dt.time(7, 0), DEMO_ZONE))
    store = Store.open(path)
    # A throwaway file: durability per commit buys nothing here; the app reopens it with FULL.
    store.db.execute("PRAGMA synchronous=OFF")
    try:
        desk = Desk(store, clock=clock, actor="demo")
        desk.initialise(
            commune=DEMO_COMMUNE, authority=DEMO_AUTHORITY, unit_code=DEMO_UNIT_CODE,
            desk_no=DEMO_DESK_NO, place="Tân Phú",
        )
        _Replay(desk, clock, random.Random(seed), now).run(start_day, dossiers)
    finally:
        store.close()
    log.info("demo database with %d dossiers at %s", dossiers, path)
    return path


class _StatusChange(NamedTuple):
    """A later status change of a demo dossier, waiting in the replay's event queue."""

    dossier_id: int
    status: Status
    note: str


class _Replay:
    """Receptions and later status changes of the demo commune, replayed in time order."""

    def __init__(self, desk: Desk, clock: _SimClock, rng: random.Random, now: dt.datetime) -> None:
        self.desk, self.clock, self.rng, self.now = desk, clock, rng, now
        self.calendar = desk.calendar()
        self.procedures = {p.code: p for p in desk.procedures(on=now.date())}
        self.codes = [c for c in PROCEDURE_WEIGHTS if c in self.procedures]
        self.weights = [PROCEDURE_WEIGHTS[c] for c in self.codes]
        self.recorder = desk.recorder
        self.events: list[tuple[dt.datetime, int, _StatusChange | None]] = []  # None: a reception
        self.counter = itertools.count()

    def run(self, start_day: dt.date, count: int) -> None:
        for moment in self._receipt_moments(start_day, count):
            self._push(moment, None)
        while self.events:
            day = self.events[0][0].date()
            # One transaction per simulated day: a commit (an fsync under synchronous=FULL) per
            # dossier would make the demo slow to start.
            with self.desk.store.transaction():
                while self.events and self.events[0][0].date() == day:
                    at, _, change = heapq.heappop(self.events)
                    self.clock.now = at
                    if change is None:
                        self._receive(at)
                    else:
                        set_status(self.recorder, change.dossier_id, change.status, at=at, note=change.note)

    def _push(self, at: dt.datetime, change: _StatusChange | None) -> None:
        if at <= self.now:  # what would happen after "now" has not happened yet
            heapq.heappush(self.events, (at, next(self.counter), change))

    def _receipt_moments(self, start_day: dt.date, count: int) -> list[dt.datetime]:
        days = [start_day + dt.timedelta(days=i) for i in range((self.now.date() - start_day).days + 1)]
        working = [d for d in days if self.calendar.is_working_day(d)]
        moments = []
        for _ in range(count):
            if self.rng.random() < 0.1:  # online filings arrive at any hour, any day
                day = self.rng.choice(days)
                moment = dt.datetime.combine(day, dt.time(6), DEMO_ZONE) + dt.timedelta(
                    minutes=self.rng.randrange(17 * 60))
            else:
                moment = self._office_moment(self.rng.choice(working))
            moments.append(min(moment, self.now - dt.timedelta(minutes=self.rng.randrange(1, 180))))
        return moments

    def _office_moment(self, day: dt.date, after: dt.datetime | None = None) -> dt.datetime:
        """A random time inside the day's office sessions (after ``after`` when it is that day)."""
        session = self.rng.choices(self.calendar.settings.sessions, weights=(4.5, 3.5))[0]
        start = dt.datetime.combine(day, session.start, DEMO_ZONE)
        end = dt.datetime.combine(day, session.end, DEMO_ZONE)
        if after is not None and after > start:
            start = min(after, end)
        return start + dt.timedelta(seconds=self.rng.randrange(max(1, int((end - start).total_seconds()))))

    def _working_day(self, day: dt.date, step: int) -> dt.date:
        """``step`` working days after (or, negative, before) ``day``."""
        for _ in range(abs(step)):
            day += dt.timedelta(days=1 if step > 0 else -1)
            while not self.calendar.is_working_day(day):
                day += dt.timedelta(days=1 if step > 0 else -1)
        return day

    def _receive(self, at: dt.datetime) -> None:
        rng = self.rng
        code = rng.choices(self.codes, weights=self.weights)[0]
        procedure = self.procedures[code]
        person = make_person(rng, at.date())
        channel = rng.choices([Channel.DIRECT, Channel.ONLINE, Channel.POSTAL], weights=(85, 12, 3))[0]
        if not self.calendar.is_working_day(at.date()) or at.hour < 7 or at.hour >= 17:
            channel = Channel.ONLINE  # only the portal takes dossiers outside office hours
        certified_copy = code == "2.000815"
        request = ReceptionRequest(
            procedure_code=code,
            name=person.name,
            id_number=person.id_number if rng.random() < 0.95 else None,
            birth_date=person.birth_date,
            sex=person.sex,
            phone=person.phone if rng.random() < 0.9 else None,
            address=person.address,
            email=f"{fold(person.name).replace(' ', '')}{rng.randrange(100)}@gmail.com"
            if rng.random() < 0.05 else None,
            channel=channel,
            received_at=at,
            pages=rng.randint(1, 6) if certified_copy else 1,
            copies=rng.randint(1, 5) if certified_copy else 1,
            fee_vnd=LOCAL_FEES.get(code, 20_000) if any(r.kind is FeeKind.LOCAL for r in procedure.fees) else None,
            due_at=None if procedure.time is not None else at + dt.timedelta(days=10),
            return_method={Channel.ONLINE: ReturnMethod.ONLINE, Channel.POSTAL: ReturnMethod.POST}.get(
                channel, ReturnMethod.DESK),
        )
        reception = receive(self.desk, request)
        self._plan(reception.dossier_id, at, reception.dossier.due_at, procedure.same_day)

    def _plan(self, dossier_id: int, received: dt.datetime, due: dt.datetime, same_day: bool) -> None:
        """Schedule what happens to a dossier after reception; only the past gets replayed."""
        rng = self.rng

        def step(at: dt.datetime, status: Status, note: str = "") -> None:
            self._push(at, _StatusChange(dossier_id, status, note))

        # Paper dossiers go to the deciding officer the same working day; after 15:00, the next.
        if received.hour >= 15 or not self.calendar.is_working_day(received.date()):
            forward = self._office_moment(self._working_day(received.date(), 1))
        else:
            forward = received + dt.timedelta(minutes=rng.randint(10, 120))
        fate = rng.random()
        if fate < 0.03:
            step(forward, Status.REFUSED, "Hồ sơ không đủ điều kiện giải quyết theo quy định")
            return
        if fate < 0.05:
            step(received + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6)), Status.WITHDRAWN,
                 "Công dân xin rút hồ sơ")
            return
        if fate < 0.10:
            asked = received + dt.timedelta(hours=rng.randint(2, 30))
            step(asked, Status.SUPPLEMENT_REQUESTED, "Thiếu giấy tờ, đã hướng dẫn bổ sung một lần")
            if rng.random() < 0.7:  # most never came back with the missing papers
                step(asked + dt.timedelta(days=rng.randint(15, 30)), Status.WITHDRAWN,
                     "Quá hạn bổ sung, trả lại hồ sơ")
            return
        step(forward, Status.IN_PROCESS)
        if fate < 0.11:
            step(forward + dt.timedelta(days=rng.randint(1, 4)), Status.STOPPED,
                 "Dừng giải quyết theo văn bản của cơ quan có thẩm quyền")
            return
        if fate < 0.13:
            return  # stuck with the deciding officer: overdue once its appointment passes
        finished = self._finish_time(forward, due, same_day)
        step(finished, Status.RESULT_READY)
        collect = rng.random()
        if same_day or collect < 0.6:
            step(finished + dt.timedelta(minutes=rng.randint(5, 120)), Status.RETURNED)
        elif collect < 0.95:
            step(self._office_moment(self._working_day(finished.date(), rng.randint(1, 7))), Status.RETURNED)

    def _finish_time(self, forward: dt.datetime, due: dt.datetime, same_day: bool) -> dt.datetime:
        """Mostly early, often on the day, sometimes late (roughly the national index's picture)."""
        rng = self.rng
        verdict = rng.random()
        if verdict < 0.08:  # late: one to five working days after the appointment
            return self._office_moment(self._working_day(due.date(), rng.randint(1, 5)))
        if same_day or verdict < 0.35:  # on the day of the appointment, before its time
            earliest = max(forward, dt.datetime.combine(due.date(), dt.time(7, 0), DEMO_ZONE))
            return earliest + (due - earliest) * rng.random() if due > earliest else forward
        day = self._working_day(due.date(), -rng.randint(1, 3))
        if day <= forward.date():
            return forward + dt.timedelta(minutes=rng.randint(30, 240))
        return self._office_moment(day)
