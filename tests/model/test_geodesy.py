import math

import numpy as np
import pyproj
import shapely
from shapely.geometry import LineString, Polygon

from app.model import geodesy

# An Albers equal-area projection on the same ellipsoid: an independent check of areas.
ALBERS = pyproj.Transformer.from_crs(
    4490, "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +ellps=GRS80", always_xy=True)


def equal_area_m2(geom) -> float:
    return shapely.transform(geom, lambda c: np.column_stack(ALBERS.transform(c[:, 0], c[:, 1]))).area


def test_area_agrees_with_equal_area_projection():
    parcel = Polygon([(121.40, 31.20), (121.41, 31.20), (121.412, 31.207), (121.401, 31.209)])
    assert math.isclose(geodesy.area_m2(parcel), equal_area_m2(parcel), rel_tol=1e-5)


def test_area_ignores_ring_orientation_and_subtracts_holes():
    outer = shapely.box(120.0, 30.0, 120.1, 30.1)
    inner = shapely.box(120.02, 30.02, 120.05, 30.05)
    clockwise = shapely.orient_polygons(outer, exterior_cw=True)
    assert math.isclose(geodesy.area_m2(clockwise), geodesy.area_m2(outer), rel_tol=1e-12)
    holed = Polygon(outer.exterior.coords, [inner.exterior.coords])
    expected = geodesy.area_m2(outer) - geodesy.area_m2(inner)
    assert math.isclose(geodesy.area_m2(holed), expected, rel_tol=1e-9)


def test_area_of_one_arc_minute_cell_at_31n():
    # A 1'×1' cell near Shanghai is about 1.853 km × 1.589 km on the ellipsoid.
    cell = shapely.box(121.0, 31.0, 121 + 1 / 60, 31 + 1 / 60)
    assert 2.93e6 < geodesy.area_m2(cell) < 2.96e6


def test_length_along_a_meridian():
    # One degree of latitude at 30.5°N on GRS80/CGCS2000 is about 110,852 m.
    meridian = LineString([(120.0, 30.0), (120.0, 31.0)])
    assert abs(geodesy.length_m(meridian) - 110_852) < 50


def test_points_and_lines_have_no_area():
    assert geodesy.area_m2(shapely.Point(121, 31)) == 0.0
    assert geodesy.area_m2(LineString([(121, 31), (121.1, 31)])) == 0.0


def test_bulk_areas_equal_one_by_one():
    holed = Polygon(shapely.box(120.0, 30.0, 120.1, 30.1).exterior.coords,
                    [shapely.box(120.02, 30.02, 120.05, 30.05).exterior.coords])
    multi = shapely.MultiPolygon([shapely.box(121, 31, 121.01, 31.01), holed])
    geoms = np.array([holed, shapely.Point(121, 31), multi, None, LineString([(121, 31), (122, 31)]),
                      shapely.orient_polygons(multi, exterior_cw=True)], dtype=object)
    expected = [geodesy.area_m2(g) if g is not None else 0.0 for g in geoms]
    assert np.allclose(geodesy.areas_m2(geoms), expected, rtol=1e-12, atol=1e-6)


def test_private_ring_area_equals_the_public_method():
    x = np.array([120.0, 120.1, 120.1, 120.0, 120.0])
    y = np.array([30.0, 30.0, 30.1, 30.1, 30.0])
    assert geodesy._RING_AREA(x, y)[0] == geodesy.GEOD.polygon_area_perimeter(x, y)[0]


# A 0.01° × 0.01° cell at 31°N. By hand on the ellipsoid: N = a / √(1 − e² sin²φ) ≈ 6,383,800 m,
# so 0.01° of longitude ≈ N cos 31° · π/18000 ≈ 955.0 m; 0.01° of latitude ≈ 1,108.7 m; the cell
# ≈ 1,058,800 m² ≈ 105.9 公顷 ≈ 1,588 亩.
CELL = [(121.0, 31.0), (121.01, 31.0), (121.01, 31.01), (121.0, 31.01)]


def test_measured_square_agrees_with_pyproj_and_the_hand_figures():
    area, perimeter = geodesy.ring_area_perimeter(CELL)
    lons, lats = zip(*CELL, strict=True)
    expected_area, expected_perimeter = pyproj.Geod(ellps="GRS80").polygon_area_perimeter(lons, lats)
    assert math.isclose(area, abs(expected_area), rel_tol=1e-9)
    assert math.isclose(perimeter, expected_perimeter, rel_tol=1e-9)
    assert math.isclose(area, 1_058_800, rel_tol=1e-3)
    assert math.isclose(perimeter, 2 * (955.0 + 1108.7), rel_tol=1e-3)


def test_measured_ring_ignores_orientation():
    assert math.isclose(geodesy.ring_area_perimeter(CELL[::-1])[0], geodesy.ring_area_perimeter(CELL)[0])


def test_measured_path_sums_geodesic_segments():
    east, north = geodesy.path_length_m(CELL[:2]), geodesy.path_length_m([CELL[0], CELL[3]])
    assert math.isclose(east, 955.0, abs_tol=0.5) and math.isclose(north, 1108.7, abs_tol=0.5)
    assert math.isclose(geodesy.path_length_m(CELL[:3]), east + geodesy.path_length_m(CELL[1:3]))
    assert geodesy.path_length_m(CELL[:1]) == 0.0


def test_fewer_than_three_points_enclose_nothing():
    area, perimeter = geodesy.ring_area_perimeter(CELL[:2])
    assert area == 0.0 and math.isclose(perimeter, 2 * geodesy.path_length_m(CELL[:2]))
