"""Roll-up: each item's progress, from the reported leaves up to the whole plan.

A leaf's value is its line in the eligible report with the greatest Report.key() (period,
written, id): accepted reports only by default, or submitted and accepted ones
(`accepted_only=False`, never returned or superseded). Choosing by key, not by arrival,
makes the roll-up the same whatever order the reports and reviews reached the log in.

A parent's percent is the weighted mean of its children's (a child nobody reported counts 0);
its planned percent the weighted mean of its children's planned percents (its own plan when
no child has one); its status the worst of its children's by STATUS_ORDER.

Planned percent of an item at a period: linear from 0 before January of start_year to 100 at
the end of December of finish_year, one step per month (January of start_year is 1/N of the
way). With milestones (those having a due period), the k-th of n milestones by due period is
planned to be reached, k/n of the way (100·k/n %), at the end of its due month; between
those points the plan is linear by month, and still reaches 100 % at finish_year's end when
the last milestone is due earlier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.implement.items import natural_key
from app.implement.model import Item, Report, ReportLine, Weighting
from app.implement.periods import (
    beijing_date,
    due_date,
    instant,
    period_index,
    period_of,
    today_beijing,
)

if TYPE_CHECKING:
    from app.implement.state import ImplementState

# Worst first: a parent shows the first of these that any of its children has. Delays and
# risks must surface at every level; suspended work is worse than work going to plan; a part
# nobody started is worse than finished work, so a parent is "completed" only when every
# child is.
STATUS_ORDER = ("delayed", "at_risk", "suspended", "on_track", "not_started", "completed")
ELIGIBLE = {True: ("accepted",), False: ("submitted", "accepted")}
REPORTING_STATES = ("on_time", "late", "missing", "not_due", "returned", "pending")


@dataclass(frozen=True)
class NodeProgress:
    """An item's progress at a period: reported (leaf) or rolled up (parent)."""

    item: str
    percent: float  # 0–100: own reported value (leaf) or weighted mean of the children's
    planned: float | None  # 0–100 planned at `as_of`; None when the item has no years
    status: str  # a STATUSES key: reported (leaf; not_started when none) or worst of children
    period: str | None  # last reported period (leaf) / latest among the descendants
    reported: bool  # leaf: has an eligible line; parent: some descendant has
    weight: float  # share (0–1) of its parent's value it carries; 1.0 for a root
    children: tuple[str, ...]


@dataclass(frozen=True)
class TimelinePoint:
    """One reported value of an item (a leaf's line; a parent's roll-up at that period)."""

    period: str
    percent: float  # 0–100
    status: str
    report: str | None  # the report id (None for a parent's roll-up)
    party: str  # the reporting party (a parent: its lead)
    state: str  # the report's state, "rollup" for a parent


@dataclass(frozen=True)
class ReportingStatus:
    """Whether a party reported for a period, and how (one of REPORTING_STATES)."""

    party: str
    period: str
    state: str
    report: str | None  # the party's last report of the period (by key)
    submitted: str | None  # when it was submitted, UTC ISO 8601 (see `reporting`)


def _children(state: ImplementState) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in state.items.values():
        if item.parent is not None and item.parent in state.items:
            out.setdefault(item.parent, []).append(item.id)
    return {k: sorted(v, key=natural_key) for k, v in out.items()}


def current_lines(state: ImplementState, *, as_of: str | None = None,
                  accepted_only: bool = True) -> dict[str, tuple[Report, ReportLine]]:
    """Item id → (report, line) now valid for it: the eligible line with the greatest key."""
    eligible = ELIGIBLE[accepted_only]
    best: dict[str, tuple[Report, ReportLine]] = {}
    for report in state.reports.values():
        if report.state not in eligible or (as_of is not None and report.period > as_of):
            continue
        for line in report.lines:
            held = best.get(line.item)
            if held is None or report.key() > held[0].key():
                best[line.item] = (report, line)
    return best


def _investment(item: str, state: ImplementState, children: dict[str, list[str]]) -> float | None:
    own = state.items[item].investment
    if own is not None:
        return own
    known = [v for c in children.get(item, ()) if (v := _investment(c, state, children)) is not None]
    return sum(known) if known else None


def child_weights(state: ImplementState, node: str,
                  children: dict[str, list[str]] | None = None) -> dict[str, float]:
    """Raw weights of `node`'s children under its weighting (equal, investment or custom)."""
    children = _children(state) if children is None else children
    kids = children.get(node, [])
    weighting = state.weights.get(node) or Weighting(node)
    if weighting.method == "custom":
        return {c: max(0.0, float(weighting.weights.get(c, 1.0))) for c in kids}
    if weighting.method == "investment":
        money = {c: _investment(c, state, children) for c in kids}
        known = [v for v in money.values() if v is not None]
        if known:
            mean = sum(known) / len(known)
            return {c: (mean if v is None else v) for c, v in money.items()}
    return dict.fromkeys(kids, 1.0)


def _shares(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    if total <= 0:  # every weight 0: fall back to equal shares rather than divide by zero
        return {c: 1.0 / len(weights) for c in weights} if weights else {}
    return {c: w / total for c, w in weights.items()}


def planned_percent(item: Item, period: str) -> float | None:
    """Planned % of `item` at the end of `period` (see the module doc); None without years."""
    if item.start_year is None or item.finish_year is None:
        return None
    start = period_index(f"{item.start_year:04d}-01") - 1  # 0 % at the end of the month before
    end = max(period_index(f"{item.finish_year:04d}-12"), start + 1)
    knots = _knots(item, start, end)
    x = period_index(period)
    if x <= start:
        return 0.0
    for (x0, y0), (x1, y1) in zip(knots, knots[1:], strict=False):
        if x <= x1:
            return round(y0 + (y1 - y0) * (x - x0) / (x1 - x0), 6)
    return 100.0


def _knots(item: Item, start: int, end: int) -> list[tuple[int, float]]:
    dues = sorted(period_index(m.due) for m in item.milestones if m.due)
    knots = [(start, 0.0)]
    for k, due in enumerate(dues, 1):
        x, y = max(due, start + 1), 100.0 * k / len(dues)
        if x == knots[-1][0]:
            knots[-1] = (x, y)  # milestones due the same month: the plan reaches the last
        else:
            knots.append((x, y))
    if knots[-1][0] < end and knots[-1][1] < 100.0:
        knots.append((end, 100.0))
    return knots


def _worst(statuses: Iterable[str]) -> str:
    present = set(statuses)
    return next((s for s in STATUS_ORDER if s in present), "not_started")


def rollup(state: ImplementState, *, as_of: str | None = None,
           accepted_only: bool = True) -> dict[str, NodeProgress]:
    """Every item's progress at `as_of` (reports of later periods ignored; planned % at the
    current Beijing month when None), leaves from their reports, parents rolled up."""
    children = _children(state)
    lines = current_lines(state, as_of=as_of, accepted_only=accepted_only)
    at = as_of or period_of(today_beijing())
    out: dict[str, NodeProgress] = {}
    roots = sorted((i for i, it in state.items.items()
                    if it.parent is None or it.parent not in state.items), key=natural_key)
    for root in roots:
        _visit(root, 1.0, state, children, lines, at, out)
    return out


def _visit(item_id: str, weight: float, state: ImplementState, children: dict[str, list[str]],
           lines: dict, at: str, out: dict[str, NodeProgress]) -> NodeProgress:
    item = state.items[item_id]
    kids = children.get(item_id, [])
    if not kids:
        held = lines.get(item_id)
        node = NodeProgress(item_id, held[1].percent if held else 0.0, planned_percent(item, at),
                            held[1].status if held else "not_started",
                            held[0].period if held else None, held is not None, weight, ())
        out[item_id] = node
        return node
    shares = _shares(child_weights(state, item_id, children))
    done = [_visit(c, shares[c], state, children, lines, at, out) for c in kids]
    planned = [(n.planned, n.weight) for n in done if n.planned is not None]
    plan_total = sum(w for _, w in planned)
    own_plan = (sum(p * w for p, w in planned) / plan_total if plan_total > 0
                else planned_percent(item, at))
    periods = [n.period for n in done if n.period]
    node = NodeProgress(item_id, sum(n.percent * n.weight for n in done), own_plan,
                        _worst(n.status for n in done), max(periods) if periods else None,
                        any(n.reported for n in done), weight, tuple(kids))
    out[item_id] = node
    return node


def timeline(state: ImplementState, item_id: str, *,
             accepted_only: bool = True) -> list[TimelinePoint]:
    """An item's values over time: a leaf's every eligible line by report key; a parent's
    roll-up at each period some descendant was reported in."""
    eligible = ELIGIBLE[accepted_only]
    if item_id not in state.items:
        return []
    if not _children(state).get(item_id):
        return [TimelinePoint(r.period, line.percent, line.status, r.id, r.party, r.state)
                for r in sorted(state.reports.values(), key=Report.key) if r.state in eligible
                for line in r.lines if line.item == item_id]
    below = _descendants(state, item_id)
    periods = sorted({r.period for r in state.reports.values() if r.state in eligible
                      and any(line.item in below for line in r.lines)})
    points = []
    for period in periods:
        node = rollup(state, as_of=period, accepted_only=accepted_only)[item_id]
        points.append(TimelinePoint(period, node.percent, node.status, None,
                                    state.items[item_id].lead, "rollup"))
    return points


def _descendants(state: ImplementState, item_id: str) -> set[str]:
    children, out, todo = _children(state), set(), [item_id]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def expected_parties(state: ImplementState, period: str) -> list[str]:
    """Parties that must report for `period`: those leading or joining a leaf item active in
    its year (parents are rolled up, not reported on)."""
    year = int(period[:4])
    children = _children(state)
    parties = {p for item in state.items.values() if item.id not in children
               and (item.start_year or 0) <= year <= (item.finish_year or 9999)
               for p in item.parties() if p}
    return sorted(parties, key=natural_key)


def submitted_at(report: Report) -> str:
    """When a report counts as submitted: the server's time when it arrived; `written` (the
    copy's clock) only for a report made without a server, e.g. by hand in a test."""
    return report.submitted_at or report.written


def reporting(state: ImplementState, period: str, today: date) -> list[ReportingStatus]:
    """For each expected party, whether its report of `period` is on time, late, missing,
    not yet due, returned (the last one, none after) or pending (submitted, not decided).
    On time or late is judged on the party's first submission of the period: a report the
    coordinator returned and the party fixed was still delivered when it was first sent.
    Delivered means reached the server: a report written on time but sent late is late."""
    due = due_date(period)
    out = []
    for party in expected_parties(state, period):
        mine = [r for r in state.reports.values() if r.party == party and r.period == period]
        out.append(_reporting_one(party, period, mine, due, today))
    return out


def _reporting_one(party: str, period: str, mine: list[Report], due: date,
                   today: date) -> ReportingStatus:
    if not mine:
        return ReportingStatus(party, period, "missing" if today > due else "not_due", None, None)
    live = [r for r in mine if r.state != "superseded"] or mine
    last = max(live, key=Report.key)
    if last.state == "returned":
        state = "returned"
    elif last.state == "accepted":
        first = min((submitted_at(r) for r in mine), key=instant)
        state = "on_time" if beijing_date(first) <= due else "late"
    else:
        state = "pending"
    return ReportingStatus(party, period, state, last.id, submitted_at(last))


def behind(state: ImplementState, as_of: str, threshold: float = 15.0,
           *, accepted_only: bool = True) -> list[tuple[str, float, float]]:
    """(item, percent, planned) of items more than `threshold` points behind plan at `as_of`,
    furthest behind first (then by id)."""
    nodes = rollup(state, as_of=as_of, accepted_only=accepted_only)
    late = [(n.item, n.percent, n.planned) for n in nodes.values()
            if n.planned is not None and n.status != "completed"
            and n.planned - n.percent > threshold]
    return sorted(late, key=lambda t: (t[1] - t[2], natural_key(t[0])))

