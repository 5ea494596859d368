"""A party's data as the server held it at one version, and the quality checks on it.

The server keeps each feature's current row (a deleted one keeps its last row) and every
applied change with its old and new values. The state at version V is the current state with
the changes of later versions undone, newest first; the party's data is the features whose
owner was the party at V. Nothing here trusts a client: the party is the submitter's
membership and the rows are the server's."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import asdict

import numpy as np
import shapely

from app.errors import NotFound
from app.model.catalogue import GEOMETRY_COLUMN, Catalogue, Layer, load_catalogue
from app.sync.server.store import Session

log = logging.getLogger(__name__)
PAGE = 2000  # features (or versions) read per query

Rows = dict[tuple[str, str], dict]  # (layer, uuid) -> row at the version


def party_rows(s: Session, project: str, party: str, version: int) -> Rows:
    """The rows of `party`'s features (owner = party) as they were at `version`."""
    later = list(_changes_after(s, project, version))
    touched = {(c["layer"], c["uuid"]) for c in later}
    rows: Rows = {key: row for key, row in _live(s, project) if key not in touched}
    now = s.features(project, touched)
    for key in touched:
        state = now.get(key)
        alive = state is not None and not state.deleted
        row = dict(state.row) if state is not None else {}
        for change in (c for c in reversed(later) if (c["layer"], c["uuid"]) == key):
            row, alive = _undo(change, row, alive)
        if alive:
            rows[key] = row
    return {key: row for key, row in rows.items() if row.get("owner") == party}


def _undo(change: dict, row: dict, alive: bool) -> tuple[dict, bool]:
    """The row (and whether the feature existed) before `change`."""
    old = {c: pair[0] for c, pair in change["cols"].items()}
    if change["op"] == "insert":
        return row, False
    # Before an update or a delete the feature existed with the change's old values (a
    # deleted feature's row is its last one, so columns a delete did not list are kept).
    return {**row, **old}, True


def _changes_after(s: Session, project: str, version: int) -> Iterator[dict]:
    """Every applied change of the versions after `version`, oldest first."""
    since = version
    while True:
        page = s.versions(project, since, PAGE)
        for meta, count, _ in page:
            if count:
                yield from s.version_changes(project, meta["version"])
        if len(page) < PAGE:
            return
        since = page[-1][0]["version"]


def _live(s: Session, project: str) -> Iterator[tuple[tuple[str, str], dict]]:
    after = ("", "")
    while True:
        page = list(s.snapshot(project, after, PAGE))
        for layer, uuid, row, _ in page:
            yield (layer, uuid), row
        if len(page) < PAGE:
            return
        after = (page[-1][0], page[-1][1])


def qc_input(rows: Rows, catalogue: Catalogue
             ) -> dict[str, tuple[Layer, list[dict], np.ndarray]]:
    """What app.qc.checks.run_checks takes: layer code -> (layer, attribute rows with uuid and
    owner, shapely geometries in EPSG:4490). Layers outside the catalogue are left out."""
    by_layer: dict[str, list[tuple[str, dict]]] = {}
    for (code, uuid), row in sorted(rows.items()):
        by_layer.setdefault(code, []).append((uuid, row))
    out: dict[str, tuple[Layer, list[dict], np.ndarray]] = {}
    for code, items in by_layer.items():
        try:
            layer = catalogue.layer(code)
        except NotFound:
            continue  # plan text and other tracked tables are not map data
        attrs = [{k: v for k, v in row.items() if k != GEOMETRY_COLUMN} | {"uuid": uuid}
                 for uuid, row in items]
        geoms = np.array([_geometry(row.get(GEOMETRY_COLUMN)) for _, row in items], dtype=object)
        out[code] = (layer, attrs, geoms)
    return out


def _geometry(hex_wkb: object) -> shapely.Geometry | None:
    # Rows on the server were checked when they were pushed (app/sync/protocol.py).
    if not isinstance(hex_wkb, str) or not hex_wkb:
        return None
    return shapely.from_wkb(bytes.fromhex(hex_wkb))


def run_qc(rows: Rows, party: str) -> tuple[list[dict], str]:
    """(the QC findings on a party's rows as JSON objects with app.qc.checks.Finding's fields,
    where the party's area came from: "layer", "reference" or "none")."""
    from app.qc.areas import party_boundary
    from app.qc.checks import run_checks
    catalogue = load_catalogue()
    features = qc_input(rows, catalogue)
    area, source = party_boundary(party, features)
    return [_finding_json(f) for f in run_checks(features, catalogue, party, area)], source


def _finding_json(finding) -> dict:
    item = asdict(finding)
    item["where"] = list(item["where"]) if item["where"] is not None else None
    return item
