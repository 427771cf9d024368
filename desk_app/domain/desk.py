"""Who this desk is: the commune, its authority line, unit code and desk number."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class PaperSize(str, Enum):
    A5 = "A5"
    A4 = "A4"


@dataclass(frozen=True)
class DeskProfile:
    commune: str  # "Xã Tân Phú"
    authority: str  # parent authority line: "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ"
    unit_code: str  # electronic identifier of the receiving unit, e.g. "000.21.33.H49"
    desk_no: int  # 1..10, partitions the daily code range (see domain.codes)
    place: str  # place name in "<place>, ngày … tháng … năm …"
    unit_name: str = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
    paper: PaperSize = PaperSize.A5
    system_name: str = "desk_app - Một cửa cấp xã"  # issuing system named in the QR code
    collect_at: str = ""  # where results are collected; defaults to the unit's counter
