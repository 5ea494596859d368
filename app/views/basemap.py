"""The basemap under the map's features: tiles fetched on a thread pool of its own (never the GUI
or the DB worker thread), decoded on arrival (~1 ms a tile), kept in a small cache and drawn by the map's
drawBackground; or, when no tile source is configured, the built-in offline context.

Tiles are Web Mercator; the scene is lon/lat (graphics.Projection), so each tile is placed by its
lon/lat edges, in horizontal strips at small zooms where Mercator rows drift from a linear
latitude scale (see app/basemap/tiles.py for the remaining error).
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from dataclasses import replace
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QPoint, QRect, QRectF, QStandardPaths, QThreadPool, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

from app.basemap.context import Context, load_context
from app.basemap.sources import BasemapConfig, BasemapError, TileSource, open_source
from app.basemap.tiles import Tile, row_lat, tiles_for, zoom_for
from app.views.graphics import Projection, geometry_path
from app.views.i18n import tr
from app.views.settings import settings

log = logging.getLogger(__name__)

CACHE_TILES = 320  # decoded tiles kept (256 KB each): a 1920×1080 view and its prefetch ring
MAX_VISIBLE_TILES = 200  # a 4K screen needs ~170
PREFETCH = 0.5  # tiles are fetched for this share of the view more on each side (drag-pan)
THREADS = 4  # tile fetches in flight: I/O bound
ANCESTOR_LEVELS = 4  # while a tile loads, a cached parent up to this many levels stands in
STRIPS_BELOW_ZOOM = 10  # smaller zooms are drawn in strips (Mercator rows vs linear latitude)
STRIPS = 8
LAND, WATER, COAST = "#F3F0E8", "#BFD7EA", "#C9C2B2"  # built-in context: paper land, pale water
SETTINGS_DEFAULT, SETTINGS_PROJECT = "basemap/default", "basemap/project/{}"


def saved_config(project_path: Path | str | None) -> BasemapConfig:
    """The basemap chosen for this project, else the last one chosen, else the built-in context."""
    store = settings()
    text = store.value(_project_key(project_path)) if project_path else None
    return BasemapConfig.from_json(text or store.value(SETTINGS_DEFAULT))


def save_config(config: BasemapConfig, project_path: Path | str | None) -> None:
    """Remember `config` for this project and as the default for projects without a choice."""
    store = settings()
    store.setValue(SETTINGS_DEFAULT, config.to_json())
    if project_path:
        store.setValue(_project_key(project_path), config.to_json())


def _project_key(path: Path | str) -> str:
    digest = hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:16]
    return SETTINGS_PROJECT.format(digest)


def source_name(config: BasemapConfig) -> str:
    """A short name for messages: the server's host or the file's name."""
    if config.kind in ("xyz", "wms"):
        return urlsplit(config.location).netloc or config.location
    return Path(config.location).name or config.location


class _Bridge(QObject):
    """Carries results from pool threads back to the GUI thread (queued by Qt)."""

    opened = Signal(int, object, object)  # generation, TileSource | Context | None, error
    loaded = Signal(int, object, object)  # generation, Tile, encoded bytes | None (False: skipped)
    failed = Signal(int, object, str)  # generation, Tile, core message


class BasemapLayer(QObject):
    """One configured basemap; `changed` asks the map to repaint, `failed` carries a message."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = BasemapConfig(kind="none")
        self.project_path: Path | None = None
        # Named here: the app sets no QApplication name, so CacheLocation would say "python".
        self.cache_dir = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.GenericCacheLocation)) / "coplan" / "basemap-tiles"
        self.projection = Projection(31.0)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(THREADS)
        self._bridge = _Bridge(self)
        self._bridge.opened.connect(self._on_opened)
        self._bridge.loaded.connect(self._on_loaded)
        self._bridge.failed.connect(self._on_failed)
        self._generation, self._opening = 0, False
        self._source: TileSource | None = None
        self._context: Context | None = None
        self._context_paths: list[tuple[QPainterPath, str]] = []
        self._reset_tiles()

    def _reset_tiles(self) -> None:
        self._images: OrderedDict[Tile, QImage] = OrderedDict()
        self._pending: set[Tile] = set()
        self._absent: set[Tile] = set()  # no tile there, or it failed: not asked again
        self._wanted: frozenset[Tile] = frozenset()  # read by pool threads: replaced, never mutated
        self._reported = False

    # -- configuration ---------------------------------------------------------------------

    def show_project(self, path: Path | str | None, projection: Projection) -> None:
        """Restore the basemap remembered for the project at `path`."""
        self.project_path = Path(path) if path else None
        if projection != self.projection:
            self.projection = projection
            self._project_context()
        self.configure(saved_config(self.project_path))

    def configure(self, config: BasemapConfig) -> None:
        """Switch to `config`; the source is opened on the pool (file and network work)."""
        same = replace(config, opacity=self.config.opacity) == self.config
        if same and (self.ready or self._opening or config.kind == "none"):
            self.set_opacity(config.opacity)  # same source: keep its tiles
            return
        self._generation += 1
        self._close_source()
        self.config = config
        self._reset_tiles()
        self._opening = config.kind != "none"
        if self._opening:
            self._pool.start(partial(self._open, self._generation, config, self.cache_dir))
        self.changed.emit()

    def set_opacity(self, opacity: float) -> None:
        """Change the opacity only: no reopening, no refetching."""
        self.config = BasemapConfig(self.config.kind, self.config.location, self.config.layer,
                                    max(0.0, min(1.0, opacity)))
        self.changed.emit()

    def _open(self, generation: int, config: BasemapConfig, cache_dir: Path) -> None:
        """Pool thread: open the source (or load the built-in context)."""
        try:
            opened = load_context() if config.kind == "builtin" else open_source(config, cache_dir)
            self._bridge.opened.emit(generation, opened, None)
        except BasemapError as exc:
            self._bridge.opened.emit(generation, None, exc.message)
        except Exception as exc:  # an unexpected failure must not kill the pool thread
            log.exception("opening basemap %s failed", config)
            self._bridge.opened.emit(generation, None, str(exc))

    def _on_opened(self, generation: int, opened, error: str | None) -> None:
        if generation != self._generation:
            if opened is not None and not isinstance(opened, Context):
                opened.close()  # superseded while opening
            return
        self._opening = False
        if error is not None:
            log.warning("basemap %s: %s", self.config.location, error)
            self.failed.emit(tr("The basemap {} cannot be opened; the map works without it. "
                                "Choose another under View → Basemap…").format(source_name(self.config)))
            return
        if isinstance(opened, Context):
            self._context = opened
            self._project_context()
        else:
            self._source = opened
        self.changed.emit()

    def _project_context(self) -> None:
        context = self._context or Context((), ())
        self._context_paths = [(geometry_path(g, self.projection), LAND) for g in context.land] + \
            [(geometry_path(g, self.projection), WATER) for g in context.water]

    def _close_source(self) -> None:
        if self._source is not None:
            self._pool.start(self._source.close)  # after the fetches queued before it
        self._source, self._context, self._context_paths = None, None, []

    def stop(self) -> None:
        """Drop queued fetches, wait for running ones, close the source."""
        self._generation += 1
        self._pool.clear()
        self._pool.waitForDone()
        if self._source is not None:
            self._source.close()
        self._source = None

    @property
    def ready(self) -> bool:
        """True when a source or the context is open."""
        return self._source is not None or bool(self._context_paths)

    # -- tiles -----------------------------------------------------------------------------

    def _request(self, tiles: list[Tile]) -> None:
        self._wanted = frozenset(tiles)
        for tile in tiles:
            if tile not in self._images and tile not in self._pending and tile not in self._absent:
                self._pending.add(tile)
                self._pool.start(partial(self._load, self._generation, self._source, tile))

    def _load(self, generation: int, source: TileSource, tile: Tile) -> None:
        """Pool thread: read or fetch one tile (its bytes)."""
        if generation != self._generation or tile not in self._wanted:
            self._bridge.loaded.emit(generation, tile, False)  # the view moved on: skip
            return
        try:
            data = source.tile(tile)
        except BasemapError as exc:
            self._bridge.failed.emit(generation, tile, exc.message)
            return
        except Exception as exc:  # e.g. a corrupt MBTiles page, or the source closed meanwhile
            if generation == self._generation:
                log.exception("basemap tile %s failed", tile)
            self._bridge.failed.emit(generation, tile, str(exc))
            return
        # Only the bytes leave this thread: decoding with Qt here could take Qt's image-plugin
        # lock while holding Python's, and hang against the GUI thread doing the reverse.
        self._bridge.loaded.emit(generation, tile, data or None)

    def _on_loaded(self, generation: int, tile: Tile, image) -> None:
        if generation != self._generation:
            return
        self._pending.discard(tile)
        if image is False:
            return  # skipped: asked again when in view
        image = _decoded(image) if image is not None else None
        if image is None:
            self._absent.add(tile)
            return
        self._images[tile] = image
        while len(self._images) > CACHE_TILES:
            self._images.popitem(last=False)
        self.changed.emit()

    def _on_failed(self, generation: int, tile: Tile, error: str) -> None:
        if generation != self._generation:
            return
        self._pending.discard(tile)
        self._absent.add(tile)
        if not self._reported:  # once per configuration, not once per tile
            self._reported = True
            log.warning("basemap %s: %s", self.config.location, error)
            self.failed.emit(tr("The basemap server {} does not answer; the map works without "
                                "it.").format(source_name(self.config)))

    # -- drawing ---------------------------------------------------------------------------

    def draw(self, painter: QPainter, rect: QRectF, px_per_km: float) -> None:
        """Paint the basemap for scene `rect` (the painter maps scene km to the viewport)."""
        if self.config.kind == "none" or not self.ready:
            return
        painter.save()
        painter.setOpacity(self.config.opacity)
        if self._context_paths:
            self._draw_context(painter, px_per_km)
        elif self._source is not None:
            self._draw_tiles(painter, rect, px_per_km)
        painter.restore()

    def _draw_context(self, painter: QPainter, px_per_km: float) -> None:
        for path, colour in self._context_paths:
            painter.setPen(QColor(COAST) if colour == LAND else QColor(WATER).darker(110))
            painter.setBrush(QColor(colour))
            painter.drawPath(path)

    def tiles_in_view(self, rect: QRectF, px_per_km: float) -> list[Tile]:
        """The tiles covering scene `rect` at the zoom matching the screen's resolution."""
        west, north = self.projection.to_lonlat(rect.topLeft())
        east, south = self.projection.to_lonlat(rect.bottomRight())
        metres_per_px = 1000.0 / max(px_per_km, 1e-9)
        z = zoom_for(metres_per_px, (north + south) / 2, self._source.min_zoom, self._source.max_zoom)
        return tiles_for((west, south, east, north), z)

    def _draw_tiles(self, painter: QPainter, rect: QRectF, px_per_km: float) -> None:
        tiles = self.tiles_in_view(rect, px_per_km)
        if len(tiles) > MAX_VISIBLE_TILES:
            return  # the source starts at a deeper zoom than this scale: it would only thrash
        mx, my = rect.width() * PREFETCH, rect.height() * PREFETCH
        ring = self.tiles_in_view(rect.adjusted(-mx, -my, mx, my), px_per_km)
        shown = set(tiles)
        extra = [t for t in ring if t not in shown][:CACHE_TILES - len(tiles) - 16]
        self._request(tiles + extra)  # what is wanted fits the cache: nothing evicted in a loop
        world = painter.worldTransform()
        painter.resetTransform()  # tiles go to whole device pixels: no seams between them
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for tile in tiles:
            found = self._image_for(tile)
            if found is not None:
                self._draw_tile(painter, world, tile, *found)

    def _image_for(self, tile: Tile) -> tuple[QImage, QRectF] | None:
        """The tile's image, or the part of a cached ancestor covering it, with the source rect."""
        image = self._images.get(tile)
        if image is not None:
            self._images.move_to_end(tile)
            return image, QRectF(image.rect())
        ancestor, depth = tile, 0
        while ancestor.z > 0 and depth < ANCESTOR_LEVELS:
            ancestor, depth = ancestor.parent(), depth + 1
            image = self._images.get(ancestor)
            if image is not None:
                share = image.width() / 2**depth
                dx, dy = tile.x - ancestor.x * 2**depth, tile.y - ancestor.y * 2**depth
                return image, QRectF(dx * share, dy * share, share, image.height() / 2**depth)
        return None

    def _draw_tile(self, painter: QPainter, world, tile: Tile, image: QImage, source: QRectF) -> None:
        strips = STRIPS if tile.z < STRIPS_BELOW_ZOOM else 1
        west, _, east, _ = tile.bounds()
        for i in range(strips):
            north, south = row_lat(tile.z, tile.y + i / strips), row_lat(tile.z, tile.y + (i + 1) / strips)
            target = world.mapRect(self.projection.rect((west, south, east, north)))
            pixels = QRect(QPoint(round(target.left()), round(target.top())),
                           QPoint(round(target.right()) - 1, round(target.bottom()) - 1))
            part = QRectF(source.x(), source.y() + source.height() * i / strips,
                          source.width(), source.height() / strips)
            painter.drawImage(QRectF(pixels), image, part)


def _decoded(data: bytes) -> QImage | None:
    """A tile's PNG/JPEG bytes as an image ready to paint (~1 ms for 256×256), or None."""
    image = QImage.fromData(data)
    if image.isNull():
        return None
    # Premultiplied ARGB is what the raster engine blends fastest on every repaint.
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
