"""Milestones of tracked items: where each stands at a period, and the coordinator's edits.

A milestone is done in the period of the first accepted report naming it (state.py); one not
done whose due period is before the current period is overdue. Listings, the desktop, the
progress PDF and XLSX all ask these functions, so they agree on what "overdue" means.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.errors import ConflictError, InvalidInput, NotFound
from app.implement.model import PERIOD, Item, Milestone


@dataclass(frozen=True)
class Row:
    """One milestone of one item, as of a period."""

    item: Item
    milestone: Milestone
    state: str  # done | overdue | due (due this period, not done) | planned (due later)


def standing(m: Milestone, period: str) -> str:
    """done | overdue | due | planned, as of the end of `period` (overdue: due before it and
    not done by then)."""
    if m.done and m.done <= period:
        return "done"
    if m.due and m.due < period:
        return "overdue"
    return "due" if m.due == period else "planned"


def rows(state, period: str) -> list[Row]:
    """Every milestone of every item, by due period then item id."""
    out = [Row(item, m, standing(m, period)) for item in state.items.values()
           for m in item.milestones]
    return sorted(out, key=lambda r: (r.milestone.due, r.item.id, r.milestone.id))


def of_period(state, period: str) -> list[Row]:
    """What a period's report shows: milestones due in `period` (done or not) and those still
    overdue then (due earlier, not done)."""
    return [r for r in rows(state, period)
            if r.milestone.due == period or r.state == "overdue"]


def next_of(item: Item) -> Milestone | None:
    """The earliest-due milestone of `item` not done yet."""
    waiting = sorted((m for m in item.milestones if not m.done), key=lambda m: (m.due, m.id))
    return waiting[0] if waiting else None


def added(item: Item, mid: str, name_zh: str, name_en: str, due: str) -> Item:
    """`item` with a new milestone; refuses a repeated id, a bad period, one outside the years."""
    mid, name_zh = mid.strip(), name_zh.strip()
    if not mid or not name_zh:
        raise InvalidInput("a milestone needs an id (--add) and a Chinese name (--name-zh)")
    if any(m.id == mid for m in item.milestones):
        raise ConflictError(f"item {item.id} already has a milestone {mid}")
    if not PERIOD.match(due or ""):
        raise InvalidInput(f"a milestone's due period is YYYY-MM, not {due!r}")
    first, last = item.start_year, item.finish_year
    if (first and int(due[:4]) < first) or (last and int(due[:4]) > last):
        raise InvalidInput(f"milestone due {due} is outside item {item.id}'s years "
                           f"{first or ''}–{last or ''}")
    return replace(item, milestones=(*item.milestones, Milestone(mid, name_zh, name_en.strip(),
                                                                 due)))


def removed(item: Item, mid: str) -> Item:
    """`item` without milestone `mid`; one already done stays (a report accepted it)."""
    found = next((m for m in item.milestones if m.id == mid), None)
    if found is None:
        raise NotFound(f"item {item.id} has no milestone {mid}")
    if found.done:
        raise ConflictError(f"milestone {mid} of item {item.id} was done in {found.done}: "
                            "it cannot be removed")
    return replace(item, milestones=tuple(m for m in item.milestones if m.id != mid))
