"""The desk's use cases that the GUI and the command line both call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app.domain.calendar import CalendarSettings, DueResult, WorkCalendar
from desk_app.domain.catalogue import Catalogue, Procedure
from desk_app.domain.catalogue_io import parse_csv, parse_json
from desk_app.domain.codes import check_desk_no, check_unit_code
from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.dossier import Dossier
from desk_app.domain.errors import DomainError
from desk_app.domain.fee_receipts import FeeReceiptBook, check_book, default_book
from desk_app.domain.holidays import DayEntry
from desk_app.domain.papers import place_name
from desk_app.domain.schedule_io import parse_schedule_csv
from desk_app.domain.text import nfc
from desk_app.paths import resources_dir
from desk_app.services import config
from desk_app.store.store import Store

Clock = Callable[[], dt.datetime]


class NotConfigured(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "not_configured",
            "Quầy chưa được cài đặt. Hãy chạy: desk-app init --commune … --authority … --unit-code … --desk …",
        )


def local_clock(offset_minutes: int = config.DEFAULT_UTC_OFFSET) -> Clock:
    zone = dt.timezone(dt.timedelta(minutes=offset_minutes))
    return lambda: dt.datetime.now(zone).replace(microsecond=0)


class Desk:
    """One desk: its store, its clock and the person at the counter, passed in once."""

    def __init__(self, store: Store, *, clock: Clock | None = None, actor: str = "desk") -> None:
        self.store = store
        offset = int(store.setting(config.UTC_OFFSET_KEY, config.DEFAULT_UTC_OFFSET))
        self.zone = dt.timezone(dt.timedelta(minutes=offset))
        self.clock = clock or local_clock(offset)
        self.actor = actor
        self._calendar: WorkCalendar | None = None

    # configuration --------------------------------------------------------------------------

    @property
    def configured(self) -> bool:
        return self.store.setting(config.PROFILE_KEY) is not None

    def profile(self) -> DeskProfile:
        data = self.store.setting(config.PROFILE_KEY)
        if data is None:
            raise NotConfigured()
        return config.profile_from_dict(data)

    def desk_id(self) -> str:
        profile = self.profile()
        return f"{profile.unit_code}#{profile.desk_no}"

    def initialise(
        self,
        *,
        commune: str,
        authority: str,
        unit_code: str,
        desk_no: int,
        place: str | None = None,
        unit_name: str | None = None,
        paper: str = PaperSize.A5.value,
        calendar: CalendarSettings | None = None,
        fee_form: str | None = None,
        fee_series: str | None = None,
        fee_start: int | None = None,
    ) -> DeskProfile:
        """Configure the desk and seed the catalogue and holidays shipped in resources/.

        The place in the date line defaults to the commune's name without "Xã"/"Phường". The fee
        receipt's form, series and start number keep their current (or default) values when None.
        """
        commune, authority = nfc(commune), nfc(authority)
        if not commune or not authority:
            raise DomainError("profile_required", "Cần nhập tên xã và dòng cơ quan chủ quản.")
        try:
            paper_size = PaperSize(paper.upper())
        except ValueError:
            raise DomainError("invalid_paper", "Khổ giấy chỉ có A5 hoặc A4.", field="paper") from None
        profile = DeskProfile(
            commune=commune,
            authority=authority.upper(),
            unit_code=check_unit_code(nfc(unit_code)),
            desk_no=check_desk_no(desk_no),
            place=place_name(place or commune),
            paper=paper_size,
            **({"unit_name": nfc(unit_name).upper()} if unit_name else {}),
        )
        if self.configured and self.store.count_dossiers():
            current = self.profile()
            if (current.unit_code, current.desk_no) != (profile.unit_code, profile.desk_no):
                # Codes already issued carry the old unit code and desk range; a new one could
                # collide with another desk's codes, so identity is fixed once dossiers exist.
                raise DomainError(
                    "identity_locked",
                    "Quầy đã có hồ sơ: không đổi được mã đơn vị và số quầy "
                    f"({current.unit_code}, quầy {current.desk_no}). Các thông tin khác vẫn sửa được.",
                    field="unit_code" if current.unit_code != profile.unit_code else "desk_no",
                )
        now = self.clock()
        base = self._stored_fee_book() or default_book(profile.desk_no, now.year)
        book = check_book(fee_form or base.form_no, fee_series or base.series,
                          base.start_no if fee_start is None else fee_start)
        with self.store.transaction():
            self.store.put_settings(
                {
                    config.PROFILE_KEY: config.profile_to_dict(profile),
                    config.CALENDAR_KEY: config.calendar_to_dict(calendar or self.calendar_settings()),
                    config.FEE_RECEIPT_KEY: config.fee_book_to_dict(book),
                }
            )
            if self.store.catalogue_version() is None:
                self._import_catalogue(self._read_catalogue(resources_dir() / "catalogue" / "catalogue.json"), now)
            if not self.store.calendar_schedules():
                shipped = (resources_dir() / "calendar" / "holidays.csv").read_text(encoding="utf-8")
                for year, entries in parse_schedule_csv(shipped).items():
                    self.store.replace_calendar_year(year, entries, "resources/calendar/holidays.csv")
            self._audit("desk.initialise", "desk", profile.unit_code, config.profile_to_dict(profile), now)
        self._calendar = None
        return profile

    def printer(self) -> str | None:
        """The printer receipts go to without a dialog (None: the system default)."""
        value = self.store.setting(config.PRINTER_KEY)
        return value if isinstance(value, str) and value else None

    def set_printer(self, name: str | None) -> None:
        now = self.clock()
        with self.store.transaction():
            self.store.put_settings({config.PRINTER_KEY: name})
            self._audit("desk.set_printer", "desk", "printer", {"printer": name}, now)

    def fee_receipt_book(self) -> FeeReceiptBook:
        """The form, series and start number of the next fee receipts. A desk set up before they
        were settings uses the default series of its desk number and the current year."""
        return self._stored_fee_book() or default_book(self.profile().desk_no, self.clock().year)

    def _stored_fee_book(self) -> FeeReceiptBook | None:
        return config.fee_book_from_dict(self.store.setting(config.FEE_RECEIPT_KEY))

    def set_fee_receipt_book(
        self, *, form_no: str | None = None, series: str | None = None, start_no: int | None = None
    ) -> FeeReceiptBook:
        """Change what the next fee receipts carry (None: unchanged). A new series starts its own
        count from ``start_no``; going back to a series continues after its last number."""
        current = self.fee_receipt_book()
        book = check_book(
            current.form_no if form_no is None else form_no,
            current.series if series is None else series,
            current.start_no if start_no is None else start_no,
        )
        now = self.clock()
        with self.store.transaction():
            self.store.put_settings({config.FEE_RECEIPT_KEY: config.fee_book_to_dict(book)})
            self._audit("desk.set_fee_receipt_book", "desk", "fee_receipt", config.fee_book_to_dict(book), now)
        return book

    def calendar_settings(self) -> CalendarSettings:
        return config.calendar_from_dict(self.store.setting(config.CALENDAR_KEY))

    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = WorkCalendar(self.calendar_settings(), self.store.calendar_schedules())
        return self._calendar

    def _audit(self, action: str, entity: str, entity_id: str, detail: dict[str, Any], at: dt.datetime) -> None:
        self.store.add_audit(actor=self.actor, action=action, entity=entity, entity_id=entity_id, detail=detail, at=at)

    # calendar -------------------------------------------------------------------------------

    def import_calendar(self, path: Path) -> dict[int, int]:
        """Import a schedule file; each year in it replaces that year. Returns days per year."""
        years = parse_schedule_csv(_read_text(path))
        now = self.clock()
        with self.store.transaction():
            for year, entries in years.items():
                self.store.replace_calendar_year(year, entries, path.name)
            self._audit("calendar.import", "calendar", path.name, {"years": sorted(years)}, now)
        self._calendar = None
        return {year: len(entries) for year, entries in years.items()}

    def calendar_year(self, year: int) -> list[DayEntry]:
        return self.calendar().entries(year)

    def due(self, procedure_code: str, received_at: dt.datetime, *, extension_days: int = 0) -> DueResult:
        procedure = self.procedure(procedure_code)
        if procedure.time is None:
            raise DomainError(
                "no_processing_time",
                f"Danh mục chưa có thời hạn giải quyết của thủ tục {procedure.code}; hãy nhập ngày hẹn trả.",
            )
        if extension_days > procedure.max_extension_days:
            raise DomainError(
                "extension_too_long",
                f"Thủ tục này chỉ được gia hạn tối đa {procedure.max_extension_days} ngày làm việc.",
            )
        return self.calendar().due(
            self.localise(received_at), procedure.time, same_day=procedure.same_day,
            extra_working_days=extension_days,
        )

    def localise(self, moment: dt.datetime) -> dt.datetime:
        """A naive time is the desk's local wall clock; an aware one is converted to it."""
        if moment.tzinfo is None:
            return moment.replace(tzinfo=self.zone)
        return moment.astimezone(self.zone)

    # catalogue ------------------------------------------------------------------------------

    def procedures(self, query: str = "", *, on: dt.date | None = None) -> list[Procedure]:
        """Procedures in force, most used first, filtered by a diacritic-free query."""
        day = on or self.clock().date()
        return [p for p in self.store.procedures() if p.in_force(day) and p.matches(query)]

    def procedure(self, code: str) -> Procedure:
        procedure = self.store.procedure(nfc(code))
        if procedure is None:
            raise DomainError("unknown_procedure", f"Không có thủ tục mã '{code}' trong danh mục.", field="procedure")
        return procedure

    def _read_catalogue(self, path: Path) -> Catalogue:
        text = _read_text(path)
        if path.suffix.lower() == ".csv":
            return parse_csv(text, version=path.stem)
        return parse_json(text, default_version=path.stem)

    def _import_catalogue(self, catalogue: Catalogue, now: dt.datetime) -> None:
        self.store.import_catalogue(catalogue, at=now)
        self._audit("catalogue.import", "catalogue", catalogue.version, {"procedures": len(catalogue.procedures)}, now)

    def import_catalogue(self, path: Path) -> Catalogue:
        catalogue = self._read_catalogue(path)
        with self.store.transaction():
            self._import_catalogue(catalogue, self.clock())
        return catalogue

    # dossiers -------------------------------------------------------------------------------

    def dossier(self, code: str) -> Dossier:
        dossier = self.store.dossier(nfc(code))
        if dossier is None:
            raise DomainError("unknown_dossier", f"Không tìm thấy hồ sơ mã '{code}'.")
        return dossier

    def view_dossier(self, code: str, *, purpose: str = "view") -> Dossier:
        """A dossier shown to a person: personal data, so the view is audited (Luật 91/2025)."""
        dossier = self.dossier(code)
        now = self.clock()
        with self.store.transaction():
            self._audit("dossier.view", "dossier", dossier.code, {"purpose": purpose}, now)
        return dossier

    def search(self, text: str, *, limit: int = 50) -> list[Dossier]:
        return self.store.search(nfc(text), limit=limit)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DomainError("file_not_found", f"Không tìm thấy tệp {path}.") from None
    except UnicodeDecodeError:
        raise DomainError("not_utf8", f"Tệp {path} không phải văn bản UTF-8.") from None
    except OSError as exc:
        raise DomainError("cannot_read", f"Không đọc được tệp {path}: {exc.strerror}.") from None
