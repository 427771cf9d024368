"""An argparse parser that speaks Vietnamese: usage, help and every error argparse itself writes.

argparse builds its texts with ``gettext`` through a module global ``_`` looked up at call time.
While one of our parser's own methods runs, that global (and ``ngettext``) is swapped for a
lookup in the table below and put back afterwards, so other parsers in the process are not
affected. (The command line is single-threaded; the swap is not meant for threads.)
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
import datetime as dt
from typing import Any, NoReturn

from desk_app.domain.dates import parse_date, parse_moment
from desk_app.domain.errors import DomainError
from desk_app.domain.guidance import parse_missing

EXIT_BAD_INPUT = 2

# argparse's own message ids (Python 3.11–3.13) → Vietnamese, placeholders unchanged.
VIETNAMESE = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "Tham số",
    "options": "Tùy chọn",
    "optional arguments": "Tùy chọn",
    "subcommands": "Lệnh",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "show program's version number and exit": "hiện số phiên bản rồi thoát",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unrecognized arguments: %s": "không hiểu các tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "giá trị %(value)r không có trong các lựa chọn (%(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ",
    "expected one argument": "cần một giá trị theo sau",
    "expected at most one argument": "chỉ nhận nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "not allowed with argument %s": "không dùng cùng với %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị %r",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (các lệnh: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "không mở được tệp '%(filename)s': %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
}
PLURALS = {
    ("expected %s argument", "expected %s arguments"): "cần %s giá trị",
}


def _translate(message: str) -> str:
    return VIETNAMESE.get(message, message)


def _ntranslate(singular: str, plural: str, n: int) -> str:
    return PLURALS.get((singular, plural), singular if n == 1 else plural)


@contextlib.contextmanager
def vietnamese() -> Iterator[None]:
    """argparse's texts in Vietnamese for the duration of the block (restored even on SystemExit)."""
    module: Any = argparse
    saved = module._, module.ngettext
    module._, module.ngettext = _translate, _ntranslate
    try:
        yield
    finally:
        module._, module.ngettext = saved


def integer(text: str) -> int:
    """``type=int`` with a Vietnamese message (argparse would say "invalid int value")."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải số nguyên") from None


MOMENT_EXAMPLE = "\"24/11/2025 09:15\" hoặc 2025-11-24T09:15"


def moment(text: str) -> dt.datetime:
    """A date and time: "24/11/2025 09:15", "2025-11-24T09:15" (argparse type)."""
    try:
        return parse_moment(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def date(text: str) -> dt.date:
    """A date: 04/03/1990 or 1990-03-04 (argparse type)."""
    try:
        return parse_date(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def missing_paper(text: str) -> tuple[str, str | None, int | None]:
    """"Tên giấy tờ|form|count", form and count optional (argparse type)."""
    try:
        return parse_missing(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


class VietnameseParser(argparse.ArgumentParser):
    """The desk's parser: Vietnamese texts, exit 2 with "Lỗi: …" on bad arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        with vietnamese():
            super().__init__(*args, **kwargs)
        self.register("type", int, integer)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="hiện trợ giúp này rồi thoát")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        with vietnamese():  # "unrecognized arguments" is reported here, after parse_known_args
            return super().parse_args(args, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with vietnamese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with vietnamese():
            return super().format_usage()

    def format_help(self) -> str:
        with vietnamese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"Lỗi: {message} (xem: {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)
