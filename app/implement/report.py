"""The monthly implementation progress report (月度实施进展报告) as PDF, metro-wide or for one
party: the cover line, summary figures, progress by system action and spatial section (actual
beside planned), the plan's 12-month trend, the items behind plan, who reported on time, the
open issues by level and the meetings held in the month with their memo numbers.

Every figure comes from the roll-up (app.implement.rollup) of the folded event log, so the
report any copy prints for a period is the one the office prints. No uuid is printed: items
are named by their title and code (XMBH for a library project), issues by a short number in
the order they were opened (#12), meetings by their memo number.
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Image, KeepTogether, Spacer, Table

from app.implement import charts as C
from app.implement.model import LEVELS, PLAN, STATUSES, Issue, Item, Meeting
from app.reports.plain import A4Story, a4_table, build_a4
from app.review.charts import png_bytes

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
SYNTHETIC_MARKS = ("合成示例", "synthetic")  # the sample generator's narratives say so
BEHIND_ROWS = 60  # items behind plan listed in the PDF; the workbook lists them all
TREND_MONTHS = 12
STATUS_EN = {"not_started": "not started", "on_track": "on track", "at_risk": "at risk",
             "delayed": "delayed", "completed": "completed", "suspended": "suspended"}
REPORTING = {"on_time": ("按时", "on time"), "late": ("逾期", "late"), "missing": ("未报", "missing"),
             "not_due": ("未到期", "not yet due"), "returned": ("已退回", "returned"),
             "pending": ("待审核", "awaiting review")}
TEXT = {
    "zh": {"title": "{plan}月度实施进展报告", "period": "报告期：{y}年{m}月",
           "metro": "都市圈全域", "issued": "印发日期：{d}（北京时间）",
           "synthetic": "合成示例数据，仅供演示，不代表实际实施情况",
           "summary": "一、总体情况", "sections": "二、分系统行动、分空间板块进展（%）",
           "trend": "三、规划总体进展月度走势（加权汇总，%）",
           "trend_party": "三、本单位事项平均进展月度走势（%）", "behind": "四、滞后事项",
           "reporting": "五、上报情况",
           "issues": "六、待销项问题", "meetings": "七、本月会议",
           "tracked": "跟踪事项", "actual": "实际完成", "planned": "计划应完成",
           "gap": "差距（百分点）", "on_time": "按时上报", "late": "逾期上报", "missing": "未上报",
           "intro": "本期跟踪事项 {n} 项，{scope}实际完成 {a}，计划应完成 {p}；应报单位 {e} 家，"
                    "按时上报 {on} 家、逾期 {late} 家、未报 {miss} 家{rest}。",
           "rest": "，{state} {n} 家", "other": "其他",
           "scope_plan": "规划总体（加权汇总）", "scope_party": "本单位事项平均",
           "no": "序号", "code": "编号", "item": "事项", "lead": "牵头单位", "status": "状态",
           "last": "最近上报", "party": "单位", "state": "上报情况", "submitted": "提交时间",
           "issue": "问题", "owner": "责任单位", "due": "期限", "level": "层级",
           "overdue": "已逾期", "date": "日期", "meeting": "会议", "memo": "纪要编号",
           "attendees": "参会单位", "agenda": "议题数", "no_memo": "纪要待录入",
           "none": "无。", "cut": "仅列出差距最大的 {n} 项，共 {total} 项；完整清单见 Excel 表。",
           "behind_note": "实际完成低于计划应完成 {t} 个百分点以上的事项。",
           "page": "第 {n} 页", "sep": "、"},
    "en": {"title": "{plan}: monthly implementation progress report", "period": "Period: {y}-{m}",
           "metro": "Whole metropolitan area", "issued": "Issued {d} (Beijing time)",
           "synthetic": "Synthetic sample data for demonstration, not actual implementation",
           "summary": "1. Overview", "sections": "2. By system action and spatial section (%)",
           "trend": "3. Progress of the plan by month (weighted, %)",
           "trend_party": "3. The party's items by month (average, %)",
           "behind": "4. Items behind plan", "reporting": "5. Reporting",
           "issues": "6. Open issues", "meetings": "7. Meetings this month",
           "tracked": "Items tracked", "actual": "Actual", "planned": "Planned",
           "gap": "Gap (points)", "on_time": "On time", "late": "Late", "missing": "Missing",
           "intro": "{n} items tracked this period; {scope} {a} complete against {p} planned; "
                    "parties due to report: {e}; on time: {on}, late: {late}, missing: {miss}{rest}.",
           "rest": ", {state}: {n}", "other": "Other",
           "scope_plan": "the plan as a whole (weighted) is", "scope_party":
           "the party's items are on average",
           "no": "No.", "code": "Code", "item": "Item", "lead": "Lead", "status": "Status",
           "last": "Last report", "party": "Party", "state": "Reporting", "submitted": "Submitted",
           "issue": "Issue", "owner": "Owner", "due": "Due", "level": "Level",
           "overdue": "overdue", "date": "Date", "meeting": "Meeting", "memo": "Memo No.",
           "attendees": "Attendees", "agenda": "Agenda", "no_memo": "memo pending",
           "none": "None.", "cut": "The {n} items furthest behind of {total}; the workbook "
                                   "lists all.",
           "behind_note": "Items whose actual progress is more than {t} points below plan.",
           "page": "Page {n}", "sep": ", "},
}
OTHER_STATES = ("not_due", "pending", "returned")  # neither on time, late nor missing (yet)
BEHIND_THRESHOLD = 15.0  # percentage points, rollup.behind's default


@dataclass(frozen=True)
class Names:
    """What a report names that the event log does not carry: the parties' names (code →
    (name_zh, name_en)), the plan's title, and whether the data is a synthetic sample (None:
    decided from the data, whose sample narratives say 合成示例)."""

    parties: dict[str, tuple[str, str]] = field(default_factory=dict)
    plan_zh: str = ""
    plan_en: str = ""
    synthetic: bool | None = None

    @classmethod
    def from_template(cls, template: dict, *, synthetic: bool | None = None) -> Names:
        """The names of a content template (schemas/content/*.json)."""
        parties = {p["code"]: (p.get("name_zh", p["code"]), p.get("name_en", ""))
                   for p in template.get("parties", [])}
        return cls(parties, template.get("title_zh", ""), template.get("title_en", ""),
                   synthetic)

    def party(self, code: str, lang: str) -> str:
        zh, en = self.parties.get(code, (code, code))
        return (en or zh) if lang == "en" else zh

    def plan(self, lang: str) -> str:
        return (self.plan_en or self.plan_zh) if lang == "en" else (self.plan_zh or self.plan_en)


def as_names(names: Names | dict | None) -> Names:
    """A Names from a Names, a content template, or a dict of party code → name (a string, a
    (zh, en) pair or a {"name_zh", "name_en"} dict)."""
    if isinstance(names, Names):
        return names
    if not names:
        return Names()
    if "parties" in names:
        return Names.from_template(names)
    parties = {}
    for code, value in names.items():
        if isinstance(value, dict):
            parties[code] = (value.get("name_zh", code), value.get("name_en", ""))
        elif isinstance(value, (tuple, list)):
            parties[code] = (value[0], value[1] if len(value) > 1 else "")
        else:
            parties[code] = (str(value), str(value))
    return Names(parties)


def is_synthetic(state, names: Names) -> bool:
    """Whether to mark the output as a synthetic sample."""
    if names.synthetic is not None:
        return names.synthetic
    texts = [*(line.narrative_zh + line.narrative_en for r in state.reports.values()
               for line in r.lines),
             *(m.memo.text_zh + m.memo.text_en for m in state.meetings.values() if m.memo)]
    return any(mark in text.lower() for text in texts for mark in SYNTHETIC_MARKS)


# --- how things are named -------------------------------------------------------------------

def item_code(item: Item) -> str:
    """An item's printable code: XMBH for a library project, the content id otherwise, ''
    when its id is a uuid (a conflict)."""
    if item.source.get("XMBH"):
        return str(item.source["XMBH"])
    return "" if UUID.search(item.id) else item.id


def title(obj, lang: str) -> str:
    """The title of an item, issue or meeting in `lang` (the Chinese one when there is no
    English)."""
    zh, en = obj.title_zh, obj.title_en
    return (en or zh) if lang == "en" else (zh or en)


def issue_numbers(state) -> dict[str, int]:
    """Short issue numbers (#1, #2 …) in the order the issues were opened: every copy folding
    the same log numbers them alike."""
    def opened(issue: Issue) -> tuple[str, str]:
        return (issue.history[0].at if issue.history else "", issue.id)
    return {issue.id: n for n, issue in enumerate(sorted(state.issues.values(), key=opened), 1)}


def status_label(status: str, lang: str) -> str:
    return STATUS_EN.get(status, status) if lang == "en" else STATUSES.get(status, status)


def reporting_label(state: str, lang: str) -> str:
    zh, en = REPORTING.get(state, (state, state))
    return en if lang == "en" else zh


LEVEL_SHORT_EN = {1: "daily meeting", 2: "issue-closing meeting", 3: "leadership meeting"}


def level_label(level: int, lang: str, short: bool = False) -> str:
    """"2级 部门销项会" / "L2 monthly departmental issue-closing meeting" (`short`: the
    English name shortened to fit a table column)."""
    zh, en = LEVELS.get(level, (str(level), str(level)))
    if lang == "en":
        return f"L{level} {LEVEL_SHORT_EN.get(level, en) if short else en}"
    return f"{level}级 {zh}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


# --- what the report shows ------------------------------------------------------------------

@dataclass
class Progress:
    """The figures of one period's report (metro-wide, or one party's)."""

    period: str
    party: str | None
    nodes: dict  # item id -> rollup.NodeProgress at the period
    leaves: list[Item]  # the tracked items: no children below them
    actual: float
    planned: float | None
    systems: list  # (Item, actual, planned)
    zones: list
    trend: list[C.TrendPoint]
    behind: list  # (Item, actual, planned), furthest behind first
    reporting: list  # rollup.ReportingStatus
    issues: list[Issue]  # open, by level then due date
    meetings: list[Meeting]  # held in the period
    numbers: dict[str, int]  # issue id -> short number


def _natural(item_id: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", item_id)]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _leaves(state, party: str | None) -> list[Item]:
    pool = state.items_of(party) if party else list(state.items.values())
    parents = {i.parent for i in state.items.values() if i.parent}
    return sorted((i for i in pool if i.id not in parents and i.id != PLAN),
                  key=lambda i: _natural(i.id))


def _overall(nodes: dict, leaves: list[Item], party: str | None) -> tuple[float, float | None]:
    """The plan's weighted roll-up metro-wide; the plain mean of the party's items otherwise
    (a party's items are scattered over the tree: no one parent weighs them)."""
    if party is None and PLAN in nodes:
        return nodes[PLAN].percent, nodes[PLAN].planned
    shown = [nodes[i.id] for i in leaves if i.id in nodes]
    return (_mean([n.percent for n in shown]) or 0.0,
            _mean([n.planned for n in shown if n.planned is not None]))


def _under(state, node: str) -> set[str]:
    """The ids of every item below `node`."""
    below, todo = set(), [node]
    while todo:
        for child in state.children(todo.pop()):
            below.add(child.id)
            todo.append(child.id)
    return below


def _sections(state, nodes: dict, leaves: list[Item], party: str | None, kind: str) -> list:
    out = []
    for item in sorted((i for i in state.items.values() if i.kind == kind),
                       key=lambda i: _natural(i.id)):
        if party is None:
            node = nodes.get(item.id)
            if node is not None:
                out.append((item, node.percent, node.planned))
            continue
        below = _under(state, item.id) | {item.id}
        mine = [i for i in leaves if i.id in below]
        if mine:
            actual, planned = _overall(nodes, mine, party)
            out.append((item, actual, planned))
    return out


def _trend(state, period: str, leaves: list[Item], party: str | None) -> list[C.TrendPoint]:
    from app.implement.periods import period_index, periods_between
    from app.implement.rollup import rollup

    months = periods_between(_shift(period, -(TREND_MONTHS - 1), period_index), period)
    # Months before anything was reported would plot a zero that says nothing about progress.
    first = min((r.period for r in state.reports.values() if r.state == "accepted"),
                default=period)
    months = [m for m in months if m >= first] or [period]
    points = []
    for month in months:
        actual, planned = _overall(rollup(state, as_of=month), leaves, party)
        points.append(C.TrendPoint(month, actual, planned))
    return points


def _shift(period: str, months: int, period_index) -> str:
    i = period_index(period) + months
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def collect(state, period: str, party: str | None = None,
            today: date | None = None) -> Progress:
    """Everything a progress report of `period` shows (for `party`, or metro-wide)."""
    from app.implement.periods import check_period, today_beijing
    from app.implement.rollup import behind, reporting, rollup

    check_period(period)
    today = today or today_beijing()
    nodes = rollup(state, as_of=period)
    leaves = _leaves(state, party)
    mine = {i.id for i in leaves}
    actual, planned = _overall(nodes, leaves, party)
    # Tracked items only: a section behind plan is behind because items under it are.
    late = sorted(((state.items[i], a, p) for i, a, p in behind(state, period, BEHIND_THRESHOLD)
                   if i in mine),
                  key=lambda row: (row[1] - row[2], _natural(row[0].id)))
    issues = sorted((i for i in state.issues.values() if i.state == "open"
                     and (party is None or i.owner == party)),
                    key=lambda i: (-i.level, i.due, i.id))
    meetings = sorted((m for m in state.meetings.values() if m.date.startswith(period)
                       and (party is None or party in m.attendees)),
                      key=lambda m: (m.date, m.level, m.id))
    return Progress(period, party, nodes, leaves, actual, planned,
                    _sections(state, nodes, leaves, party, "system"),
                    _sections(state, nodes, leaves, party, "zone"),
                    _trend(state, period, leaves, party), late,
                    [r for r in reporting(state, period, today) if party is None or r.party == party],
                    issues, meetings, issue_numbers(state))


def counts(progress: Progress) -> dict[str, int]:
    """Reports by state (on_time, late, missing …) and `expected`: the parties due to report."""
    out = {key: 0 for key in REPORTING}
    for r in progress.reporting:
        out[r.state] = out.get(r.state, 0) + 1
    out["expected"] = len(progress.reporting)
    return out


# --- the PDF --------------------------------------------------------------------------------

def story_of(lang: str) -> A4Story:
    """The paragraph factory of a progress report or memo in `lang`."""
    return A4Story(lang, TEXT[lang], title_size=18, subtitle_after=0)


def table(rows: list[list], widths: list[float], lang: str = "zh", header_rows: int = 1) -> Table:
    """A working-document table (app.reports.plain.a4_table)."""
    return a4_table(rows, widths, lang, header_rows)


def pdf_bytes(doc_title: str, page_label: str, story: list, lang: str = "zh") -> bytes:
    """The story built by build_a4 (a file it must have) and read back."""
    kept: list = []
    for flowable in story:  # a heading never sits alone at a page's foot
        if getattr(getattr(flowable, "style", None), "name", "") == "h2":
            kept.append(CondPageBreak(40 * mm))
        kept.append(flowable)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.pdf"
        build_a4(path, doc_title, page_label, kept, lang)
        return path.read_bytes()


def cover(s: A4Story, doc_title: str, lines: list[str], synthetic: bool) -> list:
    out = [s.p(doc_title, "title"), *(s.p(line, "subtitle") for line in lines)]
    if synthetic:
        out.append(s.p(s.t["synthetic"], "warn"))
    return [*out, Spacer(1, 4 * mm)]


def progress_pdf(state, period: str, *, party: str | None = None, lang: str = "zh",
                 names: Names | dict | None = None, today: date | None = None) -> bytes:
    """The monthly progress report of `period` (metro-wide, or `party`'s) as PDF bytes;
    `today` (Beijing) decides late/missing reports and is the issue date."""
    from app.implement.periods import today_beijing

    today = today or today_beijing()
    names, s = as_names(names), story_of(lang)
    data = collect(state, period, party, today)
    t = s.t
    doc_title = t["title"].format(plan=names.plan(lang))
    who = names.party(party, lang) if party else t["metro"]
    story = cover(s, doc_title, [t["period"].format(y=period[:4], m=period[5:]), who,
                                 t["issued"].format(d=today.isoformat())],
                  is_synthetic(state, names))
    story += _summary(data, s)
    # A chart is kept with its heading: alone at a page's foot the heading would name nothing.
    story.append(KeepTogether([s.p(t["sections"], "h2"), _chart(C.sections_figure(
        _bars(data.systems, lang), _bars(data.zones, lang), lang), 174)]))
    trend = t["trend_party" if party else "trend"]
    story.append(KeepTogether([s.p(trend, "h2"), _chart(C.trend_figure(data.trend, lang), 174)]))
    story += _behind(data, names, s)
    story += _reporting(data, names, s)
    story += _issues(state, data, names, s, today)
    story += _meetings(data, names, s)
    from app.implement.milestone_report import pdf_section
    story += pdf_section(state, period, {i.id for i in data.leaves} if party else None, names, s)
    return pdf_bytes(f"{doc_title} {period}", t["page"], story, lang)


def _bars(rows: list, lang: str) -> list[C.Bar]:
    return [C.Bar(C.short(f"{item.id} {title(item, lang)}", lang), actual, planned)
            for item, actual, planned in rows]


def _chart(fig, width_mm: float) -> Image:
    w, h = fig.get_size_inches()
    return Image(io.BytesIO(png_bytes(fig, dpi=150)), width=width_mm * mm,
                 height=width_mm * mm * h / w)


def summary_sentence(data: Progress, lang: str) -> str:
    """The overview's sentence (its figures are the ones tests recompute)."""
    t, c = TEXT[lang], counts(data)
    rest = "".join(t["rest"].format(state=reporting_label(key, lang), n=c[key])
                   for key in OTHER_STATES if c[key])
    return t["intro"].format(n=len(data.leaves), scope=t["scope_party" if data.party else
                                                        "scope_plan"],
                             a=pct(data.actual), p=pct(data.planned), e=c["expected"],
                             on=c["on_time"], late=c["late"], miss=c["missing"], rest=rest)


def _summary(data: Progress, s: A4Story) -> list:
    t, c = s.t, counts(data)
    gap = None if data.planned is None else data.actual - data.planned
    keys = ["tracked", "actual", "planned", "gap", "on_time", "late", "missing", "other"]
    values = [len(data.leaves), pct(data.actual), pct(data.planned),
              "—" if gap is None else f"{gap:+.1f}", c["on_time"], c["late"], c["missing"],
              sum(c[key] for key in OTHER_STATES)]
    cards = table([s.head(keys), [s.p(v, "big") for v in values]], [174 * mm / 8] * 8,
                  s.lang)
    return [s.p(t["summary"], "h2"), s.p(summary_sentence(data, s.lang)), Spacer(1, 2 * mm),
            cards]


def _behind(data: Progress, names: Names, s: A4Story) -> list:
    t = s.t
    out = [s.p(t["behind"], "h2"), s.p(t["behind_note"].format(t=f"{BEHIND_THRESHOLD:.0f}"),
                                      "note")]
    if not data.behind:
        return [*out, s.p(t["none"])]
    rows = [s.head(["no", "code", "item", "lead", "actual", "planned", "status"])]
    for n, (item, actual, planned) in enumerate(data.behind[:BEHIND_ROWS], 1):
        node = data.nodes.get(item.id)
        rows.append([n, s.p(item_code(item), "small"), s.p(title(item, s.lang), "small"),
                     s.p(names.party(item.lead, s.lang), "small"), pct(actual), pct(planned),
                     s.p(status_label(node.status if node else "not_started", s.lang), "small")])
    out.append(table(rows, [9 * mm, 24 * mm, 58 * mm, 33 * mm, 15 * mm, 15 * mm, 20 * mm], s.lang))
    if len(data.behind) > BEHIND_ROWS:
        out.append(s.p(t["cut"].format(n=BEHIND_ROWS, total=len(data.behind)), "note"))
    return out


def _reporting(data: Progress, names: Names, s: A4Story) -> list:
    from app.review.times import beijing

    out = [s.p(s.t["reporting"], "h2")]
    if not data.reporting:
        return [*out, s.p(s.t["none"])]
    rows = [s.head(["no", "party", "state", "submitted"])]
    for n, r in enumerate(sorted(data.reporting, key=lambda r: _natural(r.party)), 1):
        rows.append([n, s.p(names.party(r.party, s.lang), "small"),
                     s.p(reporting_label(r.state, s.lang), "small"),
                     s.p(beijing(r.submitted, s.lang) if r.submitted else "—", "small")])
    return [*out, table(rows, [9 * mm, 75 * mm, 35 * mm, 55 * mm], s.lang)]


def _issues(state, data: Progress, names: Names, s: A4Story, today: date) -> list:
    out = [s.p(s.t["issues"], "h2")]
    if not data.issues:
        return [*out, s.p(s.t["none"])]
    rows = [s.head(["no", "level", "issue", "owner", "due", "item"])]
    for issue in data.issues:
        due = issue.due + (f"（{s.t['overdue']}）" if s.lang == "zh" else f" ({s.t['overdue']})") \
            if issue.due < today.isoformat() else issue.due
        item = state.items.get(issue.item) if issue.item else None
        rows.append([f"#{data.numbers[issue.id]}", s.p(level_label(issue.level, s.lang, True), "small"),
                     s.p(title(issue, s.lang), "small"),
                     s.p(names.party(issue.owner, s.lang), "small"), s.p(due, "small"),
                     s.p(item_code(item) or title(item, s.lang) if item else "—", "small")])
    return [*out, table(rows, [11 * mm, 30 * mm, 60 * mm, 30 * mm, 22 * mm, 21 * mm], s.lang)]


def _meetings(data: Progress, names: Names, s: A4Story) -> list:
    out = [s.p(s.t["meetings"], "h2")]
    if not data.meetings:
        return [*out, s.p(s.t["none"])]
    rows = [s.head(["date", "level", "meeting", "memo", "attendees", "agenda"])]
    for m in data.meetings:
        who = s.t["sep"].join(names.party(p, s.lang) for p in m.attendees)
        rows.append([m.date, s.p(level_label(m.level, s.lang, True), "small"), s.p(title(m, s.lang),
                     "small"), s.p(m.memo.number if m.memo else s.t["no_memo"], "small"),
                     s.p(who, "small"), len(m.agenda)])
    return [*out, table(rows, [19 * mm, 26 * mm, 39 * mm, 35 * mm, 45 * mm, 10 * mm], s.lang)]
