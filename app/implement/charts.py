"""Charts of the monthly progress report: matplotlib `Figure` objects (never pyplot), labels in
the embedded CJK sans face, no title (the report's heading above says what it shows). Actual progress is a bar next to the planned one (not a marker):
a printed report is read in black and white as often as in colour, and two bars of different
greys still compare."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure

from app.reports.fonts import matplotlib_family

ACTUAL = "#1F4E79"
PLANNED = "#B8C4D0"
LABEL_CHARS = {"zh": 15, "en": 34}  # a section's title beside its bar is cut to this


@dataclass(frozen=True)
class Bar:
    """One row of the section chart: `label` (code and title), actual and planned % (0–100)."""

    label: str
    actual: float
    planned: float | None


@dataclass(frozen=True)
class TrendPoint:
    period: str  # "2026-03"
    actual: float  # %
    planned: float | None  # %


TEXT = {"zh": {"actual": "实际完成", "planned": "计划应完成", "systems": "系统行动",
               "zones": "空间板块", "none": "无数据"},
        "en": {"actual": "actual", "planned": "planned", "systems": "System actions",
               "zones": "Spatial sections", "none": "no data"}}


def _family() -> list[str]:
    return [matplotlib_family(), "DejaVu Sans"]


def short(text: str, lang: str) -> str:
    """`text` cut to the length a bar's label has room for."""
    limit = LABEL_CHARS.get(lang, 30)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def sections_figure(systems: list[Bar], zones: list[Bar], lang: str = "zh") -> Figure:
    """Two panels of horizontal bars, actual beside planned: S1–S8 above, Z1–Z5 below."""
    t, family = TEXT[lang], _family()
    rows = [max(len(systems), 1), max(len(zones), 1)]
    fig = Figure(figsize=(7.4, 0.9 + 0.34 * sum(rows)), layout="constrained")
    top, bottom = fig.subplots(2, 1, height_ratios=rows)
    _bars(top, systems, t["systems"], t, family)
    _bars(bottom, zones, t["zones"], t, family)
    handles = top.get_legend_handles_labels() if systems else bottom.get_legend_handles_labels()
    if handles[0]:
        fig.legend(*handles, loc="outside lower center", ncols=2, frameon=False,
                   prop={"family": family, "size": 8})
    return fig


def _bars(ax, bars: list[Bar], title: str, t: dict, family: list[str]) -> None:
    ax.set_title(title, fontfamily=family, fontsize=9, loc="left")
    if not bars:  # say so rather than draw empty axes
        ax.text(0.5, 0.5, t["none"], ha="center", va="center", fontfamily=family,
                transform=ax.transAxes)
        ax.set_axis_off()
        return
    ys = range(len(bars))
    actual = [b.actual for b in bars]
    planned = [b.planned or 0.0 for b in bars]
    ax.barh([y - 0.19 for y in ys], actual, height=0.38, color=ACTUAL, label=t["actual"])
    ax.barh([y + 0.19 for y in ys], planned, height=0.38, color=PLANNED, label=t["planned"])
    for y, bar in zip(ys, bars, strict=True):
        ax.annotate(f"{bar.actual:.1f}", (bar.actual, y - 0.19), xytext=(2, 0),
                    textcoords="offset points", va="center", fontsize=6.5, color=ACTUAL)
    ax.set_yticks(list(ys), [b.label for b in bars], fontfamily=family, fontsize=7.5)
    ax.invert_yaxis()  # S1 at the top, as the plan lists them
    ax.set_xlim(0, 108)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    ax.set_axisbelow(True)


def trend_figure(points: list[TrendPoint], lang: str = "zh") -> Figure:
    """The rolled-up % month by month, actual (solid) and planned (dashed)."""
    t, family = TEXT[lang], _family()
    fig = Figure(figsize=(7.4, 2.5), layout="constrained")
    ax = fig.subplots()
    xs = list(range(len(points)))
    ax.plot(xs, [p.actual for p in points], marker="o", markersize=3.5, color=ACTUAL,
            label=t["actual"])
    planned = [(x, p.planned) for x, p in zip(xs, points, strict=True) if p.planned is not None]
    if planned:
        ax.plot([x for x, _ in planned], [v for _, v in planned], linestyle="--",
                color="#7A8796", label=t["planned"])
    for x, p in zip(xs, points, strict=True):
        below = p.planned is not None and p.actual < p.planned  # keep clear of the plan's line
        ax.annotate(f"{p.actual:.1f}", (x, p.actual), xytext=(0, -9 if below else 4),
                    textcoords="offset points", ha="center", fontsize=6, color=ACTUAL)
    ax.set_xticks(xs, [p.period for p in points], fontsize=7, rotation=30)
    top = max([p.actual for p in points] + [v for _, v in planned] + [10.0])
    ax.set_ylim(0, min(105.0, top * 1.25))
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.5)
    ax.set_ylabel("%", fontsize=8)
    ax.legend(prop={"family": family, "size": 8}, frameon=False, loc="upper left")
    return fig
