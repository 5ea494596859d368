"""The plan's map data as anchors see it on the server: the plan area, where a drawn area
anchor may lie, and the current state of the features that comments are anchored on.

A comment's drawn area must touch the area the plan covers, so a slip of the mouse into the
Pacific is refused. The area is taken from the project's data on the server, best first:
1. the city boundaries (the standard rule set's boundary layer, XZQ with its filter), unioned
   and buffered by about 1 km, so an area drawn on a border river still counts;
2. else the envelope of every feature, widened by 0.1°;
3. else (no data on the server yet) a box around China.
The area is kept per (project, head data version); at a new version the boundaries are read
again but unioned again only when they changed (most pushes touch other layers). It is first
computed inside a write (the first comment with a drawn area after a push): one pass over the
boundary layer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterator
from functools import cache

import numpy as np
import shapely

from app.analysis.rules import LayerRef, load_rules
from app.model.catalogue import GEOMETRY_COLUMN
from app.review.anchors import FeatureNow
from app.sync.server.store import Session, Store, project_row

log = logging.getLogger(__name__)

BOUNDARY_BUFFER = 0.01  # degrees, ≈ 1 km at the plan's latitudes
ENVELOPE_MARGIN = 0.1  # degrees around the envelope of all features
CHINA = shapely.box(73.0, 18.0, 135.0, 54.0)  # lon/lat, EPSG:4490
PAGE = 2000  # features read per query
KEPT = 16  # plan areas kept (one per project and head version)


@cache
def boundary_layer() -> LayerRef:
    """The city boundary layer and its filter (the standard rule set's)."""
    return load_rules().cities


def compute(session: Session, project: str, known: tuple[str, shapely.Geometry] | None = None
            ) -> tuple[str | None, shapely.Geometry]:
    """(boundaries' digest or None, plan area) of `project` from the data on the server (see
    the module docstring). `known` is an earlier (digest, area): reused while the boundaries
    are the same, since a push to any other layer makes a new head version."""
    ref = boundary_layer()
    geoms, attrs = _layer(session, project, ref.layer)
    if geoms:
        digest = hashlib.sha256(json.dumps(
            [[a.get(GEOMETRY_COLUMN), *(a.get(f) for f in ref.where.fields)] for a in attrs],
            default=str).encode()).hexdigest()
        if known is not None and known[0] == digest:
            return known
        keep = ref.where.mask({f: np.array([a.get(f) for a in attrs], dtype=object)
                               for f in ref.where.fields}, len(geoms))
        chosen = [g for g, k in zip(geoms, keep, strict=True) if k] or geoms
        return digest, _prepared(shapely.union_all(shapely.buffer(shapely.make_valid(
            np.array(chosen, dtype=object)), BOUNDARY_BUFFER)))
    bounds = _envelope(session, project)
    if bounds is None:
        return None, _prepared(CHINA)
    x0, y0, x1, y1 = bounds
    m = ENVELOPE_MARGIN
    return None, _prepared(shapely.box(x0 - m, y0 - m, x1 + m, y1 + m))


def _prepared(geom: shapely.Geometry) -> shapely.Geometry:
    shapely.prepare(geom)  # every comment's areas are tested against it
    return geom


def _rows(session: Session, project: str, start: tuple[str, str] = ("", "")
          ) -> Iterator[tuple[str, dict]]:
    """(layer, row) of the live features from `start` on, in (layer, uuid) order."""
    after = start
    while True:
        page = list(session.snapshot(project, after, PAGE))
        for layer, _, row, _ in page:
            yield layer, row
        if len(page) < PAGE:
            return
        after = (page[-1][0], page[-1][1])


def _layer(session: Session, project: str, layer: str) -> tuple[list, list[dict]]:
    """Geometries (EPSG:4490) and attributes of one layer's live features."""
    geoms, attrs = [], []
    for found, row in _rows(session, project, (layer, "")):
        if found != layer:
            break  # rows come sorted by layer: the layer is over
        geom = _decode(row.get(GEOMETRY_COLUMN))
        if geom is not None:
            geoms.append(geom)
            attrs.append(row)
    return geoms, attrs


def _envelope(session: Session, project: str) -> tuple[float, ...] | None:
    """(xmin, ymin, xmax, ymax) of every live feature's geometry; None when there is none."""
    box = None
    for _, row in _rows(session, project):
        geom = _decode(row.get(GEOMETRY_COLUMN))
        if geom is None:
            continue
        b = shapely.bounds(geom)
        box = b if box is None else np.concatenate([np.minimum(box[:2], b[:2]),
                                                    np.maximum(box[2:], b[2:])])
    return None if box is None else tuple(float(v) for v in box)


def _decode(hex_wkb: object) -> shapely.Geometry | None:
    """The geometry of a stored row (checked when it was pushed); None when it has none."""
    if not isinstance(hex_wkb, str) or not hex_wkb:
        return None
    geom = shapely.from_wkb(hex_wkb, on_invalid="ignore")
    return None if geom is None or geom.is_empty else geom


class PlanAreas:
    """Plan areas per (project, head data version), shared by a server's requests."""

    def __init__(self) -> None:
        self._areas: dict[tuple[str, int], shapely.Geometry] = {}
        self._boundaries: dict[str, tuple[str, shapely.Geometry]] = {}  # project -> last digest
        self._lock = threading.Lock()

    def get(self, session: Session, project: str) -> shapely.Geometry:
        """The plan area of `project` at the head version `session` sees."""
        key = (project, project_row(session, project).head)
        with self._lock:
            found, known = self._areas.get(key), self._boundaries.get(project)
        if found is not None:
            return found
        digest, area = compute(session, project, known)
        log.info("plan area of %s at version %d: bounds %s", project, key[1], area.bounds)
        with self._lock:
            self._areas[key] = area
            if digest is not None:
                self._boundaries[project] = (digest, area)
            while len(self._areas) > KEPT:
                self._areas.pop(next(iter(self._areas)))
        return area

    def warm(self, store: Store, project: str, comment: object) -> None:
        """Compute the plan area before a write that will check `comment`'s drawn areas (the
        write holds the project's lock: long work is done before it). A comment not yet
        checked may be any JSON: anything but a drawn area is left to the command."""
        anchors = comment.get("anchors") if isinstance(comment, dict) else None
        if isinstance(anchors, list) and any(
                isinstance(a, dict) and a.get("type") == "area" for a in anchors):
            with store.reading() as s:
                self.get(s, project)


# --- features that comments are anchored on -------------------------------------------------

def anchored_features(store: Store, project: str, comments: list[tuple[str, list[dict]]]
                      ) -> dict[tuple[str, str], FeatureNow]:
    """The server's current state of every feature the comments' anchors name (a feature the
    server never had is left out: nothing can be said about it), with the data version of its
    last geometry change where the geometry differs from the anchor's or it was deleted."""
    anchored = {(a["layer"], a["uuid"]): a["geometry"] for _, anchors in comments
                for a in anchors if a["type"] == "feature"}
    if not anchored:
        return {}
    out = {}
    with store.reading() as s:
        for key, state in s.features(project, list(anchored)).items():
            geometry = None if state.deleted else state.row.get(GEOMETRY_COLUMN)
            same = geometry is not None and geometry.upper() == anchored[key].upper()
            out[key] = FeatureNow(geometry, None if same else _last_shape_change(s, project, key))
    return out


def _last_shape_change(session: Session, project: str, key: tuple[str, str]) -> int | None:
    """The data version that last inserted, reshaped or deleted a feature."""
    steps = [h for h in session.history(project, *key)
             if h["op"] != "update" or GEOMETRY_COLUMN in (h.get("cols") or {})]
    return int(steps[-1]["version"]) if steps else None
