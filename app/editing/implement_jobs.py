"""Implementation-tracking work for the desktop's DB worker (#16): the dashboard's figures from
the local mirror of the implementation log (offline), the trend chart, the party's report form,
writing a progress report into the outbox and the implementation sync. Qt-free.

The mirror is folded once per load; the roll-up of every period is computed then, so the
dashboard switches its "as of" period without another trip to the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from app.analysis.charts import font_family
from app.implement import model as M
from app.implement.periods import period_of, periods_between, previous_period, today_beijing
from app.model.feature import utc_now
from app.model.ids import uuid7
from app.project.project import Project
from app.review.charts import png_bytes

log = logging.getLogger(__name__)

CHART_DPI = 100
RECENT_PERIODS = 6  # how many months back a report may be written for in the dialog
STATUS_COLOURS = {"not_started": "#B0B0B0", "on_track": "#4C9A2A", "at_risk": "#E8A33D",
                  "delayed": "#C8423B", "completed": "#2F6DB5", "suspended": "#7F6A93"}


def party_names(project: Project) -> dict[str, tuple[str, str]]:
    """Party code -> (name_zh, name_en) from the project's content template (the bundled one
    when the project has none): the dashboard never shows a bare code or uuid for a party."""
    from app.content.store import project_template
    from app.content.template import load_template
    from app.errors import CoplanError
    try:
        template = project_template(project)
    except CoplanError:
        template = load_template()
    names = {code: (p.name_zh, p.name_en or p.name_zh) for code, p in template.parties.items()}
    names.setdefault(project.party, (project.party_name, project.party_name))
    return names


@dataclass(frozen=True)
class DashboardData:
    """What the implementation dashboard shows, as of every period it offers."""

    state: Any  # ImplementState, folded from the local mirror
    periods: tuple[str, ...]  # oldest first; the selector's choices
    progress: dict  # period -> {item id: NodeProgress}
    names: dict[str, tuple[str, str]]  # party code -> (zh, en)
    today: str  # Beijing date "YYYY-MM-DD" the reporting status is judged on
    party: str
    role: str
    reporting: dict = field(default_factory=dict)  # period -> [ReportingStatus]

    @property
    def latest(self) -> str | None:
        """The default "as of": the last period with an accepted report (else the last any
        report was written for, else the last offered): later ones are still being reported."""
        reports = self.state.reports.values()
        reported = {r.period for r in reports if r.state == "accepted"} or {r.period for r in reports}
        shown = [p for p in self.periods if p in reported]
        candidates = shown or list(self.periods)
        return candidates[-1] if candidates else None


def _periods(state, today) -> tuple[str, ...]:
    """From the first reported period (or 12 months back) to the current Beijing month."""
    current = period_of(today)
    reported = sorted(r.period for r in state.reports.values())
    first = reported[0] if reported else current
    for _ in range(11):  # at least a year of history for the trend
        if first <= current and len(periods_between(first, current)) >= 12:
            break
        first = previous_period(first)
    return tuple(periods_between(min(first, current), current))


def load_dashboard(project: Project) -> DashboardData:
    """Fold the mirror and roll it up for every period (offline)."""
    from app.implement import outbox
    from app.implement.rollup import reporting, rollup
    state = outbox.local_state(project)
    today = today_beijing()
    periods = _periods(state, today)
    progress = {p: rollup(state, as_of=p) for p in periods}
    statuses = {p: reporting(state, p, today) for p in periods}
    return DashboardData(state, periods, progress, party_names(project), today.isoformat(),
                         project.party, project.role, statuses)


def open_issues(state) -> list:
    """Open issues, highest level first, then by due date."""
    issues = [i for i in state.issues.values() if i.state == "open"]
    return sorted(issues, key=lambda i: (-i.level, i.due, i.id))


def escalations(state) -> list[tuple[object, M.IssueStep]]:
    """Every escalation step of every issue (issue, step), newest first."""
    steps = [(i, s) for i in state.issues.values() for s in i.history if s.action == "escalated"]
    return sorted(steps, key=lambda pair: pair[1].at, reverse=True)


def meetings(state) -> list:
    """Meetings, newest first."""
    return sorted(state.meetings.values(), key=lambda m: (m.date, m.id), reverse=True)


def title(item, lang: str) -> str:
    """An item's title in `lang` (Chinese when it has no English one)."""
    return item.title_zh if lang == "zh" or not item.title_en else item.title_en


def item_code(item) -> str:
    """A short code to show before a title: S1, S1.2, Z3.1, a project's XMBH ('' for parts)."""
    if item.kind in ("plan", "part", "conflict"):
        return ""
    if item.kind == "project":
        return item.source.get("XMBH", "")
    return item.id.replace(".action.", ".").replace(".strategy.", ".")


def trend_png(data: DashboardData, node: str, as_of: str | None = None, lang: str = "zh") -> bytes:
    """The plan's and `node`'s reported (solid) and planned (dashed) % over the periods, as PNG;
    `as_of` is marked with a vertical line."""
    fig = Figure(figsize=(7.2, 3.4), layout="constrained")
    family = font_family()
    ax = fig.add_subplot(1, 1, 1)
    x = list(range(len(data.periods)))
    nodes = [M.PLAN] + ([node] if node != M.PLAN and node in data.state.items else [])
    top = 10.0
    for colour, item_id in zip(("#1F4E79", "#C8423B"), nodes, strict=False):
        label = (("规划总体" if lang == "zh" else "whole plan") if item_id == M.PLAN
                 else _short(title(data.state.items[item_id], lang)))
        actual = [_value(data, p, item_id, "percent") for p in data.periods]
        planned = [_value(data, p, item_id, "planned") for p in data.periods]
        top = max([top, *(v for v in actual + planned if v is not None)])
        ax.plot(x, actual, color=colour, marker="o", markersize=3, label=label)  # type: ignore[arg-type]  # None: a gap
        ax.plot(x, planned, color=colour, linestyle="--", linewidth=1,  # type: ignore[arg-type]  # None: a gap
                label=("计划 " if lang == "zh" else "planned: ") + label)
    if as_of in data.periods:
        ax.axvline(data.periods.index(as_of), color="#888888", linewidth=0.8, linestyle=":")
    step = max(1, len(x) // 8)
    ax.set_xticks(x[::step], list(data.periods)[::step], fontsize=8)
    ax.set_ylim(0, min(105.0, top * 1.25))
    ax.set_ylabel("完成 %" if lang == "zh" else "complete %", fontfamily=family)
    ax.grid(alpha=0.3)
    ax.legend(prop={"family": family, "size": 8}, loc="upper left", frameon=False)
    ax.set_title("实施进度趋势" if lang == "zh" else "Implementation progress", fontfamily=family)
    return png_bytes(fig, CHART_DPI)


def _value(data: DashboardData, period: str, item_id: str, name: str) -> float | None:
    node = data.progress.get(period, {}).get(item_id)
    return None if node is None else getattr(node, name)


def _short(text: str, size: int = 22) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"


# -- the party's progress report ----------------------------------------------------------


@dataclass(frozen=True)
class ReportForm:
    """What the report dialog offers: the party's items (lead first) with their last reported
    value, the periods a report may be written for, and the party's reports in the outbox."""

    party: str
    role: str
    periods: tuple[str, ...]  # newest first; the first is the default
    items: tuple  # Item, in tree order
    last: dict  # item id -> ReportLine of this party's latest report (any state but returned)
    current: dict  # item id -> (percent, status) as rolled up now (another party's report too)
    names: dict[str, tuple[str, str]]
    queued: int  # implementation items waiting in the outbox


def report_periods(today) -> tuple[str, ...]:
    """The month whose report is due next first (last month), then this month and older ones."""
    current = period_of(today)
    back = periods_between(_months_back(current, RECENT_PERIODS), previous_period(current))
    return (back[-1], current, *reversed(back[:-1]))


def _months_back(period: str, n: int) -> str:
    for _ in range(n):
        period = previous_period(period)
    return period


def load_report_form(project: Project) -> ReportForm:
    """The open project's party's items and their last values (from the mirror)."""
    from app.implement import outbox
    state = outbox.local_state(project)
    # Leaves only: a parent's value is rolled up from its children, never reported.
    items = _tree_order(state, [i for i in state.items_of(project.party) if not state.children(i.id)])
    last: dict[str, M.ReportLine] = {}
    reports = [r for r in state.reports_of(project.party) if r.state != "returned"]
    for report in sorted(reports, key=lambda r: r.key()):
        last.update({line.item: line for line in report.lines})
    from app.implement.rollup import rollup
    nodes = rollup(state, accepted_only=False)
    current = {i.id: (nodes[i.id].percent, nodes[i.id].status) for i in items if i.id in nodes}
    return ReportForm(project.party, project.role, report_periods(today_beijing()), tuple(items), last,
                      current, party_names(project), len(outbox.pending(project)))


def _tree_order(state, items: list) -> list:
    """`items` in the order a walk of the plan tree meets them."""
    wanted = {i.id for i in items}
    out: list = []
    stack = [M.PLAN]
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node in wanted:
            out.append(state.items[node])
        stack.extend(reversed([c.id for c in state.children(node)]))
    return out + [i for i in items if i.id not in seen]


def write_report(project: Project, period: str, lines: list[dict],
                 files: dict[str, list[str]] | None = None, queued: bool = True) -> str:
    """Write the party's report for `period` into the outbox (checked now, sent on the next
    implementation sync); the outbox id. `files` are evidence files by item id: each gets an
    attachment id its line names, and is uploaded before the report is sent."""
    from app.implement import outbox
    attached: list[tuple[str, Path]] = []
    lines = [dict(line) for line in lines]
    for line in lines:
        paths = (files or {}).get(line["item"], [])
        ids = [uuid7() for _ in paths]
        attached += [(i, Path(p)) for i, p in zip(ids, paths, strict=True)]
        line["attachments"] = list(line.get("attachments", ())) + ids
    data = {"report": uuid7(), "period": period, "written": utc_now(), "author": project.author,
            "lines": lines}
    return outbox.write(project, "report", data, files=attached, queued=queued)


def sync_steps(project: Project) -> Generator[Any, Any, Any]:
    """Queue the party's new or changed indicator values and check-ups, send the outbox, then
    pull the implementation log into the mirror (with progress)."""
    from app.editing.jobs import remote_for
    from app.implement import outbox
    from app.implement.client import ImplementRemote
    from app.implement.indicators import queue_changed, queued_text
    from app.model.jobs import Progress
    remote, pid = remote_for(project)
    queued = queued_text(*queue_changed(project))
    if queued:
        log.info("%s", queued)
        yield Progress("queue", 1, 1, queued)
    return (yield from outbox.sync_steps(project, ImplementRemote(remote, pid)))
