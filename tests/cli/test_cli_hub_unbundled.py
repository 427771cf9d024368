"""The desk's bundle leaves the hub's web server and PostgreSQL driver out (build.spec): the hub
commands say so in Vietnamese instead of failing with a traceback (issue 11)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desk_app.cli.main import main


@pytest.mark.parametrize("missing", ["uvicorn", "fastapi"])
def test_hub_serve_without_the_web_server_says_where_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, missing: str
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # as in the bundle: the import fails
    monkeypatch.delitem(sys.modules, "desk_app.hub.app", raising=False)
    code = main(["hub", "serve", "--db", f"sqlite:///{tmp_path}/hub.sqlite3", "--port", "0"])
    err = capsys.readouterr().err
    assert code == 3
    assert "không kèm" in err and "pip install desk-app" in err and "Traceback" not in err
    assert not (tmp_path / "hub.sqlite3").exists()


def test_another_missing_module_is_still_a_bug(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "desk_app.hub.service", None)
    with pytest.raises(ModuleNotFoundError):
        main(["hub", "stats", "--db", f"sqlite:///{tmp_path}/hub.sqlite3"])
