"""Core indicators (`schemas/indicators.json`): definitions, and values per city and metro-wide.

Indicators with a `compute` block are measured from the layers in each region (a city's XZQ
polygon, or all of them for the metro area); the others are entered by the parties with source
and year (`app.analysis.checkup`). Areas and lengths are geodesic on CGCS2000, measured on the
union of the features so overlapping features count once. The project library's start and
completion rates (MT086/MT087) count entries due by the check-up year: see `project_rates`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from jsonschema import Draft202012Validator
from shapely.geometry.base import BaseGeometry

from app.analysis.cities import Cities
from app.analysis.dataset import Dataset, LayerData
from app.analysis.engine import CheckResult
from app.analysis.measure import areas_m2, lengths_m
from app.analysis.rules import LayerRef, check_schema
from app.analysis.where import Where
from app.errors import InvalidInput, NotFound
from app.model.catalogue import Catalogue, load_catalogue
from app.paths import schemas_dir

log = logging.getLogger(__name__)

FORMAT = "coplan.indicators/v1"
METRO = "metro"  # region code of the whole metro area (all cities together)
# Project library (XMK_*): which JSZT statuses count as started / completed, and the year field
# saying by when each was due. Statuses are the library's current ones (no status history yet).
STARTED, COMPLETED = ("在建", "建成"), ("建成",)
RATE_RULES = {"start": ("QDNF", STARTED), "completion": ("WCNF", COMPLETED)}


@dataclass(frozen=True)
class Compute:
    """How an indicator is measured from the layers."""

    measure: str  # area (m²) | length (m) | conflicts (count) | project_rate (0–1)
    layers: tuple[LayerRef, ...]  # measured on the union of these
    within: tuple[LayerRef, ...]  # only the part inside the union of these (empty: everywhere)
    per: str | None  # None, "region_area", or the id of an indicator to divide by
    scale: float  # unit conversion applied last, e.g. 1e-6 for m² -> km²
    unit: str | None  # unit when it differs from the reference's
    method: str
    rate: str | None = None  # project_rate only: start | completion


@dataclass(frozen=True)
class Indicator:
    """One check-up indicator; `compute` is None when parties enter its value."""

    id: str
    name_zh: str
    dimension: str
    subdimension: str
    unit: str
    direction: str  # + higher is better, - lower, = a band, c binding constraint
    limit: str  # min | max | band: how a target is read
    status: str  # V | S | R | app (provenance of the definition)
    compute: Compute | None
    status_note: str | None = None

    @property
    def computed(self) -> bool:
        """Measured from the layers (else entered by the parties)."""
        return self.compute is not None

    @property
    def display_unit(self) -> str:
        """The unit of the values CoPlan reports."""
        return (self.compute and self.compute.unit) or self.unit


@dataclass(frozen=True)
class Definitions:
    """Every indicator, in file order, with the status rule and the file's provenance note."""

    items: tuple[Indicator, ...]
    warn_margin: float  # relative distance to a limit that raises a warning
    band: float  # relative half-width of a band target
    status_note: str

    def get(self, indicator_id: str) -> Indicator:
        """The indicator `indicator_id`; NotFound otherwise."""
        for item in self.items:
            if item.id == indicator_id:
                return item
        raise NotFound(f"no indicator {indicator_id!r}")


@dataclass(frozen=True)
class Region:
    """Where indicators are measured: one city, or the metro area (all cities)."""

    code: str  # XZQ code, or METRO
    geom: BaseGeometry  # EPSG:4490
    area_m2: float  # m², geodesic
    cities: tuple[str, ...]  # the cities it covers


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads((schemas_dir() / "indicators.v1.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def load_definitions(path: str | Path | None = None, catalogue: Catalogue | None = None) -> Definitions:
    """The indicators in `path` (default: the bundled ones), schema- and catalogue-checked."""
    path = Path(path) if path else schemas_dir() / "indicators.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    check_schema(_validator(), data, str(path))
    items = tuple(_indicator(d) for d in data["items"])
    _check(items, catalogue or load_catalogue(), str(path))
    rule = data["status_rule"]
    return Definitions(items, float(rule["warn_margin"]), float(rule["band"]), data["status_note"])


def _refs(data: list | None) -> tuple[LayerRef, ...]:
    return tuple(LayerRef(d["layer"], Where.parse(d.get("where"))) for d in data or ())


def _indicator(d: dict) -> Indicator:
    c = d["compute"]
    if c is None:
        return Indicator(d["id"], d["name_zh"], d["dimension"], d["subdimension"], d["unit"],
                         d["direction"], d["limit"], d["status"], None, d.get("status_note"))
    per = c.get("per")
    compute = Compute(c["measure"], _refs(c.get("layers")), _refs(c.get("within")),
                      per["indicator"] if isinstance(per, dict) else per,
                      float(c["scale"]), c.get("unit"), c["method"], c.get("rate"))
    return Indicator(d["id"], d["name_zh"], d["dimension"], d["subdimension"], d["unit"],
                     d["direction"], d["limit"], d["status"], compute, d.get("status_note"))


def _check(items: tuple[Indicator, ...], catalogue: Catalogue, source: str) -> None:
    """Unique ids, known layers and fields, `per` naming an entered indicator."""
    ids, seen = {i.id for i in items}, set()
    for at, item in enumerate(items):
        if item.id in seen:
            raise InvalidInput(f"{source}: $.items[{at}].id: duplicate indicator {item.id}")
        seen.add(item.id)
        c = item.compute
        if c is None:
            continue
        for ref in (*c.layers, *c.within):
            layer = catalogue.layer(ref.layer)
            used = {*ref.fields, "JSZT", "SJCS", RATE_RULES[c.rate][0]} if c.rate else set(ref.fields)
            missing = used - set(layer.field_names)
            if missing:
                raise InvalidInput(f"{source}: $.items[{at}].compute: layer {layer.code} has no field {min(missing)}")
        if c.per not in (None, "region_area") and c.per not in ids:
            raise InvalidInput(f"{source}: $.items[{at}].compute.per: no indicator {c.per}")


def regions_for(cities: Cities, codes: tuple[str, ...] | None = None, metro: bool = True) -> list[Region]:
    """A region per city of `codes` (default: all), then the metro area when `metro`."""
    chosen = [c for c in cities.codes if codes is None or c in codes]
    geoms = np.array([cities.polygon(c) for c in chosen], dtype=object)
    areas = areas_m2(geoms)
    out = [Region(c, g, float(a), (c,)) for c, g, a in zip(chosen, geoms, areas, strict=True)]
    if metro and len(chosen) > 1:
        whole = shapely.union_all(geoms)
        out.append(Region(METRO, whole, float(areas_m2(np.array([whole]))[0]), tuple(chosen)))
    return out


def measured(dataset: Dataset, compute: Compute, regions: list[Region],
             check: CheckResult | None = None, year: int | None = None) -> dict[str, float | None]:
    """The raw measure (m², m, a count or a rate) in each region; None when no layer holds data."""
    if compute.measure == "conflicts":
        return _conflict_counts(check, regions)
    if compute.measure == "project_rate":
        return project_rates(dataset, compute, regions, year)
    shape = _union(dataset, compute.layers)
    if shape is None:
        return {r.code: None for r in regions}
    if compute.within:
        inside = _union(dataset, compute.within)
        shape = shapely.Polygon() if inside is None else shapely.intersection(shape, inside)
    parts = shapely.intersection(shape, np.array([r.geom for r in regions], dtype=object))
    sizes = areas_m2(parts) if compute.measure == "area" else lengths_m(parts)
    return {r.code: float(s) for r, s in zip(regions, sizes, strict=True)}


def _union(dataset: Dataset, refs: tuple[LayerRef, ...]) -> BaseGeometry | None:
    """The union of the features of `refs`, or None when none of their layers has a feature."""
    layers = [dataset.layer(ref.layer) for ref in refs]
    if not any(len(layer) for layer in layers):
        return None
    geoms = [g for layer, ref in zip(layers, refs, strict=True) for g in layer.where(ref.where).geoms]
    return shapely.union_all(geoms) if geoms else shapely.GeometryCollection()


def project_rates(dataset: Dataset, compute: Compute, regions: list[Region],
                  year: int | None) -> dict[str, float | None]:
    """Per region: of the library entries due by `year` (QDNF or WCNF ≤ year), the share that
    have started (JSZT 在建/建成) or been completed (建成); None when none is due.

    An entry counts in each city it names in SJCS (涉及城市), or touches when SJCS is empty: the
    library's own word beats schematic city polygons that miss islands and offshore ports.
    Metro-wide, every entry counts once. Entries without the year field are left out.
    """
    if year is None:
        return {r.code: None for r in regions}
    due = {r.code: 0 for r in regions}
    done = dict(due)
    field, statuses = RATE_RULES[compute.rate]  # type: ignore[index]  # a rate indicator has its rule
    for ref in compute.layers:
        layer = dataset.layer(ref.layer).where(ref.where)
        if not len(layer):
            continue
        years = layer.attrs.get(field, np.full(len(layer), None, dtype=object))
        is_due = np.fromiter(((y := _year(v)) is not None and y <= year for v in years), np.bool_, len(layer))
        status = layer.attrs.get("JSZT", np.full(len(layer), None, dtype=object)).astype(str)
        is_done = is_due & np.isin(status, statuses)
        named = [_codes(v) for v in layer.attrs.get("SJCS", np.full(len(layer), None, dtype=object))]
        for region in regions:
            inside = _in_region(layer, named, region)
            due[region.code] += int((is_due & inside).sum())
            done[region.code] += int((is_done & inside).sum())
    return {code: (done[code] / n if n else None) for code, n in due.items()}


def _in_region(layer: LayerData, named: list[set[str]], region: Region) -> np.ndarray:
    """Which entries of `layer` belong to `region` (see `project_rates`)."""
    if region.code == METRO:
        return np.ones(len(layer), dtype=bool)
    touches = shapely.intersects(layer.geoms, region.geom).astype(bool)
    return np.fromiter(((region.code in codes) if codes else hit for codes, hit in zip(named, touches, strict=True)),
                       bool, len(layer))


def _codes(value: object) -> set[str]:
    """City codes of an SJCS value such as "310000,320500" (，、; and spaces also separate)."""
    return set(re.split(r"[,，、;；\s]+", str(value or "").strip())) - {""}


def _year(value: object) -> int | None:
    try:
        return int(value) if value not in (None, "") else None  # type: ignore[call-overload]  # refused below
    except (TypeError, ValueError):  # a stray text year is not due, rather than an error
        return None


def _conflict_counts(check: CheckResult | None, regions: list[Region]) -> dict[str, float | None]:
    """Overlay conflicts lying (partly) in each region; None without a check."""
    if check is None:
        return {r.code: None for r in regions}
    overlays = [c for c in check.conflicts if c.kind == "overlay"]
    return {r.code: float(sum(1 for c in overlays if set(c.cities) & set(r.cities)))
            for r in regions}


def compute_values(dataset: Dataset, definitions: Definitions, regions: list[Region],
                   entered: Mapping[tuple[str, str], float], check: CheckResult | None = None,
                   year: int | None = None) -> dict[tuple[str, str], float | None]:
    """(indicator, region) -> value of every computed indicator, in its unit; rates of the
    project library need the check-up `year`."""
    out: dict[tuple[str, str], float | None] = {}
    for item in definitions.items:
        if item.compute is None:
            continue
        raw = measured(dataset, item.compute, regions, check, year)
        for region in regions:
            divisor = _divisor(item.compute, region, entered)
            value = raw[region.code]
            out[(item.id, region.code)] = (None if value is None or not divisor
                                           else value / divisor * item.compute.scale)
    return out


def _divisor(compute: Compute, region: Region,
             entered: Mapping[tuple[str, str], float]) -> float | None:
    """What the measure is divided by: 1, the region's area (m²) or another indicator's value."""
    if compute.per is None:
        return 1.0
    if compute.per == "region_area":
        return region.area_m2
    value = entered.get((compute.per, region.code))
    if value is None and region.code == METRO:
        # The metro area's population etc. is the sum of its cities' when all are entered.
        parts = [entered.get((compute.per, c)) for c in region.cities]
        known = [p for p in parts if p is not None]
        value = sum(known) if len(known) == len(parts) else None
    return value
