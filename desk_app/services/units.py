"""The 2025 administrative units (34 provinces, 3,321 communes) for the address picker."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from desk_app.domain.text import fold, nfc
from desk_app.paths import resources_dir

UNITS_FILE = Path("units") / "units-2025.csv"


@dataclass(frozen=True)
class Commune:
    province_code: str
    province_name: str
    code: str
    name: str
    search_key: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "search_key", fold(self.label))

    @property
    def label(self) -> str:
        """How an address ends: "Xã Tân Phú, Tỉnh Đồng Nai"."""
        return f"{self.name}, {self.province_name}"

    def matches(self, query: str) -> bool:
        """Every folded word of ``query`` occurs in the commune or province name."""
        return all(word in self.search_key for word in fold(query).split())


def parse_units(text: str) -> list[Commune]:
    """Read the units CSV (province_code,province_name,commune_code,commune_name)."""
    reader = csv.DictReader(io.StringIO(text))
    expected = {"province_code", "province_name", "commune_code", "commune_name"}
    if not reader.fieldnames or not expected <= set(reader.fieldnames):
        raise ValueError(f"units file needs the columns {sorted(expected)}")
    return [
        Commune(nfc(row["province_code"]), nfc(row["province_name"]), nfc(row["commune_code"]), nfc(row["commune_name"]))
        for row in reader
    ]


def load_units(path: Path | None = None) -> list[Commune]:
    """The shipped list (resources/units/units-2025.csv) or the file at ``path``."""
    source = path or resources_dir() / UNITS_FILE
    return parse_units(source.read_text(encoding="utf-8"))


def search_units(units: list[Commune], query: str, *, limit: int = 20) -> list[Commune]:
    """Communes matching ``query`` without diacritics ("tan phu dong nai"); names starting with it first."""
    folded = fold(query)
    if not folded:
        return []
    words = folded.split()
    found = [u for u in units if u.matches(folded)]

    def rank(unit: Commune) -> tuple[int, int, int, str]:
        # The query as a phrase in the commune's own name first ("tan phu": Xã Tân Phú before
        # Xã Tân Lạc of Phú Thọ), then whole words before parts of words (Tân Phước), then the
        # shorter, more exact label (Tân Phú before Tân Phú Đông).
        phrase = f" {folded}" in f" {fold(unit.name)}"  # starts at a word of the name
        whole = set(unit.search_key.replace(",", " ").split())
        partial = sum(word not in whole for word in words)
        return (int(not phrase), partial, len(unit.search_key), unit.search_key)

    found.sort(key=rank)
    return found[:limit]
