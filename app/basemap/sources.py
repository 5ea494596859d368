"""Where basemap tiles come from: an MBTiles file, an XYZ folder, an XYZ or WMS URL.

Every source answers `tile(Tile) -> bytes | None` (None: nothing there) from any thread; the
views call it from a thread pool, never from the GUI or the DB worker thread. URL sources keep an
on-disk cache so that a tile seen once is there offline; a cached tile older than CACHE_DAYS is
fetched again when the server answers and used as it is when it does not.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode, urlsplit

import requests

from app.basemap.tiles import MAX_ZOOM, TILE_PX, Tile
from app.errors import CoplanError

log = logging.getLogger(__name__)

KINDS = ("builtin", "none", "mbtiles", "folder", "xyz", "wms")
TIMEOUT = (3.05, 6.0)  # s: connect, read (closing the window waits for a fetch in flight)
CACHE_DAYS = 30
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"RIFF", b"GIF8")  # PNG, JPEG, WebP, GIF
FOLDER_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


class BasemapError(CoplanError):
    """A basemap source that cannot be opened or does not answer; the map works without it."""


@dataclass(frozen=True)
class BasemapConfig:
    """What the user chose in the Basemap dialog; stored as JSON in the settings."""

    kind: str = "builtin"  # one of KINDS
    location: str = ""  # file, folder or URL (template)
    layer: str = ""  # WMS LAYERS parameter
    opacity: float = 1.0  # 0..1

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> BasemapConfig:
        """The config stored as `text`; the default when it is missing or unreadable."""
        try:
            data = json.loads(text or "")
            config = cls(**{k: data[k] for k in ("kind", "location", "layer", "opacity") if k in data})
        except (ValueError, TypeError):
            return cls()
        return config if config.kind in KINDS else cls()

    @property
    def tiled(self) -> bool:
        return self.kind in ("mbtiles", "folder", "xyz", "wms")


class TileSource(Protocol):
    min_zoom: int
    max_zoom: int

    def tile(self, tile: Tile) -> bytes | None: ...

    def close(self) -> None: ...


class MBTilesSource:
    """An MBTiles file (SQLite, rows counted from the south), opened read-only."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local, self._lock = threading.local(), threading.Lock()
        self._connections: list = []
        try:
            meta = dict(self._db().execute("SELECT name, value FROM metadata").fetchall())
            self._db().execute("SELECT 1 FROM tiles LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            self.close()
            raise BasemapError(f"Not an MBTiles file: {self.path.name}") from exc
        if meta.get("format") == "pbf":  # vector tiles need a style and a renderer we lack
            self.close()
            raise BasemapError(f"Vector MBTiles are not supported, only image tiles: {self.path.name}")
        self.min_zoom, self.max_zoom = _zoom_range(meta, self._db)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:  # one connection per thread: sqlite3 objects stay on their thread
            uri = self.path.resolve().as_uri() + "?mode=ro"
            db = self._local.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            with self._lock:
                self._connections.append(db)
        return db

    def tile(self, tile: Tile) -> bytes | None:
        row = self._db().execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (tile.z, tile.x, tile.tms_row())).fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()


def _zoom_range(meta: dict, db) -> tuple[int, int]:
    try:
        return int(meta["minzoom"]), int(meta["maxzoom"])
    except (KeyError, ValueError):  # optional metadata: ask the tiles
        low, high = db().execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
        return int(low or 0), int(high if high is not None else MAX_ZOOM)


class FolderSource:
    """A folder of tiles laid out {z}/{x}/{y}.png (or .jpg, .webp), as gdal2tiles --xyz writes."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        zooms = [int(p.name) for p in self.folder.iterdir() if p.is_dir() and p.name.isdigit()] \
            if self.folder.is_dir() else []
        if not zooms:
            raise BasemapError(f"No tiles laid out as z/x/y in {self.folder}")
        self.min_zoom, self.max_zoom = min(zooms), max(zooms)

    def tile(self, tile: Tile) -> bytes | None:
        stem = self.folder / str(tile.z) / str(tile.x) / str(tile.y)
        for suffix in FOLDER_SUFFIXES:
            path = stem.with_suffix(suffix)
            if path.is_file():
                return path.read_bytes()
        return None

    def close(self) -> None:
        pass


class UrlSource:
    """Tiles over HTTP(S), with an on-disk cache keyed by the URL pattern."""

    def __init__(self, pattern: str, cache_dir: Path | str | None, wms_layer: str = "",
                 min_zoom: int = 0, max_zoom: int = 19) -> None:
        if urlsplit(pattern).scheme not in ("http", "https"):
            raise BasemapError(f"Not an http(s) address: {pattern}")
        self.pattern, self.wms_layer = pattern, wms_layer
        self.min_zoom, self.max_zoom = min_zoom, max_zoom
        key = hashlib.sha1(f"{pattern}|{wms_layer}".encode()).hexdigest()[:16]
        self.cache = Path(cache_dir) / key if cache_dir else None
        self._local = threading.local()

    def url(self, tile: Tile) -> str:
        """The address of one tile: the XYZ template filled in, or a WMS GetMap in EPSG:3857."""
        if not self.wms_layer:
            url = self.pattern.replace("{-y}", str(tile.tms_row()))
            for key, value in (("{z}", tile.z), ("{x}", tile.x), ("{y}", tile.y)):
                url = url.replace(key, str(value))
            return url
        params = {"SERVICE": "WMS", "VERSION": "1.1.1", "REQUEST": "GetMap", "LAYERS": self.wms_layer,
                  "STYLES": "", "SRS": "EPSG:3857", "FORMAT": "image/png", "TRANSPARENT": "TRUE",
                  "WIDTH": TILE_PX, "HEIGHT": TILE_PX,
                  "BBOX": ",".join(f"{v:.3f}" for v in tile.mercator_bounds())}
        return self.pattern + ("&" if "?" in self.pattern else "?") + urlencode(params)

    def tile(self, tile: Tile) -> bytes | None:
        path = self.cache / str(tile.z) / str(tile.x) / f"{tile.y}.tile" if self.cache else None
        cached = path.read_bytes() if path is not None and path.is_file() else None
        if cached is not None and path is not None and time.time() - path.stat().st_mtime < CACHE_DAYS * 86400:
            return cached
        try:
            data = self._fetch(tile)
        except BasemapError:
            if cached is not None:
                return cached  # offline first: a stale tile beats none
            raise
        if data is not None and path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return data

    def _fetch(self, tile: Tile) -> bytes | None:
        session = getattr(self._local, "session", None)
        if session is None:  # requests sessions are not shared between threads
            session = self._local.session = requests.Session()
        host = urlsplit(self.pattern).netloc
        try:
            response = session.get(self.url(tile), timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise BasemapError(f"The basemap server {host} cannot be reached") from exc
        if response.status_code in (204, 404):
            return None  # no tile there: not an error
        if response.status_code != 200 or not response.content.startswith(IMAGE_MAGIC):
            raise BasemapError(f"The basemap server {host} answered without an image "
                               f"(HTTP {response.status_code})")
        return response.content

    def close(self) -> None:
        pass


def open_source(config: BasemapConfig, cache_dir: Path | str | None = None) -> TileSource | None:
    """The tile source `config` names (None for the built-in context or none); may raise BasemapError."""
    if config.kind == "mbtiles":
        if not Path(config.location).is_file():
            raise BasemapError(f"Basemap file not found: {config.location}")
        return MBTilesSource(config.location)
    if config.kind == "folder":
        return FolderSource(config.location)
    if config.kind == "xyz":
        if "{z}" not in config.location or "{x}" not in config.location:
            raise BasemapError(f"A tile address needs the z, x and y placeholders: {config.location}")
        return UrlSource(config.location, cache_dir)
    if config.kind == "wms":
        if not config.layer:
            raise BasemapError("A WMS basemap needs a layer name")
        return UrlSource(config.location, cache_dir, wms_layer=config.layer)
    return None
