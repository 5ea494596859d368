"""The memo of a meeting (会议纪要) as PDF: its number, the meeting's level and date, the
attending parties, the issues on the agenda, the decision on each (closed, escalated to level
N, kept with a new due date) and the memo's text. A meeting without a memo yet prints as its
agenda, marked so. Issues are shown by their short number (#12) and title, never a uuid.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.errors import NotFound
from app.implement.model import Decision, Issue, Meeting
from app.implement.report import (
    Names,
    as_names,
    cover,
    is_synthetic,
    issue_numbers,
    level_label,
    pdf_bytes,
    story_of,
    table,
    title,
)
from app.reports.plain import A4Story

TEXT = {
    "zh": {"title": "会议纪要", "draft": "会议议程（纪要待录入）", "number": "纪要编号：{n}",
           "meeting": "会议：{t}", "level": "会议层级：{l}", "date": "会议日期：{d}",
           "attendees": "一、参会单位", "agenda": "二、议题", "decisions": "三、议定事项",
           "text": "四、纪要正文", "no": "编号", "issue": "问题", "owner": "责任单位",
           "due": "期限", "level_col": "层级", "decision": "议定", "note": "说明",
           "close": "销项（关闭）", "escalate": "升级至{n}级（{name}）",
           "keep": "保留，期限调整为 {d}", "keep_same": "保留，期限不变",
           "none": "无。", "undecided": "未作决定", "sep": "、", "page": "第 {n} 页"},
    "en": {"title": "Meeting memo", "draft": "Meeting agenda (memo pending)",
           "number": "Memo No. {n}", "meeting": "Meeting: {t}", "level": "Level: {l}",
           "date": "Date: {d}", "attendees": "1. Attending parties", "agenda": "2. Agenda",
           "decisions": "3. Decisions", "text": "4. Memo", "no": "No.", "issue": "Issue",
           "owner": "Owner", "due": "Due", "level_col": "Level", "decision": "Decision",
           "note": "Note", "close": "closed", "escalate": "escalated to level {n} ({name})",
           "keep": "kept, new due date {d}", "keep_same": "kept, due date unchanged",
           "none": "None.", "undecided": "no decision", "sep": ", ", "page": "Page {n}"},
}


def decision_text(d: Decision, level: int, lang: str) -> str:
    """What a decision did to an issue that stood at `level` at the meeting."""
    from app.implement.model import LEVELS

    t = TEXT[lang]
    if d.action == "close":
        return t["close"]
    if d.action == "escalate":
        up = min(level + 1, 3)
        return t["escalate"].format(n=up, name=LEVELS[up][1 if lang == "en" else 0])
    return t["keep"].format(d=d.due) if d.due else t["keep_same"]


def _level_at(issue: Issue, meeting: Meeting) -> int:
    """The issue's level when the meeting took it up: its level before the memo's step."""
    for step in issue.history:
        if step.meeting == meeting.id:
            return step.level - 1 if step.action == "escalated" else step.level
    return issue.level


def memo_pdf(state, meeting_id: str, *, lang: str = "zh",
             names: Names | dict | None = None) -> bytes:
    """The memo of meeting `meeting_id` as PDF bytes; NotFound for an unknown meeting."""
    meeting = state.meetings.get(meeting_id)
    if meeting is None:
        raise NotFound(f"no such meeting: {meeting_id}")
    names, s, t = as_names(names), story_of(lang), TEXT[lang]
    memo, numbers = meeting.memo, issue_numbers(state)
    doc_title = t["title"] if memo else t["draft"]
    lines = [t["meeting"].format(t=title(meeting, lang))]
    if memo:
        lines.insert(0, t["number"].format(n=memo.number))
    lines += [t["level"].format(l=level_label(meeting.level, lang)),
              t["date"].format(d=meeting.date)]
    story = cover(s, f"{names.plan(lang)} {doc_title}".strip(), lines,
                  is_synthetic(state, names))
    who = t["sep"].join(names.party(p, lang) for p in meeting.attendees)
    story += [s.p(t["attendees"], "h2"), s.p(who or t["none"])]
    story += _agenda(state, meeting, numbers, names, s, t)
    if memo:
        story += _decisions(state, meeting, numbers, names, s, t)
        text = (memo.text_en or memo.text_zh) if lang == "en" else (memo.text_zh or memo.text_en)
        story += [s.p(t["text"], "h2"),
                  *(s.p(part) for part in text.splitlines() if part.strip()),
                  Spacer(1, 2 * mm)]
    label = f"{t['number'].format(n=memo.number)}" if memo else doc_title
    return pdf_bytes(label, t["page"], story, lang)


def _agenda(state, meeting: Meeting, numbers: dict, names: Names, s: A4Story, t: dict) -> list:
    out = [s.p(t["agenda"], "h2")]
    if not meeting.agenda:
        return [*out, s.p(t["none"])]
    # Once decided, an issue's due date may be the memo's new one: the agenda shows the due
    # date only before the memo (the decisions give the new ones).
    keys = ("no", "issue", "owner", "level_col") if meeting.memo else \
        ("no", "issue", "owner", "due", "level_col")
    rows: list[list] = [[s.p(t[k], "head") for k in keys]]
    for issue_id in meeting.agenda:
        issue = state.issues.get(issue_id)
        if issue is None:  # a log that lost an issue still prints the rest
            continue
        due = [] if meeting.memo else [issue.due]
        rows.append([f"#{numbers[issue.id]}", s.p(title(issue, s.lang), "small"),
                     s.p(names.party(issue.owner, s.lang), "small"), *due,
                     s.p(level_label(_level_at(issue, meeting), s.lang, True), "small")])
    widths = [12 * mm, 80 * mm, 44 * mm, 38 * mm] if meeting.memo else \
        [12 * mm, 74 * mm, 38 * mm, 20 * mm, 30 * mm]
    return [*out, table(rows, widths, s.lang)]


def _decisions(state, meeting: Meeting, numbers: dict, names: Names, s: A4Story, t: dict) -> list:
    out = [s.p(t["decisions"], "h2")]
    assert meeting.memo is not None  # called only for a meeting with a memo
    decided = {d.issue: d for d in meeting.memo.decisions}
    rows: list[list] = [[s.p(t[k], "head") for k in ("no", "issue", "decision", "note")]]
    order = [*meeting.agenda, *(i for i in decided if i not in meeting.agenda)]
    for issue_id in order:
        issue = state.issues.get(issue_id)
        if issue is None:
            continue
        d = decided.get(issue_id)
        what = decision_text(d, _level_at(issue, meeting), s.lang) if d else t["undecided"]
        rows.append([f"#{numbers[issue.id]}", s.p(title(issue, s.lang), "small"),
                     s.p(what, "small"), s.p(d.note if d else "", "small")])
    if len(rows) == 1:
        return [*out, s.p(t["none"])]
    return [*out, table(rows, [12 * mm, 62 * mm, 48 * mm, 52 * mm], s.lang)]
