"""A form of read-only values: a caption and a selectable, wrapping label per field."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel


def value_form(fields: Iterable[tuple[str, str]], prefix: str) -> tuple[QFormLayout, dict[str, QLabel]]:
    """One row per (key, caption); each label is named ``<prefix>_<key>`` (tests find it) and
    starts as "—"."""
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
    values: dict[str, QLabel] = {}
    for key, caption in fields:
        value = QLabel("—")
        value.setObjectName(f"{prefix}_{key}")
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        values[key] = value
        form.addRow(caption + ":", value)
    return form, values
