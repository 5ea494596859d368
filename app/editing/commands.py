"""Undoable edits as plain objects. `do` and `undo` run on the DB worker with its own Project
and return what changed as (layer, uuid, feature or None) for the in-memory store.

The views wrap each in a QUndoCommand; the first `do` runs before the command is pushed, so a
refused edit (FeatureInvalid, PermissionDenied) never reaches the undo stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry

from app.model.feature import Feature
from app.project.features import add_feature, delete_feature, update_feature
from app.project.project import Project

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
                              owner=f.owner, uuid=f.uuid, created=(f.created_by, f.created_at))
            out.append((f.layer, f.uuid, new))
        return out


EditCommand = AddFeature | UpdateFeature | DeleteFeatures
