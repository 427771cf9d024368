"""What a catalogue import added, changed and removed, for people (Vietnamese) and for scripts (JSON)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk_app.domain.catalogue_changes import FIELD_LABELS, CatalogueChanges, ProcedureChange


def changes_json(changes: CatalogueChanges, *, dry_run: bool) -> dict[str, Any]:
    def items(entries: tuple[ProcedureChange, ...]) -> list[dict[str, Any]]:
        return [{"code": c.code, "name": c.name} for c in entries]

    return {
        "version": changes.version,
        "replace": changes.replace,
        "dry_run": dry_run,
        "added": items(changes.added),
        "changed": [{"code": c.code, "name": c.name, "fields": list(c.fields)} for c in changes.changed],
        "restored": items(changes.restored),
        "removed": [{"code": c.code, "name": c.name, "retired": c in changes.retired} for c in changes.removed],
        "kept": items(changes.kept),
        "unchanged": changes.unchanged,
    }


def changes_text(changes: CatalogueChanges, *, dry_run: bool) -> str:
    lines = [
        ("CHẠY THỬ, chưa ghi gì. Nếu nhập danh mục " if dry_run else "Đã nhập danh mục ") + f"{changes.version}:"
    ]

    def section(title: str, entries: tuple[ProcedureChange, ...],
                note: Callable[[ProcedureChange], str] = lambda c: "") -> None:
        lines.append(f"- {title}: {len(entries)}")
        lines.extend(f"    {c.code}  {c.name}{note(c)}" for c in entries)

    section("Thêm", changes.added)
    section("Sửa", changes.changed, lambda c: " (" + ", ".join(FIELD_LABELS[f] for f in c.fields) + ")")
    if changes.restored:
        section("Dùng lại (trước đã ngừng áp dụng)", changes.restored)
    if changes.replace:
        section("Bỏ khỏi danh mục", changes.removed,
                lambda c: " (giữ lại, ngừng áp dụng: có hồ sơ dùng thủ tục này)" if c in changes.retired
                else " (xóa)")
    elif changes.kept:
        section("Không có trong tệp, vẫn giữ (muốn bỏ thì nhập lại với --replace)", changes.kept)
    lines.append(f"- Không đổi: {changes.unchanged}")
    return "\n".join(lines)
