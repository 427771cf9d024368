"""Failures in plain Vietnamese: lower layers raise typed errors, the window chooses the words."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desk_app.domain.errors import DomainError, ValidationErrors

log = logging.getLogger(__name__)


def _is_store_error(exc: BaseException) -> bool:
    # Imported here: the store (and sqlite_utils) load on the worker, not with the window.
    from desk_app.store.connection import StoreError

    return isinstance(exc, StoreError)


def _classified(exc: BaseException) -> BaseException:
    """A raw SQLite error met while reading (a damaged page, a lock) in the store's words."""
    import sqlite3

    if isinstance(exc, sqlite3.DatabaseError):
        from desk_app.store.connection import classify

        return classify(exc)
    return exc


def describe(exc: BaseException) -> str:
    """One Vietnamese paragraph for the receptionist."""
    exc = _classified(exc)
    if isinstance(exc, ValidationErrors):
        return "Thông tin chưa hợp lệ:\n" + "\n".join(f"• {e.message}" for e in exc.errors)
    if isinstance(exc, DomainError) or _is_store_error(exc):
        return exc.message  # type: ignore[attr-defined]
    message = getattr(exc, "message", None)
    if isinstance(message, str):
        return message
    if isinstance(exc, OSError):
        return f"Lỗi đọc/ghi tệp: {exc.strerror or exc}."
    return f"Lỗi không mong đợi ({type(exc).__name__}: {exc}). Hãy báo cho cán bộ kỹ thuật."


def show_error(parent: QWidget | None, title: str, exc: BaseException, *, lead: str = "") -> QMessageBox:
    """A window-modal message that does not block the event loop (the worker keeps running)."""
    if not (isinstance(exc, DomainError) or _is_store_error(_classified(exc))):
        log.error("%s: %r", title, exc)
    box = QMessageBox(QMessageBox.Icon.Critical, title, (lead + "\n\n" if lead else "") + describe(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
