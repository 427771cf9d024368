"""Typed domain errors: a machine-readable code, the field concerned, and a Vietnamese message."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken by the input; nothing was changed.

    ``code`` is stable for scripts and tests; ``message`` is the Vietnamese text for people.
    """

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class ValidationErrors(DomainError):
    """Several field errors found at once, so a form can show each beside its field."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__("invalid_input", "; ".join(e.message for e in errors))
        self.errors = errors
