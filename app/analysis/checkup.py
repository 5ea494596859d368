"""The annual check-up (一年一体检): every indicator per region with its target and status,
compared with the last recorded year, and the indicator annex table for publishing.

Values measured from the layers are `computed`; values the parties enter (with source and
year) are `entered` and win over a computed one, so an official figure can replace a
layer-based proxy. A target is the entry's 2025 or 2035 target, whichever applies to the year.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from app.analysis.checkup_store import Entry, Recorded
from app.analysis.indicators import Definitions, Indicator

log = logging.getLogger(__name__)

MET, WARNING, FAILED, NO_DATA = "达标", "预警", "未达标", "无数据"
NO_TARGET = "未设目标"  # CoPlan's addition to the reference's four: a value without a target
BETTER, WORSE, SAME = "改善", "恶化", "持平"
TARGET_YEARS = (2025, 2035)


@dataclass(frozen=True)
class CheckupRow:
    """One indicator in one region for the check-up year."""

    indicator: str
    region: str  # city code, or "metro"
    value: float | None  # in the indicator's unit
    origin: str  # computed | entered | missing
    target: float | None = None
    target_year: int | None = None
    status: str = NO_DATA
    source: str | None = None
    method: str | None = None
    previous: float | None = None  # value recorded for the previous check-up year
    change: float | None = None  # value - previous
    trend: str | None = None  # 改善 | 恶化 | 持平, following the indicator's direction


@dataclass(frozen=True)
class CheckupReport:
    """The check-up of one year: rows in indicator then region order."""

    year: int
    rows: tuple[CheckupRow, ...]
    region_names: Mapping[str, str]  # region code -> name
    previous_year: int | None  # the recorded year compared with (None: first check-up)
    note: str  # provenance of the indicator definitions, to print with any output

    def row(self, indicator: str, region: str) -> CheckupRow:
        """The row of `indicator` in `region`."""
        return next(r for r in self.rows if r.indicator == indicator and r.region == region)


def current_year() -> int:
    """This calendar year (the default check-up year)."""
    return dt.date.today().year


def build_rows(definitions: Definitions, regions: Sequence[str], year: int,
               computed: Mapping[tuple[str, str], float | None], entries: Sequence[Entry]
               ) -> list[CheckupRow]:
    """Rows for computed indicators and for entered ones that have an entry."""
    latest = _latest(entries)
    actual = {(e.indicator_id, e.xzqdm): e for e in entries if e.year == year and e.value is not None}
    entered = {(e.indicator_id, e.xzqdm) for e in entries}
    rows = []
    for item in definitions.items:
        for region in regions:
            key = (item.id, region)
            if not item.computed and key not in entered:
                continue
            rows.append(_row(item, region, year, computed.get(key), actual.get(key), latest,
                             definitions))
    return rows


def _latest(entries: Sequence[Entry]) -> dict[tuple[str, str, str], float]:
    """(indicator, region, field) -> the latest entered value of each target/base field."""
    out = {}
    for e in entries:  # oldest first, so later years overwrite
        for name in ("base_value", "target_value_2025", "target_value_2035"):
            if getattr(e, name) is not None:
                out[(e.indicator_id, e.xzqdm, name)] = getattr(e, name)
    return out


def _row(item: Indicator, region: str, year: int, computed: float | None, entry: Entry | None,
         latest: Mapping, definitions: Definitions) -> CheckupRow:
    target, target_year = target_for(latest, item.id, region, year)
    if entry is not None:
        value, origin, source, method = entry.value, "entered", entry.data_source, entry.method
    elif computed is not None:
        value, origin, source, method = computed, "computed", "layers", item.compute.method  # type: ignore[union-attr]  # computed: it has one
    else:
        value, origin, source, method = None, "missing", None, None
    return CheckupRow(item.id, region, value, origin, target, target_year,
                      status_of(item, value, target, definitions), source, method)


def target_for(latest: Mapping, indicator: str, region: str, year: int) -> tuple[float | None, int | None]:
    """The target that applies in `year`: the first target year not before it, else the last."""
    known = [(y, latest[(indicator, region, f"target_value_{y}")]) for y in TARGET_YEARS
             if (indicator, region, f"target_value_{y}") in latest]
    if not known:
        return None, None
    ahead = [k for k in known if k[0] >= year]
    target_year, target = ahead[0] if ahead else known[-1]
    return target, target_year


def status_of(item: Indicator, value: float | None, target: float | None,
              definitions: Definitions) -> str:
    """达标 / 预警 / 未达标 against the target as the indicator's limit reads it."""
    if value is None:
        return NO_DATA
    if target is None:
        return NO_TARGET
    margin = definitions.warn_margin * abs(target)
    if item.limit == "min":
        return FAILED if value < target else WARNING if value < target + margin else MET
    if item.limit == "max":
        return FAILED if value > target else WARNING if value > target - margin else MET
    deviation = abs(value - target) / abs(target) if target else abs(value)
    band = definitions.band
    return MET if deviation <= band else WARNING if deviation <= 2 * band else FAILED


def compare(rows: Sequence[CheckupRow], previous: Sequence[Recorded],
            definitions: Definitions) -> list[CheckupRow]:
    """`rows` with the previous recorded values, their change and its trend."""
    before = {(r.indicator_id, r.xzqdm): r.value for r in previous}
    out = []
    for row in rows:
        old = before.get((row.indicator, row.region))
        if row.value is None or old is None:
            out.append(replace(row, previous=old))
            continue
        item = definitions.get(row.indicator)
        out.append(replace(row, previous=old, change=row.value - old,
                           trend=trend_of(item, row.value, old, row.target)))
    return out


def trend_of(item: Indicator, value: float, previous: float, target: float | None) -> str | None:
    """Whether the change from `previous` to `value` is for the better."""
    if abs(value - previous) <= 1e-9 * max(1.0, abs(previous)):
        return SAME
    if item.direction == "+" or (item.direction == "c" and item.limit == "min"):
        return BETTER if value > previous else WORSE
    if item.direction == "-" or (item.direction == "c" and item.limit == "max"):
        return BETTER if value < previous else WORSE
    if target is None:  # a band without a target: no better or worse
        return None
    return BETTER if abs(value - target) < abs(previous - target) else WORSE


def to_recorded(report: CheckupReport) -> list[Recorded]:
    """The rows to store as the year's check-up."""
    return [Recorded(report.year, r.indicator, r.region, r.value, r.origin, r.target,
                     r.target_year, r.status, r.source, r.method) for r in report.rows]


@dataclass(frozen=True)
class Annex:
    """The indicator annex (指标附表): column titles, text cells, and notes to print below."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]


ANNEX_COLUMNS = ("编号", "指标", "单位", "区域", "上年值", "本年值", "目标值", "变化", "趋势",
                 "状态", "来源")


def annex(report: CheckupReport, definitions: Definitions) -> Annex:
    """The annex table of `report`, formatted for typesetting."""
    rows = []
    for r in report.rows:
        item = definitions.get(r.indicator)
        target = "—" if r.target is None else f"{fmt(r.target)}（{r.target_year}）"
        rows.append((item.id, item.name_zh, item.display_unit, report.region_names.get(r.region, r.region),
                     fmt(r.previous), fmt(r.value), target, fmt(r.change, signed=True),
                     r.trend or "—", r.status, _source(r)))
    previous = (f"上年值为 {report.previous_year} 年体检记录" if report.previous_year
                else "无上年体检记录")
    return Annex(ANNEX_COLUMNS, tuple(rows), (previous, report.note))


def _source(row: CheckupRow) -> str:
    if row.origin == "computed":
        return f"图层计算：{row.method}"
    return row.source or "—"


def fmt(value: float | None, signed: bool = False) -> str:
    """A number for a table: thousands separators, 2 decimals below 100, 1 above."""
    if value is None:
        return "—"
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{value:,.1f}" if abs(value) >= 100 else f"{sign}{value:,.2f}"
