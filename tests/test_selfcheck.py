"""`desk-app --self-check` from the source install (the frozen bundle runs it in scripts/build_bundle.sh)."""

import os
import subprocess
import sys


def test_self_check_passes_and_leaves_the_home_untouched(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "DESK_APP_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    env.pop("QT_QPA_PLATFORM", None)  # the self-check must choose offscreen by itself
    result = subprocess.run(
        [sys.executable, "-m", "desk_app", "--self-check"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(lines) >= 9
    assert all(line.startswith("ok ") for line in lines), result.stdout
    assert any(line.startswith("ok qt:") for line in lines)
    # What the bundle must carry compiled: argon2 (accounts), cryptography's Ed25519 (sync), segno (QR).
    for check in ("ok passwords: argon2id", "ok signing: Ed25519", "ok qr: slip code"):
        assert any(line.startswith(check) for line in lines), result.stdout
    assert list(home.iterdir()) == []  # nothing written into the user's data folder


def test_self_check_reports_failure_with_exit_code(monkeypatch, capsys):
    from desk_app import selfcheck

    def broken(state):
        raise RuntimeError("no database for you")

    monkeypatch.setattr(selfcheck, "CHECKS", [("database", broken), ("desk", selfcheck._check_desk)])
    assert selfcheck.run_self_check() == 1
    assert capsys.readouterr().out.splitlines() == [
        "FAILED database: RuntimeError: no database for you",
        "FAILED desk: skipped, an earlier check failed",
    ]
