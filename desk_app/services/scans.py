"""Scans of a dossier's papers: attach (file first, then row + outbox event + audit in one
transaction), list, open or export (audited: personal data), the papers' "digitised" marks, the
check for orphan files, and the settings (watched folder, the rule of indicator 4.2)."""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from desk_app.domain import events
from desk_app.domain.accounts import Permission
from desk_app.domain.errors import DomainError
from desk_app.domain.scans import DEFAULT_RULE, DigitisedRule, MediaType, Scan, digitised_marks, media_type, parse_rule
from desk_app.domain.text import nfc
from desk_app.services.desk import Desk
from desk_app.services.durable_files import write_durably
from desk_app.services.scan_files import ScanFiles
from desk_app.services.scan_keys import scan_files
from desk_app.store import scans as rows

INBOX_KEY = "scan_inbox"  # the folder a scanner saves into (watched by the window)
RULE_KEY = "digitised_rule"  # DigitisedRule of indicator 4.2


def files_of(desk: Desk) -> ScanFiles:
    files = scan_files(desk)
    if files is None:
        raise DomainError("scans_need_file", "Bản quét chỉ lưu được với cơ sở dữ liệu trên đĩa.")
    return files


def page_count(data: bytes, kind: MediaType, name: str = "") -> int:
    """Pages of a PDF (pypdf) or frames of a TIFF (Pillow); a PNG or JPEG is one page. A file that
    does not open is refused: a scan that cannot be shown is no scan."""
    label = f" «{name}»" if name else ""
    try:
        with warnings.catch_warnings():  # a damaged file's warnings: the refusal below says it all
            warnings.simplefilter("ignore")
            return _pages(data, kind)
    except Exception as exc:  # pypdf and Pillow raise many kinds for a damaged file
        raise DomainError("scan_damaged", f"Tệp{label} bị hỏng, không đọc được ({type(exc).__name__}).",
                          field="file") from None


def _pages(data: bytes, kind: MediaType) -> int:
    if kind is MediaType.PDF:
        from pypdf import PdfReader

        return max(1, len(PdfReader(io.BytesIO(data)).pages))
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        frames = int(getattr(image, "n_frames", 1))
        image.verify()
    return max(1, frames)


def tiff_pages_png(data: bytes) -> list[bytes]:
    """Each page of a multi-page TIFF as PNG, for a viewer whose toolkit may lack a TIFF reader
    (the bundle leaves Qt's TIFF plugin out)."""
    from PIL import Image, ImageSequence

    pages = []
    with Image.open(io.BytesIO(data)) as image:
        for frame in ImageSequence.Iterator(image):
            out = io.BytesIO()
            frame.convert("RGB").save(out, "PNG")
            pages.append(out.getvalue())
    return pages


def _key_for_new_scan(desk: Desk, files: ScanFiles) -> bytes:
    """The desk's key; made on the first scan. Never made anew over scans or wrapped copies made
    under another key: that key must come back (an administrator's sign-in), or they are lost."""
    key = files.key()
    if key is not None:
        return key
    if rows.all_hashes(desk.store) or rows.key_wraps(desk.store):
        files.require_key()  # raises KeyMissing with what to do
    return files.create_key()


def _dossier(desk: Desk, code: str) -> tuple[int, str, str, int]:
    """(id, code, uuid, papers) of the dossier, or a refusal."""
    dossier = desk.dossier(code)
    dossier_id = desk.store.dossiers.id_of(dossier.code)
    assert dossier_id is not None
    return dossier_id, dossier.code, dossier.uuid, len(dossier.documents)


def attach(desk: Desk, code: str, paper: int, data: bytes, *, name: str = "") -> Scan:
    """Attach ``data`` (PDF, PNG, JPEG or TIFF) to paper ``paper`` (from 1) of dossier ``code``.

    The encrypted file is written and fsync'd before the transaction that records its row, event
    and audit entry; attaching the same content to the same paper twice is refused."""
    desk.require(Permission.RECEPTION)
    name = nfc(os.path.basename(name))[:200]
    kind = media_type(data, name)
    pages = page_count(data, kind, name)
    dossier_id, code, uuid, papers = _dossier(desk, code)
    if not 1 <= paper <= papers:
        raise DomainError("bad_paper", f"Hồ sơ {code} có {papers} thành phần; số thứ tự giấy tờ phải từ 1 đến "
                          f"{papers}.", field="paper")
    files = files_of(desk)
    sha = files.write(data, _key_for_new_scan(desk, files))  # before the row: see the module's docstring
    now = desk.clock()
    with desk.recorder.change(business_time=now) as change:
        if rows.exists(desk.store, dossier_id, paper, sha):
            raise DomainError("scan_duplicate", f"Bản quét này đã gắn vào giấy tờ số {paper} của hồ sơ {code}.",
                              field="file")
        scan = Scan(code, paper, "", sha, kind, pages, len(data), name, now, desk.login)
        rows.insert(desk.store, dossier_id, scan)
        change.event(events.Kind.SCAN_ATTACHED, uuid, events.scan_attached(scan, dossier_uuid=uuid))
        change.audit("scan.attach", "dossier", code, {"paper": paper, "sha256": sha, "pages": pages,
                                                      "media_type": kind.value})
    return next(s for s in scans_of(desk, code) if s.paper == paper and s.sha256 == sha)


def attach_file(desk: Desk, code: str, paper: int, path: Path) -> Scan:
    try:
        data = path.expanduser().read_bytes()
    except FileNotFoundError:
        raise DomainError("file_not_found", f"Không tìm thấy tệp {path}.", field="file") from None
    except IsADirectoryError:
        raise DomainError("not_a_file", f"{path} là thư mục, không phải tệp.", field="file") from None
    return attach(desk, code, paper, data, name=path.name)


def scans_of(desk: Desk, code: str) -> list[Scan]:
    """The dossier's scans by paper (what was scanned, not the images: no audit)."""
    desk.require(Permission.VIEW)
    dossier_id, _, _, _ = _dossier(desk, code)
    return rows.of_dossier(desk.store, dossier_id)


@dataclass(frozen=True)
class PaperMark:
    position: int
    name: str
    digitised: bool
    scans: int
    pages: int


def paper_marks(desk: Desk, code: str) -> list[PaperMark]:
    """Each paper of the dossier with its "digitised" mark (it has a scan) and its scanned pages."""
    dossier = desk.dossier(code)
    found = scans_of(desk, code)
    marks = digitised_marks(len(dossier.documents), found)
    return [PaperMark(i, doc.name, marks[i], sum(1 for s in found if s.paper == i),
                      sum(s.pages for s in found if s.paper == i))
            for i, doc in enumerate(dossier.documents, start=1)]


def _refuse_purged(scan: Scan) -> None:
    if scan.purged:
        raise DomainError("scan_purged", f"Bản quét giấy tờ số {scan.paper} của hồ sơ {scan.dossier_code} đã được xoá "
                          "theo thời hạn lưu trữ dữ liệu cá nhân.")


def open_scan(desk: Desk, code: str, scan: Scan, *, purpose: str = "view") -> bytes:
    """The plain content of one scan, for a person to see: audited (personal data)."""
    desk.require(Permission.VIEW)
    _refuse_purged(scan)
    plain = files_of(desk).read(scan.sha256)
    with desk.store.transaction():
        desk.audit("scan.view", "dossier", code, {"paper": scan.paper, "sha256": scan.sha256, "purpose": purpose},
                   desk.clock())
    return plain


def export(desk: Desk, code: str, paper: int, out: Path) -> list[Path]:
    """The paper's scans as plain files (0600): ``out`` for one scan, ``out-1``, ``out-2``… for
    several (each with its type's suffix when ``out`` has none). Audited as a view of personal data."""
    desk.require(Permission.VIEW)
    chosen = [s for s in scans_of(desk, code) if s.paper == paper]
    if not chosen:
        raise DomainError("no_scan", f"Giấy tờ số {paper} của hồ sơ {code} chưa có bản quét.", field="paper")
    for scan in chosen:
        _refuse_purged(scan)
    files = files_of(desk)
    plain = [files.read(s.sha256) for s in chosen]  # all decrypted (and checked) before anything is written
    out = out.expanduser()
    written = []
    for i, (scan, data) in enumerate(zip(chosen, plain), start=1):
        target = out if len(chosen) == 1 else out.with_name(f"{out.stem}-{i}{out.suffix}")
        if not target.suffix:
            target = target.with_name(target.name + scan.media_type.suffix)
        write_durably(target, data)
        written.append(target)
    with desk.store.transaction():
        desk.audit("scan.export", "dossier", code, {"paper": paper, "files": [str(p) for p in written],
                                                    "sha256": [s.sha256 for s in chosen]}, desk.clock())
    return written


@dataclass(frozen=True)
class FileCheck:
    orphans: list[Path]  # files (and temp files) no row names; removed unless ``dry_run``
    missing: list[str]  # hashes rows name without a file: restore them from a backup


def check_files(desk: Desk, *, dry_run: bool = False) -> FileCheck:
    """Compare the scans folder with the rows: remove old orphan files, name missing files."""
    files = files_of(desk)
    referenced = rows.all_hashes(desk.store)
    orphans = files.orphans(referenced)
    if not dry_run:
        for path in orphans:
            path.unlink(missing_ok=True)
    missing = sorted(sha for sha in referenced if not files.has(sha))
    return FileCheck(orphans, missing)


# Settings ------------------------------------------------------------------------------------


def inbox(desk: Desk) -> Path | None:
    value = desk.store.settings.get(INBOX_KEY)
    return Path(value) if isinstance(value, str) and value else None


def digitised_rule(desk: Desk) -> DigitisedRule:
    value = desk.store.settings.get(RULE_KEY)
    return parse_rule(value) if value else DEFAULT_RULE


def set_scan_settings(desk: Desk, *, inbox_folder: Path | None = None, rule: str | None = None) -> dict[str, str]:
    """The watched folder and/or the 4.2 rule, through the recorder (settings event and audit)."""
    desk.require(Permission.SETTINGS)
    values: dict[str, str] = {}
    if inbox_folder is not None:
        folder = inbox_folder.expanduser()
        if folder.exists() and not folder.is_dir():
            raise DomainError("not_a_folder", f"{folder} không phải thư mục.", field="folder")
        values[INBOX_KEY] = str(folder.resolve())
    if rule is not None:
        values[RULE_KEY] = parse_rule(rule).value
    if not values:
        return {}
    with desk.recorder.change(business_time=desk.clock()) as change:
        desk.store.settings.put(dict(values))
        change.event(events.Kind.SETTINGS_CHANGED, desk.desk_uuid(), events.settings_changed(values))
        change.audit("desk.set_scan_settings", "desk", "scans", dict(values))
    return values
