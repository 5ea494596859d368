"""Where features lie and how they meet: overlaps and gaps within a layer, features outside
the party's area or outside China.

Built for 100k-polygon layers (benchmarks/bench_qc.py): candidate pairs come from one STRtree
query, the exact test (interiors meet) runs vectorised over the pairs, and only pairs that
overlap get an intersection and a geodesic area. Areas are geodesic m² on CGCS2000, like
the layers' own MJ fields; the tolerances drop slivers of digitising noise.
"""

from __future__ import annotations

import numpy as np
import shapely

from app.model import geodesy
from app.model.catalogue import Layer
from app.qc.findings import Finding, feature_finding, spot

OVERLAP_TOLERANCE_M2 = 1.0  # overlaps up to this area are digitising noise
GAP_TOLERANCE_M2 = 1.0  # so are gaps
# m² per square degree is at most this (at the equator): a prefilter that never drops an
# overlap above the tolerance before its geodesic area is computed.
M2_PER_SQ_DEGREE = 1.24e10
# Layers whose features may not overlap (a piece of land has one zone, one use), with the
# field whose values nest instead (XZQ: a county lies in its city).
EXCLUSIVE: dict[str, str | None] = {
    "XZQ": "JB", "XZYDYH": None, "GHYDYH": None, "GHFQ": None, "YJJBNTBHTB": None,
    "STBHHX": None, "CZKFBJ": None,
}
# Of those, the layers that must tile their area: a hole inside them is a gap.
TILING = ("XZYDYH", "GHYDYH", "GHFQ")
# And those that cover the party's whole area (规划用地用海 covers the central city only).
COVERING = ("XZYDYH", "GHFQ")

Features = dict[str, tuple[Layer, list[dict], np.ndarray]]


def topology_findings(features: Features, party: str, boundary: shapely.Geometry | None,
                      china: shapely.Geometry, own_area: shapely.Geometry | None = None
                      ) -> list[Finding]:
    """Overlaps, gaps, features outside `boundary` (the party's own) and outside `china`;
    with `own_area` (the party's XZQ as drawn), the parts of it a covering layer leaves out."""
    out: list[Finding] = []
    for layer, rows, geoms in features.values():
        if not layer.spatial:
            continue
        clean = usable(geoms)
        if layer.dimension == 2 and layer.code in EXCLUSIVE:
            for members in _groups(rows, EXCLUSIVE[layer.code]):
                out += overlaps(layer, rows, clean, members)
            if layer.code in TILING:  # not grouped: one union, the costly step, serves both
                union = shapely.union_all(clean[~shapely.is_missing(clean)])
                out += gaps(layer, union)
                if layer.code in COVERING and own_area is not None:
                    out += uncovered(layer, union, own_area)
        out += outside(layer, rows, clean, party, boundary, china)
    return out


def usable(geoms: np.ndarray) -> np.ndarray:
    """The geometries with invalid ones made valid and missing or empty ones as None (their
    problems are validation's findings; here they would only raise)."""
    geoms = np.asarray(geoms, dtype=object).copy()
    missing = shapely.is_missing(geoms)
    geoms[missing] = None
    present = np.flatnonzero(~missing)
    geoms[present[shapely.is_empty(geoms[present])]] = None
    present = np.flatnonzero(~shapely.is_missing(geoms))
    invalid = present[~shapely.is_valid(geoms[present])]
    if len(invalid):
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    return geoms


def _groups(rows: list[dict], field: str | None) -> list[np.ndarray]:
    """Row indices per value of `field` (all rows together when there is no field)."""
    if field is None:
        return [np.arange(len(rows))]
    keys: dict[object, list[int]] = {}
    for n, row in enumerate(rows):
        keys.setdefault(row.get(field), []).append(n)
    return [np.array(v) for _, v in sorted(keys.items(), key=lambda kv: str(kv[0]))]


def overlap_pairs(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, intersection) of every pair i < j of polygons whose interiors meet."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms)  # pairs whose boxes meet
    keep = left < right
    left, right = left[keep], right[keep]
    # Interiors meet: neighbours sharing only an edge or a corner are not overlaps.
    meet = shapely.relate_pattern(geoms[left], geoms[right], "T********")
    left, right = left[meet], right[meet]
    return left, right, shapely.intersection(geoms[left], geoms[right])


def overlaps(layer: Layer, rows: list[dict], geoms: np.ndarray, members: np.ndarray
             ) -> list[Finding]:
    """One finding per overlapping pair, on the first feature, naming the other's BSM."""
    members = members[~shapely.is_missing(geoms[members])]
    if len(members) < 2:
        return []
    i, j, common = overlap_pairs(geoms[members])
    big = shapely.area(common) > OVERLAP_TOLERANCE_M2 / M2_PER_SQ_DEGREE
    i, j, common = i[big], j[big], common[big]
    area = geodesy.areas_m2(common)
    out = []
    for a, b, geom, m2 in zip(members[i], members[j], common, area, strict=True):
        if m2 <= OVERLAP_TOLERANCE_M2:
            continue
        other = rows[b].get("BSM")
        if other is None or other == "":
            en, zh = "another feature without BSM", "另一无标识码的要素"
        elif other == rows[a].get("BSM"):
            en, zh = "another feature with the same BSM", "另一标识码相同的要素"
        else:
            en, zh = f"feature BSM {other}", f"标识码为 {other} 的要素"
        out.append(feature_finding("overlap", "error", layer, rows[a], geom,
                                   f"overlaps {en} by {m2:,.2f} m²", f"与{zh}重叠 {m2:,.2f} 平方米"))
    return out


def gaps(layer: Layer, union: shapely.Geometry) -> list[Finding]:
    """Holes inside `union`, the union of a tiling layer's features: land no feature covers."""
    holes = np.array([shapely.Polygon(ring) for poly in shapely.get_parts(union)
                      if poly.geom_type == "Polygon" for ring in poly.interiors], dtype=object)
    if not len(holes):
        return []
    area = geodesy.areas_m2(holes)
    out = []
    for hole, m2 in zip(holes, area, strict=True):
        if m2 > GAP_TOLERANCE_M2:
            out.append(Finding("gap", "error", layer.code, None, None,
                               f"a gap of {m2:,.2f} m² that no feature of the layer covers",
                               f"图层内有 {m2:,.2f} 平方米的缝隙未被任何要素覆盖", spot(hole)))
    return out


def uncovered(layer: Layer, union: shapely.Geometry, area: shapely.Geometry) -> list[Finding]:
    """Parts of the party's area that a layer which must cover it (`union` of its features)
    leaves out at its edge (holes the features surround are `gaps`' findings)."""
    filled = shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(union)
                                if p.geom_type == "Polygon"])
    left = shapely.difference(area, filled)
    pieces = np.array([p for p in shapely.get_parts(left) if p.geom_type == "Polygon"], dtype=object)
    out = []
    for piece, m2 in zip(pieces, geodesy.areas_m2(pieces), strict=True):
        if m2 > GAP_TOLERANCE_M2:
            out.append(Finding("gap", "error", layer.code, None, None,
                               f"{m2:,.2f} m² of the party's area (XZQ) that no feature of the layer covers",
                               f"本单位辖区（行政区）内有 {m2:,.2f} 平方米未被本图层要素覆盖", spot(piece)))
    return out


def outside(layer: Layer, rows: list[dict], geoms: np.ndarray, party: str,
            boundary: shapely.Geometry | None, china: shapely.Geometry) -> list[Finding]:
    """Features outside China (any owner) and the party's own features outside its area (on
    layers coded by division, XZQDM: the metro layers span cities by design)."""
    present = np.flatnonzero(~shapely.is_missing(geoms))
    out = []
    abroad = present[~_covered(geoms[present], china)]
    for n in abroad:
        out.append(feature_finding(
            "outside_china", "error", layer, rows[n], geoms[n],
            "lies outside China (Natural Earth outline widened by 30 km)",
            "位于我国范围之外（依据 Natural Earth 国界轮廓外扩 30 公里）"))
    if boundary is None or "XZQDM" not in layer.field_names:
        return out
    said = set(abroad.tolist())  # abroad is abroad: not also "outside the party's area"
    own = np.array([n for n in present if rows[n].get("owner") in (None, party) and n not in said],
                   dtype=int)
    if not len(own):
        return out
    inside = _covered(geoms[own], boundary)
    own = own[~inside]
    for n, met in zip(own, shapely.intersects(geoms[own], boundary), strict=True):
        if not met:
            out.append(feature_finding(
                "outside_party", "error", layer, rows[n], geoms[n],
                f"lies outside the area of party {party}", f"位于本单位（{party}）辖区之外"))
        else:
            out.append(feature_finding(
                "outside_party", "warning", layer, rows[n], geoms[n],
                f"extends beyond the area of party {party}", f"部分超出本单位（{party}）辖区"))
    return out


def _covered(geoms: np.ndarray, area: shapely.Geometry) -> np.ndarray:
    """covered_by for each geometry; at once for all when the box of them all is covered (the
    usual case: a whole layer well inside China or the party's area)."""
    if not len(geoms) or shapely.covered_by(shapely.box(*shapely.total_bounds(geoms)), area):
        return np.ones(len(geoms), dtype=bool)
    return shapely.covered_by(geoms, area)
