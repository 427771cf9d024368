"""Where the desk keeps its files: one AppPaths value, relocatable by DESK_APP_HOME."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_HOME = "DESK_APP_HOME"
# Portable mode: a folder of this name beside the bundle's executable (on a USB stick, say)
# holds the database, papers and backups instead of the user data directory.
PORTABLE_FOLDER = "desk-data"
DAILY_BACKUP_PREFIX = "desk-"


def backups_folder(database: Path) -> Path:
    """The daily backups of a database are kept beside it, in ``backups/``."""
    return database.parent / "backups"


def daily_backups(database: Path) -> list[Path]:
    """The daily backups of ``database`` (``desk-YYYYMMDD.sqlite3``), oldest first."""
    folder = backups_folder(database)
    return sorted(folder.glob(f"{DAILY_BACKUP_PREFIX}[0-9]*.sqlite3")) if folder.is_dir() else []


def resources_dir() -> Path:
    """The bundled ``resources/`` folder, from a source checkout or a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class AppPaths:
    home: Path

    @classmethod
    def from_environment(cls) -> AppPaths:
        """DESK_APP_HOME if set (tests, any relocated install); else, in the bundle, a
        ``desk-data`` folder beside the executable if there is one (portable mode); else the
        user data directory."""
        override = os.environ.get(ENV_HOME)
        if override:
            return cls(Path(override).expanduser())
        if getattr(sys, "frozen", False):
            portable = Path(sys.executable).resolve().parent / PORTABLE_FOLDER
            if portable.is_dir():
                return cls(portable)
        return cls(Path(platformdirs.user_data_dir("desk-app", appauthor=False)))

    @property
    def database(self) -> Path:
        return self.home / "desk.sqlite3"

    @property
    def receipts(self) -> Path:
        return self.home / "receipts"

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    @property
    def demo_database(self) -> Path:
        return self.home / "demo" / "demo.sqlite3"
