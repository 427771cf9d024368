"""The command line prints on paper (issue 6, item 2): real `desk-app` processes, a private CUPS
scheduler and a cups-pdf queue. The spooler's PDF is read back with pypdf and its QR with zbar.

cups-pdf re-encodes the fonts without their Unicode map, so the text read back keeps only its
ASCII letters ("BẢN IN LẠI" reads "B N IN L I"): expected phrases are compared on that skeleton.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.test_cli_end_to_end import INIT

QUEUE = "deskpdf"
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
PPD_NAME = "CUPS-PDF_opt.ppd"
WAIT_S = 15


def skeleton(text: str) -> str:
    return re.sub(r"[^\x21-\x7e]", "", text)


def _need(tool: str) -> str:
    path = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")
    if path is None:  # fail, never skip: a desk that cannot print must not pass
        pytest.fail(f"{tool} not found: install cups, cups-client and printer-driver-cups-pdf (scripts/setup.sh)")
    return path


def _cups_pdf_out() -> list[Path]:
    """Where cups-pdf writes a job of the user running the tests (its "Out" setting, ${HOME}
    being that user's home), and its folder for anonymous jobs."""
    out, anon = "${HOME}/PDF", "/var/spool/cups-pdf/ANONYMOUS"
    if CUPS_PDF_CONF.exists():
        for line in CUPS_PDF_CONF.read_text(errors="replace").splitlines():
            parts = line.split(None, 1)
            if len(parts) == 2 and parts[0] == "Out":
                out = parts[1].strip()
            elif len(parts) == 2 and parts[0] == "AnonDirName":
                anon = parts[1].strip()
    home = pwd.getpwuid(os.geteuid()).pw_dir
    return [Path(out.replace("${HOME}", home)), Path(anon)]


@pytest.fixture(scope="module")
def cups() -> Iterator[dict[str, object]]:
    """A private cupsd (its own configuration, spool and socket; no systemd, no system CUPS
    touched) with the cups-pdf queue ``deskpdf``. Fails with the reason when it cannot start."""
    if os.geteuid() != 0:
        pytest.fail("the CUPS print test runs as root: cupsd must start the cups-pdf backend, which only root may run")
    cupsd, lpadmin, lpstat = _need("cupsd"), _need("lpadmin"), _need("lpstat")
    ppd = next(Path("/usr/share/ppd").rglob(PPD_NAME), None)
    if ppd is None:
        pytest.fail(f"{PPD_NAME} not found: install printer-driver-cups-pdf")
    # Not under pytest's temporary folder: that one is private to root (0700), and cupsd runs its
    # filters as the unprivileged "lp" user, which must reach the spool.
    root = Path(tempfile.mkdtemp(prefix="desk-cups-"))
    for folder in ("etc", "spool/tmp", "run", "cache", "log"):
        (root / folder).mkdir(parents=True)
    for folder in (root, *root.rglob("*")):
        folder.chmod(0o755)
    socket = root / "cups.sock"
    (root / "etc" / "cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel info\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    (root / "etc" / "cups-files.conf").write_text(
        f"ServerRoot {root}/etc\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\nStateDir {root}/run\n"
        f"CacheDir {root}/cache\nErrorLog {root}/log/error_log\nAccessLog {root}/log/access_log\n"
        f"PageLog {root}/log/page_log\nPrintcap {root}/printcap\nSystemGroup root\nSandboxing relaxed\n"
    )
    env = {**os.environ, "CUPS_SERVER": str(socket)}
    scheduler = subprocess.Popen([cupsd, "-f", "-c", str(root / "etc" / "cupsd.conf"),
                                  "-s", str(root / "etc" / "cups-files.conf")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while subprocess.run([lpstat, "-r"], env=env, capture_output=True, text=True).stdout.strip() \
                != "scheduler is running":
            if scheduler.poll() is not None or time.monotonic() > deadline:
                log = (root / "log" / "error_log")
                pytest.fail("cupsd did not start: " + (scheduler.stderr.read().decode(errors="replace") if
                            scheduler.poll() is not None and scheduler.stderr else "")
                            + (log.read_text(errors="replace")[-2000:] if log.exists() else ""))
            time.sleep(0.1)
        added = subprocess.run([lpadmin, "-p", QUEUE, "-v", "cups-pdf:/", "-E", "-P", str(ppd)], env=env,
                               capture_output=True, text=True)
        if added.returncode != 0:
            pytest.fail(f"lpadmin could not add the cups-pdf queue: {added.stderr}")
        yield {"env": env, "out": _cups_pdf_out(), "log": root / "log" / "error_log"}
    finally:
        scheduler.terminate()
        try:
            scheduler.wait(10)
        except subprocess.TimeoutExpired:
            scheduler.kill()
            scheduler.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def spooled(cups) -> Iterator[None]:
    """Removes the PDFs cups-pdf wrote during the test (in the submitting user's home)."""
    before = {p for folder in cups["out"] for p in folder.glob("*.pdf")}
    yield
    for path in {p for folder in cups["out"] for p in folder.glob("*.pdf")} - before:
        path.unlink(missing_ok=True)


def wait_for(cups, title: str, count: int = 1) -> list[Path]:
    """The ``count`` spooled PDFs of jobs named ``title``, oldest first, once cups-pdf wrote them."""
    deadline = time.monotonic() + WAIT_S
    while True:
        found = sorted((p for folder in cups["out"] for p in folder.glob(f"{title}*.pdf")),
                       key=lambda p: p.stat().st_mtime_ns)
        # cups-pdf writes the file in place: it is whole once it ends with the PDF trailer.
        if len(found) >= count and all(p.read_bytes().rstrip().endswith(b"%%EOF") for p in found):
            return found
        if time.monotonic() > deadline:
            log = cups["log"].read_text(errors="replace")[-3000:] if cups["log"].exists() else ""
            pytest.fail(f"cups-pdf wrote {len(found)} of {count} PDFs named {title} in {WAIT_S} s; log:\n{log}")
        time.sleep(0.1)


def desk(home: Path, cups, *args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = {**cups["env"], "DESK_APP_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "desk_app", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def pdf_text(path: Path) -> str:
    return skeleton("".join(page.extract_text() for page in PdfReader(path).pages))


@pytest.fixture(scope="module")
def home(cups, tmp_path_factory) -> Path:
    """A desk set up once, whose printer is the cups-pdf queue (`desk-app settings printer`)."""
    path = tmp_path_factory.mktemp("desk-home")
    assert desk(path, cups, *INIT).returncode == 0
    chosen = desk(path, cups, "settings", "printer", QUEUE)
    assert chosen.returncode == 0 and f"Máy in của quầy: {QUEUE}." in chosen.stdout
    return path


def test_receive_and_print_send_the_papers_to_the_desks_printer(cups, home, spooled, tmp_path):

    received = desk(home, cups, "receive", "--procedure", "2.000815", "--name", "Nguyễn Thị Thuỳ Dương",
                    "--id-number", "001190012345", "--pages", "3", "--copies", "2", "--print", "--json")
    assert received.returncode == 0, received.stderr
    data = json.loads(received.stdout)
    code = data["code"]
    assert data["receipt_pdf"] is None and data["fee_receipt_pdf"] is None  # printed, no file kept
    assert [(p["paper"], p["printer"], p["reprint"], p["print_no"]) for p in data["papers"]] == [
        ("receipt", QUEUE, False, 1), ("fee_receipt", QUEUE, False, 1)]
    assert all(re.fullmatch(rf"{QUEUE}-\d+", p["job_id"]) for p in data["papers"])
    assert not (home / "receipts").exists()

    (slip,) = wait_for(cups, f"{code}-giay-tiep-nhan")
    (fee,) = wait_for(cups, f"{code}-bien-lai")
    assert len(PdfReader(slip).pages) == 2 and len(PdfReader(fee).pages) == 2  # both copies (liên)
    slip_text, fee_text = pdf_text(slip), pdf_text(fee)
    assert code in slip_text and skeleton("BẢN IN LẠI") not in slip_text
    assert "001190012345" not in slip_text  # Mẫu 01 asks no ID number (docs/trust.md), nor does the QR carry it
    for value in ("01BLP2-001", "AA/26T", "0000001", code, skeleton("Số tiền: 10.000 đ")):
        assert value in fee_text
    assert skeleton("BẢN IN LẠI") not in fee_text

    # The paper the spooler produced still has a QR code a 100 dpi scan reads.
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", str(slip),
                    str(tmp_path / "scan")], check=True)
    qr = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "scan.png")], capture_output=True, text=True)
    assert qr.returncode == 0 and qr.stdout.startswith(f"MHS:{code} DV:000.21.33.H49 HT:")
    assert "001190012345" not in qr.stdout

    again = desk(home, cups, "print", code)
    assert again.returncode == 0, again.stderr
    assert f"Giấy tiếp nhận và hẹn trả kết quả (BẢN IN LẠI): đã gửi tới máy in {QUEUE} (lệnh in {QUEUE}-" \
        in again.stdout
    assert f"Biên lai thu phí, lệ phí (BẢN IN LẠI): đã gửi tới máy in {QUEUE}" in again.stdout
    slip_again = wait_for(cups, f"{code}-giay-tiep-nhan", 2)[-1]
    fee_again = wait_for(cups, f"{code}-bien-lai", 2)[-1]
    assert skeleton("BẢN IN LẠI") in pdf_text(slip_again)
    assert "0000001" in pdf_text(fee_again) and skeleton("Không phải một lần thu tiền mới.") in pdf_text(fee_again)


def test_a_refused_print_exits_3_and_the_next_print_is_the_original(cups, home, spooled, tmp_path):
    failed = desk(home, cups, "receive", "--procedure", "2.000815", "--name", "Trần Văn Bình", "--pages", "1",
                  "--print", "--printer", "khong-co-may-nay")
    assert failed.returncode == 3
    assert "ĐÃ ĐƯỢC LƯU" in failed.stderr and "Không có máy in «khong-co-may-nay» trong hệ thống in." in failed.stderr
    assert "Traceback" not in failed.stderr
    code = re.search(r"desk-app print (\S+)", failed.stderr).group(1)

    no_lp = desk(home, cups, "print", code, "--printer", QUEUE, path=str(tmp_path / "empty-path"))
    assert no_lp.returncode == 3 and "chưa có lệnh in «lp» (CUPS)" in no_lp.stderr

    printed = desk(home, cups, "print", code, "--printer", QUEUE, "--json")
    assert printed.returncode == 0, printed.stderr
    assert [(p["paper"], p["reprint"], p["print_no"]) for p in json.loads(printed.stdout)["papers"]] == [
        ("receipt", False, 1), ("fee_receipt", False, 1)]
    (slip,) = wait_for(cups, f"{code}-giay-tiep-nhan")
    (fee,) = wait_for(cups, f"{code}-bien-lai")
    assert skeleton("BẢN IN LẠI") not in pdf_text(slip) and skeleton("BẢN IN LẠI") not in pdf_text(fee)
