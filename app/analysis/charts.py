"""Check-up charts: matplotlib `Figure` objects (never pyplot), CJK labels in WenQuanYi.

One small panel per indicator with values: a bar per city coloured by status, the previous
recorded year as a tick and the target as a diamond; the metro-wide value goes in the title
because, for totals, it would dwarf the city bars.
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


def checkup_figure(report: CheckupReport, definitions: Definitions, max_panels: int = 9) -> Figure:
    """Small multiples of the indicators that have values, in definition order."""
    shown = _indicators_with_values(report)[:max_panels]
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
