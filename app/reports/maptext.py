"""Searchable map labels: the raster map carries its labels' text and positions in a PNG text
chunk, and the PDF draws them as invisible text over the image (render mode 3, as OCR layers
do), so a reader can search, select and copy place names while the map stays a raster.

    draw_labels(canvas, png, width, height)   # in a flowable's draw(), after drawImage
"""

from __future__ import annotations

import io
import json

from PIL import Image

LABELS_KEY = "Map-Labels"
PX_TO_MM = 25.4


def encode(placed, dpi: int) -> str:
    """The placed labels as JSON: text, lower-left corner in mm from the image's lower left,
    box width in mm and font size in points."""
    rows = [[p.text.replace("\n", " "), round(p.box[0] / dpi * PX_TO_MM, 2),
             round(p.box[1] / dpi * PX_TO_MM, 2), round((p.box[2] - p.box[0]) / dpi * PX_TO_MM, 2),
             round(p.size, 2)] for p in placed]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def labels(png: bytes) -> list[tuple[str, float, float, float, float]]:
    """(text, x mm, y mm, width mm, size pt) of the labels stored in a rendered map."""
    with Image.open(io.BytesIO(png)) as image:
        raw = image.info.get(LABELS_KEY)
    return [tuple(r) for r in json.loads(raw)] if raw else []


def image_mm(png: bytes) -> tuple[float, float]:
    """The rendered map's size in mm (from its pixel size and resolution)."""
    with Image.open(io.BytesIO(png)) as image:
        dpi = image.info.get("dpi", (72, 72))
        return image.size[0] / dpi[0] * PX_TO_MM, image.size[1] / dpi[1] * PX_TO_MM


def draw_labels(canvas, png: bytes, width: float, height: float) -> None:
    """Invisible, searchable text for each label, scaled to the image drawn at width × height
    (points) with its lower-left corner at the canvas origin."""
    from reportlab.lib.units import mm

    from app.reports.fonts import reportlab_font

    w_mm, h_mm = image_mm(png)
    sx, sy = width / (w_mm * mm), height / (h_mm * mm)
    for text, x, y, box_w, size in labels(png):
        flat = text.replace("\n", " ")
        t = canvas.beginText()
        t.setTextRenderMode(3)  # invisible: the raster shows the label, this makes it findable
        t.setFont(reportlab_font(), size * sy)
        natural = canvas.stringWidth(flat, reportlab_font(), size * sy) or 1.0
        t.setHorizScale(100.0 * box_w * mm * sx / natural)  # span the label's box
        t.setTextOrigin(x * mm * sx, y * mm * sy + size * sy * 0.2)
        t.textOut(flat)
        canvas.drawText(t)
