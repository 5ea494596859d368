"""Test tiles made without Qt: solid-colour PNGs (zlib + struct) in an MBTiles file or a folder."""

from __future__ import annotations

import sqlite3
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from app.basemap.tiles import Tile, tiles_for

RGB = tuple[int, int, int]


def solid_png(rgb: RGB, size: int = 256) -> bytes:
    """A size×size PNG of one colour."""
    row = b"\x00" + bytes(rgb) * size  # filter byte 0, then RGB pixels

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * size))
            + chunk(b"IEND", b""))


def checker(tile: Tile) -> RGB:
    """A colour telling a tile from its four neighbours (catches a missed TMS row flip)."""
    return {(0, 0): (200, 60, 60), (1, 0): (60, 160, 60), (0, 1): (60, 60, 200),
            (1, 1): (200, 180, 40)}[(tile.x % 2, tile.y % 2)]


def write_mbtiles(path: Path, bounds, zooms, colour: Callable[[Tile], RGB] = checker,
                  metadata: bool = True) -> Path:
    """An MBTiles file with a tile for every (z, x, y) over lon/lat `bounds` at `zooms`."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
               "tile_data BLOB)")
    if metadata:
        db.executemany("INSERT INTO metadata VALUES (?, ?)", [
            ("name", "test"), ("format", "png"), ("minzoom", str(min(zooms))),
            ("maxzoom", str(max(zooms))), ("bounds", ",".join(map(str, bounds)))])
    for z in zooms:
        db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", [
            (t.z, t.x, t.tms_row(), solid_png(colour(t))) for t in tiles_for(bounds, z, limit=10_000)])
    db.commit()
    db.close()
    return path


def write_folder(folder: Path, bounds, zooms, colour: Callable[[Tile], RGB] = checker) -> Path:
    """The same tiles as files {z}/{x}/{y}.png."""
    for z in zooms:
        for t in tiles_for(bounds, z, limit=10_000):
            path = folder / str(t.z) / str(t.x) / f"{t.y}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(solid_png(colour(t)))
    return folder
