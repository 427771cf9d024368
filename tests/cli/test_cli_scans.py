"""`desk-app scan attach|list|export|check|settings`: the real command line, a real database."""

import json

from tests import scan_samples
from tests.cli.test_cli_end_to_end import INIT, run


def test_attach_list_export_and_refusals(tmp_path):
    run(tmp_path, *INIT)
    code = json.loads(run(tmp_path, "receive", "--procedure", "1.004837", "--name", "Đặng Thị Hoà",
                          "--json").stdout)["code"]
    pdf = tmp_path / "may-quet" / "giay to 1.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(scan_samples.pdf(3))
    out = json.loads(run(tmp_path, "scan", "attach", code, "--paper", "1", str(pdf), "--json").stdout)
    assert (out["code"], out["paper"], out["pages"], out["media_type"]) == (code, 1, 3, "application/pdf")
    listed = json.loads(run(tmp_path, "scan", "list", code, "--json").stdout)
    assert [(p["paper"], p["digitised"], p["pages"]) for p in listed["papers"]] == [(1, True, 3), (2, False, 0)]
    assert "chưa có bản quét" in run(tmp_path, "scan", "list", code).stdout
    exported = tmp_path / "ra" / "ban-quet.pdf"
    run(tmp_path, "scan", "export", code, "--paper", "1", str(exported))
    assert exported.read_bytes() == pdf.read_bytes()
    audit = json.loads(run(tmp_path, "audit", "list", "--action", "scan.", "--json").stdout)
    assert sorted(e["action"] for e in audit) == ["scan.attach", "scan.export"]
    junk = tmp_path / "junk.txt"
    junk.write_text("không phải ảnh", encoding="utf-8")
    refused = run(tmp_path, "scan", "attach", code, "--paper", "2", str(junk), check=False)
    assert refused.returncode == 2 and "không phải ảnh PNG" in refused.stderr and "Traceback" not in refused.stderr
    missing = run(tmp_path, "scan", "export", code, "--paper", "2", str(tmp_path / "x"), check=False)
    assert missing.returncode == 2 and "chưa có bản quét" in missing.stderr
    checked = json.loads(run(tmp_path, "scan", "check", "--json").stdout)
    assert checked == {"orphans": [], "missing": []}
    settings = json.loads(run(tmp_path, "scan", "settings", "--rule", "any_paper", "--folder",
                              str(pdf.parent), "--json").stdout)
    assert settings == {"folder": str(pdf.parent.resolve()), "rule": "any_paper"}
