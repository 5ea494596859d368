"""Undoable edits as plain objects. `do` and `undo` run on the DB worker with its own Project
and return what changed as (layer, uuid, feature or None) for the in-memory store.

The views wrap each in a QUndoCommand; the first `do` runs before the command is pushed, so a
refused edit (FeatureInvalid, PermissionDenied) never reaches the undo stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry

from app.editing import expression, ops
from app.model.catalogue import Layer
from app.model.feature import Feature
from app.model.validation import prepare_columns
from app.project.features import FeatureInvalid, add_feature, delete_feature, update_feature
from app.project.project import Project
from app.project.sql import ident

Result = list[tuple[str, str, Feature | None]]


def _stored_attrs(project: Project, feature: Feature) -> dict:
    """Attributes to write back: derived fields are recomputed by the core, not restored."""
    layer = project.layer(feature.layer)
    derived = {f.name for f in layer.fields if f.derived}
    return {k: v for k, v in feature.attrs.items() if k not in derived}


@dataclass
class AddFeature:
    """Create a feature; undo deletes it, redo recreates it under the same uuid."""

    layer: str
    attrs: dict
    geometry: BaseGeometry
    owner: str | None = None
    uuid: str | None = None  # assigned by the first `do`

    def text(self, lang: str) -> str:
        return f"新增要素 {self.layer}" if lang == "zh" else f"Add feature to {self.layer}"

    def do(self, project: Project) -> Result:
        feature = add_feature(project, self.layer, self.attrs, self.geometry,
                              owner=self.owner, uuid=self.uuid)
        self.uuid = feature.uuid
        return [(self.layer, feature.uuid, feature)]

    def undo(self, project: Project) -> Result:
        assert self.uuid is not None  # do() ran first
        delete_feature(project, self.layer, self.uuid)
        return [(self.layer, self.uuid, None)]


@dataclass
class UpdateFeature:
    """Change attributes and/or the geometry of one feature; `before` is its state until now."""

    before: Feature
    attrs: dict = field(default_factory=dict)
    geometry: BaseGeometry | None = None

    def text(self, lang: str) -> str:
        what = ("几何" if lang == "zh" else "geometry") if self.geometry is not None else ", ".join(self.attrs)
        return f"修改 {self.before.layer}：{what}" if lang == "zh" else f"Edit {self.before.layer}: {what}"

    def do(self, project: Project) -> Result:
        f = update_feature(project, self.before.layer, self.before.uuid, self.attrs or None, self.geometry)
        return [(f.layer, f.uuid, f)]

    def undo(self, project: Project) -> Result:
        b = self.before
        f = update_feature(project, b.layer, b.uuid, _stored_attrs(project, b), b.geometry)
        return [(f.layer, f.uuid, f)]


@dataclass
class DeleteFeatures:
    """Delete features; undo restores each with its uuid, owner, attributes and geometry."""

    features: list[Feature]

    def text(self, lang: str) -> str:
        n = len(self.features)
        return f"删除 {n} 个要素" if lang == "zh" else f"Delete {n} feature(s)"

    def do(self, project: Project) -> Result:
        for f in self.features:
            delete_feature(project, f.layer, f.uuid)
        return [(f.layer, f.uuid, None) for f in self.features]

    def undo(self, project: Project) -> Result:
        out: Result = []
        for f in self.features:
            new = add_feature(project, f.layer, _stored_attrs(project, f), f.geometry,
                              owner=f.owner, uuid=f.uuid, created=(f.created_by, f.created_at))  # type: ignore[arg-type]  # stored: both set
            out.append((f.layer, f.uuid, new))
        return out


def _owner_for_new(project: Project, feature: Feature) -> str | None:
    """Pieces keep the owner when the project may create for it; else they are the party's own."""
    return feature.owner if feature.owner == project.party or project.role == "coordinator" else None


@dataclass
class SplitFeature:
    """Cut a feature with a line: it keeps its uuid and attributes on the largest piece; each
    other piece is a new feature with copied attributes and a fresh identifier (BSM), so the
    layer stays free of duplicates; the planner may renumber it in the form."""

    before: Feature
    line: BaseGeometry
    new: list[tuple[str, dict]] = field(default_factory=list)  # (uuid, attrs) fixed by the first `do`

    def text(self, lang: str) -> str:
        return f"分割 {self.before.layer}" if lang == "zh" else f"Split {self.before.layer} feature"

    def do(self, project: Project) -> Result:
        b = self.before
        pieces = ops.split(b.geometry, self.line)
        with project.db.atomic():
            out: Result = [(b.layer, b.uuid, update_feature(project, b.layer, b.uuid, None, pieces[0]))]
            if not self.new:
                attrs = _stored_attrs(project, b)
                self.new = [(None, a) for a in fresh_identifiers(project, b.layer, attrs, len(pieces) - 1)]  # type: ignore[misc]  # uuids: set below
            for i, piece in enumerate(pieces[1:]):
                uuid, attrs = self.new[i]
                f = add_feature(project, b.layer, attrs, piece, owner=_owner_for_new(project, b), uuid=uuid)
                self.new[i] = (f.uuid, attrs)
                out.append((f.layer, f.uuid, f))
        return out

    def undo(self, project: Project) -> Result:
        b = self.before
        with project.db.atomic():
            for uuid, _ in self.new:
                delete_feature(project, b.layer, uuid)
            f = update_feature(project, b.layer, b.uuid, _stored_attrs(project, b), b.geometry)
        return [(b.layer, uuid, None) for uuid, _ in self.new] + [(f.layer, f.uuid, f)]


def fresh_identifiers(project: Project, code: str, attrs: dict, count: int) -> list[dict]:
    """`count` copies of `attrs`, each with new values for the layer's identifier fields (BSM and
    any field the catalogue marks unique): the next free number, or VALUE-2, VALUE-3, …"""
    layer = project.layer(code)
    names = [n for n in layer.field_names if n in (*layer.unique, "BSM") and attrs.get(n) not in (None, "")]
    copies = [dict(attrs) for _ in range(count)]
    for name in names:
        taken = {str(v) for (v,) in project.db.execute(
            f"SELECT {ident(name)} FROM {ident(layer.table_name)} WHERE {ident(name)} IS NOT NULL")}
        values = next_free(taken, str(attrs[name]), count, layer.field(name).length)
        for copy, value in zip(copies, values, strict=True):
            copy[name] = value
    return copies


def next_free(taken: set[str], base: str, count: int, length: int | None = None) -> list[str]:
    """`count` values not in `taken`, derived from `base` and at most `length` characters."""
    out: list[str] = []
    if base.isdigit():
        n = max((int(v) for v in taken if v.isdigit()), default=int(base))
        while len(out) < count:
            n += 1
            out.append(str(n).zfill(len(base)))
        if length is None or all(len(v) <= length for v in out):
            return out
        out = []
    i = 2
    while len(out) < count:
        suffix = f"-{i}"
        value = (base[: length - len(suffix)] if length else base) + suffix
        if value not in taken and value not in out:
            out.append(value)
        i += 1
    return out


@dataclass
class MergeFeatures:
    """Merge features of one layer and one owner into the first: it keeps its uuid and attributes
    and takes the union of the geometries; the others are deleted (undo brings them back)."""

    features: list[Feature]

    def text(self, lang: str) -> str:
        n = len(self.features)
        return f"合并 {n} 个要素" if lang == "zh" else f"Merge {n} features"

    def do(self, project: Project) -> Result:
        check_mergeable(self.features)
        first, others = self.features[0], self.features[1:]
        geometry = ops.merge([f.geometry for f in self.features])
        with project.db.atomic():
            for f in others:
                delete_feature(project, f.layer, f.uuid)
            merged = update_feature(project, first.layer, first.uuid, None, geometry)
        return [(f.layer, f.uuid, None) for f in others] + [(merged.layer, merged.uuid, merged)]

    def undo(self, project: Project) -> Result:
        first, others = self.features[0], self.features[1:]
        with project.db.atomic():
            out = DeleteFeatures(others).undo(project)
            f = update_feature(project, first.layer, first.uuid, _stored_attrs(project, first), first.geometry)
        return [*out, (f.layer, f.uuid, f)]


def check_mergeable(features: list[Feature]) -> None:
    """EditRefused unless the features are two or more of one layer and one owner."""
    if len(features) < 2:
        raise ops.EditRefused("Select at least two features to merge")
    if len({f.layer for f in features}) > 1:
        raise ops.EditRefused("Only features of one layer can be merged")
    owners = sorted({f.owner for f in features})
    if len(owners) > 1:
        raise ops.EditRefused("Features of different owners cannot be merged: {}".format(", ".join(owners)))


@dataclass
class SetAttribute:
    """Set one field of many features (the field calculator) in one undo step. The values are
    given, or computed on the worker from `formula` (text, constant?) by the first `do`; all of
    them are checked against the catalogue before anything is written."""

    features: list[Feature]
    name: str
    values: list[object] = field(default_factory=list)  # one per feature
    formula: tuple[str, bool] | None = None  # (text, is a constant), see `calculate`

    def text(self, lang: str) -> str:
        n = len(self.features)
        return f"批量修改 {self.name}（{n} 个）" if lang == "zh" else f"Set {self.name} on {n} feature(s)"

    def do(self, project: Project) -> Result:
        layer = project.layer(self.features[0].layer)
        if layer.field(self.name).derived:
            raise ops.EditRefused(f"{self.name} is computed from the geometry and cannot be set")
        if not self.values and self.formula is not None:
            self.values = calculate(layer, self.features, self.name, *self.formula)
        self._validate(project, layer)
        with project.db.atomic():
            return [_put(project, f, {self.name: v}) for f, v in zip(self.features, self.values, strict=True)]

    def _validate(self, project: Project, layer: Layer) -> None:
        """Every feature's new values, column-wise as an import checks them."""
        columns = {n: [f.attrs.get(n) for f in self.features] for n in layer.field_names}
        columns[self.name] = list(self.values)
        _, problems = prepare_columns(layer, project.catalogue, columns, len(self.features))
        if problems:
            raise FeatureInvalid(layer, problems[min(problems)])

    def undo(self, project: Project) -> Result:
        with project.db.atomic():
            return [_put(project, f, _stored_attrs(project, f)) for f in self.features]


def _put(project: Project, feature: Feature, attrs: dict) -> tuple[str, str, Feature]:
    f = update_feature(project, feature.layer, feature.uuid, attrs, None)
    return f.layer, f.uuid, f


def calculate(layer: Layer, features: list[Feature], name: str, text: str, constant: bool) -> list[object]:
    """The field calculator's values: `text` itself for every feature, or `text` evaluated as an
    expression of each feature's fields (numbers rounded to whole for integer fields)."""
    target = layer.field(name)
    if constant:
        return [text if text != "" else None] * len(features)
    expr = expression.parse(text, layer)
    data = expression.columns((f.attrs for f in features), expr)
    values = expression.evaluate(expr, data, len(features))
    return [_fit(v, target.type) for v in values]


def _fit(value: object, kind: str) -> object:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float) and kind == "integer":
        return round(value)
    if isinstance(value, float) and kind == "text":
        return expression.format_number(value)
    return value


EditCommand = AddFeature | UpdateFeature | DeleteFeatures | SplitFeature | MergeFeatures | SetAttribute
