"""End to end: a real `desk-app hub serve` process, the real client, the hub commands, and the
dashboard in a real headless Chromium, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from desk_app.sync import protocol as p
from desk_app.sync.client import HubClient, HubRefused
from tests.hub.conftest import UNIT, SimDesk

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _desk_app() -> list[str]:
    script = Path(sys.executable).parent / "desk-app"
    return [str(script)] if script.exists() else [sys.executable, "-m", "desk_app"]


def hub_cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    action, rest = args[0], args[1:]
    return subprocess.run([*_desk_app(), "hub", action, "--db", url, *rest], capture_output=True, text=True,
                          timeout=120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(hub_url: str, tmp_path: Path, *extra: str):
    port = _free_port()
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen([*_desk_app(), "hub", "serve", "--db", hub_url, "--port", str(port), *extra],
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/v1/stats", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"hub serve did not start:\n{(tmp_path / 'serve.log').read_text()}")
        time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)
    log.close()


@pytest.fixture
def served(hub_url, tmp_path):
    yield from _serve(hub_url, tmp_path)


def test_desk_and_hub_processes_run_the_sync_story(served, hub_url, tmp_path):
    desk = SimDesk()
    enrolled = hub_cli(hub_url, "enroll", "--unit-code", UNIT, "--desk", "1")
    assert enrolled.returncode == 0, enrolled.stderr
    code = enrolled.stdout.split()[-1]
    with HubClient(served) as client:
        enrollment = client.enroll(code, desk_uuid=desk.desk_uuid, public_key=desk.key.public_text,
                                   facts={"unit_code": UNIT})
        with pytest.raises(HubRefused):
            client.enroll(code, desk_uuid=desk.desk_uuid, public_key=desk.key.public_text, facts={})

        dossier = desk.received()
        pushed = client.push(desk.batch([dossier, desk.status_changed(dossier, "in_process"), desk.received()]))
        assert [a.status.value for a in pushed.answers] == ["applied"] * 3 and client.last_hub_time

        decided = hub_cli(hub_url, "decide", dossier.payload["code"], "--status", "result_ready", "--note",
                          "Đã có kết quả")
        assert decided.returncode == 0, decided.stderr
        pulled = client.pull(key=desk.key, desk_uuid=desk.desk_uuid, after_seq=0, hub_epoch=enrollment.hub_epoch,
                             hub_public_key=enrollment.hub_public_key, at=desk.at.isoformat())
        assert [(u.kind, u.payload["code"], u.payload["status"]) for u in pulled.updates] == [
            ("dossier.decided", dossier.payload["code"], "result_ready")]

    # USB, both ways.
    usb = tmp_path / "desk-1.sync"
    usb.write_bytes(desk.batch([desk.received(), desk.received()]).to_file())
    first, second = hub_cli(hub_url, "import", str(usb), "--json"), hub_cli(hub_url, "import", str(usb), "--json")
    assert json.loads(first.stdout)["answers"] == {"applied": 2}
    assert json.loads(second.stdout)["answers"] == {"duplicate": 2}
    tampered = tmp_path / "tampered.sync"
    data = bytearray(usb.read_bytes())
    data[40] ^= 0x01  # inside the signed header
    tampered.write_bytes(bytes(data))
    refused = hub_cli(hub_url, "import", str(tampered))
    assert refused.returncode == 2 and "Lỗi: tệp bị từ chối" in refused.stderr and not refused.stdout
    assert "Traceback" not in refused.stderr

    stats = json.loads(hub_cli(hub_url, "stats", "--json").stdout)
    assert (stats["dossiers"], stats["events"]) == (4, 5)
    assert [(d["unit_code"], d["desk_no"]) for d in stats["desks"]] == [(UNIT, 1)]

    back = tmp_path / "to-desk.sync"
    exported = hub_cli(hub_url, "export", "--desk", f"{UNIT}#1", str(back))
    assert exported.returncode == 0, exported.stderr
    package = p.HubPackage.open(p.Envelope.from_file(back.read_bytes()), hub_public_key=enrollment.hub_public_key,
                                desk_uuid=desk.desk_uuid)
    assert package.streams == (p.StreamAck(desk.epoch, 5),) and len(package.updates) == 1

    _look_at_dashboard(served, tmp_path)


def _look_at_dashboard(base: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is needed for the dashboard test: apt-get install chromium (scripts/setup.sh does)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 760})
            response = page.goto(base + "/")
            assert response is not None and response.status == 200 and response.headers["x-hub-time"]
            assert page.title() == "Máy chủ đồng bộ Một cửa"
            section = page.locator("section", has_text=f"Đơn vị {UNIT}")
            text = section.inner_text()
            # The decision used the served hub's real clock: on time or late depends on today's date.
            assert "Hồ sơ: 4" in text and "Đã có kết quả: 1" in text and re.search(
                r"Có kết quả không trễ hẹn \(từ trước đến nay\): \d+,\d%", text)
            row = section.locator("tbody tr").first.inner_text()
            assert row.startswith("Quầy 1") and "Hoạt động" in row
            assert page.locator("script").count() == 0
            shot = tmp_path / "hub-dashboard.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            if os.environ.get("DESK_HUB_SCREENSHOT"):  # scripts/screenshots: keep the picture for the docs
                shutil.copy(shot, os.environ["DESK_HUB_SCREENSHOT"])
        finally:
            browser.close()


def test_two_worker_processes_apply_a_batch_sent_to_both_once(hub_url, tmp_path):
    """`--workers 2`: two processes behind one port share the database; the same batches sent
    twice at once (a retry racing its original) are applied exactly once."""
    from concurrent.futures import ThreadPoolExecutor

    from desk_app.hub.service import Hub

    hub = Hub.open(hub_url)  # create the schema first, so the two workers do not race on it
    desk = SimDesk()
    desk.enroll_on(hub)
    hub.close()
    batches = [desk.batch([desk.received() for _ in range(20)]) for _ in range(6)]
    for base in _serve(hub_url, tmp_path, "--workers", "2"):
        clients = [HubClient(base), HubClient(base)]
        results = []
        with ThreadPoolExecutor(2) as pool:
            for batch in batches:  # in order, as a desk sends them; each one twice at the same moment
                results += pool.map(lambda c: c.push(batch), clients)
        for c in clients:
            c.close()
        counts: dict[str, int] = {}
        for result in results:
            for answer in result.answers:
                counts[answer.status.value] = counts.get(answer.status.value, 0) + 1
        assert counts == {"applied": 120, "duplicate": 120}
        stats = json.loads(hub_cli(hub_url, "stats", "--json").stdout)
        assert (stats["events"], stats["dossiers"], stats["held"]) == (120, 120, 0)
