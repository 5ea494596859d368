"""Reading and writing features: shapely geometries in and out, validation before every write."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.errors import InvalidInput, NotFound, PermissionDenied
from app.model import geodesy
from app.model.catalogue import SYSTEM_COLUMNS, Layer
from app.model.feature import Feature, utc_now
from app.model.ids import uuid7
from app.model.validation import Problem, check_geometries, prepare_columns, validate_feature
from app.project.integrity import exact_derived, stale_derived
from app.project.layers import geometry_param
from app.project.project import Project
from app.project.sql import ident, idents


class FeatureInvalid(InvalidInput):
    """A feature was refused; `problems` lists every reason."""

    def __init__(self, layer: Layer, problems: list[Problem], lang: str = "en"):
        text = "; ".join(p.text(lang) for p in problems)
        super().__init__(f"{layer.code}: {text}")
        self.problems = problems


def _select_sql(layer: Layer) -> str:
    return (f"SELECT {idents(SYSTEM_COLUMNS)}, {idents(layer.field_names) + ',' if layer.fields else ''} "
            f"AsBinary(geom) FROM {ident(layer.code)}")


def _to_feature(layer: Layer, row: Sequence) -> Feature:
    n = len(SYSTEM_COLUMNS)
    fid, uuid, owner, cby, cat, mby, mat = row[:n]
    attrs = dict(zip(layer.field_names, row[n:-1], strict=True))
    return Feature(layer.code, uuid, owner, attrs, shapely.from_wkb(row[-1]), cby, cat, mby, mat, fid)


def iter_features(project: Project, code: str, *,
                  bbox: tuple[float, float, float, float] | None = None) -> Iterator[Feature]:
    """Features of a layer in key order, optionally only those whose box meets `bbox`."""
    layer = project.layer(code)
    sql = _select_sql(layer)
    params: tuple = ()
    if bbox is not None:
        sql += (" WHERE fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = ? "
                "AND f_geometry_column = 'geom' AND search_frame = BuildMbr(?, ?, ?, ?, 4490))")
        params = (layer.code, *bbox)
    for row in project.db.execute(sql + " ORDER BY fid", params):
        yield _to_feature(layer, row)


def get_feature(project: Project, code: str, uuid: str) -> Feature:
    """The feature `uuid` of layer `code`."""
    layer = project.layer(code)
    row = project.db.execute(_select_sql(layer) + " WHERE uuid = ?", (uuid,)).fetchone()
    if row is None:
        raise NotFound(f"no feature {uuid} in layer {layer.code}")
    return _to_feature(layer, row)


def derive(layer: Layer, attrs: dict, geom: BaseGeometry) -> dict:
    """`attrs` with derived fields (geodesic area / length) computed from `geom`."""
    out = dict(attrs)
    for field in layer.fields:
        if field.derived == "area_m2":
            out[field.name] = round(geodesy.area_m2(geom), 2)
        elif field.derived == "length_m":
            out[field.name] = round(geodesy.length_m(geom), 2)
    return out


def _checked(project: Project, layer: Layer, attrs: dict, geom: BaseGeometry) -> dict:
    coerced, problems = validate_feature(layer, project.catalogue, attrs, geom)
    if problems:
        raise FeatureInvalid(layer, problems)
    return derive(layer, coerced, geom)


def add_feature(project: Project, code: str, attrs: dict, geom: BaseGeometry, *,
                owner: str | None = None, uuid: str | None = None,
                created: tuple[str, str] | None = None) -> Feature:
    """Validate and insert a new feature owned by `owner` (default: the project's party).

    `uuid` and `created` (by, at) put back a feature exactly, e.g. when a delete is undone."""
    project.require_writable()
    layer = project.layer(code)
    values = _checked(project, layer, attrs, geom)
    owner = owner or project.party
    if owner != project.party and project.role != "coordinator":
        raise PermissionDenied(f"party {project.party} cannot create features owned by {owner}")
    uuid, now = uuid or uuid7(), utc_now()
    created_by, created_at = created or (project.author, now)
    names = ["uuid", "owner", "created_by", "created_at", "modified_by", "modified_at", *values]
    params = [uuid, owner, created_by, created_at, project.author, now, *values.values()]
    with project.db.atomic(), exact_derived(project.db):
        project.db.execute(
            f"INSERT INTO {ident(layer.code)} ({idents(names)}, geom) "
            f"VALUES ({', '.join('?' * len(names))}, {geometry_param(layer)})",
            [*params, shapely.to_wkb(geom)])
    return get_feature(project, layer.code, uuid)


def _check_owner(project: Project, feature: Feature) -> None:
    project.require_writable()
    if feature.layer in project.shared_layers:
        return  # every editor may edit a shared layer
    if feature.owner != project.party and project.role != "coordinator":
        raise PermissionDenied(f"feature {feature.uuid} belongs to party {feature.owner}; "
                               f"party {project.party} may not change it")


def update_feature(project: Project, code: str, uuid: str, attrs: dict | None = None,
                   geom: BaseGeometry | None = None) -> Feature:
    """Validate and apply new attribute values and/or a new geometry."""
    layer = project.layer(code)
    current = get_feature(project, layer.code, uuid)
    _check_owner(project, current)
    geom = current.geometry if geom is None else geom
    values = _checked(project, layer, {**current.attrs, **(attrs or {})}, geom)
    sets = [f"{ident(k)} = ?" for k in values] + ["modified_by = ?", "modified_at = ?",
                                                  f"geom = {geometry_param(layer)}"]
    params = [*values.values(), project.author, utc_now(), shapely.to_wkb(geom), uuid]
    with project.db.atomic(), exact_derived(project.db):
        project.db.execute(f"UPDATE {ident(layer.code)} SET {', '.join(sets)} WHERE uuid = ?", params)
    return get_feature(project, layer.code, uuid)


def delete_feature(project: Project, code: str, uuid: str) -> None:
    """Delete a feature the party owns."""
    layer = project.layer(code)
    _check_owner(project, get_feature(project, layer.code, uuid))
    with project.db.atomic():
        project.db.execute(f"DELETE FROM {ident(layer.code)} WHERE uuid = ?", (uuid,))


def repair(layer: Layer, geom: BaseGeometry) -> BaseGeometry:
    """`make_valid` keeping only the parts of the layer's dimension (the caller decides to use it)."""
    fixed = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(fixed) if shapely.get_dimensions(p) == layer.dimension]
    parts = [q for p in parts for q in shapely.get_parts(p)]
    if layer.dimension == 2:
        return shapely.MultiPolygon(parts) if parts else fixed
    if layer.dimension == 1:
        return shapely.MultiLineString(parts) if parts else fixed
    return parts[0] if len(parts) == 1 else fixed


def validate_layer(project: Project, code: str) -> list[tuple[str, Problem]]:
    """(feature uuid, problem) for every stored feature that breaks a rule."""
    layer = project.layer(code)
    features = list(iter_features(project, layer.code))
    geoms = np.array([f.geometry for f in features], dtype=object)
    columns = {name: [f.attrs[name] for f in features] for name in layer.field_names}
    _, problems = prepare_columns(layer, project.catalogue, columns, len(features))
    for row, found in check_geometries(layer, geoms).items():
        problems[row].extend(found)
    for row, found in stale_derived(layer, columns, geoms).items():
        problems[row].extend(found)
    return [(features[row].uuid, p) for row in sorted(problems) for p in problems[row]]
