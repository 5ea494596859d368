"""The monthly progress report as an Excel workbook: 汇总 (the summary figures), 事项进展
(EVERY tracked item with actual and planned %, status, last period and lead), 上报情况, 问题清单
(open issues), 会议纪要 (the month's meetings) and 里程碑 (every milestone). Percentages are numbers (one decimal) so the
office can sort and sum them; the values are the roll-up's, as in the PDF."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.implement.report import (
    REPORTING,
    TEXT,
    Names,
    as_names,
    collect,
    counts,
    is_synthetic,
    item_code,
    level_label,
    reporting_label,
    status_label,
    title,
)

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SHEETS = {"zh": ("汇总", "事项进展", "上报情况", "问题清单", "会议纪要", "里程碑"),
          "en": ("Summary", "Items", "Reporting", "Issues", "Meetings", "Milestones")}
LABELS = {"zh": {"period": "报告期", "scope": "范围", "issued": "印发日期（北京时间）"},
          "en": {"period": "Period", "scope": "Scope", "issued": "Issued (Beijing time)"}}
COLUMNS = {  # (header key in report.TEXT or a literal, width in characters)
    "items": (("code", 18), ("item", 44), ("lead", 26), ("actual", 10), ("planned", 10),
              ("status", 12), ("last", 11)),
    "reporting": (("party", 36), ("state", 12), ("submitted", 24)),
    "issues": (("no", 7), ("level", 24), ("issue", 50), ("owner", 26), ("due", 12),
               ("overdue", 8), ("item", 20)),
    "meetings": (("date", 12), ("level", 24), ("meeting", 36), ("memo", 18), ("attendees", 50),
                 ("agenda", 8)),
}


def round1(value: float | None) -> float | None:
    """A percentage as the workbook stores it (one decimal)."""
    return None if value is None else round(value, 1)


def progress_xlsx(state, period: str, *, party: str | None = None, lang: str = "zh",
                  names: Names | dict | None = None, today: date | None = None) -> bytes:
    """The workbook of `period`'s progress report (metro-wide, or `party`'s) as bytes."""
    from app.implement.periods import today_beijing

    today = today or today_beijing()
    names = as_names(names)
    data = collect(state, period, party, today)
    t, sheets = TEXT[lang], SHEETS[lang]
    wb = Workbook()
    _summary(wb.active, data, names, lang, today, is_synthetic(state, names))
    wb.active.title = sheets[0]
    _items(wb.create_sheet(sheets[1]), state, data, names, lang, t)
    _reporting(wb.create_sheet(sheets[2]), data, names, lang, t)
    _issues(wb.create_sheet(sheets[3]), state, data, names, lang, t, today)
    _meetings(wb.create_sheet(sheets[4]), data, names, lang, t)
    from app.implement.milestone_report import xlsx_sheet
    xlsx_sheet(wb.create_sheet(sheets[5]), state, period,
               {i.id for i in data.leaves} if party else None, names, lang, _header)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _header(ws, keys: tuple, t: dict) -> None:
    for col, (key, width) in enumerate(keys, 1):
        text = t.get(key, key) + (" %" if key in ("actual", "planned") else "")
        cell = ws.cell(row=1, column=col, value=text)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _filter(ws, keys: tuple) -> None:
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{max(ws.max_row, 1)}"


def _summary(ws, data, names: Names, lang: str, today: date, synthetic: bool) -> None:
    t, c = TEXT[lang], counts(data)
    rows = [(t["title"].format(plan=names.plan(lang)), None),
            (LABELS[lang]["period"], data.period),
            (LABELS[lang]["scope"], names.party(data.party, lang) if data.party else t["metro"]),
            (LABELS[lang]["issued"], today.isoformat()),
            (t["tracked"], len(data.leaves)), (t["actual"] + " %", round1(data.actual)),
            (t["planned"] + " %", round1(data.planned))]
    rows += [(reporting_label(key, lang), c[key]) for key in REPORTING]
    if synthetic:
        rows.append((t["synthetic"], None))
    for n, (label, value) in enumerate(rows, 1):
        ws.cell(row=n, column=1, value=label).font = Font(bold=True, size=14 if n == 1 else 11)
        ws.cell(row=n, column=2, value=value)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 30


def _items(ws, state, data, names: Names, lang: str, t: dict) -> None:
    keys = COLUMNS["items"]
    _header(ws, keys, t)
    for item in data.leaves:
        node = data.nodes.get(item.id)
        ws.append([item_code(item), title(item, lang), names.party(item.lead, lang),
                   round1(node.percent) if node else 0.0, round1(node.planned) if node else None,
                   status_label(node.status if node else "not_started", lang),
                   node.period if node else None])
    _filter(ws, keys)


def _reporting(ws, data, names: Names, lang: str, t: dict) -> None:
    from app.review.times import beijing

    keys = COLUMNS["reporting"]
    _header(ws, keys, t)
    for r in sorted(data.reporting, key=lambda r: r.party):
        ws.append([names.party(r.party, lang), reporting_label(r.state, lang),
                   beijing(r.submitted, lang) if r.submitted else None])
    _filter(ws, keys)


def _issues(ws, state, data, names: Names, lang: str, t: dict, today: date) -> None:
    keys = COLUMNS["issues"]
    _header(ws, keys, t)
    for issue in data.issues:
        item = state.items.get(issue.item) if issue.item else None
        ws.append([f"#{data.numbers[issue.id]}", level_label(issue.level, lang),
                   title(issue, lang), names.party(issue.owner, lang), issue.due,
                   t["overdue"] if issue.due < today.isoformat() else None,
                   (item_code(item) or title(item, lang)) if item else None])
    _filter(ws, keys)


def _meetings(ws, data, names: Names, lang: str, t: dict) -> None:
    keys = COLUMNS["meetings"]
    _header(ws, keys, t)
    for m in data.meetings:
        ws.append([m.date, level_label(m.level, lang), title(m, lang),
                   m.memo.number if m.memo else t["no_memo"],
                   t["sep"].join(names.party(p, lang) for p in m.attendees), len(m.agenda)])
    _filter(ws, keys)
