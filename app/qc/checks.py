"""Quality checks on a party's planning data (质检): the findings and how they are run.

`run_checks` works on plain data (layer code -> attribute rows and shapely geometries in
EPSG:4490), so the same checks run on a desktop project (`project_findings`) and on the
server's state of a submission (check-in). Attribute checks are here; the checks on where
features lie and how they meet are in app.qc.topology. Each check has a stable name (CHECKS),
which reports and `validate --json` carry.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely

from app.model.catalogue import Catalogue, Layer, colour_table
from app.qc import areas, topology
from app.qc.findings import Finding, feature_finding

if TYPE_CHECKING:
    from app.project.project import Project

__all__ = ["CHECKS", "Check", "Finding", "project_findings", "project_features", "run_checks"]

Features = dict[str, tuple[Layer, list[dict], np.ndarray]]


@dataclass(frozen=True)
class Check:
    """What a check looks at, as the report's summary names it."""

    name_zh: str
    name_en: str


CHECKS: dict[str, Check] = {  # in report order
    "valid": Check("属性与图形规范", "Attributes and geometry"),  # validate's own rules
    "bsm_unique": Check("标识码图层内唯一", "BSM unique within a layer"),
    "bsm_across": Check("标识码全库唯一", "BSM unique across layers"),
    "ysdm": Check("要素代码", "Feature code (YSDM)"),
    "xzqdm_format": Check("行政区代码格式", "XZQDM format"),
    "xzqdm_party": Check("行政区代码属本辖区", "XZQDM within the party"),
    "code_name": Check("代码与名称一致", "Code and name agree"),
    "ghfq": Check("规划分区代码与名称", "Planning zone codes and names"),
    "overlap": Check("图层内重叠", "Overlaps within a layer"),
    "gap": Check("图层内缝隙", "Gaps within a layer"),
    "outside_party": Check("超出辖区范围", "Outside the party's area"),
    "outside_china": Check("超出我国范围", "Outside China"),
}
XZQDM_FORMAT = re.compile(r"\d{6}(\d{3}){0,2}")  # GB/T 2260 county code, 9/12 digits below it
ZONE_CODE = re.compile(r"\d+")


def run_checks(features: Features, catalogue: Catalogue, party: str,
               boundary: shapely.Geometry | None) -> list[Finding]:
    """Every finding of every check on `features` (layer code -> (layer, rows, geometries)),
    for `party` (whose own features, by `owner`, must lie in `boundary` when it is given)."""
    features = {code: data for code, data in features.items() if len(data[1])}
    found: list[Finding] = []
    bsms = _bsm_columns(features)
    found += _duplicate_bsm(features, bsms)
    found += _bsm_across(features, bsms)
    divisions = areas.division_names(features)
    for layer, rows, geoms in features.values():
        found += _ysdm(layer, rows, geoms)
        found += _xzqdm(layer, rows, geoms, party)
        found += _code_names(layer, rows, geoms, catalogue, divisions)
        found += _planning_zones(layer, rows, geoms)
    own = areas.own_boundary(party, features.get(areas.BOUNDARY_LAYER))
    found += topology.topology_findings(features, party, boundary, areas.china_area(), own)
    order = {name: n for n, name in enumerate(CHECKS)}
    return sorted(found, key=lambda f: order.get(f.check, len(order)))  # stable within a check


def _rows(layer: Layer, rows: list[dict], geoms: np.ndarray, field: str
          ) -> Iterator[tuple[dict, shapely.Geometry, object]]:
    """(row, geometry, value of `field`) of the layer's rows, when the layer has the field."""
    if field in layer.field_names:
        for row, geom in zip(rows, geoms, strict=True):
            yield row, geom, row.get(field)


def _null(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- identifiers ---------------------------------------------------------------------------

def _bsm_columns(features: Features) -> dict[str, list[str | None]]:
    """Each layer's BSM values as text (None where empty), for layers that have the field."""
    return {code: [None if _null(v := row.get("BSM")) else str(v) for row in rows]
            for code, (layer, rows, _) in features.items() if "BSM" in layer.field_names}


def _duplicate_bsm(features: Features, bsms: dict[str, list[str | None]]) -> list[Finding]:
    out = []
    for code, values in bsms.items():
        layer, rows, geoms = features[code]
        counts = Counter(v for v in values if v is not None)
        for n, value in ((n, v) for n, v in enumerate(values) if v is not None and counts[v] > 1):
            times = counts[value]
            out.append(feature_finding(
                "bsm_unique", "error", layer, rows[n], geoms[n],
                f"BSM {value} is used by {times} features of this layer",
                f"标识码 {value} 在本图层中被 {times} 个要素重复使用"))
    return out


def _bsm_across(features: Features, bsms: dict[str, list[str | None]]) -> list[Finding]:
    """BSM shared by features of different layers (each layer's own repeats are counted once:
    they are bsm_unique's findings)."""
    layers_of: dict[str, list[str]] = defaultdict(list)
    for code, values in bsms.items():
        for value in {v for v in values if v is not None}:
            layers_of[value].append(code)
    shared = {v for v, codes in layers_of.items() if len(codes) > 1}
    out = []
    for code, values in bsms.items():
        layer, rows, geoms = features[code]
        for n, value in ((n, v) for n, v in enumerate(values) if v is not None and v in shared):
            others = [c for c in layers_of[value] if c != code]
            names = "、".join(features[c][0].name_zh for c in others)
            out.append(feature_finding(
                "bsm_across", "error", layer, rows[n], geoms[n],
                f"BSM {values[n]} is also used in layer {', '.join(others)}",
                f"标识码 {values[n]} 与图层“{names}”中的要素重复"))
    return out


# --- codes ---------------------------------------------------------------------------------

def _ysdm(layer: Layer, rows: list[dict], geoms: np.ndarray) -> list[Finding]:
    """The feature code fixed for the layer by the catalogue (e.g. 2090020610 for 规划分区)."""
    if not layer.ysdm:
        return []
    return [feature_finding(
        "ysdm", "error", layer, row, geom,
        f"YSDM is {value if not _null(value) else 'empty'}; this layer's feature code is {layer.ysdm}",
        f"要素代码为 {value if not _null(value) else '空'}，本图层应为 {layer.ysdm}")
        for row, geom, value in _rows(layer, rows, geoms, "YSDM") if str(value or "") != layer.ysdm]


def _xzqdm(layer: Layer, rows: list[dict], geoms: np.ndarray, party: str) -> list[Finding]:
    """XZQDM is a 6/9/12-digit code and, on the party's own features, one of its divisions."""
    prefix, out = areas.division_prefix(party), []
    for row, geom, value in _rows(layer, rows, geoms, "XZQDM"):
        if _null(value):
            continue  # a missing required value is validation's finding
        code = str(value)
        if not XZQDM_FORMAT.fullmatch(code):
            out.append(feature_finding(
                "xzqdm_format", "error", layer, row, geom,
                f"XZQDM {code!r} is not a 6-, 9- or 12-digit administrative division code",
                f"行政区代码 {code!r} 不是 6、9 或 12 位数字"))
        elif prefix and row.get("owner") in (None, party) and not code.startswith(prefix):
            out.append(feature_finding(
                "xzqdm_party", "error", layer, row, geom,
                f"XZQDM {code} is not a division of party {party}",
                f"行政区代码 {code} 不属于本单位（{party}）辖区"))
    return out


def _code_names(layer: Layer, rows: list[dict], geoms: np.ndarray, catalogue: Catalogue,
                divisions: dict[str, str]) -> list[Finding]:
    """Each code field's paired name (…DM / …MC) is the name of the code: by the catalogue's
    code list, by the known administrative divisions, else the name the submission most
    often gives that code."""
    out = []
    for field in layer.fields:
        partner = field.name[:-2] + "MC" if field.name.endswith("DM") else None
        if partner not in layer.field_names:
            continue
        names: dict[str, tuple[str, ...]]
        if field.codelist:
            names = {c: v for c, v in catalogue.codelist(field.codelist).codes.items()}
        elif field.name == "XZQDM":
            names = {c: (n,) for c, n in divisions.items()}
        else:
            names = _usual_names(rows, field.name, partner)
        out += _pair_findings(layer, rows, geoms, field.name, partner, names)
    return out


def _usual_names(rows: list[dict], code_field: str, name_field: str) -> dict[str, tuple[str, ...]]:
    """code -> (the name most features give it,), for codes no list names."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        code, name = row.get(code_field), row.get(name_field)
        if not _null(code) and not _null(name):
            seen[str(code)][name] += 1
    # Ties go to the name first seen: Counter.most_common keeps insertion order.
    return {code: (names.most_common(1)[0][0],) for code, names in seen.items()}


def _pair_findings(layer: Layer, rows: list[dict], geoms: np.ndarray, code_field: str,
                   name_field: str, names: dict[str, tuple[str, ...]]) -> list[Finding]:
    out = []
    for row, geom in zip(rows, geoms, strict=True):
        code, name = row.get(code_field), row.get(name_field)
        expected = names.get(str(code)) if not _null(code) else None
        if expected and not _null(name) and name not in expected:
            out.append(feature_finding(
                "code_name", "error", layer, row, geom,
                f"{name_field} {name!r} is not the name of {code_field} {code} ({expected[0]})",
                f"{layer.field(name_field).label_zh} {name!r} 与{layer.field(code_field).label_zh} "
                f"{code}（{expected[0]}）不符"))
    return out


def _planning_zones(layer: Layer, rows: list[dict], geoms: np.ndarray) -> list[Finding]:
    """GHFQDM is a number of at most the field's length (the catalogue has no verified code
    list for it) and GHFQMC a zone the planning guide names (the zone colour table)."""
    out = []
    if "GHFQDM" in layer.field_names:
        width = layer.field("GHFQDM").length or 4
        for row, geom, value in _rows(layer, rows, geoms, "GHFQDM"):
            if not _null(value) and not (ZONE_CODE.fullmatch(str(value)) and len(str(value)) <= width):
                out.append(feature_finding(
                    "ghfq", "error", layer, row, geom,
                    f"GHFQDM {value!r} is not a planning zone code (up to {width} digits)",
                    f"规划分区代码 {value!r} 不是有效代码（至多 {width} 位数字）"))
    table = colour_table(layer.code)
    if table is not None and table.match == "name" and layer.code == "GHFQ":
        known = {e.value for e in table.entries}
        for row, geom, value in _rows(layer, rows, geoms, table.layers[layer.code]):
            if not _null(value) and value not in known:
                out.append(feature_finding(
                    "ghfq", "warning", layer, row, geom,
                    f"GHFQMC {value!r} is not a planning zone of the planning guide",
                    f"规划分区名称 {value!r} 不是编制指南所列的规划分区"))
    return out


# --- the local project -----------------------------------------------------------------------

def project_features(project: Project) -> Features:
    """run_checks' input from the project's current state: every spatial layer with features."""
    from app.project.features import iter_features

    out: Features = {}
    for layer in project.layers():
        if not layer.spatial:
            continue
        rows, geoms = [], []
        for f in iter_features(project, layer.code):
            rows.append({"uuid": f.uuid, "owner": f.owner, **f.attrs})
            geoms.append(f.geometry)
        if rows:
            out[layer.code] = (layer, rows, np.array(geoms, dtype=object))
    return out


def project_findings(project: Project) -> list[Finding]:
    """The findings on the local project's current state, for the project's party."""
    features = project_features(project)
    boundary, _ = areas.party_boundary(project.party, features)
    return run_checks(features, project.catalogue, project.party, boundary)
