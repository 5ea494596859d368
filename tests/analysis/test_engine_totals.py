"""Rule totals measure the union of the conflicts, metro-wide and per city, not a sum of pairs."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from app.analysis.dataset import Dataset
from app.analysis.engine import check
from app.analysis.measure import areas_m2, union_measure

SHANGHAI, SUZHOU = "310000", "320500"
BOX_01 = 1_058_796.209  # m², 0.01° × 0.01° at 121°E 31°N (tests/analysis/test_engine.py)


def totals(result, rule="construction-in-red-line"):
    return next(s for s in result.rules if s.rule == rule)


def test_a_duplicated_red_line_is_counted_once(make_layer, cities, standard):
    # The defect of #16: one red-line polygon entered twice made two pairs over the same ground,
    # and the total of "construction land in red line" doubled.
    parcel = make_layer("GHYDYH", ("p1", SUZHOU, {"YDYHFLDM": "0701"}, shapely.box(121.0, 31.0, 121.01, 31.01)))
    red = shapely.box(120.99, 30.99, 121.02, 31.02)
    reds = make_layer("STBHHX", ("r1", SUZHOU, {}, red), ("r2", SUZHOU, {}, red))
    result = check(Dataset({"XZQ": cities, "GHYDYH": parcel, "STBHHX": reds}), standard)
    summary = totals(result)
    assert summary.count == 2  # both pairs are still listed: each duplicate is worth fixing
    assert summary.area_m2 == pytest.approx(BOX_01, abs=1)
    assert dict(summary.by_city) == pytest.approx({SUZHOU: BOX_01}, abs=1)


def test_overlapping_parcels_and_a_border_split_per_city(make_layer, cities, standard):
    # Two parcels overlapping by half, straddling the border: union 0.015° × 0.01°.
    parcels = make_layer("GHYDYH",
                         ("p1", SHANGHAI, {"YDYHFLDM": "0701"}, shapely.box(120.995, 31.0, 121.005, 31.01)),
                         ("p2", SUZHOU, {"YDYHFLDM": "0801"}, shapely.box(121.0, 31.0, 121.01, 31.01)))
    red = make_layer("STBHHX", ("r1", SUZHOU, {}, shapely.box(120.9, 30.9, 121.1, 31.1)))
    summary = totals(check(Dataset({"XZQ": cities, "GHYDYH": parcels, "STBHHX": red}), standard))
    west = areas_m2(np.array([shapely.box(120.995, 31.0, 121.0, 31.01)], dtype=object))[0]
    assert summary.count == 2
    assert summary.area_m2 == pytest.approx(BOX_01 + west, abs=1)  # not 2 × BOX_01
    by_city = dict(summary.by_city)
    assert by_city[SHANGHAI] == pytest.approx(west, abs=1)
    assert by_city[SUZHOU] == pytest.approx(BOX_01, abs=1)


def test_line_totals_count_a_shared_stretch_once(make_layer, cities, standard):
    rail = make_layer("XMK_LINE", ("l1", "office", {"XMMC": "沪苏湖铁路", "XMBH": "P1"},
                                   shapely.MultiLineString([[(121.01, 31.0), (121.05, 31.0)]])))
    red = shapely.box(121.02, 30.99, 121.03, 31.01)
    reds = make_layer("STBHHX", ("r1", SUZHOU, {"HXMC": "淀山湖红线"}, red), ("r2", SUZHOU, {}, red))
    result = check(Dataset({"XZQ": cities, "XMK_LINE": rail, "STBHHX": reds}), standard)
    summary = totals(result, "project-line-in-red-line")
    one = result.conflicts[0].length_m
    assert summary.count == 2 and summary.length_m == pytest.approx(one, abs=0.01)
    assert result.conflicts[0].labels == ("沪苏湖铁路 (P1)", "淀山湖红线")
    assert result.city_name(SUZHOU) == "苏州市"


def test_real_sized_union_of_thousands_of_parcels_in_a_detailed_red_line(make_layer, cities, standard):
    # 3,000 parcels on a 60 × 50 grid, each overlapping its neighbour (duplicated ground), and a
    # red line of 4,000 vertices entered twice.
    rng = np.random.default_rng(16)
    rows = []
    for k in range(3000):
        x, y = 121.001 + (k % 60) * 0.0015, 30.95 + (k // 60) * 0.0015
        rows.append((f"p{k:05d}", SUZHOU, {"YDYHFLDM": "0701"}, shapely.box(x, y, x + 0.002, y + 0.002)))
    angles = np.linspace(0, 2 * np.pi, 4000, endpoint=False)
    radius = 0.04 + 0.002 * rng.random(4000)
    ring = np.column_stack([121.05 + radius * np.cos(angles), 30.99 + radius * np.sin(angles)])
    red = shapely.Polygon(ring)
    reds = make_layer("STBHHX", ("r1", SUZHOU, {}, red), ("r2", SUZHOU, {}, red))
    result = check(Dataset({"XZQ": cities, "GHYDYH": make_layer("GHYDYH", *rows), "STBHHX": reds}),
                   standard)
    summary = totals(result)
    parcels = shapely.union_all([g for *_, g in rows])
    expected = areas_m2(np.array([shapely.intersection(parcels, red)], dtype=object))[0]
    pair_sum = sum(c.area_m2 for c in result.conflicts)
    assert summary.count > 3000 and pair_sum > 3 * expected  # the old total, far off
    assert summary.area_m2 == pytest.approx(expected, abs=1)  # m², of some 54 km²
    assert sum(dict(summary.by_city).values()) == pytest.approx(expected, rel=1e-6)


def test_union_measure_of_nothing_and_of_invalid_input():
    assert union_measure([], 2) == (0.0, {})
    bowtie = shapely.Polygon([(121.0, 31.0), (121.01, 31.01), (121.01, 31.0), (121.0, 31.01)])
    total, _ = union_measure([bowtie, shapely.box(121.0, 31.0, 121.01, 31.01)], 2)
    assert total == pytest.approx(BOX_01, abs=1)
