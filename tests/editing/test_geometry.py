"""Sketches and vertex edits as plain data."""

from __future__ import annotations

import shapely

from app.editing import geometry as G


def test_polygon_sketch_with_hole():
    sketch = G.Sketch(2)
    for xy in [(0, 0), (10, 0), (10, 10), (0, 10)]:
        sketch.add(xy)
    assert sketch.start_hole()
    for xy in [(4, 4), (6, 4), (5, 6)]:
        sketch.add(xy)
    geom = sketch.geometry()
    assert geom.geom_type == "MultiPolygon" and geom.is_valid
    assert len(geom.geoms[0].interiors) == 1 and geom.area == 100 - 2


def test_sketch_undo_and_finish_rules():
    line = G.Sketch(1)
    line.add((0, 0))
    assert not line.can_finish()
    line.add((1, 1))
    line.add((2, 0))
    line.undo_last()
    assert line.geometry().equals(shapely.MultiLineString([[(0, 0), (1, 1)]]))
    assert G.Sketch(0).add((1, 2)) is True  # a point is done at the first click


def test_move_insert_delete_vertex():
    square = shapely.MultiPolygon([shapely.box(0, 0, 10, 10)])
    ref = G.nearest_vertex(square, (10.2, 10.1), 0.5)
    moved = G.move_vertex(square, ref, (12, 12))
    assert moved.area > square.area and moved.geom_type == "MultiPolygon"
    ref, at = G.nearest_segment(square, (5, 0.1), 0.5)
    inserted = G.insert_vertex(square, ref, at)
    assert shapely.get_num_coordinates(inserted) == shapely.get_num_coordinates(square) + 1
    back = G.delete_vertex(inserted, (0, 0, ref[2]))
    assert back.equals(square)
    triangle = shapely.MultiPolygon([shapely.Polygon([(0, 0), (1, 0), (0, 1)])])
    assert G.delete_vertex(triangle, (0, 0, 0)) is None  # would no longer be a ring


def test_snap_to_nearest_vertex_within_tolerance():
    others = [shapely.box(0, 0, 1, 1), shapely.Point(5, 5)]
    assert G.snap((1.05, 0.98), others, 0.1) == (1.0, 1.0)
    assert G.snap((3, 3), others, 0.1) is None


def test_snap_to_segments_when_no_vertex_is_near():
    square = shapely.box(0, 0, 10, 10)
    assert G.snap((5, 0.05), [square], 0.1) is None  # vertex-only: nothing near
    assert G.snap((5, 0.05), [square], 0.1, segments=True) == (5.0, 0.0)
    assert G.snap((9.95, 0.05), [square], 0.1, segments=True) == (10.0, 0.0)  # vertices win
    assert G.snap((5, 0.05), [shapely.Point(5, 0)], 0.1, segments=True) == (5.0, 0.0)


def test_gauss_kruger_typed_coordinates_round_trip():
    import pyproj

    east, north = pyproj.Transformer.from_crs(4490, 4549, always_xy=True).transform(120.6, 31.3)
    lon, lat = G.gk_to_lonlat(north, east, 4549)  # surveyors give X (north) first
    assert abs(lon - 120.6) < 1e-9 and abs(lat - 31.3) < 1e-9
    assert 3_400_000 < north < 3_500_000 and 500_000 < east < 600_000
