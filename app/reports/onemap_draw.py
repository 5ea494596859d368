"""The poster's drawn pieces: map symbols beside list entries (drawn from the layer styles the
map uses, so a swatch in a list is the map's symbol), and the 1+8+5 structure diagram.
"""

from __future__ import annotations

import copy
import hashlib
import io

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from app.model.catalogue import Layer
from app.reports.fonts import reportlab_font
from app.reports.maps import BAND, HIGHLIGHT, PX_TO_PT, WATER_EDGE, WATER_FILL, WATER_LAYERS
from app.reports.styles import ACCENT, INK, MUTED


def _rgb(hex_colour: str | None, alpha: float = 1.0):
    if not hex_colour or alpha <= 0:
        return None
    c = colors.HexColor(hex_colour)
    return colors.Color(c.red, c.green, c.blue, alpha)


def draw_swatch(canv, layer: Layer, x: float, y: float, w: float, h: float) -> None:
    """`layer`'s symbol in the box (x, y, w, h), as the map's legend draws it (maps.py's
    legend handles: water in the water colours, corridors as a translucent band, dashed
    zones dashed); `h` stands for the legend's 4 mm."""
    s, k = layer.style, h / (4 * mm)
    canv.saveState()
    if layer.dimension == 0:
        canv.setFillColor(_rgb(s.stroke))
        canv.setStrokeColor(colors.white)
        canv.circle(x + w / 2, y + h / 2, min(w, h) * 0.32, stroke=1, fill=1)
    elif layer.code in BAND:
        canv.setStrokeColor(_rgb(s.stroke, 0.28))
        canv.setLineWidth(s.stroke_width * PX_TO_PT * 2.2 * k)
        canv.setLineCap(1)
        canv.line(x + h * 0.3, y + h / 2, x + w - h * 0.3, y + h / 2)
    elif layer.dimension == 1:
        canv.setStrokeColor(_rgb(s.stroke))
        canv.setLineWidth(max(s.stroke_width * PX_TO_PT, 0.8) * k)
        canv.line(x, y + h / 2, x + w, y + h / 2)
    else:
        water = layer.code in WATER_LAYERS
        fill = _rgb(WATER_FILL) if water else _rgb(s.fill, max(s.fill_opacity, 0.15))
        canv.setFillColor(fill or colors.white)
        canv.setStrokeColor(_rgb(WATER_EDGE if water else s.stroke) or colors.black)
        canv.setLineWidth(max(s.stroke_width * PX_TO_PT, 0.6) * k)
        if s.dash and not water:
            canv.setDash([v * k for v in s.dash])
        canv.rect(x, y, w, h, stroke=1, fill=1)
    canv.restoreState()


def draw_number(canv, n: int, x: float, y: float, size: float) -> None:
    """A linked project's number as the map marks it: white on a red disc."""
    canv.saveState()
    canv.setFillColor(_rgb(HIGHLIGHT))
    canv.setStrokeColor(colors.white)
    canv.circle(x, y, size * 0.72, stroke=1, fill=1)
    canv.setFillColor(colors.white)
    canv.setFont(reportlab_font(), size * (0.85 if n < 10 else 0.7))
    canv.drawCentredString(x, y - size * 0.3, str(n))
    canv.restoreState()


class PosterImage(Flowable):
    """The poster's map at a fixed size. Its PDF image object (a 300 ppi A1 map is tens of
    megabytes to compress) is made once and shared by the build's text-size passes."""

    _last: tuple[bytes, PDFImageXObject] | None = None  # one poster at a time

    def __init__(self, png: bytes, width: float, height: float):
        super().__init__()
        self.png, self.width, self.height = png, width, height

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def _xobject(self) -> PDFImageXObject:
        last = PosterImage._last
        if last is None or last[0] is not self.png:
            name = hashlib.md5(self.png, usedforsecurity=False).hexdigest()
            obj = PDFImageXObject(name, ImageReader(io.BytesIO(self.png)))
            obj.name = name
            PosterImage._last = last = (self.png, obj)
        return last[1]

    def draw(self) -> None:
        # What reportlab's drawImage does, minus decoding and compressing the image again.
        canv, shared = self.canv, self._xobject()
        reg = canv._doc.getXObjectName(shared.name)
        if canv._doc.idToObject.get(reg) is None:
            obj = copy.copy(shared)  # a document marks the objects it holds: one copy each
            obj.__dict__.pop("__InternalName__", None)
            canv._setXObjects(obj)
            canv._doc.Reference(obj, reg)
            canv._doc.addForm(obj.name, obj)
        canv._currentPageHasImages = 1
        canv.saveState()
        canv.scale(self.width, self.height)
        canv._code.append(f"/{reg} Do")
        canv.restoreState()
        canv._formsinuse.append(shared.name)  # the page's resources list it


class Mark(Flowable):
    """A symbol in the left indent of the paragraph that follows (kept with it)."""

    def __init__(self, paint, leading: float):
        super().__init__()
        self.paint, self.leading, self.keepWithNext = paint, leading, 1

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self) -> None:
        self.paint(self.canv, self.leading)


class SymbolRow(Flowable):
    """Map symbols with their names, wrapped onto as many lines as they need."""

    def __init__(self, items: list[tuple[Layer, str]], size: float):
        super().__init__()
        self.items, self.size = items, size
        self._lines: list[list[tuple[Layer, str, float]]] = []

    def _item_width(self, label: str) -> float:
        return self.size * 2.6 + stringWidth(label, reportlab_font(), self.size) + self.size

    def wrap(self, avail_width, avail_height):
        self._lines, line, used = [], [], 0.0
        for layer, label in self.items:
            w = self._item_width(label)
            if line and used + w > avail_width:
                self._lines.append(line)
                line, used = [], 0.0
            line.append((layer, label, used))
            used += w
        if line:
            self._lines.append(line)
        return avail_width, len(self._lines) * self.size * 1.6

    def draw(self) -> None:
        c, s = self.canv, self.size
        c.setFont(reportlab_font(), s)
        for i, line in enumerate(self._lines):
            y = (len(self._lines) - 1 - i) * s * 1.6 + s * 0.3
            for layer, label, x in line:
                draw_swatch(c, layer, x, y - s * 0.1, s * 2.0, s * 1.0)
                c.setFillColor(MUTED)
                c.drawString(x + s * 2.6, y, label)


class Diagram(Flowable):
    """A drawing of boxes, lines and strings, painted on the page's canvas directly: reportlab's
    own drawing renderer would set (and so reference, unembedded) Helvetica first."""

    def __init__(self, drawing: Drawing):
        super().__init__()
        self.drawing = drawing

    def wrap(self, avail_width, avail_height):
        return self.drawing.width, self.drawing.height

    def draw(self) -> None:
        c = self.canv
        for shape in self.drawing.contents:
            c.saveState()
            if isinstance(shape, Rect):
                c.setFillColor(shape.fillColor)
                c.setStrokeColor(shape.strokeColor)
                c.setLineWidth(shape.strokeWidth)
                c.roundRect(shape.x, shape.y, shape.width, shape.height, shape.rx, stroke=1, fill=1)
            elif isinstance(shape, Line):
                c.setStrokeColor(shape.strokeColor)
                c.setLineWidth(shape.strokeWidth)
                c.line(shape.x1, shape.y1, shape.x2, shape.y2)
            elif isinstance(shape, String):
                c.setFillColor(shape.fillColor)
                c.setFont(shape.fontName, shape.fontSize)
                c.drawCentredString(shape.x, shape.y, shape.text)
            c.restoreState()


def _fit(text: str, width: float, size: float) -> float:
    return min(size, width * 0.9 / max(stringWidth(text, reportlab_font(), 1), 1))


def _box(d: Drawing, x, y, w, h, text, size, fill, stroke, ink) -> None:
    d.add(Rect(x, y, w, h, fillColor=fill, strokeColor=stroke, strokeWidth=0.8, rx=2, ry=2))
    d.add(String(x + w / 2, y + h / 2 - size * 0.35, text, fontName=reportlab_font(),
                 fontSize=_fit(text, w, size), fillColor=ink, textAnchor="middle"))


def structure(width: float, size: float, report: str, systems: list[str],
              zones: list[tuple[str, str]]) -> Drawing:
    """The 1+8+5 diagram: the report, the systems (two rows of four) and the colour-coded
    zones (label, colour), each row headed by its count."""
    head, gap, box_h = size * 4.2, size * 0.6, size * 2.4
    inner = width - head
    rows = [[report], systems[:4], systems[4:], [z for z, _ in zones]]
    height = len(rows) * box_h + (len(rows) - 1) * gap * 2.2
    d = Drawing(width, height)
    tops = []
    for r, row in enumerate(rows):
        y = height - (r + 1) * box_h - r * gap * 2.2
        tops.append(y)
        n = max(len(row), 1)
        w = (inner - (n - 1) * gap) / n
        for i, text in enumerate(row):
            x = head + i * (w + gap)
            if r == 3:
                colour = colors.HexColor(zones[i][1])
                _box(d, x, y, w, box_h, text, size, _rgb(zones[i][1], 0.14), colour, INK)
            elif r == 0:
                _box(d, x, y, w, box_h, text, size * 1.1, ACCENT, ACCENT, colors.white)
            else:
                _box(d, x, y, w, box_h, text, size, colors.white, ACCENT, INK)
    for r in range(len(rows) - 1):  # the report leads the actions: one line down the middle
        d.add(Line(head + inner / 2, tops[r], head + inner / 2, tops[r + 1] + box_h,
                   strokeColor=MUTED, strokeWidth=0.8))
    counts = ((0, "1", "总报告"), (1, str(len(systems)), "系统行动"), (3, str(len(zones)), "板块行动"))
    for r, big, word in counts:
        centre = tops[r] + box_h / 2 if r != 1 else (tops[1] + tops[2] + box_h) / 2
        d.add(String(head * 0.42, centre - size * 0.2, big, fontName=reportlab_font(),
                     fontSize=size * 2.2, fillColor=ACCENT, textAnchor="middle"))
        d.add(String(head * 0.42, centre - size * 1.5, word, fontName=reportlab_font(),
                     fontSize=_fit(word, head, size * 0.7), fillColor=MUTED, textAnchor="middle"))
    return d
