"""What a commit checks: the pending changes must pass the layer rules a CoPlan edit passes.

Edits made in other tools (QGIS, ogr2ogr, SQL) skip CoPlan's forms, so a commit checks the
pending features they wrote (integrity.py's triggers list them in coplan_unchecked): codes from
the code lists, required fields, geometry (a self-intersection, a wrong type, outside China),
derived areas and lengths, and for an editor, that each belongs to the party. What CoPlan's
own edits and imports wrote was checked when written and is not read again. A coordinator may commit over the problems
(`force`); the change sets then say so (`forced`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from app.errors import InvalidInput, PermissionDenied
from app.model.catalogue import Layer
from app.model.validation import Problem, check_geometries, prepare_columns
from app.project import integrity, tracking
from app.project.project import Project
from app.project.sql import ident

SHOWN = 10  # problems named in the refusal's message; `problems` has them all


@dataclass(frozen=True)
class PendingProblem:
    """A problem of one pending change."""

    layer: str
    uuid: str
    problem: Problem

    def text(self, lang: str = "en") -> str:
        return f"{self.layer} {self.uuid}: {self.problem.text(lang)}"


class CommitRefused(InvalidInput):
    """The pending changes break the rules; nothing was committed. `problems` lists them all."""

    def __init__(self, problems: list[PendingProblem]):
        shown = "; ".join(p.text() for p in problems[:SHOWN])
        more = f"; ... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        super().__init__(f"commit refused: {len(problems)} problem(s) in the pending changes: "
                         f"{shown}{more} (coplan validate lists them; a coordinator may commit "
                         "--force)")
        self.problems = problems


def check_pending(project: Project) -> list[PendingProblem]:
    """Every problem of the pending changes, layer by layer."""
    found = []
    for layer in tracking.dirty_layers(project.db, project.layers()):
        found += _owner_problems(project, layer)
        found += _feature_problems(project, layer)
    return found


def gate(project: Project, force: bool) -> int | None:
    """Inside the commit's transaction: exact derived values for what other tools measured,
    then the checks. CommitRefused unless `force`; returns the number of problems a forced
    commit overrides (None: not forced, or nothing to override)."""
    if force and project.role != "coordinator":
        raise PermissionDenied(f"only a coordinator may commit --force (this copy's role is "
                               f"{project.role})")
    integrity.process_queue(project.db, project.layers())
    problems = check_pending(project)
    if problems and not force:
        raise CommitRefused(problems)
    return len(problems) if problems else None


def record_forced(project: Project, ids: list[str] | tuple[str, ...], forced: int | None) -> None:
    """After a commit: what was written outside CoPlan has been checked (or forced); mark the
    change sets of a forced commit."""
    project.db.execute("DELETE FROM coplan_unchecked")
    if forced:
        project.db.conn.executemany("UPDATE coplan_changesets SET forced = ? WHERE id = ?",
                                    ((forced, cs_id) for cs_id in ids))


def is_forced(project: Project, changeset_id: str) -> bool:
    row = project.db.execute("SELECT forced FROM coplan_changesets WHERE id = ?",
                             (changeset_id,)).fetchone()
    return bool(row and row[0])


def _owner_problems(project: Project, layer: Layer) -> list[PendingProblem]:
    """An editor may change only the party's features (and those of shared layers); CoPlan's
    own edits checked that when they were made."""
    if project.role == "coordinator" or layer.code in project.shared_layers:
        return []
    party = project.party
    rows = project.db.execute(
        f"SELECT l.uuid, l.owner FROM {_unchecked(layer)} "
        f"JOIN {ident(layer.table_name)} l ON l.fid = d.fid WHERE l.owner IS NOT ?",
        (layer.code, party))
    found = [(u, o) for u, o in rows]
    found += [(u, o) for u, o in _committed_owners(project, layer) if o != party]
    seen, out = set(), []
    for uuid, owner in found:
        if uuid not in seen:
            seen.add(uuid)
            out.append(PendingProblem(layer.code, uuid, Problem(
                "owner", f"the feature belongs to party {owner}; party {party} may not change it",
                f"该要素属于 {owner}，{party} 不能修改", "owner")))
    return out


def _committed_owners(project: Project, layer: Layer) -> list[tuple[str, str]]:
    """(uuid, owner) of the committed state of features changed since (old copies)."""
    return [tuple(r) for r in project.db.execute(
        f"SELECT b.uuid, b.owner FROM {_unchecked(layer)} "
        f"JOIN {ident(tracking.base_table(layer))} b ON b.fid = d.fid", (layer.code,))]


def _unchecked(layer: Layer) -> str:
    """SQL of the touched features other tools wrote (alias d; one parameter: the layer)."""
    return (f"{ident(tracking.dirty_table(layer))} d JOIN coplan_unchecked u "
            "ON u.layer = ? AND u.fid = d.fid")


def _feature_problems(project: Project, layer: Layer) -> list[PendingProblem]:
    """The layer rules (and derived values) of every inserted or updated feature, read in
    chunks: the commit of a 300k-feature import does not hold them all at once."""
    names = layer.field_names
    cols = "".join(f"l.{ident(n)}, " for n in names)
    # Only what other tools wrote: CoPlan validated its own edits and imports when writing.
    sql = (f"SELECT l.fid, l.uuid, {cols}AsBinary(l.geom) FROM {_unchecked(layer)} "
           f"JOIN {ident(layer.table_name)} l ON l.fid = d.fid WHERE d.fid > ? ORDER BY d.fid "
           f"LIMIT {integrity.CHUNK}")
    out, last = [], -(2**63)
    while rows := project.db.execute(sql, (layer.code, last)).fetchall():
        last = rows[-1][0]
        columns = {n: [r[2 + i] for r in rows] for i, n in enumerate(names)}
        geoms = np.array(shapely.from_wkb([r[-1] for r in rows]), dtype=object)
        _, problems = prepare_columns(layer, project.catalogue, columns, len(rows))
        for found in (check_geometries(layer, geoms), integrity.stale_derived(layer, columns, geoms)):
            for row, items in found.items():
                problems[row].extend(items)
        out += [PendingProblem(layer.code, rows[row][1], p)
                for row in sorted(problems) for p in problems[row]]
    return out
