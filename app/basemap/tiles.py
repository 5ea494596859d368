"""Web Mercator (EPSG:3857) tile math in the XYZ scheme (x east, y south from 85.05° N).

The map scene is lon/lat scaled linearly (app/views/graphics.Projection), so a tile is placed by
its lon/lat corners. Inside a tile Mercator y is not linear in latitude; the error of a linear
placement is about tan(lat)·Δlat/8 of the tile's height (`placement_error_px`): under 0.1 px at
city scale (zoom ≥ 10 near 31° N), a few px at zoom 5. Views draw each tile in horizontal strips
to cut it further.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

TILE_PX = 256
EARTH_RADIUS = 6378137.0  # m, the sphere of EPSG:3857
HALF_WORLD = math.pi * EARTH_RADIUS  # m, from 0 to the edge of the square world
MAX_LAT = 85.0511287798  # degrees: where Mercator's square world ends
MAX_ZOOM = 22


@dataclass(frozen=True, order=True)
class Tile:
    """One XYZ tile: zoom, column (east), row (south)."""

    z: int
    x: int
    y: int

    def parent(self) -> Tile:
        return Tile(self.z - 1, self.x // 2, self.y // 2)

    def bounds(self) -> tuple[float, float, float, float]:
        """lon/lat bounds (west, south, east, north), degrees."""
        n = 2**self.z
        west, east = self.x / n * 360.0 - 180.0, (self.x + 1) / n * 360.0 - 180.0
        return west, _lat_of_row(self.y + 1, n), east, _lat_of_row(self.y, n)

    def mercator_bounds(self) -> tuple[float, float, float, float]:
        """EPSG:3857 bounds (minx, miny, maxx, maxy), metres (for WMS GetMap)."""
        size = 2 * HALF_WORLD / 2**self.z
        minx, maxy = -HALF_WORLD + self.x * size, HALF_WORLD - self.y * size
        return minx, maxy - size, minx + size, maxy

    def tms_row(self) -> int:
        """The row counted from the south, as MBTiles stores it."""
        return 2**self.z - 1 - self.y


def row_lat(z: int, row: float) -> float:
    """Latitude of a (fractional) tile row edge at zoom z, degrees."""
    return _lat_of_row(row, 2**z)


def _lat_of_row(row: float, n: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))


def tile_at(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Fractional tile column and row of a lon/lat at zoom z."""
    n = 2**z
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = (lon + 180.0) / 360.0 * n
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return x, y


def tiles_for(bounds: tuple[float, float, float, float], z: int, limit: int = 400) -> list[Tile]:
    """Tiles at zoom z covering lon/lat bounds, nearest the centre first; at most `limit`."""
    west, south, east, north = bounds
    n = 2**z
    x0, y0 = tile_at(west, north, z)
    x1, y1 = tile_at(east, south, z)
    cols = range(max(0, math.floor(x0)), min(n - 1, math.floor(x1)) + 1)
    rows = range(max(0, math.floor(y0)), min(n - 1, math.floor(y1)) + 1)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    tiles = sorted((Tile(z, x, y) for x in cols for y in rows),
                   key=lambda t: (t.x + 0.5 - cx) ** 2 + (t.y + 0.5 - cy) ** 2)
    return tiles[:limit]


def zoom_for(metres_per_px: float, lat: float, min_zoom: int = 0, max_zoom: int = MAX_ZOOM) -> int:
    """The zoom whose tile pixels are closest to `metres_per_px` on the ground at `lat`."""
    ground = 2 * HALF_WORLD * math.cos(math.radians(lat)) / TILE_PX  # m per tile px at zoom 0
    z = round(math.log2(ground / max(metres_per_px, 1e-6)))
    return max(min_zoom, min(max_zoom, z))


def placement_error_px(tile: Tile) -> float:
    """Largest offset (tile px) between Mercator rows and a linear-in-latitude placement."""
    west, south, east, north = tile.bounds()
    mid = (south + north) / 2
    _, row = tile_at(west, mid, tile.z)
    return abs(row - (tile.y + 0.5)) * TILE_PX
