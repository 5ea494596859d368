"""Web Mercator tile math: bounds, lookup, zoom choice and the error of linear placement."""

from __future__ import annotations

import pytest

from app.basemap.tiles import (
    HALF_WORLD,
    MAX_LAT,
    Tile,
    placement_error_px,
    tile_at,
    tiles_for,
    zoom_for,
)

SUZHOU = (120.3, 31.1, 120.9, 31.5)


def test_the_world_tile_spans_the_mercator_square():
    west, south, east, north = Tile(0, 0, 0).bounds()
    assert (west, east) == (-180.0, 180.0)
    assert north == pytest.approx(MAX_LAT) and south == pytest.approx(-MAX_LAT)
    assert Tile(0, 0, 0).mercator_bounds() == pytest.approx((-HALF_WORLD, -HALF_WORLD, HALF_WORLD, HALF_WORLD))


def test_tile_at_inverts_bounds():
    tile = Tile(12, 3418, 1663)
    west, south, east, north = tile.bounds()
    assert tile_at(west, north, 12) == pytest.approx((3418, 1663))
    assert tile_at(east, south, 12) == pytest.approx((3419, 1664))


def test_rows_count_from_the_north_and_mbtiles_from_the_south():
    assert Tile(3, 5, 0).tms_row() == 7 and Tile(3, 5, 7).tms_row() == 0
    assert Tile(3, 5, 0).bounds()[3] > Tile(3, 5, 1).bounds()[3]


def test_tiles_for_cover_the_bounds_centre_first():
    tiles = tiles_for(SUZHOU, 10)
    xs, ys = {t.x for t in tiles}, {t.y for t in tiles}
    assert len(tiles) == len(xs) * len(ys)  # a full block
    for lon, lat in [(120.3, 31.1), (120.9, 31.5), (120.6, 31.3)]:
        x, y = tile_at(lon, lat, 10)
        assert Tile(10, int(x), int(y)) in tiles
    cx, cy = tile_at(120.6, 31.3, 10)
    assert tiles[0] == Tile(10, int(cx), int(cy))
    assert len(tiles_for(SUZHOU, 16, limit=50)) == 50


def test_parent_holds_the_tile():
    tile = Tile(12, 3418, 1663)
    west, south, east, north = tile.bounds()
    pw, ps, pe, pn = tile.parent().bounds()
    assert pw <= west and ps <= south and pe >= east and pn >= north


def test_zoom_matches_ground_resolution():
    # Near 31° N a zoom-14 tile pixel is about 8.2 m.
    assert zoom_for(8.2, 31.0) == 14
    assert zoom_for(8.2 * 4, 31.0) == 12
    assert zoom_for(0.01, 31.0, max_zoom=16) == 16
    assert zoom_for(1e6, 31.0, min_zoom=3) == 3


def test_linear_placement_error_is_subpixel_at_city_scale():
    x, y = tile_at(120.6, 31.3, 12)
    assert placement_error_px(Tile(12, int(x), int(y))) < 0.1
    x, y = tile_at(120.6, 31.3, 5)
    assert 1.0 < placement_error_px(Tile(5, int(x), int(y))) < 5.0  # why views draw strips there
