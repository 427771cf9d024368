"""Regenerate units-2025.csv from the PyPI package ``vietnam-provinces`` (GPL-3.0-or-later).

The desk reads the CSV at run time and does not depend on the package. To refresh the list
(e.g. after a new administrative-unit decision), in a virtualenv:

    pip install "vietnam-provinces>=2025.10"
    python resources/units/build_units.py
    pip uninstall -y vietnam-provinces

and update SOURCES.md with the package version and its data date. The output is sorted by
province code, then commune code, so a regeneration shows a clean diff.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "units-2025.csv"


def _full_name(province) -> str:  # type: ignore[no-untyped-def]
    """"Tỉnh An Giang" rather than "An Giang", as communes already carry "Xã"/"Phường"/"Đặc khu"."""
    name = province.name
    if province.division_type.value == "tỉnh" and not name.startswith("Tỉnh "):
        name = "Tỉnh " + name
    return name


def main() -> None:
    import vietnam_provinces
    from vietnam_provinces import Province, Ward

    provinces = {int(p.code): p for p in Province.iter_all()}
    wards = sorted(Ward.iter_all(), key=lambda w: (int(w.province_code), int(w.code)))
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["province_code", "province_name", "commune_code", "commune_name"])
        for ward in wards:
            province = provinces[int(ward.province_code)]
            writer.writerow([
                f"{int(province.code):02d}",
                unicodedata.normalize("NFC", _full_name(province)),
                f"{int(ward.code):05d}",
                unicodedata.normalize("NFC", ward.name),
            ])
    print(
        f"{OUTPUT.name}: {len(provinces)} provinces, {len(wards)} communes "
        f"(vietnam-provinces {vietnam_provinces.__version__}, data of {vietnam_provinces.__data_version__})"
    )


if __name__ == "__main__":
    main()
