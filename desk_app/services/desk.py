"""The desk's use cases that the GUI and the command line both call."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app.domain import accounts, events
from desk_app.domain.accounts import Officer, Permission
from desk_app.domain.calendar import CalendarSettings, DueResult, WorkCalendar
from desk_app.domain.catalogue import Catalogue, Procedure
from desk_app.domain.catalogue_changes import CatalogueChanges, plan_import
from desk_app.domain.catalogue_csv import catalogue_to_csv, parse_csv
from desk_app.domain.catalogue_io import catalogue_to_json, parse_json
from desk_app.domain.codes import check_desk_no, check_unit_code
from desk_app.domain.csv_files import decode
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
from desk_app.store import accounts as officer_rows
from desk_app.store import identity
from desk_app.store.recorder import Recorder
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
    """One desk: its store, its clocks and the person at the counter, passed in once.

    ``clock`` is the desk's time for business (receipts, appointments; a test or the demo may
    set it). ``device_clock`` is the real wall clock stamped on each outbox event beside the
    business time; it defaults to the computer's clock even when ``clock`` is injected.
    ``new_uuid`` names dossiers, slips and events (a test can make them predictable).

    The person at the counter is the signed-in ``officer`` (``sign_in``); on a desk without
    accounts nobody signs in and ``actor`` (the system login) acts as the set-up administrator.
    """

    def __init__(
        self, store: Store, *, clock: Clock | None = None, actor: str = "desk", device_clock: Clock | None = None,
        new_uuid: Callable[[], str] | None = None, officer: Officer | None = None,
    ) -> None:
        self.store = store
        offset = int(store.settings.get(config.UTC_OFFSET_KEY, config.DEFAULT_UTC_OFFSET))
        self.zone = dt.timezone(dt.timedelta(minutes=offset))
        self.clock = clock or local_clock(offset)
        self.device_clock = device_clock or local_clock(offset)
        self.new_uuid = new_uuid or (lambda: str(uuid.uuid4()))
        self._system_actor = actor
        self.officer: Officer | None = None
        # Records this desk's changes (rows, outbox event, audit entry) in one transaction.
        self.recorder = Recorder(store, unit_code=lambda: self.profile().unit_code, device_clock=self.device_clock,
                                 actor=actor, new_uuid=self.new_uuid)
        self._calendar: WorkCalendar | None = None
        if officer is not None:
            self.sign_in(officer)

    # the person at the counter --------------------------------------------------------------

    @property
    def actor(self) -> str:
        """Who papers name under "Người tiếp nhận hồ sơ" / "Người thu tiền": the officer's full name."""
        return self.officer.full_name if self.officer else self._system_actor

    @property
    def login(self) -> str:
        """Who the audit names: the officer's login (the system user on a desk without accounts)."""
        return self.officer.username if self.officer else self._system_actor

    def sign_in(self, officer: Officer) -> None:
        """From now on ``officer`` acts: on papers, in the audit (login and full name), in checks."""
        self.officer = officer
        self.recorder.actor, self.recorder.actor_name = officer.username, officer.full_name

    def sign_out(self) -> None:
        self.officer = None
        self.recorder.actor, self.recorder.actor_name = self._system_actor, ""

    def require(self, permission: Permission) -> None:
        """Refuse (DomainError, Vietnamese) unless the person at the counter may do ``permission``.

        A desk without accounts is run by its set-up administrator, who may do everything; once
        an account exists, nobody acts without signing in.
        """
        if self.officer is not None:
            accounts.require(self.officer, permission)
        elif officer_rows.has_officers(self.store):
            raise DomainError("sign_in_required", "Quầy đã có tài khoản cán bộ: hãy đăng nhập trước "
                              "(cửa sổ: hộp đăng nhập; dòng lệnh: --user TÊN và mật khẩu).")

    def audit(self, action: str, entity: str, entity_id: str, detail: dict[str, Any], at: dt.datetime) -> None:
        """An audit entry for an action that changes nothing (view, print, export, backup),
        signed with the officer's login and full name."""
        self.store.audit.add(actor=self.login, action=action, entity=entity, entity_id=entity_id, detail=detail,
                             at=at, actor_name=self.officer.full_name if self.officer else "")

    # configuration --------------------------------------------------------------------------

    @property
    def configured(self) -> bool:
        return self.store.settings.get(config.PROFILE_KEY) is not None

    def profile(self) -> DeskProfile:
        data = self.store.settings.get(config.PROFILE_KEY)
        if data is None:
            raise NotConfigured()
        return config.profile_from_dict(data)

    def desk_uuid(self) -> str:
        """The desk's identity for the hub: made with the database, never changed by the profile."""
        return identity.desk_uuid(self.store)

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
        self.require(Permission.SETTINGS)
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
        if self.configured and self.store.dossiers.count():
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
        settings = {
            config.PROFILE_KEY: config.profile_to_dict(profile),
            config.CALENDAR_KEY: config.calendar_to_dict(calendar or self.calendar_settings()),
            config.FEE_RECEIPT_KEY: config.fee_book_to_dict(book),
        }
        with self.store.transaction():
            with self.recorder.change(business_time=now) as change:
                self.store.settings.put(settings)
                change.event(events.Kind.SETTINGS_CHANGED, self.desk_uuid(), events.settings_changed(settings))
                change.audit("desk.initialise", "desk", profile.unit_code, config.profile_to_dict(profile))
            if self.store.catalogue.version() is None:
                shipped_catalogue = resources_dir() / "catalogue" / "catalogue.json"
                self._import_catalogue(self._read_catalogue(shipped_catalogue), now, source=shipped_catalogue.name)
            if not self.store.calendar.schedules():
                shipped = (resources_dir() / "calendar" / "holidays.csv").read_text(encoding="utf-8")
                self._import_calendar(parse_schedule_csv(shipped), "resources/calendar/holidays.csv", now)
        self._calendar = None
        return profile

    def printer(self) -> str | None:
        """The printer receipts go to without a dialog (None: the system default)."""
        value = self.store.settings.get(config.PRINTER_KEY)
        return value if isinstance(value, str) and value else None

    def set_printer(self, name: str | None) -> None:
        self.require(Permission.SETTINGS)
        with self.recorder.change(business_time=self.clock()) as change:
            self.store.settings.put({config.PRINTER_KEY: name})
            change.event(events.Kind.SETTINGS_CHANGED, self.desk_uuid(),
                         events.settings_changed({config.PRINTER_KEY: name}))
            change.audit("desk.set_printer", "desk", "printer", {"printer": name})

    def fee_receipt_book(self) -> FeeReceiptBook:
        """The form, series and start number of the next fee receipts. A desk set up before they
        were settings uses the default series of its desk number and the current year."""
        return self._stored_fee_book() or default_book(self.profile().desk_no, self.clock().year)

    def _stored_fee_book(self) -> FeeReceiptBook | None:
        return config.fee_book_from_dict(self.store.settings.get(config.FEE_RECEIPT_KEY))

    def set_fee_receipt_book(
        self, *, form_no: str | None = None, series: str | None = None, start_no: int | None = None
    ) -> FeeReceiptBook:
        """Change what the next fee receipts carry (None: unchanged). A new series starts its own
        count from ``start_no``; going back to a series continues after its last number."""
        self.require(Permission.SETTINGS)
        current = self.fee_receipt_book()
        book = check_book(
            current.form_no if form_no is None else form_no,
            current.series if series is None else series,
            current.start_no if start_no is None else start_no,
        )
        values = {config.FEE_RECEIPT_KEY: config.fee_book_to_dict(book)}
        with self.recorder.change(business_time=self.clock()) as change:
            self.store.settings.put(values)
            change.event(events.Kind.SETTINGS_CHANGED, self.desk_uuid(), events.settings_changed(values))
            change.audit("desk.set_fee_receipt_book", "desk", "fee_receipt", config.fee_book_to_dict(book))
        return book

    def calendar_settings(self) -> CalendarSettings:
        return config.calendar_from_dict(self.store.settings.get(config.CALENDAR_KEY))

    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = WorkCalendar(self.calendar_settings(), self.store.calendar.schedules())
        return self._calendar

    # calendar -------------------------------------------------------------------------------

    def import_calendar(self, path: Path) -> dict[int, int]:
        """Import a schedule file; each year in it replaces that year. Returns days per year."""
        self.require(Permission.CALENDAR)
        years = parse_schedule_csv(_read_text(path))
        self._import_calendar(years, path.name, self.clock())
        self._calendar = None
        return {year: len(entries) for year, entries in years.items()}

    def _import_calendar(self, years: dict[int, list[DayEntry]], source: str, now: dt.datetime) -> None:
        with self.recorder.change(business_time=now) as change:
            for year, entries in years.items():
                self.store.calendar.replace_year(year, entries, source)
            change.event(events.Kind.CALENDAR_IMPORTED, ",".join(str(y) for y in sorted(years)),
                         events.calendar_imported(years, source))
            change.audit("calendar.import", "calendar", source, {"years": sorted(years)})

    def apply_calendar(self, years: dict[int, list[DayEntry]], *, source: str) -> None:
        """Import already parsed schedules (e.g. published by the hub) as a file import would:
        each year replaces that year, recorded with its event and audit entry."""
        self._import_calendar(years, source, self.clock())
        self._calendar = None

    def calendar_year(self, year: int) -> list[DayEntry]:
        return self.calendar().entries(year)

    def due(self, procedure_code: str, received_at: dt.datetime, *, extension_days: int = 0) -> DueResult:
        procedure = self.active_procedure(procedure_code)
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
        """Procedures in force, most used first, filtered by a diacritic-free query (retired ones never)."""
        day = on or self.clock().date()
        return [p for p in self.store.catalogue.procedures() if p.in_force(day) and p.matches(query)]

    def procedure(self, code: str) -> Procedure:
        """A procedure by code, retired ones included: the papers of old dossiers still need them."""
        procedure = self.store.catalogue.procedure(nfc(code))
        if procedure is None:
            raise DomainError("unknown_procedure", f"Không có thủ tục mã '{code}' trong danh mục.", field="procedure")
        return procedure

    def active_procedure(self, code: str) -> Procedure:
        """A procedure a new dossier (or guidance slip) may use: in the list, not retired."""
        procedure = self.procedure(code)
        if procedure.retired:
            raise DomainError(
                "procedure_retired",
                f"Thủ tục {procedure.code} đã bị bỏ khỏi danh mục của xã; không tiếp nhận hồ sơ mới theo thủ tục này.",
                field="procedure",
            )
        return procedure

    def _read_catalogue(self, path: Path) -> Catalogue:
        text = _read_text(path)
        if path.suffix.lower() == ".csv":
            return parse_csv(text, version=path.stem)
        return parse_json(text, default_version=path.stem)

    def _import_catalogue(self, catalogue: Catalogue, now: dt.datetime, *, replace: bool = False,
                          dry_run: bool = False, source: str = "") -> CatalogueChanges:
        """Plan and (unless ``dry_run``) write an import with its outbox event and audit entry."""
        current = {p.code: p for p in self.store.catalogue.procedures(include_retired=True)}
        changes = plan_import(current, catalogue, replace=replace, in_use=self.store.catalogue.codes_in_use())
        if dry_run:
            return changes
        lists = {"added": changes.added, "changed": changes.changed, "restored": changes.restored,
                 "retired": changes.retired, "deleted": changes.deleted}
        detail = {"file": source, "replace": replace, "procedures": len(catalogue.procedures)}
        with self.recorder.change(business_time=now) as change:
            self.store.catalogue.apply(catalogue, changes, at=now)
            change.event(events.Kind.CATALOGUE_IMPORTED, catalogue.version, events.catalogue_imported(catalogue))
            change.audit("catalogue.import", "catalogue", catalogue.version,
                         detail | {key: [c.code for c in items] for key, items in lists.items()})
        return changes

    def import_catalogue(self, path: Path, *, replace: bool = False, dry_run: bool = False) -> CatalogueChanges:
        """Add and update procedures by code from a JSON or CSV file, in one transaction with its
        audit entry. Only ``replace`` removes the procedures the file lacks; those that dossiers
        refer to are retired, not deleted. ``dry_run`` reports the changes and writes nothing."""
        self.require(Permission.CATALOGUE)
        catalogue = self._read_catalogue(path)
        with self.store.transaction():
            return self._import_catalogue(catalogue, self.clock(), replace=replace, dry_run=dry_run, source=path.name)

    def apply_catalogue(self, catalogue: Catalogue, *, source: str, dry_run: bool = False) -> CatalogueChanges:
        """Import an already parsed catalogue (e.g. published by the hub) as a file import would:
        add and update by code, never drop a procedure; ``dry_run`` only plans."""
        with self.store.transaction():
            return self._import_catalogue(catalogue, self.clock(), dry_run=dry_run, source=source)

    def export_catalogue(self, path: Path, *, delimiter: str = ",") -> int:
        """Write the commune's procedures (not the retired ones) to a CSV or JSON file.

        CSV is written UTF-8 with a BOM, so Excel opens it with the Vietnamese letters right.
        """
        self.require(Permission.VIEW)
        procedures = tuple(sorted(self.store.catalogue.procedures(), key=lambda p: p.code))
        catalogue = Catalogue(self.store.catalogue.version() or "", procedures)
        if path.suffix.lower() == ".json":
            path.write_text(catalogue_to_json(catalogue), encoding="utf-8")
        else:
            path.write_text(catalogue_to_csv(catalogue, delimiter=delimiter), encoding="utf-8-sig", newline="")
        now = self.clock()
        with self.store.transaction():
            self.audit("catalogue.export", "catalogue", catalogue.version, {"file": path.name,
                                                                             "procedures": len(procedures)}, now)
        return len(procedures)

    # dossiers -------------------------------------------------------------------------------

    def dossier(self, code: str) -> Dossier:
        dossier = self.store.dossiers.by_code(nfc(code))
        if dossier is None:
            raise DomainError("unknown_dossier", f"Không tìm thấy hồ sơ mã '{code}'.")
        return dossier

    def view_dossier(self, code: str, *, purpose: str = "view") -> Dossier:
        """A dossier shown to a person: personal data, so the view is audited (Luật 91/2025)."""
        self.require(Permission.VIEW)
        dossier = self.dossier(code)
        now = self.clock()
        with self.store.transaction():
            self.audit("dossier.view", "dossier", dossier.code, {"purpose": purpose}, now)
        return dossier

    def search(self, text: str, *, limit: int = 50) -> list[Dossier]:
        self.require(Permission.VIEW)
        return self.store.dossiers.search(nfc(text), limit=limit)


def _read_text(path: Path) -> str:
    """A file's text as a spreadsheet saved it (UTF-8, UTF-16 or Windows-1258), NFC."""
    try:
        return decode(path.read_bytes(), name=path.name)
    except FileNotFoundError:
        raise DomainError("file_not_found", f"Không tìm thấy tệp {path}.") from None
    except OSError as exc:
        raise DomainError("cannot_read", f"Không đọc được tệp {path}: {exc.strerror}.") from None
