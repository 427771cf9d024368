"""What many offices do today: fill a .docx template and convert it with headless LibreOffice.

The same two papers as the desk prints (slip and fee receipt, two copies each): a Word template
with placeholders, filled by replacing them in word/document.xml, then converted to PDF by one
`soffice --headless --convert-to pdf` started for the dossier ("cold": a new process each time,
as a script or a mail-merge macro starts it; its profile is made once beforehand, which only
helps it). The template is built here with the standard library, so nothing is downloaded.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from desk_app.domain.desk import DeskProfile
from desk_app.domain.dossier import Dossier
from desk_app.domain.text import format_vnd

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
COPIES = ("Liên 1: Lưu tại Bộ phận Một cửa", "Liên 2: Giao người nộp hồ sơ")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _run(text: str, *, bold: bool = False, italic: bool = False, size: int = 26) -> str:
    props = '<w:rFonts w:ascii="Liberation Serif" w:hAnsi="Liberation Serif" w:cs="Liberation Serif"/>'
    props += ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + f'<w:sz w:val="{size}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _para(text: str, *, center: bool = False, **run: object) -> str:
    align = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    return f"<w:p>{align}{_run(text, **run)}</w:p>"  # type: ignore[arg-type]


def _table(rows: list[list[str]], widths: list[int], *, grid: bool) -> str:
    borders = ("<w:tblBorders>" + "".join(f'<w:{side} w:val="single" w:sz="4"/>' for side in
               ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>") if grid else ""
    grid_cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = "".join(
        "<w:tr>" + "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{cell}</w:tc>'
                           for cell, w in zip(row, widths)) + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl><w:tblPr>{borders}</w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>{body}</w:tbl>"


def _header() -> str:
    left = _para("{{authority}}", center=True, bold=True) + _para("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", center=True,
                                                                    bold=True)
    right = (_para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", center=True, bold=True)
             + _para("Độc lập - Tự do - Hạnh phúc", center=True, bold=True)
             + _para("{{place}}, ngày {{date}}", center=True, italic=True))
    return _table([[left, right]], [4500, 5900], grid=False)


def _signatures(left: str, right: str) -> str:
    return _table([[_para(left, center=True, bold=True), _para(right, center=True, bold=True)],
                   [_para("(Ký và ghi rõ họ tên)", center=True, italic=True)] * 2,
                   [_para(""), _para("")], [_para(""), _para("{{receiver}}", center=True, bold=True)]],
                  [5200, 5200], grid=False)


def _slip(documents: int) -> str:
    rows = [[_para(h, bold=True, size=22) for h in ("STT", "Tên giấy tờ", "Hình thức", "Số lượng")]]
    rows += [[_para(f"{{{{doc{i}_{part}}}}}", size=22) for part in ("no", "name", "form", "count")]
             for i in range(documents)]
    return (
        _header() + _para("{{mark}}", italic=True)
        + _para("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", center=True, bold=True, size=30)
        + _para("Mã hồ sơ: {{code}}", center=True, bold=True)
        + "".join(_para(line) for line in (
            "Bộ phận tiếp nhận và trả kết quả {{commune}} tiếp nhận hồ sơ của:", "Ông/Bà: {{name}}",
            "Số định danh cá nhân: {{id_number}}", "Địa chỉ: {{address}}", "Số điện thoại: {{phone}}",
            "Nội dung yêu cầu giải quyết: {{procedure}}", "Thành phần hồ sơ:"))
        + _table(rows, [700, 5600, 2500, 1400], grid=True)
        + "".join(_para(line) for line in (
            "Số lượng hồ sơ: {{sets}} bộ", "Thời gian giải quyết hồ sơ theo quy định: {{statutory}}",
            "Thời gian nhận hồ sơ: {{received}}", "Thời gian trả kết quả giải quyết hồ sơ: {{due}}",
            "Đăng ký nhận kết quả: Tại Bộ phận Một cửa", "Vào Sổ theo dõi hồ sơ, Quyển số: {{book}}",
            "Phí, lệ phí: {{fee}}"))
        + _signatures("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ")
    )


def _fee() -> str:
    return (
        _header() + _para("{{mark}}", italic=True) + _para("BIÊN LAI THU PHÍ, LỆ PHÍ", center=True, bold=True, size=30)
        + "".join(_para(line) for line in (
            "Mẫu số: 01BLP2-001   Ký hiệu: AA/26T   Số: 0000123", "Tên đơn vị thu: {{authority}}",
            "Họ tên người nộp: {{name}}", "Địa chỉ: {{address}}", "Mã hồ sơ: {{code}}", "Nội dung thu: {{procedure}}",
            "Số tiền: {{fee}}", "Hình thức thanh toán: Tiền mặt", "Thời điểm nộp: {{received}}"))
        + _signatures("NGƯỜI NỘP TIỀN", "NGƯỜI THU TIỀN")
    )


def _document(copy: str) -> str:
    page_break = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    copies = [copy.replace("{{mark}}", mark) for mark in COPIES]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'
            + page_break.join(copies)
            + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="567" w:right="510" w:bottom="680" '
              'w:left="680" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:body></w:document>')


def write_templates(folder: Path, documents: int) -> tuple[Path, Path]:
    paths = folder / "giay-tiep-nhan.docx", folder / "bien-lai.docx"
    for path, body in zip(paths, (_document(_slip(documents)), _document(_fee()))):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as docx:
            docx.writestr("[Content_Types].xml", CONTENT_TYPES)
            docx.writestr("_rels/.rels", RELS)
            docx.writestr("word/document.xml", body)
    return paths


def _values(dossier: Dossier, profile: DeskProfile) -> dict[str, str]:
    a = dossier.applicant
    values = {
        "authority": profile.authority, "place": profile.place or profile.commune,
        "date": f"{dossier.received_at:%d/%m/%Y}", "code": dossier.code, "commune": profile.commune,
        "name": a.name, "id_number": a.id_number or "", "address": a.address or "", "phone": a.phone or "",
        "procedure": dossier.procedure_name, "sets": str(dossier.sets), "statutory": dossier.statutory_time,
        "received": f"{dossier.received_at:%H giờ %M phút, ngày %d/%m/%Y}",
        "due": f"{dossier.due_at:%H giờ %M phút, ngày %d/%m/%Y}",
        "book": f"{dossier.ledger_year}/Q{dossier.desk_no}, Số thứ tự: {dossier.ledger_no:02d}",
        "fee": f"{format_vnd(dossier.fee_vnd)} ({dossier.fee_detail})", "receiver": dossier.receiver,
    }
    for i, d in enumerate(dossier.documents):
        values |= {f"doc{i}_no": str(i + 1), f"doc{i}_name": d.name, f"doc{i}_form": d.form.label,
                   f"doc{i}_count": str(d.count)}
    return values


def fill(template: Path, target: Path, values: dict[str, str]) -> None:
    """Copy the template with every {{placeholder}} replaced by its (XML-escaped) value."""
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                for key, value in values.items():
                    text = text.replace("{{" + key + "}}", escape(value))
                data = text.encode("utf-8")
            out.writestr(item, data)


def measure(dossier: Dossier, profile: DeskProfile, runs: int) -> tuple[float, int]:
    """Median milliseconds to fill both templates and convert them in a new soffice process, and
    the page count of the last slip (checked by the caller: the conversion really happened)."""
    program = soffice()
    if program is None:
        raise FileNotFoundError("soffice")
    with tempfile.TemporaryDirectory(prefix="desk-docx-") as tmp:
        folder = Path(tmp)
        templates = write_templates(folder, len(dossier.documents))
        profile_dir = folder / "profile"
        values = _values(dossier, profile)
        samples = []
        for run in range(runs + 1):  # the first run makes LibreOffice's profile and is not counted
            out = folder / f"run{run}"
            out.mkdir()
            started = time.perf_counter()
            filled = [out / t.name for t in templates]
            for template, target in zip(templates, filled):
                fill(template, target, values)
            subprocess.run([program, f"-env:UserInstallation={profile_dir.as_uri()}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", str(out), *map(str, filled)],
                           check=True, capture_output=True, timeout=300)
            elapsed = (time.perf_counter() - started) * 1000
            if run:
                samples.append(elapsed)
        pdf = (out / templates[0].with_suffix(".pdf").name).read_bytes()
    samples.sort()
    return samples[len(samples) // 2], len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))
