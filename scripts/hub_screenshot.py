"""Fill a throwaway hub with two communes (desks, dossiers, a gap, a rejection), serve it with
`desk-app hub serve`, and screenshot its dashboard in headless Chromium.

Usage: .venv/bin/python scripts/hub_screenshot.py [docs/screenshots/hub-dashboard.png]
"""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from desk_app.domain import events as ev
from desk_app.domain.dossier import Status
from desk_app.hub.service import Hub
from desk_app.sync import protocol as p

VN = dt.timezone(dt.timedelta(hours=7))
COMMUNES = [("000.21.33.H49", 2, 14), ("000.22.01.H49", 1, 9)]  # unit, desks, dossiers per desk


def fill(hub: Hub) -> None:
    now = dt.datetime.now(VN).replace(microsecond=0)
    for unit, desks, per_desk in COMMUNES:
        for desk_no in range(1, desks + 1):
            key, desk_uuid = p.SigningKey.generate(), str(uuid.uuid4())
            issued = hub.issue_code(unit, desk_no)
            hub.enroll(code=issued.code, desk_uuid=desk_uuid, public_key=key.public_text, facts={})
            events: list[ev.Event] = []

            def add(kind: ev.Kind, entity: str, payload: dict[str, object], at: dt.datetime) -> None:
                events.append(ev.make_event(event_uuid=str(uuid.uuid4()), desk_uuid=desk_uuid, epoch="e1",
                                            seq=len(events) + 1, unit_code=unit, kind=kind, entity_id=entity,
                                            business_time=at, device_time=at, payload=payload))

            for i in range(per_desk):
                received = now - dt.timedelta(days=6 - i % 6, hours=i)
                dossier = str(uuid.uuid4())
                code = f"{unit}-{received:%y%m%d}-{(desk_no - 1) * 1000 + i + 1:04d}"
                add(ev.Kind.DOSSIER_RECEIVED, dossier, {
                    "uuid": dossier, "code": code, "procedure_code": "2.000815", "status": "received",
                    "received_at": received.isoformat(), "due_at": (received + dt.timedelta(days=3)).isoformat()},
                    received)
                if i % 3 == 0:
                    done = received + dt.timedelta(days=2 if i % 2 else 4)
                    add(ev.Kind.DOSSIER_STATUS_CHANGED, dossier, ev.dossier_status_changed(
                        uuid=dossier, code=code, before=Status.RECEIVED, after=Status.RESULT_READY, at=done), done)
            hub.push(p.build_batch(events[:-3], key, created_at=now))
            if desk_no == 2:  # a gap: the last event waits for the two before it
                hub.push(p.build_batch(events[-1:], key, created_at=now))
            else:
                hub.push(p.build_batch(events[-3:], key, created_at=now))
            if unit == COMMUNES[1][0]:  # a write to another commune's records
                stray = ev.make_event(event_uuid=str(uuid.uuid4()), desk_uuid=desk_uuid, epoch="e1",
                                      seq=len(events) + 1, unit_code=COMMUNES[0][0], kind=ev.Kind.GUIDANCE_ISSUED,
                                      entity_id="g", business_time=now, device_time=now, payload={"n": 1})
                hub.push(p.build_batch([stray], key, created_at=now))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/hub-dashboard.png").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/hub.sqlite3"
        hub = Hub.open(url)
        fill(hub)
        hub.close()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([str(Path(sys.executable).parent / "desk-app"), "hub", "serve", "--db", url,
                                   "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    httpx.get(f"http://127.0.0.1:{port}/v1/stats", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"])
                page = browser.new_page(viewport={"width": 1200, "height": 800})
                page.goto(f"http://127.0.0.1:{port}/")
                page.screenshot(path=str(out), full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(15)
    print(out)


if __name__ == "__main__":
    main()
