"""`desk-app citizen …`: one citizen's records exported on request; purging asks for --yes."""

import json

from tests.cli.test_cli_end_to_end import INIT, run


def test_export_one_citizen_and_purge_needs_confirmation(tmp_path):
    run(tmp_path, *INIT)
    code = json.loads(run(tmp_path, "receive", "--procedure", "2.000815", "--name", "Nguyễn Thị Thuỳ Dương",
                          "--id-number", "001190012345", "--pages", "3", "--json").stdout)["code"]
    target = tmp_path / "cong-dan.json"
    out = json.loads(run(tmp_path, "citizen", "export", "--id-number", "001190012345", str(target), "--json").stdout)
    assert out["dossiers"] == [code]
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["dossiers"][0]["applicant"]["name"] == "Nguyễn Thị Thuỳ Dương"
    listed = json.loads(run(tmp_path, "audit", "list", "--action", "citizen.", "--json").stdout)
    assert [(e["entity_id"], e["detail"]["dossiers"]) for e in listed] == [("001190012345", [code])]
    proc = run(tmp_path, "citizen", "purge", check=False)
    assert proc.returncode == 2 and "--yes" in proc.stderr
    assert "10 năm" in run(tmp_path, "citizen", "retention").stdout
    assert json.loads(run(tmp_path, "citizen", "purge", "--yes", "--json").stdout)["dossiers"] == []
