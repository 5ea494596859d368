"""Twelve months of synthetic (合成示例) implementation tracking for the 1+8+5 sample.

`synthetic_events` plays the office and the parties through a year: the office registers the
tracked items and weights, every party reporting on active items sends a monthly report on
the 3rd–12th of the next month (a few late, one or two missing), the office accepts most and
returns a few with a note (then resubmitted), issues raised in reports go to monthly level-1
and level-2 meetings and quarterly level-3 meetings whose memos close, keep or escalate them,
and overdue issues are escalated. Every event is made by `commands.make_event` with the
actor and the (Beijing) day it happens on, so each is one the server would have accepted.

Deterministic: ids are uuid5 of fixed names, times come from the periods, choices from a
`random.Random(seed)`; never the clock. The log stops on the 5th of the month after the last
period (the sample's "today"): reports of the last period written later do not exist yet.
`build_implement` writes the archive and every sample project's local mirror.
"""

from __future__ import annotations

import heapq
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app.implement.commands import Actor, make_event
from app.implement.events import Event
from app.implement.items import items_from_content, items_from_library
from app.implement.model import LEVELS, PLAN, Item, Milestone
from app.implement.periods import BEIJING, next_period, period_index, periods_between
from app.implement.rollup import planned_percent
from app.implement.state import ImplementState, item_to_json

log = logging.getLogger(__name__)

NS = uuid.UUID("9b0f3c7e-16a1-5d2e-8c4b-7a6e5f4d3c21")
MARK_ZH, MARK_EN = "（合成示例）", " (synthetic sample)"
OFFICE = Actor("office-sample", "office", "coordinator")
LEAVES = ("action", "strategy", "project")
STALLED = 2  # actions far behind plan
CUTOFF_DAY = 5  # the sample's "today": this day of the month after the last period
# How an item moves against its plan: (share of items, pace range).
PACES = (("ahead", 0.2, (1.15, 1.35)), ("on_plan", 0.55, (0.98, 1.12)),
         ("behind", 0.25, (0.8, 0.92)))
ISSUES = (("跨界段用地指标需省级统筹", "Cross-border land quota needs provincial coordination"),
          ("环评批复进度滞后", "Environmental approval behind schedule"),
          ("配套资金到位不足", "Matching funds not yet in place"),
          ("跨市协调机制尚未明确", "Cross-city coordination arrangements not yet agreed"),
          ("征地拆迁进度滞后", "Land acquisition behind schedule"),
          ("两地技术标准不统一", "Technical standards differ between the cities"),
          ("数据共享接口尚未打通", "Data-sharing interfaces not yet connected"))
RETURN_NOTES = (("请补充佐证材料，并核实完成百分比", "Please add evidence and check the percentages"),
                ("进展说明过于简略，请补充本月具体工作", "The narrative is too brief: add this month's work"))
NARRATIVES = {
    "on_track": ("{t}：本月按计划推进，累计完成约{p}%。", "{t}: on schedule, about {p}% done."),
    "ahead": ("{t}：进度快于计划，累计完成约{p}%。", "{t}: ahead of plan, about {p}% done."),
    "at_risk": ("{t}：存在资金和审批风险，累计完成约{p}%，需加强协调。",
                "{t}: funding and approval risks, about {p}% done; needs coordination."),
    "delayed": ("{t}：受前期手续和征地影响进度滞后，累计完成约{p}%。",
                "{t}: delayed by approvals and land acquisition, about {p}% done."),
    "completed": ("{t}：已建成投用。", "{t}: completed and in service."),
}
# Issues parties raise outside their reports: (party, item, (title_zh, title_en)).
RAISED = (("330400", "Z2.strategy.2", ("淀山湖跨界道路对接标高不一致", "Cross-border road levels at "
                                       "Dianshan Lake do not match")),
          ("320500", "Z1.strategy.1", ("环太湖岸线生态修复标准需统一", "Taihu shoreline restoration "
                                       "standards need aligning")))
# Milestones of a dozen actions and strategies: names, due periods from 2025-12 to 2027; most
# are reported done around their due period, OVERDUE of them never (the office's list).
MILESTONED = 12
MILESTONE_NAMES = (("完成前期研究", "Preliminary study completed"),
                   ("取得立项批复", "Project approval obtained"),
                   ("签订跨界合作协议", "Cross-border agreement signed"),
                   ("开工建设", "Construction started"),
                   ("完成阶段性评估", "Interim evaluation completed"),
                   ("主体工程完工", "Main works completed"))
DUES = periods_between("2025-12", "2027-12")
OVERDUE = 2
DECIDE = {1: (("close", 0.55), ("keep", 0.33), ("escalate", 0.12)),
          2: (("close", 0.6), ("keep", 0.25), ("escalate", 0.15)),
          3: (("close", 0.7), ("keep", 0.3))}


def synthetic_events(template: dict, library_rows: list[dict], *, months: int = 12,
                     last_period: str = "2026-11", seed: int = 16) -> list[Event]:
    """The synthetic implementation log of the 1+8+5 and its project library (see module)."""
    return _Simulation(template, library_rows, months, last_period, seed).run()


def build_implement(out: Path, template_path: Path, library_from: Path,
                    projects: list[Path]) -> list[Event]:
    """Write `out`/events.jsonl and each of `projects`' local mirror; the library rows come
    from the project file `library_from`."""
    import json
    import time

    from app.implement.events import write_jsonl
    from app.implement.items import library_rows
    from app.implement.outbox import mirror
    from app.project.project import Project

    started = time.monotonic()
    template = json.loads(template_path.read_text(encoding="utf-8"))
    with Project.open(library_from, author="coplan-sample") as project:
        rows = library_rows(project)
    events = synthetic_events(template, rows)
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "events.jsonl", events)
    for path in projects:
        with Project.open(path, author="coplan-sample") as project:
            mirror(project, events)
    log.info("sample implementation: %d events (%s) into %d projects (%.1f s)", len(events),
             ", ".join(f"{n} {kind}" for kind, n in summary(events).items()), len(projects),
             time.monotonic() - started)
    return events


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _beijing(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=BEIJING)


def _weekday(d: date) -> date:
    """`d`, or the Monday after it when it falls on a weekend (meetings are on work days)."""
    return d + timedelta(days=max(0, 7 - d.weekday())) if d.weekday() >= 5 else d


def _month_day(period: str, day: int) -> date:
    return date(int(period[:4]), int(period[5:]), day)


class _Simulation:
    """Drives the office and the parties through the periods, in time order."""

    def __init__(self, template: dict, rows: list[dict], months: int, last: str, seed: int):
        self.rng = random.Random(seed)
        self.names = {p["code"]: (p["name_zh"], p["name_en"]) for p in template["parties"]}
        self.content = items_from_content(template)
        self.library = items_from_library(rows, template)
        self.status = {f"XM:{r['XMBH']}": r.get("JSZT") for r in rows if r.get("XMBH")}
        first = period_index(last) - months + 1
        self.periods = periods_between(f"{first // 12:04d}-{first % 12 + 1:02d}", last)
        self.end = _beijing(_month_day(next_period(last), CUTOFF_DAY), 18)
        self.state = ImplementState()
        self.events: list[Event] = []
        self.queue: list[tuple[datetime, int, Callable[[datetime], None]]] = []
        self.seq, self.last = 0, datetime(1900, 1, 1, tzinfo=UTC)
        self.leaves = [i for i in [*self.content, *self.library] if i.kind in LEAVES]
        self.pace = {i.id: self._pace(i) for i in self.leaves}
        actions = [i.id for i in self.content if i.kind in LEAVES]
        for item_id in self.rng.sample(actions, STALLED):  # well behind: on the office's list
            self.pace[item_id] = ("stalled", 0.6)
        self.memos = {level: 0 for level in LEVELS}
        self.done_at = self._milestones(random.Random(seed * 7919 + 1))

    def _milestones(self, rng: random.Random) -> dict[tuple[str, str], str]:
        """Give MILESTONED actions/strategies 2–4 milestones (a separate random stream: the
        rest of the log does not shift); {(item, milestone): the period a report marks it}."""
        picked = set(rng.sample([i.id for i in self.content if i.kind in LEAVES], MILESTONED))
        done_at: dict[tuple[str, str], str] = {}
        for n, item in enumerate(self.content):
            if item.id not in picked:
                continue
            # 4–9 months apart, the last in 2027: each is an equal share of the plan (rollup).
            last, gap, count = rng.randrange(13, len(DUES)), rng.randint(4, 9), rng.randint(2, 4)
            dues = [DUES[k] for k in range(last, -1, -gap)][:count][::-1]
            names = sorted(rng.sample(MILESTONE_NAMES, len(dues)), key=MILESTONE_NAMES.index)
            marks = tuple(Milestone(f"M{k}", zh + MARK_ZH, en + MARK_EN, due)
                          for k, (due, (zh, en)) in enumerate(zip(dues, names, strict=True), 1))
            self.content[n] = item = replace(item, milestones=marks)
            for m in marks:  # done a month early … a month late
                offset = rng.choice((-1, 0, 0, 1))
                if m.due >= self.periods[-2]:  # not late yet at the sample's today
                    offset = min(offset, 0)
                done_at[(item.id, m.id)] = _shift(m.due, offset)
        late = sorted(k for k, p in done_at.items() if p <= self.periods[-3])
        for key in rng.sample(late, min(OVERDUE, len(late))):  # never reported: overdue
            del done_at[key]
        self.leaves = [i for i in [*self.content, *self.library] if i.kind in LEAVES]
        return done_at

    # --- the clock and the log ---

    def at(self, when: datetime, action: Callable[[datetime], None]) -> None:
        """Schedule `action` at `when` (dropped when after the sample's today)."""
        if when <= self.end:
            self.seq += 1
            heapq.heappush(self.queue, (when, self.seq, action))

    def emit(self, actor: Actor, kind: str, data: dict, when: datetime) -> Event:
        """Make the event as the server would (checked against the state), and apply it."""
        when = max(when, self.last + timedelta(seconds=1))  # strictly increasing server times
        self.last = when
        event_id = str(uuid.uuid5(NS, f"event/{len(self.events) + 1}"))
        event = make_event(self.state, actor, event_id, kind, data, _iso(when),
                           when.astimezone(BEIJING).date())
        self.state.apply(event)
        self.events.append(event)
        return event

    def run(self) -> list[Event]:
        start = _beijing(_month_day(self.periods[0], 1), 9)
        self.at(start, self._register)
        missing = self._missing()
        for period in self.periods:
            for party in self._reporters():
                if (party, period) not in missing:
                    day = _month_day(next_period(period), self.rng.randint(3, 12))
                    self.at(_beijing(day, self.rng.randint(9, 17), self.rng.randrange(0, 60, 5)),
                            lambda t, party=party, period=period: self._report(t, party, period))
        for month in self.periods[1:] + [next_period(self.periods[-1])]:
            self._plan_meetings(month)
        for n, (party, item, title) in enumerate(RAISED):
            day = _weekday(_month_day(self.periods[(4 * n + 3) % len(self.periods)], 20))
            self.at(_beijing(day, 11), lambda t, p=party, i=item, x=title: self._raise(t, p, i, x))
        while self.queue:
            when, _, action = heapq.heappop(self.queue)
            action(when)
        return self.events

    # --- items and weights ---

    def _register(self, t: datetime) -> None:
        self.emit(OFFICE, "items", {"items": [item_to_json(i) for i in self.content]}, t)
        self.emit(OFFICE, "items", {"items": [item_to_json(i) for i in self.library]},
                  t + timedelta(minutes=20))
        self.emit(OFFICE, "weights", {"node": "S1", "method": "investment", "weights": {}},
                  t + timedelta(minutes=40))
        parts = [i.id for i in self.content if i.parent == PLAN]
        self.emit(OFFICE, "weights", {"node": PLAN, "method": "custom",
                                      "weights": dict(zip(parts, (0.6, 0.4), strict=False))},
                  t + timedelta(minutes=45))

    def _reporters(self) -> list[str]:
        """Parties reporting every month: each one leading or joining a tracked leaf."""
        return sorted({p for i in self.leaves for p in self._parties(i)})

    def _parties(self, item: Item) -> tuple[str, ...]:
        # A completed library project is reported by its lead only (it no longer needs the cities).
        return (item.lead,) if self.status.get(item.id) == "建成" else item.parties()

    def _missing(self) -> set[tuple[str, str]]:
        """One or two (party, period) whose report never comes."""
        middle = self.periods[2:-2] or self.periods
        parties = self._reporters()
        return {(self.rng.choice(parties), self.rng.choice(middle)) for _ in range(2)}

    # --- progress ---

    def _pace(self, item: Item) -> tuple[str, float]:
        roll, acc = self.rng.random(), 0.0
        for name, share, (lo, hi) in PACES:
            acc += share
            if roll < acc:
                return name, self.rng.uniform(lo, hi)
        return PACES[-1][0], PACES[-1][2][0]

    def progress(self, item: Item, period: str) -> tuple[float, float, str]:
        """(actual %, planned %, status) of `item` at the end of `period`: an S-curve run at
        the item's pace against the linear plan."""
        start, finish = (item.start_year or 2022) * 12, (item.finish_year or 2035) * 12 + 11
        x = min(1.0, max(0.0, (period_index(period) + 1 - start) / (finish + 1 - start)))
        planned = 100 * x
        if item.milestones:  # the plan follows the milestones: so does the progress
            planned = planned_percent(item, period) or 0.0
            x = planned / 100
        if self.status.get(item.id) == "建成":
            return 100.0, planned, "completed"
        kind, pace = self.pace[item.id]
        curve = 0.5 * x + 0.5 * x * x * (3 - 2 * x)
        # Items with milestones finish with their last milestone, which is due after the log.
        actual = min(100 * pace * curve, 99.0 if kind != "ahead" or item.milestones else 100.0)
        overdue = x >= 1.0 and self.status.get(item.id) == "在建"  # past planned completion
        if overdue:
            actual = min(85 + 0.8 * (period_index(period) - finish), 97.0)
        actual = round(actual, 1)
        if actual >= 100:
            return 100.0, planned, "completed"
        gap = planned - actual
        status = "delayed" if gap > 12 or overdue else "at_risk" if gap > 8 else (
            "ahead" if gap < -3 else "on_track")
        return actual, planned, status

    # --- reports and reviews ---

    def _report(self, t: datetime, party: str, period: str, again: bool = False) -> None:
        lines = [self._line(i, party, period, raise_issues=not again)
                 for i in self.leaves if party in self._parties(i)]
        report = str(uuid.uuid5(NS, f"report/{party}/{period}/{'again' if again else 'first'}"))
        name = self.names.get(party, (party, party))[0]
        written = _iso(t - timedelta(minutes=self.rng.randint(10, 240)))
        self.emit(Actor(f"{party}-sample", party, "editor"), "report",
                  {"report": report, "period": period, "written": written,
                   "author": f"{name}示例填报人{MARK_ZH}", "lines": lines}, t)
        review_day = t.astimezone(BEIJING).date() + timedelta(days=self.rng.randint(1, 3))
        self.at(_beijing(_weekday(review_day), self.rng.randint(9, 17)),
                lambda when: self._review(when, report, party, period, again))

    def _line(self, item: Item, party: str, period: str, raise_issues: bool) -> dict:
        actual, _, status = self.progress(item, period)
        zh, en = NARRATIVES[status]
        title_en = item.title_en or item.title_zh
        line = {"item": item.id, "percent": actual,
                "status": "on_track" if status == "ahead" else status,
                "narrative_zh": zh.format(t=item.title_zh, p=f"{actual:.0f}") + MARK_ZH,
                "narrative_en": en.format(t=title_en, p=f"{actual:.0f}") + MARK_EN}
        done = [m.id for m in item.milestones if party == item.lead
                and period >= self.done_at.get((item.id, m.id), "9999")
                and not self._done(item.id, m.id)]
        if done:
            line["milestones_done"] = done
        risky = status in ("at_risk", "delayed")
        if raise_issues and self.rng.random() < (0.12 if risky else 0.025):
            title_zh, title_en = self.rng.choice(ISSUES)
            line["issues"] = [{"title_zh": f"{item.title_zh}：{title_zh}{MARK_ZH}",
                               "title_en": f"{title_en}{MARK_EN}"}]
        return line

    def _done(self, item_id: str, mid: str) -> bool:
        return any(m.id == mid and m.done for m in self.state.items[item_id].milestones)

    def _review(self, t: datetime, report: str, party: str, period: str, again: bool) -> None:
        if not again and self.rng.random() < 0.06:
            zh, en = self.rng.choice(RETURN_NOTES)
            self.emit(OFFICE, "review", {"report": report, "decision": "return",
                                         "note": f"{zh}{MARK_ZH} / {en}{MARK_EN}"}, t)
            resubmit = t.astimezone(BEIJING).date() + timedelta(days=self.rng.randint(1, 3))
            self.at(_beijing(resubmit, self.rng.randint(9, 17), 30),
                    lambda when: self._report(when, party, period, again=True))
            return
        self.emit(OFFICE, "review", {"report": report, "decision": "accept", "note": ""}, t)

    # --- issues and meetings ---

    def _plan_meetings(self, month: str) -> None:
        self.at(_beijing(_weekday(_month_day(month, 13)), 10), self._escalate_overdue)
        self.at(_beijing(_weekday(_month_day(month, 15)), 14), lambda t: self._meeting(t, 1))
        self.at(_beijing(_weekday(_month_day(month, 25)), 14), lambda t: self._meeting(t, 2))
        if int(month[5:]) % 3 == 0:
            self.at(_beijing(_weekday(_month_day(month, 28)), 15), lambda t: self._meeting(t, 3))

    def _open(self, level: int | None = None) -> list:
        issues = [i for i in self.state.issues.values()
                  if i.state == "open" and (level is None or i.level == level)]
        return sorted(issues, key=lambda i: (i.due, i.id))

    def _raise(self, t: datetime, party: str, item_id: str, title: tuple[str, str]) -> None:
        """A party raises an issue outside its report: the item's lead owns it."""
        item = self.state.items[item_id]
        due = (t.astimezone(BEIJING).date() + timedelta(days=30)).isoformat()
        self.emit(Actor(f"{party}-sample", party, "editor"), "issue", {
            "issue": str(uuid.uuid5(NS, f"issue/{party}/{item_id}")),
            "title_zh": title[0] + MARK_ZH, "title_en": title[1] + MARK_EN, "owner": item.lead,
            "due": due, "level": 1, "item": item_id, "source": {"kind": "manual", "ref": ""}}, t)

    def _escalate_overdue(self, t: datetime) -> None:
        """The office escalates a few overdue issues before the month's meetings."""
        today = t.astimezone(BEIJING).date().isoformat()
        overdue = [i for i in self._open() if i.due < today and i.level < 3]
        for n, issue in enumerate(overdue[:3]):
            self.emit(OFFICE, "escalate", {"issue": issue.id, "reason": "overdue"},
                      t + timedelta(minutes=5 * n))

    def _meeting(self, t: datetime, level: int) -> None:
        agenda = self._open(level)[:40]
        day = t.astimezone(BEIJING).date()
        self.memos[level] += 1
        meeting = str(uuid.uuid5(NS, f"meeting/{level}/{day.isoformat()}"))
        attendees = sorted({"office", *(i.owner for i in agenda), *self._attending(level)})
        name_zh, name_en = LEVELS[level]
        self.emit(OFFICE, "meeting", {
            "meeting": meeting, "level": level, "date": day.isoformat(),
            "title_zh": f"{day.year}年{day.month}月{name_zh}{MARK_ZH}",
            "title_en": f"{name_en.capitalize()}, {day:%B %Y}{MARK_EN}",
            "attendees": attendees, "agenda": [i.id for i in agenda]}, t)
        decisions = [self._decide(i, level, day) for i in agenda]
        counts = {a: sum(d["action"] == a for d in decisions) for a in ("close", "keep", "escalate")}
        self.emit(OFFICE, "memo", {
            "meeting": meeting, "number": f"纪要〔{day.year}〕{level}-{self.memos[level]:02d}号",
            "text_zh": (f"{name_zh}纪要{MARK_ZH}：审议事项{len(agenda)}项，销项{counts['close']}项，"
                        f"保留{counts['keep']}项，提级{counts['escalate']}项。"),
            "text_en": (f"Memo of the {name_en}{MARK_EN}: {len(agenda)} issues, "
                        f"{counts['close']} closed, {counts['keep']} kept, "
                        f"{counts['escalate']} escalated."),
            "decisions": decisions}, t + timedelta(hours=2))

    def _attending(self, level: int) -> list[str]:
        departments = [c for c in self.names if "-" in c]
        cities = [c for c in self.names if c.isdigit()]
        return [] if level == 1 else departments if level == 2 else [*departments, *cities]

    def _decide(self, issue, level: int, day: date) -> dict:
        actions, weights = zip(*DECIDE[level], strict=True)
        action = self.rng.choices(actions, weights)[0]
        notes = {"close": "问题已解决，予以销项", "keep": "继续跟踪推进",
                 "escalate": "需提请上一级会议协调"}
        due = None
        if action in ("keep", "escalate") and self.rng.random() < 0.6:
            due = (day + timedelta(days=30 * level)).isoformat()
        return {"issue": issue.id, "action": action, "note": notes[action] + MARK_ZH, "due": due}


def _shift(period: str, months: int) -> str:
    x = period_index(period) + months
    return f"{x // 12:04d}-{x % 12 + 1:02d}"


def summary(events: list[Event]) -> dict:
    """Counts of the log by kind (for the build's log line and the README)."""
    out: dict[str, int] = {}
    for e in events:
        out[e.kind] = out.get(e.kind, 0) + 1
    return out
