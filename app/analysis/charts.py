"""Check-up charts: matplotlib `Figure` objects (never pyplot), CJK labels in WenQuanYi.

One small panel per indicator with values: a bar per city coloured by status, the previous
recorded year as a tick and the target as a diamond; the metro-wide value goes in the title
because, for totals, it would dwarf the city bars. The grid grows with the indicators: a chart
never leaves one out (a cut at 9 panels once hid a failing MT091).
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from app.analysis.checkup import FAILED, MET, NO_TARGET, WARNING, CheckupReport, CheckupRow, fmt
from app.analysis.evaluation import (
    AHEAD,
    ALLOWANCE,
    BEHIND,
    BREACHED,
    HOLD,
    ON_TRACK,
    EvaluationReport,
    EvaluationRow,
)
from app.analysis.indicators import METRO, Definitions

log = logging.getLogger(__name__)

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FALLBACK = "DejaVu Sans"
STATUS_COLOURS = {MET: "#4C9A2A", WARNING: "#E8A33D", FAILED: "#C8423B", NO_TARGET: "#7A9CC6"}
COLUMNS = 3


@cache
def font_family() -> list[str]:
    """Font families for labels: WenQuanYi Micro Hei when installed (registered once)."""
    if not CJK_FONT.is_file():
        log.warning("CJK font %s not found: Chinese labels may not render", CJK_FONT)
        return [FALLBACK]
    font_manager.fontManager.addfont(str(CJK_FONT))
    return [font_manager.FontProperties(fname=str(CJK_FONT)).get_name(), FALLBACK]


def checkup_figure(report: CheckupReport, definitions: Definitions) -> Figure:
    """Small multiples of every indicator that has a value, in definition order."""
    shown = _indicators_with_values(report)
    rows = max(1, -(-len(shown) // COLUMNS))
    fig = Figure(figsize=(4.2 * COLUMNS, 0.9 + 2.9 * rows), layout="constrained")
    family = font_family()
    fig.suptitle(f"{report.year} 年度国土空间规划体检  Annual check-up", fontfamily=family,
                 fontsize=14)
    for k, indicator in enumerate(shown):
        ax = fig.add_subplot(rows, COLUMNS, k + 1)
        _panel(ax, report, definitions, indicator, family)
    if not shown:
        fig.text(0.5, 0.5, "无指标数据 No indicator values", ha="center", fontfamily=family)
    # The footnote is the legend's title: one artist, so the layout makes room for both.
    legend = fig.legend(handles=_legend(), loc="outside lower center", ncols=6, frameon=False,
                        prop={"family": family, "size": 8}, title=_footnote(report),
                        title_fontproperties={"family": family, "size": 7})
    legend.get_title().set_color("#555555")
    return fig


def _legend() -> list:
    handles = [Patch(color=colour, label=status) for status, colour in STATUS_COLOURS.items()]
    return [*handles, Line2D([], [], color="#222222", linewidth=1.4, label="上年记录值"),
            Line2D([], [], color="#222222", marker="D", markersize=4, linestyle="", label="目标值")]


def _indicators_with_values(report: CheckupReport) -> list[str]:
    seen: list[str] = []
    for row in report.rows:
        if row.value is not None and row.indicator not in seen:
            seen.append(row.indicator)
    return seen


def _panel(ax, report: CheckupReport, definitions: Definitions, indicator: str,
           family: list[str]) -> None:
    """One indicator: a bar per city (value), a tick (previous year), a diamond (target)."""
    item = definitions.get(indicator)
    rows = [r for r in report.rows if r.indicator == indicator and r.region != METRO]
    labels = [report.region_names.get(r.region, r.region) for r in rows]
    values = [r.value or 0.0 for r in rows]
    ax.barh(range(len(rows)), values, color=[_colour(r) for r in rows], height=0.65)
    _markers(ax, rows)
    ax.set_yticks(range(len(rows)), labels, fontfamily=family, fontsize=8)
    ax.invert_yaxis()  # first city on top
    ax.tick_params(axis="x", labelsize=7)
    ax.set_title(_title(report, indicator, item.name_zh, item.display_unit), fontfamily=family,
                 fontsize=9, loc="left")
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def _markers(ax, rows: list[CheckupRow]) -> None:
    for y, row in enumerate(rows):
        if row.previous is not None:
            ax.plot([row.previous] * 2, [y - 0.38, y + 0.38], color="#222222", linewidth=1.4)
        if row.target is not None:
            ax.plot(row.target, y, marker="D", color="#222222", markersize=4)


def _colour(row: CheckupRow) -> str:
    return STATUS_COLOURS.get(row.status, "#AAAAAA")


def _title(report: CheckupReport, indicator: str, name: str, unit: str) -> str:
    metro = next((r for r in report.rows if r.indicator == indicator and r.region == METRO), None)
    whole = f"\n全域 {fmt(metro.value)} {unit}" if metro and metro.value is not None else ""
    return f"{indicator} {name}（{unit}）{whole}"


def _footnote(report: CheckupReport) -> str:
    previous = (f"上年记录：{report.previous_year} 年" if report.previous_year else "无上年体检记录")
    return (f"{previous}。区域按行政区边界统计（示例数据为示意边界，非官方行政区界线）。"
            "指标名称来自第三方资料，单位与方向未经核实；MT089–MT091 为 CoPlan 自定义。")


# --- the five-year evaluation -------------------------------------------------------------

ASSESSMENT_COLOURS = {AHEAD: "#4C9A2A", ON_TRACK: "#7A9CC6", BEHIND: "#E8A33D", BREACHED: "#C8423B"}


def evaluation_figure(report: EvaluationReport, definitions: Definitions) -> Figure:
    """A panel per indicator that can be evaluated: progress per region against the timing."""
    shown = _evaluated(report)
    rows = max(1, -(-len(shown) // COLUMNS))
    fig = Figure(figsize=(4.2 * COLUMNS, 1.1 + 2.9 * rows), layout="constrained")
    family = font_family()
    fig.suptitle(f"{report.year} 年规划实施评估（基期 {report.base_year} 年 → 2035 年）  "
                 f"Five-year evaluation · 时序进度 {report.timing:.0%}", fontfamily=family, fontsize=14)
    for k, indicator in enumerate(shown):
        _progress_panel(fig.add_subplot(rows, COLUMNS, k + 1), report, definitions, indicator, family)
    if not shown:
        fig.text(0.5, 0.5, "无可评估指标（需基期值与 2035 目标） No indicator with a base value and a "
                 "2035 target", ha="center", fontfamily=family)
    skipped = len({r.indicator for r in report.rows}) - len(shown)
    legend = fig.legend(handles=_evaluation_legend(), loc="outside lower center", ncols=7,
                        frameon=False, prop={"family": family, "size": 8},
                        title=_evaluation_footnote(skipped),
                        title_fontproperties={"family": family, "size": 7})
    legend.get_title().set_color("#555555")
    return fig


def _evaluated(report: EvaluationReport) -> list[str]:
    seen: list[str] = []
    for row in report.rows:
        if row.kind is not None and row.value is not None and row.indicator not in seen:
            seen.append(row.indicator)
    return seen


def _progress_panel(ax, report: EvaluationReport, definitions: Definitions, indicator: str,
                    family: list[str]) -> None:
    """Bars of progress (% of the way base → target) per region; the timing as a dashed line."""
    rows = [r for r in report.rows if r.indicator == indicator and r.kind is not None
            and r.value is not None]
    rows.sort(key=lambda r: r.region == METRO)  # the metro area last, under the cities
    shares = [_share(r) for r in rows]
    ax.barh(range(len(rows)), [100 * s for s in shares], height=0.65,
            color=[ASSESSMENT_COLOURS.get(r.assessment, "#AAAAAA") for r in rows])
    low = min(0, *[100 * s for s in shares]) - 5
    # Room for the labels and for projections up to 3× the target; beyond, an arrow at the edge.
    high = max(125, *[100 * s + 40 for s in shares], *[min(p, 300) + 10 for p in _projected(rows)])
    for y, row in enumerate(rows):
        inside = 100 * shares[y] > 0.6 * high  # a long bar carries its label inside
        ax.annotate(_progress_text(row), (100 * shares[y], y), xytext=(-3 if inside else 3, 0),
                    textcoords="offset points", va="center", ha="right" if inside else "left",
                    color="white" if inside else "black", fontsize=7, fontfamily=family, zorder=4,
                    bbox=None if inside else {"boxstyle": "square,pad=0.1", "fc": "white",
                                              "ec": "none", "alpha": 0.75})
        _projection_marker(ax, row, y, low, high)
    ax.axvline(100 * report.timing, color="#222222", linestyle="--", linewidth=1.1)
    ax.axvline(100, color="#888888", linewidth=0.8)
    labels = [report.region_names.get(r.region, r.region) for r in rows]
    ax.set_yticks(range(len(rows)), labels, fontfamily=family, fontsize=8)
    ax.set_ylim(max(len(rows), 3) - 0.5, -0.5)  # first region on top; a lone bar stays slim
    ax.set_xlim(low, high)
    ax.tick_params(axis="x", labelsize=7)
    item = definitions.get(indicator)
    ax.set_title(f"{indicator} {item.name_zh}（进度 %）", fontfamily=family, fontsize=9, loc="left")
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def _projected(rows: list[EvaluationRow]) -> list[float]:
    """The trend's 2035 value of each row as progress (%)."""
    return [100 * (r.projected - r.base_value) / (r.target - r.base_value) for r in rows
            if r.projected is not None and r.kind != HOLD and r.base_value is not None
            and r.target is not None]  # (a row with a kind has both)


def _projection_marker(ax, row: EvaluationRow, y: int, low: float, high: float) -> None:
    """Where the trend puts the region in 2035 (as progress); an arrow at the edge when off the axis."""
    if row.projected is None or row.kind == HOLD or row.base_value is None or row.target is None:
        return
    at = 100 * (row.projected - row.base_value) / (row.target - row.base_value)
    marker = "o" if low < at < high else (">" if at >= high else "<")
    ax.plot(min(max(at, low + 2), high - 2), y, marker=marker, markerfacecolor="none",
            color="#222222", markersize=5)


def _share(row: EvaluationRow) -> float:
    """The bar length: progress, or for a held value 1 when kept and 0 when not."""
    if row.kind == HOLD:
        return 1.0 if row.assessment == ON_TRACK else 0.0
    return row.progress  # type: ignore[return-value]  # a charted row has a value and a kind


def _progress_text(row: EvaluationRow) -> str:
    if row.kind == HOLD:
        return f"{row.assessment}（保持 {fmt(row.target)}）"
    used = "额度已用 " if row.kind == ALLOWANCE else ""
    return f"{used}{row.progress:.0%} {row.assessment}"


def _evaluation_legend() -> list:
    handles = [Patch(color=colour, label=label) for label, colour in ASSESSMENT_COLOURS.items()]
    return [*handles,
            Line2D([], [], color="#222222", linestyle="--", linewidth=1.1, label="时序进度"),
            Line2D([], [], color="#888888", linewidth=0.8, label="2035 目标"),
            Line2D([], [], color="#222222", marker="o", markerfacecolor="none", linestyle="",
                   label="趋势外推至 2035（箭头：超出坐标）")]


def _evaluation_footnote(skipped: int) -> str:
    missing = f"另有 {skipped} 项指标缺基期值或 2035 目标，未能评估，见评估表。" if skipped else ""
    return (f"进度 = (本年值 − 基期值) ÷ (2035 目标 − 基期值)；额度型（上限内可增、底线内可减）为额度消耗比例，"
            f"快于时序为滞后。{missing}指标名称来自第三方资料，单位与方向未经核实。")
