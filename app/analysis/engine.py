"""The conflict-check engine: rules over feature arrays, run as a generator yielding progress.

A GUI worker iterates `iter_check` (each item a `Progress`; the generator returns the
`CheckResult`); `check` runs it to the end. Results are reproducible: conflicts come in rule
order, then by feature UUIDs, and each id is a UUIDv5 of the rule and the features involved.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections import Counter
from dataclasses import dataclass

import numpy as np
from shapely.geometry.base import BaseGeometry

from app.analysis.cities import Cities, cities_from
from app.analysis.continuity import Break, breaks
from app.analysis.dataset import Dataset, LayerData
from app.analysis.measure import union_measure
from app.analysis.overlay import Pairs, overlay
from app.analysis.rules import ContinuityRule, LayerRef, OverlayRule, Rule, RuleSet
from app.model.catalogue import load_catalogue
from app.model.jobs import Job, Progress, drive

log = logging.getLogger(__name__)

# Fixed namespace of conflict ids: uuid5(NAMESPACE, "rule/feature/feature…").
NAMESPACE = uuid.UUID("6f1c2a0e-8d3b-5c47-9a61-2b7e4d0c9f15")
CHUNK = 25_000  # features of layer A per step: progress for the GUI without losing vectorisation


@dataclass(frozen=True)
class Conflict:
    """One finding: where two plans clash, or where a network breaks at a city border."""

    key: str  # "rule/feature/feature…": names the conflict; its id is derived from it
    rule: str
    kind: str  # overlay | gap | offset | dead_end
    severity: str  # error | warning
    layers: tuple[str, ...]  # layer of each feature
    features: tuple[str, ...]  # feature UUIDs: (a, b) of an overlay; (line, other line) of a gap
    owners: tuple[str, ...]  # parties owning those features, sorted
    cities: tuple[str, ...]  # cities (XZQ codes) the conflict lies in, sorted
    area_m2: float | None  # m², geodesic on CGCS2000 (polygon overlays)
    length_m: float | None  # m, geodesic (lines in polygons; a gap's connector)
    by_city: tuple[tuple[str, float], ...]  # (city, m² or m inside it), for straddling conflicts
    geometry: BaseGeometry  # EPSG:4490
    gap_m: float | None = None  # m, how far the two line ends stand off the border
    offset_m: float | None = None  # m, how far apart along the border the lines meet it
    labels: tuple[str, ...] = ()  # a readable name of each feature (XMMC (XMBH), HXMC…), "" if none

    @property
    def id(self) -> str:
        """UUIDv5 of the key: the same rule and features give the same id in every run."""
        # Derived on demand: hashing every conflict of a large check would be wasted work
        # when most are only counted.
        return conflict_id(self.key)

    @property
    def parties(self) -> tuple[str, ...]:
        """Everyone involved: the owners of both sides and the cities it lies in."""
        return tuple(sorted({*self.owners, *self.cities}))


@dataclass(frozen=True)
class RuleSummary:
    """Totals of one rule."""

    rule: str
    name_zh: str
    name_en: str
    severity: str
    count: int
    area_m2: float  # m², geodesic area of the union of the rule's conflicts (overlaps once)
    length_m: float  # m, geodesic length of the union of the rule's conflicts
    by_city: tuple[tuple[str, float], ...] = ()  # (city, m² or m of that union inside it)


@dataclass(frozen=True)
class CheckResult:
    """Every conflict found, in a reproducible order, and the totals."""

    rule_set: str
    parties: tuple[str, ...]  # parties whose projects were read
    conflicts: tuple[Conflict, ...]
    rules: tuple[RuleSummary, ...]
    city_names: tuple[tuple[str, str], ...] = ()  # (city code, name) of the boundary layer

    def city_name(self, code: str) -> str:
        """The name of city `code` (the code when unnamed)."""
        return dict(self.city_names).get(code, code)

    def by_party(self) -> dict[str, int]:
        """Number of conflicts each party is involved in."""
        counts = Counter(p for c in self.conflicts for p in c.parties)
        return dict(sorted(counts.items()))


def conflict_id(key: str) -> str:
    """str(uuid.uuid5(NAMESPACE, key)), without building UUID objects (one per conflict)."""
    digest = bytearray(hashlib.sha1(NAMESPACE.bytes + key.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def check(dataset: Dataset, rules: RuleSet) -> CheckResult:
    """`iter_check` run to the end."""
    return drive(iter_check(dataset, rules))


def iter_check(dataset: Dataset, rules: RuleSet) -> Job[CheckResult]:
    """Apply every rule to `dataset`, yielding progress; returns the CheckResult."""
    cities = cities_from(dataset, rules)
    # Each filtered layer once: rules often share one (e.g. construction land).
    refs = {ref for rule in rules.rules for ref in _refs(rule)}
    selected = {ref: dataset.layer(ref.layer).where(ref.where) for ref in refs}
    total = sum(_steps(selected, rule) for rule in rules.rules)
    done, found = 0, []
    for rule in rules.rules:
        if isinstance(rule, OverlayRule):
            job = _overlay_rule(selected[rule.a], selected[rule.b], rule, cities)
        else:
            job = _continuity_rule(selected[rule.line], rule, cities)
        mine = []
        for message, conflicts in job:
            mine.extend(conflicts)
            done += 1
            yield Progress("check", done, total, message)
        # The key starts with the feature UUIDs: the order does not depend on input order.
        found.extend(sorted(mine, key=lambda c: c.key))
    return _result(rules, dataset, found, cities)


def _refs(rule: Rule) -> tuple[LayerRef, ...]:
    return (rule.a, rule.b) if isinstance(rule, OverlayRule) else (rule.line,)


def _steps(selected: dict[LayerRef, LayerData], rule: Rule) -> int:
    if isinstance(rule, OverlayRule):
        return max(1, -(-len(selected[rule.a]) // CHUNK))
    return 1


def _dimension(rule: OverlayRule) -> int:
    catalogue = load_catalogue()
    return min(catalogue.layer(code).dimension for code in rule.layers)


def _overlay_rule(a: LayerData, b: LayerData, rule: OverlayRule, cities: Cities):
    """Yields (progress message, conflicts) chunk by chunk of layer A."""
    same = rule.a == rule.b
    dimension = _dimension(rule)
    minimum = rule.min_area_m2 if dimension == 2 else rule.min_length_m
    steps = max(1, -(-len(a) // CHUNK))
    for step in range(steps):
        start = step * CHUNK
        pairs = overlay(a.geoms[start:start + CHUNK], b.geoms, dimension, minimum=minimum,
                        within=start if same else None)
        yield (f"{rule.id}: {min(start + CHUNK, len(a)):,} of {len(a):,} features",
               _overlay_conflicts(rule, a, b, pairs.shifted(start), cities, dimension))


def _overlay_conflicts(rule: OverlayRule, a: LayerData, b: LayerData, pairs: Pairs,
                       cities: Cities, dimension: int) -> list[Conflict]:
    """Conflicts of one chunk of pairs."""
    ua, ub = a.uuids[pairs.ia].tolist(), b.uuids[pairs.ib].tolist()
    oa, ob = a.owners[pairs.ia].tolist(), b.owners[pairs.ib].tolist()
    sizes, geoms = pairs.sizes.tolist(), pairs.geoms.tolist()
    located = cities.locate(pairs.geoms, dimension)
    la, lb = labels(a)[pairs.ia].tolist(), labels(b)[pairs.ib].tolist()
    area, length = dimension == 2, dimension == 1
    out = []
    for k, places in enumerate(located):
        owners = (oa[k],) if oa[k] == ob[k] else tuple(sorted((oa[k], ob[k])))
        out.append(Conflict(
            f"{rule.id}/{ua[k]}/{ub[k]}", rule.id, "overlay", rule.severity,
            rule.layers, (ua[k], ub[k]), owners, _codes(places),
            sizes[k] if area else None, sizes[k] if length else None,
            places if len(places) > 1 else (), geoms[k], labels=(la[k], lb[k])))
    return out


# The fields naming a feature of each layer: (name, code). A conflict names its features so that
# a list or an export reads "沪苏湖铁路 (P1) × 淀山湖生态保护红线", not two UUIDs.
LABEL_FIELDS = {
    "XMK_LINE": ("XMMC", "XMBH"), "XMK_POLYGON": ("XMMC", "XMBH"),
    "STBHHX": ("HXMC", "BSM"), "YJJBNTBHTB": ("ZLDWMC", "TBBH"), "CZKFBJ": ("XZQMC", "BSM"),
    "GHYDYH": ("YDYHFLMC", "BSM"), "LD": ("LDMC", "LDBM"), "LW": ("LWMC", "LWBM"),
    "QYFZLD": ("LDMC", "LDBM"), "XZQ": ("XZQMC", "XZQDM"),
}


def labels(layer: LayerData) -> np.ndarray:
    """A readable name of each feature: "name (code)", either alone, or ""."""
    name_field, code_field = LABEL_FIELDS.get(layer.code, ("MC", "BSM"))
    empty = np.full(len(layer), None, dtype=object)
    names, codes = layer.attrs.get(name_field, empty), layer.attrs.get(code_field, empty)
    out = np.empty(len(layer), dtype=object)
    out[:] = [f"{n} ({c})" if n and c else str(n or c or "")
              for n, c in zip(names, codes, strict=True)]
    return out


def _codes(places: tuple[tuple[str, float], ...]) -> tuple[str, ...]:
    if len(places) == 1:
        return (places[0][0],)
    return tuple(sorted(code for code, _ in places))


def _continuity_rule(lines: LayerData, rule: ContinuityRule, cities: Cities):
    """Yields (progress message, conflicts) once: the lines are few."""
    yield (f"{rule.id}: {len(lines):,} lines",
           [_break_conflict(rule, lines, b) for b in breaks(rule, lines, cities)])


def _break_conflict(rule: ContinuityRule, lines: LayerData, b: Break) -> Conflict:
    features = (lines.uuids[b.feature],) if b.other is None else (
        lines.uuids[b.feature], lines.uuids[b.other])
    owners = {lines.owners[b.feature]} | ({lines.owners[b.other]} if b.other is not None else set())
    # The part and end make the id unique when one line meets the border several times.
    key = f"{rule.id}/{features[0]}/{b.part}/{b.end}/{b.across}/{'/'.join(features[1:])}"
    names = labels(lines)
    named = (names[b.feature],) if b.other is None else (names[b.feature], names[b.other])
    return Conflict(key, rule.id, b.kind, rule.severity,
                    (rule.line.layer,) * len(features), features, tuple(sorted(owners)),
                    tuple(sorted({b.home, b.across})), None, b.length_m, (), b.geom,
                    b.gap_m, b.offset_m, named)


def _result(rules: RuleSet, dataset: Dataset, conflicts: list[Conflict],
            cities: Cities) -> CheckResult:
    summaries = [summarise(rule, [c for c in conflicts if c.rule == rule.id], cities)
                 for rule in rules.rules]
    return CheckResult(rules.name, dataset.parties, tuple(conflicts), tuple(summaries),
                       tuple(zip(cities.codes, (cities.name(c) for c in cities.codes), strict=True)))


def summarise(rule: Rule, conflicts: list[Conflict], cities: Cities) -> RuleSummary:
    """Totals of one rule: its conflicts' union measured once, metro-wide and per city."""
    codes = {code for c in conflicts for code in c.cities}
    within = {code: cities.polygon(code) for code in codes if code in cities.codes}
    area, area_by = union_measure([c.geometry for c in conflicts if c.area_m2 is not None], 2, within)
    length, length_by = union_measure([c.geometry for c in conflicts if c.length_m is not None], 1,
                                      within)
    # A rule measures either areas or lengths: its per-city figures are in that one unit.
    by_city = area_by if area else length_by
    return RuleSummary(rule.id, rule.name_zh, rule.name_en, rule.severity, len(conflicts),
                       area, length, tuple(sorted(by_city.items())))
