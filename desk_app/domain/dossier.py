"""The dossier (hồ sơ) as the desk records it at reception, and its lifecycle states."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from desk_app.domain.catalogue import DocForm


class Channel(str, Enum):
    DIRECT = "direct"  # 1 trực tiếp
    ONLINE = "online"  # 2 trực tuyến
    POSTAL = "postal"  # 3 bưu chính công ích

    @property
    def label(self) -> str:
        return {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính công ích"}[self.value]


class Status(str, Enum):
    RECEIVED = "received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    IN_PROCESS = "in_process"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still counts against its appointment (not finished, not ended otherwise)."""
        return self in (Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.IN_PROCESS)

    @property
    def is_finished(self) -> bool:
        """Ended with a result: its finishing time decides early / on time / late."""
        return self in FINISHED


# Reaching one of these finishes a dossier (the first time keeps ``finished_at``). The one
# definition: the store, the timeliness rules and the demo all read it from here.
FINISHED = frozenset({Status.RESULT_READY, Status.RETURNED})

STATUS_LABELS = {
    Status.RECEIVED: "Đã tiếp nhận",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung",
    Status.IN_PROCESS: "Đang giải quyết",
    Status.RESULT_READY: "Có kết quả",
    Status.RETURNED: "Đã trả kết quả",
    Status.REFUSED: "Từ chối",
    Status.WITHDRAWN: "Rút hồ sơ",
    Status.STOPPED: "Dừng giải quyết",
}


class Sex(str, Enum):
    MALE = "nam"
    FEMALE = "nu"

    @property
    def label(self) -> str:
        return "Nam" if self is Sex.MALE else "Nữ"


class ReturnMethod(str, Enum):
    DESK = "desk"
    POST = "post"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return {
            "desk": "Tại Bộ phận Một cửa",
            "post": "Qua dịch vụ bưu chính công ích",
            "online": "Trực tuyến",
        }[self.value]


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str | None = None
    birth_date: dt.date | None = None
    sex: Sex | None = None
    phone: str | None = None
    address: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ReceivedDocument:
    name: str
    form: DocForm
    count: int = 1


@dataclass(frozen=True)
class Dossier:
    """A registered dossier. Times are aware datetimes in the desk's local offset."""

    code: str
    procedure_code: str
    procedure_name: str
    applicant: Applicant
    channel: Channel
    received_at: dt.datetime
    due_at: dt.datetime
    due_reason: str
    status: Status
    documents: tuple[ReceivedDocument, ...]
    sets: int
    pages: int
    copies: int
    fee_vnd: int
    fee_detail: str
    statutory_time: str  # e.g. "3 ngày làm việc", as printed
    ledger_year: int
    ledger_no: int
    desk_no: int
    return_method: ReturnMethod = ReturnMethod.DESK
    official_code: str | None = None  # issued later by the provincial system, on sync
    uuid: str = ""
    receiver: str = ""
    finished_at: dt.datetime | None = None  # when the result was ready or handed back, first time
    # Business time of the latest change (reception or lifecycle step): steps are recorded in
    # time order against it. None only for rows read before it existed.
    last_change_at: dt.datetime | None = None
