"""Vectorised geodesic measures agree with app.model.geodesy."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from app.analysis.measure import areas_m2, lengths_m, measures, metric_crs
from app.model import geodesy


def objects(*geoms) -> np.ndarray:
    out = np.empty(len(geoms), dtype=object)
    out[:] = list(geoms)
    return out


def test_areas_match_the_official_function():
    holed = shapely.Polygon([(121, 31), (121.1, 31), (121.1, 31.1), (121, 31.1)],
                            [[(121.02, 31.02), (121.02, 31.05), (121.05, 31.05), (121.05, 31.02)]])
    cw = shapely.Polygon([(121, 31), (121, 31.01), (121.01, 31.01), (121.01, 31)])  # clockwise
    multi = shapely.MultiPolygon([shapely.box(121, 31, 121.01, 31.01), shapely.box(121.02, 31, 121.03, 31.01)])
    geoms = objects(holed, cw, multi)
    assert areas_m2(geoms) == pytest.approx(geodesy.areas_m2(geoms), rel=1e-12)


def test_collections_count_their_polygonal_parts_and_the_rest_is_zero():
    box = shapely.box(121, 31, 121.01, 31.01)
    mixed = shapely.GeometryCollection([box, shapely.LineString([(0, 0), (1, 1)]),
                                        shapely.MultiPolygon([shapely.box(121.02, 31, 121.03, 31.01)])])
    out = areas_m2(objects(mixed, shapely.Point(121, 31), shapely.Polygon(), None))
    assert out[0] == pytest.approx(geodesy.area_m2(box) + geodesy.area_m2(shapely.box(121.02, 31, 121.03, 31.01)))
    assert out[1:].tolist() == [0, 0, 0]


def test_lengths_and_measures_by_dimension():
    line = shapely.LineString([(121, 31), (121.1, 31.2)])
    multi = shapely.MultiLineString([[(121, 31), (121.1, 31.2)], [(120, 30), (120.5, 30)]])
    assert lengths_m(objects(line, multi, shapely.box(0, 0, 1, 1))).tolist() == pytest.approx(
        [geodesy.length_m(line), geodesy.length_m(multi), 0.0])
    assert measures(objects(shapely.Point(0, 0)), 0).tolist() == [1.0]


def test_metric_crs_is_the_gauss_kruger_zone_of_the_data():
    assert metric_crs(objects(shapely.Point(120.6, 31.3))).to_epsg() == 4549  # CM 120°E
    assert metric_crs(objects(shapely.Point(122.2, 30.0))).to_epsg() == 4550  # Zhoushan, CM 123°E
