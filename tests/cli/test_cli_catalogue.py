"""`desk-app catalog import/export` as an office runs them: reports of what changed, nothing lost."""

import csv
import io
import json

import pytest

from tests.cli.test_cli_end_to_end import INIT, run
from tests.domain.test_csv_files import windows_1258


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    path = tmp_path_factory.mktemp("desk-home")
    run(path, *INIT)
    run(path, "receive", "--procedure", "2.000884", "--name", "H’Hen Niê", "--received-at", "24/11/2025 09:15")
    return path


@pytest.fixture(scope="module")
def exported(home, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "danh-muc.csv"
    out = json.loads(run(home, "catalog", "export", str(path), "--semicolon", "--json").stdout)
    assert out["procedures"] == 28
    return path.read_bytes().decode("utf-8-sig")


def rows(text):
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def write(path, table):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    path.write_bytes(windows_1258(out.getvalue()))  # as Excel saves "CSV" on a Vietnamese Windows
    return path


def test_export_import_round_trip_changes_nothing(home, exported, tmp_path):
    path = write(tmp_path / "same.csv", rows(exported))
    out = json.loads(run(home, "catalog", "import", str(path), "--replace", "--json").stdout)
    assert (out["added"], out["changed"], out["removed"], out["unchanged"]) == ([], [], [], 28)


def test_import_without_replace_lists_added_and_changed_and_keeps_the_rest(home, exported, tmp_path):
    table = [r for r in rows(exported) if r["code"] in ("2.000815", "2.000884")]
    table[0] = {**table[0], "fee_cap": "150.000"} if table[0]["code"] == "2.000815" else table[0]
    table.append({**table[1], "code": "XA.TT.01", "name": "Xác nhận thử", "fee_kind": "free", "fee_amount": ""})
    path = write(tmp_path / "them.csv", table)
    proc = run(home, "catalog", "import", str(path))
    assert "Thêm: 1\n    XA.TT.01  Xác nhận thử" in proc.stdout
    assert "Sửa: 1\n    2.000815  Chứng thực bản sao từ bản chính giấy tờ, văn bản (phí, lệ phí)" in proc.stdout
    assert "Không có trong tệp, vẫn giữ (muốn bỏ thì nhập lại với --replace): 26" in proc.stdout
    listed = {p["code"] for p in json.loads(run(home, "catalog", "list", "--json").stdout)}
    assert len(listed) == 29 and "XA.TT.01" in listed


def test_replace_dry_run_then_replace_keeps_the_used_procedure_as_retired(home, exported, tmp_path):
    table = [r for r in rows(exported) if r["code"] == "1.001193"]
    path = write(tmp_path / "chi-khai-sinh.csv", table)
    before = run(home, "catalog", "list", "--json").stdout
    dry = run(home, "catalog", "import", str(path), "--replace", "--dry-run")
    assert dry.stdout.startswith("CHẠY THỬ, chưa ghi gì.")
    assert "2.000884  Chứng thực chữ ký trong giấy tờ, văn bản (kể cả điểm chỉ) (giữ lại, ngừng áp dụng" in dry.stdout
    assert run(home, "catalog", "list", "--json").stdout == before

    out = json.loads(run(home, "catalog", "import", str(path), "--replace", "--json").stdout)
    removed = {r["code"]: r["retired"] for r in out["removed"]}
    assert len(removed) == 28 and removed["2.000884"] is True
    assert [r for r, kept in removed.items() if kept] == ["2.000884"]
    assert [p["code"] for p in json.loads(run(home, "catalog", "list", "--json").stdout)] == ["1.001193"]
    # The old dossier still reprints; a new one for the retired procedure is refused.
    code = json.loads(run(home, "search", "hhen nie", "--json").stdout)[0]["code"]
    printed = json.loads(run(home, "print", code, "--pdf", str(home / "again.pdf"), "--json").stdout)
    assert printed["reprint"] is True and (home / "again.pdf").read_bytes().startswith(b"%PDF")
    proc = run(home, "receive", "--procedure", "2.000884", "--name", "Ksor H'Ba", "--json", check=False)
    assert proc.returncode == 2 and json.loads(proc.stdout)["error"] == "procedure_retired"
