"""Analysis work the desktop sends to its DB worker (conflict check, annual check-up, recording
it), and the pure helpers that turn a conflict into a comment for the review round.

A conflict goes to the round as an ordinary comment of this project's party: an area anchor
holding the conflict geometry and a bilingual body generated from rule, parties and size. A
"coordination item" for one party is the same comment with the party named as addressee at the
head of the body: the comment format has no addressee field, and a coordinator routes it to
the party's drafting team with `assign` during triage.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from app.analysis import checkup_store, lifecycle
from app.analysis.charts import checkup_figure, evaluation_figure
from app.analysis.checkup import CheckupReport, to_recorded
from app.analysis.cities import cities_from
from app.analysis.dataset import Dataset
from app.analysis.engine import CheckResult, Conflict, iter_check
from app.analysis.evaluation import EvaluationReport, iter_evaluate, write_xlsx
from app.analysis.indicators import load_definitions
from app.analysis.lifecycle import Status, StatusReport, results_with_status
from app.analysis.projects import iter_checkup, track
from app.analysis.rules import RuleSet, load_rules
from app.analysis.sources import iter_read, read_layer
from app.model.changes import ChangeSet
from app.model.jobs import Progress
from app.project import history
from app.project.project import Project
from app.review.charts import png_bytes

log = logging.getLogger(__name__)

AREA_MARGIN_DEG = 0.001  # ~100 m: a line or point conflict becomes a small area to anchor to
MAX_WKB_HEX = 1_900_000  # below the comment schema's 2,000,000 hex characters
CHART_DPI = 90


@dataclass(frozen=True)
class CheckOutcome:
    """A check's result with the names the panels show."""

    result: CheckResult
    names: dict[str, str]  # party or city code -> name
    rules: dict[str, tuple[str, str]]  # rule id -> (Chinese name, English name)
    statuses: StatusReport | None = None  # each conflict's status as the project keeps it


def check_steps(project: Project | None, paths: Sequence[str] = (),
                rules_path: str | None = None) -> Generator[Progress, None, CheckOutcome]:
    """Check the open project, or the merged state of `paths`, yielding progress."""
    rules = load_rules(rules_path)
    if paths:
        dataset = yield from iter_read(list(paths), rules.layers)
    else:
        dataset = yield from _read_open(project, rules)  # type: ignore[arg-type]  # no paths: a project is open
    result = yield from iter_check(dataset, rules)
    # Statuses live in the open project (a coordinator's, for a merged check), else the first file.
    statuses = (results_with_status(project, result) if project is not None
                else track(paths[0], result) if paths else None)
    return CheckOutcome(result, _names(project, dataset, rules),
                        {r.id: (r.name_zh, r.name_en) for r in rules.rules}, statuses)


def _read_open(project: Project, rules: RuleSet):
    """The open project's layers through the worker's own connection (no second one)."""
    codes = sorted(rules.layers)
    layers = {}
    for done, code in enumerate(codes):
        yield Progress("read", done, len(codes), f"reading {code}")
        layers[code] = read_layer([project], code)
    return Dataset(layers, (project.party,))


def _names(project: Project | None, dataset, rules: RuleSet) -> dict[str, str]:
    cities = cities_from(dataset, rules)
    names = {code: cities.name(code) for code in cities.codes}
    if project is not None:
        names.setdefault(project.party, project.party_name)
    return names


# --- a conflict as a comment --------------------------------------------------------------

def _polygons(geom: BaseGeometry) -> list[BaseGeometry]:
    if geom.geom_type == "Polygon":
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for part in geom.geoms for p in _polygons(part)]
    return []


def area_geometry(geom: BaseGeometry) -> BaseGeometry:
    """The conflict as an area: its polygonal parts, else a ~100 m buffer of the line or point."""
    polygons = _polygons(geom)
    shape = shapely.union_all(polygons) if polygons else geom.buffer(AREA_MARGIN_DEG)
    if len(shapely.to_wkb(shape, hex=True)) > MAX_WKB_HEX:
        shape = shape.simplify(AREA_MARGIN_DEG / 10)  # ~10 m: still the same place
    return shape


def area_anchor(conflict: Conflict) -> dict:
    """An area anchor holding the conflict geometry."""
    return {"type": "area", "geometry": shapely.to_wkb(area_geometry(conflict.geometry), hex=True)}


def size_text(conflict: Conflict, lang: str) -> str:
    if conflict.area_m2 is not None:
        return (f"面积 {conflict.area_m2:,.1f} 平方米" if lang == "zh"
                else f"area {conflict.area_m2:,.1f} m²")
    if conflict.length_m is not None:
        return f"长度 {conflict.length_m:,.1f} 米" if lang == "zh" else f"length {conflict.length_m:,.1f} m"
    return ""


def conflict_body(conflict: Conflict, outcome: CheckOutcome, to: str | None = None) -> dict:
    """The comment text (Chinese and English) of a conflict; `to` makes it a coordination item."""
    zh_rule, en_rule = outcome.rules.get(conflict.rule, (conflict.rule, conflict.rule))
    names = outcome.names
    who = "、".join(f"{names.get(p, p)}（{p}）" for p in conflict.parties)
    who_en = ", ".join(f"{names.get(p, p)} ({p})" for p in conflict.parties)
    zh = (f"【规划冲突】{zh_rule}（{conflict.rule}）：涉及{who}；{size_text(conflict, 'zh')}。"
          f"冲突编号 {conflict.id[:8]}。")
    en = (f"Plan conflict: {en_rule} ({conflict.rule}) involving {who_en}; "
          f"{size_text(conflict, 'en')}. Conflict {conflict.id[:8]}.")
    if to:
        zh = f"【协调事项】致{names.get(to, to)}（{to}）：请核实并协调处理以下冲突。{zh}"
        en = f"Coordination item for {names.get(to, to)} ({to}): please check and resolve. {en}"
    return {"zh": zh, "en": en}


# --- the annual check-up ------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorSnapshot:
    """A check-up with the indicator names and units, and its chart as PNG bytes."""

    report: CheckupReport
    indicators: dict[str, tuple[str, str]]  # id -> (Chinese name, unit)
    chart: bytes


def checkup_steps(project: Project, year: int) -> Generator[Progress, None, IndicatorSnapshot]:
    """The check-up of the open project for `year`, compared with the last recorded year."""
    definitions = load_definitions()
    report = yield from iter_checkup(Path(project.path), year, definitions=definitions)
    chart = png_bytes(checkup_figure(report, definitions), dpi=CHART_DPI)
    names = {i.id: (i.name_zh, i.display_unit) for i in definitions.items}
    return IndicatorSnapshot(report, names, chart)


def record_checkup(project: Project, report: CheckupReport) -> int:
    """Store `report` as the project's check-up of its year (next year compares with it)."""
    return checkup_store.record(project.db, to_recorded(report), report.year, project.author)


# --- a coordinator's decisions on conflicts (app/analysis/lifecycle.py) --------------------

RECENT_CHANGE_SETS = 30  # change sets offered when marking a conflict resolved


def recent_change_sets(project: Project, limit: int = RECENT_CHANGE_SETS) -> list[ChangeSet]:
    """The project's latest committed change sets, newest first (to resolve a conflict by)."""
    return [entry.changeset for entry in history.log(project)[:limit]]


def decide_conflicts(project: Project, action: str, ids: Sequence[str], memo: str | None = None,
                     memo_date: str | None = None, change_set: str | None = None) -> list[Status]:
    """accept / reopen / resolve each conflict of `ids`, all or none; their new kept states."""
    decide = {"accept": lambda ref: lifecycle.accept(project, ref, memo or "", memo_date),
              "reopen": lambda ref: lifecycle.reopen(project, ref),
              "resolve": lambda ref: lifecycle.resolve(project, ref, change_set or "")}[action]
    with lifecycle.immediate(project.db):  # one decision on several conflicts is one transaction
        return [decide(ref) for ref in ids]


# --- the five-year evaluation (app/analysis/evaluation.py) ---------------------------------

@dataclass(frozen=True)
class EvaluationSnapshot:
    """An evaluation with the indicator names and units, and its chart as PNG bytes."""

    report: EvaluationReport
    indicators: dict[str, tuple[str, str]]  # id -> (Chinese name, unit)
    chart: bytes


def evaluation_steps(project: Project, year: int,
                     base_year: int) -> Generator[Progress, None, EvaluationSnapshot]:
    """The five-year evaluation of the open project for `year` against `base_year`."""
    definitions = load_definitions()
    report = yield from iter_evaluate(Path(project.path), year, base_year, definitions=definitions)
    chart = png_bytes(evaluation_figure(report, definitions), dpi=CHART_DPI)
    names = {i.id: (i.name_zh, i.display_unit) for i in definitions.items}
    return EvaluationSnapshot(report, names, chart)


def save_evaluation(_project: Project | None, report: EvaluationReport, path: str) -> Path:
    """The evaluation table and summary as an Excel workbook at `path`."""
    return write_xlsx(report, load_definitions(), path)
