"""The built-in offline context: land and Taihu from the bundled public-domain sources."""

from __future__ import annotations

from shapely.geometry import Point

from app.basemap.context import load_context


def test_context_has_land_and_taihu():
    context = load_context()
    assert len(context.land) == 1 and context.land[0].contains(Point(121.47, 31.23))  # Shanghai
    assert any(w.contains(Point(120.2, 31.2)) for w in context.water)  # Taihu


def test_missing_context_is_empty_not_an_error(tmp_path):
    context = load_context(tmp_path)
    assert context.land == () and context.water == ()
