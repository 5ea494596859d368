"""Ledger charts: matplotlib `Figure` objects (never pyplot), CJK labels in the embedded font."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from app.reports.fonts import matplotlib_family
from app.review.ledger import Ledger
from app.review.model import (
    DELIVERABLES,
    DISPOSITION_LABELS,
    DISPOSITIONS,
    PARTY_TYPE_LABELS,
    PARTY_TYPES,
    label,
)

COLOURS = {"adopted": "#3b7d3b", "partially_adopted": "#8fbf5a", "not_adopted": "#c8423b",
           "noted": "#7a9cc6", "referred": "#e8a33d", "duplicate": "#aaaaaa"}


def ledger_figure(ledger: Ledger, lang: str = "zh") -> Figure:
    """Two panels: adoption rate by party type, and dispositions by deliverable (stacked)."""
    family = [matplotlib_family(), "DejaVu Sans"]
    fig = Figure(figsize=(10, 4.2), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.6])
    _rates(left, ledger, lang, family)
    _stacked(right, ledger, lang, family)
    title = "意见采纳情况" if lang == "zh" else "Adoption of comments"
    fig.suptitle(title, fontfamily=family, fontsize=13)
    return fig


def _rates(ax, ledger: Ledger, lang: str, family: list[str]) -> None:
    kinds = [k for k in PARTY_TYPES if k in ledger.by_party_type]
    rates = [100 * (ledger.by_party_type[k].rate or 0) for k in kinds]
    bars = ax.bar([label(PARTY_TYPE_LABELS, k, lang) for k in kinds], rates, color="#3b7d3b")
    for bar, kind in zip(bars, kinds, strict=True):
        ax.annotate(f"{ledger.by_party_type[kind].comments}", (bar.get_x() + bar.get_width() / 2,
                    bar.get_height()), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, 110)
    ax.set_ylabel("采纳率 %" if lang == "zh" else "adoption rate %", fontfamily=family)
    ax.set_title("按单位类型（柱顶为意见数）" if lang == "zh" else "by party type (count on top)",
                 fontfamily=family, fontsize=10)
    for tick in ax.get_xticklabels():
        tick.set_fontfamily(family)
        tick.set_rotation(0 if lang == "zh" else 25)
        tick.set_fontsize(8)


def _stacked(ax, ledger: Ledger, lang: str, family: list[str]) -> None:
    keys = [d for d in DELIVERABLES if d in ledger.by_deliverable]
    if not keys:  # nothing assigned to a drafting team yet: say so rather than draw empty axes
        ax.text(0.5, 0.5, "尚无已分办的意见" if lang == "zh" else "nothing assigned yet",
                ha="center", va="center", fontfamily=family, transform=ax.transAxes)
        ax.set_axis_off()
        return
    bottom = [0] * len(keys)
    for disposition in DISPOSITIONS:
        counts = [ledger.by_deliverable[k].dispositions.get(disposition, 0) for k in keys]
        ax.bar(keys, counts, bottom=bottom, color=COLOURS[disposition],
               label=label(DISPOSITION_LABELS, disposition, lang))
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.set_title("按成果的处理意见" if lang == "zh" else "dispositions by deliverable",
                 fontfamily=family, fontsize=10)
    # ≥ 1 before anything is published; the extra 30 % leaves room for the legend
    ax.set_ylim(0, max(max(bottom, default=0), 1) * 1.3)
    ax.legend(prop={"family": family, "size": 7}, frameon=False, ncols=3, loc="upper left")


def png_bytes(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (no timestamp in the metadata: same data, same bytes)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
