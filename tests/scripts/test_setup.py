"""The runtime install (run.sh) gets the desk's dependencies only; test.sh adds the test tools."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of what setup.sh reads, with a .venv whose python only logs what it is asked to do."""
    (tmp_path / "scripts").mkdir()
    for name in ("scripts/setup.sh", "pyproject.toml", "constraints.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{tmp_path}/pip.log"\n')
    fake.chmod(0o755)
    return tmp_path


def _setup(project: Path, *args: str) -> list[str]:
    log = project / "pip.log"
    log.unlink(missing_ok=True)
    done = subprocess.run(["bash", "scripts/setup.sh", *args], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, timeout=600)
    assert done.returncode == 0, done.stderr
    return log.read_text().splitlines() if log.exists() else []


def test_the_runtime_install_leaves_the_test_tools_out(project: Path) -> None:
    installs = [line for line in _setup(project) if " install " in f" {line} " and "-e" in line.split()]
    assert installs and all(line.endswith("-e .") for line in installs), installs


def test_the_test_install_adds_the_test_extra_once(project: Path) -> None:
    installs = [line for line in _setup(project, "test") if "-e" in line.split()]
    assert installs and installs[-1].endswith("-e .[test]")
    assert _setup(project, "test") == []  # stamped: nothing to do the second time
    runtime = [line for line in _setup(project) if "-e" in line.split()]
    assert runtime and runtime[-1].endswith("-e .")  # its own stamp: the runtime set is checked apart


def test_run_sh_sets_up_the_runtime_and_test_sh_the_tests() -> None:
    assert "bash scripts/setup.sh\n" in (ROOT / "scripts" / "run.sh").read_text()
    assert "bash scripts/setup.sh test\n" in (ROOT / "scripts" / "test.sh").read_text()


def test_a_wrong_mode_is_refused(project: Path) -> None:
    done = subprocess.run(["bash", "scripts/setup.sh", "tests"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 2 and "usage" in done.stderr
