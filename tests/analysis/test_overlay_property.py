"""Property: the engine's overlay areas equal a brute-force computation on random inputs.

The brute force intersects every pair (no index, no shortcut) with shapely and measures the
polygonal part with the official `app.model.geodesy.area_m2`.
"""

from __future__ import annotations

import math

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.analysis.dataset import Dataset, LayerData
from app.analysis.engine import check
from app.analysis.rules import parse_rules
from app.model import geodesy
from app.model.catalogue import load_catalogue
from app.model.feature import Feature

RULES = parse_rules({
    "format": "coplan.conflict-rules/v1", "name": "property",
    "cities": {"layer": "XZQ", "code_field": "XZQDM"},
    "rules": [{"id": "a-in-b", "type": "overlay", "name_zh": "甲乙", "name_en": "a in b",
               "a": {"layer": "GHYDYH"}, "b": {"layer": "STBHHX"}}],
}, load_catalogue())
# Coordinates on a 0.001° grid over ~5 km: shared edges, containment and touching happen often.
grid = st.integers(min_value=0, max_value=50).map(lambda k: 121.0 + k * 0.001)
grid_y = st.integers(min_value=0, max_value=50).map(lambda k: 31.0 + k * 0.001)


@st.composite
def boxes(draw) -> shapely.Polygon:
    x0, x1 = sorted([draw(grid), draw(grid)])
    y0, y1 = sorted([draw(grid_y), draw(grid_y)])
    return shapely.box(x0, y0, x1 + 0.001, y1 + 0.001)


@st.composite
def stars(draw) -> shapely.Polygon:
    """A simple (non-self-intersecting) polygon: radii around a centre at increasing angles."""
    cx, cy = draw(grid), draw(grid_y)
    n = draw(st.integers(min_value=3, max_value=9))
    radii = draw(st.lists(st.floats(min_value=0.001, max_value=0.02), min_size=n, max_size=n))
    return shapely.Polygon([(cx + r * math.cos(2 * math.pi * k / n), cy + r * math.sin(2 * math.pi * k / n))
                            for k, r in enumerate(radii)])


polygons = st.one_of(boxes(), stars())


def layer(code: str, geoms: list, prefix: str) -> LayerData:
    return LayerData.from_features(code, [Feature(code, f"{prefix}{i:03d}", "310000", {}, g)
                                          for i, g in enumerate(geoms)])


def brute_force(a: list, b: list) -> dict[tuple[str, str], float]:
    """Every pair's shared area, geodesic; pairs sharing no area left out."""
    out = {}
    for i, ga in enumerate(a):
        for j, gb in enumerate(b):
            shared = shapely.intersection(ga, gb)
            polygons_ = [p for p in shapely.get_parts(shared) if p.geom_type in ("Polygon", "MultiPolygon")]
            area = sum(geodesy.area_m2(p) for p in polygons_)
            if area > 0:
                out[(f"a{i:03d}", f"b{j:03d}")] = area
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=st.lists(polygons, min_size=1, max_size=20), b=st.lists(polygons, min_size=1, max_size=8))
def test_overlay_areas_equal_brute_force(a, b):
    dataset = Dataset({"GHYDYH": layer("GHYDYH", a, "a"), "STBHHX": layer("STBHHX", b, "b")})
    found = {c.features: c.area_m2 for c in check(dataset, RULES).conflicts}
    expected = brute_force(a, b)
    assert set(found) == set(expected)
    for pair, area in expected.items():
        assert found[pair] == pytest.approx(area, rel=1e-9, abs=1e-3)
