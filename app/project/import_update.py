"""Import as an update: rows of a file matched to a layer's features by uuid or BSM.

A re-imported export (exports carry each feature's uuid) or a file whose 标识码 identifies the
features updates them in place instead of duplicating them. Matching decides per row: a match
updates the feature (only the columns that differ), no match inserts a new one, and features the
file does not mention are left alone. Rows whose match is ambiguous (the key twice in the file,
or on two features of the layer) or whose feature another party owns are bad rows, refused or
skipped like any other.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import shapely

from app.errors import InvalidInput
from app.model.catalogue import Layer
from app.model.feature import utc_now
from app.model.jobs import Progress
from app.model.validation import Problem, Problems
from app.project.layers import geometry_param
from app.project.project import Project
from app.project.sql import ident, idents

KEYS = {"uuid": "uuid", "bsm": "BSM"}  # --update-by value (any case) -> column


def key_column(layer: Layer, update_by: str) -> str:
    """The column `--update-by` names (uuid or BSM)."""
    key = KEYS.get(update_by.strip().lower())
    if key is None:
        raise InvalidInput(f"--update-by takes uuid or BSM, not {update_by!r}")
    if key == "BSM" and "BSM" not in layer.field_names:
        raise InvalidInput(f"layer {layer.code} has no BSM field: use --update-by uuid")
    return key


def match_rows(project: Project, layer: Layer, key: str, keys: Sequence, fids: Sequence | np.ndarray,
               owner: str) -> tuple[list[str | None], Problems]:
    """For each row, the uuid of the feature it updates (None: a new feature), and the rows
    that cannot be matched safely."""
    existing: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for uuid, party, value in project.db.execute(
            f"SELECT uuid, owner, {ident(key)} FROM {ident(layer.code)} "
            f"WHERE {ident(key)} IS NOT NULL"):
        existing[str(value)].append((uuid, party))
    in_file: dict[str, list[int]] = defaultdict(list)
    for row, value in enumerate(keys):
        if value is not None:
            in_file[value].append(row)
    problems: Problems = defaultdict(list)
    targets: list[str | None] = [None] * len(keys)
    for row, value in enumerate(keys):
        found = existing.get(value, []) if value is not None else []
        problem = _ambiguity(key, value, in_file, existing, fids) if value is not None else None
        if problem is None and len(found) == 1:
            problem = _ownership(project, layer, key, value, *found[0])
            targets[row] = found[0][0]
        if problem is not None:
            problems[row].append(problem)
    return targets, problems


def _ambiguity(key: str, value: str, in_file, existing, fids) -> Problem | None:
    rows = in_file[value]
    if len(rows) > 1:
        where = ", ".join(str(fids[r]) for r in rows)
        return Problem("ambiguous-match", f"{key} {value!r} is on {len(rows)} rows of the file "
                       f"(FID {where}): which one updates the feature?",
                       f"{key} {value!r} 在文件中出现 {len(rows)} 次（FID {where}），无法确定用哪一行更新",
                       key)
    features = existing.get(value, [])
    if len(features) > 1:
        uuids = ", ".join(u for u, _ in features)
        return Problem("ambiguous-match", f"{key} {value!r} is on {len(features)} features of the "
                       f"layer ({uuids}): which one does the row update?",
                       f"{key} {value!r} 对应图层中的 {len(features)} 个要素（{uuids}），无法确定更新哪一个",
                       key)
    return None


def _ownership(project: Project, layer: Layer, key: str, value: str, uuid: str,
               party: str) -> Problem | None:
    if party == project.party or project.role == "coordinator" or layer.code in project.shared_layers:
        return None
    return Problem("other-party", f"{key} {value!r} is feature {uuid} of party {party}; party "
                   f"{project.party} may not change it",
                   f"{key} {value!r} 是参与方 {party} 的要素 {uuid}，参与方 {project.party} 不能修改它")


def write_updates(project: Project, layer: Layer, targets: list[str], columns: dict[str, Any],
                  geoms: np.ndarray, derived: dict[str, list]) -> Iterator[Progress | tuple[int, int]]:
    """Update each target feature where the file differs (inside the caller's transaction);
    yields progress, then (updated, unchanged)."""
    names = list(columns)
    fields = [*names, *derived]
    select = (f"SELECT {idents(fields)}, AsBinary(geom) FROM {ident(layer.code)} "
              "WHERE uuid = ?") if fields else f"SELECT AsBinary(geom) FROM {ident(layer.code)} WHERE uuid = ?"
    updated, author, now = 0, project.author, utc_now()
    for i, uuid in enumerate(targets):
        *stored, wkb = project.db.execute(select, (uuid,)).fetchone()
        new = {name: columns[name][i] for name in names}
        changed = {n: v for n, v in new.items() if not _same(v, stored[names.index(n)])}
        geom_changed = not _same_geometry(layer, geoms[i], wkb)
        if geom_changed:
            changed.update({n: derived[n][i] for n in derived})
        if changed or geom_changed:
            _update(project, layer, uuid, changed, geoms[i] if geom_changed else None, author, now)
            updated += 1
        if i % 10_000 == 9_999:
            yield Progress("update", i + 1, len(targets))
    yield updated, len(targets) - updated


def _update(project: Project, layer: Layer, uuid: str, values: dict, geom, author: str,
            now: str) -> None:
    sets = [f"{ident(k)} = ?" for k in values] + ["modified_by = ?", "modified_at = ?"]
    params = [*values.values(), author, now]
    if geom is not None:
        sets.append(f"geom = {geometry_param(layer)}")
        params.append(shapely.to_wkb(geom))
    project.db.execute(f"UPDATE {ident(layer.code)} SET {', '.join(sets)} WHERE uuid = ?",
                       [*params, uuid])


def _same(new, old) -> bool:
    if isinstance(new, float) and isinstance(old, int | float):
        return math.isclose(new, old, rel_tol=1e-12, abs_tol=1e-9)  # DBF numbers are text
    return new == old


def _same_geometry(layer: Layer, new, stored_wkb: bytes | None) -> bool:
    """Equal as stored: the layer keeps Multi* types; ring start and orientation don't count."""
    if stored_wkb is None or new is None:
        return stored_wkb is None and new is None
    multi = MULTI.get((layer.geometry, shapely.get_type_id(new)))
    new = multi([new]) if multi else new
    return bool(shapely.equals_exact(shapely.normalize(shapely.from_wkb(stored_wkb)),
                                     shapely.normalize(new), tolerance=1e-10))


# (layer geometry, shapely type id of a single part) -> the Multi* type it is stored as
MULTI = {("MultiPoint", 0): shapely.MultiPoint, ("MultiLineString", 1): shapely.MultiLineString,
         ("MultiPolygon", 3): shapely.MultiPolygon}
