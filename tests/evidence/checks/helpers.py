"""Small real documents for the checks' tests."""

from __future__ import annotations

import io
import random

from docx import Document
from PIL import Image, ImageDraw, ImageFont

from tests.evidence.checks.corpus import FONT


def text_pdf(*pages: str) -> bytes:
    from weasyprint import HTML

    body = "".join(
        "<div style='page-break-after: always'>"
        + "".join(f"<p>{line}</p>" for line in page.splitlines())
        + "</div>"
        for page in pages
    )
    pdf: bytes = HTML(
        string=f"<html><body style='font-family: DejaVu Sans'>{body}</body></html>"
    ).write_pdf()
    return pdf


def docx_bytes(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def scan_png(*lines: str, seed: int = 1, fmt: str = "PNG", scale: float = 1.0) -> bytes:
    rng = random.Random(seed)
    image = Image.new("L", (1000, 120 + 34 * len(lines)), 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 24)
    for n, line in enumerate(lines):
        draw.text((40, 40 + 34 * n), line, font=font, fill=25)
    for _ in range(800):
        image.putpixel((rng.randrange(image.width), rng.randrange(image.height)), 160)
    if scale != 1.0:
        image = image.resize((int(image.width * scale), int(image.height * scale)))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format=fmt)
    return buffer.getvalue()


def photo(seed: int, fmt: str = "PNG", scale: float = 1.0) -> bytes:
    from tests.evidence.checks.corpus import _photo

    image = _photo(seed)
    if scale != 1.0:
        image = image.resize((int(image.width * scale), int(image.height * scale)))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **({"quality": 75} if fmt == "JPEG" else {}))
    return buffer.getvalue()
