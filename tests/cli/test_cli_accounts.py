"""The command line acts as a named officer once the desk has accounts (real subprocesses)."""

import json
import os
import subprocess
import sys

import pytest
from pypdf import PdfReader

from tests.cli.test_cli_end_to_end import INIT

ADMIN_PASSWORD, CLERK_PASSWORD = "quantri-2026", "binh-2026!"


def run(home, *args, password=None, new_password=None, check=True):
    env = {**os.environ, "DESK_APP_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    env.pop("DESK_APP_PASSWORD", None)
    env.pop("DESK_APP_NEW_PASSWORD", None)
    if password is not None:
        env["DESK_APP_PASSWORD"] = password
    if new_password is not None:
        env["DESK_APP_NEW_PASSWORD"] = new_password
    proc = subprocess.run([sys.executable, "-m", "desk_app", *args], capture_output=True, text=True, env=env,
                          timeout=120, stdin=subprocess.DEVNULL)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def staffed(tmp_path_factory):
    """`init --admin` made the first administrator, who added a receptionist."""
    home = tmp_path_factory.mktemp("desk-home")
    out = run(home, *INIT, "--admin", "quantri", "--admin-name", "Nguyễn Văn Quản", "--json",
              password=ADMIN_PASSWORD)
    assert json.loads(out.stdout)["admin"] == "quantri"
    run(home, "--user", "quantri", "user", "add", "binh", "--name", "Trần Thị Bình", "--role", "receptionist",
        password=ADMIN_PASSWORD, new_password=CLERK_PASSWORD)
    return home


def test_without_user_a_desk_with_accounts_refuses_every_command(staffed):
    for args in (["search", "dan"], ["show", "000.21.33.H49-261123-0001"], ["catalog", "list"]):
        proc = run(staffed, *args, check=False)
        assert proc.returncode == 2
        assert "hãy thêm --user" in proc.stderr


def test_a_wrong_password_or_none_is_refused_without_a_trace(staffed):
    proc = run(staffed, "--user", "binh", "search", "dan", password="doan-bua", check=False)
    assert (proc.returncode, proc.stderr.strip()) == (2, "Lỗi: Sai tên đăng nhập hoặc mật khẩu.")
    proc = run(staffed, "--user", "binh", "search", "dan", check=False)  # no variable, no terminal to ask on
    assert proc.returncode == 2 and "DESK_APP_PASSWORD" in proc.stderr and "Traceback" not in proc.stderr


def test_the_slip_and_fee_receipt_carry_the_officers_full_name(staffed, tmp_path):
    pdf = tmp_path / "slip.pdf"
    out = run(staffed, "--user", "binh", "receive", "--procedure", "2.000815", "--name", "Phạm Thị Dân",
              "--pages", "3", "--pdf", str(pdf), "--json", password=CLERK_PASSWORD)
    data = json.loads(out.stdout)
    for path in (pdf, data["fee_receipt_pdf"]):
        text = "".join(page.extract_text() for page in PdfReader(path).pages)
        assert "Trần Thị Bình" in text
        assert "binh" not in text.replace("Bình", "")  # the login is not what the citizen reads
    shown = json.loads(run(staffed, "--user", "quantri", "show", data["code"], "--json",
                           password=ADMIN_PASSWORD).stdout)
    assert [(h["actor"], h["action"]) for h in shown["audit"]][:2] == [("binh", "dossier.receive"),
                                                                        ("binh", "dossier.print")]


def test_a_receptionist_cannot_import_a_catalogue(staffed, tmp_path):
    (tmp_path / "danh-muc.csv").write_text("code,name\n", encoding="utf-8")
    proc = run(staffed, "--user", "binh", "catalog", "import", str(tmp_path / "danh-muc.csv"),
               password=CLERK_PASSWORD, check=False)
    assert proc.returncode == 2
    assert "không có quyền sửa danh mục thủ tục" in proc.stderr


def test_the_admin_lists_disables_and_enables_accounts(staffed):
    listed = json.loads(run(staffed, "--user", "quantri", "user", "list", "--json", password=ADMIN_PASSWORD).stdout)
    assert [(o["username"], o["full_name"], o["roles"]) for o in listed] == [
        ("binh", "Trần Thị Bình", ["receptionist"]), ("quantri", "Nguyễn Văn Quản", ["admin"])]
    run(staffed, "--user", "quantri", "user", "disable", "binh", password=ADMIN_PASSWORD)
    proc = run(staffed, "--user", "binh", "search", "dan", password=CLERK_PASSWORD, check=False)
    assert proc.returncode == 2 and "vô hiệu hoá" in proc.stderr
    run(staffed, "--user", "quantri", "user", "enable", "binh", password=ADMIN_PASSWORD)
    run(staffed, "--user", "binh", "search", "dan", password=CLERK_PASSWORD)


def test_user_on_a_desk_without_accounts_says_how_to_make_one(tmp_path):
    run(tmp_path, *INIT)
    proc = run(tmp_path, "--user", "an", "search", "x", password="whatever-1", check=False)
    assert proc.returncode == 2 and "chưa có tài khoản" in proc.stderr
