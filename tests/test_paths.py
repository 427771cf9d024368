"""Where the desk keeps its files: DESK_APP_HOME, the bundle's portable folder, the user data folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desk_app.paths import ENV_HOME, PORTABLE_FOLDER, AppPaths


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frozen executable in tmp_path/desk-app/."""
    folder = tmp_path / "desk-app"
    folder.mkdir()
    monkeypatch.delenv(ENV_HOME, raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "desk-app"))
    return folder


def test_a_desk_data_folder_beside_the_bundle_holds_everything(bundle: Path) -> None:
    (bundle / PORTABLE_FOLDER).mkdir()
    paths = AppPaths.from_environment()
    assert paths.home == (bundle / PORTABLE_FOLDER).resolve()
    assert paths.database.parent == paths.backups.parent == paths.receipts.parent == paths.home


def test_without_it_the_bundle_uses_the_user_data_folder(bundle: Path) -> None:
    assert bundle not in AppPaths.from_environment().home.parents


def test_desk_app_home_wins_over_the_portable_folder(bundle: Path, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    (bundle / PORTABLE_FOLDER).mkdir()
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "elsewhere"))
    assert AppPaths.from_environment().home == tmp_path / "elsewhere"


def test_from_source_a_desk_data_folder_beside_python_is_ignored(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_HOME, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    (tmp_path / PORTABLE_FOLDER).mkdir()
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert AppPaths.from_environment().home != tmp_path / PORTABLE_FOLDER
