"""The five-year evaluation (五年一评估): how far each indicator has come from its base year
towards its 2035 target, against how much of the plan period has passed, and where its trend
leads by 2035; per city and metro-wide.

For an indicator with a base value B (base year b), a 2035 target T and the evaluation year's
value V (year y):

- progress = (V − B) / (T − B): the share of the way from base to target covered (1 = reached);
- timing = (y − b) / (2035 − b): the share of the plan period gone;
- the gap compares the two. When the target lies on the good side of the base (a goal: raise
  forest cover, cut water use) being ahead means progress > timing. When it lies on the bad side
  (an allowance: construction land may grow up to its cap, farmland may shrink down to its
  floor) using the allowance faster than time passes is being behind, so the gap is
  timing − progress. Within ±TOLERANCE of timing is "on track".
- trend: a least-squares line through the yearly values (the recorded check-ups, the base value
  and this year's), its slope per year and its value in 2035, judged against the target.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.analysis import checkup_store as store
from app.analysis.checkup import FAILED, CheckupReport, CheckupRow, status_of
from app.analysis.checkup_store import Entry, Recorded
from app.analysis.indicators import Definitions, Indicator, load_definitions
from app.errors import InvalidInput
from app.model.jobs import Job

log = logging.getLogger(__name__)

TARGET_YEAR = 2035
DEFAULT_BASE_YEAR = 2020  # base year (基期年) of the 2021–2035 territorial plans
TOLERANCE = 0.05  # |gap| up to this share of the way counts as on track (CoPlan's default)
AHEAD, ON_TRACK, BEHIND, BREACHED = "超前", "同步", "滞后", "突破约束"
NO_VALUE, NO_BASE, NO_TARGET = "无本年值", "无基期值", "无2035目标"
ASSESSMENTS = (AHEAD, ON_TRACK, BEHIND, BREACHED, NO_VALUE, NO_BASE, NO_TARGET)
GOAL, ALLOWANCE, HOLD = "goal", "allowance", "hold"


@dataclass(frozen=True)
class EvaluationRow:
    """One indicator in one region: progress against timing, and the trend to 2035."""

    indicator: str
    region: str  # city code, or "metro"
    value: float | None  # in the evaluation year, in the indicator's unit
    base_value: float | None  # in the base year
    target: float | None  # the 2035 target
    kind: str | None  # goal | allowance | hold (target equal to the base)
    progress: float | None  # share of the way from base to target covered (1 = reached)
    timing: float  # share of the plan period gone
    gap: float | None  # + ahead of the timing, − behind (shares of the way)
    assessment: str  # one of ASSESSMENTS
    slope: float | None  # unit per year, least squares over `series`
    projected: float | None  # the trend's value in 2035
    projected_status: str | None  # 达标 / 预警 / 未达标 of `projected` against the target
    series: tuple[tuple[int, float], ...] = ()  # (year, value), oldest first


@dataclass(frozen=True)
class EvaluationReport:
    """The evaluation of one year against a base year, rows in indicator then region order."""

    year: int
    base_year: int
    rows: tuple[EvaluationRow, ...]
    region_names: Mapping[str, str]  # region code -> name
    note: str  # how it was computed and the definitions' provenance, to print with any output

    @property
    def timing(self) -> float:
        """The share of the plan period gone."""
        return timing_of(self.year, self.base_year)

    def summary(self) -> dict[str, dict[str, int]]:
        """Region -> assessment -> number of indicators, in region order."""
        out: dict[str, dict[str, int]] = {code: dict.fromkeys(ASSESSMENTS, 0) for code in self.region_names}
        for row in self.rows:
            out.setdefault(row.region, dict.fromkeys(ASSESSMENTS, 0))[row.assessment] += 1
        return out


def timing_of(year: int, base_year: int) -> float:
    """(year − base year) / (2035 − base year)."""
    return (year - base_year) / (TARGET_YEAR - base_year)


def check_years(year: int, base_year: int) -> None:
    """InvalidInput unless base year ≤ year and the base year is before 2035."""
    if base_year >= TARGET_YEAR:
        raise InvalidInput(f"base year {base_year} must be before {TARGET_YEAR}")
    if year < base_year:
        raise InvalidInput(f"evaluation year {year} is before the base year {base_year}")


def evaluate(definitions: Definitions, year: int, base_year: int, current: Sequence[CheckupRow],
             entries: Sequence[Entry], history: Sequence[Recorded]) -> list[EvaluationRow]:
    """A row per indicator and region of `current` (this year's check-up rows)."""
    check_years(year, base_year)
    series = _series(year, base_year, current, entries, history)
    targets = {(e.indicator_id, e.xzqdm): e.target_value_2035 for e in entries
               if e.target_value_2035 is not None}  # oldest first: the latest entry wins
    return [_row(definitions, definitions.get(r.indicator), r.region, year, base_year,
                 series.get((r.indicator, r.region), {}), targets.get((r.indicator, r.region)))
            for r in current]


def _series(year: int, base_year: int, current: Sequence[CheckupRow], entries: Sequence[Entry],
            history: Sequence[Recorded]) -> dict[tuple[str, str], dict[int, float]]:
    """(indicator, region) -> {year: value} from base year to `year`. Later sources win: entered
    values, then recorded check-ups, then the entered base value, then this year's value."""
    out: dict[tuple[str, str], dict[int, float]] = {}

    def put(key: tuple[str, str], at: int, value: float | None) -> None:
        if value is not None and base_year <= at <= year:
            out.setdefault(key, {})[at] = float(value)

    for e in entries:
        put((e.indicator_id, e.xzqdm), e.year, e.value)
    for r in history:
        put((r.indicator_id, r.xzqdm), r.year, r.value)
    for e in entries:  # the plan's official base value beats a measured one
        put((e.indicator_id, e.xzqdm), base_year, e.base_value)
    for c in current:
        put((c.indicator, c.region), year, c.value)
    return out


def _row(definitions: Definitions, item: Indicator, region: str, year: int, base_year: int,
         points: Mapping[int, float], target: float | None) -> EvaluationRow:
    value, base = points.get(year), points.get(base_year)
    timing = timing_of(year, base_year)
    kind = progress = gap = None
    if base is not None and target is not None:
        kind = kind_of(item, base, target)
        if kind != HOLD:
            progress = (value - base) / (target - base) if value is not None else None
            gap = None if progress is None else (progress - timing if kind == GOAL else timing - progress)
    slope, projected = trend(points)
    projected_status = (status_of(item, projected, target, definitions)
                        if projected is not None and target is not None else None)
    return EvaluationRow(item.id, region, value, base, target, kind, progress, timing, gap,
                         _assess(definitions, item, value, base, target, kind, gap), slope,
                         projected, projected_status, tuple(sorted(points.items())))


def kind_of(item: Indicator, base: float, target: float) -> str:
    """goal when the target lies on the good side of the base, allowance on the bad side."""
    if abs(target - base) <= 1e-9 * max(1.0, abs(base)):
        return HOLD
    if item.limit == "band":
        return GOAL
    upward = target > base
    return GOAL if upward == (item.limit == "min") else ALLOWANCE


def _assess(definitions: Definitions, item: Indicator, value: float | None, base: float | None,
            target: float | None, kind: str | None, gap: float | None) -> str:
    if value is None:
        return NO_VALUE
    if base is None:
        return NO_BASE
    if target is None:
        return NO_TARGET
    failed = status_of(item, value, target, definitions) == FAILED
    if kind in (ALLOWANCE, HOLD) and failed and item.limit != "band":
        return BREACHED  # past the floor or cap the plan allows
    if kind == HOLD:
        return ON_TRACK if not failed else BEHIND
    return AHEAD if gap > TOLERANCE else BEHIND if gap < -TOLERANCE else ON_TRACK  # type: ignore[operator]  # known here


def trend(points: Mapping[int, float]) -> tuple[float | None, float | None]:
    """(slope per year, value in 2035) of the least-squares line; None with under two years."""
    if len(points) < 2:
        return None, None
    years = np.array(sorted(points), dtype=float)
    values = np.array([points[int(y)] for y in years], dtype=float)
    slope, intercept = np.polyfit(years, values, 1)
    return float(slope), float(slope * TARGET_YEAR + intercept)


NOTE = ("进度 = (本年值 − 基期值) ÷ (2035 目标 − 基期值)；时序进度 = (本年 − 基期年) ÷ (2035 − 基期年)；"
        "目标在基期值有利一侧为“目标型”，进度快于时序为超前；在不利一侧（上限内可增、底线内可减）为“额度型”，"
        f"消耗快于时序为滞后；差距在 ±{TOLERANCE:.0%} 以内为同步。趋势为历年体检记录值的最小二乘直线。")


def iter_evaluate(path: str | Path, year: int, base_year: int = DEFAULT_BASE_YEAR, *,
                  definitions: Definitions | None = None) -> Job[EvaluationReport]:
    """The evaluation of the project at `path`: this year's check-up against the recorded ones."""
    from app.analysis.projects import iter_checkup
    from app.implement import indicators as sent
    from app.project.project import Project

    check_years(year, base_year)
    definitions = definitions or load_definitions()
    report: CheckupReport = yield from iter_checkup(path, year, definitions=definitions)
    with Project.open(path) as project:  # with what the parties sent; this copy's own win
        synced, party = sent.synced_state(project), project.party
        entries = sent.merged_entries(store.entries(project.db, year), sent.synced_entries(
            synced, year, exclude_party=party))
        history = sent.merged_records(
            store.recorded_between(project.db, base_year, year - 1),
            sent.synced_records(synced, base_year, year - 1, exclude_party=party))
    rows = evaluate(definitions, year, base_year, report.rows, entries, history)
    return EvaluationReport(year, base_year, tuple(rows), report.region_names,
                            f"{NOTE} {definitions.status_note}")


COLUMNS = (("编号", 8), ("指标", 28), ("单位", 10), ("区域", 12), ("类型", 8), ("基期值", 12),
           ("本年值", 12), ("2035 目标", 12), ("进度", 9), ("时序进度", 9), ("差距", 9), ("评估", 10),
           ("年均变化", 12), ("2035 趋势值", 12), ("趋势判断", 10))
KIND_ZH = {GOAL: "目标型", ALLOWANCE: "额度型", HOLD: "保持型"}


def table_rows(report: EvaluationReport, definitions: Definitions) -> list[tuple]:
    """The evaluation as table rows (numbers stay numbers; shares as fractions)."""
    out = []
    for r in report.rows:
        item = definitions.get(r.indicator)
        out.append((r.indicator, item.name_zh, item.display_unit,
                    report.region_names.get(r.region, r.region), KIND_ZH.get(r.kind, "—"),  # type: ignore[arg-type]  # None: —
                    r.base_value, r.value, r.target, r.progress, r.timing, r.gap, r.assessment,
                    r.slope, r.projected, r.projected_status or "—"))
    return out


def write_xlsx(report: EvaluationReport, definitions: Definitions, path: str | Path) -> Path:
    """The evaluation table and a per-region summary as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "评估表"
    ws.append([title for title, _ in COLUMNS])
    for row in table_rows(report, definitions):
        ws.append(list(row))
    for col, (_, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
        ws.cell(row=1, column=col).font = Font(bold=True)
        if 9 <= col <= 11:  # progress, timing, gap
            for cells in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cells[0].number_format = "0.0%"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    summary = wb.create_sheet("汇总")
    summary.append(["区域", *ASSESSMENTS])
    for code, counts in report.summary().items():
        summary.append([report.region_names.get(code, code), *counts.values()])
    summary.append([])
    summary.append([f"{report.year} 年评估，基期 {report.base_year} 年"])
    summary.append([report.note])
    path = Path(path)
    wb.save(path)
    return path
