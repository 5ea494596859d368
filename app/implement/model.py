"""Implementation tracking (共同实施): the shapes every part shares.

The plan is carried out as tracked items (the actions of the 1+8+5, the project library, and
conflict-check results the office follows up), reported on by the parties each period,
rolled up item → action → system action / spatial section → plan, and followed up through
issue lists and meetings (销项). Everything is a fact in an append-only event log on the
sync server (app/implement/events.py); the state below is what folding that log gives
(app/implement/state.py), on the server and in every party's copy alike.

All values are plain Python (no Qt, no database) so any layer can use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PLAN = "plan"  # the root item: the whole plan
PERIOD = re.compile(r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$")  # a monthly reporting period "2026-03"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # a calendar date (Beijing), "2026-04-10"
DUE_DAY = 10  # a period's report is due on this day of the following month (Beijing time)

# What an item is, from the root down. "project" is a project-library entry (XMK_*);
# "conflict" a conflict-check result the office tracks (app/analysis/lifecycle.py).
ITEM_KINDS = ("plan", "part", "system", "zone", "action", "strategy", "project", "conflict")

# An item's status as a party reports it (self-assessed), with its Chinese name.
STATUSES = {"not_started": "未开始", "on_track": "按计划推进", "at_risk": "存在风险",
            "delayed": "滞后", "completed": "已完成", "suspended": "暂缓"}

# A report's life: submitted → accepted | returned; a later report of the same party and
# period replaces one not yet decided (superseded).
REPORT_STATES = ("submitted", "accepted", "returned", "superseded")

# Issue levels (销项): who deals with an issue, escalated one level when overdue or unresolved.
LEVELS = {1: ("日常推进会", "daily progress meeting"),
          2: ("部门销项会", "monthly departmental issue-closing meeting"),
          3: ("领导小组会议", "quarterly leadership meeting")}
ISSUE_SOURCES = ("report", "check", "comment", "manual")
ISSUE_STATES = ("open", "closed")
DECISIONS = ("close", "escalate", "keep")  # what a memo decides for an issue on the agenda

# How a parent weighs its children in the roll-up.
WEIGHTINGS = ("equal", "investment", "custom")


@dataclass(frozen=True)
class Milestone:
    """A milestone of an item: due by a period; `done` is the period a report marked it done."""

    id: str
    name_zh: str
    name_en: str = ""
    due: str = ""  # "YYYY-MM"
    done: str | None = None


@dataclass(frozen=True)
class Item:
    """A tracked item. `lead` and `participants` are party codes; a party reports on the
    items it leads or joins. `source` says where the item came from, e.g.
    {"content": "S1.action.1"} or {"layer": "XMK_POINT", "uuid": "…", "XMBH": "P-JT-001"}
    or {"conflict": "<conflict id>"}."""

    id: str
    kind: str
    parent: str | None
    title_zh: str
    title_en: str = ""
    lead: str = ""
    participants: tuple[str, ...] = ()
    start_year: int | None = None
    finish_year: int | None = None
    milestones: tuple[Milestone, ...] = ()
    investment: float | None = None  # 亿元 (100 million CNY), from the project library's TZ
    source: dict = field(default_factory=dict)

    def parties(self) -> tuple[str, ...]:
        """The lead first, then the participants."""
        return (self.lead, *(p for p in self.participants if p != self.lead)) if self.lead \
            else self.participants


@dataclass(frozen=True)
class Weighting:
    """How `node` weighs its children (weights by child id, for "custom")."""

    node: str
    method: str = "equal"
    weights: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReportLine:
    """One item in a progress report."""

    item: str
    percent: float  # 0–100, self-assessed
    status: str  # a key of STATUSES
    narrative_zh: str = ""
    narrative_en: str = ""
    issues: tuple[dict, ...] = ()  # issues raised: {"title_zh", "title_en"}; become Issues
    attachments: tuple[str, ...] = ()  # evidence files (uploaded attachment ids)
    changesets: tuple[str, ...] = ()  # evidence change sets (ids known to the server)
    milestones_done: tuple[str, ...] = ()  # milestone ids this report marks done


@dataclass(frozen=True)
class Report:
    """A party's progress report for one period. `written` is when it was written (offline,
    UTC ISO 8601); `version` the event version that brought it and `submitted_at` the server's
    time then (lateness is judged on it: a copy's clock can be set back). The current value of an item
    is its line in the accepted report with the greatest (period, written, id): one answer
    whatever the order in which reports arrived."""

    id: str
    party: str
    period: str
    lines: tuple[ReportLine, ...]
    written: str
    author: str
    version: int
    state: str = "submitted"
    note: str = ""  # the coordinator's note when accepting or returning
    decided_by: str | None = None
    decided_at: str | None = None
    submitted_at: str | None = None  # the server's time when it arrived: on time or late

    def key(self) -> tuple[str, str, str]:
        return (self.period, self.written, self.id)


@dataclass(frozen=True)
class IssueStep:
    """One step in an issue's history: opened, escalated, kept, closed (with the memo)."""

    at: str
    action: str  # opened | escalated | kept | closed | reopened
    level: int
    by: str
    note: str = ""
    meeting: str | None = None
    memo: str | None = None  # the memo number (纪要编号) that decided it


@dataclass(frozen=True)
class Issue:
    """An issue to close (销项): owned by a party, due by a date, dealt with at a level."""

    id: str
    title_zh: str
    title_en: str
    owner: str
    due: str  # "YYYY-MM-DD"
    level: int
    raised_by: str  # party
    source: dict  # {"kind": one of ISSUE_SOURCES, "ref": report id / conflict id / comment id}
    item: str | None = None
    state: str = "open"
    history: tuple[IssueStep, ...] = ()


@dataclass(frozen=True)
class Decision:
    issue: str
    action: str  # one of DECISIONS
    note: str = ""
    due: str | None = None  # a new due date ("keep" / "escalate")


@dataclass(frozen=True)
class Memo:
    """The memo (纪要) of a meeting: its number and decisions."""

    number: str
    text_zh: str
    text_en: str
    decisions: tuple[Decision, ...]
    at: str
    by: str


@dataclass(frozen=True)
class Meeting:
    id: str
    level: int
    date: str  # "YYYY-MM-DD"
    title_zh: str
    title_en: str
    attendees: tuple[str, ...]  # party codes
    agenda: tuple[str, ...]  # issue ids
    memo: Memo | None = None
