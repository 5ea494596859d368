"""The state of implementation tracking as a pure function of its events: `fold(events)`.

Events are applied in (version, id) order after dropping repeated ids, so a set of events has
one meaning whatever order it arrived in. `apply` is all-or-nothing: each kind first checks the
event against the state (building the changes to make) and only then mutates, so a refused event
leaves the state exactly as it was. The checks here are those that depend only on the state
(a parent exists, no cycles, a report is still submitted, an issue is open …); the rules that
depend on who acts and on the date live in app/implement/commands.py.

Milestones: a report line's `milestones_done` marks those milestones of its item done (in the
report's period) when, and only when, the report is accepted; the earliest accepted period wins,
and re-registering an item keeps the done periods its milestones already have.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from app.errors import ConflictError, InvalidInput, NotFound
from app.implement.events import KINDS, Event, parse_data
from app.implement.model import (
    DUE_DAY,
    PLAN,
    Decision,
    Issue,
    IssueStep,
    Item,
    Meeting,
    Memo,
    Milestone,
    Report,
    ReportLine,
    Weighting,
)

log = logging.getLogger(__name__)

# Fixed namespace of the ids of issues raised in report lines: every copy makes the same ids.
ISSUE_NAMESPACE = uuid.UUID("6f1c2d4e-16c0-4a1e-9b16-c0a1e1a5e016")
ISSUE_GRACE = timedelta(days=30)  # an issue raised in a report is due 30 days after the report


def issue_id(report: str, line: int, issue: int) -> str:
    """The id of the `issue`-th issue of the `line`-th line (both from 0) of a report."""
    return str(uuid.uuid5(ISSUE_NAMESPACE, f"{report}/{line}/{issue}"))


def natural_key(text: str) -> tuple:
    """Sort key putting numbers in numeric order: S2 < S10, S1.action.2 < S1.action.10."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"(\d+)", text) if p)


def report_due(period: str) -> date:
    """The day a period's report is due: DUE_DAY of the following month."""
    year, month = int(period[:4]), int(period[5:7])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, DUE_DAY)


def item_from_json(d: dict) -> Item:
    """An Item from its JSON (as events carry it, after parse_data)."""
    return Item(d["id"], d["kind"], d.get("parent"), d["title_zh"], d.get("title_en", ""),
                d.get("lead", ""), tuple(d.get("participants", ())), d.get("start_year"),
                d.get("finish_year"),
                tuple(Milestone(m["id"], m["name_zh"], m.get("name_en", ""), m.get("due", ""),
                                m.get("done")) for m in d.get("milestones", ())),
                d.get("investment"), dict(d.get("source") or {}))


def item_to_json(item: Item) -> dict:
    """The JSON of an Item, as an `items` event carries it."""
    return {"id": item.id, "kind": item.kind, "parent": item.parent, "title_zh": item.title_zh,
            "title_en": item.title_en, "lead": item.lead,
            "participants": list(item.participants), "start_year": item.start_year,
            "finish_year": item.finish_year,
            "milestones": [{"id": m.id, "name_zh": m.name_zh, "name_en": m.name_en,
                            "due": m.due, "done": m.done} for m in item.milestones],
            "investment": item.investment, "source": dict(item.source)}


def line_from_json(d: dict) -> ReportLine:
    """A ReportLine from its JSON (lists for tuples)."""
    return ReportLine(d["item"], float(d["percent"]), d["status"], d.get("narrative_zh", ""),
                      d.get("narrative_en", ""), tuple(dict(i) for i in d.get("issues", ())),
                      tuple(d.get("attachments", ())), tuple(d.get("changesets", ())),
                      tuple(d.get("milestones_done", ())))


Change = Callable[[], None]  # a mutation prepared by a check; never raises


@dataclass
class ImplementState:
    """Items, weights, reports, issues, meetings, indicator entries and check-ups: what the log
    says now. The same object on the server (checking commands) and in every copy (dashboards)."""

    version: int = 0  # last applied event version (0 = empty)
    items: dict[str, Item] = field(default_factory=dict)
    weights: dict[str, Weighting] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    issues: dict[str, Issue] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    indicators: dict[tuple[str, str, str, int], dict] = field(default_factory=dict)
    checkups: dict[tuple[str, int], dict] = field(default_factory=dict)
    event_ids: set[str] = field(default_factory=set)  # ids applied (requests already done)

    # --- applying events ---

    def apply(self, e: Event) -> None:
        """Apply one event, all or nothing: InvalidInput/ConflictError/NotFound leave the
        state unchanged."""
        changes = self.validate(e)
        for change in changes:
            change()
        self.event_ids.add(e.id)
        self.version = max(self.version, e.version)

    def validate(self, e: Event) -> list[Change]:
        """Check `e` against the state without changing it; the changes applying it makes."""
        if e.id in self.event_ids:
            raise ConflictError(f"event {e.id} was already applied")
        handler = getattr(self, f"_check_{e.kind}", None)
        if handler is None or e.kind not in KINDS:
            raise InvalidInput(f"unknown kind of implementation event: {str(e.kind)[:40]!r}")
        # Parsed again (cheap): an event made by hand or read from a store without its
        # defaults folds the same as one that came through parse_data.
        return handler(e, parse_data(e.kind, e.data))

    def copy(self) -> ImplementState:
        """A copy that can be changed without touching this one (values are immutable)."""
        return ImplementState(self.version, dict(self.items), dict(self.weights),
                              dict(self.reports), dict(self.issues), dict(self.meetings),
                              dict(self.indicators), dict(self.checkups), set(self.event_ids))

    def _check_items(self, e: Event, data: dict) -> list[Change]:
        new = [item_from_json(d) for d in data["items"]]
        parents = {i: it.parent for i, it in self.items.items()}
        for n, item in enumerate(new):
            if item.id != PLAN and item.parent not in parents:
                raise InvalidInput(f"$.items[{n}].parent: no item {item.parent} (a parent "
                                   "must exist or come earlier in the list)")
            parents[item.id] = item.parent
        cycle = _cycle_at(parents, [item.id for item in new])
        if cycle is not None:
            raise InvalidInput(f"$.items[{cycle}].parent: item {new[cycle].id} would become "
                               "its own ancestor")
        merged = [self._keep_done(item) for item in new]
        return [lambda: self.items.update({item.id: item for item in merged})]

    def _keep_done(self, item: Item) -> Item:
        """`item` with the done periods its milestones already had (reports set them)."""
        old = self.items.get(item.id)
        if old is None:
            return item
        done = {m.id: m.done for m in old.milestones if m.done}
        return replace(item, milestones=tuple(
            replace(m, done=m.done or done.get(m.id)) for m in item.milestones))

    def _check_weights(self, e: Event, data: dict) -> list[Change]:
        node = data["node"]
        if node not in self.items:
            raise NotFound(f"$.node: no item {node}")
        children = {c.id for c in self.children(node)}
        for child in data["weights"]:
            if child not in children:
                raise InvalidInput(f"$.weights.{child}: not a child of {node}")
        weighting = Weighting(node, data["method"], dict(data["weights"]))
        return [lambda: self.weights.__setitem__(node, weighting)]

    def _check_report(self, e: Event, data: dict) -> list[Change]:
        rid = data["report"]
        if rid in self.reports:
            raise ConflictError(f"$.report: report {rid} exists already")
        lines = tuple(line_from_json(d) for d in data["lines"])
        for n, line in enumerate(lines):
            item = self.items.get(line.item)
            if item is None:
                raise NotFound(f"$.lines[{n}].item: no item {line.item}")
            known = {m.id for m in item.milestones}
            for m in line.milestones_done:
                if m not in known:
                    raise InvalidInput(f"$.lines[{n}].milestones_done: item {item.id} "
                                       f"has no milestone {m}")
        report = Report(rid, e.party, data["period"], lines, data["written"],
                        data["author"], e.version, submitted_at=e.at)
        older = [r for r in self.reports.values() if r.party == e.party
                 and r.period == report.period and r.state == "submitted"]
        raised = self._raised_issues(e, report)

        def change() -> None:
            for r in older:
                self.reports[r.id] = replace(r, state="superseded")
            self.reports[rid] = report
            self.issues.update(raised)
        return [change]

    def _raised_issues(self, e: Event, report: Report) -> dict[str, Issue]:
        due = (report_due(report.period) + ISSUE_GRACE).isoformat()
        raised = {}
        for n, line in enumerate(report.lines):
            for k, raw in enumerate(line.issues):
                iid = issue_id(report.id, n, k)
                step = IssueStep(e.at, "opened", 1, e.user)
                raised[iid] = Issue(iid, raw.get("title_zh", ""), raw.get("title_en", ""),
                                    e.party, due, 1, e.party,
                                    {"kind": "report", "ref": report.id}, line.item,
                                    history=(step,))
        return raised

    def _check_review(self, e: Event, data: dict) -> list[Change]:
        report = self.reports.get(data["report"])
        if report is None:
            raise NotFound(f"$.report: no report {data['report']}")
        if report.state != "submitted":
            raise ConflictError(f"$.report: the report is {report.state}, not submitted")
        accept = data["decision"] == "accept"
        if not accept and not data["note"].strip():
            raise InvalidInput("$.note: returning a report needs a note")
        decided = replace(report, state="accepted" if accept else "returned",
                          note=data["note"], decided_by=e.user, decided_at=e.at)
        done = self._milestones_done(report) if accept else {}

        def change() -> None:
            self.reports[report.id] = decided
            self.items.update(done)
        return [change]

    def _milestones_done(self, report: Report) -> dict[str, Item]:
        """The items whose milestones an accepted `report` marks done (earliest period wins)."""
        out = {}
        for line in report.lines:
            item = self.items.get(line.item)
            if item is None or not line.milestones_done:
                continue
            marks = set(line.milestones_done)
            out[item.id] = replace(item, milestones=tuple(
                replace(m, done=report.period if m.id in marks
                        and (m.done is None or report.period < m.done) else m.done)
                for m in item.milestones))
        return out

    def _check_issue(self, e: Event, data: dict) -> list[Change]:
        iid = data["issue"]
        if iid in self.issues:
            raise ConflictError(f"$.issue: issue {iid} exists already")
        step = IssueStep(e.at, "opened", data["level"], e.user)
        issue = Issue(iid, data["title_zh"], data["title_en"], data["owner"], data["due"],
                      data["level"], e.party, dict(data["source"]), data["item"],
                      history=(step,))
        return [lambda: self.issues.__setitem__(iid, issue)]

    def _open_issue(self, iid: str, path: str) -> Issue:
        issue = self.issues.get(iid)
        if issue is None:
            raise NotFound(f"{path}: no issue {iid}")
        if issue.state != "open":
            raise ConflictError(f"{path}: issue {iid} is closed")
        return issue

    def _check_escalate(self, e: Event, data: dict) -> list[Change]:
        issue = self._open_issue(data["issue"], "$.issue")
        if issue.level >= 3:
            raise ConflictError("$.issue: the issue is at the top level (3) already")
        step = IssueStep(e.at, "escalated", issue.level + 1, e.user, data["reason"])
        up = replace(issue, level=issue.level + 1, history=(*issue.history, step))
        return [lambda: self.issues.__setitem__(up.id, up)]

    def _check_meeting(self, e: Event, data: dict) -> list[Change]:
        mid = data["meeting"]
        old = self.meetings.get(mid)
        if old is not None and old.memo is not None:
            raise ConflictError("$.meeting: the meeting has its memo already")
        for n, iid in enumerate(data["agenda"]):
            self._open_issue(iid, f"$.agenda[{n}]")
        meeting = Meeting(mid, data["level"], data["date"], data["title_zh"], data["title_en"],
                          tuple(data["attendees"]), tuple(data["agenda"]))
        return [lambda: self.meetings.__setitem__(mid, meeting)]

    def _check_memo(self, e: Event, data: dict) -> list[Change]:
        meeting = self.meetings.get(data["meeting"])
        if meeting is None:
            raise NotFound(f"$.meeting: no meeting {data['meeting']}")
        if meeting.memo is not None:
            raise ConflictError("$.meeting: the meeting has its memo already")
        decisions = tuple(Decision(d["issue"], d["action"], d["note"], d["due"])
                          for d in data["decisions"])
        changed = {}
        for n, d in enumerate(decisions):
            path = f"$.decisions[{n}].issue"
            if d.issue not in meeting.agenda:
                raise InvalidInput(f"{path}: issue {d.issue} is not on the meeting's agenda")
            changed[d.issue] = self._decide(self._open_issue(d.issue, path), d, e, meeting,
                                            data["number"], path)
        memo = Memo(data["number"], data["text_zh"], data["text_en"], decisions, e.at, e.user)
        held = replace(meeting, memo=memo)

        def change() -> None:
            self.meetings[meeting.id] = held
            self.issues.update(changed)
        return [change]

    def _decide(self, issue: Issue, d: Decision, e: Event, meeting: Meeting, number: str,
                path: str) -> Issue:
        """The issue after a memo's decision (an IssueStep recorded for each)."""
        level, state, due = issue.level, issue.state, d.due or issue.due
        if d.action == "escalate":
            if issue.level >= 3:
                raise ConflictError(f"{path}: a level-3 issue cannot be escalated")
            level += 1
        elif d.action == "close":
            state, due = "closed", issue.due
        action = {"close": "closed", "escalate": "escalated", "keep": "kept"}[d.action]
        step = IssueStep(e.at, action, level, e.user, d.note, meeting.id, number)
        return replace(issue, level=level, state=state, due=due,
                       history=(*issue.history, step))

    def _check_indicators(self, e: Event, data: dict) -> list[Change]:
        entries = {(e.party, d["indicator_id"], d["xzqdm"], d["year"]):
                   {**d, "party": e.party, "at": e.at, "user": e.user} for d in data["entries"]}
        return [lambda: self.indicators.update(entries)]

    def _check_checkup(self, e: Event, data: dict) -> list[Change]:
        record = {"year": data["year"], "rows": [dict(r) for r in data["rows"]],
                  "at": e.at, "user": e.user}
        return [lambda: self.checkups.__setitem__((e.party, data["year"]), record)]

    # --- reading ---

    def children(self, item_id: str) -> list[Item]:
        """The items directly under `item_id`, in natural id order (S2 < S10)."""
        return sorted((i for i in self.items.values() if i.parent == item_id),
                      key=lambda i: natural_key(i.id))

    def items_of(self, party: str) -> list[Item]:
        """The items `party` leads or joins, in natural id order."""
        return sorted((i for i in self.items.values()
                       if i.lead == party or party in i.participants),
                      key=lambda i: natural_key(i.id))

    def reports_of(self, party: str | None = None, period: str | None = None) -> list[Report]:
        """Reports (of a party, of a period, or all) by (period, written, id)."""
        return sorted((r for r in self.reports.values()
                       if (party is None or r.party == party)
                       and (period is None or r.period == period)), key=Report.key)

    def ancestors(self, item_id: str) -> list[str]:
        """The ids above `item_id`, its parent first, up to the root."""
        out, seen = [], {item_id}
        parent = self.items[item_id].parent if item_id in self.items else None
        while parent is not None and parent not in seen:
            out.append(parent)
            seen.add(parent)
            parent = self.items[parent].parent if parent in self.items else None
        return out


def _cycle_at(parents: dict[str, str | None], starts: list[str]) -> int | None:
    """The index in `starts` of the first item whose parent chain comes back on itself;
    linear overall (chains already walked are remembered)."""
    clear: set[str] = set()  # items whose chain reaches the root
    for n, start in enumerate(starts):
        path, seen = [], set()
        node: str | None = start
        while node is not None and node not in clear:
            if node in seen:
                return n
            seen.add(node)
            path.append(node)
            node = parents.get(node)
        clear.update(path)
    return None


def fold(events: Iterable[Event]) -> ImplementState:
    """The state the events make, applied in (version, id) order, repeated ids dropped.
    An event the state refuses (the server never logs one) is skipped and logged."""
    state = ImplementState()
    for e in sorted({e.id: e for e in sorted(events, key=lambda e: e.key, reverse=True)}
                    .values(), key=lambda e: e.key):
        try:
            state.apply(e)
        except (InvalidInput, ConflictError, NotFound) as exc:
            log.warning("implementation event %s (%s, version %d) skipped: %s",
                        e.id, e.kind, e.version, exc)
            state.version = max(state.version, e.version)
    return state
