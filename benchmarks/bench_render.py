"""Map rendering: full redraw of 100k polygons against a raw QPainter loop drawing the same
paths with the same pen and brush on the same image in the same run, and frame times while
panning (the GUI thread only blits the last frame; the render thread redraws behind it).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_render [--n 100000]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# A benchmark of the views measures Qt itself (pyproject's per-file ignore would be the other way).
from PySide6.QtCore import QRectF  # noqa: E402, TID251
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402, TID251
from PySide6.QtWidgets import QApplication  # noqa: E402, TID251

from app.editing.selection import Selection  # noqa: E402
from app.editing.store import FeatureStore  # noqa: E402
from app.model.catalogue import load_catalogue  # noqa: E402
from app.model.feature import Feature  # noqa: E402
from app.views import render, symbols  # noqa: E402
from app.views.graphics import Projection, geometry_path  # noqa: E402
from app.views.loader import LayerData, ProjectData, padded, scene_size  # noqa: E402
from app.views.map_view import BACKGROUND, MapView  # noqa: E402
from benchmarks.common import parcels, timed  # noqa: E402

log = logging.getLogger(__name__)
SIZE = (1200, 800)  # px, the map area of a 1440×900 window
LAYER = "GHYDYH"


def project_data(n: int) -> ProjectData:
    """`n` parcels as a one-layer project, paths built as the loader builds them."""
    catalogue = load_catalogue()
    geoms = parcels(n)
    features = tuple(Feature(LAYER, f"p{i}", "310000", {}, g) for i, g in enumerate(geoms))
    home = padded((119.5, 30.0, 122.0, 32.0))
    projection = Projection((home[1] + home[3]) / 2)
    paths = {f.uuid: geometry_path(f.geometry, projection) for f in features}
    sizes = {f.uuid: scene_size(f.geometry, projection) for f in features}
    layer = catalogue.layer(LAYER)
    return ProjectData(None, "310000", "上海市", "editor", "EPSG:4490", catalogue, catalogue.categories,
                       (LayerData(layer, features),), home, paths, sizes)


def raw_loop(data: ProjectData, rect: QRectF) -> QImage:
    """The baseline: every path drawn with one pen and brush, nothing skipped."""
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(BACKGROUND))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(render.scene_transform(rect, SIZE[0]))
    style = data.layers[0].layer.style
    painter.setPen(symbols.pen(style))
    painter.setBrush(symbols.brush(style))
    for path in data.paths.values():
        painter.drawPath(path)
    painter.end()
    return image


def coplan_frame(view: MapView, rect: QRectF) -> QImage:
    """What the map does per frame: spatial-index query, then the render-thread function."""
    frame = render.Frame(0, rect, *SIZE, tuple(view.batches(rect)), BACKGROUND)
    return render.render_frame(frame)


def pan_frames(app: QApplication, view: MapView, steps: int = 40) -> list[float]:
    """GUI-thread time per pan step: scroll + repaint of the viewport (ms)."""
    times = []
    for i in range(steps):
        start = time.perf_counter()
        view.pan_by(0.02 if i % 20 < 10 else -0.02, 0.01)
        view.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
        app.processEvents()
    return times


def rows(n: int) -> list[tuple[str, float, float]]:
    app = QApplication.instance() or QApplication([])
    data = project_data(n)
    store = FeatureStore()
    store.reset({LAYER: data.layers[0].features})
    view = MapView(store, Selection())
    view.resize(*SIZE)
    view.show()
    view.show_project(data, {LAYER: True})
    home = data.projection.rect(data.home)
    zoomed = QRectF(home.center().x() - home.width() / 16, home.center().y() - home.height() / 16,
                    home.width() / 8, home.height() / 8)
    coplan_frame(view, home)  # builds the per-layer arrays once, as the first frame does
    out = []
    for name, rect in (("full extent", home), ("zoomed 1/8", zoomed)):
        raw = timed(lambda r=rect: raw_loop(data, r))
        ours = timed(lambda r=rect: coplan_frame(view, r))
        out.append((f"full redraw, {name}", raw, ours))
    tiny, render.TINY_PX = render.TINY_PX, 0.0  # level of detail off: the pipeline's own overhead
    raw = timed(lambda: raw_loop(data, home))
    out.append(("full redraw, full extent, LOD off", raw, timed(lambda: coplan_frame(view, home))))
    render.TINY_PX = tiny
    view.zoom_to_bounds((120.6, 30.9, 120.9, 31.1))
    frames = pan_frames(app, view)
    out.append(("pan frame (GUI thread, median ms)", float("nan"), statistics.median(frames) / 1000))
    out.append(("pan frame (GUI thread, p95 ms)", float("nan"),
                sorted(frames)[int(len(frames) * 0.95) - 1] / 1000))
    view.cleanup()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="polygons")
    args = parser.parse_args(argv)
    lines = [f"Map rendering, {args.n:,} polygons, {SIZE[0]}×{SIZE[1]} px, antialiased", "",
             "| case | raw QPainter loop (ms) | CoPlan (ms) | ratio |", "| --- | ---: | ---: | ---: |"]
    for name, raw, ours in rows(args.n):
        ratio = "" if raw != raw else f"{ours / raw:.2f}×"
        raw_text = "—" if raw != raw else f"{raw * 1000:.0f}"
        lines.append(f"| {name} | {raw_text} | {ours * 1000:.1f} | {ratio} |")
    print("\n".join(lines))  # noqa: T201 - a benchmark's report is its output


if __name__ == "__main__":
    main()
