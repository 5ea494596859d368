"""The milestones part of the monthly progress report: a PDF section (those due in the period,
done or not, and those overdue then) and an XLSX sheet (every milestone). Items are named by
code and title, never by id, with their lead party; a party's report shows its own items."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from app.implement.milestones import Row, rows

TEXT = {
    "zh": {"milestones": "八、里程碑", "milestone": "里程碑", "done": "完成情况",
           "note": "本期到期的里程碑（无论是否完成）及此前到期仍未完成的里程碑。",
           "state_done": "{p}完成", "state_overdue": "已逾期未完成", "state_due": "本期到期未完成",
           "state_planned": "未到期", "sheet": "里程碑"},
    "en": {"milestones": "8. Milestones", "milestone": "Milestone", "done": "Completion",
           "note": "Milestones due this period (done or not) and earlier ones still not done.",
           "state_done": "done {p}", "state_overdue": "overdue, not done",
           "state_due": "due, not done", "state_planned": "not due yet", "sheet": "Milestones"},
}
XLSX_COLUMNS = (("code", 18), ("item", 40), ("milestone", 36), ("lead", 26), ("due", 10),
                ("done", 16))


def state_text(row: Row, lang: str) -> str:
    t = TEXT[lang]
    return t[f"state_{row.state}"].format(p=row.milestone.done or "")


def of_report(state, period: str, items: set[str] | None = None) -> list[Row]:
    """The milestones a period's report lists (of `items` only, when given)."""
    return [r for r in rows(state, period) if (items is None or r.item.id in items)
            and (r.milestone.due == period or r.state == "overdue")]


def _name(row: Row, lang: str) -> str:
    m = row.milestone
    return m.name_en if lang == "en" and m.name_en else m.name_zh


def pdf_section(state, period: str, items: set[str] | None, names, s) -> list:
    """The section's flowables (`s` an A4Story of the report; `names` its Names)."""
    from app.implement.report import item_code, table, title
    t = {**s.t, **TEXT[s.lang]}
    out = [s.p(t["milestones"], "h2"), s.p(t["note"], "note")]
    shown = of_report(state, period, items)
    s.st.setdefault("overdue", ParagraphStyle("overdue", parent=s.st["small"],
                                              textColor=colors.HexColor("#C92A2A")))
    if not shown:
        return [*out, s.p(t["none"])]
    head = [s.p(t[k], "head") for k in ("no", "item", "milestone", "lead", "due", "done")]
    body = []
    for n, r in enumerate(shown, 1):
        label = f"{item_code(r.item)} {title(r.item, s.lang)}".strip()
        done = s.p(state_text(r, s.lang), "overdue" if r.state == "overdue" else "small")
        body.append([n, s.p(label, "small"), s.p(_name(r, s.lang), "small"),
                     s.p(names.party(r.item.lead, s.lang), "small"), r.milestone.due, done])
    widths = [9 * mm, 50 * mm, 42 * mm, 30 * mm, 15 * mm, 28 * mm]
    return [*out, table([head, *body], widths, s.lang)]


def xlsx_sheet(ws, state, period: str, items: set[str] | None, names, lang: str,
               header) -> None:
    """Every milestone (of `items`), with where it stands at the end of `period`."""
    from app.implement.report import TEXT as REPORT_TEXT
    from app.implement.report import item_code, title
    t = {**REPORT_TEXT[lang], **TEXT[lang]}
    header(ws, XLSX_COLUMNS, t)
    for r in rows(state, period):
        if items is None or r.item.id in items:
            ws.append([item_code(r.item), title(r.item, lang), _name(r, lang),
                       names.party(r.item.lead, lang), r.milestone.due, state_text(r, lang)])
    ws.auto_filter.ref = f"A1:F{max(ws.max_row, 1)}"
