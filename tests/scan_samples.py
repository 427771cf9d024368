"""Small scan files made on the fly: a PNG, a JPEG, a 3-page TIFF, a 2-page PDF."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def image(kind: str = "PNG", text: str = "CCCD 001190012345", size=(320, 200), colour="white") -> bytes:
    picture = Image.new("RGB", size, colour)
    ImageDraw.Draw(picture).text((10, 10), text, fill="black")
    out = io.BytesIO()
    picture.save(out, kind)
    return out.getvalue()


def tiff(pages: int = 3) -> bytes:
    frames = [Image.new("L", (100, 140), 255 - 40 * i) for i in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def pdf(pages: int = 2) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
