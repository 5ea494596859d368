"""Conflict rules (`coplan.conflict-rules/v1`): schema-checked JSON turned into frozen objects.

The standard rules ship in `schemas/rules/standard.json`; a party or the office may pass its
own file. Every error names the JSON path of the offending value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from app.analysis.where import Where
from app.errors import InvalidInput, NotFound
from app.model.catalogue import Catalogue, load_catalogue
from app.paths import schemas_dir

FORMAT = "coplan.conflict-rules/v1"


@dataclass(frozen=True)
class LayerRef:
    """A layer and the filter its features must pass."""

    layer: str
    where: Where = Where()

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the filter tests."""
        return self.where.fields


@dataclass(frozen=True)
class OverlayRule:
    """Features of `a` must not meet features of `b` (parts below the minimum size ignored)."""

    id: str
    name_zh: str
    name_en: str
    a: LayerRef
    b: LayerRef
    severity: str = "error"
    min_area_m2: float = 0.0  # m², geodesic, for polygon results
    min_length_m: float = 0.0  # m, geodesic, for line results
    note: str | None = None

    @property
    def layers(self) -> tuple[str, ...]:
        """The two layers compared."""
        return (self.a.layer, self.b.layer)


@dataclass(frozen=True)
class ContinuityRule:
    """A line ending near a city border must continue on the other side."""

    id: str
    name_zh: str
    name_en: str
    line: LayerRef
    reach_m: float  # an end this close to a neighbouring city reaches the border
    snap_m: float  # ends this close to a line on the other side are connected
    search_m: float  # farther than this: no continuation at all (a dead end)
    severity: str = "warning"
    note: str | None = None

    @property
    def layers(self) -> tuple[str, ...]:
        """The line layer checked."""
        return (self.line.layer,)


Rule = OverlayRule | ContinuityRule


@dataclass(frozen=True)
class RuleSet:
    """A named set of rules and where the city boundaries come from."""

    name: str
    cities: LayerRef
    city_field: str  # the field holding a city's code, e.g. XZQDM
    rules: tuple[Rule, ...]
    city_name_field: str | None = None  # the field holding its name, e.g. XZQMC

    @property
    def layers(self) -> tuple[str, ...]:
        """Every layer the rules read (the city layer included)."""
        codes = {self.cities.layer, *(code for rule in self.rules for code in rule.layers)}
        return tuple(sorted(codes))

    def rule(self, rule_id: str) -> Rule:
        """The rule `rule_id`."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise NotFound(f"no rule {rule_id!r} in rule set {self.name}")


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads((schemas_dir() / "conflict-rules.v1.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def standard_rules_path() -> Path:
    """The bundled standard rules."""
    return schemas_dir() / "rules" / "standard.json"


def load_rules(path: str | Path | None = None, catalogue: Catalogue | None = None) -> RuleSet:
    """The rules in `path` (default: the standard rules), checked against schema and catalogue."""
    path = Path(path) if path else standard_rules_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot read rules file {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise InvalidInput(f"{path} is not JSON: {exc}") from exc
    return parse_rules(data, catalogue or load_catalogue(), source=str(path))


def check_schema(validator: Draft202012Validator, data: object, source: str) -> None:
    """InvalidInput naming the JSON path of the most telling schema error, if any."""
    errors = list(validator.iter_errors(data))
    # A missing required key also leaves its siblings "unevaluated": report the cause.
    causes = [e for e in errors if e.validator != "unevaluatedProperties"]
    error = best_match(causes or errors)
    if error is not None:
        raise InvalidInput(f"{source}: {error.json_path}: {error.message}")


def parse_rules(data: Any, catalogue: Catalogue, source: str = "rules") -> RuleSet:
    """A RuleSet from the JSON form; InvalidInput names the JSON path of the first problem."""
    check_schema(_validator(), data, source)
    _check_catalogue(data, catalogue, source)
    cities = data["cities"]
    return RuleSet(data["name"], _ref(cities), cities["code_field"],
                   tuple(_rule(r) for r in data["rules"]), cities.get("name_field"))


def _ref(data: dict) -> LayerRef:
    return LayerRef(data["layer"], Where.parse(data.get("where")))


def _rule(data: dict) -> Rule:
    common = {"id": data["id"], "name_zh": data["name_zh"], "name_en": data["name_en"],
              "note": data.get("note")}
    if data["type"] == "overlay":
        return OverlayRule(**common, a=_ref(data["a"]), b=_ref(data["b"]),
                           severity=data.get("severity", "error"),
                           min_area_m2=float(data.get("min_area_m2", 0)),
                           min_length_m=float(data.get("min_length_m", 0)))
    return ContinuityRule(**common, line=_ref(data["line"]), reach_m=float(data["reach_m"]),
                          snap_m=float(data["snap_m"]), search_m=float(data["search_m"]),
                          severity=data.get("severity", "warning"))


def _check_catalogue(data: dict, catalogue: Catalogue, source: str) -> None:
    """Layers and fields exist, geometries suit the rule, ids are unique."""
    _check_ref(data["cities"], "$.cities", catalogue, source, dimension=2)
    for key in ("code_field", "name_field"):
        if key in data["cities"]:
            _check_field(data["cities"]["layer"], data["cities"][key], f"$.cities.{key}",
                         catalogue, source)
    seen = set()
    for i, rule in enumerate(data["rules"]):
        at = f"$.rules[{i}]"
        if rule["id"] in seen:
            raise InvalidInput(f"{source}: {at}.id: duplicate rule id {rule['id']!r}")
        seen.add(rule["id"])
        if rule["type"] == "overlay":
            _check_ref(rule["a"], f"{at}.a", catalogue, source)
            _check_ref(rule["b"], f"{at}.b", catalogue, source)
        else:
            _check_ref(rule["line"], f"{at}.line", catalogue, source, dimension=1)


def _check_ref(ref: dict, at: str, catalogue: Catalogue, source: str,
               dimension: int | None = None) -> None:
    try:
        layer = catalogue.layer(ref["layer"])
    except NotFound as exc:
        raise InvalidInput(f"{source}: {at}.layer: {exc.message}") from exc
    if dimension is not None and layer.dimension != dimension:
        kind = {1: "a line", 2: "a polygon"}[dimension]
        raise InvalidInput(f"{source}: {at}.layer: {layer.code} is not {kind} layer")
    for name in ref.get("where", {}):
        _check_field(layer.code, name, f"{at}.where.{name}", catalogue, source)


def _check_field(code: str, name: str, at: str, catalogue: Catalogue, source: str) -> None:
    if name not in catalogue.layer(code).field_names:
        raise InvalidInput(f"{source}: {at}: layer {code} has no field {name}")
