"""What importing a catalogue changes: added, changed, restored and removed procedures, by code.

An import adds and updates by code and never drops a procedure silently. Only a replacing import
removes the procedures the file lacks, and a procedure that dossiers refer to is then retired
(kept, hidden from reception, still on its dossiers' papers) rather than deleted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields

from desk_app.domain.catalogue import Catalogue, Procedure

# Vietnamese names of the parts of a procedure, for "what changed" in the import report.
FIELD_LABELS = {
    "name": "tên",
    "field": "lĩnh vực",
    "time": "thời hạn",
    "same_day": "trả trong ngày",
    "fees": "phí, lệ phí",
    "documents": "giấy tờ",
    "legal_basis": "căn cứ pháp lý",
    "effective_from": "ngày hiệu lực",
    "effective_to": "ngày hết hiệu lực",
    "max_extension_days": "số ngày gia hạn",
    "notes": "ghi chú",
}


@dataclass(frozen=True)
class ProcedureChange:
    code: str
    name: str
    fields: tuple[str, ...] = ()  # for a changed procedure: which parts (keys of FIELD_LABELS)


@dataclass(frozen=True)
class CatalogueChanges:
    """The plan of one import, computed before anything is written and reported after."""

    version: str
    replace: bool
    added: tuple[ProcedureChange, ...]
    changed: tuple[ProcedureChange, ...]
    restored: tuple[ProcedureChange, ...]  # retired before, in the catalogue again
    retired: tuple[ProcedureChange, ...]  # removed from the list, kept for the dossiers that refer to them
    deleted: tuple[ProcedureChange, ...]  # removed: no dossier refers to them
    unchanged: int
    kept: tuple[ProcedureChange, ...] = ()  # not in the file but kept, because the import does not replace

    @property
    def removed(self) -> tuple[ProcedureChange, ...]:
        return self.retired + self.deleted


def plan_import(
    current: Mapping[str, Procedure],
    incoming: Catalogue,
    *,
    replace: bool,
    in_use: Collection[str],
) -> CatalogueChanges:
    """Compare the desk's procedures (retired ones included) with an incoming catalogue.

    ``in_use`` holds the codes that dossiers (or guidance slips) refer to.
    """
    added: list[ProcedureChange] = []
    changed: list[ProcedureChange] = []
    restored: list[ProcedureChange] = []
    unchanged = 0
    incoming_codes: set[str] = set()
    for procedure in incoming.procedures:
        incoming_codes.add(procedure.code)
        before = current.get(procedure.code)
        if before is None:
            added.append(ProcedureChange(procedure.code, procedure.name))
        elif before.retired:
            restored.append(ProcedureChange(procedure.code, procedure.name, _differences(before, procedure)))
        elif before != procedure:
            changed.append(ProcedureChange(procedure.code, procedure.name, _differences(before, procedure)))
        else:
            unchanged += 1
    retired: list[ProcedureChange] = []
    deleted: list[ProcedureChange] = []
    kept: list[ProcedureChange] = []
    for code in sorted(set(current) - incoming_codes):
        before = current[code]
        if before.retired:
            continue  # retired by an earlier import: stays as it is
        target = kept if not replace else retired if code in in_use else deleted
        target.append(ProcedureChange(code, before.name))
    return CatalogueChanges(
        version=incoming.version,
        replace=replace,
        added=tuple(added),
        changed=tuple(changed),
        restored=tuple(restored),
        retired=tuple(retired),
        deleted=tuple(deleted),
        unchanged=unchanged,
        kept=tuple(kept),
    )


def _differences(before: Procedure, after: Procedure) -> tuple[str, ...]:
    return tuple(
        f.name for f in fields(Procedure)
        if f.compare and f.name in FIELD_LABELS and getattr(before, f.name) != getattr(after, f.name)
    )
